import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities } from '../../src/understanding/entities.ts';
import { extractStartYears } from '../../src/understanding/constraints.ts';
import { fitsBeyondEngine, wishFrom } from '../../src/chat/recommendation-request.ts';
import type { Series } from '../../src/catalog/types.ts';

// What a request says of when a series began and of a demographic it rules out (fixer X, step 8; the
// lead's probes 6 and 10): "from the 2010s", "something more recent", 「90年代」, "not shoujo", 「少女漫画以外」.

test('the years a series began within, as a request bounds them', () => {
  const year = new Date().getFullYear();
  for (const [text, want] of [
    ["any good seinen from the 2010s that's finished, under 15 vols", { from: 2010, to: 2019 }],
    ['90s shoujo pls', { from: 1990, to: 1999 }],
    ['in the 80s', { from: 1980, to: 1989 }],
    ['2010年代の完結した青年漫画', { from: 2010, to: 2019 }],
    ['90年代の少年漫画でおすすめある？', { from: 1990, to: 1999 }],
    ['horror manga that started after 2015?', { from: 2016 }],
    ['since 2018', { from: 2018 }],
    ['before 2000 please', { to: 1999 }],
    ['2015年以降の作品', { from: 2015 }],
    ['something more recent?', { from: year - 10 }],
    ['anything newer?', { from: year - 10 }],
  ] as [string, { from?: number; to?: number }][]) {
    assert.deepEqual(extractStartYears(text), want, text);
  }
  // An age, a volume, a price: no years.
  for (const text of ['im in my 30s what should i read', 'is there a newer volume', 'volume 20 please', 'under 2000 yen']) assert.deepEqual(extractStartYears(text), {}, text);
});

test('a demographic ruled out is kept apart from the tags, and carries as the request narrows', () => {
  assert.deepEqual(extractEntities('not shoujo pls', 'en').excludeDemographics, ['Shoujo']);
  assert.deepEqual(extractEntities('a romance but no shoujo', 'en').excludeDemographics, ['Shoujo']);
  assert.deepEqual(extractEntities('少女漫画以外で', 'ja').excludeDemographics, ['Shoujo']);
  assert.deepEqual(extractEntities('少女漫画は苦手', 'ja').excludeDemographics, ['Shoujo']);
  assert.equal(extractEntities('少女漫画でおすすめ', 'ja').excludeDemographics, undefined);
  const before = wishFrom(extractEntities('i want a sad romance that will make me cry, finished', 'en'));
  const narrowed = wishFrom(extractEntities('not shoujo pls', 'en'), before);
  assert.deepEqual(narrowed.excludeDemographics, ['Shoujo']);
  assert.equal(narrowed.status, 'finished');
  const series = (demographic: string, startDate?: string) => ({ id: 'x', title: 'x', authors: [], genres: [], themes: [], demographic, status: 'finished', startDate }) as unknown as Series;
  assert.equal(fitsBeyondEngine(series('Shoujo', '2012-01-01'), narrowed), false);
  assert.equal(fitsBeyondEngine(series('Seinen', '2012-01-01'), narrowed), true);
  const decade = wishFrom(extractEntities('seinen from the 2010s', 'en'));
  assert.equal(fitsBeyondEngine(series('Seinen', '1982-12-20'), decade), false);
  assert.equal(fitsBeyondEngine(series('Seinen', '2014-02-14'), decade), true);
  assert.equal(fitsBeyondEngine(series('Seinen'), decade), false);
});

test('a title in title marks, or ending in its "!", before みたいな is the one the picks are like (the lead\'s probe 11)', () => {
  assert.equal(extractEntities('「よつばと！」みたいなほのぼの系', 'ja').likeQuery, 'よつばと!');
  assert.equal(extractEntities('よつばと！みたいなほのぼのした漫画ない？', 'ja').likeQuery, 'よつばと!');
  assert.equal(extractEntities('『モンスター』のような作品', 'ja').likeQuery, 'モンスター');
  // (An exclamation before the title is not part of it.)
  assert.equal(extractEntities('すごい!ワンピースみたいなやつ', 'ja').likeQuery, 'ワンピース');
});
