// Kinds and stories asked otherwise (fixer fixR, step 8; its conversations r9fixr-*): "young jump type stuff,
// mystery preferably" searched a title (a greeting "yo" was cut from "young", and "preferably" was no wish word);
// 「マガジン系のスポーツ漫画」 named no demographic; 「古代ローマの人が日本のお風呂にタイムスリップするやつ」 found no story.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindWordsOnly, asksForAKind } from '../../src/chat/kind-request.ts';
import { extractEntities } from '../../src/understanding/entities.ts';
import { conceptsOf } from '../../src/retrieval/concepts.ts';

test('kinds joined and wished for with words of a wish are a kind asked', () => {
  for (const t of ['young jump type stuff, mystery preferably', 'fantasy and comedy ideally', 'seinen style horror if possible']) assert.ok(asksForAKind(t), t);
  assert.ok(!kindWordsOnly('quantum samurai bakery'));
});

test('マガジン系 is shounen, ヤンマガ seinen', () => {
  assert.equal(extractEntities('マガジン系のスポーツ漫画でおすすめ教えてください').demographic, 'Shounen');
  assert.equal(extractEntities('ヤンマガっぽいやつ').demographic, 'Seinen');
});

test('Rome and baths meet the synopsis in either language', () => {
  const ja = conceptsOf('古代ローマの人が日本のお風呂にタイムスリップするやつ');
  const en = conceptsOf('Roman bath architect Lucius keeps slipping through time into modern Japanese baths');
  for (const c of ['§rome', '§bath']) assert.ok(ja.includes(c) && en.includes(c), c);
});
