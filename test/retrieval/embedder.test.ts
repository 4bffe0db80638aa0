import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embedderContract } from './embedder.contract.ts';
import { createHashingEmbedder } from '../../src/retrieval/hashing-embedder.ts';

embedderContract('hashing embedder (512)', () => createHashingEmbedder());
embedderContract('hashing embedder (256)', () => createHashingEmbedder({ dimensions: 256 }));

test('hashing embedder: full-width and half-width spellings embed identically', async () => {
  const e = createHashingEmbedder();
  const [a, b] = await e.embed(['ＯＮＥ ＰＩＥＣＥ', 'one piece']);
  assert.deepEqual(Array.from(a), Array.from(b));
});

test('hashing embedder: rejects a nonsensical size', () => {
  assert.throws(() => createHashingEmbedder({ dimensions: 3 }), RangeError);
});

test('hashing embedder: text with no letters embeds to the zero vector instead of NaN', async () => {
  const [v] = await createHashingEmbedder().embed(['!!! ---']);
  assert.ok(v.every((x) => x === 0));
});
