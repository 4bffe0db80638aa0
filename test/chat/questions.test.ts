/** A message with several questions split into them, statements kept with the question they lead to. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitQuestions } from '../../src/chat/questions.ts';

describe('splitting a message into its questions', () => {
  const cases: [string, string[]][] = [
    ['how much is shipping and how many volumes does one piece have?', ['how much is shipping', 'how many volumes does one piece have?']],
    ['can I return an opened book? also do you have Spy x Family vol 3?', ['can I return an opened book?', 'do you have Spy x Family vol 3?']],
    ['what are the points rates? btw do points expire?', ['what are the points rates?', 'do points expire?']],
    ['how much is shipping to Okinawa, and also can I choose a delivery time?', ['how much is shipping to Okinawa', 'can I choose a delivery time?']],
    ['送料はいくらですか？あと、北海道だと何日かかりますか？', ['送料はいくらですか?', '北海道だと何日かかりますか?']],
    ['予約したいんですが、ゲストでもできますか？代金はいつ払うんですか？', ['予約したいんですが、ゲストでもできますか?', '代金はいつ払うんですか?']],
    ['鬼滅の刃は全部で何巻？あと送料はいくら？', ['鬼滅の刃は全部で何巻?', 'あと送料はいくら?']],
  ];
  for (const [text, parts] of cases) it(text, () => assert.deepEqual(splitQuestions(text), parts));

  it('a statement stays with the question after it', () => {
    assert.deepEqual(splitQuestions("I'm in Canada. can you ship Berserk 1-3?"), ["I'm in Canada can you ship Berserk 1-3?"]);
    assert.deepEqual(splitQuestions('hi! do you have Frieren?'), ['hi! do you have Frieren?']);
  });

  it('one question stays one, whatever its punctuation ("Dr. Stone vol. 3", a title with "and")', () => {
    for (const text of ['Dr. Stone vol. 3 price?', 'How much is Attack on Titan volume 3?', '進撃の巨人の3巻はいくらですか？', 'Naruto or Bleach?', 'do you have Spice and Wolf?']) assert.deepEqual(splitQuestions(text), [text.normalize('NFKC')]);
  });
});
