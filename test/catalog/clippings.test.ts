// Clippings customers type in kana for popular titles (スラダン, ハガレン, ぼくまち): made from the
// words of the Latin names, found only when spelled exactly so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildNameIndex, clippingsOf } from '../../src/catalog/name-index.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import { titleSearch } from '../../src/chat/title-query.ts';
import type { Series } from '../../src/catalog/types.ts';

const shipped = parseJsonlCatalog(readFileSync(new URL('../../data/catalog/series.jsonl', import.meta.url), 'utf8')).series;
const imported = (id: string, title: string, extra: Partial<Series> = {}): Series => ({ id, title, authors: ['A'], genres: ['Action'], themes: [], status: 'finished', popularityRank: 90, ...extra }) as Series;
const index = buildNameIndex([...shipped, imported('boku-dake-ga-inai-machi', 'Boku dake ga Inai Machi', { titleEn: 'Erased' })]);

function named(message: string): string[] {
  const { query, context } = titleSearch(message);
  return index.search(query, 5, { context }).filter((h) => h.score >= 0.55).map((h) => h.series.id);
}

test('the clippings of a name: two morae of its first and last words, or a long romaji name\'s first and last words whole', () => {
  assert.deepEqual(clippingsOf({ title: 'Slam Dunk' } as Series), ['suradan']);
  assert.ok(clippingsOf({ title: 'Hagane no Renkinjutsushi' } as Series).includes('hagaren'));
  assert.deepEqual(clippingsOf({ title: 'Boku dake ga Inai Machi' } as Series), ['bokumachi']);
  assert.deepEqual(clippingsOf({ title: 'Monster' } as Series), []);
});

test('a clipping typed in kana finds its series; a near spelling does not', () => {
  assert.equal(named('スラダン完全版の15巻ありますか')[0], 'slam-dunk');
  assert.equal(named('ぼくまちって何巻？')[0], 'boku-dake-ga-inai-machi');
  assert.ok(!named('スラダソの1巻').includes('slam-dunk'));
  assert.equal(named('スラムダンクの1巻いくら？')[0], 'slam-dunk');
});
