// A request to put the volume in play in the cart ("add it to my cart", 「カートに入れといて」) is a
// request to buy it (lead's probe L1, session 24): the chat takes no orders, so the answer is how to
// buy that volume — not the 18+ guide whose page mentions a cart, nor a title search for "add cart".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import { asksToBuy } from '../../src/chat/grounding/purchase.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

const h: TurnContext[] = [
  { role: 'user', text: 'ok the first one, is vol 1 in stock?' },
  { role: 'assistant', text: "Here's Vol. 1 of Vagabond:", seriesIds: ['vagabond'], about: { focus: 'vagabond', volume: 1 } },
];

test('putting the volume in play in the cart asks to buy it, in either language', () => {
  const resolver = createReferenceResolver();
  for (const t of ['add it to my cart', 'can you put it in my cart please', 'pop that one in the basket', 'カートに入れて', 'じゃあそれカートに追加しといて', 'カートに入れたいんだけど']) {
    const r = resolver.resolve(t, /[ぁ-ん]/.test(t) ? 'ja' : 'en', h, 'faq');
    assert.equal(r.seriesId, 'vagabond', t);
    assert.equal(r.volume, 1, t);
    assert.equal(r.intent, 'price_availability', t);
    assert.equal(asksToBuy(t), true, t);
  }
  // Another volume put in the cart as well: both.
  const both = resolver.resolve('add vol 2 to my cart too', 'en', h, 'faq');
  assert.deepEqual([both.seriesId, both.volumes], ['vagabond', [1, 2]]);
  const ja = resolver.resolve('2巻もカートに入れといて', 'ja', h, 'faq');
  assert.deepEqual([ja.seriesId, ja.volumes], ['vagabond', [1, 2]]);
});

test('a title named with the cart is still that title, and is asked to be bought', () => {
  const resolver = createReferenceResolver();
  assert.notEqual(resolver.resolve('add one piece vol 3 to my cart', 'en', h, 'faq').seriesId, 'vagabond');
  assert.equal(asksToBuy('add one piece vol 3 to my cart'), true);
  // How a cart works, asked in general, is no request to buy the volume in play.
  assert.equal(resolver.resolve('how do I add things to my cart?', 'en', h, 'faq').seriesId, undefined);
  assert.equal(asksToBuy('is there a cart limit?'), false);
});
