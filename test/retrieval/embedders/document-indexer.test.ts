// Documents reach the retriever without waiting for a remote model: at once lexically (and with
// stored vectors), the rest embedded in the background, kept on disk for the next start.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src/store/sqlite.ts';
import { createHashingEmbedder } from '../../../src/retrieval/hashing-embedder.ts';
import { createHybridRetriever, embeddingText } from '../../../src/retrieval/hybrid-retriever.ts';
import type { Embedder, EmbedOptions, IndexedDoc } from '../../../src/retrieval/types.ts';
import { createVectorStore } from '../../../src/retrieval/embedders/vector-store.ts';
import { createDocumentIndexer, type DocumentIndexerOptions } from '../../../src/retrieval/embedders/document-indexer.ts';
import { EmbeddingError } from '../../../src/retrieval/embedders/errors.ts';

const doc = (id: string, text: string): IndexedDoc => ({ id, kind: 'series', language: 'mul', title: id, text, ref: id });
const DOCS = [
  doc('kusuriya', 'Maomao, an apothecary in the imperial palace, solves poisonings'),
  doc('berserk', 'Guts, a lone mercenary, fights demons'),
  doc('slam-dunk', 'A delinquent joins the high school basketball team'),
  doc('monster', 'A surgeon hunts the serial killer he once saved'),
  doc('frieren', 'An elf mage travels after the hero party defeated the demon king'),
];

/** The "remote model": the hashing embedder, counted, with an on/off switch and refusals by text. */
function model(opts: { down?: () => boolean; refuses?: (text: string) => boolean; gate?: () => Promise<void> } = {}) {
  const inner = createHashingEmbedder({ dimensions: 64 });
  const calls: { texts: string[]; input?: string }[] = [];
  const e: Embedder = {
    dimensions: 64,
    async embed(texts: string[], o?: EmbedOptions) {
      calls.push({ texts, input: o?.input });
      await opts.gate?.();
      if (opts.down?.()) throw new EmbeddingError('openai', 'unavailable', 'model down');
      if (texts.some((t) => opts.refuses?.(t))) throw new EmbeddingError('openai', 'rejected', 'input too long');
      return inner.embed(texts);
    },
  };
  return { e, calls };
}

function setup(m: ReturnType<typeof model>, extra: Partial<DocumentIndexerOptions> = {}, db = openDatabase(':memory:')) {
  const store = createVectorStore(db, 'test:64', 64);
  const indexer = createDocumentIndexer({ store, embedder: m.e, batchSize: 2, concurrency: 2, backoffMs: 5, maxBackoffMs: 20, random: () => 0.5, ...extra });
  // Vector mode: a document is found only through its vector, so a hit proves the vector is there.
  // Questions are embedded apart from the scripted model, which sees documents only.
  const questions = createHashingEmbedder({ dimensions: 64 });
  const routed: Embedder = { dimensions: 64, embed: (t, o) => (o?.input === 'document' ? indexer.storedDocuments : questions).embed(t, o) };
  const vectors = createHybridRetriever({ embedder: routed, mode: 'vector' });
  const lexical = createHybridRetriever({ embedder: routed, mode: 'lexical' });
  return { store, indexer, vectors, lexical, db };
}

const top = async (r: ReturnType<typeof createHybridRetriever>, text: string) => (await r.search({ text, topK: 1 })).hits[0];

describe('document indexer', () => {
  it('indexes at once without the model; the vectors follow in the background', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const m = model({ gate: () => gate });
    const { indexer, vectors, lexical } = setup(m);
    await indexer.index(vectors, DOCS);
    assert.equal(vectors.size(), 5);
    assert.equal(indexer.stats().pending, 5);
    // Zero vectors are similar to nothing: every question gets the same (tied) order.
    const queries = { 'basketball team': 'slam-dunk', 'surgeon serial killer': 'monster', 'elf mage demon king': 'frieren' };
    const before = await Promise.all(Object.keys(queries).map(async (q) => (await top(vectors, q))?.doc.id));
    assert.equal(new Set(before).size, 1);
    release();
    await indexer.idle();
    assert.deepEqual(indexer.stats(), { pending: 0, embedded: 5, givenUp: 0 });
    for (const [q, id] of Object.entries(queries)) assert.equal((await top(vectors, q))?.doc.id, id, q);
    // Documents only, in batches of 2.
    assert.ok(m.calls.every((c) => c.input === 'document' && c.texts.length <= 2));
    // The lexical index has them as soon as index() returns, whatever the model does.
    const slow = model({ gate: () => new Promise(() => {}) });
    const other = setup(slow);
    await other.indexer.index(lexical, DOCS);
    assert.equal((await top(lexical, 'basketball team'))?.doc.id, 'slam-dunk');
    other.indexer.close();
  });

  it('a model that is down leaves the documents waiting, then fills them once it is back', async () => {
    let down = true;
    const errors: boolean[] = [];
    const m = model({ down: () => down });
    const { indexer, vectors } = setup(m, { onError: (_e, what) => errors.push(what.givenUp) });
    await indexer.index(vectors, DOCS);
    while (m.calls.length < 4) await new Promise((r) => setTimeout(r, 5));
    assert.equal(indexer.stats().pending, 5);
    assert.ok(errors.length >= 2 && errors.every((g) => g === false));
    down = false;
    await indexer.idle();
    assert.equal(indexer.stats().pending, 0);
    assert.equal((await top(vectors, 'elf mage demon king'))?.doc.id, 'frieren');
  });

  it('a restart over the same store calls the model for nothing and has every vector at once', async () => {
    const db = openDatabase(':memory:');
    const first = setup(model(), {}, db);
    await first.indexer.index(first.vectors, DOCS);
    await first.indexer.idle();
    const m = model();
    const again = setup(m, {}, db);
    await again.indexer.index(again.vectors, DOCS);
    assert.equal(again.indexer.stats().pending, 0);
    assert.equal(m.calls.length, 0);
    assert.equal((await top(again.vectors, 'surgeon serial killer'))?.doc.id, 'monster');
  });

  it('a document changed while its old text is embedded keeps the new text', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const m = model({ gate: () => gate });
    const { indexer, lexical, store } = setup(m, { batchSize: 5 });
    await indexer.index(lexical, DOCS);
    const changed = doc('berserk', 'Guts swings a giant sword at apostles');
    await indexer.index(lexical, [changed]);
    release();
    await indexer.idle();
    assert.equal((await top(lexical, 'giant sword apostles'))?.doc.text, changed.text);
    assert.equal((await top(lexical, 'lone mercenary'))?.doc.id === 'berserk', false, 'the old text is gone');
    assert.equal(store.has(embeddingText(changed)), true, 'the new text got its vector');
  });

  it('a text the model refuses is split out of its batch and given up alone; the others get vectors', async () => {
    const given: string[][] = [];
    const m = model({ refuses: (t) => t.includes('serial killer') });
    const { indexer, vectors } = setup(m, { batchSize: 5, onError: (_e, what) => what.givenUp && given.push(what.documents) });
    await indexer.index(vectors, DOCS);
    await indexer.idle();
    assert.deepEqual(indexer.stats(), { pending: 0, embedded: 4, givenUp: 1 });
    assert.deepEqual(given, [['monster']]);
    assert.equal((await top(vectors, 'basketball team'))?.doc.id, 'slam-dunk');
  });

  it('close() stops the background work', async () => {
    const m = model({ down: () => true });
    const { indexer, vectors } = setup(m);
    await indexer.index(vectors, DOCS);
    indexer.close();
    await indexer.idle();
    const calls = m.calls.length;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(m.calls.length, calls);
  });
});

describe('vector store', () => {
  it('keeps vectors by text per identity; another identity or size sees none', () => {
    const db = openDatabase(':memory:');
    const a = createVectorStore(db, 'openai:m:4', 4);
    a.put([{ text: 'Naruto', vector: Float32Array.of(0.5, 0.5, 0.5, 0.5) }]);
    assert.deepEqual(Array.from(a.get('Naruto')!), [0.5, 0.5, 0.5, 0.5]);
    assert.equal(a.has('Naruto'), true);
    assert.equal(a.get('naruto'), undefined);
    assert.equal(createVectorStore(db, 'bedrock:titan:4', 4).get('Naruto'), undefined);
    assert.equal(createVectorStore(db, 'openai:m:4', 8).get('Naruto'), undefined);
    assert.equal(a.count(), 1);
  });
});
