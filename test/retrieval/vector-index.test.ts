import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorIndex } from '../../src/retrieval/vector-index.ts';

// Deterministic pseudo-random unit vectors so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
function unit(r: () => number, dims: number): Float32Array {
  const v = new Float32Array(dims);
  let n = 0;
  for (let i = 0; i < dims; i++) n += (v[i] = r()) ** 2;
  for (let i = 0; i < dims; i++) v[i] /= Math.sqrt(n);
  return v;
}
function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

test('top-k equals a naive full sort, across growth beyond the initial capacity', () => {
  const r = rng(7);
  const idx = new VectorIndex(32, 4);
  const all: [string, Float32Array][] = [];
  for (let i = 0; i < 500; i++) {
    const v = unit(r, 32);
    all.push([`d${i}`, v]);
    idx.set(`d${i}`, v);
  }
  for (let q = 0; q < 20; q++) {
    const query = unit(r, 32);
    const naive = all.map(([id, v]) => ({ id, score: dot(query, v) })).sort((a, b) => b.score - a.score).slice(0, 10);
    const got = idx.search(query, 10);
    assert.deepEqual(got.map((h) => h.id), naive.map((h) => h.id));
    for (let i = 0; i < 10; i++) assert.ok(Math.abs(got[i].score - naive[i].score) < 1e-9);
  }
});

test('k larger than the index returns everything, best first', () => {
  const idx = new VectorIndex(2);
  idx.set('a', new Float32Array([1, 0]));
  idx.set('b', new Float32Array([0, 1]));
  assert.deepEqual(idx.search(new Float32Array([0.6, 0.8]), 5).map((h) => h.id), ['b', 'a']);
  assert.deepEqual(idx.search(new Float32Array([1, 0]), 0), []);
});

test('set replaces by id, delete moves the last vector into the hole', () => {
  const idx = new VectorIndex(2);
  idx.set('a', new Float32Array([1, 0]));
  idx.set('b', new Float32Array([0, 1]));
  idx.set('c', new Float32Array([-1, 0]));
  idx.set('a', new Float32Array([0, -1]));
  assert.equal(idx.size(), 3);
  assert.equal(idx.search(new Float32Array([0, -1]), 1)[0].id, 'a');
  assert.ok(idx.delete('a'));
  assert.equal(idx.delete('a'), false);
  assert.equal(idx.size(), 2);
  assert.deepEqual(idx.search(new Float32Array([-1, 0]), 2).map((h) => h.id), ['c', 'b']);
});

test('filter skips ids', () => {
  const idx = new VectorIndex(2);
  idx.set('a', new Float32Array([1, 0]));
  idx.set('b', new Float32Array([0.9, 0.1]));
  assert.deepEqual(idx.search(new Float32Array([1, 0]), 1, (id) => id !== 'a').map((h) => h.id), ['b']);
});

test('a vector of the wrong size is refused', () => {
  assert.throws(() => new VectorIndex(4).set('x', new Float32Array(3)), RangeError);
});

// How fast a 16k x 512 query is belongs to a benchmark (bench/vector-index.ts), not to a test:
// a timed assertion fails on a busy machine. What a test can hold at that size is the answer.
test('16k x 512: the top 20 are exactly those a brute-force scan ranks first', () => {
  const r = rng(11);
  const idx = new VectorIndex(512);
  const docs: Float32Array[] = [];
  for (let i = 0; i < 16000; i++) {
    const v = unit(r, 512);
    docs.push(v);
    idx.set(`d${i}`, v);
  }
  const q = unit(r, 512);
  const expected = docs.map((v, i) => ({ id: `d${i}`, score: dot(v, q) })).sort((a, b) => b.score - a.score).slice(0, 20);
  const got = idx.search(q, 20);
  assert.deepEqual(got.map((h) => h.id), expected.map((h) => h.id));
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(got[i].score - expected[i].score) < 1e-4);
});
