import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { CallOptions } from '../shared/call.ts';
import type { ConversationMemory, StoredMessage } from './types.ts';
import { openDatabase } from '../store/sqlite.ts';
import { resolveMemoryOptions, type MemoryOptions } from './options.ts';

/** Options of the SQLite conversation memory. */
export type SqliteMemoryOptions = MemoryOptions;

// Child rows cascade from the session row, so expiring a session is one DELETE.
// Ids are kept in their own table because the message window (10) is far shorter than
// the span over which a client may retry a message.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS memory_sessions (
  session_id TEXT PRIMARY KEY,
  last_active_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS memory_sessions_last_active ON memory_sessions (last_active_at);
CREATE TABLE IF NOT EXISTS memory_messages (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES memory_sessions (session_id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  text TEXT NOT NULL,
  message_id TEXT NOT NULL,
  intent TEXT,
  language TEXT,
  series_ids TEXT,
  product_ids TEXT,
  cards TEXT,
  about TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS memory_messages_session ON memory_messages (session_id, id);
CREATE TABLE IF NOT EXISTS memory_seen_ids (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES memory_sessions (session_id) ON DELETE CASCADE,
  message_id TEXT NOT NULL,
  UNIQUE (session_id, message_id)
);
CREATE INDEX IF NOT EXISTS memory_seen_ids_session ON memory_seen_ids (session_id, id);
`;

interface MessageRow {
  role: string;
  text: string;
  message_id: string;
  intent: string | null;
  language: string | null;
  series_ids: string | null;
  product_ids: string | null;
  cards: string | null;
  about: string | null;
  at: number;
}

/** Conversation memory in an embedded SQLite database; the caller owns `db` (close() leaves it open). */
export function createSqliteMemory(db: DatabaseSync, options: SqliteMemoryOptions): ConversationMemory {
  const { window, idsKept, idleTtlMs, now } = resolveMemoryOptions(options);

  db.exec(SCHEMA);
  // Databases made before assistant turns kept their product cards (replayed to a retried message).
  const columns = db.prepare('PRAGMA table_info(memory_messages)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'cards')) db.exec('ALTER TABLE memory_messages ADD COLUMN cards TEXT');
  // ...and before they recorded what the answer was about (follow-ups).
  if (!columns.some((c) => c.name === 'about')) db.exec('ALTER TABLE memory_messages ADD COLUMN about TEXT');

  // Prepared once: append and load run on every chat turn.
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const touchSession = db.prepare(
    `INSERT INTO memory_sessions (session_id, last_active_at) VALUES (?, ?)
     ON CONFLICT (session_id) DO UPDATE SET last_active_at = excluded.last_active_at`,
  );
  const lastActive = db.prepare('SELECT last_active_at FROM memory_sessions WHERE session_id = ?');
  // An expired session still on disk (expire() not yet run) must not bleed into a new
  // conversation that reuses its id, so append clears it before writing.
  const dropSession = db.prepare('DELETE FROM memory_sessions WHERE session_id = ?');
  const insertMessage = db.prepare(
    `INSERT INTO memory_messages (session_id, role, text, message_id, intent, language, series_ids, product_ids, cards, about, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const trimMessages = db.prepare(
    `DELETE FROM memory_messages WHERE session_id = ?1 AND id <= (
       SELECT id FROM memory_messages WHERE session_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
  );
  const insertId = db.prepare('INSERT OR IGNORE INTO memory_seen_ids (session_id, message_id) VALUES (?, ?)');
  const trimIds = db.prepare(
    `DELETE FROM memory_seen_ids WHERE session_id = ?1 AND id <= (
       SELECT id FROM memory_seen_ids WHERE session_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
  );
  const selectMessages = db.prepare(
    `SELECT m.role, m.text, m.message_id, m.intent, m.language, m.series_ids, m.product_ids, m.cards, m.about, m.at
       FROM memory_messages m JOIN memory_sessions s ON s.session_id = m.session_id
      WHERE m.session_id = ? AND s.last_active_at >= ?
      ORDER BY m.id DESC LIMIT ?`,
  );
  const selectId = db.prepare(
    `SELECT 1 AS found FROM memory_seen_ids i JOIN memory_sessions s ON s.session_id = i.session_id
      WHERE i.session_id = ? AND i.message_id = ? AND s.last_active_at >= ?`,
  );
  const deleteIdle = db.prepare('DELETE FROM memory_sessions WHERE last_active_at < ?');

  let closed = false;
  const guard = (opts?: CallOptions): void => {
    if (closed) throw new Error('conversation memory is closed');
    opts?.signal?.throwIfAborted();
  };

  const inTransaction = (work: () => void): void => {
    begin.run();
    try {
      work();
      commit.run();
    } catch (err) {
      rollback.run();
      throw err;
    }
  };

  /** Writes one append: touch (or restart) the session, insert, trim. Runs inside a transaction. */
  const writeTurn = (sessionId: string, messages: StoredMessage[], t: number): void => {
    const prev = lastActive.get(sessionId) as { last_active_at: number } | undefined;
    if (prev && prev.last_active_at < t - idleTtlMs) dropSession.run(sessionId);
    touchSession.run(sessionId, t);
    let sawUserId = false;
    for (const m of messages) {
      insertMessage.run(
        sessionId,
        m.role,
        m.text,
        m.messageId,
        m.intent ?? null,
        m.language ?? null,
        m.seriesIds ? JSON.stringify(m.seriesIds) : null,
        m.productIds ? JSON.stringify(m.productIds) : null,
        m.cards ? JSON.stringify(m.cards) : null,
        m.about ? JSON.stringify(m.about) : null,
        m.at,
      );
      if (m.role === 'user') {
        insertId.run(sessionId, m.messageId);
        sawUserId = true;
      }
    }
    trimMessages.run(sessionId, window);
    if (sawUserId) trimIds.run(sessionId, idsKept);
  };

  // Group commit: appends are off the reply's path (stored after the answer), so every append of
  // one event-loop turn is written in one transaction. One commit per turn of the loop instead of
  // one per message was the largest item of the service's CPU profile under load. An append that
  // fails alone is retried alone, so one bad message cannot fail its neighbours.
  let pending: { sessionId: string; messages: StoredMessage[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let flushScheduled = false;
  const flush = (): void => {
    flushScheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    if (closed) {
      for (const p of batch) p.reject(new Error('conversation memory is closed'));
      return;
    }
    const t = now();
    try {
      inTransaction(() => {
        for (const p of batch) writeTurn(p.sessionId, p.messages, t);
      });
      for (const p of batch) p.resolve();
    } catch {
      for (const p of batch) {
        try {
          inTransaction(() => writeTurn(p.sessionId, p.messages, t));
          p.resolve();
        } catch (error) {
          p.reject(error);
        }
      }
    }
  };

  return {
    async load(sessionId, opts) {
      guard(opts);
      const rows = selectMessages.all(sessionId, now() - idleTtlMs, window) as unknown as MessageRow[];
      const messages: StoredMessage[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) messages[rows.length - 1 - i] = fromRow(rows[i]);
      return messages;
    },

    async append(sessionId, messages, opts) {
      guard(opts);
      await new Promise<void>((resolve, reject) => {
        pending.push({ sessionId, messages, resolve, reject });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      });
    },

    async hasMessage(sessionId, messageId, opts) {
      guard(opts);
      return selectId.get(sessionId, messageId, now() - idleTtlMs) !== undefined;
    },

    async expire(at) {
      guard();
      return Number(deleteIdle.run((at ?? now()) - idleTtlMs).changes);
    },

    close() {
      flush();
      closed = true;
    },
  };
}

/** Opens (or creates) `file` and returns a memory that owns it: close() also closes the database. */
export function openSqliteMemory(file: string, options: SqliteMemoryOptions): ConversationMemory {
  const db = openDatabase(file);
  const memory = createSqliteMemory(db, options);
  return {
    load: memory.load,
    append: memory.append,
    hasMessage: memory.hasMessage,
    expire: memory.expire,
    close() {
      memory.close();
      if (db.isOpen) db.close();
    },
  };
}

function fromRow(r: MessageRow): StoredMessage {
  const m: StoredMessage = { role: r.role as StoredMessage['role'], text: r.text, messageId: r.message_id, at: r.at };
  if (r.intent !== null) m.intent = r.intent;
  if (r.language !== null) m.language = r.language as StoredMessage['language'];
  if (r.series_ids !== null) m.seriesIds = JSON.parse(r.series_ids) as string[];
  if (r.product_ids !== null) m.productIds = JSON.parse(r.product_ids) as string[];
  if (r.cards !== null) m.cards = JSON.parse(r.cards) as StoredMessage['cards'];
  if (r.about !== null) m.about = JSON.parse(r.about) as StoredMessage['about'];
  return m;
}
