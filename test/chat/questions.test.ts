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

  it('a wish said after the questions asks for something of its own; other trailing statements stay with the last question', () => {
    assert.deepEqual(splitQuestions("Could you gift wrap it? Can I add a message card? Also I really don't want the price showing in the box."), ['Could you gift wrap it?', 'Can I add a message card?', "I really don't want the price showing in the box."]);
    assert.deepEqual(splitQuestions('ラッピングできますか？金額がわからないようにしてほしい'), ['ラッピングできますか?', '金額がわからないようにしてほしい']);
    assert.deepEqual(splitQuestions('can you gift wrap it? thanks'), ['can you gift wrap it? thanks']);
    assert.deepEqual(splitQuestions('I want One Piece vol 1. how much is it?'), ['I want One Piece vol 1. how much is it?']);
  });

  it('one question stays one, whatever its punctuation ("Dr. Stone vol. 3", a title with "and")', () => {
    for (const text of ['Dr. Stone vol. 3 price?', 'How much is Attack on Titan volume 3?', '進撃の巨人の3巻はいくらですか？', 'Naruto or Bleach?', 'do you have Spice and Wolf?']) assert.deepEqual(splitQuestions(text), [text.normalize('NFKC')]);
  });
});

describe('two titles asked in one question, each with its volume', async () => {
  const { titleParts } = await import('../../src/chat/questions.ts');
  const { extractVolume } = await import('../../src/understanding/entities.ts');
  const { leftoverOf } = await import('../../src/understanding/follow-up-words.ts');
  const parts = (t: string) => titleParts(t, (q) => extractVolume(q) !== undefined, (q) => leftoverOf(q).kind === 'title');
  const cases: [string, [string, string]][] = [
    ['how much are Chiikawa vol 1 and Kagurabachi vol 2?', ['how much are Chiikawa vol 1', 'Kagurabachi vol 2?']],
    ['ちいかわ1巻とカグラバチ2巻の値段教えて', ['ちいかわ1巻', 'カグラバチ2巻の値段教えて']],
    ['フリーレン2巻、ダンダダン5巻は在庫ありますか？', ['フリーレン2巻', 'ダンダダン5巻は在庫ありますか?']],
    ["I'd like Blue Lock vol 2 plus Death Note vol.4, are they in stock?", ["I'd like Blue Lock vol 2", 'Death Note vol.4, are they in stock?']],
    ['price of Dandadan vol 3 & Chiikawa vol 2?', ['price of Dandadan vol 3', 'Chiikawa vol 2?']],
  ];
  for (const [text, expected] of cases) it(text, () => assert.deepEqual(parts(text), expected));
  it('one title with several volumes, or a title with no volume, is not split', () => {
    for (const text of ['Frieren vol 1 and vol 2 price?', 'volumes 1 and 2 of Frieren', 'フリーレンの1巻と2巻', 'do you have Spice and Wolf vol 3?', 'Chiikawa vol 1 and Kagurabachi?']) assert.equal(parts(text), undefined, text);
  });
});
