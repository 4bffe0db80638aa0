import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities, extractOrdinal, extractVolume } from '../../src/understanding/entities.ts';
import { parseJapaneseNumber } from '../../src/understanding/numerals.ts';

test('volume numbers in English forms', () => {
  const cases: Array<[string, number]> = [
    ['is vol 3 in stock', 3],
    ['One Piece vol. 12 price', 12],
    ['volume three please', 3],
    ['volume twenty-one', 21],
    ['Chainsaw Man #3', 3],
    ['do you have v2 of Monster', 2],
    ['the first volume of Monster', 1],
    ['Kaiju No. 8 vol 12', 12],
    ['is One Piece 108 in stock?', 108],
    ['Chainsaw Man 15 price?', 15],
    ['how much is haikyuu 45', 45],
  ];
  for (const [text, volume] of cases) assert.equal(extractVolume(text), volume, text);
});

test('volume numbers in Japanese forms, including full-width and kanji numerals', () => {
  const cases: Array<[string, number]> = [
    ['3巻ありますか', 3],
    ['第3巻', 3],
    ['三巻', 3],
    ['第十二巻はいつ？', 12],
    ['ワンピースの108巻 price?', 108],
    ['ワンピース１０８巻', 108],
    ['百八巻', 108],
    ['最初の巻', 1],
  ];
  for (const [text, volume] of cases) assert.equal(extractVolume(text), volume, text);
});

test('no volume for counts, ranges, or questions about how many', () => {
  const none = ['全十二巻', '1〜12巻まとめて', 'volumes 1-5', 'vol 3 to 6', '何巻まで出てる？', 'Do you have Naruto?'];
  // A bare number is only a volume after a title word, not in "No. 8", "top 5", "a 10 year old".
  none.push('Kaiju No. 8 price', 'give me your top 5 shounen?', 'something for a 10 year old', 'One Piece chapter 1000?');
  for (const text of none) {
    assert.equal(extractVolume(text), undefined, text);
  }
});

test('order numbers are found case-insensitively and returned in canonical form', () => {
  assert.equal(extractEntities('where is MA-20261104-0007?', 'en').orderId, 'MA-20261104-0007');
  assert.equal(extractEntities('order ma-20261102-0009 pls', 'en').orderId, 'MA-20261102-0009');
  assert.equal(extractEntities('注文番号ＭＡ－20261101-0042です', 'ja').orderId, 'MA-20261101-0042');
  assert.equal(extractEntities('注文番号MA-20261029-0318はいつ届く', 'ja').orderId, 'MA-20261029-0318');
  assert.equal(extractEntities('my order from yesterday', 'en').orderId, undefined);
});

test('ordinals that point at a shown list', () => {
  const cases: Array<[string, number]> = [
    ['the second one', 2],
    ['I like the 3rd one', 3],
    ['tell me about the first?', 1],
    ['option 2 please', 2],
    ['2つ目', 2],
    ['ふたつめのやつ', 2],
    ['二番目のやつ', 2],
    ['3番目の作品', 3],
    ['最初のやつ', 1],
  ];
  for (const [text, ordinal] of cases) assert.equal(extractOrdinal(text), ordinal, text);
  for (const text of ['is there a discount for first time customers', 'Kaiju No. 8', 'Do you have Naruto?', 'ひとりごと']) {
    assert.equal(extractOrdinal(text), undefined, text);
  }
  // "the first volume" is a volume, not a list position.
  const e = extractEntities('the first volume please', 'en');
  assert.equal(e.volume, 1);
  assert.equal(e.ordinal, undefined);
});

test('genre, theme and demographic words map to MyAnimeList names in both languages', () => {
  const cases: Array<[string, Partial<{ genres: string[]; themes: string[]; demographic: string }>]> = [
    ['おすすめの恋愛漫画', { genres: ['Romance'] }],
    ['ラブコメある？', { genres: ['Romance', 'Comedy'] }],
    ['異世界転生もの', { themes: ['Isekai', 'Reincarnation'] }],
    ['少年漫画でおすすめ', { demographic: 'Shounen' }],
    ['ホラー漫画', { genres: ['Horror'] }],
    ['a good rom-com please', { genres: ['Romance', 'Comedy'] }],
    ['スポーツ漫画', { genres: ['Sports'] }],
    ['料理の漫画', { genres: ['Gourmet'] }],
    ['グルメ漫画', { genres: ['Gourmet'] }],
    ['BL漫画ありますか', { genres: ['Boys Love'] }],
    ['any yuri or girls love?', { genres: ['Girls Love'] }],
    ['slice of life shoujo', { genres: ['Slice of Life'], demographic: 'Shoujo' }],
    ['dark psychological seinen', { themes: ['Psychological'], demographic: 'Seinen' }],
    ['sci-fi with mecha', { genres: ['Sci-Fi'], themes: ['Mecha'] }],
    ['vampire manga', { themes: ['Vampire'] }],
    ['manga for kids', { demographic: 'Kodomomuke' }],
    ['女性向けの漫画', { demographic: 'Josei' }],
  ];
  for (const [text, want] of cases) {
    const got = extractEntities(text, 'en');
    assert.deepEqual(got.genres, want.genres ?? [], `${text} genres`);
    assert.deepEqual(got.themes, want.themes ?? [], `${text} themes`);
    assert.equal(got.demographic, want.demographic, `${text} demographic`);
  }
});

test('titles that merely contain a demographic word do not count', () => {
  assert.equal(extractEntities('20世紀少年ありますか', 'ja').demographic, undefined);
  assert.deepEqual(extractEntities('魔法少女もの', 'ja'), { genres: [], themes: ['Mahou Shoujo'] });
  assert.deepEqual(extractEntities('Do you have Naruto?', 'en'), { genres: [], themes: [] });
});

test('kanji numerals parse up to 999', () => {
  assert.equal(parseJapaneseNumber('三'), 3);
  assert.equal(parseJapaneseNumber('十'), 10);
  assert.equal(parseJapaneseNumber('二十一'), 21);
  assert.equal(parseJapaneseNumber('百八'), 108);
  assert.equal(parseJapaneseNumber('一〇八'), 108);
  assert.equal(parseJapaneseNumber('三百'), 300);
  assert.equal(parseJapaneseNumber('巻'), undefined);
});
