import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTieredCache, type CachePolicy } from '../../src/cache/tiered-cache.ts';
import { createInProcessStore } from '../../src/cache/in-process-store.ts';
import type { CacheStore } from '../../src/cache/types.ts';
import { createGuards } from '../../src/resilience/registry.ts';
import { createFaultInjector } from '../../src/resilience/faults.ts';

// A policy's own L2 read deadline (CachePolicy.l2ReadTimeoutMs): the shared links wait longer for
// Redis than the tier's 25 ms, because what follows a missed deadline is a read of a hot key.

/** An L2 tier whose reads answer after `delayMs` (a Redis reply read late), holding one entry per key once written. */
function lateStore(delayMs: number): CacheStore {
  const inner = createInProcessStore({ maxEntries: 100, maxBytes: 1 << 20, maxEntryBytes: 1 << 16 });
  return {
    name: 'late',
    get: (key) => new Promise((resolve) => setTimeout(() => resolve(inner.get(key)), delayMs)),
    getMany: (keys) => inner.getMany(keys),
    set: (key, entry) => inner.set(key, entry),
    delete: (keys) => inner.delete(keys),
    invalidateTags: (tags) => inner.invalidateTags(tags),
    close: () => inner.close(),
  };
}

function tier(l2: CacheStore) {
  const guards = createGuards(['cache'] as const, (dependency) => ({
    dependency,
    faults: createFaultInjector(),
    retry: { maxRetries: 0, baseMs: 5, maxMs: 20, budget: { ratio: 0.2, minPerSec: 5, windowMs: 10_000 } },
    breaker: { failureRatio: 0.99, windowMs: 2_000, minimumRps: 1000, openMs: 200, latencyWindowMs: 30_000, latencyMinSamples: 1000 },
    bulkhead: { concurrency: 32, queue: 1024, checkoutTimeoutMs: 100 },
  }));
  return createTieredCache({ l1: createInProcessStore({ maxEntries: 100, maxBytes: 1 << 20, maxEntryBytes: 1 << 16 }), l2, l2Guard: guards.get('cache'), l2ReadTimeoutMs: 25, l2WriteTimeoutMs: 1000 });
}

const policy = (extra: Partial<CachePolicy<string>> = {}): CachePolicy<string> => ({ name: 'p', ttlMs: 60_000, jitter: 0, staleMs: 0, earlyRefresh: 0, loadTimeoutMs: 1000, shared: true, tags: () => [], ...extra });

describe('tiered cache: a policy\'s own L2 read deadline', () => {
  it('waits for an L2 answer past the tier\'s deadline when the policy says so; without it, the origin answers', async () => {
    const l2 = lateStore(120);
    const writer = tier(l2);
    await writer.cache(policy()).get('k', async () => 'from-origin-1');
    await writer.settled();

    let originCalls = 0;
    const load = async () => `from-origin-${++originCalls + 1}`;
    const impatient = tier(l2);
    assert.equal(await impatient.cache(policy()).get('k', load), 'from-origin-2', "the tier's 25 ms: a miss");
    assert.equal(originCalls, 1);
    await impatient.settled(); // that miss wrote its value to L2 too
    assert.equal(await tier(l2).cache(policy({ l2ReadTimeoutMs: 2000 })).get('k', load), 'from-origin-2', 'waited for L2');
    assert.equal(originCalls, 1, 'no origin load');
  });
});
