// Descriptions that name a story concept few series mention ("a shogi manga", 「地動説の漫画」):
// the retriever reports the series that mention every specific concept of the description, on
// the shipped catalog's own synopses, and none for a description no series fits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHybridRetriever } from '../../src/retrieval/hybrid-retriever.ts';
import { createHashingEmbedder } from '../../src/retrieval/hashing-embedder.ts';
import { createFeatureReranker } from '../../src/retrieval/feature-reranker.ts';
import { catalogDocs, loadKnowledgeBase } from '../../src/retrieval/documents.ts';
import type { Series } from '../../src/catalog/types.ts';

const ROOT = join(import.meta.dirname, '../..');
const series = readFileSync(join(ROOT, 'data/catalog/series.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Series);

test('a rare story concept finds the few series that mention it, in both languages', async () => {
  const r = createHybridRetriever({ embedder: createHashingEmbedder(), reranker: createFeatureReranker() });
  await r.upsert(loadKnowledgeBase(join(ROOT, 'data/kb')));
  await r.upsert(catalogDocs(series));
  const first = async (text: string) => (await r.search({ text, topK: 8 })).conceptMatches?.[0]?.ref;
  const cases: Array<[string, string]> = [
    ['the manga about a lonely teenage boy who plays shogi professionally', 'sangatsu-no-lion'],
    ['将棋の漫画', 'sangatsu-no-lion'],
    ['プロ棋士の高校生が主人公の将棋漫画', 'sangatsu-no-lion'],
    ['a figure skating manga about a girl and her coach', 'medalist'],
    ['figure skating manga', 'medalist'],
    ['フィギュアスケートの漫画ありますか', 'medalist'],
    ['manga about heliocentrism in medieval europe', 'chi-chikyuu-no-undou-ni-tsuite'],
    ['地動説の漫画ってなんでしたっけ', 'chi-chikyuu-no-undou-ni-tsuite'],
    ['the one where people risk torture for the theory that the earth moves', 'chi-chikyuu-no-undou-ni-tsuite'],
    ['manga about a guy who falls in love with a deaf girl he bullied', 'koe-no-katachi'],
    ['that manga where a boy gets a diary that predicts the future', 'mirai-nikki'],
    ['未来が書かれる日記の漫画', 'mirai-nikki'],
  ];
  for (const [text, ref] of cases) assert.equal(await first(text), ref, text);
  // No series mentions every specific concept, or the concepts are broad: none.
  for (const text of ['do you have the manga about a detective cat who lives in a library at the bottom of the sea?', 'Quantum Samurai Bakery volume 2', 'a school romance manga', 'how much is shipping?']) {
    assert.equal((await r.search({ text, topK: 8 })).conceptMatches, undefined, text);
  }
});
