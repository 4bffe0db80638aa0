import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';

// Questions about the support staff that are no request for one (fixer U, step 8; blind8
// b8-polic-en-078, b8-escal-ja-239, b8-escal-en-241, b8-escal-en-242 turn 2):
// - "am I talking to a real person?" asks what the assistant is: no ticket;
// - right after a handoff, "how long until they reply?", 「何時まで対応してる？」 ask about the staff just
//   offered: the support page's answer, not a second handoff or small talk;
// - "when are agents available?" names the staff: their hours, not a title search.

const service = useChatService();

/** The text of the last reply of `messages` played in a new guest chat. */
const asked = async (...messages: string[]) => (await service.chat('guest', messages)).at(-1)!.text;

const HANDOFF = /ticket|受付番号/;

test('asking whether the assistant is a person is no request for one (en, ja)', async () => {
  const en = await asked('am I talking to a real person?');
  assert.match(en, /automated|AI/);
  assert.doesNotMatch(en, HANDOFF);
  const ja = await asked('これって人間が返信してるの？');
  assert.doesNotMatch(ja, HANDOFF);
  // ...while a person asked for beside it still opens a ticket.
  assert.match(await asked('are you a bot? I want a human'), HANDOFF);
});

test('the staff hours asked right after a handoff (ja, en)', async () => {
  const ja = await asked('人間のスタッフと話したい', '何時まで対応してる？');
  assert.match(ja, /10時\s*[〜~～-]\s*19時/);
  assert.doesNotMatch(ja, HANDOFF);
  const en = await asked('get me a human', 'what time do they leave?');
  assert.match(en, /10:00 to 19:00/);
  assert.doesNotMatch(en, HANDOFF);
});

test('how soon staff reply, asked right after a handoff (en, ja)', async () => {
  const en = await asked('my tracking has not moved in days, get me an agent', 'how long until they reply?');
  assert.match(en, /1 business day/);
  const en2 = await asked('get me a human', 'when will they get back to me?');
  assert.match(en2, /1 business day/);
  const ja = await asked('担当者と話したい', '返事はいつ来ますか？');
  assert.match(ja, /1営業日/);
});

test('the agents named in a question about their hours: no title search (en)', async () => {
  const en = await asked('when are agents available?');
  assert.match(en, /10:00 to 19:00/);
  assert.doesNotMatch(en, /couldn't find that title/);
});

test('a person asked for as "can a real agent help me…" opens a ticket (en; blind8 b8-escal-en-242 turn 1)', async () => {
  assert.match(await asked('can a real agent help me with a refund'), HANDOFF);
  assert.match(await asked('could a staff member look into my order?'), HANDOFF);
  assert.doesNotMatch(await asked('can the manga be shipped abroad?'), HANDOFF);
});
