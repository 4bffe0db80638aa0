import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { SemanticEntry, SemanticStore } from '../../src/cache/types.ts';

/** What every adapter is built with in the contract; the factory owns anything else it needs. */
export interface SemanticStoreSetup {
  ttlMs: number;
  maxPerPartition: number;
  now: () => number;
}

/** Builds a fresh, empty store; `cleanup` releases what it holds. */
export type SemanticStoreFactory = (setup: SemanticStoreSetup) => Promise<{ store: SemanticStore; cleanup(): Promise<void> }>;

/** A controllable clock in epoch ms. */
export function manualClock(start = 1_800_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

export const DIMS = 16;

/** The i-th standard basis vector: basis vectors are mutually orthogonal (cosine 0). */
export function basis(i: number, dims = DIMS): Float32Array {
  const v = new Float32Array(dims);
  v[i] = 1;
  return v;
}

/**
 * A unit vector whose cosine with `basis(i)` is `cos`: cos·e_i + sin·e_j, j the next axis.
 * Its length is 1 up to float32 rounding (~1e-7), far below any threshold step the tests use.
 */
export function atCosine(cos: number, i = 0, dims = DIMS): Float32Array {
  const v = new Float32Array(dims);
  v[i] = cos;
  v[(i + 1) % dims] = Math.sqrt(1 - cos * cos);
  return v;
}

/** A random unit vector of a real embedder's size, with a seeded generator so failures repeat. */
export function randomUnit(seed: number, dims = 512): Float32Array {
  let s = seed >>> 0 || 1;
  const v = new Float32Array(dims);
  let norm = 0;
  for (let d = 0; d < dims; d++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    v[d] = s / 0x100000000 - 0.5;
    norm += v[d] * v[d];
  }
  const inv = 1 / Math.sqrt(norm);
  for (let d = 0; d < dims; d++) v[d] *= inv;
  return v;
}

function bits(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** The behaviour every SemanticStore adapter must show. */
export function semanticStoreContract(name: string, make: SemanticStoreFactory): void {
  describe(`SemanticStore contract: ${name}`, () => {
    let cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const c of cleanups) await c();
      cleanups = [];
    });
    const setup = async (overrides: Partial<Omit<SemanticStoreSetup, 'now'>> = {}) => {
      const clock = manualClock();
      const { store, cleanup } = await make({ ttlMs: 60_000, maxPerPartition: 8, now: clock.now, ...overrides });
      cleanups.push(cleanup);
      const entry = (vector: Float32Array, question: string, answer = `answer to ${question}`): SemanticEntry => ({
        vector, question, answer, storedAt: clock.now(),
      });
      return { store, clock, entry };
    };

    it('finds an identical vector with similarity 1', async () => {
      const { store, entry } = await setup();
      const v = randomUnit(7);
      await store.add('faq:en:returns', entry(v, 'what is your return policy?'));
      const match = await store.nearest('faq:en:returns', v, 0.95);
      assert.ok(match, 'identical vector matches');
      assert.ok(Math.abs(match.similarity - 1) < 1e-6, `similarity ${match.similarity}`);
      assert.ok(match.similarity <= 1, 'never above 1');
      assert.equal(match.entry.question, 'what is your return policy?');
      assert.equal(match.entry.answer, 'answer to what is your return policy?');
    });

    it('a similarity exactly at the threshold matches', async () => {
      const { store, entry } = await setup();
      await store.add('p', entry(basis(0), 'q'));
      const match = await store.nearest('p', basis(0), 1);
      assert.equal(match?.similarity, 1);
    });

    it('respects the threshold: cosine 0.8 misses at 0.85 and matches at 0.75', async () => {
      const { store, entry } = await setup();
      await store.add('p', entry(basis(0), 'stored'));
      const query = atCosine(0.8);
      assert.equal(await store.nearest('p', query, 0.85), undefined);
      const match = await store.nearest('p', query, 0.75);
      assert.ok(match);
      assert.ok(Math.abs(match.similarity - 0.8) < 1e-6, `similarity ${match.similarity}`);
      assert.equal(await store.nearest('p', basis(5), 0.1), undefined, 'an orthogonal vector is never near');
    });

    it('returns the best of several candidates, whatever the order they were added in', async () => {
      const { store, entry } = await setup();
      // Each stored vector sits at a known cosine to the query basis(0).
      await store.add('p', entry(atCosine(0.9), 'cos 0.9'));
      await store.add('p', entry(atCosine(0.97), 'cos 0.97'));
      await store.add('p', entry(atCosine(0.8), 'cos 0.8'));
      await store.add('p', entry(basis(3), 'orthogonal'));
      const match = await store.nearest('p', basis(0), 0.5);
      assert.equal(match?.entry.question, 'cos 0.97');
      assert.ok(Math.abs(match.similarity - 0.97) < 1e-6);
      assert.equal((await store.nearest('p', basis(0), 0.98)), undefined, 'the best is still below 0.98');
    });

    it('the newest entry wins a tie', async () => {
      const { store, entry, clock } = await setup();
      await store.add('p', entry(basis(0), 'first', 'old answer'));
      clock.advance(10);
      await store.add('p', entry(basis(0), 'second', 'new answer'));
      assert.equal((await store.nearest('p', basis(0), 0.9))?.entry.answer, 'new answer');
    });

    it('keeps partitions isolated', async () => {
      const { store, entry } = await setup();
      const v = randomUnit(1);
      await store.add('pq:en:naruto', entry(v, 'who wrote naruto?'));
      assert.equal(await store.nearest('pq:en:bleach', v, 0.5), undefined, 'another series');
      assert.equal(await store.nearest('pq:ja:naruto', v, 0.5), undefined, 'another language');
      assert.equal(await store.nearest('pq:en', v, 0.5), undefined, 'a parent is not a partition of its children');
      assert.equal(await store.nearest('nowhere', v, 0), undefined, 'an unknown partition');
      assert.equal((await store.nearest('pq:en:naruto', v, 0.5))?.entry.question, 'who wrote naruto?');
    });

    it('keeps the newest maxPerPartition entries of a partition', async () => {
      const { store, entry, clock } = await setup({ maxPerPartition: 3 });
      for (let i = 0; i < 5; i++) {
        await store.add('p', entry(basis(i), `q${i}`));
        clock.advance(1);
      }
      await store.add('other', entry(basis(0), 'elsewhere'));
      for (let i = 0; i < 5; i++) {
        const match = await store.nearest('p', basis(i), 0.99);
        assert.equal(match?.entry.question, i < 2 ? undefined : `q${i}`, `entry ${i}`);
      }
      assert.equal((await store.nearest('other', basis(0), 0.99))?.entry.question, 'elsewhere', 'trimming is per partition');
    });

    it('serves an entry until ttlMs after its storedAt, not after', async () => {
      const { store, entry, clock } = await setup({ ttlMs: 10_000 });
      await store.add('p', entry(basis(0), 'early'));
      clock.advance(4_000);
      await store.add('p', entry(basis(1), 'later'));
      clock.advance(5_999);
      assert.ok(await store.nearest('p', basis(0), 0.99), '1 ms before expiry');
      clock.advance(1);
      assert.equal(await store.nearest('p', basis(0), 0.99), undefined, 'expired at storedAt + ttlMs');
      assert.ok(await store.nearest('p', basis(1), 0.99), 'a later entry of the same partition lives on');
      clock.advance(4_000);
      assert.equal(await store.nearest('p', basis(1), 0.99), undefined);
    });

    it('an expired entry does not win over a live, less similar one', async () => {
      const { store, entry, clock } = await setup({ ttlMs: 10_000 });
      await store.add('p', entry(basis(0), 'old, identical'));
      clock.advance(5_000);
      await store.add('p', entry(atCosine(0.9), 'fresh, close'));
      clock.advance(5_000);
      assert.equal((await store.nearest('p', basis(0), 0.5))?.entry.question, 'fresh, close');
    });

    it('does not store an entry that is already past its TTL', async () => {
      const { store, clock } = await setup({ ttlMs: 1_000 });
      await store.add('p', { vector: basis(0), question: 'q', answer: 'a', storedAt: clock.now() - 1_000 });
      assert.equal(await store.nearest('p', basis(0), 0.5), undefined);
    });

    it('dropPartitions: a prefix drops its partition and those below it, nothing else', async () => {
      const { store, entry } = await setup();
      const names = [
        'faq', 'faq:en:returns', 'faq:ja:shipping', 'faqs:en:returns', 'pq:en:one-piece', 'pq:en:one-piece:vol-1',
        'pq:en:one-piece-party', 'pq:ja:one-piece', 'pq:en:naruto',
      ];
      for (const n of names) await store.add(n, entry(basis(0), n));
      await store.dropPartitions(['faq', 'pq:en:one-piece']);
      const gone = new Set(['faq', 'faq:en:returns', 'faq:ja:shipping', 'pq:en:one-piece', 'pq:en:one-piece:vol-1']);
      for (const n of names) {
        const found = await store.nearest(n, basis(0), 0.9);
        assert.equal(found?.entry.question, gone.has(n) ? undefined : n, n);
      }
    });

    it('dropPartitions: an exact name drops only that partition; no prefixes drops nothing', async () => {
      const { store, entry } = await setup();
      await store.add('pq:en:naruto', entry(basis(0), 'a'));
      await store.add('pq:en:naruto-gaiden', entry(basis(0), 'b'));
      await store.dropPartitions([]);
      await store.dropPartitions(['pq:en:nar', 'pq:en:naruto:', 'q']);
      assert.ok(await store.nearest('pq:en:naruto', basis(0), 0.9), 'a partial segment or a trailing colon is not the partition');
      await store.dropPartitions(['pq:en:naruto']);
      assert.equal(await store.nearest('pq:en:naruto', basis(0), 0.9), undefined);
      assert.ok(await store.nearest('pq:en:naruto-gaiden', basis(0), 0.9));
      await store.add('pq:en:naruto', entry(basis(0), 'c'));
      assert.equal((await store.nearest('pq:en:naruto', basis(0), 0.9))?.entry.question, 'c', 'a dropped partition can be filled again');
    });

    it('dropPartitions: glob characters in names are literal', async () => {
      const { store, entry } = await setup();
      const names = ['pq:en:a*', 'pq:en:a*:x', 'pq:en:abc', 'pq:en:abc:x', 'pq:en:a?', 'pq:en:ab', 'pq:en:ab:x', 'pq:en:[ab]', 'pq:en:a:x', 'pq:en:b\\', 'pq:en:b\\:x', 'pq:en:b'];
      for (const n of names) await store.add(n, entry(basis(0), n));
      await store.dropPartitions(['pq:en:a*', 'pq:en:a?', 'pq:en:[ab]', 'pq:en:b\\']);
      const gone = new Set(['pq:en:a*', 'pq:en:a*:x', 'pq:en:a?', 'pq:en:[ab]', 'pq:en:b\\', 'pq:en:b\\:x']);
      for (const n of names) {
        const found = await store.nearest(n, basis(0), 0.9);
        assert.equal(found?.entry.question, gone.has(n) ? undefined : n, n);
      }
    });

    it('round-trips Japanese and awkward text exactly', async () => {
      const { store, entry } = await setup();
      const question = 'ワンピースの作者は誰？「尾田栄一郎」ですか？ 🏴‍☠️';
      const answer = '『ONE PIECE』の作者は尾田栄一郎先生です。\n現在112巻まで刊行中です。"引用符" \\ バックスラッシュ\u0000終わり';
      await store.add('pq:ja:one-piece', entry(basis(0), question, answer));
      const match = await store.nearest('pq:ja:one-piece', basis(0), 0.9);
      assert.equal(match?.entry.question, question);
      assert.equal(match?.entry.answer, answer);
    });

    it('round-trips the vector bit for bit, and storedAt', async () => {
      const { store, clock } = await setup();
      const v = randomUnit(42);
      // Values float32 only just represents: a subnormal, negative zero, the smallest normal.
      v[0] = 1.4e-45;
      v[1] = -0;
      v[2] = 1.1754943508222875e-38;
      const storedAt = clock.now() - 123;
      await store.add('p', { vector: v, question: 'q', answer: 'a', storedAt });
      const match = await store.nearest('p', v, 0.5);
      assert.ok(match);
      assert.ok(match.entry.vector instanceof Float32Array);
      assert.equal(match.entry.vector.length, 512);
      assert.ok(bits(match.entry.vector).equals(bits(v)), 'identical bytes');
      assert.equal(match.entry.storedAt, storedAt);
    });

    it('keeps its own copy of the vector', async () => {
      const { store, entry } = await setup();
      const v = basis(0);
      await store.add('p', entry(v, 'q'));
      v.fill(0);
      v[1] = 1;
      assert.equal((await store.nearest('p', basis(0), 0.99))?.entry.question, 'q');
    });

    it('skips entries of another dimension (written before an embedder change)', async () => {
      const { store, entry } = await setup();
      await store.add('p', entry(basis(0, 8), 'eight dims'));
      assert.equal(await store.nearest('p', basis(0, 16), 0), undefined);
      await store.add('p', entry(basis(0, 16), 'sixteen dims'));
      assert.equal((await store.nearest('p', basis(0, 16), 0.5))?.entry.question, 'sixteen dims');
    });

    it('rejects with the reason when the signal is already aborted', async () => {
      const { store, entry } = await setup();
      await store.add('p', entry(basis(0), 'q'));
      const reason = new Error('deadline');
      await assert.rejects(store.nearest('p', basis(0), 0.5, { signal: AbortSignal.abort(reason) }), (e) => e === reason);
    });
  });
}
