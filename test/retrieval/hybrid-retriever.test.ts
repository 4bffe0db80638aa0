import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHybridRetriever } from '../../src/retrieval/hybrid-retriever.ts';
import { createHashingEmbedder } from '../../src/retrieval/hashing-embedder.ts';
import { createFeatureReranker } from '../../src/retrieval/feature-reranker.ts';
import type { Embedder, Reranker, Retriever, ScoredDoc } from '../../src/retrieval/types.ts';
import { allDocs } from './fixtures.ts';

async function retriever(opts: { reranker?: Reranker; embedder?: Embedder; mode?: 'hybrid' | 'lexical' | 'vector' } = {}): Promise<Retriever> {
  const r = createHybridRetriever({ embedder: opts.embedder ?? createHashingEmbedder(), reranker: opts.reranker, mode: opts.mode });
  await r.upsert(allDocs());
  return r;
}

/** A reranker that reverses the list, so its effect is visible. */
const reversing: Reranker = { rerank: async (_q, c) => [...c].reverse() };

test('answers policy questions and title searches in both languages', async () => {
  const r = await retriever({ reranker: createFeatureReranker() });
  const top = async (text: string) => (await r.search({ text })).hits[0].doc.id;
  assert.equal(await top('can I return a damaged book'), 'kb:en/returns#0');
  assert.equal(await top('送料はいくらですか'), 'kb:ja/shipping#0');
  assert.equal(await top('コンビニ払いできますか'), 'kb:ja/payment-methods#0');
  assert.equal(await top('Attack on Titan'), 'series:shingeki-no-kyojin');
  assert.equal(await top('巨人と戦う漫画'), 'series:shingeki-no-kyojin');
  assert.equal(await top('manga about a girl who becomes a pharmacist in the palace'), 'series:kusuriya-no-hitorigoto');
});

test('returns topK hits (default 3) and timings for every stage', async () => {
  const r = await retriever({ reranker: createFeatureReranker() });
  const res = await r.search({ text: 'shipping' });
  assert.equal(res.hits.length, 3);
  assert.equal((await r.search({ text: 'shipping', topK: 5 })).hits.length, 5);
  for (const k of ['lexicalMs', 'vectorMs', 'rerankMs'] as const) assert.ok(res.timings[k] >= 0);
  assert.equal(res.rerankSkipped, false);
});

test('fusion: a doc found by only one list still makes the candidates; one found by both ranks first', async () => {
  // An embedder that sees every text as the same direction makes vector order = insertion order,
  // so the fused head must be the lexical winner that also sits high in the vector list.
  const flat: Embedder = {
    dimensions: 2,
    embed: async (texts) => texts.map(() => new Float32Array([1, 0])),
  };
  const r = await retriever({ embedder: flat });
  const hits = (await r.search({ text: 'pharmacist', topK: 20 })).hits;
  assert.equal(hits[0].doc.id, 'series:kusuriya-no-hitorigoto');
  assert.equal(hits.length, r.size(), 'vector list covers every doc, so all make the fused list');
  // Scores are reciprocal-rank sums, so they decrease down the list.
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);
});

test('the reranker reorders the fused candidates', async () => {
  const plain = await (await retriever()).search({ text: 'shipping', topK: 20 });
  const reversed = await (await retriever({ reranker: reversing })).search({ text: 'shipping', topK: 20 });
  assert.deepEqual(reversed.hits.map((h) => h.doc.id), plain.hits.map((h) => h.doc.id).reverse());
});

/** Every doc's cosine similarity to `text`, computed here from the embedder (an oracle independent of the index). */
async function cosineOrder(text: string, kind?: 'kb' | 'series'): Promise<{ id: string; score: number }[]> {
  const embedder = createHashingEmbedder();
  const docs = allDocs().filter((d) => !kind || d.kind === kind);
  const vectors = await embedder.embed(docs.map((d) => `${d.title}\n${d.text}`));
  const [q] = await embedder.embed([text]);
  const dot = (v: Float32Array) => v.reduce((sum, x, i) => sum + x * q[i], 0);
  return docs.map((d, i) => ({ id: d.id, score: dot(vectors[i]) })).filter((h) => h.score > 0).sort((a, b) => b.score - a.score);
}

const broken: Reranker = { rerank: async () => { throw new Error('reranker down'); } };

test('fallback: a throwing reranker gives the vector search top 3 in cosine order, with cosine scores', async () => {
  // Raw cosine has no same-language preference, so the English shipping chunk comes second here.
  const text = '送料はいくらですか';
  const expected = (await cosineOrder(text)).slice(0, 3);
  const fused = await (await retriever()).search({ text });
  assert.notDeepEqual(fused.hits.map((h) => h.doc.id), expected.map((h) => h.id), 'the query tells vector order from fused order');
  const res = await (await retriever({ reranker: broken })).search({ text, topK: 10 });
  assert.equal(res.rerankSkipped, true);
  assert.deepEqual(res.hits.map((h) => h.doc.id), expected.map((h) => h.id));
  res.hits.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i].score) < 1e-5, `hit ${i} carries its cosine score`));
});

test('fallback: never more than topK, and never more than 3', async () => {
  const r = await retriever({ reranker: broken });
  assert.equal((await r.search({ text: 'shipping', topK: 20 })).hits.length, 3);
  const two = await r.search({ text: 'shipping', topK: 2 });
  assert.deepEqual(two.hits.map((h) => h.doc.id), (await cosineOrder('shipping')).slice(0, 2).map((h) => h.id));
});

test('fallback: the kind filter still applies to the vector list', async () => {
  const res = await (await retriever({ reranker: broken })).search({ text: 'pirate treasure shipping', kind: 'series' });
  assert.equal(res.rerankSkipped, true);
  assert.ok(res.hits.length > 0);
  assert.deepEqual(res.hits.map((h) => h.doc.id), (await cosineOrder('pirate treasure shipping', 'series')).slice(0, 3).map((h) => h.id));
});

test('fallback: without a vector list (embedder down too, or lexical mode) the fused order, top 3, is used', async () => {
  const base = createHashingEmbedder();
  let calls = 0;
  const downAfterIndexing: Embedder = {
    dimensions: base.dimensions,
    embed: async (texts, o) => {
      if (calls++ > 0) throw new Error('embedder down');
      return base.embed(texts, o);
    },
  };
  const r = createHybridRetriever({ embedder: downAfterIndexing, reranker: broken });
  await r.upsert(allDocs());
  const lexicalOnly = await (await retriever({ mode: 'lexical' })).search({ text: 'return a damaged book', topK: 3 });
  const res = await r.search({ text: 'return a damaged book', topK: 10 });
  assert.equal(res.vectorSkipped, true);
  assert.equal(res.rerankSkipped, true);
  assert.deepEqual(res.hits.map((h) => h.doc.id), lexicalOnly.hits.map((h) => h.doc.id));
  const lexicalMode = await (await retriever({ mode: 'lexical', reranker: broken })).search({ text: 'return a damaged book', topK: 10 });
  assert.equal(lexicalMode.rerankSkipped, true);
  assert.deepEqual(lexicalMode.hits.map((h) => h.doc.id), lexicalOnly.hits.map((h) => h.doc.id));
});

test('fallback: a reranker slower than the signal deadline is abandoned for the vector top 3', async () => {
  const slow: Reranker = {
    rerank: (_q, c: ScoredDoc[]) => new Promise((resolve) => setTimeout(() => resolve([...c].reverse()), 2000).unref()),
  };
  const r = await retriever({ reranker: slow });
  const t = performance.now();
  const res = await r.search({ text: 'shipping' }, { signal: AbortSignal.timeout(50) });
  assert.ok(performance.now() - t < 1000, 'did not wait for the slow reranker');
  assert.equal(res.rerankSkipped, true);
  assert.deepEqual(res.hits.map((h) => h.doc.id), (await cosineOrder('shipping')).slice(0, 3).map((h) => h.id));
});

test('a failing embedder degrades to lexical results', async () => {
  let calls = 0;
  const base = createHashingEmbedder();
  const flaky: Embedder = {
    dimensions: base.dimensions,
    embed: async (texts, o) => {
      if (calls++ > 0) throw new Error('embedder down');
      return base.embed(texts, o);
    },
  };
  const r = createHybridRetriever({ embedder: flaky });
  await r.upsert(allDocs());
  const res = await r.search({ text: '送料' });
  assert.equal(res.vectorSkipped, true);
  assert.equal(res.hits[0].doc.ref, 'shipping');
});

test('upsert replaces a doc by id in both indexes', async () => {
  const r = await retriever();
  const size = r.size();
  const doc = allDocs().find((d) => d.id === 'series:chainsaw-man')!;
  await r.upsert([{ ...doc, title: 'Gardening Monthly', names: ['Gardening Monthly'], text: 'tomatoes and roses' }]);
  assert.equal(r.size(), size);
  const hits = (await r.search({ text: 'tomatoes roses', topK: 1 })).hits;
  assert.equal(hits[0].doc.id, doc.id);
  assert.equal(hits[0].doc.title, 'Gardening Monthly');
  const old = (await r.search({ text: 'Denji Pochita devil hunter', topK: 20, kind: 'series' }, {})).hits;
  assert.ok(old.every((h) => h.doc.title !== 'Chainsaw Man'));
});

test('kind filter keeps only that kind', async () => {
  const r = await retriever({ reranker: createFeatureReranker() });
  const series = await r.search({ text: 'shipping', kind: 'series', topK: 10 });
  assert.ok(series.hits.length > 0);
  assert.ok(series.hits.every((h) => h.doc.kind === 'series'));
  const kb = await r.search({ text: 'One Piece', kind: 'kb', topK: 10 });
  assert.ok(kb.hits.every((h) => h.doc.kind === 'kb'));
});

test('language preference: the same topic comes back in the language of the query', async () => {
  const r = await retriever();
  // "PayPay" appears in both payment chunks; the query language decides which comes first.
  const ja = await r.search({ text: 'PayPay', language: 'ja', kind: 'kb' });
  const en = await r.search({ text: 'PayPay', language: 'en', kind: 'kb' });
  assert.equal(ja.hits[0].doc.id, 'kb:ja/payment-methods#0');
  assert.equal(en.hits[0].doc.id, 'kb:en/payment-methods#0');
});

test('an empty index returns no hits', async () => {
  const r = createHybridRetriever({ embedder: createHashingEmbedder(), reranker: createFeatureReranker() });
  assert.deepEqual((await r.search({ text: 'anything' })).hits, []);
  assert.equal(r.size(), 0);
});
