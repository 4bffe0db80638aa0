import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numbersAsDigits, parseEnglishCardinal, parseEnglishOrdinal, parseJapaneseNumber } from '../../src/understanding/numerals.ts';
import { extractEntities, extractVolume } from '../../src/understanding/entities.ts';
import { titleQuery } from '../../src/chat/title-query.ts';

test('English cardinals and ordinals up to 999, in words, hyphenated or not', () => {
  const cardinals: Array<[string, number]> = [
    ['thirteen', 13], ['twenty six', 26], ['twenty-six', 26], ['forty', 40], ['ninety nine', 99],
    ['one hundred and eight', 108], ['a hundred', 100], ['hundred and twelve', 112], ['two hundred five', 205], ['108', 108],
  ];
  for (const [text, n] of cardinals) assert.equal(parseEnglishCardinal(text), n, text);
  const ordinals: Array<[string, number]> = [
    ['thirteenth', 13], ['twenty-sixth', 26], ['twenty sixth', 26], ['twentieth', 20], ['first', 1], ['13th', 13], ['one hundred and eighth', 108], ['hundredth', 100],
  ];
  for (const [text, n] of ordinals) assert.equal(parseEnglishOrdinal(text), n, text);
  for (const text of ['piece', 'twenty piece', 'one two', 'thirteen thirty']) assert.equal(parseEnglishCardinal(text), undefined, text);
  assert.equal(parseJapaneseNumber('二十六'), 26);
  assert.equal(parseJapaneseNumber('百十二'), 112);
});

test('number words in a volume phrase become digits; other words stay words', () => {
  const cases: Array<[string, string]> = [
    ['bleach volume twenty six price?', 'bleach volume 26 price?'],
    ['Bleach Volume Thirteen please', 'Bleach Volume 13 please'],
    ['the twenty-sixth volume of bleach', 'the 26th volume of bleach'],
    ['under ten volumes', 'under 10 volumes'],
    ['thirteen, not thirty', '13, not 30'],
    ['not thirty, thirteen', 'not 30, 13'],
    ['ブリーチ二十六巻ある？', 'ブリーチ26巻ある？'],
    ['ワンピース１３巻', 'ワンピース13巻'],
    ['one piece', 'one piece'],
    ['tell me about the second one', 'tell me about the second one'],
    ['not one piece, naruto', 'not one piece, naruto'],
    ['二人で読める漫画', '二人で読める漫画'],
  ];
  for (const [text, expected] of cases) assert.equal(numbersAsDigits(text), expected, text);
});

test('volumes named in words, digits, kanji, full width and short forms', () => {
  const cases: Array<[string, number]> = [
    ['bleach volume twenty six', 26],
    ['BLEACH vol twenty-six in stock?', 26],
    ['how much is one piece vol.13', 13],
    ['one piece #13 in stock?', 13],
    ['one piece v13', 13],
    ['13th volume of one piece?', 13],
    ['the thirteenth volume of One Piece', 13],
    ['one piece volume 13th', 13],
    ['one piece volume one hundred and eight', 108],
    ['ワンピース十三巻はいくら？', 13],
    ['ブリーチの二十六巻', 26],
    ['ワンピース１３巻の在庫', 13],
    ['ｖｏｌ．１３', 13],
  ];
  for (const [text, n] of cases) assert.equal(extractVolume(text), n, text);
});

test('a correction names the volume meant, never the one ruled out', () => {
  const cases: Array<[string, number]> = [
    ['volume thirteen, not thirty', 13],
    ['bleach volume twenty six, not twenty', 26],
    ['thirteen, not thirty', 13],
    ['not thirty, thirteen', 13],
    ['not 30 but 13', 13],
    ['vol 30, sorry, 13', 13],
    ['volume 30? no, 13', 13],
    ['no, I meant volume 3', 3],
    ['I said 13 not 30', 13],
    ['ワンピース13巻じゃなくて14巻', 14],
    ['13巻じゃない、14巻です', 14],
    ['あ、ごめん14巻の間違いだった', 14],
    ['すみません、第十四巻の間違いです', 14],
  ];
  for (const [text, n] of cases) assert.equal(extractVolume(text), n, text);
  // Not corrections: a title with "No." in it, a limit, an age.
  assert.equal(extractVolume('Kaiju No. 8 price'), undefined);
  assert.equal(extractVolume('Kaiju no 8 vol 3, not the digital one'), 3);
  assert.equal(extractEntities('not more than ten volumes please').maxVolumes, 10);
});

test('the title search sees the title without the volume phrase, whatever its form', () => {
  const cases: Array<[string, string]> = [
    ['bleach volume twenty six', 'bleach'],
    ['the twenty-sixth volume of bleach', 'bleach'],
    ['13th volume of one piece?', 'one piece'],
    ['Bleach vol 30, sorry, 13', 'Bleach'],
    ['bleach volume 26, not 20', 'bleach'],
    ['ブリーチ二十六巻ある？', 'ブリーチ'],
  ];
  for (const [text, q] of cases) assert.equal(titleQuery(text), q, text);
});
