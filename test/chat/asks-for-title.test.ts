import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksForATitle } from '../../src/chat/understand.ts';

test('a story told with its title asked for is a search by description, whatever audience or place words it has', () => {
  for (const text of [
    '不良の高校生が好きな女の子の気を引くためにバスケ部に入る漫画、タイトル何でしたっけ',
    '小柄な高校生がバレー部で天才セッターとコンビを組む漫画、タイトルなんだっけ',
    '百人一首の競技かるたでクイーンを目指す女の子の漫画ってありましたよね',
    '高校生が死神のノートを拾う話、タイトルが思い出せないです',
    '中世ヨーロッパっぽい世界で巨大な剣の傭兵が戦うやつ、なんてタイトル？',
    "what was the name of that manga for teens where a boy bullies a deaf classmate?",
    "I forgot the title of the romance where the student council president schemes to make the other confess",
    "there's a seinen manga about a space debris collector, what was it called?",
  ]) {
    assert.ok(asksForATitle(text), text);
  }
  for (const text of ['高校生向けのおすすめ漫画ある？', 'recommend a manga for teens', 'is Berserk finished?', '送料はいくらですか', 'ヨーロッパに発送できますか', 'どの漫画がおすすめ？']) {
    assert.ok(!asksForATitle(text), text);
  }
});
