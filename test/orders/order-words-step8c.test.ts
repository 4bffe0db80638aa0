/** The words of order questions read by order-match (fixer C, step 8): what they bought, whether it can be read yet, 「…した注文」. Fail on a2c6d1b. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksIfReadable, asksWhatTheyBought, orderTitleQuery, speaksOfTheirOrder } from '../../src/orders/order-match.ts';
import { asksAnotherTitle } from '../../src/understanding/references.ts';

test('asking what they bought or ordered, in either language', () => {
  for (const t of ['what did I buy back in October?', 'what have I ordered this month', 'what was in my last order?', '10月に何買ったっけ？', '先月なに注文したっけ', '買ったのって何だっけ']) assert.ok(asksWhatTheyBought(t), t);
  for (const t of ['what did you recommend?', 'what should I buy next?', '何を買えばいい？', 'what do I get with Prime?']) assert.ok(!asksWhatTheyBought(t), t);
});

test('asking whether something can be read yet', () => {
  for (const t of ['ワンピースの電子版、もう読める？', 'can I read the One Piece ebooks yet?', 'is it in my library?', '電子で読めるようになってる？']) assert.ok(asksIfReadable(t), t);
  for (const t of ['is One Piece good?', 'ワンピースって面白い？', 'what should I read next?', '読みやすい漫画ある？']) assert.ok(!asksIfReadable(t), t);
});

test('an order spoken of as what they did (「まとめ買いした注文」「予約した注文」) is theirs; a wish to order is not', () => {
  for (const t of ['金カム1〜5巻まとめ買いした注文っていくらだった?', '予約した注文はいつ届く？', '金カムまとめ買いしたやつ']) assert.ok(speaksOfTheirOrder(t), t);
  for (const t of ['注文したいです', 'まとめ買いしたいんだけど']) assert.ok(!speaksOfTheirOrder(t), t);
});

test('"buy" is an order word, not a title searched ("what did I buy back in October?")', () => {
  assert.equal(orderTitleQuery('what did I buy?'), '');
});

test('(new) volume words are no title of an order ("did the kamuy volumes arrive?" searches kamuy)', () => {
  assert.equal(orderTitleQuery('did the kamuy volumes arrive?'), 'kamuy');
  assert.equal(orderTitleQuery('where are my Frieren books?'), 'Frieren');
});

test('(new) "what about the gantz one" without its question mark asks of another title; a statement led by "and" does not', () => {
  assert.ok(asksAnotherTitle('what about the gantz one'));
  assert.ok(asksAnotherTitle('how about Dandadan'));
  assert.ok(!asksAnotherTitle('and thanks for the help'));
});

test('(new, fixer Q) "again" is no title of an order ("what was in my october order again?")', () => {
  assert.ok(!/again/i.test(orderTitleQuery('what was in my october order again?')));
});
