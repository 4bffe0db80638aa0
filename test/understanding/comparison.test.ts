import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonAspects, comparisonParts } from '../../src/understanding/comparison.ts';

const parts = (text: string) => comparisonParts(text)?.map((p) => p.text);

test('every series a comparison names, in the order named, in both languages', () => {
  const cases: Array<[string, string[]]> = [
    ['Naruto or Bleach?', ['naruto', 'bleach']],
    ['Naruto or Bleach, which should I start?', ['naruto', 'bleach']],
    ["What's the difference between Death Note and Monster?", ['death note', 'monster']],
    ["Haikyuu vs Kuroko's Basketball, which one should I read?", ['haikyuu', "kuroko's basketball"]],
    ['Frieren vs. Dungeon Meshi', ['frieren', 'dungeon meshi']],
    ['compare One Piece, Naruto and Bleach for me', ['one piece', 'naruto', 'bleach']],
    ['I like historical stuff. Vinland Saga or Vagabond?', ['vinland saga', 'vagabond']],
    ['is one piece better than naruto?', ['one piece', 'naruto']],
    ['How does Monster compare to 20th Century Boys?', ['monster', '20th century boys']],
    ['NARUTOとBLEACH、どっちがおすすめ？', ['NARUTO', 'BLEACH']],
    ['進撃の巨人と鬼滅の刃ならどっちが長いですか？', ['進撃の巨人', '鬼滅の刃']],
    ['ドラゴンボールとワンピースって、それぞれ何巻まである？', ['ドラゴンボール', 'ワンピース']],
  ];
  for (const [text, want] of cases) assert.deepEqual(parts(text), want, text);
});

test('a title with "and" in it is cut in pieces the pipeline joins again when a piece names nothing', () => {
  const cut = comparisonParts('is Spice and Wolf or Berserk better?')!;
  assert.deepEqual(cut.map((p) => p.text), ['spice', 'wolf', 'berserk']);
  assert.equal(`${cut[0].text}${cut[0].joiner}${cut[1].text}`, 'spice and wolf');
});

test('no comparison in a plain question, a single title or a list without a comparison word', () => {
  for (const text of ['which one is longer?', 'Do you have Naruto and Bleach?', 'how much is One Piece vol 3?', 'ワンピースの3巻ありますか？']) {
    assert.equal(comparisonParts(text), undefined, text);
  }
});

test('what the comparison asks about', () => {
  assert.deepEqual(comparisonAspects('which one is longer?'), ['volumes']);
  assert.deepEqual(comparisonAspects('進撃の巨人と鬼滅の刃ならどっちが長いですか？'), ['volumes']);
  assert.deepEqual(comparisonAspects('Naruto or Bleach, which should I start?'), ['rating']);
  assert.deepEqual(comparisonAspects('どっちが人気？'), ['popularity']);
  assert.deepEqual(comparisonAspects('which is cheaper?'), ['price']);
  assert.deepEqual(comparisonAspects('Naruto or Bleach?'), []);
});

test('choices written other ways: か…で迷って, どれ, X派？Y派？, between', () => {
  const cases: Array<[string, string[]]> = [
    ['NARUTOかBLEACHで迷ってます', ['NARUTO', 'BLEACH']],
    ['ワンピースとナルトならどれ？', ['ワンピース', 'ナルト']],
    ['ワンピース派？ナルト派？', ['ワンピース', 'ナルト']],
    ["I'm torn between Frieren and Dungeon Meshi", ['frieren', 'dungeon meshi']],
    ['between Naruto and Bleach what would you pick', ['naruto', 'bleach']],
    ['Naruto and Bleach, which one?', ['naruto', 'bleach']],
  ];
  for (const [text, want] of cases) assert.deepEqual(parts(text), want, text);
});

test('titles ruled out are no choice between them, and a sentence is no title', () => {
  assert.equal(comparisonParts("I want an action manga, but I don't want anything with gore, and not Naruto or Bleach"), undefined);
  assert.equal(comparisonParts('anything except Naruto or Bleach?'), undefined);
  assert.equal(comparisonParts('I would like to know if you ship to Osaka or Kyoto on weekends'), undefined);
});

test('comparisons in more shapes: older/newer than, 何が違う, より, a lead clause, romaji "no", "for a beginner"', () => {
  const cases: Array<[string, string[]]> = [
    ['is Dragon Ball older than One Piece?', ['dragon ball', 'one piece']],
    ['did Naruto come out before Bleach?', ['naruto', 'bleach']],
    ['Has One Piece been running longer than Naruto?', ['one piece', 'naruto']],
    ['shingeki no kyojin vs kimetsu no yaiba which is longer', ['shingeki no kyojin', 'kimetsu no yaiba']],
    ['naruto or bleach for a beginner?', ['naruto', 'bleach']],
    ['for someone new to manga: Death Note, Monster or Pluto? how many volumes is each?', ['death note', 'monster', 'pluto']],
    ['デスノートとモンスターって何が違うの？', ['デスノート', 'モンスター']],
    ['ワンピースのほうが長い？ナルトより？', ['ワンピース', 'ナルト']],
    ['進撃の巨人は鬼滅の刃より長い？', ['進撃の巨人', '鬼滅の刃']],
    ['鬼滅の刃より進撃の巨人のほうが古いよね？', ['鬼滅の刃', '進撃の巨人']],
    ['ドラゴンボールってワンピースと比べてどう？', ['ドラゴンボール', 'ワンピース']],
    ['スラムダンクとハイキュー、どっちが先に始まったの？', ['スラムダンク', 'ハイキュー']],
  ];
  for (const [text, want] of cases) assert.deepEqual(parts(text), want, text);
  // "No" starting a clause still rules titles out; a number before より is no title.
  assert.equal(comparisonParts('romance, no horror or gore please'), undefined);
  assert.equal(comparisonParts('ワンピースは100巻より前の巻も在庫ある？'), undefined);
  assert.equal(comparisonParts('I want something newer than Naruto'), undefined);
});

test('which began first is asked in many words, not "start reading"', () => {
  for (const text of ['which came out first?', 'is Dragon Ball older than One Piece?', 'which one started earlier?', 'which is newer', 'どっちが先に始まった？', 'どちらが古いですか', '連載開始はどっちが早い？']) {
    assert.ok(comparisonAspects(text).includes('started'), text);
  }
  for (const text of ['Naruto or Bleach, which should I start?', 'which is cheaper, the first volume?', 'Naruto or Bleach?']) {
    assert.ok(!comparisonAspects(text).includes('started'), text);
  }
});

test('a fact asked of each title named together is a comparison; a search for kinds of manga is not', () => {
  const cases: Array<[string, string[]]> = [
    ['Are Naruto and Bleach finished?', ['naruto', 'bleach']],
    ['how many volumes do Naruto and Bleach have?', ['naruto', 'bleach']],
    ['who wrote Monster and Pluto?', ['monster', 'pluto']],
    ['鬼滅の刃と呪術廻戦は完結してますか？', ['鬼滅の刃', '呪術廻戦']],
    ['ナルト、ブリーチ、ワンピースの作者は？', ['ナルト', 'ブリーチ', 'ワンピース']],
    ['デスノートとバクマンって同じ作者？', ['デスノート', 'バクマン']],
    ['ワンピースもナルトも完結してる？', ['ワンピース', 'ナルト']],
    ['Can you compare Naruto to Bleach?', ['naruto', 'bleach']],
    ['Chainsaw Man, Jujutsu Kaisen and Demon Slayer - which is the newest?', ['chainsaw man', 'jujutsu kaisen', 'demon slayer']],
    ['進撃の巨人 or 鬼滅の刃, which one is older?', ['進撃の巨人', '鬼滅の刃']],
  ];
  for (const [text, want] of cases) assert.deepEqual(parts(text), want, text);
  for (const text of ['Do you have Naruto and Bleach?', 'are there any finished romance and comedy manga?', '友達と読める漫画で完結してるのある？', '鬼滅の刃は完結してますか？', 'I like action and romance - which would you recommend?']) {
    assert.equal(comparisonParts(text), undefined, text);
  }
});

test('a fact asked of one title, then of another in a sentence of its own, is asked of both (round 4)', () => {
  const cases: Array<[string, string[]]> = [
    ['Is Naruto finished? And Bleach?', ['naruto', 'bleach']],
    ['who wrote Monster? and Pluto?', ['monster', 'pluto']],
    ['How many volumes does Haikyuu have? What about Slam Dunk?', ['haikyuu', 'slam dunk']],
    ['is soul eater complete? and noragami?', ['soul eater', 'noragami']],
    ['Is Frieren finished yet? And what about Dungeon Meshi too?', ['frieren', 'dungeon meshi']],
    ['ナルトって完結してる？ブリーチは？', ['ナルト', 'ブリーチ']],
    ['鬼滅の刃は完結していますか。呪術廻戦はどうですか。', ['鬼滅の刃', '呪術廻戦']],
    ['ワンピースは何巻まで出てる？ナルトは？', ['ワンピース', 'ナルト']],
  ];
  for (const [text, want] of cases) assert.deepEqual(parts(text), want, text);
  // Another question, not the same one again; no title before; a price (not a fact of the series).
  for (const text of ['Is Naruto finished? and how much is vol 1?', 'Is Naruto finished? thanks', 'is it finished? and volume 3?', 'ワンピースって完結してる？', 'who wrote Monster? And when did it start?', 'how much is naruto vol 1? and bleach?']) {
    assert.equal(comparisonParts(text), undefined, text);
  }
});
