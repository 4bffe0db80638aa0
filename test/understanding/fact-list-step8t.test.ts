import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksVolumeCount } from '../../src/understanding/status-question.ts';
import { titleQuery } from '../../src/chat/title-query.ts';

// Facts asked as a list of nouns, like a form ("volume count and status?", "Psyren: status + volume count",
// 「巻数と連載状況は？」), ask the series' length among them (fixer T, step 8; blind8 b8-find-en-144, b8-impor-en-222).

test('a list of fact nouns with the count among them asks the length of the series in play', () => {
  for (const x of ['volume count and status?', 'status + volume count', 'Status and number of volumes', 'volume count?', 'how many volumes and is it finished?', 'total volumes & publication status', '巻数と連載状況は？', '巻数と完結してるか教えて']) {
    assert.equal(asksVolumeCount(x), true, x);
  }
  // Not the length: the status alone (with an order in play, an order's status), or other facts only.
  for (const x of ['status?', 'the status', 'author', 'order status?', '連載状況は？']) assert.equal(asksVolumeCount(x), false, x);
});

test('the fact nouns beside a title are no part of it', () => {
  assert.equal(titleQuery('Psyren status and volume count?'), 'Psyren');
  assert.equal(titleQuery('volume count of Psyren'), 'Psyren');
  assert.equal(titleQuery('number of volumes and status of Monster'), 'Monster');
  assert.match(titleQuery('Psyren: status + volume count'), /^Psyren\W*$/);
  assert.match(titleQuery('Psyren - number of volumes & status'), /^Psyren\W*$/);
  // "status" joined to no count may be a title's word.
  assert.match(titleQuery('Status Quo manga'), /Status/);
});

test('a superlative over the series just listed, with the count of volumes asked beside it, still compares them', async () => {
  const { createReferenceResolver } = await import('../../src/understanding/references.ts');
  const resolver = createReferenceResolver();
  const listed = [
    { role: 'user' as const, text: 'anything by Naoki Urasawa' },
    { role: 'assistant' as const, text: 'I found 3 series: 20th Century Boys, Monster, Pluto.', seriesIds: ['20th-century-boys', 'monster', 'pluto'] },
  ];
  for (const [text, lang] of [['which of them is the shortest? give me its volume count', 'en'], ['which is the shortest, and how many volumes?', 'en'], ['一番短いのはどれ？巻数も教えて', 'ja']] as const) {
    const r = resolver.resolve(text, lang, listed, 'product_question');
    assert.deepEqual(r.seriesIds, ['20th-century-boys', 'monster', 'pluto'], `${text}: ${JSON.stringify(r)}`);
    assert.equal(r.comparing, true, text);
  }
  // A volume asked is still no comparison of the series: "which of them has volume 3 in stock?".
  assert.notEqual(resolver.resolve('the longest one, volume 3 price', 'en', listed, 'price_availability').comparing, true);
});
