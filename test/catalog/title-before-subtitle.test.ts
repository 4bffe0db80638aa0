// A Japanese title named without its subtitle between dashes (「チ。って何巻？」 for チ。―地球の運動について―),
// after an acknowledgement (「わかった。じゃあ、チ。の1巻は？」), and "the next <title>" in a question of
// when: each names the series (fixer follow-ups, step 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildNameIndex } from '../../src/catalog/name-index.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import { titleSearch } from '../../src/chat/title-query.ts';

const shipped = parseJsonlCatalog(readFileSync(new URL('../../data/catalog/series.jsonl', import.meta.url), 'utf8')).series;
const index = buildNameIndex(shipped);

function named(message: string): string[] {
  const { query, context } = titleSearch(message);
  return index.search(query, 5, { context }).filter((h) => h.score >= 0.55).map((h) => h.series.id);
}

test('the title before a subtitle enclosed in dashes is a name of its own', () => {
  assert.equal(named('チ。って何巻で完結してる？')[0], 'chi-chikyuu-no-undou-ni-tsuite');
  assert.equal(named('チ。の1巻の在庫は？')[0], 'chi-chikyuu-no-undou-ni-tsuite');
  assert.equal(named('かぐや様は告らせたいの1巻')[0], 'kaguya-sama-wa-kokurasetai');
  assert.equal(index.search('かぐや様は告らせたい', 1)[0].score >= 0.9, true);
});

test('an acknowledgement before the question is no word of the title', () => {
  assert.equal(titleSearch('わかった。じゃあ、チ。の1巻の在庫は？').query, 'チ');
  assert.equal(titleSearch('なるほど、ワンピースの1巻は？').query, 'ワンピース');
  assert.equal(titleSearch('了解です。呪術廻戦の最新刊は？').query, '呪術廻戦');
});

test('"the next" in a question of when, or before a volume word, is the next volume, not a title word', () => {
  assert.equal(named("when's the next Berserk volume out")[0], 'berserk');
  assert.equal(named("when's the next berserk out?")[0], 'berserk');
  assert.equal(named('when does the next kingdom come out')[0], 'kingdom');
  assert.equal(named('is the next one piece volume out yet')[0], 'one-piece');
  assert.equal(titleSearch('Next Life vol 2').query, 'Next Life');
});

test('"the price of the last JJK": the last volume of the title after it, "gimme" no word of it', async () => {
  const { extractVolumeRef } = await import('../../src/understanding/constraints.ts');
  assert.equal(named('ok gimme the price of the last JJK')[0], 'jujutsu-kaisen');
  assert.equal(extractVolumeRef('ok gimme the price of the last jjk'), 'last');
  assert.equal(extractVolumeRef('how much is the latest kingdom'), 'last');
  assert.equal(extractVolumeRef('price of the last game vol 1'), undefined);
});
