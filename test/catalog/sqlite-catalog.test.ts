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

  it('writes 15,000 series in one batch and finds one of them', async () => {
    const catalog = createSqliteCatalog(openDatabase(join(dir, 'bulk.sqlite')));
    const many = Array.from({ length: 15000 }, (_, i) => ({ ...fixtureSeries[i % fixtureSeries.length], id: `series-${i}`, title: `Series number ${i}` }));
    const started = performance.now();
    await catalog.upsertSeries(many);
    const writeMs = performance.now() - started;
    const t2 = performance.now();
    const hit = (await catalog.searchSeries('Series number 14321'))[0];
    const firstSearchMs = performance.now() - t2;
    // Speed is the benchmarks' business (bench/startup.ts times an import); printed here for reference.
    console.log(`15,000 series upsert: ${writeMs.toFixed(0)} ms; index rebuild + first search: ${firstSearchMs.toFixed(0)} ms`);
    assert.equal(hit?.series.id, 'series-14321');
  });

  it('adds the columns a newer version knows to an older database, keeping its rows', async () => {
    const file = join(dir, 'old-schema.sqlite');
    const old = openDatabase(file);
    // The catalog table as the first release wrote it: no authors_ja, no parent_id.
    old.exec(`CREATE TABLE catalog_series (id TEXT PRIMARY KEY, title TEXT NOT NULL, title_en TEXT, title_ja TEXT, aliases TEXT NOT NULL DEFAULT '[]',
      authors TEXT NOT NULL DEFAULT '[]', genres TEXT NOT NULL DEFAULT '[]', themes TEXT NOT NULL DEFAULT '[]', demographic TEXT, magazine TEXT,
      status TEXT NOT NULL, volume_count INTEGER, synopsis TEXT, synopsis_ja TEXT, score REAL, popularity_rank INTEGER, age_restricted INTEGER, start_date TEXT)`);
    old.prepare(`INSERT INTO catalog_series (id, title, authors, status) VALUES ('gantz', 'Gantz', '["Hiroya Oku"]', 'finished')`).run();
    old.close();
    const catalog = createSqliteCatalog(openDatabase(file));
    assert.equal((await catalog.getSeries('gantz'))?.title, 'Gantz');
    await catalog.upsertSeries([{ id: 'gantz-g', title: 'Gantz:G', authors: ['Hiroya Oku'], authorsJa: ['奥浩哉'], genres: [], themes: [], status: 'finished', parentId: 'gantz' }]);
    const g = await createSqliteCatalog(openDatabase(file)).getSeries('gantz-g');
    assert.equal(g?.parentId, 'gantz');
    assert.deepEqual(g?.authorsJa, ['奥浩哉']);
  });
});

describe('SQLite catalog written by another process', () => {
  // Two connections to one file: the service's (reader) and the import's (writer), as in production.
  const pair = () => {
    const file = join(dir, `shared-${n++}.sqlite`);
    return { service: createSqliteCatalog(openDatabase(file)), importer: createSqliteCatalog(openDatabase(file)) };
  };

  it('takes in exactly the series another connection wrote or removed, and tells the listeners once', async () => {
    const { service, importer } = pair();
    await service.upsertSeries(fixtureSeries);
    const heard: { changed: string[]; removed: string[] }[] = [];
    service.onChange((changed, removed) => heard.push({ changed: changed.map((s) => s.id).sort(), removed }));
    assert.deepEqual(await service.refresh(), { changed: 0, removed: 0 }, 'its own writes are not news');
    assert.equal((await service.searchSeries('Berserk'))[0]?.series.id, 'berserk'); // the name index is built

    await importer.upsertSeries([{ id: 'kuroshitsuji', title: 'Kuroshitsuji', titleEn: 'Black Butler', authors: ['Yana Toboso'], genres: [], themes: [], status: 'publishing' }]);
    await importer.upsertSeries([{ ...fixtureSeries[1], popularityRank: 2 }]);
    await importer.removeSeries(['jojolion']);
    assert.equal((await service.searchSeries('Black Butler'))[0]?.series.id, undefined, 'not seen before refresh');

    assert.deepEqual(await service.refresh(), { changed: 2, removed: 1 });
    assert.deepEqual(heard, [{ changed: ['jojo-steel-ball-run', 'kuroshitsuji'], removed: ['jojolion'] }]);
    assert.equal((await service.searchSeries('Black Butler'))[0]?.series.id, 'kuroshitsuji');
    assert.equal((await service.getSeries('jojo-steel-ball-run'))?.popularityRank, 2);
    assert.deepEqual(await service.refresh(), { changed: 0, removed: 0 }, 'nothing new the second time');
    assert.equal(heard.length, 1);
  });

  it('announces product writes as changes of their series, and its own writes only once', async () => {
    const { service, importer } = pair();
    await service.upsertSeries(fixtureSeries);
    const heard: string[][] = [];
    service.onChange((changed) => heard.push(changed.map((s) => s.id)));
    await importer.upsertProducts(fixtureProducts.filter((p) => p.seriesId === 'one-piece'));
    await service.upsertSeries([{ ...fixtureSeries[0], popularityRank: 3 }]);
    assert.deepEqual(heard, [['berserk']]);
    assert.deepEqual(await service.refresh(), { changed: 2, removed: 0 }, "the importer's products, and the service's write that came after them again");
    assert.deepEqual(heard[1].sort(), ['berserk', 'one-piece']);
    assert.equal((await service.getProducts('one-piece')).length, fixtureProducts.filter((p) => p.seriesId === 'one-piece').length);
  });
});

describe('SQLite catalog: every series read once and shared', () => {
  it('allSeries is the table as it stands after writes of this connection and of another, and each caller gets its own copies', async () => {
    const file = join(dir, `shared-read-${n++}.sqlite`);
    const service = createSqliteCatalog(openDatabase(file));
    const importer = createSqliteCatalog(openDatabase(file));
    await service.upsertSeries(fixtureSeries);
    const first = await service.allSeries();
    assert.deepEqual(first.map((s) => s.id), fixtureSeries.map((s) => s.id).sort());
    // A caller that edits what it was given changes nobody else's copy.
    first[0].title = 'edited by a caller';
    assert.notEqual((await service.allSeries())[0].title, 'edited by a caller');

    await service.upsertSeries([{ ...fixtureSeries[0], title: 'Renamed here' }]);
    assert.ok((await service.allSeries()).some((s) => s.title === 'Renamed here'), "this connection's write");
    await importer.upsertSeries([{ id: 'kuroshitsuji', title: 'Kuroshitsuji', authors: ['Yana Toboso'], genres: [], themes: [], status: 'publishing' }]);
    assert.ok((await service.allSeries()).some((s) => s.id === 'kuroshitsuji'), "another connection's write, before any refresh");
    await importer.removeSeries(['kuroshitsuji']);
    assert.ok(!(await service.allSeries()).some((s) => s.id === 'kuroshitsuji'), "another connection's removal");
    await service.removeSeries(['jojolion']);
    assert.ok(!(await service.allSeries()).some((s) => s.id === 'jojolion'), "this connection's removal");
  });
});

describe('SQLite catalog: its version', () => {
  it('changes with every write of this connection or another, stays put without one, and differs between two files', async () => {
    const file = join(dir, `version-${n++}.sqlite`);
    const service = createSqliteCatalog(openDatabase(file));
    const importer = createSqliteCatalog(openDatabase(file));
    const seen = new Set<string>();
    const next = (why: string): void => {
      const v = service.version();
      assert.ok(!seen.has(v), `a new version after ${why}`);
      seen.add(v);
      assert.equal(importer.version(), v, 'both connections see one version');
    };
    next('opening');
    await service.upsertSeries(fixtureSeries);
    next("this connection's series write");
    await service.allSeries();
    assert.ok(seen.has(service.version()), 'a read changes nothing');
    await service.upsertSeries([{ ...fixtureSeries[0], title: 'Renamed here' }]);
    next('a series renamed (same count)');
    await importer.upsertSeries([{ ...fixtureSeries[1], title: 'Renamed there' }]);
    next("another connection's rename");
    await importer.upsertProducts(fixtureProducts.slice(0, 1));
    next("another connection's product write");
    await service.removeSeries(['jojolion']);
    next('a removal');
    // The same writes into another file: another version.
    const other = createSqliteCatalog(openDatabase(join(dir, `version-${n++}.sqlite`)));
    await other.upsertSeries(fixtureSeries);
    assert.notEqual(other.version().split(':')[0], service.version().split(':')[0]);
    assert.equal(createSqliteCatalog(openDatabase(file)).version(), service.version(), 'kept in the file');
  });
});
