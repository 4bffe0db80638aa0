import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { seedCatalogIfEmpty } from '../../src/catalog/seed.ts';
import { importCatalog } from '../../src/catalog/import.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SHIPPED = resolve(ROOT, 'data/catalog');
const MAL_CSV = resolve(ROOT, '../shared/data/mal_top_manga.csv');

describe('the shipped catalog (data/catalog)', () => {
  it('seeds without a rejected line, then the MAL import merges into it without duplicates', async () => {
    const catalog = createSqliteCatalog(openDatabase(':memory:'));
    const seeded = await seedCatalogIfEmpty(catalog, SHIPPED);
    assert.ok(seeded, 'catalog was empty, so it must seed');
    assert.deepEqual(seeded.skipped, []);
    const shippedCount = readFileSync(resolve(SHIPPED, 'series.jsonl'), 'utf8').trim().split('\n').length;
    assert.ok(shippedCount >= 150, `only ${shippedCount} shipped series`);
    const before = await catalog.counts();
    assert.equal(before.series, shippedCount);
    assert.ok(before.products > 0);

    assert.equal((await catalog.searchSeries('ワンピース'))[0]?.series.id, 'one-piece');
    assert.equal((await catalog.searchSeries('進撃'))[0]?.series.id, 'shingeki-no-kyojin');
    const onePieceVolumes = (await catalog.getProducts('one-piece')).length;
    assert.ok(onePieceVolumes > 100);

    const report = await importCatalog(catalog, MAL_CSV);
    assert.ok(report.updated >= shippedCount * 0.9, `only ${report.updated} of ${shippedCount} shipped series matched MAL rows`);
    const after = await catalog.counts();
    assert.equal(after.products, before.products, 'an import never adds or drops products');
    const onePiece = await catalog.getSeries('one-piece');
    assert.equal(onePiece?.titleJa, 'ワンピース');
    assert.ok(onePiece?.synopsis);
    assert.equal((await catalog.getProducts('one-piece')).length, onePieceVolumes);
    const exact = (await catalog.allSeries()).filter((s) => s.title === 'One Piece' || s.title === 'Shingeki no Kyojin');
    assert.deepEqual(exact.map((s) => s.id).sort(), ['one-piece', 'shingeki-no-kyojin']);
  });
});
