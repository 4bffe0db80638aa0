import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/loadgen/random.ts';
import { createTieredCache, type CacheEvents, type CachePolicy, type TieredCache } from '../../src/cache/tiered-cache.ts';
import { createInProcessStore, type InProcessStore } from '../../src/cache/in-process-store.ts';
import { createInProcessBus } from '../../src/cache/in-process-bus.ts';
import type { InvalidationBus } from '../../src/cache/types.ts';

// The read-through cache over its in-process tier only, on a manual clock and a seeded random
// source: every expiry, jitter draw and early-refresh coin toss is reproducible.

/** The load generator's seeded source, so jitter and early-refresh draws are the same on every run. */
const seeded = (seed: number): (() => number) => createRng(seed).float;

function manualClock(start = 1_800_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending microtask and I/O callback run (background refreshes settle). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Node {
  clock: ReturnType<typeof manualClock>;
  l1: InProcessStore;
  tiered: TieredCache;
  lookups: (result: string) => number;
  origins: { reason: string; outcome: string }[];
  backgroundErrors: unknown[];
  resetCounts(): void;
}

function node(opts: { seed?: number; bus?: InvalidationBus; clock?: ReturnType<typeof manualClock> } = {}): Node {
  const clock = opts.clock ?? manualClock();
  const l1 = createInProcessStore({ maxEntries: 100_000, maxBytes: 512 * 1024 * 1024, maxEntryBytes: 1024 * 1024, now: clock.now });
  const lookupCounts = new Map<string, number>();
  const origins: { reason: string; outcome: string }[] = [];
  const backgroundErrors: unknown[] = [];
  const events: CacheEvents = {
    lookup: (_cache, result) => lookupCounts.set(result, (lookupCounts.get(result) ?? 0) + 1),
    origin: (_cache, reason, outcome) => origins.push({ reason, outcome }),
  };
  const tiered = createTieredCache({
    l1,
    l2ReadTimeoutMs: 25,
    l2WriteTimeoutMs: 1000,
    bus: opts.bus,
    events,
    onBackgroundError: (_what, error) => backgroundErrors.push(error),
    now: clock.now,
    random: seeded(opts.seed ?? 42),
  });
  return {
    clock,
    l1,
    tiered,
    lookups: (result) => lookupCounts.get(result) ?? 0,
    origins,
    backgroundErrors,
    resetCounts() {
      lookupCounts.clear();
      origins.length = 0;
    },
  };
}

const TTL = 300_000;

function policy<V>(over: Partial<CachePolicy<V>> = {}): CachePolicy<V> {
  return {
    name: 'test',
    ttlMs: TTL,
    jitter: 0.1,
    staleMs: 60_000,
    earlyRefresh: 0,
    loadTimeoutMs: 5_000,
    shared: true, // no L2 here: the shared path must work without one
    tags: (_v, key) => [`item:${key}`, 'all'],
    ...over,
  };
}

/** A load function that counts its calls; `gate` (when set) holds every call until released. */
function origin<V>(value: (n: number) => V) {
  let calls = 0;
  let gate: ReturnType<typeof deferred<void>> | undefined;
  const signals: AbortSignal[] = [];
  return {
    load: async (signal: AbortSignal): Promise<V> => {
      const n = ++calls;
      signals.push(signal);
      if (gate) await gate.promise;
      return value(n);
    },
    calls: () => calls,
    signals,
    hold() {
      gate = deferred<void>();
    },
    release() {
      gate?.resolve();
      gate = undefined;
    },
  };
}

const N = 1000;

describe('tiered cache: stampede protection', () => {
  it('1,000 concurrent gets of a key whose entry expired beyond its stale window: one origin call, one value for all', async () => {
    const n = node();
    const p = policy<string>({ jitter: 0 });
    const cache = n.tiered.cache(p);
    const o = origin((i) => `v${i}`);
    assert.equal(await cache.get('k', o.load), 'v1');
    n.clock.advance(p.ttlMs + p.staleMs + 1); // hard miss: past staleUntil
    o.hold();
    const all = Array.from({ length: N }, () => cache.get('k', o.load));
    await flush();
    assert.equal(o.calls(), 2, 'exactly one origin call for the 1,000 readers');
    o.release();
    const values = await Promise.all(all);
    assert.ok(values.every((v) => v === 'v2'));
    assert.equal(n.lookups('stale'), 0, 'nothing served from past the stale window');
    assert.equal(n.lookups('coalesced'), N - 1);
    assert.equal(await cache.get('k', o.load), 'v2');
    assert.equal(o.calls(), 2, 'and it is cached afterwards');
  });

  it('1,000 concurrent gets of a key never cached: one origin call', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<{ id: string }>());
    const o = origin((i) => ({ id: `never-${i}` }));
    o.hold();
    const all = Array.from({ length: N }, () => cache.get('never', o.load));
    await flush();
    o.release();
    const values = await Promise.all(all);
    assert.equal(o.calls(), 1);
    assert.ok(values.every((v) => v?.id === 'never-1'));
    // Every reader shares the one (frozen) object.
    assert.ok(values.every((v) => v === values[0]));
  });

  it('1,000 concurrent gets inside the stale window: all get the stale value at once, one background refresh', async () => {
    const n = node();
    const p = policy<string>({ jitter: 0 });
    const cache = n.tiered.cache(p);
    const o = origin((i) => `v${i}`);
    await cache.get('k', o.load);
    n.clock.advance(p.ttlMs + p.staleMs / 2); // stale, not gone
    o.hold(); // the refresh does not finish while the readers are answered
    const values = await Promise.all(Array.from({ length: N }, () => cache.get('k', o.load)));
    assert.ok(values.every((v) => v === 'v1'), 'the stale value, without waiting for the refresh');
    assert.equal(o.calls(), 2, 'exactly one background refresh');
    assert.equal(n.lookups('stale'), N);
    o.release();
    await flush();
    assert.deepEqual(n.origins.at(-1), { reason: 'refresh', outcome: 'ok' });
    assert.equal(await cache.get('k', o.load), 'v2');
    assert.equal(o.calls(), 2);
  });

  it('1,000 concurrent getMany over overlapping key sets: each key loaded once', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<string>());
    const random = seeded(7);
    const universe = Array.from({ length: 200 }, (_, i) => `k${i}`);
    const absent = new Set(universe.filter((_, i) => i % 10 === 0)); // the origin has no such thing
    const loadsPerKey = new Map<string, number>();
    let batches = 0;
    const gate = deferred<void>();
    const loadMany = async (keys: string[]) => {
      batches++;
      for (const k of keys) loadsPerKey.set(k, (loadsPerKey.get(k) ?? 0) + 1);
      await gate.promise;
      return new Map(keys.filter((k) => !absent.has(k)).map((k) => [k, `value of ${k}`]));
    };
    const asks = Array.from({ length: N }, () => Array.from({ length: 20 }, () => universe[Math.floor(random() * universe.length)]));
    const all = asks.map((keys) => cache.getMany(keys, loadMany));
    await flush();
    gate.resolve();
    const results = await Promise.all(all);
    assert.ok(loadsPerKey.size > 190, `most keys were asked for (${loadsPerKey.size})`);
    for (const [key, loads] of loadsPerKey) assert.equal(loads, 1, `${key} loaded ${loads} times`);
    assert.ok(batches < N, `batches: ${batches}`);
    results.forEach((result, i) => {
      const expected = [...new Set(asks[i])].filter((k) => !absent.has(k));
      assert.deepEqual([...result.keys()], expected, 'present keys, in the order asked');
      for (const k of expected) assert.equal(result.get(k), `value of ${k}`);
    });
    // Everything asked for, absent keys included, is now cached: asking for every key loads only
    // the few no reader had asked for, once.
    const again = await cache.getMany(universe, loadMany);
    assert.equal(again.size, universe.length - absent.size);
    for (const key of universe) assert.equal(loadsPerKey.get(key), 1, key);
  });

  it('getMany joins single gets in flight and vice versa', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<string>());
    const o = origin(() => 'single');
    o.hold();
    const single = cache.get('a', o.load);
    const batchLoads: string[][] = [];
    const gate = deferred<void>();
    const loadMany = async (keys: string[]) => {
      batchLoads.push(keys);
      await gate.promise;
      return new Map(keys.map((k) => [k, `batch ${k}`]));
    };
    const many = cache.getMany(['a', 'b'], loadMany);
    const b = cache.get('b', o.load);
    await flush();
    assert.deepEqual(batchLoads, [['b']], 'a was already in flight');
    assert.equal(o.calls(), 1, 'b joined the batch');
    o.release();
    gate.resolve();
    assert.equal(await single, 'single');
    assert.deepEqual([...(await many).entries()], [['a', 'single'], ['b', 'batch b']]);
    assert.equal(await b, 'batch b');
  });
});

describe('tiered cache: probabilistic early refresh (XFetch)', () => {
  /** Reads every key `perSecond` times per simulated second from now until `untilMs` later. */
  async function readSteadily(n: Node, read: (i: number) => void, keys: number, perSecond: number, untilMs: number): Promise<void> {
    const step = 1000 / perSecond;
    for (let elapsed = 0; elapsed < untilMs; elapsed += step) {
      n.clock.advance(step);
      for (let i = 0; i < keys; i++) read(i);
      await flush();
    }
  }

  it('off (earlyRefresh = 0): no origin call before expiry, however hot the key', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<string>({ jitter: 0, earlyRefresh: 0 }));
    const o = origin((i) => `v${i}`);
    await cache.get('hot', o.load);
    const freshUntil = n.l1.peek('test:hot')!.entry.freshUntil;
    await readSteadily(n, () => void cache.get('hot', o.load), 1, 50, freshUntil - n.clock.now() - 20);
    assert.ok(n.clock.now() < freshUntil);
    assert.equal(o.calls(), 1, 'not refreshed before expiry');
    n.clock.advance(20);
    await cache.get('hot', o.load);
    await flush();
    assert.equal(o.calls(), 2, 'refreshed once expired (stale-while-revalidate)');
    assert.deepEqual(n.origins.at(-1), { reason: 'refresh', outcome: 'ok' });
  });

  it('on: hot keys are refreshed before they expire, at times spread out, with no hard miss and nothing served stale', async () => {
    const n = node({ seed: 1234 });
    // No jitter: every key expires at the same moment, so any spread comes from XFetch alone.
    const cache = n.tiered.cache(policy<string>({ jitter: 0, earlyRefresh: 0.05 }));
    const KEYS = 40;
    const firstRefresh = new Map<number, { at: number; freshUntil: number }>();
    const loads = Array.from({ length: KEYS }, (_, i) => async () => {
      const previous = n.l1.peek(`test:k${i}`)?.entry;
      if (previous && !firstRefresh.has(i)) firstRefresh.set(i, { at: n.clock.now(), freshUntil: previous.freshUntil });
      return `k${i}@${n.clock.now()}`;
    });
    const started = n.clock.now();
    for (let i = 0; i < KEYS; i++) await cache.get(`k${i}`, loads[i]);
    n.resetCounts();
    await readSteadily(n, (i) => void cache.get(`k${i}`, loads[i]), KEYS, 50, TTL + 20_000);

    assert.equal(n.lookups('miss'), 0, 'no hard miss after warm-up');
    assert.equal(n.lookups('stale'), 0, 'never served past its TTL');
    assert.equal(firstRefresh.size, KEYS, 'every hot key was refreshed');
    for (const [i, r] of firstRefresh) assert.ok(r.at < r.freshUntil, `k${i} refreshed at ${r.at - started} ms, after its expiry ${r.freshUntil - started}`);
    assert.ok(n.origins.every((o) => o.reason === 'early' && o.outcome === 'ok'));
    const times = [...firstRefresh.values()].map((r) => r.at - started);
    const seconds = new Set(times.map((t) => Math.floor(t / 1000)));
    const spread = Math.max(...times) - Math.min(...times);
    const leads = [...firstRefresh.values()].map((r) => r.freshUntil - r.at);
    console.log(`XFetch, 40 hot keys expiring together: refreshed ${(Math.min(...leads) / 1000).toFixed(1)}..${(Math.max(...leads) / 1000).toFixed(1)} s before expiry, over ${seconds.size} distinct seconds (spread ${(spread / 1000).toFixed(1)} s)`);
    assert.ok(seconds.size >= 20, `refreshes fell in only ${seconds.size} distinct seconds`);
    assert.ok(spread >= 30_000, `refreshes spread over only ${spread} ms`);
  });

  it('on: a rarely read key is almost never refreshed early', async () => {
    const n = node({ seed: 99 });
    const p = policy<string>({ jitter: 0, earlyRefresh: 0.05 });
    const cache = n.tiered.cache(p);
    const random = seeded(5);
    const KEYS = 400;
    const o = origin((i) => `v${i}`);
    for (let i = 0; i < KEYS; i++) await cache.get(`rare${i}`, o.load);
    n.resetCounts();
    // Each key read once, at a random moment of its fresh life.
    const readAt = Array.from({ length: KEYS }, () => Math.floor(random() * TTL));
    const order = readAt.map((at, i) => ({ at, i })).sort((a, b) => a.at - b.at);
    let elapsed = 0;
    for (const { at, i } of order) {
      n.clock.advance(at - elapsed);
      elapsed = at;
      await cache.get(`rare${i}`, o.load);
    }
    await flush();
    const early = n.origins.filter((x) => x.reason === 'early').length;
    // Expected share: about earlyRefresh (the chance that one read lands within ~scale of expiry).
    assert.ok(early / KEYS < 0.1, `${early} of ${KEYS} rarely read keys refreshed early`);
    assert.equal(n.lookups('hit'), KEYS);
  });
});

describe('tiered cache: TTL jitter', () => {
  it('entries stored at the same moment get different expiries within ±jitter·TTL', async () => {
    const n = node({ seed: 3 });
    const cache = n.tiered.cache(policy<string>({ jitter: 0.2 }));
    const t = n.clock.now();
    for (let i = 0; i < 1000; i++) await cache.get(`j${i}`, async () => 'x');
    const expiries = Array.from({ length: 1000 }, (_, i) => n.l1.peek(`test:j${i}`)!.entry.freshUntil - t);
    assert.ok(expiries.every((e) => e >= 0.8 * TTL && e <= 1.2 * TTL), 'within ±20 %');
    assert.ok(new Set(expiries).size > 990, 'practically all different');
    assert.ok(Math.min(...expiries) < 0.82 * TTL && Math.max(...expiries) > 1.18 * TTL, 'spread over the whole range');
  });

  it('jitter 0: identical expiries', async () => {
    const n = node({ seed: 3 });
    const cache = n.tiered.cache(policy<string>({ jitter: 0 }));
    const t = n.clock.now();
    for (let i = 0; i < 100; i++) await cache.get(`j${i}`, async () => 'x');
    const expiries = new Set(Array.from({ length: 100 }, (_, i) => n.l1.peek(`test:j${i}`)!.entry.freshUntil));
    assert.deepEqual([...expiries], [t + TTL]);
  });
});

describe('tiered cache: invalidation and failure semantics', () => {
  it('drops the entries carrying an invalidated tag, and only those', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<string>());
    const a = origin((i) => `a${i}`);
    const b = origin((i) => `b${i}`);
    await cache.get('a', a.load);
    await cache.get('b', b.load);
    n.clock.advance(1);
    await n.tiered.invalidate(['item:a']);
    n.clock.advance(1);
    assert.equal(await cache.get('a', a.load), 'a2');
    assert.equal(await cache.get('b', b.load), 'b1');
    n.clock.advance(1);
    await n.tiered.invalidate(['all']);
    n.clock.advance(1);
    assert.equal(await cache.get('a', a.load), 'a3');
    assert.equal(await cache.get('b', b.load), 'b2');
    await n.tiered.invalidate([]); // nothing to do
  });

  it('a load that started before an invalidation of its tag answers its caller but is not cached', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<string>());
    const o = origin((i) => `v${i}`);
    o.hold();
    const before = cache.get('k', o.load);
    await flush();
    n.clock.advance(5);
    await n.tiered.invalidate(['item:k']);
    n.clock.advance(5);
    o.release();
    assert.equal(await before, 'v1', 'its caller still gets the value');
    assert.equal(n.l1.peek('test:k'), undefined, 'not cached');
    assert.equal(await cache.get('k', o.load), 'v2', 'the next get goes to the origin again');
    assert.equal(await cache.get('k', o.load), 'v2', 'and that one is cached');
    assert.equal(o.calls(), 2);
  });

  it('a get after an invalidation does not join a load that started before it', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<string>());
    const o = origin((i) => `v${i}`);
    o.hold();
    const first = cache.get('k', o.load);
    await flush();
    n.clock.advance(5);
    await n.tiered.invalidate(['item:k']);
    n.clock.advance(5);
    const second = cache.get('k', o.load);
    const third = cache.get('k', o.load);
    await flush();
    assert.equal(o.calls(), 2, 'the second get started its own load; the third joined it');
    o.release();
    assert.equal(await first, 'v1');
    assert.equal(await second, 'v2');
    assert.equal(await third, 'v2');
    assert.equal(await cache.get('k', o.load), 'v2', 'the newer load is cached');
  });

  it('1,000 gets right after an invalidation, on the same clock tick, make one origin call', async () => {
    // Flights and invalidations were once compared by timestamp, so a flight started in the same
    // millisecond as the last invalidation could not be joined.
    const n = node();
    const cache = n.tiered.cache(policy<string>());
    const o = origin((i) => `v${i}`);
    await cache.get('k', o.load);
    n.clock.advance(1);
    await n.tiered.invalidate(['item:k']);
    o.hold();
    const all = Array.from({ length: N }, () => cache.get('k', o.load));
    await flush();
    const calls = o.calls() - 1;
    o.release();
    await Promise.all(all);
    assert.equal(calls, 1, `${calls} origin calls for ${N} readers right after an invalidation`);
  });

  it('invalidations of other data (every conversation append is one) do not stop readers joining a load', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<string>());
    const o = origin((i) => `v${i}`);
    o.hold();
    const all: Promise<string | undefined>[] = [];
    for (let i = 0; i < N; i++) {
      all.push(cache.get('k', o.load));
      // An unrelated tag invalidated between every two readers.
      if (i % 10 === 0) await n.tiered.invalidate([`session:s${i}`]);
    }
    await flush();
    const calls = o.calls();
    o.release();
    await Promise.all(all);
    assert.equal(calls, 1, `${calls} origin calls for ${N} readers with unrelated invalidations in between`);
    // ...while an invalidation of the key's own tag does start a new load for later readers.
    o.hold();
    n.clock.advance(TTL * 3);
    const before = o.calls();
    const first = cache.get('k', o.load);
    await n.tiered.invalidate(['item:k']);
    const second = cache.get('k', o.load);
    await flush();
    assert.equal(o.calls() - before, 2);
    o.release();
    await Promise.all([first, second]);
  });

  it('ttlFor caps the TTL (and 0 means not cached)', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<{ endsInMs: number }>({ jitter: 0.2, ttlFor: (v) => v?.endsInMs }));
    const t = n.clock.now();
    await cache.get('short', async () => ({ endsInMs: 10_000 }));
    assert.equal(n.l1.peek('test:short')!.entry.freshUntil, t + 10_000);
    await cache.get('long', async () => ({ endsInMs: 10 * TTL }));
    const long = n.l1.peek('test:long')!.entry.freshUntil - t;
    assert.ok(long >= 0.8 * TTL && long <= 1.2 * TTL, 'a cap above the TTL leaves the jittered TTL');
    let calls = 0;
    const ended = async () => (calls++, { endsInMs: 0 });
    await cache.get('ended', ended);
    await cache.get('ended', ended);
    assert.equal(calls, 2, 'a value with no time left is not cached');
  });

  it('caches absent values (the origin returns undefined) as absent', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<string>());
    const o = origin(() => undefined);
    assert.equal(await cache.get('nothing', o.load), undefined);
    assert.equal(await cache.get('nothing', o.load), undefined);
    assert.equal(o.calls(), 1);
    assert.equal(n.lookups('hit'), 1);
    // getMany: an absent key is left out of the answer, and not asked for again.
    const asked: string[][] = [];
    const loadMany = async (keys: string[]) => (asked.push(keys), new Map<string, string>());
    assert.equal((await cache.getMany(['x', 'y'], loadMany)).size, 0);
    assert.equal((await cache.getMany(['x', 'y'], loadMany)).size, 0);
    assert.deepEqual(asked, [['x', 'y']]);
  });

  it('origin errors reach every waiter and are not cached', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<string>());
    let calls = 0;
    const gate = deferred<void>();
    const failing = async () => {
      calls++;
      await gate.promise;
      throw new Error('origin down');
    };
    const all = Array.from({ length: N }, () => cache.get('k', failing));
    await flush();
    gate.resolve();
    const settled = await Promise.allSettled(all);
    assert.equal(calls, 1);
    assert.ok(settled.every((s) => s.status === 'rejected' && (s.reason as Error).message === 'origin down'));
    assert.deepEqual(n.origins, [{ reason: 'miss', outcome: 'error' }]);
    assert.equal(await cache.get('k', async () => 'recovered'), 'recovered', 'the error was not cached');
    // getMany: the batch error reaches every reader too.
    const failingMany = async () => {
      throw new Error('batch down');
    };
    const many = await Promise.allSettled([cache.getMany(['m1', 'm2'], failingMany), cache.getMany(['m2', 'm3'], failingMany)]);
    assert.ok(many.every((s) => s.status === 'rejected' && /batch down/.test((s.reason as Error).message)));
  });

  it('serves the stale value when its refresh fails (stale-if-error), until the stale window ends', async () => {
    const n = node();
    const p = policy<string>({ jitter: 0 });
    const cache = n.tiered.cache(p);
    await cache.get('k', async () => 'old');
    n.clock.advance(p.ttlMs + 1);
    const failing = async (): Promise<string> => {
      throw new Error('origin down');
    };
    assert.equal(await cache.get('k', failing), 'old');
    await flush();
    assert.equal(n.backgroundErrors.length, 1, 'the failed refresh is reported');
    assert.deepEqual(n.origins.at(-1), { reason: 'refresh', outcome: 'error' });
    n.clock.advance(1000);
    assert.equal(await cache.get('k', failing), 'old', 'still served; another refresh is tried');
    await flush();
    assert.equal(n.backgroundErrors.length, 2);
    n.clock.advance(p.staleMs);
    await assert.rejects(cache.get('k', failing), /origin down/, 'past the stale window the error shows');
  });

  it("a caller's abort rejects only that caller; the shared load goes on for the others", async () => {
    const n = node();
    const cache = n.tiered.cache(policy<string>());
    const o = origin(() => 'value');
    o.hold();
    const leaving = new AbortController();
    const a = cache.get('k', o.load, { signal: leaving.signal });
    const b = cache.get('k', o.load);
    await flush();
    leaving.abort(new Error('client gone'));
    await assert.rejects(a, /client gone/);
    assert.equal(o.signals[0].aborted, false, "the load's own signal is not aborted by one caller");
    o.release();
    assert.equal(await b, 'value');
    assert.equal(o.calls(), 1);
    assert.equal(await cache.get('k', o.load), 'value', 'and the value was cached');
    assert.equal(o.calls(), 1);
    // getMany honours its signal the same way.
    const gate = deferred<void>();
    const loadMany = async (keys: string[]) => (await gate.promise, new Map(keys.map((k) => [k, k])));
    const gone = new AbortController();
    const m1 = cache.getMany(['x'], loadMany, { signal: gone.signal });
    const m2 = cache.getMany(['x'], loadMany);
    gone.abort(new Error('gone too'));
    await assert.rejects(m1, /gone too/);
    gate.resolve();
    assert.deepEqual([...(await m2).entries()], [['x', 'x']]);
  });

  it('values served from the cache are frozen: a caller cannot change what the next one sees', async () => {
    const n = node();
    const cache = n.tiered.cache(policy<{ title: string; volumes: number[] }>());
    const first = await cache.get('k', async () => ({ title: 'Berserk', volumes: [1, 2] }));
    const second = await cache.get('k', async () => ({ title: 'other', volumes: [] }));
    for (const v of [first!, second!]) {
      assert.ok(Object.isFrozen(v) && Object.isFrozen(v.volumes));
      assert.throws(() => { v.title = 'changed'; }, TypeError);
      assert.throws(() => v.volumes.push(3), TypeError);
    }
    assert.deepEqual(await cache.get('k', async () => ({ title: 'other', volumes: [] })), { title: 'Berserk', volumes: [1, 2] });
  });
});

describe('tiered cache: invalidation bus', () => {
  it('an invalidation on node A drops the entry from node B\'s in-process tier', async () => {
    const bus = createInProcessBus();
    const clock = manualClock();
    const a = node({ bus, clock, seed: 1 });
    const b = node({ bus, clock, seed: 2 });
    const ca = a.tiered.cache(policy<string>());
    const cb = b.tiered.cache(policy<string>());
    const oa = origin((i) => `a${i}`);
    const ob = origin((i) => `b${i}`);
    await ca.get('k', oa.load);
    await cb.get('k', ob.load);
    await cb.get('other', ob.load);
    clock.advance(1);
    await a.tiered.invalidate(['item:k']);
    clock.advance(1);
    assert.equal(b.l1.peek('test:k'), undefined, "B's entry is gone");
    assert.ok(b.l1.peek('test:other'), 'other entries stay');
    assert.equal(await cb.get('k', ob.load), 'b3');
    assert.equal(await ca.get('k', oa.load), 'a2');
    await a.tiered.close();
    await b.tiered.close();
    // Closed: B no longer listens.
    await cb.get('k', ob.load);
    await bus.publish(['item:k']);
    assert.ok(b.l1.peek('test:k'));
  });

  it('a gap on the bus (missed messages) clears the in-process tier, and a load in flight meanwhile is not kept', async () => {
    const gaps = new Set<() => void>();
    const fakeBus: InvalidationBus = {
      name: 'fake',
      async publish() {},
      subscribe: () => () => {},
      onGap(listener) {
        gaps.add(listener);
        return () => gaps.delete(listener);
      },
      async close() {},
    };
    const n = node({ bus: fakeBus });
    const cache = n.tiered.cache(policy<string>());
    const o = origin((i) => `v${i}`);
    await cache.get('a', o.load);
    await cache.get('b', o.load);
    assert.equal(n.l1.stats().entries, 2);
    o.hold();
    const inFlight = cache.get('c', o.load);
    await flush();
    n.clock.advance(1);
    for (const gap of gaps) gap();
    assert.equal(n.l1.stats().entries, 0, 'L1 cleared');
    n.clock.advance(1);
    o.release();
    assert.equal(await inFlight, 'v3');
    assert.equal(n.l1.peek('test:c'), undefined, 'a load that straddled the gap is not cached');
    assert.equal(await cache.get('a', o.load), 'v4', 'reads go to the origin again');
    await n.tiered.close();
    assert.equal(gaps.size, 0, 'close() unsubscribes from gaps');
  });
});

describe('tiered cache: a stale entry adopted from L2', () => {
  it('is refreshed in the background right away, even when this node reads it only once', async () => {
    const clock = manualClock();
    const shared = createInProcessStore({ maxEntries: 100, maxBytes: 1 << 20, maxEntryBytes: 1 << 16, now: clock.now });
    const make = () =>
      createTieredCache({
        l1: createInProcessStore({ maxEntries: 100, maxBytes: 1 << 20, maxEntryBytes: 1 << 16, now: clock.now }),
        l2: shared,
        l2ReadTimeoutMs: 25,
        l2WriteTimeoutMs: 1000,
        now: clock.now,
        random: seeded(7),
      });
    const a = make().cache(policy<string>({ jitter: 0 }));
    const b = make().cache(policy<string>({ jitter: 0 }));
    const o = origin((i) => `v${i}`);
    assert.equal(await a.get('k', o.load), 'v1');
    await flush();
    clock.advance(TTL + 1); // past fresh, inside the stale window
    assert.equal(await b.get('k', o.load), 'v1', 'served stale from L2');
    await flush();
    assert.equal(o.calls(), 2, 'one background refresh started by the node that adopted the stale entry');
  });
});
