// Contract every Reranker adapter must meet; a new adapter is one more call in reranker.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Reranker, ScoredDoc } from '../../src/retrieval/types.ts';
import { allDocs } from './fixtures.ts';

function candidates(): ScoredDoc[] {
  return allDocs().map((doc, i) => ({ doc, score: 1 / (i + 1) }));
}

/** Registers the Reranker contract tests for the adapter made by `factory`. */
export function rerankerContract(name: string, factory: () => Reranker | Promise<Reranker>): void {
  test(`${name}: returns the same candidates, each once, with numeric scores`, async () => {
    const r = await factory();
    const input = candidates();
    const out = await r.rerank('can I return a damaged book', input);
    assert.equal(out.length, input.length);
    assert.deepEqual(out.map((h) => h.doc.id).sort(), input.map((h) => h.doc.id).sort());
    for (const h of out) assert.equal(typeof h.score, 'number');
  });

  test(`${name}: puts the best match first for an English policy question`, async () => {
    const out = await (await factory()).rerank('can I return a damaged book', candidates());
    assert.equal(out[0].doc.id, 'kb:en/returns#0');
  });

  test(`${name}: puts the series first for its Japanese title`, async () => {
    const out = await (await factory()).rerank('進撃の巨人', candidates());
    assert.equal(out[0].doc.id, 'series:shingeki-no-kyojin');
  });

  test(`${name}: puts the Japanese chunk first for a Japanese policy question`, async () => {
    const out = await (await factory()).rerank('コンビニ払いできますか', candidates());
    assert.equal(out[0].doc.id, 'kb:ja/payment-methods#0');
  });

  test(`${name}: an empty candidate list gives an empty result`, async () => {
    assert.deepEqual(await (await factory()).rerank('anything', []), []);
  });

  test(`${name}: an aborted signal rejects`, async () => {
    const ac = new AbortController();
    ac.abort(new Error('deadline'));
    await assert.rejects((await factory()).rerank('x', candidates(), { signal: ac.signal }));
  });
}
