// A box set by its place ("the 3rd box"), box sets added to the one in play (「BOX2と3も合わせて」)
// (fixer price-stock, step 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFormat } from '../../src/understanding/constraints.ts';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

test('a box set named by its place is a box set', () => {
  assert.equal(extractFormat('how much is the 3rd box'), 'box_set');
  assert.equal(extractFormat('and the second box set?'), 'box_set');
  assert.equal(extractFormat('blue box vol 2'), undefined);
  assert.equal(extractFormat('the box of light'), undefined);
});

test('box sets asked "as well" join the one in play', () => {
  const h: TurnContext[] = [
    { role: 'user', text: 'ハイキューのBOXセット1っていくら？在庫ある？' },
    { role: 'assistant', text: '『ハイキュー!!』BOXセット1の価格と在庫状況をご案内いたします。', seriesIds: ['haikyuu'], about: { focus: 'haikyuu', volume: 1, format: 'box_set' } },
  ];
  const r = createReferenceResolver().resolve('BOX2と3も合わせて3つ全部だといくら？', 'ja', h, 'price_availability');
  assert.equal(r.seriesId, 'haikyuu');
  assert.deepEqual(r.volumes, [1, 2, 3]);
});

test('a campaign rate and まだ are no words of the title a promotion question names', async () => {
  const { promotionTitleQuery } = await import('../../src/promotions/promotion-match.ts');
  assert.equal(promotionTitleQuery('フリーレンのポイント5倍ってまだやってます？'), 'フリーレン');
  assert.equal(promotionTitleQuery('スラムダンクのセールは？'), 'スラムダンク');
});
