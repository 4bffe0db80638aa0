// A title typed otherwise than the catalog writes it (fixer E, step 8): one word of the name split
// in two ("full metal alchimist"), the author's name before one of their titles (「浦沢直樹のMONSTER」),
// a romaji name with an English word written in katakana (アカメがキル), a clipping made of a
// syllable closed by ん (文スト), and another work named only to say who made the one asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildNameIndex, clippingsOf } from '../../src/catalog/name-index.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import { titleSearch } from '../../src/chat/title-query.ts';
import type { Series } from '../../src/catalog/types.ts';

const shipped = parseJsonlCatalog(readFileSync(new URL('../../data/catalog/series.jsonl', import.meta.url), 'utf8')).series;
const imported = (id: string, title: string, extra: Partial<Series> = {}): Series => ({ id, title, authors: ['A'], genres: ['Action'], themes: [], status: 'finished', popularityRank: 90, ...extra }) as Series;
const index = buildNameIndex([
  ...shipped,
  imported('akame-ga-kill', 'Akame ga Kill!', { authors: ['Takahiro', 'Tetsuya Tashiro'], popularityRank: 120 }),
  imported('akame', 'Akame', { titleEn: 'The Red Eyes', authors: ['Sanpei Shirato'], popularityRank: 9000 }),
  imported('bungou-stray-dogs', 'Bungou Stray Dogs', { titleEn: 'Bungo Stray Dogs', authors: ['Kafka Asagiri', 'Harukawa35'], popularityRank: 80 }),
  imported('love-witch', 'Love Witch', { authors: ['B'], popularityRank: 5000 }),
  imported('sayonara-eri', 'Sayonara Eri', { titleEn: 'Goodbye, Eri', authors: ['Tatsuki Fujimoto'], popularityRank: 300 }),
  imported('air-gear', 'Air Gear', { authors: ['Oh! Great'], popularityRank: 400 }),
  imported('psyren', 'Psyren', { authors: ['Toshiaki Iwashiro'], popularityRank: 500 }),
  imported('suiren', 'Suiren', { authors: ['C'], popularityRank: 9000 }),
  imported('enen-no-shouboutai', 'Enen no Shouboutai', { titleEn: 'Fire Force', authors: ['Atsushi Ookubo'], popularityRank: 200 }),
]);

function search(message: string): { id: string; score: number }[] {
  const { query, context } = titleSearch(message);
  return index.search(query, 5, { context }).map((h) => ({ id: h.series.id, score: h.score }));
}
const first = (message: string): string | undefined => search(message).filter((h) => h.score >= 0.55)[0]?.id;

test('a one-word name typed as two words, misspelt or not, is that name', () => {
  assert.equal(first('full metal alchimist'), 'fullmetal-alchemist');
  assert.equal(first('is full metal alchemist finished?'), 'fullmetal-alchemist');
  assert.equal(first('vin land saga vol 3 price'), 'vinland-saga');
  // One word of content written together with a request word beside it names nothing.
  assert.ok(!search('manga about a guy who falls in love with a deaf girl he bullied').some((h) => h.id === 'love-witch' && h.score >= 0.55));
});

test('an author named with one of their titles asks for that title, not their other works', () => {
  const hits = search('浦沢直樹のMONSTERある?');
  assert.equal(hits[0]?.id, 'monster', JSON.stringify(hits));
  assert.ok(!hits.some((h) => (h.id === '20th-century-boys' || h.id === 'pluto') && h.score >= 0.55), JSON.stringify(hits));
  assert.equal(first('手塚治虫のブラックジャック'), 'black-jack');
  // The author alone still finds their works, the most popular first.
  assert.ok(search('浦沢直樹の作品ある？').filter((h) => h.score >= 0.55).length >= 2);
});

test('a romaji name with an English word is found with that word in katakana', () => {
  assert.equal(first('アカメがキル'), 'akame-ga-kill');
  assert.equal(first('アカメガキルある？'), 'akame-ga-kill');
});

test('a clipping made of a first syllable closed by ん and the start of the next word', () => {
  assert.ok(clippingsOf({ title: 'Bungou Stray Dogs' } as Series).includes('bunsuto'));
  assert.deepEqual(clippingsOf({ title: 'Slam Dunk' } as Series), ['suradan']);
  assert.equal(first('ぶんすとの1巻'), 'bungou-stray-dogs');
});

test('another work named only to say who made the one asked for is not searched', () => {
  const cases: [string, string][] = [
    ['I heard Goodbye, Eri is by the chainsaw man guy, do you have it?', 'Goodbye Eri'],
    ['do you have Look Back from the author of Chainsaw Man?', 'Back'],
    ['チェンソーマンの作者のさよなら絵梨ある？', 'さよなら絵梨'],
    // Asked about alone, it is the subject.
    ['anything else by the chainsaw man guy?', 'chainsaw man'],
    ["who's the author of Chainsaw Man?", 'Chainsaw Man'],
  ];
  for (const [text, query] of cases) assert.equal(titleSearch(text).query, query, text);
  assert.equal(first('I heard Goodbye, Eri is by the chainsaw man guy, do you have it?'), 'sayonara-eri');
});

test('English words of an imported title in katakana: air エア, gear ギア, ps サ, fire ファイア, force フォース', () => {
  assert.equal(first('エアギアの漫画ありますか'), 'air-gear');
  assert.equal(first('サイレンって漫画'), 'psyren');
  assert.equal(first('ファイアフォースある？'), 'enen-no-shouboutai');
  assert.equal(first('スイレン'), 'suiren');
});
