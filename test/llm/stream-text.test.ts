import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { estimateTokens, splitForStreaming } from '../../src/llm/stream-text.ts';

const JA = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF00-\uFFEF]/u;

describe('splitForStreaming', () => {
  it('splits English into words carrying their trailing space and punctuation', () => {
    assert.deepEqual(splitForStreaming('Hi there! Vol. 3 is ¥1,320.\nBye'), ['Hi ', 'there! ', 'Vol. ', '3 ', 'is ', '¥1,320.\n', 'Bye']);
  });

  it('splits Japanese into runs of 1 to 3 characters that rejoin to the text', () => {
    const text = '『ワンピース』は現在110巻まで発売中の連載作品です。ご予約を承っております。';
    const tokens = splitForStreaming(text);
    assert.equal(tokens.join(''), text);
    for (const t of tokens) {
      if (JA.test(t)) assert.ok([...t].length >= 1 && [...t].length <= 3, `run "${t}" has 1-3 characters`);
    }
    assert.ok(new Set(tokens.filter((t) => JA.test(t)).map((t) => [...t].length)).size > 1, 'run lengths vary like a model');
  });

  it('never splits a surrogate pair', () => {
    const text = '𠮷野家と𠮷𠮷𠮷𠮷の𩸽です';
    const tokens = splitForStreaming(text);
    assert.equal(tokens.join(''), text);
    for (const t of tokens) assert.ok(t.isWellFormed(), `"${t}" is well formed`);
  });

  it('keeps mixed text intact', () => {
    const text = 'ご注文番号MA-20261101-0042（2026年11月1日ご注文）は「発送済み」です。 https://shop.example/orders';
    assert.equal(splitForStreaming(text).join(''), text);
  });

  it('returns no tokens for empty text', () => {
    assert.deepEqual(splitForStreaming(''), []);
  });
});

describe('estimateTokens', () => {
  it('counts about four ASCII characters per token and one per Japanese character', () => {
    assert.equal(estimateTokens('abcdefgh'), 2);
    assert.equal(estimateTokens('ワンピース'), 5);
    assert.equal(estimateTokens('𠮷'), 1);
    assert.equal(estimateTokens(''), 0);
  });
});
