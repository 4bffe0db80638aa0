// Cache stampede bench: the tiered cache (src/cache/tiered-cache.ts) on its own, no service.
//
//   node bench/cache-stampede.ts [--json] [--requests 1000] [--origin-ms 20]
//                                [--sim-minutes 20] [--sim-keys 200] [--sim-rate 2000] [--seed 1]
//                                [--early 0,0.05] [--skip-redis]
//   npm run bench:cache
//
// Part A (real time, real Redis from test/helpers/redis.ts for the shared tier): --requests
// concurrent reads of one key whose origin takes --origin-ms and counts its calls:
//   - the entry is past its stale window (gone): one node (L1 only), then two nodes sharing a
//     Redis L2, each with its own L1 and single-flight; and a second node arriving after the
//     first has loaded (served from L2);
//   - the entry is within its stale window: served stale while one background refresh runs;
//   - the entry is gone and the reads arrive spread over 250 ms while a slow origin (200 ms)
//     loads it, with and without invalidations of unrelated tags meanwhile (the service
//     invalidates `session:<id>` after every chat message): does single-flight still hold?
// Latency of each read is from its call to its answer, in this process.
//
// Part B (simulated time, seeded): --sim-keys hot keys filled at t=0 with a 300 s TTL, read at
// --sim-rate reads/s (2 reads every simulated ms, keys drawn with Zipf popularity 1/rank) for
// --sim-minutes; the origin takes --origin-ms of simulated time. TTL jitter 0 vs 0.2 and early
// refresh (XFetch) 0 vs 0.05, each with no stale window and with the shipped one (0.2 × TTL).
// Counts origin calls per 10-second bucket after the fill, and hard misses: reads that waited
// for the origin (lookup result miss or coalesced).
//
// Part C: the cost of one invalidate() call as the cache's memory of invalidated tags grows
// (1,000 to 100,000 distinct tags remembered).
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createTieredCache, type CachePolicy, type CacheEvents, type TieredCache } from '../src/cache/tiered-cache.ts';
import { createInProcessStore } from '../src/cache/in-process-store.ts';
import { createRedisStore } from '../src/cache/redis-store.ts';
import { createInProcessBus } from '../src/cache/in-process-bus.ts';
import { createRng } from '../src/loadgen/random.ts';
import { startRedis, type TestRedis } from '../test/helpers/redis.ts';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    requests: { type: 'string', default: '1000' },
    'origin-ms': { type: 'string', default: '20' },
    'sim-minutes': { type: 'string', default: '20' },
    'sim-keys': { type: 'string', default: '200' },
    'sim-rate': { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    early: { type: 'string', default: '0,0.05' },
    'skip-redis': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('Usage: node bench/cache-stampede.ts [--json] [--requests N] [--origin-ms MS] [--sim-minutes M] [--sim-keys K] [--sim-rate R] [--seed N] [--early 0,0.05] [--skip-redis]');
  process.exit(0);
}
const REQUESTS = Number(args.requests);
const ORIGIN_MS = Number(args['origin-ms']);
const SIM_MINUTES = Number(args['sim-minutes']);
const SIM_KEYS = Number(args['sim-keys']);
const SIM_RATE = Number(args['sim-rate']);
const SEED = Number(args.seed);
const EARLY = args.early!.split(',').map(Number);
for (const [name, n] of [...Object.entries({ REQUESTS, ORIGIN_MS, SIM_MINUTES, SIM_KEYS, SIM_RATE, SEED }), ...EARLY.map((e) => ['--early', e] as const)]) {
  if (!Number.isFinite(n) || n < 0) {
    console.error(`bad value for ${name}`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

type Lookup = 'hit' | 'stale' | 'l2_hit' | 'coalesced' | 'miss';

/** Counts what one node's cache reports. */
function counters() {
  const lookups: Record<Lookup, number> = { hit: 0, stale: 0, l2_hit: 0, coalesced: 0, miss: 0 };
  const origin: Record<string, number> = {};
  const l2: Record<string, number> = {};
  const events: CacheEvents = {
    lookup: (_c, r) => void lookups[r]++,
    origin: (_c, reason, outcome) => void (origin[`${reason}/${outcome}`] = (origin[`${reason}/${outcome}`] ?? 0) + 1),
    l2: (op, outcome) => void (l2[`${op}/${outcome}`] = (l2[`${op}/${outcome}`] ?? 0) + 1),
  };
  return { lookups, origin, l2, events };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const r2 = (n: number) => Math.round(n * 100) / 100;

// ---------------------------------------------------------------------------------------------
// Part A: a burst of concurrent reads of one key

interface Node {
  name: string;
  tiered: TieredCache;
  stats: ReturnType<typeof counters>;
  originCalls: number;
  close(): Promise<void>;
}

function policy(ttlMs: number, staleMs: number, shared: boolean): CachePolicy<{ n: number; pad: string }> {
  return { name: 'bench', ttlMs, jitter: 0, staleMs, earlyRefresh: 0, loadTimeoutMs: 5_000, shared, tags: (_v, key) => [`bench:${key}`] };
}

function makeNode(name: string, redis: TestRedis | undefined): Node {
  const stats = counters();
  const clients = redis ? [new Redis(redis.url, { maxRetriesPerRequest: 0 }), new Redis(redis.url, { maxRetriesPerRequest: 0 })] : [];
  const tiered = createTieredCache({
    l1: createInProcessStore({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, maxEntryBytes: 64 * 1024 }),
    l2: redis ? createRedisStore({ redis: clients[0], writer: clients[1], maxEntryBytes: 64 * 1024, prefix: `bench:${process.pid}:` }) : undefined,
    l2ReadTimeoutMs: 25,
    l2WriteTimeoutMs: 1000,
    events: stats.events,
  });
  const node: Node = {
    name,
    tiered,
    stats,
    originCalls: 0,
    async close() {
      await tiered.close();
      for (const c of clients) c.disconnect();
    },
  };
  return node;
}

/** The origin: ORIGIN_MS of work, counted per node. */
function originOf(node: Node, key: string): (signal: AbortSignal) => Promise<{ n: number; pad: string }> {
  return async () => {
    node.originCalls++;
    await sleep(ORIGIN_MS);
    return { n: node.originCalls, pad: `${key}:${'x'.repeat(200)}` };
  };
}

interface BurstRow {
  scenario: string;
  node: string;
  requests: number;
  originCalls: number;
  lookups: Record<Lookup, number>;
  servedStale: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** `requests` reads of `key` split round-robin over `nodes`, all issued in one synchronous loop. */
async function burst(scenario: string, nodes: Node[], key: string, requests: number, policyOf: () => CachePolicy<{ n: number; pad: string }>): Promise<BurstRow[]> {
  const before = nodes.map((n) => ({ calls: n.originCalls, lookups: { ...n.stats.lookups } }));
  const latencies: number[][] = nodes.map(() => []);
  const caches = nodes.map((n) => n.tiered.cache(policyOf()));
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < requests; i++) {
    const k = i % nodes.length;
    const started = performance.now();
    pending.push(caches[k].get(key, originOf(nodes[k], key)).then(() => latencies[k].push(performance.now() - started)));
  }
  await Promise.all(pending);
  // Background refreshes (stale) still running: let them finish before counting.
  for (const n of nodes) await waitIdle(n);
  return nodes.map((n, k) => {
    const lat = latencies[k].sort((a, b) => a - b);
    const lookups = Object.fromEntries(Object.entries(n.stats.lookups).map(([r, v]) => [r, v - before[k].lookups[r as Lookup]])) as Record<Lookup, number>;
    return {
      scenario,
      node: n.name,
      requests: lat.length,
      originCalls: n.originCalls - before[k].calls,
      lookups,
      servedStale: lookups.stale,
      p50Ms: r2(percentile(lat, 50)),
      p99Ms: r2(percentile(lat, 99)),
      maxMs: r2(lat[lat.length - 1] ?? 0),
    };
  });
}

async function waitIdle(node: Node): Promise<void> {
  await sleep(ORIGIN_MS * 3);
  await node.tiered.settled();
}

/** Fills `key` on the first node (and, through L2, the others) and waits until it is `state`. */
async function prime(nodes: Node[], key: string, policyOf: () => CachePolicy<{ n: number; pad: string }>): Promise<void> {
  const first = nodes[0].tiered.cache(policyOf());
  await first.get(key, originOf(nodes[0], key));
  await nodes[0].tiered.settled();
  for (const n of nodes.slice(1)) await n.tiered.cache(policyOf()).get(key, originOf(n, key));
}

const SLOW_ORIGIN_MS = 200;
const SPREAD_MS = 250;

/**
 * REQUESTS reads of one expired key, REQUESTS/SPREAD_MS every millisecond for SPREAD_MS, origin
 * SLOW_ORIGIN_MS (e.g. a catalog near its 250 ms deadline); every `everyMs` an invalidation of an
 * unrelated tag (0: none). In-process bus, as with CACHE_BACKEND=memory.
 */
async function spreadBurst(everyMs: number): Promise<BurstRow> {
  const stats = counters();
  const bus = createInProcessBus({ onError: () => {} });
  const tiered = createTieredCache({
    l1: createInProcessStore({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, maxEntryBytes: 64 * 1024 }),
    bus,
    l2ReadTimeoutMs: 25,
    l2WriteTimeoutMs: 1000,
    events: stats.events,
  });
  const cache = tiered.cache<number>({ name: 'bench', ttlMs: 60_000, jitter: 0, staleMs: 0, earlyRefresh: 0, loadTimeoutMs: 5_000, shared: false, tags: (_v, key) => [`series:${key}`] });
  let calls = 0;
  const load = async () => {
    calls++;
    await sleep(SLOW_ORIGIN_MS);
    return calls;
  };
  const latencies: number[] = [];
  const pending: Promise<unknown>[] = [];
  const perMs = Math.max(1, Math.round(REQUESTS / SPREAD_MS));
  const t0 = performance.now();
  let invalidations = 0;
  let nextInvalidation = everyMs;
  for (let issued = 0; issued < REQUESTS; ) {
    for (let i = 0; i < perMs && issued < REQUESTS; i++, issued++) {
      const started = performance.now();
      pending.push(cache.get('one-piece', load).then(() => latencies.push(performance.now() - started)));
    }
    if (everyMs > 0 && performance.now() - t0 >= nextInvalidation) {
      nextInvalidation += everyMs;
      invalidations++;
      void tiered.invalidate([`session:s${invalidations}`], { shared: false });
    }
    await sleep(1);
  }
  await Promise.all(pending);
  await tiered.close();
  await bus.close();
  latencies.sort((a, b) => a - b);
  return {
    scenario: everyMs > 0 ? `expired, 1 node, reads over ~${SPREAD_MS} ms, origin ${SLOW_ORIGIN_MS} ms, unrelated invalidation every ${everyMs} ms (${invalidations})` : `expired, 1 node, reads over ~${SPREAD_MS} ms, origin ${SLOW_ORIGIN_MS} ms, no invalidations`,
    node: 'A',
    requests: latencies.length,
    originCalls: calls,
    lookups: stats.lookups,
    servedStale: stats.lookups.stale,
    p50Ms: r2(percentile(latencies, 50)),
    p99Ms: r2(percentile(latencies, 99)),
    maxMs: r2(latencies[latencies.length - 1] ?? 0),
  };
}

async function partA(): Promise<BurstRow[]> {
  const rows: BurstRow[] = [];
  // Short TTLs in real time: the entry is made to expire by waiting, with every tier's own clock.
  const TTL = 300;
  const STALE = 600;
  const gone = () => policy(TTL, 0, true);
  const staleWin = () => policy(TTL, STALE, true);

  // 1. One node, L1 only: the key's entry is past its stale window (gone).
  {
    const a = makeNode('A', undefined);
    const p = () => policy(TTL, 0, false);
    await prime([a], 'k1', p);
    await sleep(TTL + 50);
    rows.push(...(await burst('expired, 1 node (L1 only)', [a], 'k1', REQUESTS, p)));
    await a.close();
  }
  // 2. One node, L1 only, within the stale window.
  {
    const a = makeNode('A', undefined);
    const p = () => policy(TTL, STALE, false);
    await prime([a], 'k2', p);
    await sleep(TTL + 50);
    rows.push(...(await burst('stale window, 1 node (L1 only)', [a], 'k2', REQUESTS, p)));
    await a.close();
  }
  // 3. One node, L1 only, expired, the reads spread over time instead of all at once, origin
  // SLOW_ORIGIN_MS; with and without unrelated invalidations meanwhile (the service invalidates
  // `session:<id>` after every chat message, on every node through the bus).
  for (const everyMs of [0, 10, 2]) {
    rows.push(await spreadBurst(everyMs));
  }
  if (args['skip-redis']) return rows;

  const redis = await startRedis();
  try {
    // 3. Two nodes sharing Redis: the entry is gone everywhere; reads interleaved over the nodes.
    {
      const nodes = [makeNode('A', redis), makeNode('B', redis)];
      await prime(nodes, 'k3', gone);
      await sleep(TTL + 50);
      rows.push(...(await burst('expired, 2 nodes + Redis L2', nodes, 'k3', REQUESTS, gone)));
      for (const n of nodes) await n.close();
    }
    // 4. Two nodes: A's burst first; B's burst once A's load is in L2.
    {
      const nodes = [makeNode('A', redis), makeNode('B', redis)];
      await prime(nodes, 'k4', gone);
      await sleep(TTL + 50);
      rows.push(...(await burst('expired, node A first', [nodes[0]], 'k4', REQUESTS / 2, gone)));
      rows.push(...(await burst('then node B (A\'s load in L2)', [nodes[1]], 'k4', REQUESTS / 2, gone)));
      for (const n of nodes) await n.close();
    }
    // 5. Two nodes sharing Redis, within the stale window on both.
    {
      const nodes = [makeNode('A', redis), makeNode('B', redis)];
      await prime(nodes, 'k5', staleWin);
      await sleep(TTL + 50);
      rows.push(...(await burst('stale window, 2 nodes + Redis L2', nodes, 'k5', REQUESTS, staleWin)));
      for (const n of nodes) await n.close();
    }
  } finally {
    await redis.stop();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Part B: simulated steady load over many hot keys

interface SimConfig {
  jitter: number;
  earlyRefresh: number;
  staleShare: number;
}
interface SimRow extends SimConfig {
  /** Origin calls after the fill (refreshes of every kind, and misses). */
  originCalls: number;
  byReason: Record<string, number>;
  maxBucket: number;
  maxBucketAtS: number;
  bucketsNonZero: number;
  buckets: number;
  /** Reads that waited for the origin (miss + coalesced). */
  hardMisses: number;
  servedStale: number;
  reads: number;
  /** Origin calls of the hottest key, and of the coldest, over the run. */
  hottestKeyLoads: number;
  coldestKeyLoads: number;
  /** Origin calls per bucket (JSON only). */
  perBucket: number[];
}

const SIM_TTL_MS = 300_000;
const BUCKET_MS = 10_000;

async function simulate(cfg: SimConfig): Promise<SimRow> {
  let clock = 0;
  const now = () => clock;
  const cacheRng = createRng(SEED * 7919 + 17); // jitter and XFetch draws
  const readRng = createRng(SEED); // the same reads in every configuration
  const stats = counters();
  const loadsByKey = new Map<string, number>();
  const buckets = new Array<number>(Math.ceil((SIM_MINUTES * 60_000) / BUCKET_MS)).fill(0);
  let fillDoneAt = Infinity;
  const tiered = createTieredCache({
    l1: createInProcessStore({ maxEntries: 100_000, maxBytes: 256 * 1024 * 1024, maxEntryBytes: 64 * 1024, now }),
    l2ReadTimeoutMs: 25,
    l2WriteTimeoutMs: 1000,
    events: stats.events,
    now,
    random: () => cacheRng.float(),
  });
  const cache = tiered.cache<number>({
    name: 'sim',
    ttlMs: SIM_TTL_MS,
    jitter: cfg.jitter,
    staleMs: Math.round(SIM_TTL_MS * cfg.staleShare),
    earlyRefresh: cfg.earlyRefresh,
    loadTimeoutMs: 3_600_000,
    shared: false,
    tags: () => [],
  });

  // Origin loads complete ORIGIN_MS later in simulated time (FIFO: the delay is fixed).
  const due: { at: number; resolve: () => void }[] = [];
  let head = 0;
  let originAfterFill = 0;
  const loaders = new Map<string, (signal: AbortSignal) => Promise<number>>();
  const loaderOf = (key: string) => {
    let l = loaders.get(key);
    if (!l) {
      l = () => {
        loadsByKey.set(key, (loadsByKey.get(key) ?? 0) + 1);
        if (clock >= fillDoneAt) {
          originAfterFill++;
          buckets[Math.floor(clock / BUCKET_MS)]++;
        }
        return new Promise<number>((resolve) => due.push({ at: clock + ORIGIN_MS, resolve: () => resolve(clock) }));
      };
      loaders.set(key, l);
    }
    return l;
  };
  const keys = Array.from({ length: SIM_KEYS }, (_, i) => `k${i}`);
  // Zipf popularity (1/rank): cumulative weights for sampling.
  const cum: number[] = [];
  let total = 0;
  for (let i = 0; i < SIM_KEYS; i++) cum.push((total += 1 / (i + 1)));
  const pick = () => {
    const x = readRng.float() * total;
    let lo = 0;
    let hi = SIM_KEYS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return keys[lo];
  };
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  async function completeDue(): Promise<void> {
    if (head < due.length && due[head].at <= clock) {
      while (head < due.length && due[head].at <= clock) due[head++].resolve();
      await flush();
      if (head > 10_000) {
        due.splice(0, head);
        head = 0;
      }
    }
  }

  // Fill at t=0: every key once.
  for (const key of keys) void cache.get(key, loaderOf(key));
  while (head < due.length) {
    clock++;
    await completeDue();
  }
  fillDoneAt = clock;
  const before = { ...stats.lookups };
  const beforeReasons = { ...stats.origin };

  const end = SIM_MINUTES * 60_000;
  const perMs = SIM_RATE / 1000;
  let carry = 0;
  let reads = 0;
  for (; clock < end; clock++) {
    await completeDue();
    carry += perMs;
    while (carry >= 1) {
      carry -= 1;
      reads++;
      const key = pick();
      void cache.get(key, loaderOf(key));
    }
  }
  // Let the last loads finish.
  while (head < due.length) {
    clock++;
    await completeDue();
  }
  await tiered.close();

  const lookups = Object.fromEntries(Object.entries(stats.lookups).map(([k, v]) => [k, v - before[k as Lookup]])) as Record<Lookup, number>;
  const byReason: Record<string, number> = {};
  for (const [k, v] of Object.entries(stats.origin)) {
    const d = v - (beforeReasons[k] ?? 0);
    if (d) byReason[k.replace('/ok', '')] = d;
  }
  let maxBucket = 0;
  let maxAt = 0;
  buckets.forEach((n, i) => {
    if (n > maxBucket) {
      maxBucket = n;
      maxAt = i * (BUCKET_MS / 1000);
    }
  });
  return {
    ...cfg,
    originCalls: originAfterFill,
    byReason,
    maxBucket,
    maxBucketAtS: maxAt,
    bucketsNonZero: buckets.filter((n) => n > 0).length,
    buckets: buckets.length,
    hardMisses: lookups.miss + lookups.coalesced,
    servedStale: lookups.stale,
    reads,
    hottestKeyLoads: (loadsByKey.get(keys[0]) ?? 0) - 1,
    coldestKeyLoads: (loadsByKey.get(keys[SIM_KEYS - 1]) ?? 0) - 1,
    perBucket: buckets,
  };
}

async function partB(): Promise<SimRow[]> {
  const rows: SimRow[] = [];
  for (const staleShare of [0, 0.2]) {
    for (const jitter of [0, 0.2]) {
      for (const earlyRefresh of EARLY) rows.push(await simulate({ jitter, earlyRefresh, staleShare }));
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Part C: the cost of one invalidation as the history of invalidated tags grows

interface PruneRow {
  tagsInHistory: number;
  usPerInvalidate: number;
}

/**
 * The cache remembers recent invalidations (so a load or an L2 entry older than one is neither
 * joined, kept nor believed). The service invalidates `session:<id>` after every chat message,
 * on every node through the bus, so that memory fills with one tag per active conversation.
 * Fills it with `n` distinct tags (one invalidate() call carrying all of them, at one instant),
 * then times 2,000 invalidate() calls of one new tag each, 1 ms apart on the cache's clock.
 */
async function invalidationCost(n: number): Promise<PruneRow> {
  let clock = 1_000_000_000;
  const now = () => clock;
  const tiered = createTieredCache({ l1: createInProcessStore({ maxEntries: 1000, maxBytes: 1 << 24, maxEntryBytes: 1 << 16, now }), l2ReadTimeoutMs: 25, l2WriteTimeoutMs: 1000, now });
  tiered.cache({ name: 'reviews', ttlMs: 3_600_000, jitter: 0.2, staleMs: 720_000, earlyRefresh: 0, loadTimeoutMs: 1000, shared: false, tags: () => [] });
  if (n > 0) await tiered.invalidate(Array.from({ length: n }, (_, i) => `session:old-${i}`), { shared: false });
  const N = 2000;
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    clock += 1;
    await tiered.invalidate([`session:new-${i}`], { shared: false });
  }
  const us = ((performance.now() - started) / N) * 1000;
  await tiered.close();
  return { tagsInHistory: n, usPerInvalidate: Math.round(us * 10) / 10 };
}

async function partC(): Promise<PruneRow[]> {
  const rows: PruneRow[] = [];
  for (const n of [1_000, 5_000, 20_000, 50_000, 100_000]) rows.push(await invalidationCost(n));
  return rows;
}

// ---------------------------------------------------------------------------------------------

const startedAt = new Date().toISOString();
const a = await partA();
const b = await partB();
const c = await partC();

if (args.json) {
  console.log(JSON.stringify({ startedAt, requests: REQUESTS, originMs: ORIGIN_MS, burst: a, sim: { minutes: SIM_MINUTES, keys: SIM_KEYS, readsPerS: SIM_RATE, ttlS: SIM_TTL_MS / 1000, bucketS: BUCKET_MS / 1000, seed: SEED, rows: b }, invalidationCost: c }, null, 2));
} else {
  console.log(`A. ${REQUESTS} concurrent reads of one key, origin ${ORIGIN_MS} ms (latency from call to answer, ms)\n`);
  console.log('| scenario | node | reads | origin calls | hit | stale | l2_hit | coalesced | miss | p50 | p99 | max |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of a) {
    const l = r.lookups;
    console.log(`| ${r.scenario} | ${r.node} | ${r.requests} | ${r.originCalls} | ${l.hit} | ${l.stale} | ${l.l2_hit} | ${l.coalesced} | ${l.miss} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} |`);
  }
  console.log(`\nB. ${SIM_KEYS} keys filled at t=0, TTL ${SIM_TTL_MS / 1000} s, ${SIM_RATE} reads/s (Zipf 1/rank), ${SIM_MINUTES} simulated minutes, origin ${ORIGIN_MS} ms, seed ${SEED}`);
  console.log(`   origin calls after the fill, in ${BUCKET_MS / 1000}-second buckets; hard misses = reads that waited for the origin\n`);
  console.log('| stale window | jitter | early refresh | origin calls | by reason | max per bucket (at s) | buckets > 0 | hard misses | served stale | hottest / coldest key loads |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of b) {
    const reasons = Object.entries(r.byReason).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`| ${r.staleShare ? `${r.staleShare} × TTL` : 'none'} | ${r.jitter} | ${r.earlyRefresh} | ${r.originCalls} | ${reasons} | ${r.maxBucket} (${r.maxBucketAtS}) | ${r.bucketsNonZero}/${r.buckets} | ${r.hardMisses} | ${r.servedStale} | ${r.hottestKeyLoads} / ${r.coldestKeyLoads} |`);
  }
  console.log('\nC. Cost of one invalidate() (one new tag) with n distinct tags already in the invalidation history\n');
  console.log('| tags in history | µs per invalidate() |');
  console.log('|---|---|');
  for (const r of c) console.log(`| ${r.tagsInHistory} | ${r.usPerInvalidate} |`);
}
