import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { importCatalog } from '../../src/catalog/import.ts';

/** The shared MyAnimeList export, relative to the repository root. */
const MAL_CSV = resolve(import.meta.dirname, '../../../shared/data/mal_top_manga.csv');

describe('importing the full MyAnimeList export', () => {
  it('imports 15,000 rows within seconds and finds series by either name, with typos', async () => {
    assert.ok(existsSync(MAL_CSV), `the MyAnimeList export is missing: expected it at ${MAL_CSV} (../shared/data/mal_top_manga.csv from the repo root)`);
    const catalog = createSqliteCatalog(openDatabase(':memory:'));
    const report = await importCatalog(catalog, MAL_CSV);
    const t0 = performance.now();
    await catalog.searchSeries('warm up');
    const indexMs = performance.now() - t0;
    console.log(`MAL import: ${report.inserted} inserted, ${report.skipped.length} skipped in ${report.durationMs.toFixed(0)} ms; name index built in ${indexMs.toFixed(0)} ms`);
    assert.equal(report.inserted + report.skipped.length, 15000);
    assert.ok(report.skipped.every((s) => s.reason.startsWith('duplicate row')), JSON.stringify(report.skipped));
    assert.ok(report.durationMs < 10000, `import took ${report.durationMs} ms`);

    const top = async (q: string) => (await catalog.searchSeries(q, { limit: 5 }))[0];
    const aot = await top('Attack on Titan');
    assert.equal(aot?.series.title, 'Shingeki no Kyojin');
    assert.equal(aot.matchedOn, 'titleEn');
    assert.equal((await top('Shingeki no Kyojin'))?.series.id, aot.series.id);
    assert.equal((await top('Shingeki no Kyoujin'))?.series.id, aot.series.id);
    assert.equal((await top('Berserk'))?.series.title, 'Berserk');
    assert.equal((await top('Berserc'))?.series.title, 'Berserk');
    assert.equal((await top('steel ball run'))?.series.title, 'JoJo no Kimyou na Bouken Part 7: Steel Ball Run');
    assert.equal((await top('one peice'))?.series.title, 'One Piece');
    assert.equal((await top('Frieren beyond journeys end'))?.series.title, 'Sousou no Frieren');
    assert.equal((await top('Kentarou Miura'))?.series.title, 'Berserk');

    const queries = ['Attack on Titan', 'Shingeki no Kyoujin', 'Berserc', 'steel ball run', 'one peice', 'Frieren beyond journeys end', 'Kaguya-sama love is war', 'Oda Eiichiro', 'vinland', 'naruto'];
    const rounds = 20;
    const t1 = performance.now();
    for (let i = 0; i < rounds; i++) for (const q of queries) await catalog.searchSeries(q);
    const perSearch = (performance.now() - t1) / (rounds * queries.length);
    console.log(`search over ${report.inserted} series: ${perSearch.toFixed(3)} ms per query`);
    // Generous bound for a shared 2-core machine; typically well under 1 ms.
    assert.ok(perSearch < 10, `search took ${perSearch} ms`);
  });
});
