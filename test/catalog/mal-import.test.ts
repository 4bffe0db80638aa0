import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { importCatalog } from '../../src/catalog/import.ts';
import { seedCatalogIfEmpty } from '../../src/catalog/seed.ts';
import type { Series } from '../../src/catalog/types.ts';

/** The shared MyAnimeList export, relative to the repository root. */
const MAL_CSV = resolve(import.meta.dirname, '../../../shared/data/mal_top_manga.csv');

describe('importing the full MyAnimeList export', () => {
  it('imports 15,000 rows and finds series by either name, with typos', async () => {
    assert.ok(existsSync(MAL_CSV), `the MyAnimeList export is missing: expected it at ${MAL_CSV} (../shared/data/mal_top_manga.csv from the repo root)`);
    const catalog = createSqliteCatalog(openDatabase(':memory:'));
    const report = await importCatalog(catalog, MAL_CSV);
    const t0 = performance.now();
    await catalog.searchSeries('warm up');
    const indexMs = performance.now() - t0;
    console.log(`MAL import: ${report.inserted} inserted, ${report.skipped.length} skipped in ${report.durationMs.toFixed(0)} ms; name index built in ${indexMs.toFixed(0)} ms`);
    // Every row is a series, a row folded into the work it is (a pilot, an edition), or skipped.
    assert.equal(report.inserted + report.folded + report.skipped.length, 15000);
    assert.ok(report.skipped.every((s) => s.reason.startsWith('duplicate row')), JSON.stringify(report.skipped));

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
    // Speed is measured by the benchmarks (bench/startup.ts, bench:retrieval), not asserted here.
    console.log(`search over ${report.inserted} series: ${perSearch.toFixed(3)} ms per query`);
  });

  it('over the shipped catalog: one series per work, spin-offs linked, adult titles flagged', async () => {
    const catalog = createSqliteCatalog(openDatabase(':memory:'));
    await seedCatalogIfEmpty(catalog, resolve(import.meta.dirname, '../../data/catalog'));
    const report = await importCatalog(catalog, MAL_CSV);
    console.log(`MAL over shipped: ${report.updated} merged, ${report.inserted} new, ${report.folded} rows folded, ${report.linked} linked, ${report.restricted} restricted`);
    const all = await catalog.allSeries();
    const byId = new Map(all.map((s) => [s.id, s]));
    const named = (title: string): Series[] => all.filter((s) => s.title === title || s.titleEn === title);

    // The defects issue 15 names: each work once, under the store's id, with its Japanese title.
    for (const [id, ja] of [['great-teacher-onizuka', 'GTO'], ['rurouni-kenshin', 'るろうに剣心 -明治剣客浪漫譚-'], ['kochikame', 'こちら葛飾区亀有公園前派出所']]) {
      assert.equal(byId.get(id)?.titleJa, ja, id);
    }
    for (const gone of ['gto', 'rurouni-kenshin-meiji-kenkaku-romantan', 'kochira-katsushikaku-kameari-kouenmae-hashutsujo']) assert.equal(byId.has(gone), false, gone);
    assert.equal((await catalog.searchSeries('GTO', { limit: 5 })).filter((h) => h.series.authors.includes('Tooru Fujisawa') && !h.series.parentId).length, 1);
    assert.equal(byId.get('kochikame')?.volumeCount, 201);
    assert.equal(named('Eyeshield 21').length, 1, 'the 2002 pilot is folded into the series');

    // Spin-offs stay separate and follow their series, restriction included.
    for (const title of ['Gantz:G', 'Gantz:E']) {
      const [s] = named(title);
      assert.equal(s?.parentId, 'gantz', title);
      assert.equal(s?.ageRestricted, true, title);
    }
    assert.equal(named('Rurouni Kenshin: Meiji Kenkaku Romantan - Hokkaido-hen')[0]?.parentId, 'rurouni-kenshin');
    assert.equal(named('GTO: Shonan 14 Days')[0]?.parentId, 'great-teacher-onizuka');

    // The store's age rule: Monster Musume (Seinen, Ecchi) for adults; Blue Lock, Blue Giant and
    // the all-ages horror titled "Hentai" for everyone; the store's own flags untouched.
    assert.equal(named('Monster Musume no Iru Nichijou')[0]?.ageRestricted, true);
    assert.equal(named('Monster Musume no Iru Nichijou 4-koma Anthology')[0]?.ageRestricted, true);
    for (const title of ['Blue Lock', 'Blue Giant', 'Hentai', 'Shokugeki no Souma']) assert.equal(named(title)[0]?.ageRestricted, false, title);
    assert.equal(byId.get('berserk')?.ageRestricted, false);
    assert.equal(byId.get('gantz')?.ageRestricted, true);

    // Titles the export cut apart are whole again (no series called just "Series").
    assert.equal(named('Series').length, 0);
    assert.equal(named('Canis Series').length, 1);
  });
});
