import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Series, WritableCatalog } from '../../src/catalog/types.ts';
import { fixtureProducts, fixtureSeries } from './fixtures.ts';

/** Builds a fresh, empty catalog for one test. */
export type CatalogFactory = () => WritableCatalog | Promise<WritableCatalog>;

const titlesOf = (hits: { series: Series }[]) => hits.map((h) => h.series.id);

/** The behaviour every CatalogService adapter must have. */
export function catalogContract(name: string, factory: CatalogFactory): void {
  describe(`CatalogService contract: ${name}`, () => {
    let catalog: WritableCatalog;
    beforeEach(async () => {
      catalog = await factory();
      await catalog.upsertSeries(fixtureSeries);
      await catalog.upsertProducts(fixtureProducts);
    });

    it('counts series and products', async () => {
      assert.deepEqual(await catalog.counts(), { series: fixtureSeries.length, products: fixtureProducts.length });
    });

    it('returns a series exactly as written, and undefined for an unknown id', async () => {
      const frieren = fixtureSeries.find((s) => s.id === 'sousou-no-frieren');
      assert.deepEqual(await catalog.getSeries('sousou-no-frieren'), frieren);
      assert.deepEqual(await catalog.getSeries('berserk'), fixtureSeries[0]);
      assert.equal(await catalog.getSeries('no-such-series'), undefined);
    });

    it('returns many series in the order asked, leaving unknown ids out', async () => {
      const many = await catalog.getSeriesMany(['one-piece', 'nope', 'berserk']);
      assert.deepEqual(many.map((s) => s.id), ['one-piece', 'berserk']);
      assert.deepEqual(await catalog.getSeriesMany([]), []);
    });

    it('lists every series', async () => {
      const all = await catalog.allSeries();
      assert.deepEqual(all.map((s) => s.id).sort(), fixtureSeries.map((s) => s.id).sort());
    });

    it('orders products by volume then format', async () => {
      const products = await catalog.getProducts('one-piece');
      assert.deepEqual(products.map((p) => p.id), ['one-piece-v1', 'one-piece-v1-digital', 'one-piece-v2']);
      assert.deepEqual(await catalog.getProducts('sousou-no-frieren'), []);
      assert.deepEqual(await catalog.getProduct('berserk-v1'), fixtureProducts[3]);
      assert.equal(await catalog.getProduct('berserk-v999'), undefined);
    });

    it('reads prices and stock live: a write is visible on the next read', async () => {
      await catalog.getProduct('one-piece-v1');
      await catalog.getProducts('one-piece');
      await catalog.upsertProducts([{ ...fixtureProducts[2], priceJpy: 594, stock: 0 }]);
      const p = await catalog.getProduct('one-piece-v1');
      assert.equal(p?.priceJpy, 594);
      assert.equal(p?.stock, 0);
      const listed = await catalog.getProducts('one-piece');
      assert.equal(listed.find((x) => x.id === 'one-piece-v1')?.priceJpy, 594);
    });

    it('lists the live offers (price, stock) of every volume of a series', async () => {
      const offers = await catalog.getOffers('one-piece');
      const products = await catalog.getProducts('one-piece');
      assert.deepEqual(
        offers.map((o) => [o.productId, o.priceJpy, o.stock]).sort(),
        products.map((p) => [p.id, p.priceJpy, p.stock]).sort(),
      );
      await catalog.upsertProducts([{ ...fixtureProducts[2], priceJpy: 600, stock: 3 }]);
      const after = await catalog.getOffers('one-piece');
      assert.deepEqual(after.find((o) => o.productId === fixtureProducts[2].id), { productId: fixtureProducts[2].id, priceJpy: 600, stock: 3 });
      assert.deepEqual(await catalog.getOffers('no-such-series'), []);
    });

    it('rejects products of an unknown series and writes none of the batch', async () => {
      await assert.rejects(
        catalog.upsertProducts([
          { id: 'berserk-v2', seriesId: 'berserk', volume: 2, format: 'tankobon', priceJpy: 660, stock: 3, releaseDate: '1991-01-01' },
          { id: 'ghost-v1', seriesId: 'ghost', volume: 1, format: 'tankobon', priceJpy: 500, stock: 1, releaseDate: '2020-01-01' },
        ]),
      );
      assert.equal(await catalog.getProduct('berserk-v2'), undefined);
    });

    it('finds a series by any of its names', async () => {
      const cases: [string, string, string][] = [
        ['Attack on Titan', 'shingeki-no-kyojin', 'titleEn'],
        ['Shingeki no Kyojin', 'shingeki-no-kyojin', 'title'],
        ['ワンピース', 'one-piece', 'titleJa'],
        ['OP', 'one-piece', 'alias'],
        ['Kentarou Miura', 'berserk', 'author'],
        ['Demon Slayer', 'kimetsu-no-yaiba', 'titleEn'],
      ];
      for (const [query, id, field] of cases) {
        const [top] = await catalog.searchSeries(query);
        assert.equal(top?.series.id, id, query);
        assert.equal(top.matchedOn, field, query);
        assert.ok(top.score > 0 && top.score <= 1, `${query}: score ${top.score}`);
      }
    });

    it('tolerates small typos, romaji spellings and punctuation', async () => {
      const cases: [string, string][] = [
        ['Berserc', 'berserk'],
        ['one peice', 'one-piece'],
        ['Shingeki no Kyoujin', 'shingeki-no-kyojin'],
        ['Frieren beyond journeys end', 'sousou-no-frieren'],
        ['kaguya sama love is war', 'kaguya-sama'],
        ['Kentaro Miura', 'berserk'],
      ];
      for (const [query, id] of cases) assert.equal((await catalog.searchSeries(query))[0]?.series.id, id, query);
    });

    it('finds partial titles in any word order', async () => {
      assert.equal((await catalog.searchSeries('steel ball run'))[0]?.series.id, 'jojo-steel-ball-run');
      assert.equal((await catalog.searchSeries('run ball steel'))[0]?.series.id, 'jojo-steel-ball-run');
      assert.equal((await catalog.searchSeries('titan attack'))[0]?.series.id, 'shingeki-no-kyojin');
    });

    it('finds Japanese titles from a substring', async () => {
      assert.equal((await catalog.searchSeries('鬼滅'))[0]?.series.id, 'kimetsu-no-yaiba');
      assert.equal((await catalog.searchSeries('巨人'))[0]?.series.id, 'shingeki-no-kyojin');
      assert.equal((await catalog.searchSeries('フリーレン'))[0]?.series.id, 'sousou-no-frieren');
    });

    it('breaks ties by popularity and honours the limit', async () => {
      const hits = await catalog.searchSeries('Hirohiko Araki');
      assert.deepEqual(titlesOf(hits), ['jojo-steel-ball-run', 'jojolion']);
      assert.equal((await catalog.searchSeries('jojo', { limit: 1 })).length, 1);
      assert.equal((await catalog.searchSeries('jojo', { limit: 1 }))[0].series.id, 'jojo-steel-ball-run');
    });

    it('returns nothing for a query that matches nothing', async () => {
      assert.deepEqual(await catalog.searchSeries('zzqxv wwkp'), []);
      assert.deepEqual(await catalog.searchSeries('   '), []);
    });

    it('reflects series writes in search and notifies listeners with the touched series', async () => {
      const seen: string[][] = [];
      const off = catalog.onChange((changed) => seen.push(changed.map((s) => s.id)));
      await catalog.upsertSeries([{ ...fixtureSeries[3], aliases: ['Wan Pisu'] }]);
      assert.equal((await catalog.searchSeries('wan pisu'))[0]?.series.id, 'one-piece');
      await catalog.upsertProducts([{ ...fixtureProducts[3], stock: 5 }]);
      off();
      await catalog.upsertSeries([{ ...fixtureSeries[0], title: 'Berserk' }]);
      assert.deepEqual(seen, [['one-piece'], ['berserk']]);
    });

    it('removes series without products, refuses series with products, and tells listeners', async () => {
      const removed: string[][] = [];
      catalog.onChange((_changed, ids) => removed.push(ids));
      await assert.rejects(catalog.removeSeries(['kaguya-sama', 'one-piece']));
      assert.ok(await catalog.getSeries('kaguya-sama'), 'a refused batch removes nothing');
      await catalog.removeSeries(['kaguya-sama']);
      assert.equal(await catalog.getSeries('kaguya-sama'), undefined);
      assert.deepEqual(await catalog.searchSeries('Kaguya-sama: Love Is War'), []);
      assert.deepEqual(removed, [['kaguya-sama']]);
    });

    it('rejects calls whose signal is already aborted', async () => {
      const signal = AbortSignal.abort();
      await assert.rejects(catalog.getSeries('berserk', { signal }));
      await assert.rejects(catalog.searchSeries('berserk', { signal }));
    });
  });
}
