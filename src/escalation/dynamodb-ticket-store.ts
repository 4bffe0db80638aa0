import { ChatError } from '../errors.ts';
import type { CallOptions } from '../shared/call.ts';
import type { Ticket, TicketMessage, TicketStore } from './types.ts';
import { isConditionFailed, queryAll, type DynamoTable, type TableSpec } from '../store/dynamodb.ts';

/**
 * Table layout (one table, generic `pk`/`sk` keys, four kinds of item):
 *
 *   ticket   pk T#<id>         sk #ticket        id, sessionId, customer (M), language, status,
 *                                                 createdAt, updatedAt, seq, lines, listKey
 *   line     pk T#<id>         sk M#<message id> id, from, text, operator, at, delivered, line,
 *                                                 ticketId, sessionId, [pendingFor, pendingKey]
 *   guard    pk S#<session>    sk #open          ticketId, at: the session's ticket not closed
 *   counter  pk #counter       sk #tickets       seq: creation order across the fleet
 *
 *   GSI byStatus     status (HASH), listKey (RANGE) = createdAt#seq   operators' list, newest first
 *   GSI undelivered  pendingFor (HASH), pendingKey (RANGE) = at#seq#line  sparse: only operator
 *                    lines not yet delivered carry pendingFor, so a customer's (re)connect reads
 *                    exactly the lines waiting for them, however long the history
 *
 * A ticket and its thread are one item collection: get() is one Query. Its own table (not the
 * conversations'): tickets live for good, carry two indexes, and are written by operators.
 *
 * "One ticket not closed per session" without transactions: the guard item is taken with a
 * PutItem conditional on its absence before the ticket is written, and given back when the ticket
 * closes. Steps that can be cut by a crash leave something the next writer recognises: a guard
 * whose ticket is closed, or missing for longer than GUARD_GRACE_MS (its creator died between the
 * guard and the ticket), is stale and replaced, conditionally on the stale value. The ticket
 * header is written last, so a ticket exists only once it is whole.
 *
 * Eventual consistency: the two indexes are read without ConsistentRead (GSIs cannot be), so a
 * ticket created or a line delivered a moment ago may show a moment late in list() and
 * undelivered(); list() re-reads each ticket it returns consistently and drops one whose status
 * no longer matches. Ordering of lines of different tickets within one millisecond follows the
 * tickets' creation order.
 */
export const TICKETS_TABLE: TableSpec = {
  hashKey: 'pk',
  rangeKey: 'sk',
  indexes: [
    { name: 'byStatus', hashKey: 'status', rangeKey: 'listKey' },
    { name: 'undelivered', hashKey: 'pendingFor', rangeKey: 'pendingKey' },
  ],
};

/** A guard whose ticket does not exist after this long was left by a creator that died half-way. */
const GUARD_GRACE_MS = 30_000;
const HEADER = '#ticket';
const GUARD = '#open';
const STATUSES: Ticket['status'][] = ['open', 'answered', 'closed'];

interface Header {
  pk: string;
  sk: string;
  id: string;
  sessionId: string;
  customer: Ticket['customer'];
  language: Ticket['language'];
  status: Ticket['status'];
  createdAt: number;
  updatedAt: number;
  seq: number;
  lines: number;
  listKey: string;
}

interface Line {
  id: string;
  from: TicketMessage['from'];
  text: string;
  operator?: string;
  at: number;
  delivered?: boolean;
  line: number;
  ticketId: string;
  sessionId: string;
}

const ticketKey = (id: string) => ({ pk: `T#${id}`, sk: HEADER });
const lineKey = (ticketId: string, messageId: string) => ({ pk: `T#${ticketId}`, sk: `M#${messageId}` });
const guardKey = (sessionId: string) => ({ pk: `S#${sessionId}`, sk: GUARD });
const pad = (n: number, width: number) => String(Math.max(0, Math.trunc(n))).padStart(width, '0');

/** Handoff tickets in a DynamoDB table (see TICKETS_TABLE); the caller owns the client. */
export function createDynamoTicketStore(table: DynamoTable): TicketStore {
  let closed = false;
  const guard = (opts?: CallOptions): void => {
    if (closed) throw new Error('ticket store is closed');
    opts?.signal?.throwIfAborted();
  };
  const notFound = (id: string) => new ChatError('not_found', `No ticket ${id.slice(0, 60)}.`);
  const sessionBusy = () => new ChatError('conflict', 'The session already has a ticket that is not closed.');

  const header = async (id: string, signal?: AbortSignal): Promise<Header | undefined> =>
    (await table.get({ Key: ticketKey(id), ConsistentRead: true }, signal)).Item as Header | undefined;

  const read = async (id: string, signal?: AbortSignal): Promise<Ticket | undefined> => {
    const items = await queryAll(table, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `T#${id}` }, ConsistentRead: true }, signal);
    const head = items.find((i) => i.sk === HEADER) as Header | undefined;
    if (!head) return undefined;
    const lines = (items.filter((i) => i.sk !== HEADER) as unknown as Line[]).sort((a, b) => a.line - b.line);
    return {
      id: head.id,
      sessionId: head.sessionId,
      customer: head.customer,
      language: head.language,
      status: head.status,
      createdAt: head.createdAt,
      updatedAt: head.updatedAt,
      messages: lines.map(messageOf),
    };
  };

  /** A line item; operator lines not delivered carry the sparse index's keys. */
  const lineItem = (ticketId: string, sessionId: string, ticketSeq: number, line: number, m: TicketMessage) => ({
    ...lineKey(ticketId, m.id),
    id: m.id,
    from: m.from,
    text: m.text,
    operator: m.operator,
    at: m.at,
    delivered: m.delivered,
    line,
    ticketId,
    sessionId,
    ...(m.from === 'operator' && m.delivered !== true ? { pendingFor: sessionId, pendingKey: `${pad(m.at, 16)}#${pad(ticketSeq, 12)}#${pad(line, 6)}` } : {}),
  });

  /**
   * Takes the session's guard for `ticketId`: 'taken', or 'held' when it is already this
   * ticket's. Throws conflict while another ticket of the session is not closed.
   */
  const takeGuard = async (sessionId: string, ticketId: string, signal?: AbortSignal): Promise<'taken' | 'held'> => {
    for (;;) {
      try {
        await table.put({ Item: { ...guardKey(sessionId), ticketId, at: Date.now() }, ConditionExpression: 'attribute_not_exists(pk)' }, signal);
        return 'taken';
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
      const held = (await table.get({ Key: guardKey(sessionId), ConsistentRead: true }, signal)).Item as { ticketId: string; at: number } | undefined;
      if (!held) continue; // given back meanwhile: take it
      if (held.ticketId === ticketId) return 'held';
      const other = await header(held.ticketId, signal);
      const stale = other ? other.status === 'closed' : Date.now() - held.at > GUARD_GRACE_MS;
      if (!stale) throw sessionBusy();
      try {
        await table.put({ Item: { ...guardKey(sessionId), ticketId, at: Date.now() }, ConditionExpression: 'ticketId = :stale', ExpressionAttributeValues: { ':stale': held.ticketId } }, signal);
        return 'taken';
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    }
  };
  const giveBackGuard = async (sessionId: string, ticketId: string): Promise<void> => {
    try {
      await table.delete({ Key: guardKey(sessionId), ConditionExpression: 'ticketId = :id', ExpressionAttributeValues: { ':id': ticketId } });
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  };
  const nextSeq = async (signal?: AbortSignal): Promise<number> => {
    const out = await table.update({ Key: { pk: '#counter', sk: '#tickets' }, UpdateExpression: 'ADD seq :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' }, signal);
    return out.Attributes!.seq as number;
  };

  return {
    async create(ticket, opts) {
      guard(opts);
      const signal = opts?.signal;
      const open = ticket.status !== 'closed';
      if (open && (await takeGuard(ticket.sessionId, ticket.id, signal)) === 'held') throw new ChatError('conflict', `Ticket ${ticket.id.slice(0, 60)} exists.`);
      const written: TicketMessage[] = [];
      try {
        if (await header(ticket.id, signal)) throw new ChatError('conflict', `Ticket ${ticket.id.slice(0, 60)} exists.`);
        const seq = await nextSeq(signal);
        for (const [i, m] of ticket.messages.entries()) {
          await table.put({ Item: lineItem(ticket.id, ticket.sessionId, seq, i + 1, m), ConditionExpression: 'attribute_not_exists(pk)' }, signal);
          written.push(m);
        }
        const head: Header = {
          ...ticketKey(ticket.id),
          id: ticket.id,
          sessionId: ticket.sessionId,
          customer: ticket.customer,
          language: ticket.language,
          status: ticket.status,
          createdAt: ticket.createdAt,
          updatedAt: ticket.updatedAt,
          seq,
          lines: ticket.messages.length,
          listKey: `${pad(ticket.createdAt, 16)}#${pad(seq, 12)}`,
        };
        // Last: the ticket exists once whole.
        await table.put({ Item: head, ConditionExpression: 'attribute_not_exists(pk)' }, signal);
      } catch (error) {
        // Nothing of a refused ticket stays: its lines and the guard it took go.
        await Promise.allSettled(written.map((m) => table.delete({ Key: lineKey(ticket.id, m.id) })));
        if (open) await giveBackGuard(ticket.sessionId, ticket.id).catch(() => {});
        if (isConditionFailed(error)) throw new ChatError('conflict', 'The ticket exists or the session already has a ticket that is not closed.', { cause: error });
        throw error;
      }
    },

    async get(id, opts) {
      guard(opts);
      return read(id, opts?.signal);
    },

    async list(query, opts) {
      guard(opts);
      const limit = Math.max(0, Math.floor(query.limit));
      if (limit === 0) return [];
      const wanted = query.status && query.status.length > 0 ? [...new Set(query.status)] : STATUSES;
      const pages = await Promise.all(
        wanted.map((status) =>
          table.query({ IndexName: 'byStatus', KeyConditionExpression: '#status = :s', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':s': status }, ScanIndexForward: false, Limit: limit }, opts?.signal),
        ),
      );
      const newest = pages
        .flatMap((p) => (p.Items ?? []) as Header[])
        .sort((a, b) => (a.listKey < b.listKey ? 1 : a.listKey > b.listKey ? -1 : 0))
        .slice(0, limit);
      const tickets = await Promise.all(newest.map((h) => read(h.id, opts?.signal)));
      // The index may lag a status change: what is returned is what the ticket says now.
      return tickets.filter((t): t is Ticket => t !== undefined && wanted.includes(t.status));
    },

    async openForSession(sessionId, opts) {
      guard(opts);
      const held = (await table.get({ Key: guardKey(sessionId), ConsistentRead: true }, opts?.signal)).Item as { ticketId: string } | undefined;
      if (!held) return undefined;
      const ticket = await read(held.ticketId, opts?.signal);
      return ticket && ticket.status !== 'closed' ? ticket : undefined;
    },

    async addMessage(ticketId, message, opts) {
      guard(opts);
      const signal = opts?.signal;
      let head: Header;
      try {
        const out = await table.update({ Key: ticketKey(ticketId), UpdateExpression: 'ADD #lines :one', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeNames: { '#lines': 'lines' }, ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'ALL_NEW' }, signal);
        head = out.Attributes as Header;
      } catch (error) {
        if (isConditionFailed(error)) throw notFound(ticketId);
        throw error;
      }
      try {
        await table.put({ Item: lineItem(ticketId, head.sessionId, head.seq, head.lines, message), ConditionExpression: 'attribute_not_exists(pk)' }, signal);
      } catch (error) {
        if (isConditionFailed(error)) throw new ChatError('conflict', `Message ${message.id.slice(0, 60)} exists.`, { cause: error });
        throw error;
      }
      if (message.at > head.updatedAt) await touch(ticketId, message.at, signal);
    },

    async setStatus(ticketId, status, at, opts) {
      guard(opts);
      const signal = opts?.signal;
      for (;;) {
        const head = await header(ticketId, signal);
        if (!head) throw notFound(ticketId);
        const reopening = status !== 'closed' && head.status === 'closed';
        const closing = status === 'closed' && head.status !== 'closed';
        const took = reopening ? await takeGuard(head.sessionId, ticketId, signal) : undefined;
        try {
          // Conditional on the status read, so two operators changing it at once are applied in turn.
          await table.update(
            {
              Key: ticketKey(ticketId),
              UpdateExpression: 'SET #status = :to, updatedAt = :updated',
              ConditionExpression: '#status = :from AND updatedAt = :was',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':to': status, ':from': head.status, ':updated': Math.max(head.updatedAt, at), ':was': head.updatedAt },
            },
            signal,
          );
        } catch (error) {
          if (took === 'taken') await giveBackGuard(head.sessionId, ticketId);
          if (isConditionFailed(error)) continue;
          throw error;
        }
        if (closing) await giveBackGuard(head.sessionId, ticketId);
        return;
      }
    },

    async undelivered(sessionId, opts) {
      guard(opts);
      const items = (await queryAll(table, { IndexName: 'undelivered', KeyConditionExpression: 'pendingFor = :s', ExpressionAttributeValues: { ':s': sessionId } }, opts?.signal)) as unknown as Line[];
      return items.map((l) => ({ ticketId: l.ticketId, message: messageOf(l) }));
    },

    async markDelivered(ticketId, messageIds, opts) {
      guard(opts);
      const results = await Promise.allSettled(
        [...new Set(messageIds)].map((id) =>
          table.update(
            {
              Key: lineKey(ticketId, id),
              // Leaving the sparse index is what takes it off the customer's waiting list.
              UpdateExpression: 'SET delivered = :yes REMOVE pendingFor, pendingKey',
              ConditionExpression: 'attribute_exists(pk) AND #from = :operator',
              ExpressionAttributeNames: { '#from': 'from' },
              ExpressionAttributeValues: { ':yes': true, ':operator': 'operator' },
            },
            opts?.signal,
          ),
        ),
      );
      for (const r of results) if (r.status === 'rejected' && !isConditionFailed(r.reason)) throw r.reason;
    },

    close() {
      closed = true;
    },
  };

  /** updatedAt = max(updatedAt, at): conditional, so a later time already written is kept. */
  async function touch(ticketId: string, at: number, signal?: AbortSignal): Promise<void> {
    try {
      await table.update({ Key: ticketKey(ticketId), UpdateExpression: 'SET updatedAt = :at', ConditionExpression: 'updatedAt < :at', ExpressionAttributeValues: { ':at': at } }, signal);
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }
}

function messageOf(l: Line): TicketMessage {
  const m: TicketMessage = { id: l.id, from: l.from, text: l.text, at: l.at };
  if (l.operator !== undefined) m.operator = l.operator;
  if (l.delivered !== undefined) m.delivered = l.delivered;
  return m;
}
