import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparedWithInPlay } from '../../src/understanding/comparison.ts';

// One title weighed against the series in play, which the message leaves unnamed: the title named
// is compared with it (comparisons.ts puts the series in play first), in both languages.

test('the one title a message weighs against the series in play', () => {
  const cases: [string, string][] = [
    ['チェンソーマンと比べてどっちが人気？', 'チェンソーマン'],
    ['ナルトより長い？', 'ナルト'],
    ['じゃあワンピースと比べると巻数は？', 'ワンピース'],
    ['それとブリーチ、どっちが古い？', 'ブリーチ'],
    ['compared with Chainsaw Man, which is more popular?', 'chainsaw man'],
    ['is it more popular than Chainsaw Man?', 'chainsaw man'],
    ["is it longer than Naruto?", 'naruto'],
    ['how does it compare to Bleach?', 'bleach'],
    ['vs Bleach?', 'bleach'],
    ['which is better rated, this or Monster?', 'monster'],
    // Asked to compare it with a title: "compare it with X", "compare this to X".
    ['compare it with Naruto, how many volumes each', 'naruto'],
    ['can you compare this to Bleach?', 'bleach'],
  ];
  for (const [text, name] of cases) assert.equal(comparedWithInPlay(text), name, text);
});

test('two titles named, or none: not this shape', () => {
  for (const text of ['compare naruto with bleach', 'Naruto or Bleach?', 'ナルトとブリーチどっちが長い？', 'is it in stock?', 'どっちが人気？', '前の巻より安い？', 'is it cheaper than volume 2?', 'より安いのある？', 'something better than this?']) {
    assert.equal(comparedWithInPlay(text), undefined, text);
  }
});
