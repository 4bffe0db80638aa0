/** An order pointed at by its place among the customer's orders, or asked which order held something. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksIfOrdered, orderPosition } from '../../src/chat/grounding/orders.ts';

test('the order before, and the first order', () => {
  for (const text of ["what's the status of my previous order?", 'and the one before that?', 'status of my second to last order pls', 'その前の注文は？', '前回の注文はいつ届く？']) assert.equal(orderPosition(text), 'previous', text);
  for (const text of ['what was in my very first order?', '一番古い注文の中身は？', '最初の注文って何買ったっけ']) assert.equal(orderPosition(text), 'first', text);
  for (const text of ['where is my order?', 'I asked earlier, where is my Frieren order?', 'その前に聞きたいんだけど、送料は？', 'my latest order']) assert.equal(orderPosition(text), undefined, text);
});

test('asking which order held something, or whether they ordered it before', () => {
  for (const text of ['which order had Dandadan vol 20 in it?', 'did I already order frieren volume 14?', '薬屋のひとりごとの13巻って前に注文したっけ？', 'ダンダダン20巻ってどの注文に入ってた？']) assert.ok(asksIfOrdered(text), text);
  for (const text of ['how much is dandadan vol 20?', 'I want to order frieren 14']) assert.ok(!asksIfOrdered(text), text);
});
