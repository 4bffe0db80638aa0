import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partOf } from '../../src/chat/grounding/parts.ts';
import { titleQuery } from '../../src/chat/title-query.ts';
import { asksParts } from '../../src/understanding/status-question.ts';

// A franchise told in numbered parts, each its own series in the catalog ("JoJo no Kimyou na
// Bouken Part 7: Steel Ball Run", 「…第7部…」, "Honzuki no Gekokujou … Dai 3-bu …"): "how many
// parts does JoJo have?" and 「ジョジョって何部まであるの」 ask for every part, the title is what is left.

test('a title that names a numbered part: the franchise and the number, in romaji, English and Japanese', () => {
  assert.deepEqual(partOf('JoJo no Kimyou na Bouken Part 7: Steel Ball Run'), { head: 'JoJo no Kimyou na Bouken', part: 7 });
  assert.deepEqual(partOf("JoJo's Bizarre Adventure Part 9: The JoJoLands"), { head: "JoJo's Bizarre Adventure", part: 9 });
  assert.deepEqual(partOf('ジョジョの奇妙な冒険 第7部 スティール・ボール・ラン'), { head: 'ジョジョの奇妙な冒険', part: 7 });
  assert.deepEqual(partOf('Honzuki no Gekokujou: Shisho ni Naru Tame ni wa Shudan wo Erandeiraremasen Dai 3-bu - Ryouchi ni Hon wo Hirogeyou!'), { head: 'Honzuki no Gekokujou: Shisho ni Naru Tame ni wa Shudan wo Erandeiraremasen', part: 3 });
  for (const t of ['One Piece', 'Jujutsu Kaisen 0', 'Apart', 'Department of Truth', 'Part-Time Hero']) assert.equal(partOf(t), undefined, t);
});

test('a question about how many parts, in both languages; the title left for the search', () => {
  const cases: [string, string][] = [
    ['ジョジョって何部まであるの', 'ジョジョ'],
    ['ジョジョの奇妙な冒険って何部まである？', 'ジョジョの奇妙な冒険'],
    ['ジョジョは何部作ですか', 'ジョジョ'],
    ['how many parts does JoJo have?', 'JoJo'],
    ["what's the latest part of JoJo?", 'JoJo'],
    ['全部で何部まであるの？', ''],
    ['how many parts are there in total?', ''],
  ];
  for (const [text, title] of cases) {
    assert.ok(asksParts(text), text);
    assert.equal(titleQuery(text), title, text);
  }
  for (const text of ['how many volumes does Naruto have?', 'ナルトって何巻まで？', 'is part of it in stock?', '一部の巻だけ欲しい', '全部作品見せて', '最新の部分だけ']) assert.equal(asksParts(text), false, text);
});
