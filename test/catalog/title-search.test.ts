// Title search as findSeries uses it: titleQuery() then the name index, a series "named" at a
// score of 0.55 or more (the pipeline's NAMED_SERIES_SCORE). The catalog is the shipped one plus
// records the way the MyAnimeList import writes them (romaji or English title only, no
// Japanese title), including junk-prone names that many unrelated works share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildNameIndex, loadNameIndex, type NameIndex } from '../../src/catalog/name-index.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import { titleQuery } from '../../src/chat/title-query.ts';
import { createReadingWorker, searchWithReadings, type Readings } from '../../src/catalog/readings.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import { isRomajiWord, loanFold, loanwordRomaji, kanaToRomaji } from '../../src/catalog/kana.ts';
import type { Series } from '../../src/catalog/types.ts';

const NAMED = 0.55;
const shipped = parseJsonlCatalog(readFileSync(new URL('../../data/catalog/series.jsonl', import.meta.url), 'utf8')).series;

/** An imported record: what the MAL import gives (no Japanese title, no synopsis). */
function imported(id: string, title: string, author: string, extra: Partial<Omit<Series, 'status'>> = {}): Series {
  return { id, title, authors: [author], genres: ['Action'], themes: [], status: 'finished', popularityRank: 5000, ...extra };
}

const imports: Series[] = [
  imported('kuroshitsuji', 'Kuroshitsuji', 'Yana Toboso', { titleEn: 'Black Butler', popularityRank: 80 }),
  imported('boku-dake-ga-inai-machi', 'Boku dake ga Inai Machi', 'Kei Sanbe', { titleEn: 'Erased', popularityRank: 90 }),
  imported('soul-eater', 'Soul Eater', 'Atsushi Ookubo', { popularityRank: 70 }),
  imported('shaman-king', 'Shaman King', 'Hiroyuki Takei', { popularityRank: 150 }),
  imported('black-lagoon', 'Black Lagoon', 'Rei Hiroe', { popularityRank: 200 }),
  imported('nisekoi', 'Nisekoi', 'Naoshi Komi', { titleEn: 'Nisekoi: False Love', popularityRank: 100 }),
  // Words in many unrelated titles: a customer saying them names none of these.
  imported('next-life', 'Next Life', 'Author A'),
  imported('next-door', 'Next Door Girl', 'Author B'),
  imported('next-stage', 'Next Stage', 'Author C'),
  imported('the-next-day', 'The Next Day', 'Author D'),
  imported('next-generation', 'Next Generation', 'Author E'),
  imported('the-second-coming', 'The Second Coming', 'Author F'),
  imported('second-chance', 'Second Chance', 'Author G'),
  imported('my-second-life', 'My Second Life', 'Author H'),
  imported('last-game', 'Last Game', 'Author I'),
  imported('ju-on-volume-2', 'Ju-On Volume 2', 'Author J'),
  imported('series', 'Series', 'Hachi Ishie'),
  imported('samurai-deeper', 'Samurai Deeper Kyo', 'Akimine Kamijyo'),
  imported('bakery-love', 'Yakitate!! Japan', 'Takashi Hashiguchi', { titleEn: 'Fresh-Baked!! Japan' }),
];
const catalog = [...shipped, ...imports];
const index: NameIndex = buildNameIndex(catalog);

/** The series a customer's message names, best first (what findSeries would card by name). */
function named(message: string, idx: NameIndex = index): string[] {
  const q = titleQuery(message);
  return q ? idx.search(q, 5).filter((h) => h.score >= NAMED).map((h) => h.series.id) : [];
}

test('bare follow-ups and unknown titles name no series, though titles share their words', () => {
  for (const message of ['next', 'the second one', 'is there a next volume?', 'what about the series', 'Quantum Samurai Bakery volume 2', 'do you have Crimson Lighthouse Detective?', '量子侍ベーカリーの2巻ありますか', '在庫ありますか？', '次の巻はいつ出ますか']) {
    assert.deepEqual(named(message), [], message);
  }
});

test('a title named in full is found even when it is made of common words', () => {
  assert.equal(named('do you have Next Life?')[0], 'next-life');
  assert.equal(named('Last Game volume 3')[0], 'last-game');
});

test('kana spellings of romaji titles meet them (hiragana, katakana, long-vowel marks)', () => {
  assert.equal(named('きめつのやいば')[0], 'kimetsu-no-yaiba');
  assert.equal(named('しんげきのきょじんの1巻')[0], 'shingeki-no-kyojin');
  assert.equal(named('ちぇんそーまん')[0], 'chainsaw-man');
  assert.equal(named('ニセコイ置いてますか？')[0], 'nisekoi');
});

test('katakana loanwords meet English titles an import left without a Japanese name', () => {
  assert.equal(named('ソウルイーターの漫画ありますか？')[0], 'soul-eater');
  assert.equal(named('シャーマンキング')[0], 'shaman-king');
  assert.equal(named('ブラックラグーン')[0], 'black-lagoon');
  // Made-up katakana names stay unknown.
  assert.deepEqual(named('ギャラクティックオリガミウォーズ'), []);
});

test('loanword spelling rules: a katakana word and its English spelling fold to the same romaji', () => {
  const same = (english: string, katakana: string) => assert.equal(loanFold(english.split(' ').map(loanwordRomaji).join('')), loanFold(kanaToRomaji(katakana)), `${english} / ${katakana}`);
  same('soul eater', 'ソウルイーター');
  same('black clover', 'ブラッククローバー');
  same('hunter hunter', 'ハンターハンター');
  same('monster', 'モンスター');
  same('slam dunk', 'スラムダンク');
  assert.ok(isRomajiWord('kimetsu') && isRomajiWord('shingeki') && !isRomajiWord('soul') && !isRomajiWord('eater'));
});

test('Japanese author names find their works, with honorifics and "works of" around them', () => {
  assert.ok(named('井上雄彦').includes('slam-dunk'));
  assert.ok(named('井上雄彦さんの作品って何がありますか').includes('vagabond'));
  assert.equal(named('尾田栄一郎の漫画')[0], 'one-piece');
});

test('a subtitle is a name of its own', () => {
  assert.equal(named('Steel Ball Run')[0], 'jojo-steel-ball-run');
  assert.equal(named('do you have Demon Slayer vol 5?')[0], 'kimetsu-no-yaiba');
});

test('one typo in a word is forgiven, the first letter is not', () => {
  assert.equal(named('jujustu kaisen')[0], 'jujutsu-kaisen');
  assert.equal(named('vinlnad saga')[0], 'vinland-saga');
  assert.equal(named('demon slyer vol 5')[0], 'kimetsu-no-yaiba');
  assert.deepEqual(named('xerserk'), []);
});

test('a volume number after the title does not count against it', () => {
  assert.equal(named('I want to preorder Blue Lock 35, when does it come out?')[0], 'blue-lock');
  assert.equal(named('never mind, is Vagabond volume 2 in stock?')[0], 'vagabond');
});

/** A dictionary that knows the readings it is given. */
function fakeReadings(known: Record<string, string>, state: Readings['state'] = 'ready'): Readings & { asked: string[] } {
  const asked: string[] = [];
  return {
    state,
    asked,
    async read(text: string) {
      asked.push(text);
      return known[text];
    },
  };
}

test('kanji of a romaji-only title are found through their reading once the dictionary is ready', async () => {
  const readings = fakeReadings({ 黒執事: 'クロシツジ', 僕だけがいない街: 'ボクダケガイナイマチ' });
  const ids = async (q: string, r: Readings) => (await searchWithReadings(() => index, q, 5, r)).filter((h) => h.score >= NAMED).map((h) => h.series.id);
  assert.equal((await ids('黒執事', readings))[0], 'kuroshitsuji');
  assert.equal((await ids('僕だけがいない街', readings))[0], 'boku-dake-ga-inai-machi');
  // A Japanese title the catalog has needs no reading: the dictionary is not asked.
  readings.asked.length = 0;
  assert.equal((await ids('進撃の巨人', readings))[0], 'shingeki-no-kyojin');
  assert.deepEqual(readings.asked, []);
  // Still loading: nothing is asked, nothing is found, nothing waits.
  const loading = fakeReadings({ 黒執事: 'クロシツジ' }, 'loading');
  assert.deepEqual(await ids('黒執事', loading), []);
  assert.deepEqual(loading.asked, []);
});

test('the SQLite catalog searches kanji by reading when given a dictionary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'title-search-'));
  const db = openDatabase(join(dir, 'catalog.sqlite'));
  try {
    const sqlite = createSqliteCatalog(db, { readings: fakeReadings({ 黒執事: 'クロシツジ' }) });
    await sqlite.upsertSeries(catalog);
    const hits = await sqlite.searchSeries(titleQuery('黒執事ってありますか'), { limit: 3 });
    assert.equal(hits[0]?.series.id, 'kuroshitsuji');
    assert.ok(hits[0].score >= NAMED);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the reading dictionary loads on its own thread and reads kanji; before that it answers nothing at once', async () => {
  const worker = createReadingWorker({ timeoutMs: 5000 });
  try {
    assert.equal(worker.state, 'off');
    assert.equal(await worker.read('黒執事'), undefined);
    worker.start();
    assert.equal(worker.state, 'loading');
    assert.equal(await worker.read('黒執事'), undefined);
    while (worker.state === 'loading') await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(worker.state, 'ready');
    assert.equal(await worker.read('黒執事'), 'クロシツジ');
    assert.equal(await worker.read('僕だけがいない街'), 'ボクダケガイナイマチ');
    // An unknown kanji leaves no reading rather than half of one.
    assert.equal(await worker.read('東京喰種'), undefined);
  } finally {
    await worker.close();
  }
  assert.equal(worker.state, 'off');
  assert.equal(await worker.read('黒執事'), undefined);
});

test('a stored index opens to the same search, and is refused once a name changed', () => {
  const bytes = index.serialize();
  const loaded = loadNameIndex(catalog, bytes);
  assert.ok(loaded);
  for (const q of ['Berserk', 'きめつのやいば', 'ソウルイーター', 'jujustu kaisen', '井上雄彦', 'next', 'Steel Ball Run']) {
    assert.deepEqual(loaded.search(q, 5).map((h) => [h.series.id, h.score]), index.search(q, 5).map((h) => [h.series.id, h.score]), q);
  }
  const renamed = catalog.map((s) => (s.id === 'soul-eater' ? { ...s, title: 'Soul Eater Not!' } : s));
  assert.equal(loadNameIndex(renamed, bytes), undefined);
  assert.equal(loadNameIndex(catalog.slice(1), bytes), undefined);
  assert.equal(loadNameIndex(catalog, new Uint8Array([1, 2, 3])), undefined);
});

test('the SQLite catalog stores its name index for the next process on the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'title-search-'));
  const file = join(dir, 'catalog.sqlite');
  const first = openDatabase(file);
  try {
    const sqlite = createSqliteCatalog(first);
    await sqlite.upsertSeries(catalog);
    assert.equal((await sqlite.searchSeries('Soul Eater', { limit: 1 }))[0]?.series.id, 'soul-eater');
    // Stored right after the build, off the search's turn.
    await new Promise((resolve) => setImmediate(resolve));
    const second = openDatabase(file);
    try {
      const row = second.prepare('SELECT data FROM catalog_name_index WHERE id = 1').get() as { data: Uint8Array } | undefined;
      assert.ok(row, 'a stored index');
      const reopened = createSqliteCatalog(second);
      const series = await reopened.allSeries();
      assert.ok(loadNameIndex(series, row.data), 'built from the names the catalog now has');
      assert.equal((await reopened.searchSeries('ソウルイーター', { limit: 1 }))[0]?.series.id, 'soul-eater');
    } finally {
      second.close();
    }
  } finally {
    first.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an import stores the index before it closes the file, so the next start opens it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'title-search-'));
  const file = join(dir, 'catalog.sqlite');
  try {
    const importer = openDatabase(file);
    const written = createSqliteCatalog(importer);
    await written.upsertSeries(catalog);
    written.storeNameIndex();
    importer.close();
    const service = openDatabase(file);
    try {
      const row = service.prepare('SELECT data FROM catalog_name_index WHERE id = 1').get() as { data: Uint8Array } | undefined;
      const reopened = createSqliteCatalog(service);
      assert.ok(row && loadNameIndex(await reopened.allSeries(), row.data), 'the stored index matches the imported names');
    } finally {
      service.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
