// Comparisons asked in more words (fixer recs, step 8): who titles are written for, the next
// volume of each, "which has more volumes" after a comparison, a title with と inside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonAspects, comparisonParts } from '../../src/understanding/comparison.ts';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

const parts = (text: string) => comparisonParts(text)?.map((p) => p.text);

test('two titles asked who they are written for are compared; a search for a demographic is not', () => {
  assert.deepEqual(parts('鋼の錬金術師と進撃の巨人って、少年漫画？青年漫画？'), ['鋼の錬金術師', '進撃の巨人']);
  assert.deepEqual(parts('ナルトとブリーチは少年漫画ですか'), ['ナルト', 'ブリーチ']);
  assert.deepEqual(parts('Are Fullmetal Alchemist and Attack on Titan shounen or seinen?'), ['fullmetal alchemist', 'attack on titan']);
  for (const text of ['完結してる少年漫画ある？', '少年漫画でおすすめある？', 'ナナって少女漫画ですか？', 'is Monster seinen?']) assert.equal(parts(text), undefined, text);
});

test('the next volume of each is an aspect of its own', () => {
  for (const text of ['それぞれの次の巻はいつ？', "when's the next volume of each?", 'when are the next volumes out for both?']) assert.ok(comparisonAspects(text).includes('next'), text);
  for (const text of ['Naruto or Bleach, which should I read next?', 'which one is longer?']) assert.ok(!comparisonAspects(text).includes('next'), text);
});

test('after a comparison, "which has more volumes" is about the series compared, in both languages', () => {
  const r = createReferenceResolver();
  const history: TurnContext[] = [
    { role: 'user', text: '鋼の錬金術師と進撃の巨人って、少年漫画？青年漫画？' },
    { role: 'assistant', text: '2作品を比べて', seriesIds: ['fullmetal-alchemist', 'shingeki-no-kyojin'], about: { compared: ['fullmetal-alchemist', 'shingeki-no-kyojin'] } },
  ];
  for (const text of ['巻数はどっちが多い？', 'ok and which one has more volumes out']) {
    const got = r.resolve(text, 'ja', history, 'order_status');
    assert.deepEqual(got.seriesIds, ['fullmetal-alchemist', 'shingeki-no-kyojin'], text);
    assert.equal(got.comparing, true, text);
    assert.equal(got.intent, 'product_question', text);
  }
});

test('after a comparison, "compare the volumes too" (比べて/くらべて) is about the series compared, not a title', () => {
  const r = createReferenceResolver();
  const history: TurnContext[] = [
    { role: 'user', text: 'ナルトとブリーチ、どっちが先に始まった？' },
    { role: 'assistant', text: '2作品を比べて', seriesIds: ['naruto', 'bleach'], about: { compared: ['naruto', 'bleach'] } },
  ];
  for (const text of ['巻数も比べて', '冊数もくらべてみて', '巻数を比較して']) {
    const got = r.resolve(text, 'ja', history, 'product_search');
    assert.deepEqual(got.seriesIds, ['naruto', 'bleach'], text);
    assert.equal(got.comparing, true, text);
  }
});
