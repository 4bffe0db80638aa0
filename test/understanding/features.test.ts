import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFeatureBuffer, extractFeatures, normaliseForFeatures, TITLE_SLOT } from '../../src/understanding/features.ts';
import { conceptsOf } from '../../src/understanding/concepts.ts';

function features(text: string, buckets = 1 << 16): number[] {
  const buf = createFeatureBuffer();
  const n = extractFeatures(normaliseForFeatures(text), buckets, buf);
  return Array.from(buf.indices.subarray(0, n)).sort((a, b) => a - b);
}

test('features are deterministic and stay inside the bucket range', () => {
  assert.deepEqual(features('ワンピースの108巻 price?'), features('ワンピースの108巻 price?'));
  for (const f of features('do you have Frieren? フリーレンありますか', 1024)) assert.ok(f >= 0 && f < 1024);
});

test('different volume numbers and order numbers give the same features', () => {
  assert.deepEqual(features('is vol 3 in stock'), features('is vol 112 in stock'));
  assert.deepEqual(features('3巻ありますか'), features('108巻ありますか'));
  assert.deepEqual(features('where is MA-20261104-0007'), features('where is ma-20261231-9999'));
  assert.notDeepEqual(features('where is MA-20261104-0007'), features('where is it'));
});

test('full-width and upper-case forms give the same features as their plain forms', () => {
  assert.deepEqual(features('ＦＲＩＥＲＥＮ　ありますか'), features('frieren ありますか'));
});

test('Japanese text without spaces still yields character n-grams', () => {
  // 7 characters: 7 unigrams and 8 bigrams counting the run boundaries (^x, z$).
  assert.equal(features('鬼滅の刃ありま').length, 7 + 8);
});

test('the feature buffer caps very long messages instead of overflowing', () => {
  const buf = createFeatureBuffer(100);
  const n = extractFeatures(normaliseForFeatures('a long message '.repeat(500)), 1 << 16, buf);
  assert.equal(n, 100);
});

test('concepts: one word of a list is enough, in either language', () => {
  const of = (text: string) => conceptsOf(normaliseForFeatures(text));
  assert.ok(of('this bot sucks').includes('insult'));
  assert.ok(of('いい加減にしろよ').includes('insult'));
  assert.ok(of('can I speak to a supervisor').includes('human'));
  assert.ok(of('担当の方に代わってください').includes('human'));
  assert.ok(of('is PayPay accepted?').includes('policy'));
  assert.ok(of('クーポンある？').includes('promotion'));
  // Whole words only: "assault" holds no "ai", "shipment" is not "ship".
  assert.ok(!of('assault').includes('bot'));
  assert.deepEqual(of('xyzzy'), []);
});

test('a catalog name slot is one token, and a bare name or two names are shapes of their own', () => {
  assert.deepEqual(features(`do you have ${TITLE_SLOT}?`), features(`do you have ${TITLE_SLOT} ?`));
  assert.notDeepEqual(features(TITLE_SLOT), features(`${TITLE_SLOT} manga`));
  assert.notDeepEqual(features(`${TITLE_SLOT} or ${TITLE_SLOT}`), features(`${TITLE_SLOT} or bleach`));
});

test('store words typed in kana are read in their usual spelling; titles in kana are left alone', async () => {
  const { storeWordsSpelled } = await import('../../src/understanding/features.ts');
  assert.equal(storeWordsSpelled('ざいこある？'), '在庫ある？');
  assert.equal(storeWordsSpelled('でんしばんは？'), '電子版は？');
  assert.equal(storeWordsSpelled('それ、みかんけつ？'), 'それ、未完結？');
  assert.equal(storeWordsSpelled('もうかんけつしてるんですか'), 'もう完結してるんですか');
  assert.equal(storeWordsSpelled('ぜんかんでなんかん？'), '全巻で何巻？');
  assert.equal(storeWordsSpelled('そうりょうっていくら'), '送料っていくら');
  assert.equal(storeWordsSpelled('せきにんしゃをだしてください'), '責任者をだしてください');
  // Kana titles hold none of these words: they pass through unchanged.
  for (const title of ['しんげきのきょじん', 'じゅじゅつかいせん', 'きめつのやいば', 'やくそくのねばーらんど', 'よつばと！', 'おやすみぷんぷん']) assert.equal(storeWordsSpelled(title), title);
  // Kanji and English are untouched.
  assert.equal(storeWordsSpelled('在庫ありますか in stock?'), '在庫ありますか in stock?');
});

test('the store words in kana change no title of the shipped catalog', async () => {
  const { storeWordsSpelled } = await import('../../src/understanding/features.ts');
  const { readFileSync } = await import('node:fs');
  const series = readFileSync(new URL('../../data/catalog/series.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { titleJa?: string; aliases?: string[] });
  for (const s of series) for (const name of [s.titleJa, ...(s.aliases ?? [])]) if (name) assert.equal(storeWordsSpelled(name.normalize('NFKC')), name.normalize('NFKC'));
});

test('「でんし」, 「電子」 on its own is the digital edition, not inside another word', async () => {
  const { storeWordsSpelled } = await import('../../src/understanding/features.ts');
  assert.equal(storeWordsSpelled('でんしは？'), '電子版は？');
  assert.equal(storeWordsSpelled('電子は？'), '電子版は？');
  assert.equal(storeWordsSpelled('でんしでも読める？'), '電子版でも読める？');
  assert.equal(storeWordsSpelled('電子書籍はありますか'), '電子書籍はありますか');
  assert.equal(storeWordsSpelled('でんしゃで読む'), 'でんしゃで読む');
  assert.equal(storeWordsSpelled('つぎのかんは？'), '次の巻は？');
});
