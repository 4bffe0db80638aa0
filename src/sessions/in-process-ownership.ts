import type { OwnershipOptions, SessionOwner, SessionOwnership } from './types.ts';
import { sameOwner } from './types.ts';

/** Session ownership in a Map: tests and single-process ephemeral use (lost on restart). */
export function createInProcessOwnership(options: OwnershipOptions): SessionOwnership {
  const now = options.now ?? Date.now;
  const owners = new Map<string, { owner: SessionOwner; createdAt: number }>();
  let closed = false;
  const live = (sessionId: string) => {
    if (closed) throw new Error('session ownership store is closed');
    const row = owners.get(sessionId);
    if (row && row.createdAt < now() - options.ttlMs) {
      owners.delete(sessionId);
      return undefined;
    }
    return row;
  };
  return {
    async ownerOf(sessionId, opts) {
      opts?.signal?.throwIfAborted();
      const row = live(sessionId);
      return row ? { ...row.owner } : undefined;
    },
    async claim(sessionId, owner, opts) {
      opts?.signal?.throwIfAborted();
      if (live(sessionId)) return false;
      owners.set(sessionId, { owner: { ...owner }, createdAt: now() });
      return true;
    },
    async transfer(sessionId, from, to, opts) {
      opts?.signal?.throwIfAborted();
      const row = live(sessionId);
      if (!row || !sameOwner(row.owner, from)) return false;
      row.owner = { ...to };
      return true;
    },
    async expire(at) {
      const cutoff = (at ?? now()) - options.ttlMs;
      let removed = 0;
      for (const [id, row] of owners) {
        if (row.createdAt < cutoff) {
          owners.delete(id);
          removed++;
        }
      }
      return removed;
    },
    close() {
      closed = true;
      owners.clear();
    },
  };
}
