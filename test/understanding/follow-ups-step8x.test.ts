import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import { asksEveryVolume, asksInStockOnly } from '../../src/understanding/follow-up-words.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

// Follow-ups of the lead's probes (fixer X, step 8): what is in the order just described, what it
// or its refund comes to, another month's orders; only the volumes in stock; buying a series "fully".
const resolver = createReferenceResolver();
const order: TurnContext[] = [
  { role: 'user', text: 'hey, which of my orders are still not here?' },
  { role: 'assistant', text: 'Order MA-20261120-0002 (placed Nov 20, 2026: Vinland Saga Vol. 28) is out for delivery.', about: { orderId: 'MA-20261120-0002' } },
];

test('what is in the order in play, and what it or its refund comes to, are questions about that order', () => {
  for (const [text, lang, intent] of [
    ["what's in it", 'en', 'out_of_scope'],
    ['whats inside', 'en', 'chitchat'],
    ['what was in that one', 'en', 'product_question'],
    ['remind me whats in it and what it cost', 'en', 'out_of_scope'],
    ['how much will it be?', 'en', 'price_availability'],
    ['how much do i get back', 'en', 'price_availability'],
    ['how much did i spend in total', 'en', 'price_availability'],
    ['いくら戻ってくる？', 'ja', 'price_availability'],
    ['返金額は？', 'ja', 'faq'],
    ['それ何入ってるんだっけ', 'ja', 'chitchat'],
    ['wat was in it exactly', 'en', 'chitchat'],
    ['how much do i owe', 'en', 'faq'],
    ['how much did all that come to', 'en', 'price_availability'],
  ] as const) {
    assert.deepEqual(resolver.resolve(text, lang, order, intent), { orderId: 'MA-20261120-0002', via: 'order', intent: 'order_status' }, text);
  }
});

test('another month asked bare after an order picks orders by that month', () => {
  for (const [text, lang] of [['あ、ごめん届いてた。11月のは？', 'ja'], ['what about november?', 'en'], ['and the ones from october?', 'en'], ['あ、ごめん10月のだった', 'ja']] as const) {
    assert.equal(resolver.resolve(text, lang, order, 'order_status').via, 'order-pick', text);
  }
});

test('only the volumes in stock, and buying a series fully', () => {
  for (const text of ['and if i only want the ones that are in stock?', 'what if i only buy the ones in stock?', 'just the available ones', '在庫ある分だけだといくら？', '在庫のある巻だけでいい']) assert.ok(asksInStockOnly(text), text);
  for (const text of ['is volume 3 in stock?', '在庫ある？', 'only finished ones please']) assert.ok(!asksInStockOnly(text), text);
  assert.equal(asksEveryVolume('which is cheapest to buy fully'), 'all');
  assert.equal(asksEveryVolume('which would be cheaper to get completely'), 'all');
});
