import type { ConversationMemory, StoredMessage } from './types.ts';
import type { TieredCache } from '../cache/tiered-cache.ts';
import { TAGS } from '../cache/policy.ts';
import { copyOf } from './copy.ts';

/**
 * Conversation memory with a small read cache in front (the design's DAX lesson): thousands of
 * readers of one session at once make one read of the store, and repeated reads within a few
 * seconds are served in-process. The store stays the source of truth: nothing here is kept in
 * Redis, every append invalidates the session on every node once it has committed, and the TTL
 * bounds how stale another node can be if that invalidation is lost.
 */
export function createCachedMemory(origin: ConversationMemory, tiered: TieredCache, opts: { ttlMs: number; loadTimeoutMs: number }): ConversationMemory {
  const histories = tiered.cache<StoredMessage[]>({
    name: 'session',
    ttlMs: opts.ttlMs,
    jitter: 0,
    staleMs: 0,
    earlyRefresh: 0,
    loadTimeoutMs: opts.loadTimeoutMs,
    shared: false,
    tags: (_v, sessionId) => [TAGS.session(sessionId), TAGS.allSessions],
  });
  return {
    // Copies: the cached messages are shared (and frozen); a caller gets its own, like from the store.
    // `fresh` reads the store itself: another process just wrote this conversation (a message
    // claim it held), and this process's copy may predate that write.
    load: async (sessionId, callOpts) =>
      callOpts?.fresh ? origin.load(sessionId, callOpts) : copyOf((await histories.get(sessionId, (signal) => origin.load(sessionId, { signal }), callOpts)) ?? []),
    async append(sessionId, messages, callOpts) {
      try {
        await origin.append(sessionId, messages, callOpts);
      } finally {
        // After the commit (or a failure that may have committed): a read that started before
        // it will not be cached, and every node drops what it holds. This node's copy is gone
        // before invalidate() first awaits; the broadcast is not awaited, so a slow bus never
        // makes a committed append look failed.
        void tiered.invalidate([TAGS.session(sessionId)], { shared: false });
      }
    },
    hasMessage: (sessionId, messageId, callOpts) => origin.hasMessage(sessionId, messageId, callOpts),
    async expire(now) {
      const removed = await origin.expire(now);
      // Which sessions went is not reported: drop every cached one rather than serve a deleted session.
      if (removed > 0) void tiered.invalidate([TAGS.allSessions], { shared: false });
      return removed;
    },
    close: () => origin.close(),
  };
}
