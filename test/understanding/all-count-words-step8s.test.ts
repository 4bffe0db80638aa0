// "how much for all six": every volume of the series in play, with the count written as a word
// too (fixer S, step 8; blind8 b8-price-en-014). Before, "all six" was no whole-series request and
// "all twelve" searched the title 'twelve'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksEveryVolume, leftoverOf } from '../../src/understanding/follow-up-words.ts';

test('"all <count>" in words or digits asks every volume', () => {
  for (const text of ['how much for all six', 'how much for all twelve', 'what would all 6 cost', 'and all three together?']) {
    assert.equal(asksEveryVolume(text), 'all', text);
    assert.notEqual(leftoverOf(text).kind, 'title', text);
  }
});

test('no count, or a price, is no whole-series request', () => {
  assert.equal(asksEveryVolume('all 500 yen?'), undefined);
  assert.equal(asksEveryVolume('is it all in stock'), undefined);
});
