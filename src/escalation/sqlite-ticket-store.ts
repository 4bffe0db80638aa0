import type { DatabaseSync } from 'node:sqlite';
import { ChatError } from '../errors.ts';
import type { CallOptions } from '../shared/call.ts';
import { openDatabase } from '../store/sqlite.ts';
import type { Ticket, TicketMessage, TicketStore } from './types.ts';

// `seq` columns are the insertion order: they break ties between rows of the same millisecond.
// The partial unique index lets the database itself refuse a second ticket that is not closed
// for one session, so two processes sharing the file cannot both open one.
// Undelivered operator lines are read on every customer (re)connect, hence their partial index:
// it holds only the lines still waiting, however long the history grows.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS tickets (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  session_id TEXT NOT NULL,
  customer TEXT NOT NULL,
  language TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS tickets_session_not_closed ON tickets (session_id) WHERE status <> 'closed';
CREATE INDEX IF NOT EXISTS tickets_created ON tickets (created_at, seq);
CREATE INDEX IF NOT EXISTS tickets_status_created ON tickets (status, created_at, seq);
CREATE TABLE IF NOT EXISTS ticket_messages (
  seq INTEGER PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  id TEXT NOT NULL,
  author TEXT NOT NULL CHECK (author IN ('customer', 'operator')),
  text TEXT NOT NULL,
  operator TEXT,
  at INTEGER NOT NULL,
  delivered INTEGER,
  UNIQUE (ticket_id, id)
);
CREATE INDEX IF NOT EXISTS ticket_messages_ticket ON ticket_messages (ticket_id, seq);
CREATE INDEX IF NOT EXISTS ticket_messages_undelivered ON ticket_messages (session_id, at, seq) WHERE author = 'operator' AND delivered IS NOT 1;
`;

interface TicketRow {
  id: string;
  session_id: string;
  customer: string;
  language: string;
  status: string;
  created_at: number;
  updated_at: number;
}

interface MessageRow {
  ticket_id: string;
  id: string;
  author: string;
  text: string;
  operator: string | null;
  at: number;
  delivered: number | null;
}

const TICKET_COLUMNS = 'id, session_id, customer, language, status, created_at, updated_at';
const MESSAGE_COLUMNS = 'ticket_id, id, author, text, operator, at, delivered';

/** Handoff tickets in an embedded SQLite database; the caller owns `db` (close() leaves it open). */
export function createSqliteTicketStore(db: DatabaseSync): TicketStore {
  db.exec(SCHEMA);

  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const insertTicket = db.prepare(
    `INSERT INTO tickets (id, session_id, customer, language, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO ticket_messages (ticket_id, session_id, id, author, text, operator, at, delivered) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectTicket = db.prepare(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = ?`);
  const selectSession = db.prepare('SELECT session_id FROM tickets WHERE id = ?');
  const selectMessages = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE ticket_id = ? ORDER BY seq`);
  const selectOpen = db.prepare(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE session_id = ? AND status <> 'closed' ORDER BY seq DESC LIMIT 1`);
  const selectAll = db.prepare(`SELECT ${TICKET_COLUMNS} FROM tickets ORDER BY created_at DESC, seq DESC LIMIT ?`);
  const touch = db.prepare('UPDATE tickets SET updated_at = max(updated_at, ?) WHERE id = ?');
  const updateStatus = db.prepare('UPDATE tickets SET status = ?, updated_at = max(updated_at, ?) WHERE id = ?');
  const selectUndelivered = db.prepare(
    `SELECT ${MESSAGE_COLUMNS} FROM ticket_messages
      WHERE session_id = ? AND author = 'operator' AND delivered IS NOT 1 ORDER BY at, seq`,
  );
  const markOne = db.prepare(`UPDATE ticket_messages SET delivered = 1 WHERE ticket_id = ? AND id = ? AND author = 'operator'`);

  let closed = false;
  const guard = (opts?: CallOptions): void => {
    if (closed) throw new Error('ticket store is closed');
    opts?.signal?.throwIfAborted();
  };
  const inTransaction = <T>(work: () => T): T => {
    begin.run();
    try {
      const result = work();
      commit.run();
      return result;
    } catch (error) {
      rollback.run();
      throw error;
    }
  };
  const sessionOf = (ticketId: string): string => {
    const row = selectSession.get(ticketId) as { session_id: string } | undefined;
    if (!row) throw new ChatError('not_found', `No ticket ${ticketId.slice(0, 60)}.`);
    return row.session_id;
  };
  const addRow = (ticketId: string, sessionId: string, m: TicketMessage): void => {
    insertMessage.run(ticketId, sessionId, m.id, m.from, m.text, m.operator ?? null, m.at, m.delivered === undefined ? null : m.delivered ? 1 : 0);
  };
  const withMessages = (rows: TicketRow[]): Ticket[] => {
    if (rows.length === 0) return [];
    // One query for every ticket's thread instead of one per ticket.
    const messages = db
      .prepare(`SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE ticket_id IN (${rows.map(() => '?').join(', ')}) ORDER BY seq`)
      .all(...rows.map((r) => r.id)) as unknown as MessageRow[];
    const byTicket = new Map<string, TicketMessage[]>(rows.map((r) => [r.id, []]));
    for (const m of messages) byTicket.get(m.ticket_id)!.push(messageFromRow(m));
    return rows.map((r) => ticketFromRow(r, byTicket.get(r.id)!));
  };
  const full = (row: TicketRow | undefined): Ticket | undefined =>
    row ? ticketFromRow(row, (selectMessages.all(row.id) as unknown as MessageRow[]).map(messageFromRow)) : undefined;
  const conflictOnConstraint = (error: unknown, message: string): never => {
    if ((error as { errcode?: number }).errcode !== undefined && /UNIQUE constraint failed/.test(String((error as Error).message))) {
      throw new ChatError('conflict', message, { cause: error });
    }
    throw error;
  };

  return {
    async create(ticket, opts) {
      guard(opts);
      try {
        inTransaction(() => {
          insertTicket.run(ticket.id, ticket.sessionId, JSON.stringify(ticket.customer), ticket.language, ticket.status, ticket.createdAt, ticket.updatedAt);
          for (const m of ticket.messages) addRow(ticket.id, ticket.sessionId, m);
        });
      } catch (error) {
        conflictOnConstraint(error, 'The ticket exists or the session already has a ticket that is not closed.');
      }
    },

    async get(id, opts) {
      guard(opts);
      return full(selectTicket.get(id) as TicketRow | undefined);
    },

    async list(query, opts) {
      guard(opts);
      const limit = Math.max(0, Math.floor(query.limit));
      const statuses = query.status && query.status.length > 0 ? [...new Set(query.status)] : undefined;
      const rows = statuses
        ? (db
            .prepare(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY created_at DESC, seq DESC LIMIT ?`)
            .all(...statuses, limit) as unknown as TicketRow[])
        : (selectAll.all(limit) as unknown as TicketRow[]);
      return withMessages(rows);
    },

    async openForSession(sessionId, opts) {
      guard(opts);
      return full(selectOpen.get(sessionId) as TicketRow | undefined);
    },

    async addMessage(ticketId, message, opts) {
      guard(opts);
      try {
        inTransaction(() => {
          addRow(ticketId, sessionOf(ticketId), message);
          touch.run(message.at, ticketId);
        });
      } catch (error) {
        conflictOnConstraint(error, `Message ${message.id.slice(0, 60)} exists.`);
      }
    },

    async setStatus(ticketId, status, at, opts) {
      guard(opts);
      try {
        if (Number(updateStatus.run(status, at, ticketId).changes) === 0) throw new ChatError('not_found', `No ticket ${ticketId.slice(0, 60)}.`);
      } catch (error) {
        conflictOnConstraint(error, 'The session already has a ticket that is not closed.');
      }
    },

    async undelivered(sessionId, opts) {
      guard(opts);
      return (selectUndelivered.all(sessionId) as unknown as MessageRow[]).map((r) => ({ ticketId: r.ticket_id, message: messageFromRow(r) }));
    },

    async markDelivered(ticketId, messageIds, opts) {
      guard(opts);
      if (messageIds.length === 0) return;
      inTransaction(() => {
        for (const id of messageIds) markOne.run(ticketId, id);
      });
    },

    close() {
      closed = true;
    },
  };
}

/** Opens (or creates) `file` and returns a ticket store that owns it: close() also closes the database. */
export function openSqliteTicketStore(file: string): TicketStore {
  const db = openDatabase(file);
  const store = createSqliteTicketStore(db);
  return {
    ...store,
    close() {
      store.close();
      if (db.isOpen) db.close();
    },
  };
}

function ticketFromRow(r: TicketRow, messages: TicketMessage[]): Ticket {
  return {
    id: r.id,
    sessionId: r.session_id,
    customer: JSON.parse(r.customer) as Ticket['customer'],
    language: r.language as Ticket['language'],
    status: r.status as Ticket['status'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    messages,
  };
}

function messageFromRow(r: MessageRow): TicketMessage {
  const m: TicketMessage = { id: r.id, from: r.author as TicketMessage['from'], text: r.text, at: r.at };
  if (r.operator !== null) m.operator = r.operator;
  if (r.delivered !== null) m.delivered = r.delivered === 1;
  return m;
}
