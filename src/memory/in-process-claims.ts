import { checkClaim, type ClaimsOptions, type MessageClaims } from './message-claims.ts';

/** Message-id claims in a Map: one process (tests, a single node); a restart forgets every lease. */
export function createInProcessClaims(options: ClaimsOptions = {}): MessageClaims {
  const now = options.now ?? Date.now;
  const leases = new Map<string, { holder: string; leaseUntil: number }>();
  let closed = false;
  const check = (signal?: AbortSignal) => {
    if (closed) throw new Error('message claims store is closed');
    signal?.throwIfAborted();
  };
  const key = (sessionId: string, messageId: string) => `${sessionId}\u0000${messageId}`;
  return {
    async claim(sessionId, messageId, holder, leaseMs, opts) {
      check(opts?.signal);
      checkClaim(leaseMs);
      const k = key(sessionId, messageId);
      const t = now();
      const current = leases.get(k);
      if (current && current.holder !== holder && current.leaseUntil >= t) return { won: false, holder: current.holder, leaseUntil: current.leaseUntil };
      // Re-inserted, so the Map runs oldest lease first (leases are of one length in practice):
      // leases that ran out without a release (their holder failed) are dropped from the front.
      leases.delete(k);
      leases.set(k, { holder, leaseUntil: t + leaseMs });
      for (const [other, lease] of leases) {
        if (lease.leaseUntil >= t) break;
        leases.delete(other);
      }
      return { won: true };
    },
    async release(sessionId, messageId, holder, opts) {
      check(opts?.signal);
      const k = key(sessionId, messageId);
      if (leases.get(k)?.holder !== holder) return false;
      leases.delete(k);
      return true;
    },
    close() {
      closed = true;
      leases.clear();
    },
  };
}
