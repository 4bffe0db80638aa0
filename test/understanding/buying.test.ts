import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksPayWithPoints, asksWhichCheaper, formatsWeighed, withoutBuyingWords } from '../../src/understanding/buying.ts';

// How a customer buys what is in play (lead's findings 22, L1-L3): which way costs less, and paying with points.

test('which way of buying costs less, in both languages', () => {
  for (const t of [
    "what's the cheapest way to get all of them",
    'is digital cheaper?',
    'which is cheaper, the box set or the singles?',
    'print or ebook, which costs less?',
    'what is the price difference between kindle and paperback?',
    '紙と電子どっちが安い？',
    '全巻まとめて買うといくら？一番安い買い方は？',
    '電子のほうが安い？',
    '単行本と電子版、いくら違う？',
  ]) assert.equal(asksWhichCheaper(t), true, t);
});

test('a sale, a title against another, or a plain price is no question of the way to buy', () => {
  for (const t of [
    'is it cheaper during the sale?',
    '安くなってますか',
    'which is cheaper, Frieren vol 1 or Apothecary vol 1?',
    'cheapest manga you have?',
    'how much is volume 3?',
    '全巻セットの割引ある？',
    '一番安いのはどれ？',
    // A deal heard of that makes buying in bulk cheaper: a promotion.
    '全巻まとめて買うとお得になるキャンペーン的なのってある？',
    '鬼滅をセットで買うとお得になるって本当？',
  ]) assert.equal(asksWhichCheaper(t), false, t);
});

test('paying with points is told from earning them', () => {
  for (const t of ['can I pay with my points?', 'do points work on digital?', 'じゃあ電子で。ポイント使える？', 'ポイントで払える？', 'can I use points?', 'ポイントは使えますか', 'can I redeem my points on ebooks', 'can I use the points I earned on digital?', 'ポイント払いできる？', 'ポイントって電子書籍にも使えますか', 'ポイントは送料にも使える？']) {
    assert.equal(asksPayWithPoints(t), true, t);
  }
  for (const t of ['how many points do I earn?', 'do I get double points on digital?', 'ポイント何倍？', 'フリーレンを全部買ったら何ポイントもらえる？', 'will I earn points on digital?', 'points expire?', 'ポイントはいつ付与されますか', 'ポイントって電子書籍にも付く？']) {
    assert.equal(asksPayWithPoints(t), false, t);
  }
});

test('the title of a buying question is what is left without its words', () => {
  assert.equal(withoutBuyingWords("what's the cheapest way to buy all of Berserk?"), 'berserk');
  assert.equal(withoutBuyingWords('ワンピースは紙と電子どっちが安い？'), 'ワンピース');
});

test('the formats a buying question weighs', () => {
  assert.deepEqual(formatsWeighed('is the kanzenban cheaper than the regular edition for slam dunk vol 1?'), ['tankobon', 'kanzenban']);
  assert.deepEqual(formatsWeighed('紙と電子どっちが安い？'), ['tankobon', 'digital']);
  assert.deepEqual(formatsWeighed('is digital cheaper?'), ['digital']);
  assert.deepEqual(formatsWeighed('表紙が違う？'), []);
});
