import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rerankerContract } from './reranker.contract.ts';
import { createFeatureReranker, queryShape } from '../../src/retrieval/feature-reranker.ts';
import { withRerankGuard } from '../../src/retrieval/rerank-deadline.ts';
import { createDependencyGuard } from '../../src/resilience/guard.ts';
import { createFaultInjector } from '../../src/resilience/faults.ts';

/** The reranker's guard as the service builds it (latency breaker off: these tests are about the deadline). */
function rerankGuard() {
  return createDependencyGuard({
    dependency: 'reranker',
    faults: createFaultInjector(),
    retry: { maxRetries: 2, baseMs: 5, maxMs: 20, budget: { ratio: 0.2, minPerSec: 5, windowMs: 10_000 } },
    breaker: { failureRatio: 0.5, windowMs: 10_000, minimumRps: 2, openMs: 30_000, latencyWindowMs: 30_000, latencyMinSamples: 20 },
    bulkhead: { concurrency: 16, queue: 16, checkoutTimeoutMs: 100 },
  });
}
import { createHybridRetriever } from '../../src/retrieval/hybrid-retriever.ts';
import { createHashingEmbedder } from '../../src/retrieval/hashing-embedder.ts';
import type { Reranker } from '../../src/retrieval/types.ts';
import { allDocs } from './fixtures.ts';

rerankerContract('feature reranker', () => createFeatureReranker());

test('feature reranker: an exact alias beats a higher incoming rank', async () => {
  const docs = allDocs();
  const op = docs.find((d) => d.id === 'series:one-piece')!;
  const others = docs.filter((d) => d !== op).map((doc) => ({ doc, score: 1 }));
  const out = await createFeatureReranker().rerank('ＯＮＥ ＰＩＥＣＥ', [...others, { doc: op, score: 0 }]);
  assert.equal(out[0].doc.id, 'series:one-piece');
});

test('feature reranker: with every weight zero the incoming order is kept', async () => {
  const zero = { name: 0, coverage: 0, titleCoverage: 0, proximity: 0, language: 0, kind: 0, prior: 0 };
  const input = allDocs().map((doc) => ({ doc, score: 1 }));
  const out = await createFeatureReranker({ weights: zero }).rerank('進撃の巨人', input);
  assert.deepEqual(out.map((h) => h.doc.id), input.map((h) => h.doc.id));
});

test('query shape: policy questions vs catalog searches', () => {
  assert.equal(queryShape('can I return a damaged book'), 'kb');
  assert.equal(queryShape('送料はいくらですか'), 'kb');
  assert.equal(queryShape('manga about pirates'), 'series');
  assert.equal(queryShape('巨人と戦う漫画'), 'series');
  assert.equal(queryShape('Chainsaw Man'), undefined);
});

rerankerContract('feature reranker behind its guard', () => withRerankGuard(createFeatureReranker(), rerankGuard(), 1000));

test('the guarded reranker rejects when slower than its deadline, and the retriever falls back', async () => {
  let sawAbort = false;
  const slow: Reranker = {
    rerank: (_q, c, o) =>
      new Promise((resolve) => {
        o?.signal?.addEventListener('abort', () => (sawAbort = true));
        setTimeout(() => resolve(c), 2000).unref();
      }),
  };
  const wrapped = withRerankGuard(slow, rerankGuard(), 30);
  const t = performance.now();
  await assert.rejects(wrapped.rerank('q', allDocs().map((doc) => ({ doc, score: 1 }))));
  assert.ok(performance.now() - t < 1000);
  assert.ok(sawAbort, 'inner reranker was told to stop');

  const r = createHybridRetriever({ embedder: createHashingEmbedder(), reranker: wrapped });
  await r.upsert(allDocs());
  assert.equal((await r.search({ text: 'shipping' })).rerankSkipped, true);
});
