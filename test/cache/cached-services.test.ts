import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../src/loadgen/random.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createTieredCache, type TieredCache } from '../../src/cache/tiered-cache.ts';
import { createInProcessStore } from '../../src/cache/in-process-store.ts';
import { createInProcessBus } from '../../src/cache/in-process-bus.ts';
import { createRedisStore } from '../../src/cache/redis-store.ts';
import { tagsOfEvent, type CacheTuning } from '../../src/cache/policy.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { createCachedCatalog } from '../../src/catalog/cached-catalog.ts';
import type { Product, WritableCatalog } from '../../src/catalog/types.ts';
import { createEmbeddedPromotions } from '../../src/promotions/embedded-promotions.ts';
import { createCachedPromotions } from '../../src/promotions/cached-promotions.ts';
import type { PromotionService } from '../../src/promotions/types.ts';
import { openSqliteMemory } from '../../src/memory/sqlite-memory.ts';
import { createCachedMemory } from '../../src/memory/cached-memory.ts';
import type { ConversationMemory } from '../../src/memory/types.ts';
import { createCachedRecommendations } from '../../src/recommendations/cached-recommendations.ts';
import type { Recommendation, RecommendationQuery, RecommendationService } from '../../src/recommendations/types.ts';
import { catalogContract } from '../catalog/catalog.contract.ts';
import { fixtureProducts, fixtureSeries } from '../catalog/fixtures.ts';
import { promotionsContract, promotion } from '../promotions/promotions.contract.ts';
import { memoryContract, manualClock, user } from '../memory/memory.contract.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

// The cached services (catalog, promotions, conversation memory, recommendations) pass the same
// contract suites as their origins, and keep the promises their own docs make: prices live,
// promotions on time, appends visible at once, one key per canonical query.

const dir = mkdtempSync(join(tmpdir(), 'cached-services-'));
let server: TestRedis;
let reader: Redis;
let writer: Redis;
let spaces = 0;

before(async () => {
  server = await startRedis();
  reader = new Redis(server.url);
  writer = new Redis(server.url);
});
after(async () => {
  reader.disconnect();
  writer.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const TUNING: CacheTuning = { jitter: 0.2, staleShare: 0.2, earlyRefresh: 0.05, loadTimeoutMs: 2000, shared: true };

/** The load generator's seeded source, so jitter and early-refresh draws are the same on every run. */
const seeded = (seed: number): (() => number) => createRng(seed).float;

/** A fresh tiered cache: its own L1 (and, with `redis`, its own key space in the shared Redis). */
function tieredCache(opts: { now?: () => number; redis?: boolean; l1Entries?: number } = {}): TieredCache {
  const l1 = createInProcessStore({ maxEntries: opts.l1Entries ?? 10_000, maxBytes: 64 * 1024 * 1024, maxEntryBytes: 1024 * 1024, now: opts.now });
  const l2 = opts.redis ? createRedisStore({ redis: reader, writer, prefix: `svc${++spaces}:`, maxEntryBytes: 1024 * 1024, now: opts.now }) : undefined;
  return createTieredCache({ l1, l2, l2ReadTimeoutMs: 1000, l2WriteTimeoutMs: 2000, bus: createInProcessBus(), now: opts.now, random: seeded(spaces + 1) });
}

// --- catalog ---------------------------------------------------------------------------------

catalogContract('cached over SQLite, in-process tier', () => createCachedCatalog(createSqliteCatalog(openDatabase(':memory:')), tieredCache(), { ttlMs: 300_000, tuning: TUNING }));
// An L1 of four entries: most reads fall through to Redis and are adopted from there.
catalogContract('cached over SQLite, Redis L2', () => createCachedCatalog(createSqliteCatalog(openDatabase(':memory:')), tieredCache({ redis: true, l1Entries: 4 }), { ttlMs: 300_000, tuning: TUNING }));

describe('cached catalog: prices and stock are never cached', () => {
  /** The catalog file, a cached catalog over it (counting origin reads), and a second writer that sends no events. */
  async function setup() {
    const file = join(dir, `prices-${++spaces}.sqlite`);
    const sqlite = createSqliteCatalog(openDatabase(file));
    await sqlite.upsertSeries(fixtureSeries);
    await sqlite.upsertProducts(fixtureProducts);
    const calls = { getProducts: 0, getOffers: 0 };
    const origin: WritableCatalog = {
      ...sqlite,
      getProducts: (id, o) => (calls.getProducts++, sqlite.getProducts(id, o)),
      getOffers: (id, o) => (calls.getOffers++, sqlite.getOffers(id, o)),
    };
    const clock = manualClock();
    const cached = createCachedCatalog(origin, tieredCache({ now: clock.now }), { ttlMs: 300_000, tuning: TUNING });
    // Another process on the same file (the import CLI, an admin tool): its writes commit, but
    // this node's catalog instance never hears of them, so nothing is invalidated.
    const elsewhere = createSqliteCatalog(openDatabase(file));
    return { cached, calls, clock, elsewhere };
  }
  const v1 = fixtureProducts.find((p) => p.id === 'one-piece-v1')!;

  it('a price or stock change that sends no event shows on the next read, while the volumes come from the cache', async () => {
    const { cached, calls, clock, elsewhere } = await setup();
    const before = await cached.getProducts('one-piece');
    assert.equal(before.find((p) => p.id === v1.id)?.priceJpy, 528);
    assert.equal(calls.getProducts, 1);
    clock.advance(1000);
    await elsewhere.upsertProducts([{ ...v1, priceJpy: 600, stock: 0 }]);
    const after = await cached.getProducts('one-piece');
    assert.deepEqual(after.find((p) => p.id === v1.id), { ...v1, priceJpy: 600, stock: 0 });
    assert.deepEqual(after.map((p) => p.id), before.map((p) => p.id));
    assert.equal(calls.getProducts, 1, 'the volumes came from the cache');
    assert.equal(calls.getOffers, 2, 'the offers were read live both times');
    assert.equal((await cached.getProduct(v1.id))?.priceJpy, 600, 'a single product is live too');
  });

  it('a volume added without an event is still shown (the cached list no longer matches the offers)', async () => {
    const { cached, calls, clock, elsewhere } = await setup();
    await cached.getProducts('one-piece');
    clock.advance(1000);
    const v3: Product = { id: 'one-piece-v3', seriesId: 'one-piece', volume: 3, format: 'tankobon', priceJpy: 528, stock: 7, releaseDate: '1998-06-04' };
    await elsewhere.upsertProducts([v3]);
    const listed = await cached.getProducts('one-piece');
    assert.deepEqual(listed.map((p) => p.id), ['one-piece-v1', 'one-piece-v1-digital', 'one-piece-v2', 'one-piece-v3']);
    assert.deepEqual(listed.at(-1), v3);
    assert.equal(calls.getProducts, 2, 'answered from the origin');
    clock.advance(1000);
    assert.equal((await cached.getProducts('one-piece')).length, 4);
    assert.equal(calls.getProducts, 3, 'the stale list was dropped and loaded again');
    clock.advance(1000);
    assert.equal((await cached.getProducts('one-piece')).length, 4);
    assert.equal(calls.getProducts, 3, 'and is cached again');
  });
});

// --- promotions ------------------------------------------------------------------------------

/** An origin that counts its calls. */
function countingPromotions(inner: PromotionService) {
  let calls = 0;
  const service: PromotionService = { active: (o) => (calls++, inner.active(o)) };
  return { service, calls: () => calls };
}

// Real clock: the contract's dates (November 2026) may lie outside the cached window, which then
// answers from the origin.
promotionsContract('cached, real clock', (promotions) => createCachedPromotions(createEmbeddedPromotions(promotions), tieredCache(), { ttlMs: 15 * 60_000, tuning: TUNING }));
// A clock at 2026-07-01 and a window of 200 days: every date the contract asks about is answered
// from the one cached window.
{
  const pinned = Date.parse('2026-07-01T00:00:00Z');
  promotionsContract('cached, one window covering every date asked', (promotions) =>
    createCachedPromotions(createEmbeddedPromotions(promotions), tieredCache({ now: () => pinned }), {
      ttlMs: 200 * 86_400_000,
      tuning: { ...TUNING, jitter: 0, staleShare: 0 },
      clock: () => new Date(pinned),
    }));
}

describe('cached promotions: on time without asking the origin', () => {
  it('a promotion that starts while the cached window lives is returned on time; one that ends disappears on time', async () => {
    const at = (iso: string) => Date.parse(iso);
    const clock = manualClock(at('2026-11-14T23:51:00+09:00'));
    const origin = countingPromotions(
      createEmbeddedPromotions([
        promotion('ending', [], '2026-11-01T00:00:00+09:00', '2026-11-15T00:00:00+09:00'),
        promotion('flash', ['one-piece'], '2026-11-14T23:55:00+09:00', '2026-11-15T00:05:00+09:00'),
        promotion('far-future', [], '2026-12-24T00:00:00+09:00', '2026-12-26T00:00:00+09:00'),
      ]),
    );
    // 15 minutes (the design's TTL); no jitter, so the entry stays fresh for all of the reads
    // below, and no early refresh, which near expiry would (rightly) reload the window.
    const cached = createCachedPromotions(origin.service, tieredCache({ now: clock.now }), {
      ttlMs: 15 * 60_000,
      tuning: { ...TUNING, jitter: 0, earlyRefresh: 0 },
      clock: () => new Date(clock.now()),
    });
    const activeAt = async (iso: string, seriesIds?: string[]) => {
      clock.advance(at(iso) - clock.now());
      return (await cached.active({ seriesIds })).map((p) => p.id);
    };
    assert.deepEqual(await activeAt('2026-11-14T23:51:00+09:00'), ['ending']);
    assert.deepEqual(await activeAt('2026-11-14T23:54:59.999+09:00'), ['ending']);
    assert.deepEqual(await activeAt('2026-11-14T23:55:00+09:00'), ['ending', 'flash'], 'starts on time');
    assert.deepEqual(await activeAt('2026-11-14T23:56:00+09:00', ['berserk']), ['ending'], 'series filter applied per read');
    assert.deepEqual(await activeAt('2026-11-14T23:59:59.999+09:00'), ['ending', 'flash']);
    assert.deepEqual(await activeAt('2026-11-15T00:00:00+09:00'), ['flash'], 'ends on time');
    assert.deepEqual(await activeAt('2026-11-15T00:04:59.999+09:00', ['one-piece']), ['flash']);
    assert.deepEqual(await activeAt('2026-11-15T00:05:00+09:00'), []);
    assert.equal(origin.calls(), 1, 'every answer came from the one cached window');
    // A moment the window does not cover goes to the origin.
    assert.deepEqual((await cached.active({ now: new Date('2026-12-25T00:00:00+09:00') })).map((p) => p.id), ['far-future']);
    assert.equal(origin.calls(), 2);
  });

  it('the promotions event invalidates the window', async () => {
    const clock = manualClock(Date.parse('2026-11-14T12:00:00+09:00'));
    const origin = countingPromotions(createEmbeddedPromotions([promotion('p', [], '2026-11-01T00:00:00+09:00', '2026-11-30T00:00:00+09:00')]));
    const tiered = tieredCache({ now: clock.now });
    const cached = createCachedPromotions(origin.service, tiered, { ttlMs: 15 * 60_000, tuning: TUNING, clock: () => new Date(clock.now()) });
    await cached.active();
    await cached.active();
    assert.equal(origin.calls(), 1);
    clock.advance(1);
    await tiered.invalidate(tagsOfEvent({ type: 'promotions.changed' }));
    clock.advance(1);
    await cached.active();
    assert.equal(origin.calls(), 2);
  });
});

// --- conversation memory ---------------------------------------------------------------------

// The cache runs on the contract's clock, counted in microseconds plus one per reading, so that
// time never stands still (on a clock that stands still, a load started in the same tick as an
// append's invalidation is never cached, and the contract would hardly exercise the cache). Its
// TTL is 1 ms of the contract's clock: reads between two of the contract's clock advances are
// served from the cache, and any advance (idle expiry) outlasts it. (With the shipped TTL of
// seconds, a session read just before its idle expiry is served for up to that long after it:
// TTL-bounded by design.)
memoryContract('cached over SQLite', (o) => {
  let ticks = 0;
  const micros = () => o.now() * 1000 + ++ticks;
  return createCachedMemory(openSqliteMemory(':memory:', o), tieredCache({ now: micros }), { ttlMs: 1000, loadTimeoutMs: 2000 });
});

describe('cached memory', () => {
  function setup() {
    const clock = manualClock();
    const inner = openSqliteMemory(':memory:', { window: 10, idleTtlMs: 30 * 60_000, now: clock.now });
    let loads = 0;
    let gate: Promise<void> | undefined;
    const origin: ConversationMemory = {
      ...inner,
      load: async (id, o) => {
        loads++;
        if (gate) await gate;
        return inner.load(id, o);
      },
      append: (id, m, o) => inner.append(id, m, o),
      hasMessage: (id, m, o) => inner.hasMessage(id, m, o),
      expire: (t) => inner.expire(t),
      close: () => inner.close(),
    };
    const memory = createCachedMemory(origin, tieredCache({ now: clock.now }), { ttlMs: 5000, loadTimeoutMs: 2000 });
    return { memory, clock, loads: () => loads, hold: (p: Promise<void> | undefined) => { gate = p; } };
  }

  it('1,000 concurrent loads of one session make one origin load', async () => {
    const { memory, loads, hold, clock } = setup();
    await memory.append('hot', [user('m1')]);
    clock.advance(1);
    let release!: () => void;
    hold(new Promise<void>((resolve) => { release = resolve; }));
    const all = Array.from({ length: 1000 }, () => memory.load('hot'));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const histories = await Promise.all(all);
    assert.equal(loads(), 1);
    assert.ok(histories.every((h) => h.length === 1 && h[0].messageId === 'm1'));
    memory.close();
  });

  it('an append invalidates: the next load sees the new messages', async () => {
    const { memory, loads, clock } = setup();
    await memory.append('s', [user('m1')]);
    clock.advance(1);
    assert.deepEqual((await memory.load('s')).map((m) => m.messageId), ['m1']);
    assert.deepEqual((await memory.load('s')).map((m) => m.messageId), ['m1']);
    assert.equal(loads(), 1);
    await memory.append('s', [user('m2')]);
    clock.advance(1);
    assert.deepEqual((await memory.load('s')).map((m) => m.messageId), ['m1', 'm2']);
    assert.equal(loads(), 2);
    memory.close();
  });
});

// --- recommendations -------------------------------------------------------------------------

describe('cached recommendations', () => {
  function setup() {
    const clock = manualClock();
    const queries: RecommendationQuery[] = [];
    const list = (n: number): Recommendation[] => [{ seriesId: `pick-${n}`, score: 1, reasons: ['genre:Action'] }];
    const origin: RecommendationService = {
      recommend: async (q) => (queries.push(q), list(queries.length)),
      popular: async () => (queries.push({}), list(queries.length)),
      trending: async () => (queries.push({}), list(queries.length)),
    };
    const tiered = tieredCache({ now: clock.now });
    const recommendations = createCachedRecommendations(origin, tiered, { ttlMs: 15 * 60_000, tuning: TUNING });
    return { recommendations, tiered, clock, calls: () => queries.length };
  }

  it('the same query with its lists in another order (or case) is one origin call', async () => {
    const { recommendations, calls } = setup();
    const a = await recommendations.recommend({ seedSeriesIds: ['one-piece', 'berserk'], genres: ['Action', 'Drama'], themes: ['Pirates'], excludeSeriesIds: ['naruto', 'bleach'], demographic: 'Shounen', limit: 5 });
    const b = await recommendations.recommend({ seedSeriesIds: ['berserk', 'one-piece'], genres: ['drama', 'ACTION', 'action'], themes: ['pirates'], excludeSeriesIds: ['bleach', 'naruto'], demographic: 'shounen', limit: 5 });
    assert.deepEqual(b, a);
    assert.equal(calls(), 1);
    await recommendations.recommend({ seedSeriesIds: ['berserk', 'one-piece'], genres: ['Action', 'Drama'], themes: ['Pirates'], excludeSeriesIds: ['naruto', 'bleach'], demographic: 'Shounen', limit: 10 });
    await recommendations.recommend({ seedSeriesIds: ['berserk', 'one-piece'], genres: ['Action', 'Drama'], themes: ['Pirates'], excludeSeriesIds: ['naruto', 'bleach'], demographic: 'Shounen', limit: 5, excludeAgeRestricted: true });
    assert.equal(calls(), 3, 'a different limit or age filter is another query');
    await recommendations.popular(5);
    await recommendations.popular(5);
    await recommendations.popular(5, { excludeAgeRestricted: true });
    assert.equal(calls(), 5);
  });

  it('a catalog change event invalidates them', async () => {
    const { recommendations, tiered, clock, calls } = setup();
    const q = { seedSeriesIds: ['berserk'] };
    assert.equal((await recommendations.recommend(q))[0].seriesId, 'pick-1');
    assert.equal((await recommendations.recommend(q))[0].seriesId, 'pick-1');
    assert.equal(calls(), 1);
    clock.advance(1);
    await tiered.invalidate(tagsOfEvent({ type: 'catalog.changed', seriesIds: ['some-other-series'] }));
    clock.advance(1);
    assert.equal((await recommendations.recommend(q))[0].seriesId, 'pick-2');
    assert.equal(calls(), 2);
  });

  it('a write through the cached catalog invalidates them too', async () => {
    const { recommendations, tiered, clock, calls } = setup();
    const catalog = createCachedCatalog(createSqliteCatalog(openDatabase(':memory:')), tiered, { ttlMs: 300_000, tuning: TUNING });
    await catalog.upsertSeries(fixtureSeries);
    clock.advance(1);
    await recommendations.trending(3);
    await recommendations.trending(3);
    assert.equal(calls(), 1);
    clock.advance(1);
    await catalog.upsertSeries([{ ...fixtureSeries[0], score: 9.9 }]);
    clock.advance(1);
    await recommendations.trending(3);
    assert.equal(calls(), 2);
  });
});
