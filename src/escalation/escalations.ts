import { randomUUID } from 'node:crypto';
import { ChatError, isChatError } from '../errors.ts';
import type { ChatOpsMessage } from '../observability/webhook.ts';
import type { MessageBus } from '../messaging/types.ts';
import type { AgentMessageFrame, Escalations, SessionHub, Ticket, TicketMessage, TicketStore } from './types.ts';

/** Longest operator reply, in characters (code points). */
export const MAX_REPLY_CHARS = 2000;
/** Longest operator display name, in characters. */
export const MAX_OPERATOR_CHARS = 60;
/** How much of the customer's request the chat-ops alert quotes. */
const ALERT_QUOTE_CHARS = 200;
/** Reply ids one chat remembers having been sent (a chat gets a handful; the oldest are forgotten first). */
const SENT_IDS_PER_CHAT = 256;

/** Bus topic: a reply for every process to deliver to its own chats of the session. */
const DELIVER = 'escalation.deliver';
/** Bus topic: each process answers how many chats of the session it holds. */
const CONNECTED = 'escalation.connected';

/** A reply on its way to a session's chats. */
interface Push {
  sessionId: string;
  frame: AgentMessageFrame;
}

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
  /**
   * Carries replies to every process of the service (WORKERS > 1, a fleet of nodes): each one
   * delivers to its own chats of the session and marks the reply delivered. Without it, replies
   * reach this process's chats only.
   */
  bus?: MessageBus;
  /** Told when the bus could not carry a reply to every process (it is stored: the customer gets it on reconnect). */
  onPushError?: (err: unknown) => void;
}

/**
 * Human handoff over a ticket store and the live chats of every process. Customer-side changes of
 * one session (open, customerSaid) run one at a time, so two tabs asking for a human at once
 * make one ticket and one alert; the store's own rule (one ticket not closed per session)
 * covers processes sharing a database.
 *
 * A reply is stored first, then published on the bus: every process delivers it to the chats of
 * the session it holds and, when it delivered it, marks it delivered in the store (an idempotent
 * write: two processes holding a tab each both mark it; the flag turns once). A chat never gets
 * one reply twice: its sender remembers what it sent, since a reply stored while the chat
 * connects reaches it both live and as missed. A customer connected nowhere gets it on reconnect.
 */
export function createEscalations(options: EscalationsOptions): Escalations {
  const { store, hub, bus } = options;
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

  /** Delivers to this process's chats of the session; the process that delivered marks the line. */
  const deliverHere = async ({ sessionId, frame }: Push): Promise<void> => {
    if (hub.deliver(sessionId, frame)) await store.markDelivered(frame.ticketId, [frame.messageId]);
  };
  const offDeliver = bus?.subscribe(DELIVER, async (message) => {
    await deliverHere(message as Push);
  });
  const offConnected = bus?.subscribe(CONNECTED, (message) => hub.connected((message as { sessionId: string }).sessionId));

  /** To every process holding a chat of the session (or this one's chats, without a bus). */
  const push = async (p: Push): Promise<void> => {
    if (!bus) return deliverHere(p);
    try {
      await bus.publish(DELIVER, p);
    } catch (err) {
      options.onPushError?.(err);
      // The bus may not have carried it at all (Redis down): this process's chats at least. A chat
      // that already got it from the bus drops the copy.
      await deliverHere(p);
    }
  };

  const onConnect: Escalations['onConnect'] = async (sessionId, send) => {
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
  };

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
      await push({ sessionId: ticket.sessionId, frame: frameOf(ticketId, message) });
      // Every process has answered: the store says whether one of them delivered it.
      const stored = await mustGet(ticketId);
      return { ticket: stored, delivered: stored.messages.some((m) => m.id === message.id && m.delivered === true) };
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

    onConnect,

    connect(sessionId, send) {
      const sentIds = new Set<string>();
      const once = (frame: AgentMessageFrame): boolean => {
        if (sentIds.has(frame.messageId)) return true;
        const ok = send(frame) === true;
        if (ok) {
          sentIds.add(frame.messageId);
          if (sentIds.size > SENT_IDS_PER_CHAT) sentIds.delete(sentIds.values().next().value!);
        }
        return ok;
      };
      // Attached before the missed replies are read: one stored meanwhile comes both ways, `once` drops the second.
      const detach = hub.attach(sessionId, once);
      return { close: detach, caughtUp: onConnect(sessionId, once) };
    },

    async connected(sessionId) {
      if (!bus) return hub.connected(sessionId);
      try {
        return (await bus.publish(CONNECTED, { sessionId })).reduce((n: number, c) => n + (typeof c === 'number' ? c : 0), 0);
      } catch {
        return hub.connected(sessionId);
      }
    },

    async resync() {
      for (const sessionId of hub.sessions()) {
        for (const { ticketId, message } of await store.undelivered(sessionId)) await deliverHere({ sessionId, frame: frameOf(ticketId, message) });
      }
    },

    stop() {
      offDeliver?.();
      offConnected?.();
    },
  };
}
