import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksArrival } from '../../src/orders/order-match.ts';

// When an order will come, asked naming none: about the orders still on their way (grounding/orders.ts
// lists the open ones first and the answer leads with them), not their latest, which may have arrived.

test('a question about when an order will come, in both languages', () => {
  for (const t of ['when will my order arrive?', 'when does my order arrive?', 'when will my books get here?', "what's the tracking number for my order?", 'is it on its way?', 'ETA on my order?', '注文した本はいつ届きますか', '荷物いつ届く？', 'いつ発送されますか', '追跡番号を教えて', '到着予定日は？']) {
    assert.ok(asksArrival(t), t);
  }
  for (const t of ['when was it delivered?', 'it arrived damaged', '届いた本が破れてた', 'where is my order?', 'can I cancel my order?', 'how much is shipping?', '返品したい']) assert.ok(!asksArrival(t), t);
});
