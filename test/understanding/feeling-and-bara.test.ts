// A feeling said before a follow-up ("damn.", "ugh") names no title, and バラ/ばら is a way of buying
// only as one (バラで, ばら売り): ベルサイユのばら is a title (fixer follow-ups, step 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksEveryVolume, leftoverOf } from '../../src/understanding/follow-up-words.ts';

test('a feeling before the question leaves no title word', () => {
  for (const t of ['damn. which volumes are sold out right now', 'ugh, is vol 2 in stock at least?', 'aww man, what about the digital one']) assert.notEqual(leftoverOf(t).kind, 'title', t);
  assert.equal(asksEveryVolume('damn. which volumes are sold out right now'), 'soldOut');
});

test('バラ/ばら asks for single volumes only as a way of buying, not inside a title', () => {
  assert.equal(asksEveryVolume('ベルサイユのばらの1巻ありますか'), undefined);
  assert.equal(asksEveryVolume('ベルサイユのばらの1巻はおいくらですか。在庫はありますか。'), undefined);
  assert.equal(asksEveryVolume('バラで買うのとセットどっちが安い？'), 'singles');
  assert.equal(asksEveryVolume('ばら売りしてる？'), 'singles');
  assert.equal(asksEveryVolume('単品だといくら？'), 'singles');
});
