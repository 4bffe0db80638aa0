import type { DatabaseSync } from 'node:sqlite';
import type { ShareStore, SharedView } from './types.ts';

// One row per share: the view as JSON (it is only ever read whole), its owner key and its expiry.
// The view never changes, so the row is written once and deleted once.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS shared_conversations (
  share_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  view TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS shared_conversations_expiry ON shared_conversations (expires_at);
`;

interface Row {
  owner: string;
  view: string;
}

/** Shared conversations in an embedded SQLite database; the caller owns `db` (close() leaves it open). */
export function createSqliteShares(db: DatabaseSync, options: { now?: () => number } = {}): ShareStore {
  const now = options.now ?? Date.now;
  db.exec(SCHEMA);
  // INSERT OR IGNORE is the conditional create: a taken id changes nothing and reports 0 rows.
  const insert = db.prepare('INSERT OR IGNORE INTO shared_conversations (share_id, owner, created_at, expires_at, view) VALUES (?, ?, ?, ?, ?)');
  const select = db.prepare('SELECT owner, view FROM shared_conversations WHERE share_id = ? AND expires_at > ?');
  const sweep = db.prepare('DELETE FROM shared_conversations WHERE expires_at <= ?');
  let closed = false;
  const check = (signal?: AbortSignal) => {
    if (closed) throw new Error('share store is closed');
    signal?.throwIfAborted();
  };
  return {
    async create(record, opts) {
      check(opts?.signal);
      const { view } = record;
      return Number(insert.run(view.shareId, record.owner, view.createdAt, view.expiresAt, JSON.stringify(view)).changes) === 1;
    },
    async get(shareId, opts) {
      check(opts?.signal);
      const row = select.get(shareId, now()) as Row | undefined;
      return row ? { owner: row.owner, view: JSON.parse(row.view) as SharedView } : undefined;
    },
    async delete(shareId, owners, opts) {
      check(opts?.signal);
      if (owners.length === 0) return false;
      const marks = owners.map(() => '?').join(', ');
      const removed = db.prepare(`DELETE FROM shared_conversations WHERE share_id = ? AND owner IN (${marks})`).run(shareId, ...owners);
      return Number(removed.changes) > 0;
    },
    async expire(at) {
      check();
      return Number(sweep.run(at ?? now()).changes);
    },
    close() {
      closed = true;
    },
  };
}

