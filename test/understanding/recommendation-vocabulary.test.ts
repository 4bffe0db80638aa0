// What a request for picks says, read against the tags the catalog has (fixer D, step 8): theme words
// that had no tag ("strategy game", 頭脳戦, ヤクザ), a kind said as a theme (「音楽がテーマ」), lengths without
// a word for volumes ("10 or less") or as a range ("like 1-3 volumes"), a weekend's read, "even shorter",
// a title liked "a lot", a new kind asked for after picks, and a title with an abbreviation's point in a
// comparison ("Dr. Slump").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities } from '../../src/understanding/entities.ts';
import { asksFromPurchases } from '../../src/understanding/constraints.ts';
import { comparisonParts } from '../../src/understanding/comparison.ts';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { RecommendationWish, TurnContext } from '../../src/understanding/types.ts';
import { kindWordsOnly } from '../../src/chat/kind-request.ts';
import { titleQuery } from '../../src/chat/title-query.ts';
import { relaxations, saidIn, wishFrom } from '../../src/chat/recommendation-request.ts';

test('theme words map to the tags the catalog has, in both languages', () => {
  const cases: [string, string][] = [
    ['any good strategy game manga?', 'Strategy Game'],
    ['something with mind games and a battle of wits', 'Strategy Game'],
    ['将棋とか囲碁みたいなゲームで頭脳戦するマンガ読みたい', 'Strategy Game'],
    ['ボードゲームの漫画ある？', 'Strategy Game'],
    ['a manga about the yakuza? organized crime stuff', 'Organized Crime'],
    ['ヤクザものが読みたい', 'Organized Crime'],
    ['子育ての漫画でほっこりするやつ', 'Childcare'],
    ['悪役令嬢ものでおすすめは？', 'Villainess'],
    ['I want something about a love triangle', 'Love Polygon'],
    ['a parody manga', 'Parody'],
  ];
  for (const [text, tag] of cases) {
    const e = extractEntities(text);
    assert.ok([...e.genres, ...e.themes].includes(tag), `${text} → ${JSON.stringify(e)}`);
  }
  // "A love triangle", "a love story": a kind of story, not a title loved.
  assert.equal(extractEntities('I want something about a love triangle').likeQuery, undefined);
  assert.equal(extractEntities('any love story recommendations?').likeQuery, undefined);
  assert.equal(extractEntities('I love Berserk, anything similar?').likeQuery, 'berserk');
  // 「将棋とか囲碁みたいな」: the words that join examples are no title of their own.
  assert.notEqual(extractEntities('ホラーとかミステリーみたいなのが好き').likeQuery, 'とか');
});

test('a kind said as the theme or subject of a manga asks for that kind', () => {
  for (const text of ['音楽がテーマのマンガ探してます', '料理を題材にした漫画ある？', 'スポーツがテーマの作品']) assert.equal(kindWordsOnly(titleQuery(text)), true, text);
  // A plot or a title of its own stays a search.
  for (const text of ['宮廷で薬師の少女が謎を解く漫画', 'Quantum Samurai Bakery']) assert.equal(kindWordsOnly(titleQuery(text)), false, text);
});

test('a length said without a word for volumes, as a range, or as a weekend read', () => {
  const max: [string, number | undefined][] = [
    ['hmm even shorter, 10 or less', 10],
    ['under 10 please', 9],
    ['max 5', 5],
    ['a short complete manga I can finish in a weekend? like 1-3 volumes', 3],
    ['between 5 and 10 volumes, finished', 10],
    ['one to three volumes', 3],
    ['2〜3巻くらいで完結する恋愛漫画', 3],
    // Ages, prices and counts of other things are no length.
    ['something for kids under 10', undefined],
    ['anything under 1000 yen?', undefined],
    ['I have 10 or less points', undefined],
    ['sports manga for ¥3000 or under', undefined],
  ];
  for (const [text, n] of max) assert.equal(extractEntities(text).maxVolumes, n, text);
  assert.equal(extractEntities('between 5 and 10 volumes, finished').minVolumes, 5);
  assert.equal(extractEntities('like 1-3 volumes').minVolumes, undefined);
  for (const text of ['a weekend read, something funny', 'something I can binge in one sitting', '週末で読み切れる漫画ある？', '一日で読める漫画']) assert.equal(extractEntities(text).shorter, true, text);
  assert.equal(extractEntities('一日で届きますか？').shorter, undefined);
});

test('"even shorter" with no number goes below the limit the picks had', () => {
  const wish = (w: Partial<RecommendationWish>): RecommendationWish => ({ genres: ['Sports'], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [], status: 'finished', ...w });
  assert.equal(wishFrom(extractEntities('hmm even shorter'), wish({ maxVolumes: 19 })).maxVolumes, 10);
  assert.equal(wishFrom(extractEntities('shorter please'), wish({ shorter: true })).maxVolumes, 5);
  // A number said is the limit.
  assert.equal(wishFrom(extractEntities('hmm even shorter, 10 or less'), wish({ maxVolumes: 19 })).maxVolumes, 10);
  // Shorter than a series liked stays the engine's (the seed's length).
  assert.equal(wishFrom(extractEntities('shorter please'), wish({ seedSeriesIds: ['berserk'], shorter: true })).maxVolumes, undefined);
});

test('a title liked "a lot" is the title, not its intensifier', () => {
  assert.equal(extractEntities('I liked Vinland Saga a lot, what else would I like?').likeQuery, 'vinland saga');
  assert.equal(extractEntities('loved monster so much, anything else?').likeQuery, 'monster');
});

test('a new kind asked anew after picks starts a new request; who it is for carries, "also"/"still" keep the rest', () => {
  const resolver = createReferenceResolver();
  const wish: RecommendationWish = { genres: [], themes: [], seedSeriesIds: [], excludeSeriesIds: ['look-back'], excludeTags: ['Gore'], status: 'finished', maxVolumes: 3 };
  const picks = (w: RecommendationWish): TurnContext[] => [
    { role: 'user', text: 'a short complete manga I can finish in a weekend? like 1-3 volumes' },
    { role: 'assistant', text: '1. Look Back 2. Solanin', seriesIds: ['look-back', 'solanin'], about: { wish: w } },
  ];
  for (const [text, language] of [['now something funny', 'en'], ['ok this time a horror one', 'en'], ['今度はギャグ漫画がいいな', 'ja']] as const) {
    const r = resolver.resolve(text, language, picks(wish), 'recommendation');
    assert.equal(r.narrows, undefined, text);
    assert.equal(r.intent ?? 'recommendation', 'recommendation', text);
  }
  const kid = resolver.resolve('now something funny', 'en', picks({ ...wish, audience: 'child' }), 'recommendation');
  assert.equal(kid.narrows?.audience, 'child');
  assert.equal(kid.narrows?.maxVolumes, undefined);
  // Kept: said as a refinement, or the same kind again.
  for (const text of ['now also funny ones', 'something funny but still short', 'maybe something funny', 'which of those are funny?']) assert.equal(resolver.resolve(text, 'en', picks(wish), 'recommendation').narrows?.maxVolumes, 3, text);
});

test('an abbreviation\'s point in a title does not end the sentence of a comparison', () => {
  assert.deepEqual(comparisonParts('which came first, Dragon Ball or Dr. Slump?')?.map((p) => p.text), ['dragon ball', 'dr. slump']);
  assert.deepEqual(comparisonParts('Kaiju No. 8 or Sakamoto Days, which is longer?')?.map((p) => p.text), ['kaiju no. 8', 'sakamoto days']);
  assert.deepEqual(comparisonParts('I like historical stuff. Vinland Saga or Vagabond?')?.map((p) => p.text), ['vinland saga', 'vagabond']);
});

test('titles already read, with "similar" asked, are what the picks are like; "done" of the picks is finished', () => {
  const e = extractEntities("I've already read Monster and Pluto, what else would you recommend that's similar?");
  assert.equal(e.likeQuery, 'monster and pluto');
  assert.deepEqual(e.excludeQueries, ['monster', 'pluto']);
  assert.equal(extractEntities('モンスターとプルートはもう読んだ。似たようなの教えて').likeQuery, 'モンスターとプルート');
  // Read with nothing similar asked: ruled out only.
  assert.equal(extractEntities("I've read Monster, recommend a horror manga").likeQuery, undefined);
  assert.equal(extractEntities("any shoujo under 10 vols that's done?").status, 'finished');
  for (const text of ["that's done, thanks", "I'm all done with horror"]) assert.equal(extractEntities(text).status, undefined, text);
});

test('picks asked from what the customer bought here', () => {
  for (const text of ['based on my past orders, what would you recommend?', "something like what I've bought before", '購入履歴からおすすめの漫画を教えて', '今まで買ったものに似た漫画ある？']) assert.equal(asksFromPurchases(text), true, text);
  for (const text of ['where is my order?', '購入履歴を見たい', 'what did I buy last month?', 'I bought Berserk 41, is 42 out?']) assert.equal(asksFromPurchases(text), false, text);
});

test("a reader's age said of them is the audience, not a volume", () => {
  const e = extractEntities("something for my nephew, he's 13, likes soccer");
  assert.deepEqual([e.audience, e.volume], ['teen', undefined]);
  assert.equal(extractEntities("she's 9, any manga for her?").audience, 'child');
  // A volume named outright stays the volume.
  assert.equal(extractEntities("is vol 13 in stock? he's 13 so").volume, 13);
});

test('a whole request of its own after picks starts anew; what the message asked is given up last when nothing fits', () => {
  const resolver = createReferenceResolver();
  const wish: RecommendationWish = { genres: ['Romance'], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [], audience: 'teen' };
  const picks: TurnContext[] = [{ role: 'user', text: 'a romance for my 15 year old' }, { role: 'assistant', text: '1. Orange', seriesIds: ['orange'], about: { wish } }];
  const r = resolver.resolve("a josei manga that's finished, not more than 12 volumes", 'en', picks, 'recommendation');
  assert.deepEqual(r.narrows?.genres, []);
  // A terse wish still narrows ("できれば少女漫画で", "any shoujo ones?").
  for (const [text, language] of [['ありがとう、できれば少女漫画で', 'ja'], ['any shoujo ones?', 'en']] as const) assert.deepEqual(resolver.resolve(text, language, picks, 'recommendation').narrows?.genres, ['Romance'], text);
  const carried: RecommendationWish = { genres: [], themes: ['High Stakes Game'], demographic: 'Josei', status: 'finished', maxVolumes: 12, seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [] };
  assert.deepEqual(relaxations(carried, saidIn(extractEntities('any gambling manga?'))).map((x) => x.without), ['maxVolumes', 'status', 'demographic', 'tags']);
});
