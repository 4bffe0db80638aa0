import { ChatError } from '../errors.ts';
import type { CallOptions } from '../shared/call.ts';
import type { Ticket, TicketMessage, TicketStore } from './types.ts';

interface Entry {
  ticket: Ticket;
  /** Creation order: breaks ties between tickets created in the same millisecond. */
  seq: number;
}

/**
 * Handoff tickets in this process's memory (tests, one-off runs): lost on restart, so a real
 * deployment uses the SQLite adapter. Behaves exactly like it (one contract suite).
 */
export function createInProcessTicketStore(): TicketStore {
  const tickets = new Map<string, Entry>();
  let seq = 0;
  let messageSeq = 0;
  // Operator lines are ordered across tickets by time, then by when they were added.
  const messageOrder = new WeakMap<TicketMessage, number>();
  let closed = false;

  const guard = (opts?: CallOptions): void => {
    if (closed) throw new Error('ticket store is closed');
    opts?.signal?.throwIfAborted();
  };
  const entry = (id: string): Entry => {
    const found = tickets.get(id);
    if (!found) throw new ChatError('not_found', `No ticket ${id.slice(0, 60)}.`);
    return found;
  };
  const notClosedOf = (sessionId: string): Entry | undefined => {
    let newest: Entry | undefined;
    for (const e of tickets.values()) {
      if (e.ticket.sessionId === sessionId && e.ticket.status !== 'closed' && (!newest || e.seq > newest.seq)) newest = e;
    }
    return newest;
  };
  const push = (ticket: Ticket, message: TicketMessage): void => {
    const stored = { ...message };
    messageOrder.set(stored, ++messageSeq);
    ticket.messages.push(stored);
  };

  return {
    async create(ticket, opts) {
      guard(opts);
      if (tickets.has(ticket.id)) throw new ChatError('conflict', `Ticket ${ticket.id.slice(0, 60)} exists.`);
      if (notClosedOf(ticket.sessionId)) throw new ChatError('conflict', 'The session already has a ticket that is not closed.');
      const stored: Ticket = { ...copy(ticket), messages: [] };
      for (const m of ticket.messages) push(stored, m);
      tickets.set(ticket.id, { ticket: stored, seq: ++seq });
    },

    async get(id, opts) {
      guard(opts);
      const found = tickets.get(id);
      return found ? copy(found.ticket) : undefined;
    },

    async list(query, opts) {
      guard(opts);
      const wanted = query.status && query.status.length > 0 ? new Set(query.status) : undefined;
      return [...tickets.values()]
        .filter((e) => !wanted || wanted.has(e.ticket.status))
        .sort((a, b) => b.ticket.createdAt - a.ticket.createdAt || b.seq - a.seq)
        .slice(0, Math.max(0, query.limit))
        .map((e) => copy(e.ticket));
    },

    async openForSession(sessionId, opts) {
      guard(opts);
      const found = notClosedOf(sessionId);
      return found ? copy(found.ticket) : undefined;
    },

    async addMessage(ticketId, message, opts) {
      guard(opts);
      const { ticket } = entry(ticketId);
      if (ticket.messages.some((m) => m.id === message.id)) throw new ChatError('conflict', `Message ${message.id.slice(0, 60)} exists.`);
      push(ticket, message);
      ticket.updatedAt = Math.max(ticket.updatedAt, message.at);
    },

    async setStatus(ticketId, status, at, opts) {
      guard(opts);
      const { ticket } = entry(ticketId);
      if (status !== 'closed' && ticket.status === 'closed' && notClosedOf(ticket.sessionId)) {
        throw new ChatError('conflict', 'The session already has a ticket that is not closed.');
      }
      ticket.status = status;
      ticket.updatedAt = Math.max(ticket.updatedAt, at);
    },

    async undelivered(sessionId, opts) {
      guard(opts);
      const lines: { ticketId: string; message: TicketMessage; order: number }[] = [];
      for (const { ticket } of tickets.values()) {
        if (ticket.sessionId !== sessionId) continue;
        for (const m of ticket.messages) {
          if (m.from === 'operator' && m.delivered !== true) lines.push({ ticketId: ticket.id, message: { ...m }, order: messageOrder.get(m) ?? 0 });
        }
      }
      lines.sort((a, b) => a.message.at - b.message.at || a.order - b.order);
      return lines.map(({ ticketId, message }) => ({ ticketId, message }));
    },

    async markDelivered(ticketId, messageIds, opts) {
      guard(opts);
      const found = tickets.get(ticketId);
      if (!found) return;
      const ids = new Set(messageIds);
      for (const m of found.ticket.messages) if (m.from === 'operator' && ids.has(m.id)) m.delivered = true;
    },

    close() {
      closed = true;
    },
  };
}

/** Deep enough a copy that a caller mutating what it got cannot change what is stored. */
function copy(ticket: Ticket): Ticket {
  return { ...ticket, customer: { ...ticket.customer }, messages: ticket.messages.map((m) => ({ ...m })) };
}
