import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { importCatalog, parseJsonlCatalog, parseMalCsv } from '../../src/catalog/import.ts';
import { parseMalAuthors, parseMalCsvDetailed, parseMalStartDate, splitMalTitle } from '../../src/catalog/mal-csv.ts';
import { seedCatalogIfEmpty } from '../../src/catalog/seed.ts';
import { runImport } from '../../src/catalog/import-cli.ts';
import type { Series } from '../../src/catalog/types.ts';
import { fixtureProducts, fixtureSeries } from './fixtures.ts';

/** Fifteen real rows of the MyAnimeList export, BOM and CRLF line ends included. */
const SAMPLE = new URL('./fixtures/mal-sample.csv', import.meta.url);
const sampleText = readFileSync(SAMPLE, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'catalog-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const byTitle = (series: Series[], title: string) => series.filter((s) => s.title === title);

describe('MyAnimeList CSV parsing', () => {
  it('reads real rows despite the BOM: fields, statuses, Unknown volumes', () => {
    assert.ok(sampleText.startsWith('\uFEFF'), 'fixture keeps the BOM');
    const series = parseMalCsv(sampleText);
    const [berserk] = byTitle(series, 'Berserk');
    assert.deepEqual(berserk, {
      id: 'berserk',
      title: 'Berserk',
      authors: ['Kentarou Miura', 'Studio Gaga'],
      genres: ['Action', 'Adventure', 'Award Winning', 'Drama', 'Fantasy', 'Horror', 'Supernatural'],
      themes: ['Gore', 'Military', 'Mythology', 'Psychological'],
      status: 'publishing',
      demographic: 'Seinen',
      magazine: 'Young Animal',
      score: 9.47,
      popularityRank: 1,
      startDate: '1989-08-25',
      ageRestricted: false,
    });
    assert.equal(byTitle(series, 'Vagabond')[0].status, 'hiatus');
    assert.equal(byTitle(series, 'Vagabond')[0].volumeCount, 37);
    assert.deepEqual(byTitle(series, 'Vagabond')[0].authors, ['Takehiko Inoue', 'Eiji Yoshikawa']);
    assert.equal(byTitle(series, 'Doraemon')[0].demographic, 'Kodomomuke');
    assert.equal(byTitle(series, 'Doraemon')[0].startDate, '1969-12');
  });

  it('splits Romaji (English) titles but keeps parentheses that belong to the title', () => {
    const series = parseMalCsv(sampleText);
    const sbr = series.find((s) => s.title.startsWith('JoJo'));
    assert.equal(sbr?.title, 'JoJo no Kimyou na Bouken Part 7: Steel Ball Run');
    assert.equal(sbr?.titleEn, "JoJo's Bizarre Adventure Part 7: Steel Ball Run");
    assert.equal(sbr?.id, 'jojo-no-kimyou-na-bouken-part-7-steel-ball-run');
    assert.deepEqual(splitMalTitle('Hi no Tori (1967) (Phoenix)'), { title: 'Hi no Tori (1967)', titleEn: 'Phoenix' });
    assert.deepEqual(splitMalTitle('Rozen Maiden (2008)'), { title: 'Rozen Maiden (2008)' });
    assert.deepEqual(splitMalTitle('Gi(a)rlish Number'), { title: 'Gi(a)rlish Number' });
    assert.deepEqual(splitMalTitle('Kapon (>_<)!'), { title: 'Kapon (>_<)!' });
    assert.deepEqual(splitMalTitle('Karakai Jouzu (?) no Nishikata-san'), { title: 'Karakai Jouzu (?) no Nishikata-san' });
    // Where the export cut a Japanese head off, the separator it left is not shown; nothing left is the English title.
    assert.deepEqual(splitMalTitle(': Kusoge Hunter, Kamige ni Idoman to su (Shangri-La Frontier)'), { title: 'Kusoge Hunter, Kamige ni Idoman to su', titleEn: 'Shangri-La Frontier' });
    assert.deepEqual(splitMalTitle(': Tokyo Toritsu Jujutsu Koutou Senmon Gakkou (Jujutsu Kaisen 0)'), { title: 'Tokyo Toritsu Jujutsu Koutou Senmon Gakkou', titleEn: 'Jujutsu Kaisen 0' });
    assert.deepEqual(splitMalTitle('. (Othello)'), { title: 'Othello' });
    assert.deepEqual(splitMalTitle('! (Full Metal Panic)'), { title: 'Full Metal Panic' });
    assert.deepEqual(splitMalTitle('.hack//G.U.+'), { title: '.hack//G.U.+' });
    assert.deepEqual(splitMalTitle('+Anima'), { title: '+Anima' });
    assert.deepEqual(splitMalTitle('Kanojo, Hitomishirimasu (Rent-A-(Really Shy!)-Girlfriend)'), {
      title: 'Kanojo, Hitomishirimasu',
      titleEn: 'Rent-A-(Really Shy!)-Girlfriend',
    });
  });

  it('gives unique slugs and reports skipped rows with reasons', () => {
    const { series, skipped } = parseMalCsvDetailed(sampleText);
    assert.deepEqual(byTitle(series, 'Clover').map((s) => s.id), ['clover', 'clover-2']);
    assert.deepEqual(byTitle(series, 'Togainu no Chi').map((s) => s.id), ['togainu-no-chi', 'togainu-no-chi-2']);
    assert.equal(new Set(series.map((s) => s.id)).size, series.length);
    assert.equal(byTitle(series, '&')[0]?.id, 'series');
    assert.deepEqual(skipped, [{ line: 13, reason: 'duplicate row: Togainu no Chi' }]);
  });

  it('turns MAL author lists and publication dates into store form', () => {
    assert.deepEqual(parseMalAuthors('Murata, Yusuke (Art), ONE (Story)'), ['Yusuke Murata', 'ONE']);
    assert.deepEqual(parseMalAuthors('CLAMP (Story & Art)'), ['CLAMP']);
    assert.deepEqual(parseMalAuthors(''), []);
    assert.equal(parseMalStartDate('Aug  25, 1989 to ?'), '1989-08-25');
    assert.equal(parseMalStartDate('Sep  3, 1998 to May  21, 2015'), '1998-09-03');
    assert.equal(parseMalStartDate('1998 to  1999'), '1998');
    assert.equal(parseMalStartDate('Not available'), undefined);
  });
});

describe('JSONL catalog parsing', () => {
  it('separates series and product lines and drops invalid ones', () => {
    const text = [
      JSON.stringify(fixtureSeries[0]),
      JSON.stringify(fixtureProducts[3]),
      '{"id":"broken"',
      JSON.stringify({ ...fixtureProducts[0], priceJpy: 'cheap' }),
      '',
    ].join('\n');
    const { series, products } = parseJsonlCatalog(text);
    assert.deepEqual(series, [fixtureSeries[0]]);
    assert.deepEqual(products, [fixtureProducts[3]]);
  });
});

describe('importing into the catalog', () => {
  const shipped = (): Series => ({ ...fixtureSeries.find((s) => s.id === 'one-piece')!, score: undefined, popularityRank: undefined });

  it('merges an imported series into the shipped one instead of duplicating it', async () => {
    const catalog = createSqliteCatalog(openDatabase(':memory:'));
    await catalog.upsertSeries([shipped(), { ...fixtureSeries[0], id: 'store-berserk', title: 'BERSERK', authors: [] }]);
    await catalog.upsertProducts(fixtureProducts.filter((p) => p.seriesId === 'one-piece'));
    const file = join(dir, 'sample.csv');
    writeFileSync(file, sampleText);

    const report = await importCatalog(catalog, file);
    assert.equal(report.updated, 2);
    assert.equal(report.inserted, parseMalCsv(sampleText).length - 2);
    assert.equal(report.skipped.length, 1);

    const onePiece = await catalog.getSeries('one-piece');
    assert.equal(onePiece?.titleJa, 'ワンピース');
    assert.equal(onePiece?.synopsis, 'Luffy sets out to find the One Piece.');
    assert.equal(onePiece?.popularityRank, 4);
    assert.equal(onePiece?.score, 9.22);
    assert.deepEqual(onePiece?.authors, ['Eiichiro Oda']);
    assert.equal((await catalog.getProducts('one-piece')).length, 3);
    assert.equal((await catalog.searchSeries('One Piece')).filter((h) => h.series.title === 'One Piece').length, 1);
    // The shipped record had no authors: the import filled them in.
    assert.deepEqual((await catalog.getSeries('store-berserk'))?.authors, ['Kentarou Miura', 'Studio Gaga']);
    assert.equal(await catalog.getSeries('berserk'), undefined);
    // Imported series get no invented products.
    assert.deepEqual(await catalog.getProducts('vagabond'), []);
  });

  it('is idempotent: importing the same file again changes nothing', async () => {
    const catalog = createSqliteCatalog(openDatabase(':memory:'));
    const file = join(dir, 'again.csv');
    writeFileSync(file, sampleText);
    const first = await importCatalog(catalog, file);
    const second = await importCatalog(catalog, file);
    assert.equal(second.inserted, 0);
    assert.equal(second.updated, 0);
    assert.equal(second.unchanged, first.inserted);
    assert.equal((await catalog.counts()).series, first.inserted);
  });

  it('keeps same-titled works by different authors apart', async () => {
    const catalog = createSqliteCatalog(openDatabase(':memory:'));
    await catalog.upsertSeries([{ id: 'clover', title: 'Clover', authors: ['CLAMP'], genres: [], themes: [], status: 'finished' }]);
    const file = join(dir, 'clover.csv');
    writeFileSync(file, sampleText);
    await importCatalog(catalog, file);
    const clovers = (await catalog.allSeries()).filter((s) => s.title === 'Clover');
    assert.equal(clovers.length, 2);
    assert.equal(clovers.find((s) => s.id === 'clover')?.magazine, 'Amie Magazine');
    assert.deepEqual(clovers.find((s) => s.id !== 'clover')?.authors, ['Tetsuhiro Hirakawa']);
  });

  it('seeds the shipped JSONL catalog only when empty', async () => {
    const shippedDir = join(dir, 'shipped');
    mkdirSync(shippedDir, { recursive: true });
    writeFileSync(join(shippedDir, 'series.jsonl'), fixtureSeries.map((s) => JSON.stringify(s)).join('\n'));
    writeFileSync(join(shippedDir, 'products.jsonl'), fixtureProducts.map((p) => JSON.stringify(p)).join('\n'));
    const catalog = createSqliteCatalog(openDatabase(':memory:'));
    const report = await seedCatalogIfEmpty(catalog, shippedDir);
    assert.equal(report?.inserted, fixtureSeries.length);
    assert.equal(report?.products, fixtureProducts.length);
    assert.equal(await seedCatalogIfEmpty(catalog, shippedDir), undefined);
    assert.deepEqual(await catalog.counts(), { series: fixtureSeries.length, products: fixtureProducts.length });
  });

  it('seeds the shipped catalog over an earlier MAL import without duplicating series', async () => {
    const shippedDir = join(dir, 'shipped-after-mal');
    mkdirSync(shippedDir, { recursive: true });
    // The store calls Berserk "berserk-deluxe" and lists One Piece by its own id.
    const storeSeries = [{ ...fixtureSeries[0], id: 'berserk-deluxe', popularityRank: undefined, score: undefined }, shipped()];
    writeFileSync(join(shippedDir, 'series.jsonl'), storeSeries.map((s) => JSON.stringify(s)).join('\n'));
    writeFileSync(join(shippedDir, 'products.jsonl'), JSON.stringify({ ...fixtureProducts[3], seriesId: 'berserk-deluxe' }));
    const catalog = createSqliteCatalog(openDatabase(':memory:'));
    const file = join(dir, 'first.csv');
    writeFileSync(file, sampleText);
    const mal = await importCatalog(catalog, file);

    const report = await seedCatalogIfEmpty(catalog, shippedDir);
    assert.equal(report?.updated, 2);
    assert.equal(report?.inserted, 0);
    assert.equal((await catalog.counts()).series, mal.inserted);
    assert.equal(await catalog.getSeries('berserk'), undefined);
    const berserk = await catalog.getSeries('berserk-deluxe');
    assert.equal(berserk?.titleJa, 'ベルセルク');
    assert.equal(berserk?.popularityRank, 1, 'community statistics from MAL are kept');
    assert.equal((await catalog.getProducts('berserk-deluxe')).length, 1);
    assert.equal((await catalog.searchSeries('Berserk'))[0]?.series.id, 'berserk-deluxe');
    assert.equal(await seedCatalogIfEmpty(catalog, shippedDir), undefined);
  });

  it('runs from the command line into the database it is given', async () => {
    const file = join(dir, 'cli.csv');
    writeFileSync(file, sampleText);
    const lines: string[] = [];
    const report = await runImport([file, '--db', join(dir, 'cli', 'catalog.sqlite')], join(dir, 'unused'), (l) => lines.push(l));
    assert.ok(existsSync(join(dir, 'cli', 'catalog.sqlite')));
    assert.equal(existsSync(join(dir, 'unused')), false);
    assert.ok(report.inserted > 10);
    assert.match(lines.join('\n'), /skipped line 13: duplicate row: Togainu no Chi/);
    await runImport([file], join(dir, 'data'), () => {});
    assert.ok(existsSync(join(dir, 'data', 'catalog.sqlite')));
    await assert.rejects(runImport([], dir, () => {}), /usage/);
  });
});
