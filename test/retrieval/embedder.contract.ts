// Contract every Embedder adapter must meet; a new adapter is one more call in embedder.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Embedder } from '../../src/retrieval/types.ts';

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Registers the Embedder contract tests for the adapter made by `factory`. */
export function embedderContract(name: string, factory: () => Embedder | Promise<Embedder>): void {
  test(`${name}: one unit-length vector of the declared size per input, in order`, async () => {
    const e = await factory();
    const out = await e.embed(['Shipping fees', '送料はいくらですか', 'One Piece']);
    assert.equal(out.length, 3);
    for (const v of out) {
      assert.ok(v instanceof Float32Array);
      assert.equal(v.length, e.dimensions);
      assert.ok(Math.abs(Math.sqrt(dot(v, v)) - 1) < 1e-4, 'vector is unit length');
    }
  });

  test(`${name}: same text gives the same vector`, async () => {
    const e = await factory();
    const [a] = await e.embed(['Attack on Titan']);
    const [b] = await e.embed(['Attack on Titan']);
    assert.ok(dot(a, b) > 0.999);
  });

  test(`${name}: related texts are closer than unrelated ones (English and Japanese)`, async () => {
    const e = await factory();
    const [q, near, far] = await e.embed([
      'how much is shipping',
      'Shipping fees: shipping is free over 5,000 yen',
      'Maomao solves mysteries in the imperial palace',
    ]);
    assert.ok(dot(q, near) > dot(q, far), 'en');
    const [qj, nearj, farj] = await e.embed(['送料はいくら', '送料：5,000円以上で送料無料', '巨人と戦う少年の物語']);
    assert.ok(dot(qj, nearj) > dot(qj, farj), 'ja');
  });

  test(`${name}: a batch keeps its order: each text gets the vector it gets alone`, async () => {
    const e = await factory();
    // More texts than a remote adapter sends per request, so the order survives its splitting.
    const texts = Array.from({ length: 70 }, (_, i) => `${['Naruto', '送料', 'Berserk', 'returns policy', '鬼滅の刃'][i % 5]} ${i}`);
    const batch = await e.embed(texts);
    assert.equal(batch.length, texts.length);
    for (const i of [0, 1, 33, 34, 69]) {
      const [alone] = await e.embed([texts[i]]);
      assert.ok(dot(batch[i], alone) > 0.999, `text ${i}`);
    }
  });

  test(`${name}: questions and documents are both vectors of the declared size`, async () => {
    const e = await factory();
    const [q] = await e.embed(['a manga about a pharmacist in a palace'], { input: 'query' });
    const [d] = await e.embed(['Maomao, a sharp-witted apothecary sold into the imperial rear palace'], { input: 'document' });
    assert.equal(q.length, e.dimensions);
    assert.equal(d.length, e.dimensions);
    assert.ok(dot(q, d) > 0, 'a question is comparable with the document that answers it');
  });

  test(`${name}: an empty batch gives an empty result`, async () => {
    const e = await factory();
    assert.deepEqual(await e.embed([]), []);
  });

  test(`${name}: an aborted signal rejects`, async () => {
    const e = await factory();
    const ac = new AbortController();
    ac.abort(new Error('deadline'));
    await assert.rejects(e.embed(['x'], { signal: ac.signal }));
  });
}
