// Kinds of manga asked otherwise (fixer fixR, step 8; blind8 b8-recom-ja-125, b8-recom-ja-128): a magazine
// named for its readers is the demographic it runs, and a kind said as an addition is added to the
// kind asked before instead of taking its place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities } from '../../src/understanding/entities.ts';
import { wishFrom } from '../../src/chat/recommendation-request.ts';

const read = (t: string) => extractEntities(t.normalize('NFKC').toLowerCase());

test('a magazine named for its readers is the demographic it runs, in either language', () => {
  for (const t of ['ジャンプっぽいバトル漫画で終わってるやつ', 'ジャンプ系のおすすめある？', '少年ジャンプみたいなの', 'any jump-style battle manga that is finished', 'some jump manga please', 'サンデーっぽい作品']) assert.equal(read(t).demographic, 'Shounen', t);
  for (const t of ['ヤンジャン系の漫画', 'ヤングジャンプっぽいの', 'ヤンマガ系で', 'young jump stuff', 'ビッグコミック系の渋いやつ']) assert.equal(read(t).demographic, 'Seinen', t);
  for (const t of ['花とゆめっぽい漫画', 'マーガレット系']) assert.equal(read(t).demographic, 'Shoujo', t);
  // "jump" alone is a verb too.
  for (const t of ['i want to jump into a long series', 'something to jump-start my reading']) assert.equal(read(t).demographic, undefined, t);
});

test('a kind said as an addition is added to the kind asked before, in either language', () => {
  const music = wishFrom(read('音楽がテーマの漫画教えて'));
  assert.deepEqual(music.themes, ['Music']);
  for (const t of ['恋愛要素あるのがいいな', '恋愛も入ってるやつ', '恋愛ありで', 'with some romance too', 'one that also has romance', 'romance elements would be nice', 'plus a bit of romance']) {
    const w = wishFrom(read(t), music);
    assert.deepEqual([w.genres, w.themes], [['Romance'], ['Music']], t);
  }
  // Asked instead: the new kind takes the old one's place.
  for (const t of ['what about romance?', '恋愛ものは？', 'romance instead']) {
    const w = wishFrom(read(t), music);
    assert.deepEqual([w.genres, w.themes], [['Romance'], []], t);
  }
  // Ruled out: no addition.
  for (const t of ['恋愛要素はなしで', 'no romance elements']) assert.ok(!read(t).addsTags, t);
});
