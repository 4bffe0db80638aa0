import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize, normalize, stem } from '../../src/retrieval/tokenize.ts';
import { detectLanguage } from '../../src/understanding/language.ts';

test('Japanese runs become overlapping bigrams plus single kanji', () => {
  assert.deepEqual(tokenize('進撃の巨人'), ['進', '進撃', '撃', '撃の', 'の巨', '巨', '巨人', '人']);
});

test('a one-character Japanese run is kept as a unigram', () => {
  assert.deepEqual(tokenize('鬼 manga'), ['鬼', 'manga']);
});

test('NFKC folds full-width Latin so ＯＮＥ ＰＩＥＣＥ matches one piece', () => {
  assert.deepEqual(tokenize('ＯＮＥ ＰＩＥＣＥ'), tokenize('one piece'));
  assert.deepEqual(tokenize('ＯＮＥ ＰＩＥＣＥ'), ['one', stem('piece')]);
});

test('half-width katakana, katakana and hiragana fold to the same terms', () => {
  assert.deepEqual(tokenize('ﾜﾝﾋﾟｰｽ'), tokenize('ワンピース'));
  assert.deepEqual(tokenize('ワンピース'), tokenize('わんぴーす'));
  assert.equal(normalize('チェンソー'), 'ちぇんそー');
});

test('English words are lower-cased, stemmed lightly, stopwords dropped', () => {
  assert.deepEqual(tokenize('Can I return the damaged books?'), ['return', 'damag', 'book']);
  assert.equal(stem('damage'), stem('damaged'));
  assert.equal(stem('exchanging'), stem('exchange'));
  assert.equal(stem('shipping'), 'ship');
  assert.equal(stem('deliveries'), 'delivery');
  assert.equal(stem('returned'), 'return');
  assert.equal(stem('boxes'), 'box');
  assert.equal(stem('class'), 'class');
});

test('apostrophes inside words are dropped', () => {
  assert.deepEqual(tokenize("JoJo's"), ['jojo']);
});

test('mixed text yields both kinds of terms in order', () => {
  assert.deepEqual(tokenize('PayPayで払う'), ['paypay', 'で払', '払', '払う']);
});

test('language detection: any kana or kanji means Japanese', () => {
  assert.equal(detectLanguage('送料はいくら?'), 'ja');
  assert.equal(detectLanguage('How much is shipping?'), 'en');
  assert.equal(detectLanguage('ONE PIECEの最新刊'), 'ja');
});
