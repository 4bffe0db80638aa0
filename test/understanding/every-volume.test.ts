/** Questions about every volume of a series at once: a total, a box set against the singles, which are sold out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksEveryVolume } from '../../src/understanding/follow-up-words.ts';

test('a total of every volume, in words besides "all volumes"', () => {
  for (const text of ['how much would all of it cost?', 'what would everything cost me?', 'the whole thing, how much?', 'how much to buy the complete collection of Given?', 'チェンソーマン全部揃えたらいくらかかる？', 'まとめて買うといくら？', 'ぜんぶでいくら？']) assert.equal(asksEveryVolume(text), 'all', text);
});

test('a box set against buying the volumes one by one', () => {
  for (const text of ['Is the Akira box set cheaper than buying the 6 volumes separately?', 'box set vs buying the volumes individually', 'box set or the single volumes?', 'デスノートのBOXセットって、バラで12巻買うより安いの？', 'BOXと単品、どっちが安い？', '1冊ずつ買うのとBOXはどっちがお得？']) assert.equal(asksEveryVolume(text), 'singles', text);
});

test('which volumes are sold out', () => {
  for (const text of ['which volumes are out of stock?', 'any Blue Box volumes sold out right now?', 'what volumes of Kagurabachi are out of stock', '在庫切れになってる巻はどれですか？', 'ちいかわって品切れの巻ある？', '売り切れの巻を教えて']) assert.equal(asksEveryVolume(text), 'soldOut', text);
});

test('one volume, or nothing about every volume', () => {
  for (const text of ['is vol 3 sold out? what a pity', '3巻は在庫切れですか？どれくらいで入荷？', 'is it out of stock?', 'how much is volume 2?', 'do you have Frieren?', 'それは在庫ある？']) assert.notEqual(asksEveryVolume(text), 'soldOut', text);
  for (const text of ['how much is volume 2?', 'do you have Frieren?', 'is it finished?']) assert.equal(asksEveryVolume(text), undefined, text);
});
