import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCatalogNames, foldName, ordinaryVocabulary } from '../../src/understanding/catalog-names.ts';
import { normaliseForFeatures } from '../../src/understanding/features.ts';
import type { Series } from '../../src/catalog/types.ts';

function series(id: string, names: Partial<Series>): Series {
  return { id, title: id, authors: [], genres: [], themes: [], status: 'finished', ...names };
}

const CATALOG: Series[] = [
  series('chainsaw-man', { title: 'Chainsaw Man', titleJa: 'チェンソーマン', authors: ['Tatsuki Fujimoto'] }),
  series('vinland-saga', { title: 'Vinland Saga', titleJa: 'ヴィンランド・サガ', authors: ['Makoto Yukimura'] }),
  series('shingeki-no-kyojin', { title: 'Shingeki no Kyojin', titleEn: 'Attack on Titan', titleJa: '進撃の巨人', authors: ['Hajime Isayama'] }),
  series('kaguya', { title: 'Kaguya-sama wa Kokurasetai', titleEn: 'Kaguya-sama: Love Is War', titleJa: 'かぐや様は告らせたい〜天才たちの恋愛頭脳戦〜' }),
  series('frieren', { title: 'Sousou no Frieren', titleEn: "Frieren: Beyond Journey's End" }),
  series('jjk', { title: 'Jujutsu Kaisen', titleJa: '呪術廻戦' }),
  series('demon-slayer', { title: 'Kimetsu no Yaiba', titleEn: 'Demon Slayer' }),
  // Series named like ordinary conversation.
  series('arigatou', { title: 'Arigatou', titleEn: 'Thank you', authors: ['Naoki Yamamoto'] }),
  series('help-me', { title: 'Help Me' }),
  series('real', { title: 'Real', authors: ['Takehiko Inoue'] }),
];

// Words and phrases of ordinary conversation, as the classifier derives them from its labelled data.
const ORDINARY = ordinaryVocabulary(
  ['thank you so much', 'thank you!', 'help me please', 'can you help me', 'I want a real person', 'a real human please', 'ありがとうございます', 'ありがとう！'],
  ['thank you so much', 'help me please', 'is it in stock', 'is volume 3 in stock', 'the price please', 'what is the price'],
);

const names = createCatalogNames(CATALOG, { ordinary: ORDINARY });
const found = (text: string): string[] => {
  const norm = normaliseForFeatures(text);
  return names.find(norm).map((s) => `${s.kind}:${norm.slice(s.start, s.end)}`);
};

test('folds case, width, kana, punctuation, apostrophes, accents and romaji long vowels', () => {
  assert.equal(foldName('チェンソーマン'), foldName('ちぇんそーまん'));
  assert.equal(foldName('ヴィンランド・サガ'), foldName('ヴィンランドサガ'));
  assert.equal(foldName("Frieren: Beyond Journey's End"), foldName('frieren beyond journeys end'));
  assert.equal(foldName('Shingeki no Kyoujin'), foldName('SHINGEKI NO KYŌJIN'));
  assert.equal(foldName('Ｓｐｙ×Ｆａｍｉｌｙ'), foldName('spy family'));
});

test('finds titles in any of their names and scripts, inside sentences, with the longest name winning', () => {
  assert.deepEqual(found('Do you have Attack on Titan?'), ['title:attack on titan']);
  assert.deepEqual(found('ちぇんそーまんの1巻ありますか'), ['title:ちぇんそーまん']);
  assert.deepEqual(found('ヴィンランドサガ'), ['title:ヴィンランドサガ']);
  assert.deepEqual(found('Chainsaw Man or Vinland Saga?'), ['title:chainsaw man', 'title:vinland saga']);
  assert.deepEqual(found('is shingeki no kyoujin finished'), ['title:shingeki no kyoujin']);
});

test('a name must be whole words in Latin text', () => {
  assert.deepEqual(found('the realm of chainsaws'), []);
  assert.deepEqual(found('chainsaw manuals'), []);
});

test('finds authors, in either name order', () => {
  assert.deepEqual(found('anything by Tatsuki Fujimoto?'), ['author:tatsuki fujimoto']);
  assert.deepEqual(found('fujimoto tatsuki'), ['author:fujimoto tatsuki']);
});

test('a title without its subtitle, and a Latin title run together, are names too', () => {
  assert.deepEqual(found('かぐや様は告らせたいある？'), ['title:かぐや様は告らせたい']);
  assert.deepEqual(found('kaguya-sama'), ['title:kaguya-sama']);
  assert.deepEqual(found('chainsawman?'), ['title:chainsawman']);
});

test('a misspelt word one edit from a name word completes the name', () => {
  assert.deepEqual(found('jujustu kaisen'), ['title:jujustu kaisen']);
  assert.deepEqual(found('demon slyer'), ['title:demon slyer']);
  assert.deepEqual(found('vinland sgaa'), []); // two edits: not corrected
  // Words of the labelled data are words, not typos ("price" is not "prince").
  assert.deepEqual(found('what is the price'), []);
});

test('names made only of ordinary conversation are not names', () => {
  assert.deepEqual(found('thank you'), []);
  assert.deepEqual(found('help me'), []);
  assert.deepEqual(found('I want a real person'), []);
  // Their other names still are.
  assert.deepEqual(found('Arigatou'), ['title:arigatou']);
});

test('follows catalog changes: new series are found, removed ones are not', () => {
  const live = createCatalogNames(CATALOG.slice(0, 2), { ordinary: ORDINARY });
  const has = (text: string) => live.find(normaliseForFeatures(text)).length > 0;
  assert.equal(has('Quantum Samurai Bakery'), false);
  live.update([series('qsb', { title: 'Quantum Samurai Bakery' })], []);
  assert.equal(has('Quantum Samurai Bakery'), true);
  assert.equal(has('quantum samurai bakery vol 2'), true);
  // A renamed series loses its old name.
  live.update([series('qsb', { title: 'Quantum Ninja Bakery' })], []);
  assert.equal(has('Quantum Samurai Bakery'), false);
  assert.equal(has('Quantum Ninja Bakery'), true);
  live.update([], ['qsb', 'chainsaw-man']);
  assert.equal(has('Quantum Ninja Bakery'), false);
  assert.equal(has('Chainsaw Man'), false);
  assert.equal(has('Vinland Saga'), true);
});

test('a span covers the whole words it matched, and stops where Japanese begins', () => {
  assert.deepEqual(found('arigatou!'), ['title:arigatou']);
  assert.deepEqual(found('chainsaw manって何巻まで？'), ['title:chainsaw man']);
});
