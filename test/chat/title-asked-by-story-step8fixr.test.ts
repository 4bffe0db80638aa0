// A title asked for by its story (fixer fixR, step 8; blind8 b8-find-en-135, holdout ho-find-ja-trash-abyss):
// "the one with the humans behind walls and giant man-eating monsters" opened a support ticket, and the
// Japanese story of Gachiakuta (奈落, ゴミ) found no title; 「ジョジョ4部」 found Part 7.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksForATitle } from '../../src/chat/understand.ts';
import { askedPart } from '../../src/chat/grounding/parts.ts';
import { conceptsOf } from '../../src/retrieval/concepts.ts';

test('"the one with…", "that manga where…" ask for a title by its story', () => {
  for (const t of ['the one with the humans behind walls and giant man-eating monsters', "it's the one where a kid finds a notebook that kills", 'looking for that manga where a boy is thrown into a pit of trash', 'um, the series about a chef in a dungeon', 'that one with the pirates and the rubber guy']) assert.ok(asksForATitle(t), t);
  // A choice in a list or a comparison is no story.
  for (const t of ['the one with more volumes', 'the one with the lowest price please', 'which one is cheaper?']) assert.ok(!asksForATitle(t), t);
});

test("a story's abyss and trash meet the synopsis in either language", () => {
  const ja = conceptsOf('ゴミ捨て場みたいな奈落に落とされた少年が、ゴミから生まれた怪物と戦う漫画');
  const en = conceptsOf('Rudo is thrown into the Abyss where the sky-world dumps its trash');
  for (const c of ['§abyss', '§trash']) {
    assert.ok(ja.includes(c), c);
    assert.ok(en.includes(c), c);
  }
});

test('a part of a franchise asked by its number', () => {
  assert.equal(askedPart('ジョジョ4部ありますか'), 4);
  assert.equal(askedPart('ジョジョの第四部'), 4);
  assert.equal(askedPart('jojo part 4 price'), 4);
  assert.equal(askedPart('jojo pt. 3'), 3);
  assert.equal(askedPart('the 5th part of jojo'), 5);
  assert.equal(askedPart('jojo part five'), 5);
  for (const t of ['全部で何巻？', '一部の巻だけ', '3部作ってある？', '部活もの', 'ワンピース4巻']) assert.equal(askedPart(t), undefined, t);
});

test('a story told whole and ending in のやつ asks for its title; a wish ending so does not', () => {
  for (const t of ['スパイのお父さんと殺し屋のお母さんと心が読める娘のやつ', '寄生生物が高校生の右手に住みついちゃうやつ？']) assert.ok(asksForATitle(t), t);
  for (const t of ['小学生の娘が読めるやつ', 'ホラーのやつ', '完結してる恋愛漫画で10巻以内のやつ', 'ジャンプっぽいバトル漫画で終わってるやつ', '泣ける感じのおすすめのやつ']) assert.ok(!asksForATitle(t), t);
});
