// A bare number after a title followed by a clause break or 'back in stock', and a range written out
// ("1 through 5"), are volumes (fixer S, step 8; blind8 b8-price-en-006/012/023, b8-preor-en-041).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractVolume, extractVolumes } from '../../src/understanding/entities.ts';

test('a bare number before a spaced dash or "back" is the volume', () => {
  assert.equal(extractVolume('is frieren 13 back in stock'), 13);
  assert.equal(extractVolume('chainsaw man 12 back yet?'), 12);
  assert.equal(extractVolume('One Piece 113 - release & price'), 113);
  assert.equal(extractVolume('yu yu hakusho kanzenban 3 - got it?'), 3);
  assert.equal(extractVolume('ワンピース 113 - いつ出る？'), 113);
});

test('a range written out is every volume of it; a dash range stays a range', () => {
  assert.deepEqual(extractVolumes('how much would naruto 1 through 5 cost me'), [1, 2, 3, 4, 5]);
  assert.deepEqual(extractVolumes('berserk 2 to 4 price'), [2, 3, 4]);
  assert.deepEqual(extractVolumes('naruto 1 thru 3 total?'), [1, 2, 3]);
  assert.equal(extractVolume('naruto 1 - 5 total'), undefined);
});

test('no volume where the number is something else', () => {
  assert.equal(extractVolumes('does shipping take 2 to 3 days'), undefined);
  assert.equal(extractVolumes('something for ages 8 to 12'), undefined);
  assert.equal(extractVolume('kaiju no. 8 - in stock?'), undefined);
});

test("a box set's number before a dash is no volume", () => {
  assert.equal(extractVolume('Shingeki no Kyojin box set 2 - price?'), undefined);
  assert.equal(extractVolume('Attack on Titan box set 2 — price and stock?'), undefined);
});
