import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createTieredCache, type CachePolicy, type TieredCache } from '../../src/cache/tiered-cache.ts';
import { createInProcessStore, type InProcessStore } from '../../src/cache/in-process-store.ts';
import { createRedisStore } from '../../src/cache/redis-store.ts';
import { createRedisBus } from '../../src/cache/redis-bus.ts';
import type { InvalidationBus } from '../../src/cache/types.ts';
import { createGuards } from '../../src/resilience/registry.ts';
import { createFaultInjector } from '../../src/resilience/faults.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startSlowProxy, type SlowProxy } from '../helpers/slow-proxy.ts';

// Two "nodes" = two tiered caches, each with its own in-process tier and its own Redis
// connections (read, write, subscribe), sharing one real redis-server: a Redis L2 store and a
// Redis pub/sub bus, guarded like src/app.ts guards them ('cache' for reads and invalidations,
// 'cache-write' for background writes).

let server: TestRedis;
let admin: Redis;
let n = 0;
const unique = () => `t${++n}`;
const clients: Redis[] = [];

before(async () => {
  server = await startRedis();
  admin = new Redis(server.url);
});
after(async () => {
  for (const c of clients) c.disconnect();
  admin.disconnect();
  await server.stop();
});

/** A client as src/app.ts makes them (fail fast while disconnected), reconnecting quickly. */
function client(url: string, name: string, offlineQueue = false): Redis {
  const redis = new Redis(url, { enableOfflineQueue: offlineQueue, maxRetriesPerRequest: 0, retryStrategy: () => 50, connectionName: name });
  redis.on('error', () => {}); // refused reconnects while a server is down are expected here
  clients.push(redis);
  return redis;
}

/** `promise`, or a test failure after `ms`: nothing here may wait forever. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function ready(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') await within(once(redis, 'ready'), 5000, 'a Redis connection');
}

interface RedisNode {
  name: string;
  l1: InProcessStore;
  tiered: TieredCache;
  bus: InvalidationBus;
  gaps: () => number;
  lookups: (result: string) => number;
  l2: (op: string, outcome?: string) => number;
  close(): Promise<void>;
}

interface NodeOptions {
  /** Isolates the test's keys and invalidation channel. */
  space: string;
  redisUrl?: string;
  readerUrl?: string;
  writerUrl?: string;
  l2ReadTimeoutMs?: number;
  l2WriteTimeoutMs?: number;
}

async function redisNode(name: string, opts: NodeOptions): Promise<RedisNode> {
  const url = opts.redisUrl ?? server.url;
  const reader = client(opts.readerUrl ?? url, `${name}-read`);
  const writer = client(opts.writerUrl ?? url, `${name}-write`);
  const subscriber = client(url, `${name}-subscribe`, true);
  // The subscriber too: ioredis 5.11 writes a SUBSCRIBE issued during its connection handshake
  // (status 'connect') ahead of its ready check, whose INFO the server then refuses; the
  // connection drops and comes back, and the bus rightly reports that as a gap (clearing L1 at a
  // random moment of the test). redis/ioredis#2037. src/app.ts subscribes while the client is
  // still 'connecting' (queued until ready), which is safe.
  await Promise.all([ready(reader), ready(writer), ready(subscriber)]);
  const bus = await createRedisBus({ publisher: writer, subscriber, channel: `${opts.space}:invalidate`, onError: () => {} });
  // The shape of src/app.ts's guards, with a short open time so recovery shows within the test.
  const guards = createGuards(['cache', 'cache-write'] as const, (dependency) => ({
    dependency,
    faults: createFaultInjector(),
    retry: { maxRetries: 2, baseMs: 5, maxMs: 20, budget: { ratio: 0.2, minPerSec: 5, windowMs: 10_000 } },
    breaker: { failureRatio: 0.5, windowMs: 2_000, minimumRps: 2, openMs: 200, latencyWindowMs: 30_000, latencyMinSamples: 20 },
    bulkhead: { concurrency: dependency === 'cache-write' ? 64 : 32, queue: 1024, checkoutTimeoutMs: 100 },
  }));
  const l1 = createInProcessStore({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, maxEntryBytes: 1024 * 1024 });
  const lookups = new Map<string, number>();
  const l2 = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const tiered = createTieredCache({
    l1,
    l2: createRedisStore({ redis: reader, writer, prefix: `${opts.space}:`, maxEntryBytes: 1024 * 1024 }),
    l2Guard: guards.get('cache'),
    l2WriteGuard: guards.get('cache-write'),
    // Generous by default, so a busy test machine does not turn L2 hits into misses.
    l2ReadTimeoutMs: opts.l2ReadTimeoutMs ?? 1000,
    l2WriteTimeoutMs: opts.l2WriteTimeoutMs ?? 3000,
    bus,
    events: {
      lookup: (_c, result) => bump(lookups, result),
      l2: (op, outcome) => {
        bump(l2, op);
        bump(l2, `${op}:${outcome}`);
      },
    },
    onBackgroundError: () => {},
  });
  let gaps = 0;
  bus.onGap(() => gaps++);
  return {
    name,
    l1,
    tiered,
    bus,
    gaps: () => gaps,
    lookups: (result) => lookups.get(result) ?? 0,
    l2: (op, outcome) => l2.get(outcome ? `${op}:${outcome}` : op) ?? 0,
    async close() {
      await tiered.close();
      await bus.close().catch(() => {});
      for (const c of [reader, writer, subscriber]) c.disconnect();
    },
  };
}

function policy<V>(over: Partial<CachePolicy<V>> = {}): CachePolicy<V> {
  return {
    name: 'test',
    ttlMs: 60_000,
    jitter: 0.1,
    staleMs: 10_000,
    earlyRefresh: 0,
    loadTimeoutMs: 5_000,
    shared: true,
    tags: (_v, key) => [`item:${key}`, 'all'],
    ...over,
  };
}

function counter<V>(value: (key: string, n: number) => V) {
  let calls = 0;
  return {
    load: (key: string) => async () => value(key, ++calls),
    calls: () => calls,
  };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('tiered cache over Redis: two nodes', () => {
  it('node B reads what node A loaded from L2, without an origin call', async () => {
    const space = unique();
    const a = await redisNode('a', { space });
    const b = await redisNode('b', { space });
    try {
      const ca = a.tiered.cache(policy<{ title: string }>());
      const cb = b.tiered.cache(policy<{ title: string }>());
      const oa = counter((key) => ({ title: `from A: ${key}` }));
      const ob = counter((key) => ({ title: `from B: ${key}` }));
      assert.deepEqual(await ca.get('k', oa.load('k')), { title: 'from A: k' });
      await a.tiered.settled();
      assert.equal(a.l2('write', 'ok'), 1);
      assert.deepEqual(await cb.get('k', ob.load('k')), { title: 'from A: k' });
      assert.equal(ob.calls(), 0, 'no origin call on B');
      assert.equal(b.lookups('l2_hit'), 1);
      assert.deepEqual(await cb.get('k', ob.load('k')), { title: 'from A: k' });
      assert.equal(b.lookups('hit'), 1, 'adopted into B\'s L1');
      // Absent values travel too, and getMany reads them in one round trip.
      await ca.getMany(['m1', 'm2', 'none'], async (keys) => new Map(keys.filter((k) => k !== 'none').map((k) => [k, { title: `many ${k}` }])));
      await a.tiered.settled();
      let batchCalls = 0;
      const many = await cb.getMany(['m1', 'none', 'm2'], async () => (batchCalls++, new Map()));
      assert.deepEqual([...many.entries()], [['m1', { title: 'many m1' }], ['m2', { title: 'many m2' }]]);
      assert.equal(batchCalls, 0, 'all three (one absent) came from L2');
      assert.equal(b.lookups('l2_hit'), 4);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('writes are fire-and-forget: get resolves before a slow L2 write completes', async () => {
    const space = unique();
    const proxy = await startSlowProxy({ target: { host: '127.0.0.1', port: server.port }, delayMs: 200 });
    const a = await redisNode('a', { space, writerUrl: proxy.url });
    try {
      const ca = a.tiered.cache(policy<string>());
      const started = performance.now();
      assert.equal(await ca.get('k', async () => 'value'), 'value');
      const ms = performance.now() - started;
      assert.ok(ms < 50, `get took ${ms.toFixed(1)} ms with Redis writes delayed by 200 ms`);
      assert.equal(await admin.exists(`${space}:test:k`), 0, 'the write is still held back');
      await a.tiered.settled();
      assert.equal(await admin.exists(`${space}:test:k`), 1, 'and lands later');
      assert.equal(a.l2('write', 'ok'), 1);
      console.log(`get with L2 writes delayed 200 ms: ${ms.toFixed(1)} ms`);
    } finally {
      await a.close();
      await proxy.close();
    }
  });

  it('slow writes (20 ms) do not shift the latency of L1-miss gets', async () => {
    const space = unique();
    const proxy = await startSlowProxy({ target: { host: '127.0.0.1', port: server.port }, delayMs: 0 });
    const a = await redisNode('a', { space, writerUrl: proxy.url, l2WriteTimeoutMs: 1000 });
    try {
      const ca = a.tiered.cache(policy<string>());
      const run = async (label: string, count: number) => {
        const ms: number[] = [];
        for (let i = 0; i < count; i++) {
          const started = performance.now();
          await ca.get(`${label}${i}`, async () => 'value');
          ms.push(performance.now() - started);
        }
        return ms;
      };
      await run('warm', 50);
      await a.tiered.settled();
      const fast = await run('fast', 200);
      await a.tiered.settled();
      proxy.setDelay(20);
      const slow = await run('slow', 200);
      const diff = p50(slow) - p50(fast);
      console.log(`L1-miss get p50: writes 0 ms ${p50(fast).toFixed(2)} ms, writes 20 ms ${p50(slow).toFixed(2)} ms`);
      assert.ok(diff < 5, `p50 shifted by ${diff.toFixed(2)} ms when writes take 20 ms`);
      assert.ok(a.l2('read', 'ok') >= 450, 'every get read L2 (and missed)');
    } finally {
      await proxy.close(); // drops the writes still held back
      await a.tiered.settled();
      await a.close();
    }
  });

  it('cross-node invalidation: A invalidates a tag, B\'s L1 entry and the L2 entry are gone', async () => {
    const space = unique();
    const a = await redisNode('a', { space });
    const b = await redisNode('b', { space });
    try {
      const ca = a.tiered.cache(policy<string>());
      const cb = b.tiered.cache(policy<string>());
      const oa = counter((key, i) => `${key}@a${i}`);
      const ob = counter((key, i) => `${key}@b${i}`);
      await ca.get('k', oa.load('k'));
      await ca.get('keep', oa.load('keep'));
      await a.tiered.settled();
      assert.equal(await cb.get('k', ob.load('k')), 'k@a1');
      assert.equal(await cb.get('keep', ob.load('keep')), 'keep@a2');
      assert.ok(b.l1.peek('test:k'));
      await a.tiered.invalidate(['item:k']);
      assert.equal(await admin.exists(`${space}:test:k`), 0, 'L2 entry gone');
      assert.equal(await admin.exists(`${space}:test:keep`), 1, 'other L2 entries stay');
      await until(() => b.l1.peek('test:k') === undefined, 2000, "B's L1 entry to go");
      assert.ok(b.l1.peek('test:keep'));
      assert.equal(await cb.get('k', ob.load('k')), 'k@b1', 'B loads anew');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('an L2 write that lands after an invalidation (of a load from before it) is not adopted by a node that heard it', async () => {
    const space = unique();
    // A's writes are held back 300 ms: A's load finishes before the invalidation, its write lands after.
    const proxy = await startSlowProxy({ target: { host: '127.0.0.1', port: server.port }, delayMs: 300 });
    const a = await redisNode('a', { space, writerUrl: proxy.url });
    const b = await redisNode('b', { space });
    const c = await redisNode('c', { space });
    try {
      const ca = a.tiered.cache(policy<string>());
      const cb = b.tiered.cache(policy<string>());
      assert.equal(await ca.get('race', async () => 'old'), 'old');
      const heard = new Promise<void>((resolve) => b.bus.subscribe((tags) => tags.includes('item:race') && resolve()));
      await c.tiered.invalidate(['item:race']); // the data changed: C tells everyone
      await within(heard, 2000, 'B to hear the invalidation');
      await a.tiered.settled();
      assert.equal(await admin.exists(`${space}:test:race`), 1, 'the late write is in Redis');
      let calls = 0;
      assert.equal(await cb.get('race', async () => (calls++, 'new')), 'new', 'B does not believe it');
      assert.equal(calls, 1);
      assert.equal(b.lookups('l2_hit'), 0);
      // Control: an entry stored after the invalidation is adopted.
      proxy.setDelay(0);
      await ca.get('after', async () => 'fresh');
      await a.tiered.settled();
      assert.equal(await cb.get('after', async () => 'origin'), 'fresh');
      assert.equal(b.lookups('l2_hit'), 1);
    } finally {
      await a.close();
      await b.close();
      await c.close();
      await proxy.close();
    }
  });
});

describe('tiered cache over Redis: Redis in trouble', () => {
  it('slow reads (every command +100 ms): gets answer within the 25 ms read deadline plus origin time, never error', async () => {
    const space = unique();
    const proxy = await startSlowProxy({ target: { host: '127.0.0.1', port: server.port }, delayMs: 100, isSlow: () => true });
    const a = await redisNode('a', { space, readerUrl: proxy.url, l2ReadTimeoutMs: 25 });
    try {
      const ca = a.tiered.cache(policy<string>());
      const ORIGIN_MS = 5;
      const ms: number[] = [];
      for (let i = 0; i < 20; i++) {
        const started = performance.now();
        const value = await ca.get(`slow${i}`, async () => (await sleep(ORIGIN_MS), `v${i}`));
        ms.push(performance.now() - started);
        assert.equal(value, `v${i}`);
      }
      console.log(`gets with Redis reads +100 ms: p50 ${p50(ms).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`);
      // A get that waited for its read would take 105 ms or more (and the reads queue up behind
      // each other on the one connection, so the later ones even longer).
      assert.ok(p50(ms) < 25 + ORIGIN_MS + 15, `p50 ${p50(ms).toFixed(1)} ms`);
      assert.ok(Math.max(...ms) < 150, `a get waited for the slow read: ${Math.max(...ms).toFixed(1)} ms`);
      assert.equal(a.l2('read', 'ok'), 0);
      assert.equal(a.l2('read', 'error') + a.l2('read', 'skipped'), 20, 'every read counted as failed or skipped');
    } finally {
      await proxy.close();
      await a.close();
    }
  });

  it('Redis down: gets go on from L1 and the origin; when it is back, both nodes report a gap, clear L1, and L2 reads resume', async () => {
    const own = await startRedis(); // its own server: stopping it must not disturb the other tests
    const space = unique();
    const a = await redisNode('a', { space, redisUrl: own.url, l2ReadTimeoutMs: 200 });
    const b = await redisNode('b', { space, redisUrl: own.url, l2ReadTimeoutMs: 200 });
    try {
      const ca = a.tiered.cache(policy<string>());
      const cb = b.tiered.cache(policy<string>());
      const oa = counter((key, i) => `${key}@a${i}`);
      const ob = counter((key, i) => `${key}@b${i}`);
      await ca.get('k', oa.load('k'));
      await a.tiered.settled();
      assert.equal(await cb.get('k', ob.load('k')), 'k@a1');
      assert.equal(ob.calls(), 0);

      await own.stop();
      for (let i = 0; i < 20; i++) {
        assert.equal(await ca.get('k', oa.load('k')), 'k@a1', 'from L1');
        assert.equal(await cb.get('k', ob.load('k')), 'k@a1', 'from L1');
        assert.equal(await ca.get(`down${i}`, oa.load(`down${i}`)), `down${i}@a${i + 2}`, 'from the origin');
      }
      await a.tiered.settled();
      assert.equal(a.l2('read', 'error') + a.l2('read', 'skipped'), 20, 'failed L2 reads counted');
      assert.equal(a.l2('write', 'error') + a.l2('write', 'skipped'), 20, 'failed L2 writes counted');
      assert.ok(a.l2('read', 'error') >= 1 && a.l2('write', 'error') >= 1);
      assert.equal(a.gaps() + b.gaps(), 0);

      await own.restart(); // empty: everything L2 held is gone
      await until(() => a.gaps() === 1 && b.gaps() === 1, 5000, 'both nodes to report a gap');
      assert.equal(a.l1.stats().entries, 0, "A's L1 cleared");
      assert.equal(b.l1.stats().entries, 0, "B's L1 cleared");
      assert.equal(await cb.get('k', ob.load('k')), 'k@b1', 'B reads anew');

      // L2 reads resume once the breakers let calls through again.
      let i = 0;
      await until(async () => {
        const key = `back${i++}`;
        await ca.get(key, oa.load(key));
        await a.tiered.settled();
        const hits = b.lookups('l2_hit');
        await cb.get(key, ob.load(key));
        return b.lookups('l2_hit') > hits;
      }, 5000, 'B to read what A wrote to L2 again');
    } finally {
      await a.close();
      await b.close();
      await own.stop();
    }
  });

  it('Redis full (maxmemory, noeviction): new keys still load, write errors are counted, existing keys are still read', async () => {
    const own = await startRedis();
    const ownAdmin = new Redis(own.url);
    const space = unique();
    const a = await redisNode('a', { space, redisUrl: own.url });
    const b = await redisNode('b', { space, redisUrl: own.url });
    try {
      const ca = a.tiered.cache(policy<string>());
      const cb = b.tiered.cache(policy<string>());
      await ca.get('existing', async () => 'stored before Redis filled up');
      await a.tiered.settled();

      await ownAdmin.config('SET', 'maxmemory-policy', 'noeviction');
      await ownAdmin.config('SET', 'maxmemory', '1mb');
      let full = false;
      for (let i = 0; i < 200 && !full; i++) {
        await ownAdmin.set(`fill:${i}`, 'x'.repeat(64 * 1024)).catch((error: Error) => {
          assert.match(error.message, /OOM/);
          full = true;
        });
      }
      assert.ok(full, 'Redis refuses writes');

      for (let i = 0; i < 5; i++) assert.equal(await ca.get(`new${i}`, async () => `new ${i}`), `new ${i}`);
      await a.tiered.settled();
      assert.equal(a.l2('write', 'error') + a.l2('write', 'skipped'), 5);
      assert.ok(a.l2('write', 'error') >= 1, 'write errors reported');
      assert.equal(await ownAdmin.exists(`${space}:test:new0`), 0);

      let calls = 0;
      assert.equal(await cb.get('existing', async () => (calls++, 'origin')), 'stored before Redis filled up');
      assert.equal(calls, 0, 'existing keys are still read from L2');
      assert.equal(b.lookups('l2_hit'), 1);
    } finally {
      await a.close();
      await b.close();
      ownAdmin.disconnect();
      await own.stop();
    }
  });
});
