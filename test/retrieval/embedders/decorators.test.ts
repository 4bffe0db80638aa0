// What the composition root wraps a remote embedder in: its guard, instruction prefixes, and the
// memo that makes retrieval and the semantic cache share one call per question.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createGuards } from '../../../src/resilience/registry.ts';
import { createFaultInjector } from '../../../src/resilience/faults.ts';
import { DependencyError } from '../../../src/resilience/types.ts';
import type { Embedder, EmbedOptions } from '../../../src/retrieval/types.ts';
import { EmbeddingError, embeddingErrorOf } from '../../../src/retrieval/embedders/errors.ts';
import { guardEmbedder } from '../../../src/retrieval/embedders/guarded.ts';
import { withInputPrefixes } from '../../../src/retrieval/embedders/prefixed.ts';
import { memoizeQueries } from '../../../src/retrieval/embedders/query-memo.ts';

/** A real guard; `minimumRps` low enough makes one failure open the circuit. */
function guardOf(faults = createFaultInjector(), minimumRps = 100) {
  return createGuards(['embedder'], {
    faults,
    retry: { maxRetries: 2, baseMs: 1, maxMs: 2, budget: { ratio: 1, minPerSec: 100, windowMs: 10_000 } },
    breaker: { failureRatio: 0.5, windowMs: 10_000, minimumRps, openMs: 30_000, latencyWindowMs: 30_000, latencyMinSamples: 20 },
    bulkhead: { concurrency: 8, queue: 8, checkoutTimeoutMs: 100 },
  }).get('embedder');
}

/** A scripted embedder: each call takes the next behaviour (default: one-hot vectors by call number). */
function scripted(behaviours: ((texts: string[], opts?: EmbedOptions) => Promise<Float32Array[]>)[] = []) {
  const calls: { texts: string[]; opts?: EmbedOptions }[] = [];
  const e: Embedder = {
    dimensions: 4,
    embed(texts, opts) {
      calls.push({ texts, opts });
      const b = behaviours.shift();
      if (b) return b(texts, opts);
      return Promise.resolve(texts.map(() => Float32Array.of(1, 0, 0, 0)));
    },
  };
  return { e, calls };
}

const fail = (kind: 'unavailable' | 'rejected') => () => Promise.reject(new EmbeddingError('openai', kind, `fake ${kind}`));

describe('guardEmbedder', () => {
  it('an unavailable model is retried by the guard; the call succeeds on the next attempt', async () => {
    const { e, calls } = scripted([fail('unavailable')]);
    const out = await guardEmbedder(e, guardOf(), 1000).embed(['Naruto']);
    assert.equal(out.length, 1);
    assert.equal(calls.length, 2);
  });

  it('a rejected request is neither retried nor counted against the breaker, and keeps its kind', async () => {
    const guard = guardOf(createFaultInjector(), 0.1);
    const { e, calls } = scripted([fail('rejected'), fail('rejected'), fail('rejected'), fail('rejected')]);
    const g = guardEmbedder(e, guard, 1000);
    for (let i = 0; i < 4; i++) await assert.rejects(g.embed(['x']), (err: unknown) => err instanceof EmbeddingError && err.kind === 'rejected');
    assert.equal(calls.length, 4);
    assert.equal(guard.circuit(), 'closed');
  });

  it('failures that are the model\'s open the circuit; then calls fail fast without reaching it', async () => {
    const guard = guardOf(createFaultInjector(), 0.1);
    const { e, calls } = scripted(Array.from({ length: 20 }, () => fail('unavailable')));
    const g = guardEmbedder(e, guard, 1000);
    for (let i = 0; i < 4; i++) await g.embed(['x']).catch(() => {});
    assert.equal(guard.circuit(), 'open');
    const before = calls.length;
    await assert.rejects(g.embed(['x']), (err: unknown) => err instanceof DependencyError && err.reason === 'breaker_open');
    assert.equal(calls.length, before);
  });

  it('passes the guard\'s signal and the input kind down; an empty batch costs no call', async () => {
    const { e, calls } = scripted();
    const g = guardEmbedder(e, guardOf(), 1000);
    await g.embed(['doc'], { input: 'document' });
    assert.equal(calls[0].opts?.input, 'document');
    assert.ok(calls[0].opts?.signal instanceof AbortSignal);
    assert.deepEqual(await g.embed([]), []);
    assert.equal(calls.length, 1);
  });

  it('an injected fault (drills: FAULTS=embedder:down) fails the call as a dependency error', async () => {
    const faults = createFaultInjector();
    faults.set('embedder', { down: true });
    const { e, calls } = scripted();
    const err = await guardEmbedder(e, guardOf(faults), 1000).embed(['x']).catch((x: unknown) => x);
    assert.ok(err instanceof DependencyError);
    assert.equal(calls.length, 0);
    assert.equal(embeddingErrorOf(err), undefined);
  });
});

describe('withInputPrefixes', () => {
  it('puts the query prefix before questions and the document prefix before documents; blanks stay blank', async () => {
    const { e, calls } = scripted();
    const p = withInputPrefixes(e, { query: 'query: ', document: 'passage: ' });
    await p.embed(['who wrote Monster']);
    await p.embed(['who wrote Monster'], { input: 'query' });
    await p.embed(['Monster / Naoki Urasawa', ' '], { input: 'document' });
    assert.deepEqual(calls.map((c) => c.texts), [['query: who wrote Monster'], ['query: who wrote Monster'], ['passage: Monster / Naoki Urasawa', ' ']]);
  });

  it('no prefixes: the embedder itself', () => {
    const { e } = scripted();
    assert.equal(withInputPrefixes(e, { query: '', document: '' }), e);
  });
});

describe('memoizeQueries', () => {
  it('one call for the same question asked by retrieval, the cache lookup and the cache write', async () => {
    const { e, calls } = scripted();
    const m = memoizeQueries(e);
    const [a, b] = await Promise.all([m.embed(['What is your return policy?']), m.embed(['What is your return policy?'])]);
    const [c] = await m.embed(['What is your return policy?']);
    assert.equal(calls.length, 1);
    assert.equal(a[0], b[0]);
    assert.equal(a[0], c);
  });

  it('one caller leaving does not fail the others sharing the call', async () => {
    let release!: () => void;
    const { e, calls } = scripted([(texts) => new Promise((resolve) => (release = () => resolve(texts.map(() => Float32Array.of(0, 1, 0, 0)))))]);
    const m = memoizeQueries(e);
    const ac = new AbortController();
    const leaving = m.embed(['Berserk'], { signal: ac.signal });
    const staying = m.embed(['Berserk']);
    const reason = new Error('speculation cancelled');
    ac.abort(reason);
    await assert.rejects(leaving, (err: unknown) => err === reason);
    release();
    const [v] = await staying;
    assert.deepEqual(Array.from(v), [0, 1, 0, 0]);
    assert.equal(calls.length, 1);
  });

  it('a failed call is not remembered: the next ask calls the model again', async () => {
    const { e, calls } = scripted([fail('unavailable')]);
    const m = memoizeQueries(e);
    await assert.rejects(m.embed(['Naruto']));
    await m.embed(['Naruto']);
    assert.equal(calls.length, 2);
  });

  it('keeps at most maxEntries questions, the least recently used leaving first', async () => {
    const { e, calls } = scripted();
    const m = memoizeQueries(e, { maxEntries: 2 });
    await m.embed(['a']);
    await m.embed(['b']);
    await m.embed(['a']); // a is now the most recent
    await m.embed(['c']); // b leaves
    await m.embed(['a']);
    assert.equal(calls.length, 3);
    await m.embed(['b']);
    assert.equal(calls.length, 4);
  });

  it('documents and batches are not memoised', async () => {
    const { e, calls } = scripted();
    const m = memoizeQueries(e);
    await m.embed(['x'], { input: 'document' });
    await m.embed(['x'], { input: 'document' });
    await m.embed(['x', 'y']);
    await m.embed(['x', 'y']);
    assert.equal(calls.length, 4);
    assert.equal(calls[0].opts?.input, 'document');
  });
});
