// The retrieval index kept in DATA_DIR (src/retrieval/persisted-index.ts): a restart indexes the
// stored terms and vectors and answers exactly as an index built from the texts; other documents,
// another embedder or a damaged file build it again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHybridRetriever, type HybridRetriever } from '../../src/retrieval/hybrid-retriever.ts';
import { createHashingEmbedder } from '../../src/retrieval/hashing-embedder.ts';
import { createFeatureReranker } from '../../src/retrieval/feature-reranker.ts';
import { catalogDocs, loadKnowledgeBase } from '../../src/retrieval/documents.ts';
import { RETRIEVAL_INDEX_FILE, upsertPersisted } from '../../src/retrieval/persisted-index.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import type { DerivedEvent } from '../../src/store/derived-file.ts';
import type { IndexedDoc } from '../../src/retrieval/types.ts';

const root = join(import.meta.dirname, '../..');
const series = parseJsonlCatalog(readFileSync(join(root, 'data/catalog/series.jsonl'), 'utf8')).series;
const docs: IndexedDoc[] = [...loadKnowledgeBase(join(root, 'data/kb')), ...catalogDocs(series)];
const embedder = { identity: 'hashing:512', dimensions: 512 };
const QUERIES = ['how much is shipping to Okinawa?', '返品できますか', 'a story about a pharmacist in the palace', 'shogi', 'フリーレン', 'figure skating manga', 'can I cancel a preorder?', '配送料はいくら'];

const fresh = (): HybridRetriever => createHybridRetriever({ embedder: createHashingEmbedder({ dimensions: 512 }), reranker: createFeatureReranker(), candidates: 20 });

async function answers(r: HybridRetriever): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const text of QUERIES) {
    const res = await r.search({ text, topK: 8 });
    out.push(res.hits.map((h) => [h.doc.id, h.score]), (res.conceptMatches ?? []).map((d) => d.id), res.rerankSkipped);
  }
  return out;
}

async function open(dir: string, input: IndexedDoc[], identity = embedder): Promise<{ retriever: HybridRetriever; outcome: DerivedEvent['outcome'] }> {
  const events: DerivedEvent[] = [];
  const retriever = fresh();
  await upsertPersisted(retriever, input, { dir, embedder: identity, onEvent: (e) => events.push(e) });
  assert.equal(events.length, 1);
  return { retriever, outcome: events[0].outcome };
}

test('a stored index answers exactly as one built by upsert; a later upsert replaces as before', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-index-'));
  try {
    const built = fresh();
    await built.upsert(docs);
    const expected = await answers(built);
    const first = await open(dir, docs);
    assert.equal(first.outcome, 'built');
    assert.deepEqual(await answers(first.retriever), expected);
    const again = await open(dir, docs);
    assert.equal(again.outcome, 'loaded');
    assert.equal(again.retriever.size(), built.size());
    assert.deepEqual(await answers(again.retriever), expected);
    // A catalog change after the start goes through upsert as it always did.
    const changed = { ...docs[docs.length - 1], text: 'A shogi prodigy in a figure skating rink' };
    await built.upsert([changed]);
    await again.retriever.upsert([changed]);
    assert.deepEqual(await answers(again.retriever), await answers(built));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('other documents, another order, another embedder or a damaged file: built afresh, never served', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-index-'));
  try {
    assert.equal((await open(dir, docs)).outcome, 'built');
    const edited = docs.map((d, i) => (i === 3 ? { ...d, text: `${d.text} (revised)` } : d));
    const stale = await open(dir, edited);
    assert.equal(stale.outcome, 'stale');
    const built = fresh();
    await built.upsert(edited);
    assert.deepEqual(await answers(stale.retriever), await answers(built));
    assert.equal((await open(dir, [...edited].reverse())).outcome, 'stale');
    assert.equal((await open(dir, [...edited].reverse(), { identity: 'hashing:256', dimensions: 512 })).outcome, 'stale');

    const file = join(dir, RETRIEVAL_INDEX_FILE);
    const bytes = readFileSync(file);
    bytes[bytes.length - 5] ^= 0x40;
    writeFileSync(file, bytes);
    const damaged = await open(dir, docs);
    assert.equal(damaged.outcome, 'corrupt');
    const reference = fresh();
    await reference.upsert(docs);
    assert.deepEqual(await answers(damaged.retriever), await answers(reference));
    assert.equal((await open(dir, docs)).outcome, 'loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
