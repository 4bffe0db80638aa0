import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { CallOptions } from '../shared/call.ts';
import type { ConversationMemory, StoredMessage } from './types.ts';
import { openDatabase } from '../store/sqlite.ts';
import { resolveMemoryOptions, type MemoryOptions } from './options.ts';
import { copyOf } from './copy.ts';

/** Options of the SQLite conversation memory. */
export interface SqliteMemoryOptions extends MemoryOptions {
  /**
   * Whether other connections may write the same file (WORKERS > 1 share it): the live copies are
   * then checked with `PRAGMA data_version` (~8 µs, a read transaction) on every read. One writer
   * alone needs no check. @default true
   */
  sharedFile?: boolean;
}

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
  id: number;
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

/** A live session's window as the database holds it after this connection's last read or write. */
interface LiveSession {
  messages: StoredMessage[];
  /** User message ids accepted, oldest first (the last `idsKept`). */
  ids: Set<string>;
  /** The session row's last_active_at and its newest message row id; undefined: no such session. */
  lastActive: number | undefined;
  lastId: number | undefined;
  /** The `epoch` this copy was last known current in (below). */
  epoch: number;
}

/**
 * Conversation memory in an embedded SQLite database; the caller owns `db` (close() leaves it open).
 *
 * Each live session's window (and its accepted ids) is also kept in process, read once when the
 * session is cold and then updated by every append this connection commits, so a message reads no
 * SQLite. When other connections may write the same file (`sharedFile`), `PRAGMA data_version`
 * tells, in one call, whether anyone else committed since; if so, each kept copy is checked
 * against its session row and newest message id before it is used again, and reread if either moved.
 */
export function createSqliteMemory(db: DatabaseSync, options: SqliteMemoryOptions): ConversationMemory {
  const { window, idsKept, idleTtlMs, liveSessions, now } = resolveMemoryOptions(options);

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
    `SELECT m.id, m.role, m.text, m.message_id, m.intent, m.language, m.series_ids, m.product_ids, m.cards, m.about, m.at
       FROM memory_messages m JOIN memory_sessions s ON s.session_id = m.session_id
      WHERE m.session_id = ? AND s.last_active_at >= ?
      ORDER BY m.id DESC LIMIT ?`,
  );
  const selectId = db.prepare(
    `SELECT 1 AS found FROM memory_seen_ids i JOIN memory_sessions s ON s.session_id = i.session_id
      WHERE i.session_id = ? AND i.message_id = ? AND s.last_active_at >= ?`,
  );
  const deleteIdle = db.prepare('DELETE FROM memory_sessions WHERE last_active_at < ?');
  // The live copies' reads and checks: only when a session is cold or another connection wrote.
  const dataVersion = db.prepare('PRAGMA data_version');
  const selectIds = db.prepare('SELECT message_id FROM memory_seen_ids WHERE session_id = ? ORDER BY id');
  const selectVersion = db.prepare(
    'SELECT last_active_at, (SELECT max(id) FROM memory_messages WHERE session_id = ?1) AS last_id FROM memory_sessions WHERE session_id = ?1',
  );

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

  // Live copies, least recently used first. `epoch` moves when another connection committed:
  // every copy older than it is checked against the database before it is used.
  const live = new Map<string, LiveSession>();
  let epoch = 0;
  const sharedFile = options.sharedFile ?? true;
  let seenVersion = liveSessions > 0 && sharedFile ? Number((dataVersion.get() as { data_version: number }).data_version) : 0;
  /** Moves the epoch if another connection committed since the last look. */
  const noticeOthers = (): void => {
    if (!sharedFile) return;
    const v = Number((dataVersion.get() as { data_version: number }).data_version);
    if (v !== seenVersion) {
      seenVersion = v;
      epoch++;
    }
  };
  const keep = (sessionId: string, session: LiveSession): void => {
    live.delete(sessionId);
    live.set(sessionId, session);
    if (live.size > liveSessions) live.delete(live.keys().next().value!);
  };
  /** The session's current live copy, read from the database when cold, stale or idle past the TTL. */
  const current = (sessionId: string, fresh: boolean): LiveSession => {
    noticeOthers();
    const t = now();
    let session = fresh ? undefined : live.get(sessionId);
    if (session && session.epoch !== epoch) {
      const row = selectVersion.get(sessionId) as { last_active_at: number; last_id: number | null } | undefined;
      if (row?.last_active_at === session.lastActive && (row?.last_id ?? undefined) === session.lastId) session.epoch = epoch;
      else session = undefined;
    }
    if (!session) {
      const rows = selectMessages.all(sessionId, Number.MIN_SAFE_INTEGER, window) as unknown as MessageRow[];
      const messages: StoredMessage[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) messages[rows.length - 1 - i] = fromRow(rows[i]);
      const active = lastActive.get(sessionId) as { last_active_at: number } | undefined;
      const ids = new Set<string>();
      if (active) for (const r of selectIds.all(sessionId) as { message_id: string }[]) ids.add(r.message_id);
      trimIdSet(ids, idsKept);
      session = { messages, ids, lastActive: active?.last_active_at, lastId: rows[0]?.id, epoch };
    }
    keep(sessionId, session);
    // Idle past the TTL: hidden, as the query hides it, until an append starts it afresh.
    return session.lastActive !== undefined && session.lastActive < t - idleTtlMs ? EMPTY : session;
  };
  /** After this connection committed `messages` to the session: its live copy follows, or is dropped when unsure. */
  const followAppend = (sessionId: string, messages: StoredMessage[], written: WrittenTurn): void => {
    if (liveSessions === 0) return;
    let session = written.restarted ? undefined : live.get(sessionId);
    if (!written.restarted) {
      // Not known to be complete (cold, or not checked since another connection wrote): read afresh next time.
      if (!session || session.epoch !== epoch || session.lastActive !== written.prevActive) {
        live.delete(sessionId);
        return;
      }
    }
    session ??= { messages: [], ids: new Set(), lastActive: undefined, lastId: undefined, epoch };
    for (const m of messages) {
      session.messages.push(copyOf(m));
      // As INSERT OR IGNORE: an id accepted before keeps its place.
      if (m.role === 'user') session.ids.add(m.messageId);
    }
    if (session.messages.length > window) session.messages.splice(0, session.messages.length - window);
    trimIdSet(session.ids, idsKept);
    session.lastActive = written.at;
    session.lastId = written.lastId;
    session.epoch = epoch;
    keep(sessionId, session);
  };

  /**
   * Writes one append: touch (or restart) the session, insert, trim. Runs inside a transaction;
   * `again`: the session was already written in this transaction.
   */
  const writeTurn = (sessionId: string, messages: StoredMessage[], t: number, again: boolean): WrittenTurn => {
    const prev = lastActive.get(sessionId) as { last_active_at: number } | undefined;
    const restarted = !prev || prev.last_active_at < t - idleTtlMs;
    // A live copy known to be the session as stored (as followAppend judges it) tells how many rows
    // it holds: while the window and the accepted ids still have room, the trims would delete
    // nothing, and are not run (two DELETEs per message otherwise).
    const copy = liveSessions > 0 && !restarted && !again ? live.get(sessionId) : undefined;
    const stored = copy !== undefined && copy.epoch === epoch && copy.lastActive === prev?.last_active_at ? copy : undefined;
    if (prev && restarted) dropSession.run(sessionId);
    touchSession.run(sessionId, t);
    let userIds = 0;
    let lastId: number | undefined;
    for (const m of messages) {
      lastId = Number(insertMessage.run(
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
      ).lastInsertRowid);
      if (m.role === 'user') {
        insertId.run(sessionId, m.messageId);
        userIds++;
      }
    }
    if (!stored || stored.messages.length + messages.length > window) trimMessages.run(sessionId, window);
    if (userIds > 0 && (!stored || stored.ids.size + userIds > idsKept)) trimIds.run(sessionId, idsKept);
    return { restarted, prevActive: prev?.last_active_at, at: t, lastId };
  };

  /** One transaction of appends; the live copies follow once it has committed. */
  const commitTurns = (batch: readonly { sessionId: string; messages: StoredMessage[] }[], t: number): void => {
    const written: WrittenTurn[] = [];
    inTransaction(() => {
      // Under the write lock: whatever another connection committed is committed by now, and
      // moves the epoch, so no copy unchecked since is followed.
      if (liveSessions > 0) noticeOthers();
      const seen = new Set<string>();
      for (const p of batch) {
        written.push(writeTurn(p.sessionId, p.messages, t, seen.has(p.sessionId)));
        seen.add(p.sessionId);
      }
    });
    for (let i = 0; i < batch.length; i++) followAppend(batch[i].sessionId, batch[i].messages, written[i]);
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
      commitTurns(batch, t);
      for (const p of batch) p.resolve();
    } catch {
      for (const p of batch) {
        try {
          commitTurns([p], t);
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
      // Copies: the live one is this memory's own, and callers may change what they get.
      if (liveSessions > 0) return copyOf(current(sessionId, opts?.fresh === true).messages);
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
      if (liveSessions > 0) return current(sessionId, false).ids.has(messageId);
      return selectId.get(sessionId, messageId, now() - idleTtlMs) !== undefined;
    },

    async expire(at) {
      guard();
      const before = (at ?? now()) - idleTtlMs;
      for (const [sessionId, session] of live) if (session.lastActive === undefined || session.lastActive < before) live.delete(sessionId);
      return Number(deleteIdle.run(before).changes);
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

/** What one append wrote: whether it started the session afresh, its previous and new activity, its newest row. */
interface WrittenTurn {
  restarted: boolean;
  prevActive: number | undefined;
  at: number;
  lastId: number | undefined;
}

/** The idle (or unknown) session as load and hasMessage see it. */
const EMPTY: LiveSession = Object.freeze({ messages: [], ids: new Set<string>(), lastActive: undefined, lastId: undefined, epoch: -1 }) as LiveSession;

/** Keeps the newest `max` ids of an insertion-ordered set. */
function trimIdSet(ids: Set<string>, max: number): void {
  for (const id of ids) {
    if (ids.size <= max) break;
    ids.delete(id);
  }
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
