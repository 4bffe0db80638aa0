import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

const resolver = createReferenceResolver();

const list: TurnContext[] = [
  { role: 'user', text: 'おすすめのファンタジーは？' },
  { role: 'assistant', text: 'フリーレン、ベルセルク、ヴィンランド・サガはいかがでしょう', seriesIds: ['frieren', 'berserk', 'vinland-saga'] },
];
const single: TurnContext[] = [
  { role: 'user', text: 'Do you have Frieren?' },
  { role: 'assistant', text: 'Yes, we have Frieren.', seriesIds: ['frieren'] },
];

test('ordinals pick the Nth series of the latest list shown', () => {
  assert.deepEqual(resolver.resolve('the second one', 'en', list), { seriesId: 'berserk', via: 'ordinal' });
  assert.deepEqual(resolver.resolve('2つ目', 'ja', list), { seriesId: 'berserk', via: 'ordinal' });
  assert.deepEqual(resolver.resolve('二番目のやつ', 'ja', list), { seriesId: 'berserk', via: 'ordinal' });
  assert.deepEqual(resolver.resolve('最初のやつは完結してる？', 'ja', list), { seriesId: 'frieren', via: 'ordinal' });
  assert.deepEqual(resolver.resolve('the third one, vol 2', 'en', list), { seriesId: 'vinland-saga', via: 'ordinal', volume: 2 });
});

test('the latest assistant turn with series wins over older ones', () => {
  const history: TurnContext[] = [...list, { role: 'user', text: 'hmm' }, { role: 'assistant', text: 'Or these', seriesIds: ['monster', 'pluto'] }, { role: 'user', text: 'ok' }];
  assert.equal(resolver.resolve('the second one', 'en', history).seriesId, 'pluto');
  assert.equal(resolver.resolve('それ', 'ja', history).seriesId, 'monster');
});

test('an ordinal past the end of the list resolves to nothing', () => {
  assert.deepEqual(resolver.resolve('the fifth one', 'en', list), {});
});

test('pronouns point at the first or only series shown', () => {
  assert.deepEqual(resolver.resolve('is it finished?', 'en', single), { seriesId: 'frieren', via: 'pronoun' });
  assert.deepEqual(resolver.resolve('how much is that one', 'en', list), { seriesId: 'frieren', via: 'pronoun' });
  assert.deepEqual(resolver.resolve('その漫画って何巻まで？', 'ja', single), { seriesId: 'frieren', via: 'pronoun' });
  assert.deepEqual(resolver.resolve('これください', 'ja', single), { seriesId: 'frieren', via: 'pronoun' });
});

test('pronoun plus volume gives series and volume', () => {
  assert.deepEqual(resolver.resolve('それの3巻', 'ja', single), { seriesId: 'frieren', via: 'pronoun', volume: 3 });
  assert.deepEqual(resolver.resolve('vol 3 of that', 'en', single), { seriesId: 'frieren', via: 'pronoun', volume: 3 });
});

test('a bare volume after a turn about one series refers to that series', () => {
  assert.deepEqual(resolver.resolve('3巻は？', 'ja', single), { seriesId: 'frieren', volume: 3, via: 'last-shown' });
  assert.deepEqual(resolver.resolve('what about vol 4?', 'en', single), { seriesId: 'frieren', volume: 4, via: 'last-shown' });
  assert.deepEqual(resolver.resolve('第五巻の値段は？', 'ja', single), { seriesId: 'frieren', volume: 5, via: 'last-shown' });
});

test('a bare volume is not guessed when several series were shown', () => {
  assert.deepEqual(resolver.resolve('3巻は？', 'ja', list), {});
});

test('nothing is resolved when the message names no reference', () => {
  assert.deepEqual(resolver.resolve('Do you have Naruto?', 'en', single), {});
  assert.deepEqual(resolver.resolve('ワンピースの3巻は？', 'ja', single), {});
  assert.deepEqual(resolver.resolve('Naruto vol 3 price?', 'en', single), {});
  assert.deepEqual(resolver.resolve('それぞれの値段を教えて', 'ja', []), {});
  assert.deepEqual(resolver.resolve('is there a discount for first time customers', 'en', list), {});
  // Dummy "it" in idioms is not a pronoun for the series.
  assert.deepEqual(resolver.resolve('is it possible to return a damaged book?', 'en', single), {});
  assert.deepEqual(resolver.resolve("it's been 10 days, where is my order", 'en', single), {});
  assert.deepEqual(resolver.resolve('never mind, forget it', 'en', single), {});
});

test('nothing is resolved when no earlier turn showed a series', () => {
  const noSeries: TurnContext[] = [{ role: 'user', text: 'hi' }, { role: 'assistant', text: 'Hello!' }];
  assert.deepEqual(resolver.resolve('the second one', 'en', noSeries), {});
  assert.deepEqual(resolver.resolve('is it in stock?', 'en', noSeries), {});
  assert.deepEqual(resolver.resolve('3巻は？', 'ja', []), {});
});
