// Descriptions reach their series through the concept lexicon: paraphrases and the other
// language share a term. Checked on the shipped catalog the way findSeries reads retrieval: a
// series found by description needs the reranker's score of SERIES_MATCH_MIN_SCORE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { conceptsOf, conceptTerm } from '../../src/retrieval/concepts.ts';
import { catalogDocs, loadKnowledgeBase } from '../../src/retrieval/documents.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import { createHashingEmbedder } from '../../src/retrieval/hashing-embedder.ts';
import { createFeatureReranker, queryShape } from '../../src/retrieval/feature-reranker.ts';
import { createHybridRetriever } from '../../src/retrieval/hybrid-retriever.ts';
import type { Series } from '../../src/catalog/types.ts';
import { configSchema } from '../../src/config.ts';

/** The shipped SERIES_MATCH_MIN_SCORE: the score findSeries needs to card a series found by description. */
const DESCRIBED = configSchema.shape.SERIES_MATCH_MIN_SCORE.parse(undefined);

test('a concept is found in either language and in any of its words', () => {
  assert.ok(conceptsOf('a manga about a pharmacist in a palace').includes(conceptTerm('apothecary')));
  assert.ok(conceptsOf('Maomao, a sharp-witted apothecary sold into the imperial rear palace').includes(conceptTerm('apothecary')));
  assert.ok(conceptsOf('後宮に売られた薬師の少女').includes(conceptTerm('apothecary')));
  assert.ok(conceptsOf('宮廷で薬師の少女が謎を解く漫画').includes(conceptTerm('palace')));
  // Phrases: "reads minds" is a telepath; "read" alone is not.
  assert.ok(conceptsOf('the kid reads minds').includes(conceptTerm('telepath')));
  assert.ok(!conceptsOf('I read manga every day').includes(conceptTerm('telepath')));
  // Store words are not story concepts.
  assert.deepEqual(conceptsOf('when is the release date of volume 3?'), []);
});

test('catalogDocs keeps only series a description can find (those with a synopsis)', () => {
  const bare: Series = { id: 'bare', title: 'Ju-On Volume 2', authors: ['X'], genres: ['Horror'], themes: [], status: 'finished' };
  const described: Series = { ...bare, id: 'described', synopsis: 'A cursed house.' };
  assert.deepEqual(catalogDocs([bare, described]).map((d) => d.ref), ['described']);
});

const shipped = parseJsonlCatalog(readFileSync(new URL('../../data/catalog/series.jsonl', import.meta.url), 'utf8')).series;
const retriever = createHybridRetriever({ embedder: createHashingEmbedder(), reranker: createFeatureReranker(), candidates: 20 });
await retriever.upsert([...loadKnowledgeBase(new URL('../../data/kb', import.meta.url).pathname), ...catalogDocs(shipped)]);

/** The series findSeries would card by description, best first. */
async function described(text: string): Promise<string[]> {
  const r = await retriever.search({ text, topK: 8 });
  return r.hits.filter((h) => h.doc.kind === 'series' && h.score >= DESCRIBED).map((h) => h.doc.ref);
}

test('English paraphrases of a synopsis find the series', async () => {
  assert.equal((await described('a manga about a pharmacist in a palace'))[0], 'kusuriya-no-hitorigoto');
  assert.equal((await described('the one where the dad is a spy, the mom is an assassin and the kid reads minds'))[0], 'spy-x-family');
  assert.equal((await described('a retired hitman who runs a convenience store'))[0], 'sakamoto-days');
});

test('Japanese descriptions find the series, not the one whose title shares a word', async () => {
  assert.equal((await described('宮廷で薬師の少女が謎を解く漫画'))[0], 'kusuriya-no-hitorigoto');
  assert.equal((await described('引退した殺し屋がコンビニを経営する話'))[0], 'sakamoto-days');
});

test('an unknown title is not a description of anything', async () => {
  assert.deepEqual(await described('Quantum Samurai Bakery volume 2'), []);
  assert.deepEqual(await described('do you have Crimson Lighthouse Detective?'), []);
  assert.deepEqual(await described('深海図書館のねこ探偵'), []);
});

test('a description-shaped message about nothing the store has cards nothing', async () => {
  assert.deepEqual(await described('宇宙でパン屋を開く侍の話'), []);
  assert.deepEqual(await described('a samurai who opens a bakery on the moon'), []);
});

test('a story told with store words is still a story; a store question stays one', async () => {
  assert.equal((await described('a manga where a kid becomes a devil hunter to pay off debts'))[0], 'chainsaw-man');
  assert.equal(queryShape('can I pay with a gift card?'), 'kb');
  assert.equal(queryShape('how much is shipping to Hokkaido?'), 'kb');
  assert.deepEqual(await described('a ninja cat who pays for everything with a gift card'), []);
});
