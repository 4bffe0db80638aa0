import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Product, Series } from '../../src/catalog/types.ts';
import type { Order } from '../../src/orders/types.ts';
import type { RecommendationService } from '../../src/recommendations/types.ts';
import { fixtureProducts, fixtureSeries } from '../catalog/fixtures.ts';

/** The store state every adapter is built from, and the moment "now" is. */
export interface RecommendationFixture {
  series: Series[];
  products: Product[];
  orders: Order[];
  now: Date;
}

/** Builds an adapter over the fixture (its clock set to `fixture.now`). */
export type RecommendationsFactory = (fixture: RecommendationFixture) => RecommendationService | Promise<RecommendationService>;

const order = (id: string, placedAt: string, status: Order['status'], lines: [string, number][]): Order => ({
  id,
  customerId: 'c-1',
  status,
  placedAt,
  lines: lines.map(([productId, quantity]) => ({ productId, title: productId, quantity, unitPriceJpy: 500 })),
  totalJpy: lines.reduce((sum, [, q]) => sum + q * 500, 0),
});

export const recommendationFixture: RecommendationFixture = {
  now: new Date('2026-11-20T00:00:00Z'),
  series: fixtureSeries,
  products: [
    ...fixtureProducts,
    { id: 'kimetsu-v1', seriesId: 'kimetsu-no-yaiba', volume: 1, format: 'tankobon', priceJpy: 484, stock: 30, releaseDate: '2016-06-03' },
    { id: 'frieren-v14', seriesId: 'sousou-no-frieren', volume: 14, format: 'tankobon', priceJpy: 594, stock: 8, releaseDate: '2026-11-10' },
    { id: 'kaguya-fanbook', seriesId: 'kaguya-sama', volume: 29, format: 'tankobon', priceJpy: 594, stock: 0, releaseDate: '2026-12-10' },
    { id: 'jojolion-v1', seriesId: 'jojolion', volume: 1, format: 'tankobon', priceJpy: 484, stock: 2, releaseDate: '2011-12-19' },
  ],
  orders: [
    order('MA-1', '2026-11-15T10:00:00Z', 'delivered', [['kimetsu-v1', 3], ['one-piece-v1', 1]]),
    order('MA-2', '2026-11-18T10:00:00Z', 'processing', [['kimetsu-v1', 2], ['one-piece-v2', 1]]),
    order('MA-3', '2026-08-01T10:00:00Z', 'delivered', [['berserk-v1', 10]]),
    order('MA-4', '2026-11-19T10:00:00Z', 'cancelled', [['jojolion-v1', 20]]),
  ],
};

const ids = (recs: { seriesId: string }[]) => recs.map((r) => r.seriesId);

/** The behaviour every RecommendationService adapter must have. */
export function recommendationsContract(name: string, factory: RecommendationsFactory): void {
  describe(`RecommendationService contract: ${name}`, () => {
    let service: RecommendationService;
    before(async () => {
      service = await factory(recommendationFixture);
    });

    it('recommends the same author first, with the reason, and never the seed', async () => {
      const recs = await service.recommend({ seedSeriesIds: ['jojo-steel-ball-run'], limit: 5 });
      assert.equal(recs[0].seriesId, 'jojolion');
      assert.ok(recs[0].reasons.includes('same_author:Hirohiko Araki'), recs[0].reasons.join());
      assert.ok(recs[0].reasons.includes('genre:Mystery'), recs[0].reasons.join());
      assert.ok(recs[0].reasons.includes('demographic:Seinen'), recs[0].reasons.join());
      assert.ok(!ids(recs).includes('jojo-steel-ball-run'));
      assert.ok(recs.length <= 5);
      for (let i = 1; i < recs.length; i++) assert.ok(recs[i - 1].score >= recs[i].score, 'sorted by score');
    });

    it('ranks by shared genres and themes when no author is shared', async () => {
      const recs = await service.recommend({ seedSeriesIds: ['kaguya-sama'] });
      assert.equal(recs[0].seriesId, 'yagate-kimi-ni-naru');
      assert.ok(recs[0].reasons.includes('genre:Romance'));
      assert.ok(recs[0].reasons.includes('theme:School'));
      assert.ok(!recs.some((r) => r.reasons.some((x) => x.startsWith('same_author:'))));
    });

    it('filters by requested genre, theme and demographic in any case or language', async () => {
      const romance = await service.recommend({ genres: ['romance'] });
      assert.deepEqual(ids(romance).sort(), ['kaguya-sama', 'yagate-kimi-ni-naru']);
      assert.ok(romance.every((r) => r.reasons.includes('genre:Romance')));
      assert.deepEqual(ids(await service.recommend({ genres: ['恋愛'], demographic: 'seinen' })), ['kaguya-sama']);
      assert.deepEqual(ids(await service.recommend({ themes: ['SCHOOL'], demographic: 'shonen' })), ['yagate-kimi-ni-naru']);
      const seinen = await service.recommend({ seedSeriesIds: ['one-piece'], demographic: 'Seinen' });
      assert.ok(seinen.length > 0 && seinen.every((r) => fixtureSeries.find((s) => s.id === r.seriesId)?.demographic === 'Seinen'));
    });

    it('leaves out excluded and age-restricted series when asked', async () => {
      const all = ids(await service.recommend({ seedSeriesIds: ['shingeki-no-kyojin'], limit: 20 }));
      assert.ok(all.includes('berserk'));
      const safe = ids(await service.recommend({ seedSeriesIds: ['shingeki-no-kyojin'], excludeAgeRestricted: true, excludeSeriesIds: ['kimetsu-no-yaiba'], limit: 20 }));
      assert.ok(!safe.includes('berserk'));
      assert.ok(!safe.includes('kimetsu-no-yaiba'));
      assert.ok(safe.length > 0);
    });

    it('falls back to popular series without a seed', async () => {
      const recs = await service.recommend({ limit: 3 });
      assert.deepEqual(ids(recs), ['berserk', 'shingeki-no-kyojin', 'one-piece']);
    });

    it('lists popular series by popularity, optionally without age-restricted ones', async () => {
      assert.deepEqual(ids(await service.popular(3)), ['berserk', 'shingeki-no-kyojin', 'one-piece']);
      const safe = await service.popular(3, { excludeAgeRestricted: true });
      assert.deepEqual(ids(safe), ['shingeki-no-kyojin', 'one-piece', 'kimetsu-no-yaiba']);
      assert.equal((await service.popular(0)).length, 0);
    });

    it('trends on recent sales and new or upcoming volumes, ignoring old and cancelled orders', async () => {
      const recs = await service.trending(4);
      assert.equal(recs[0].seriesId, 'kimetsu-no-yaiba');
      assert.ok(recs[0].reasons.includes('recent_orders:5'), recs[0].reasons.join());
      const reasonsOf = (id: string) => recs.find((r) => r.seriesId === id)?.reasons ?? [];
      assert.ok(reasonsOf('one-piece').includes('recent_orders:2'));
      assert.ok(reasonsOf('sousou-no-frieren').includes('new_volume:2026-11-10'));
      assert.ok(reasonsOf('kaguya-sama').includes('upcoming_volume:2026-12-10'));
      const wide = await service.trending(20);
      assert.ok(!wide.some((r) => r.reasons.some((x) => x.startsWith('recent_orders')) && (r.seriesId === 'berserk' || r.seriesId === 'jojolion')));
    });

    it('rejects calls whose signal is already aborted', async () => {
      const signal = AbortSignal.abort();
      await assert.rejects(service.recommend({ seedSeriesIds: ['berserk'] }, { signal }));
      await assert.rejects(service.popular(3, { signal }));
    });
  });
}
