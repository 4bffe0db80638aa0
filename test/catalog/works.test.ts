// What is one work, what is a spin-off, and who may see it: a MyAnimeList export meeting the
// store's own catalog, through the real importer and SQLite catalog.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { importCatalogText } from '../../src/catalog/import.ts';
import { splitMalTitle, parseMalCsv } from '../../src/catalog/mal-csv.ts';
import type { Product, Series, WritableCatalog } from '../../src/catalog/types.ts';

const HEADER = 'Title,Score,Vote,Ranked,Popularity,Members,Favorite,Types,Volumes,Chapters,Status,Published,Genres,Themes,Demographic,Serialization,Author,Total Review,Type Review';

interface Row {
  title: string;
  author: string;
  popularity: number;
  volumes?: number;
  published?: string;
  genres?: string[];
  themes?: string[];
  demographic?: string;
}

/** One line of the export, quoted the way the real file quotes it. */
function csvLine(r: Row): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const list = (xs: string[] = []) => q(`[${xs.map((x) => `'${x}'`).join(', ')}]`);
  return [
    q(r.title), '7.5', '1000.0', String(r.popularity), String(r.popularity), '"1,000"', '10', 'Manga',
    r.volumes === undefined ? 'Unknown' : String(r.volumes), 'Unknown', 'Finished', q(r.published ?? '2000'),
    list(r.genres), list(r.themes), r.demographic ?? '', '', q(r.author), '0', '"[0, 0, 0]"',
  ].join(',');
}

const ROWS: Row[] = [
  { title: 'GTO (GTO: Great Teacher Onizuka)', author: 'Fujisawa, Tooru (Story & Art)', popularity: 445, volumes: 25, published: 'Dec  11, 1996 to Jan  30, 2002', demographic: 'Shounen' },
  { title: 'GTO: Shonan 14 Days (GTO: 14 Days in Shonan)', author: 'Fujisawa, Tooru (Story & Art)', popularity: 2100, volumes: 9, published: 'Jun  10, 2009 to Nov  16, 2011' },
  { title: 'Rurouni Kenshin: Meiji Kenkaku Romantan (Rurouni Kenshin: Meiji Swordsman Romantic Story)', author: 'Watsuki, Nobuhiro (Story & Art)', popularity: 198, volumes: 28, published: 'Apr  12, 1994 to Sep  21, 1999' },
  { title: 'Rurouni Kenshin: Meiji Kenkaku Romantan - Hokkaido-hen (Rurouni Kenshin: Hokkaido Arc)', author: 'Watsuki, Nobuhiro (Story & Art)', popularity: 3000, published: 'Nov  4, 2016 to ?' },
  { title: 'Kochira Katsushikaku Kameari Kouenmae Hashutsujo', author: 'Akimoto, Osamu (Story & Art)', popularity: 6613, volumes: 200, published: 'Sep  21, 1976 to Sep  17, 2016' },
  { title: 'Gantz:G', author: 'Oku, Hiroya (Story), Imai, Keita (Art)', popularity: 4000, volumes: 3, genres: ['Sci-Fi'], demographic: 'Seinen' },
  { title: 'Gantz:E', author: 'Oku, Hiroya (Story), Kagetsu, Jin (Art)', popularity: 2607, genres: ['Action', 'Drama'], themes: ['Gore'], demographic: 'Seinen' },
  { title: 'Eyeshield 21', author: 'Inagaki, Riichiro (Story), Murata, Yusuke (Art)', popularity: 201, volumes: 37, genres: ['Sports'], demographic: 'Shounen' },
  { title: 'Eyeshield 21', author: 'Inagaki, Riichiro (Story), Murata, Yusuke (Art)', popularity: 10994, published: 'Mar  5, 2002 to Mar  12, 2002', genres: ['Sports'], demographic: 'Shounen' },
  { title: 'Shaman King', author: 'Takei, Hiroyuki (Story & Art)', popularity: 300, volumes: 32, demographic: 'Shounen' },
  { title: 'Shaman King Kanzenban', author: 'Takei, Hiroyuki (Story & Art)', popularity: 9000, volumes: 27, demographic: 'Shounen' },
  { title: 'Togainu no Chi', author: 'Chayamachi, Suguro (Art), Nitroplus (Story)', popularity: 4563, volumes: 10 },
  { title: 'Togainu no Chi', author: 'Yamamoto, Kana (Art), Nitroplus (Story)', popularity: 7641, volumes: 1 },
  { title: 'Monster Musume no Iru Nichijou (Monster Musume: Everyday Life with Monster Girls)', author: 'Okayado (Story & Art)', popularity: 500, genres: ['Comedy', 'Fantasy', 'Romance', 'Ecchi'], demographic: 'Seinen' },
  { title: 'Monster Musume no Iru Nichijou 4-koma Anthology (Monster Musume: I ♥ Monster Girls)', author: 'Samurai, Nobuyoshi (Art), Shiraha, Mato (Art)', popularity: 9000, genres: ['Comedy', 'Fantasy'] },
  { title: 'Blue', author: 'Yamamoto, Naoki (Story & Art)', popularity: 15624, volumes: 1, genres: ['Ecchi'], demographic: 'Seinen' },
  { title: 'Blue Giant', author: 'Ishizuka, Shinichi (Story & Art)', popularity: 1500, volumes: 10, genres: ['Award Winning'], demographic: 'Seinen' },
  { title: 'Shokugeki no Souma (Food Wars! Shokugeki no Soma)', author: 'Tsukuda, Yuuto (Story), Saeki, Shun (Art)', popularity: 80, volumes: 36, genres: ['Ecchi', 'Gourmet'], demographic: 'Shounen' },
  { title: 'Hentai', author: 'Umemaru (Art), Kaisaru (Story)', popularity: 10428, volumes: 2, genres: ['Action', 'Horror', 'Mystery'] },
  { title: 'Kaichou wa  (Maid-sama!)', author: 'Fujiwara, Hiro (Story & Art)', popularity: 63, volumes: 18, demographic: 'Shoujo' },
  { title: 'Kimi no Na wa.', author: 'Shinkai, Makoto (Story), Kotone, Ranmaru (Art)', popularity: 700, volumes: 3 },
  { title: 'Kimi no Na wa. (Novel)', author: 'Shinkai, Makoto (Story)', popularity: 5000, volumes: 1 },
];
const CSV = `\uFEFF${[HEADER, ...ROWS.map(csvLine)].join('\r\n')}\r\n`;

/** The store's own series, each with a volume on sale (that is what makes them the store's). */
const STORE: Series[] = [
  { id: 'great-teacher-onizuka', title: 'Great Teacher Onizuka', titleJa: 'GTO', authors: ['Tooru Fujisawa'], genres: ['Comedy'], themes: [], status: 'finished', volumeCount: 25, ageRestricted: false, startDate: '1997-01-08' },
  { id: 'rurouni-kenshin', title: 'Rurouni Kenshin', titleJa: 'るろうに剣心 -明治剣客浪漫譚-', authors: ['Nobuhiro Watsuki'], genres: ['Action'], themes: [], status: 'finished', volumeCount: 28, ageRestricted: false, startDate: '1994-04-12' },
  { id: 'kochikame', title: 'Kochira Katsushika-ku Kameari Kouen-mae Hashutsujo', titleEn: 'KochiKame', titleJa: 'こちら葛飾区亀有公園前派出所', aliases: ['こち亀'], authors: ['Osamu Akimoto'], genres: ['Comedy'], themes: [], status: 'finished', volumeCount: 201, ageRestricted: false },
  { id: 'gantz', title: 'Gantz', titleJa: 'ガンツ', authors: ['Hiroya Oku'], genres: ['Action', 'Horror', 'Sci-Fi'], themes: ['Gore'], demographic: 'Seinen', status: 'finished', volumeCount: 37, ageRestricted: true },
];
const storeProducts: Product[] = STORE.map((s) => ({ id: `${s.id}-v001`, seriesId: s.id, volume: 1, format: 'tankobon', priceJpy: 500, stock: 3, releaseDate: '2000-01-01' }));
const storeJsonl = [...STORE, ...storeProducts].map((x) => JSON.stringify(x)).join('\n');

async function catalogWith(order: 'store-then-import' | 'import-then-store'): Promise<WritableCatalog> {
  const catalog = createSqliteCatalog(openDatabase(':memory:'));
  if (order === 'store-then-import') {
    await importCatalogText(catalog, storeJsonl, 'jsonl');
    await importCatalogText(catalog, CSV, 'mal-csv');
  } else {
    await importCatalogText(catalog, CSV, 'mal-csv');
    await importCatalogText(catalog, storeJsonl, 'jsonl');
  }
  return catalog;
}

const byTitle = (all: Series[], title: string) => all.filter((s) => s.title === title || s.titleEn === title);

describe('titles the export cut apart', () => {
  it('puts an English title cut out of the romaji back where it was', () => {
    assert.deepEqual(splitMalTitle('Kaichou wa  (Maid-sama!)'), { title: 'Kaichou wa Maid-sama!', titleEn: 'Maid-sama!' });
    assert.deepEqual(splitMalTitle(' Series (Canis)'), { title: 'Canis Series', titleEn: 'Canis' });
    assert.deepEqual(splitMalTitle('Majutsushi  Hagure Tabi (Orphen)'), { title: 'Majutsushi Orphen Hagure Tabi', titleEn: 'Orphen' });
    assert.deepEqual(splitMalTitle('Koukaku Kidoutai:  (The Ghost in the Shell)'), { title: 'Koukaku Kidoutai: The Ghost in the Shell', titleEn: 'The Ghost in the Shell' });
  });

  it('keeps a format in brackets as part of the title, not as an English title', () => {
    assert.deepEqual(splitMalTitle('Berserk (Digital)'), { title: 'Berserk (Digital)' });
    assert.deepEqual(splitMalTitle('Kimi no Na wa. (Novel)'), { title: 'Kimi no Na wa. (Novel)' });
  });
});

describe('the age rule of an import', () => {
  it('restricts adult genres and fan service for older readers, and says all-ages otherwise', () => {
    const rows = parseMalCsv(CSV);
    const flag = (title: string) => rows.find((s) => s.title === title)?.ageRestricted;
    assert.equal(flag('Monster Musume no Iru Nichijou'), true, 'Ecchi, Seinen');
    assert.equal(flag('Blue'), true, 'Ecchi, Seinen');
    assert.equal(flag('Shokugeki no Souma'), false, 'Ecchi for a Shounen readership is not 18+ in this store');
    assert.equal(flag('Hentai'), false, 'a word in a title is not a genre');
    assert.equal(flag('Blue Giant'), false);
    const hentaiGenre = parseMalCsv(`${HEADER}\n${csvLine({ title: 'X', author: 'A, B (Story & Art)', popularity: 1, genres: ['Hentai'] })}`);
    assert.equal(hentaiGenre[0].ageRestricted, true);
  });
});

for (const order of ['store-then-import', 'import-then-store'] as const) {
  describe(`one card per work (${order})`, () => {
    it('merges the same work under another name into the store series, keeping its id, data and products', async () => {
      const catalog = await catalogWith(order);
      const all = await catalog.allSeries();
      assert.equal(all.filter((s) => s.authors.includes('Tooru Fujisawa') && /GTO$|Great Teacher Onizuka$/.test(s.titleEn ?? s.title)).length, 1);
      const gto = await catalog.getSeries('great-teacher-onizuka');
      assert.equal(gto?.titleJa, 'GTO');
      assert.ok(gto?.aliases?.includes('GTO: Great Teacher Onizuka'), JSON.stringify(gto?.aliases));
      assert.equal(gto?.titleEn, undefined, "the store's name is what English customers see; the import's is an alias");
      assert.equal(gto?.popularityRank, 445, 'community statistics come from the import');
      assert.equal((await catalog.getProducts('great-teacher-onizuka')).length, 1);

      const kenshin = all.filter((s) => s.authors.includes('Nobuhiro Watsuki') && !s.parentId);
      assert.deepEqual(kenshin.map((s) => s.id), ['rurouni-kenshin'], 'Rurouni Kenshin: Meiji Kenkaku Romantan is the store series');
      assert.equal((await catalog.getSeries('rurouni-kenshin'))?.titleJa, 'るろうに剣心 -明治剣客浪漫譚-');

      const kochikame = all.filter((s) => s.authors.includes('Osamu Akimoto'));
      assert.deepEqual(kochikame.map((s) => s.id), ['kochikame']);
      assert.equal(kochikame[0].volumeCount, 201, "the store's count wins over the import's 200");
      assert.ok(kochikame[0].aliases?.includes('Kochira Katsushikaku Kameari Kouenmae Hashutsujo'));
    });

    it('keeps spin-offs, sequels and adaptations separate, linked to their series', async () => {
      const all = await (await catalogWith(order)).allSeries();
      const one = (title: string) => {
        const found = byTitle(all, title);
        assert.equal(found.length, 1, `${title}: ${found.map((s) => s.id).join(', ')}`);
        return found[0];
      };
      assert.equal(one('GTO: Shonan 14 Days').parentId, 'great-teacher-onizuka');
      assert.equal(one('Rurouni Kenshin: Meiji Kenkaku Romantan - Hokkaido-hen').parentId, 'rurouni-kenshin');
      assert.equal(one('Gantz:G').parentId, 'gantz');
      assert.equal(one('Gantz:E').parentId, 'gantz');
      assert.equal(one('Kimi no Na wa. (Novel)').parentId, one('Kimi no Na wa.').id);
      assert.equal(one('Blue Giant').parentId, undefined, 'a one-word title by someone else is no parent');
    });

    it('folds a pilot listed under the series name and an edition into the work, and keeps two artists apart', async () => {
      const all = await (await catalogWith(order)).allSeries();
      const eyeshield = byTitle(all, 'Eyeshield 21');
      assert.equal(eyeshield.length, 1);
      assert.equal(eyeshield[0].volumeCount, 37, 'the series, not the pilot');
      const shaman = all.filter((s) => s.authors.includes('Hiroyuki Takei'));
      assert.deepEqual(shaman.map((s) => s.title), ['Shaman King']);
      assert.ok(shaman[0].aliases?.includes('Shaman King Kanzenban'));
      assert.equal(byTitle(all, 'Togainu no Chi').length, 2, 'two manga of one game by two artists');
      assert.equal(byTitle(all, 'Kaichou wa Maid-sama!').length, 1);
    });

    it('carries a restriction to spin-offs, whoever draws them, and not to unrelated titles', async () => {
      const all = await (await catalogWith(order)).allSeries();
      const flag = (title: string) => byTitle(all, title)[0]?.ageRestricted;
      assert.equal(flag('Gantz'), true);
      assert.equal(flag('Gantz:G'), true, 'Sci-Fi, Seinen: restricted only because Gantz is');
      assert.equal(flag('Gantz:E'), true);
      assert.equal(flag('Monster Musume no Iru Nichijou 4-koma Anthology'), true, 'drawn by others, still Monster Musume');
      assert.equal(flag('Blue Giant'), false);
      assert.equal(flag('GTO: Shonan 14 Days'), false);
    });
  });
}

describe('importing again', () => {
  it('changes nothing the second time', async () => {
    const catalog = await catalogWith('store-then-import');
    const before = await catalog.allSeries();
    const again = await importCatalogText(catalog, CSV, 'mal-csv');
    assert.deepEqual(again.changedIds, []);
    assert.equal(again.inserted, 0);
    assert.equal(again.updated, 0);
    assert.equal(again.removed, 0);
    assert.deepEqual(await catalog.allSeries(), before);
  });

  it('folds duplicates an older importer left behind into the store series', async () => {
    const catalog = createSqliteCatalog(openDatabase(':memory:'));
    await importCatalogText(catalog, storeJsonl, 'jsonl');
    // What the importer before this one wrote: GTO beside Great Teacher Onizuka.
    await catalog.upsertSeries([{ id: 'gto', title: 'GTO', titleEn: 'GTO: Great Teacher Onizuka', authors: ['Tooru Fujisawa'], genres: [], themes: [], status: 'finished', volumeCount: 25 }]);
    const report = await importCatalogText(catalog, CSV, 'mal-csv');
    assert.ok(report.changedIds.includes('gto'));
    assert.equal(report.removed, 1);
    assert.equal(await catalog.getSeries('gto'), undefined);
    assert.equal((await catalog.searchSeries('GTO'))[0]?.series.id, 'great-teacher-onizuka');
  });
});
