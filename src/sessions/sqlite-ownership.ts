import type { DatabaseSync } from 'node:sqlite';
import type { OwnershipOptions, SessionOwner, SessionOwnership } from './types.ts';

// One row per conversation: the customer id, or the SHA-256 of a guest's resume token (never
// the token). Kept apart from the message tables: a conversation's messages expire after 30
// idle minutes, but its owner must still be recognised hours later, when an operator's reply
// waits for the customer to come back.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS session_owners (
  session_id TEXT PRIMARY KEY,
  customer_id TEXT,
  token_hash TEXT,
  created_at INTEGER NOT NULL,
  CHECK ((customer_id IS NULL) <> (token_hash IS NULL))
);
CREATE INDEX IF NOT EXISTS session_owners_created ON session_owners (created_at);
`;

interface Row {
  customer_id: string | null;
  token_hash: string | null;
}

/** Session ownership in an embedded SQLite database; the caller owns `db` (close() leaves it open). */
export function createSqliteOwnership(db: DatabaseSync, options: OwnershipOptions): SessionOwnership {
  const now = options.now ?? Date.now;
  db.exec(SCHEMA);
  const select = db.prepare('SELECT customer_id, token_hash FROM session_owners WHERE session_id = ? AND created_at >= ?');
  // An expired row still on disk (expire() not yet run) is replaced, as if it were gone.
  const insert = db.prepare(
    `INSERT INTO session_owners (session_id, customer_id, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (session_id) DO UPDATE SET customer_id = excluded.customer_id, token_hash = excluded.token_hash, created_at = excluded.created_at
     WHERE session_owners.created_at < ?5`,
  );
  const update = db.prepare(
    `UPDATE session_owners SET customer_id = ?, token_hash = ?
      WHERE session_id = ? AND created_at >= ? AND customer_id IS ? AND token_hash IS ?`,
  );
  const deleteOld = db.prepare('DELETE FROM session_owners WHERE created_at < ?');
  let closed = false;
  const check = (signal?: AbortSignal) => {
    if (closed) throw new Error('session ownership store is closed');
    signal?.throwIfAborted();
  };
  const columns = (o: SessionOwner): [string | null, string | null] => (o.kind === 'customer' ? [o.customerId, null] : [null, o.tokenHash]);

  return {
    async ownerOf(sessionId, opts) {
      check(opts?.signal);
      const row = select.get(sessionId, now() - options.ttlMs) as Row | undefined;
      if (!row) return undefined;
      return row.customer_id !== null ? { kind: 'customer', customerId: row.customer_id } : { kind: 'guest', tokenHash: row.token_hash! };
    },
    async claim(sessionId, owner, opts) {
      check(opts?.signal);
      const t = now();
      return Number(insert.run(sessionId, ...columns(owner), t, t - options.ttlMs).changes) === 1;
    },
    async transfer(sessionId, from, to, opts) {
      check(opts?.signal);
      return Number(update.run(...columns(to), sessionId, now() - options.ttlMs, ...columns(from)).changes) === 1;
    },
    async expire(at) {
      check();
      return Number(deleteOld.run((at ?? now()) - options.ttlMs).changes);
    },
    close() {
      closed = true;
    },
  };
}
