import type { DatabaseSync } from 'node:sqlite';
import { checkClaim, type ClaimResult, type ClaimsOptions, type MessageClaims } from './message-claims.ts';

// One row per message being answered. A claim is one conditional upsert: it inserts, or takes
// over a row whose lease ran out (or that the same holder already has), and changes nothing
// otherwise, so of two processes sharing the file exactly one wins.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS message_claims (
  session_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  holder TEXT NOT NULL,
  lease_until INTEGER NOT NULL,
  PRIMARY KEY (session_id, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS message_claims_lease ON message_claims (lease_until);
`;

/** How long a lease that ran out without a release (its holder died) is kept before it is swept. */
const SWEEP_AFTER_MS = 10 * 60_000;

/** Message-id claims in an embedded SQLite database (shared by the processes on one file); the caller owns `db`. */
export function createSqliteClaims(db: DatabaseSync, options: ClaimsOptions = {}): MessageClaims {
  const now = options.now ?? Date.now;
  db.exec(SCHEMA);
  const upsert = db.prepare(
    `INSERT INTO message_claims (session_id, message_id, holder, lease_until) VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (session_id, message_id) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
     WHERE message_claims.lease_until < ?5 OR message_claims.holder = excluded.holder`,
  );
  const select = db.prepare('SELECT holder, lease_until FROM message_claims WHERE session_id = ? AND message_id = ?');
  const remove = db.prepare('DELETE FROM message_claims WHERE session_id = ? AND message_id = ? AND holder = ?');
  const sweep = db.prepare('DELETE FROM message_claims WHERE lease_until < ?');
  let closed = false;
  let claimsSinceSweep = 0;
  const check = (signal?: AbortSignal) => {
    if (closed) throw new Error('message claims store is closed');
    signal?.throwIfAborted();
  };
  const claim = (sessionId: string, messageId: string, holder: string, leaseMs: number): ClaimResult => {
    const t = now();
    // Rows of dead holders would otherwise stay forever: swept now and then, long after their lease.
    if (++claimsSinceSweep >= 1000) {
      claimsSinceSweep = 0;
      sweep.run(t - SWEEP_AFTER_MS);
    }
    if (Number(upsert.run(sessionId, messageId, holder, t + leaseMs, t).changes) === 1) return { won: true };
    const row = select.get(sessionId, messageId) as { holder: string; lease_until: number } | undefined;
    // Between the refused upsert and this read the holder released: claim again.
    if (!row) return claim(sessionId, messageId, holder, leaseMs);
    return { won: false, holder: row.holder, leaseUntil: row.lease_until };
  };
  return {
    async claim(sessionId, messageId, holder, leaseMs, opts) {
      check(opts?.signal);
      checkClaim(leaseMs);
      return claim(sessionId, messageId, holder, leaseMs);
    },
    async release(sessionId, messageId, holder, opts) {
      check(opts?.signal);
      return Number(remove.run(sessionId, messageId, holder).changes) === 1;
    },
    close() {
      closed = true;
    },
  };
}
