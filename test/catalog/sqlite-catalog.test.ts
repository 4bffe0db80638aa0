import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { catalogContract } from './catalog.contract.ts';
import { fixtureProducts, fixtureSeries } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

catalogContract('SQLite in memory', () => createSqliteCatalog(openDatabase(':memory:')));
catalogContract('SQLite file', () => createSqliteCatalog(openDatabase(join(dir, `contract-${n++}.sqlite`))));

describe('SQLite catalog durability', () => {
  it('keeps series, products and the search index across a reopen', async () => {
    const file = join(dir, 'durable.sqlite');
    const db = openDatabase(file);
    const first = createSqliteCatalog(db);
    await first.upsertSeries(fixtureSeries);
    await first.upsertProducts(fixtureProducts);
    db.close();

    const reopened = createSqliteCatalog(openDatabase(file));
    assert.deepEqual(await reopened.counts(), { series: fixtureSeries.length, products: fixtureProducts.length });
    assert.deepEqual(await reopened.getSeries('one-piece'), fixtureSeries.find((s) => s.id === 'one-piece'));
    assert.equal((await reopened.getProduct('one-piece-v1'))?.priceJpy, 528);
    assert.equal((await reopened.searchSeries('Attack on Titan'))[0]?.series.id, 'shingeki-no-kyojin');
  });

  it('writes 15,000 series in one batch within seconds', async () => {
    const catalog = createSqliteCatalog(openDatabase(join(dir, 'bulk.sqlite')));
    const many = Array.from({ length: 15000 }, (_, i) => ({ ...fixtureSeries[i % fixtureSeries.length], id: `series-${i}`, title: `Series number ${i}` }));
    const started = performance.now();
    await catalog.upsertSeries(many);
    const writeMs = performance.now() - started;
    const t2 = performance.now();
    const hit = (await catalog.searchSeries('Series number 14321'))[0];
    const firstSearchMs = performance.now() - t2;
    console.log(`15,000 series upsert: ${writeMs.toFixed(0)} ms; index rebuild + first search: ${firstSearchMs.toFixed(0)} ms`);
    assert.equal(hit?.series.id, 'series-14321');
    assert.ok(writeMs < 5000, `upsert took ${writeMs} ms`);
  });
});
