import { randomUUID } from 'node:crypto';
import { ChatError, isChatError } from '../errors.ts';
import type { ChatOpsMessage } from '../observability/webhook.ts';
import type { AgentMessageFrame, Escalations, SessionHub, Ticket, TicketMessage, TicketStore } from './types.ts';

/** Longest operator reply, in characters (code points). */
export const MAX_REPLY_CHARS = 2000;
/** Longest operator display name, in characters. */
export const MAX_OPERATOR_CHARS = 60;
/** How much of the customer's request the chat-ops alert quotes. */
const ALERT_QUOTE_CHARS = 200;

/** What the escalation service is built from. */
export interface EscalationsOptions {
  store: TicketStore;
  hub: SessionHub;
  /** Alerts the operators' chat-ops channel (a Notifier's notify): called once per new ticket, never awaited. */
  notify?: (message: ChatOpsMessage) => void;
  /** The operations page; the alert links to `${opsUrl}#ticket=<id>`. */
  opsUrl?: string;
  now?: () => number;
  /** Ticket and message ids. @default randomUUID */
  ids?: () => string;
  /** Told about each ticket event (the escalations metric). */
  onEvent?: (event: 'opened' | 'operator_reply' | 'closed') => void;
}

/**
 * Human handoff over a ticket store and the live chats of this process. Customer-side changes of
 * one session (open, customerSaid) run one at a time, so two tabs asking for a human at once
 * make one ticket and one alert; the store's own rule (one ticket not closed per session)
 * covers processes sharing a database.
 */
export function createEscalations(options: EscalationsOptions): Escalations {
  const { store, hub } = options;
  const now = options.now ?? Date.now;
  const ids = options.ids ?? randomUUID;
  const event = (name: 'opened' | 'operator_reply' | 'closed'): void => {
    try {
      options.onEvent?.(name);
    } catch {
      // A metric must never fail a handoff.
    }
  };

  const tails = new Map<string, Promise<unknown>>();
  const perSession = <T>(sessionId: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(sessionId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(sessionId, tail);
    void tail.then(() => {
      if (tails.get(sessionId) === tail) tails.delete(sessionId);
    });
    return run;
  };

  const mustGet = async (ticketId: string): Promise<Ticket> => {
    const ticket = await store.get(ticketId);
    if (!ticket) throw new ChatError('not_found', `No ticket ${ticketId.slice(0, 60)}.`);
    return ticket;
  };

  /** Adds a customer line to a ticket that is not closed; an answered ticket waits for an operator again. */
  const appendCustomer = async (ticket: Ticket, text: string): Promise<Ticket> => {
    const at = now();
    await store.addMessage(ticket.id, { id: ids(), from: 'customer', text, at });
    if (ticket.status === 'answered') await store.setStatus(ticket.id, 'open', at);
    return mustGet(ticket.id);
  };

  const alert = (ticket: Ticket, text: string): void => {
    if (!options.notify) return;
    const quote = [...text].slice(0, ALERT_QUOTE_CHARS).join('');
    try {
      options.notify({
        kind: 'escalation',
        severity: 'warning',
        text: `Customer asks for a human: "${quote}"`,
        fields: { ticket: ticket.id, customer: ticket.customer.kind, language: ticket.language, session: ticket.sessionId },
        ...(options.opsUrl ? { link: `${options.opsUrl}#ticket=${encodeURIComponent(ticket.id)}` } : {}),
      });
    } catch {
      // The ticket is open and shows on /ops: a broken notifier must not lose the request.
    }
  };

  const frameOf = (ticketId: string, m: TicketMessage): AgentMessageFrame => ({
    type: 'agent_message',
    ticketId,
    messageId: m.id,
    text: m.text,
    operator: m.operator ?? 'Staff',
    at: m.at,
  });

  return {
    hub,

    open(req, opts) {
      return perSession(req.sessionId, async () => {
        const existing = await store.openForSession(req.sessionId, opts);
        if (existing) return { ticket: await appendCustomer(existing, req.text), created: false };
        const at = now();
        const ticket: Ticket = {
          id: ids(),
          sessionId: req.sessionId,
          // Only what an operator needs: callers may pass a richer customer (the pipeline's has ageConfirmed).
          customer: {
            kind: req.customer.kind,
            ...(req.customer.customerId !== undefined ? { customerId: req.customer.customerId } : {}),
            ...(req.customer.name !== undefined ? { name: req.customer.name } : {}),
          },
          language: req.language,
          status: 'open',
          createdAt: at,
          updatedAt: at,
          messages: [{ id: ids(), from: 'customer', text: req.text, at }],
        };
        try {
          await store.create(ticket, opts);
        } catch (error) {
          // Another process sharing the database opened one first: join it like any second request.
          if (!isChatError(error) || error.code !== 'conflict') throw error;
          const raced = await store.openForSession(req.sessionId, opts);
          if (!raced) throw error;
          return { ticket: await appendCustomer(raced, req.text), created: false };
        }
        alert(ticket, req.text);
        event('opened');
        return { ticket, created: true };
      });
    },

    customerSaid(sessionId, text) {
      return perSession(sessionId, async () => {
        const ticket = await store.openForSession(sessionId);
        if (ticket) await appendCustomer(ticket, text);
      });
    },

    async reply(ticketId, reply) {
      const text = typeof reply.text === 'string' ? reply.text.trim() : '';
      const operator = typeof reply.operator === 'string' ? reply.operator.trim() : '';
      if (!text) throw new ChatError('bad_request', 'The reply is empty.');
      if ([...text].length > MAX_REPLY_CHARS) throw new ChatError('bad_request', `Replies are limited to ${MAX_REPLY_CHARS} characters.`);
      if (!operator || [...operator].length > MAX_OPERATOR_CHARS) throw new ChatError('bad_request', `The operator name must be 1 to ${MAX_OPERATOR_CHARS} characters.`);
      const ticket = await mustGet(ticketId);
      if (ticket.status === 'closed') throw new ChatError('conflict', 'The ticket is closed.');

      const message: TicketMessage = { id: ids(), from: 'operator', text, operator, at: now(), delivered: false };
      await store.addMessage(ticketId, message);
      await store.setStatus(ticketId, 'answered', message.at);
      event('operator_reply');
      // Stored first: a customer who connects between the two steps gets it from onConnect.
      const delivered = hub.deliver(ticket.sessionId, frameOf(ticketId, message));
      if (delivered) await store.markDelivered(ticketId, [message.id]);
      return { ticket: await mustGet(ticketId), delivered };
    },

    async close(ticketId) {
      const ticket = await mustGet(ticketId);
      if (ticket.status === 'closed') return ticket;
      await store.setStatus(ticketId, 'closed', now());
      event('closed');
      return mustGet(ticketId);
    },

    get: (ticketId) => store.get(ticketId),

    list: (query) => store.list(query),

    async onConnect(sessionId, send) {
      const pending = await store.undelivered(sessionId);
      const sent = new Map<string, string[]>();
      for (const { ticketId, message } of pending) {
        let ok = false;
        try {
          ok = send(frameOf(ticketId, message)) === true;
        } catch {
          ok = false;
        }
        // The socket closed: what is left waits for the next connection, still in order.
        if (!ok) break;
        const list = sent.get(ticketId);
        if (list) list.push(message.id);
        else sent.set(ticketId, [message.id]);
      }
      for (const [ticketId, messageIds] of sent) await store.markDelivered(ticketId, messageIds);
    },
  };
}
