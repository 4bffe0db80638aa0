// 「両方とも連載中？」 after a comparison asks it of both series compared (方 of 両方 is no 'one' of a
// pick, 連載中 leaves no 中 behind as a title) (fixer comparisons, step 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

const resolver = createReferenceResolver();
const compared: TurnContext[] = [
  { role: 'user', text: 'フリーレンと薬屋のひとりごと、連載はどっちが先に始まった？' },
  { role: 'assistant', text: '先に始まったのは『薬屋のひとりごと』（2017年開始）です。', seriesIds: ['sousou-no-frieren', 'kusuriya-no-hitorigoto'], about: { compared: ['sousou-no-frieren', 'kusuriya-no-hitorigoto'] } },
];

test('both asked after a comparison: every series compared', () => {
  for (const text of ['両方とも連載中だよね？', '両方とも連載中？', '両方連載中ですか', 'どっちも連載中なの？', 'are both still ongoing?']) {
    const r = resolver.resolve(text, /[ぁ-ん]/.test(text) ? 'ja' : 'en', compared, 'product_question');
    assert.equal(r.comparing, true, `${text}: ${JSON.stringify(r)}`);
    assert.deepEqual(r.seriesIds, ['sousou-no-frieren', 'kusuriya-no-hitorigoto'], text);
  }
});

test('the ongoing one is still a pick of one of them', () => {
  const r = resolver.resolve('連載中の方の1巻は？', 'ja', compared, 'price_availability');
  assert.deepEqual(r.pick, { by: 'finished', most: false });
  assert.equal(r.volume, 1);
});
