import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksAboutAssistant, smallTalkKind } from '../../src/understanding/small-talk.ts';
import { comparisonParts } from '../../src/understanding/comparison.ts';

test('questions about the assistant itself, in both languages', () => {
  const about = [
    'are you human or AI?', 'r u a bot', 'am I talking to a real person?', 'is this a bot?', 'who made you?', "what's your name?",
    'what are you?', 'are you chatgpt?', 'Are you even a real person lol', '人間ですか？', 'AIなの？', 'あなたってAI？', '誰が作ったの？',
    'あなたは誰？', 'ねえ、これってボット？', '中の人いる？', 'is this chatgpt?', 'which company made you?', 'human?',
  ];
  for (const t of about) assert.equal(asksAboutAssistant(t), true, t);
  const not = ['who made One Piece?', 'who is the author?', 'what are you selling?', 'is this manga for adults or kids?', 'これは大人向け？', '何人かで読める漫画', 'この作品の作者は誰？', 'Is Ajin available?', 'ノートに名前を書くとその人が死ぬっていう漫画、なんだっけ', 'is it an AI story?', 'Do you have AI manga?'];
  for (const t of not) assert.equal(asksAboutAssistant(t), false, t);
});

test('asking whether an AI or a person is answering, in more words (blind5 chitchat)', () => {
  const about = [
    'ところで、これってAIが答えてるんですか？', 'あなたは人間ですか？', 'これって自動返信？', 'このチャットは自動ですか', 'AIが対応してるの？', '人が答えてるの？',
    '返信してるのは人間ですか', 'is a real person answering this?', 'are these answers automated?', 'are your replies written by a bot?',
  ];
  for (const t of about) assert.equal(smallTalkKind(t), 'assistant', t);
  const not = ['人間失格ある？', 'AIが出てくる漫画ある？', 'ロボットが主人公の漫画', '人と話したい', 'これは人気？', 'この漫画は自動車の話？', 'is a person answering the phone at support on sundays?'];
  for (const t of not) assert.equal(asksAboutAssistant(t), false, t);
});

test('"human or AI?" is no choice between two titles', () => {
  assert.equal(comparisonParts('are you human or AI?'), undefined);
  assert.equal(comparisonParts('r u a bot or a person?'), undefined);
  assert.deepEqual(comparisonParts('Naruto or Bleach?')?.map((p) => p.text), ['naruto', 'bleach']);
});

test('the kinds of small talk: acknowledgements, a bare "?" or emoji, thanks, goodbyes, language requests', () => {
  const cases: Array<[string, string]> = [
    ['?', 'unclear'], ['??', 'unclear'], ['🙂', 'unclear'], ['...', 'unclear'], ['？', 'unclear'],
    ['ok', 'acknowledgement'], ['kk', 'acknowledgement'], ['got it', 'acknowledgement'], ['👍', 'acknowledgement'], ['了解です', 'acknowledgement'], ['はい', 'acknowledgement'],
    ['thanks!', 'thanks'], ['ok thanks', 'thanks'], ['ありがとう', 'thanks'],
    ['bye', 'farewell'], ['じゃあ、またね', 'farewell'],
    ['hi', 'greeting'], ['こんにちは', 'greeting'],
    ['can you answer in Japanese from now on?', 'language'], ['英語で答えて', 'language'],
    ['are you human or AI?', 'assistant'],
  ];
  for (const [t, kind] of cases) assert.equal(smallTalkKind(t), kind, t);
  for (const t of ['how much is One Piece 3?', 'ok and the price of vol 4?', '在庫ありますか']) assert.equal(smallTalkKind(t), undefined, t);
});
