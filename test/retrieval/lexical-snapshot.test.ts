// The lexical index restored from its snapshot (what src/retrieval/persisted-index.ts stores) is the
// index built from the texts: the same hits, scores and ties bit for bit, the same document
// frequencies, and replacements after the restore change it exactly as they change a built one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LexicalIndex, analyzeDoc, lexicalSnapshotOf, type LexicalSnapshot } from '../../src/retrieval/lexical-index.ts';
import { catalogDocs, loadKnowledgeBase } from '../../src/retrieval/documents.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import type { IndexedDoc } from '../../src/retrieval/types.ts';

const root = join(import.meta.dirname, '../..');
const series = parseJsonlCatalog(readFileSync(join(root, 'data/catalog/series.jsonl'), 'utf8')).series;
const docs: IndexedDoc[] = [...loadKnowledgeBase(join(root, 'data/kb')), ...catalogDocs(series)];
// Policy questions, titles (Latin and Japanese) and words of the synopses: common and rare terms.
const QUERIES = [
  'how much is shipping to Okinawa?', '返品できますか', 'a story about a pharmacist in the palace', 'shogi', 'フリーレン', 'figure skating manga',
  'can I cancel a preorder?', '配送料はいくら', 'the', '漫画', 'dark fantasy with demons', 'ポイントは使えますか', 'zzzz unknown qqq',
  ...docs.filter((_, i) => i % 7 === 0).map((d) => d.title),
  ...docs.filter((_, i) => i % 11 === 0).map((d) => d.text.slice(0, 40)),
];

function answers(ix: LexicalIndex): unknown[] {
  const out: unknown[] = [ix.size()];
  for (const q of QUERIES) {
    out.push(ix.search(q, 20), ix.search(q, 500, (id) => id.length % 2 === 0));
  }
  for (const d of docs.slice(0, 60)) for (const t of analyzeDoc(d).flat().slice(0, 4)) out.push(t, ix.documentFrequency(t));
  out.push(ix.withAll(['the', 'of'], 50), ix.withAll(analyzeDoc(docs[5])[2].slice(0, 2), 10));
  return out;
}

function restored(snap: LexicalSnapshot): LexicalIndex {
  const ix = new LexicalIndex();
  assert.equal(ix.restore(docs, snap), true);
  return ix;
}

test('a restored index answers bit for bit as one built by upsert', () => {
  const built = new LexicalIndex();
  built.upsert(docs);
  const snap = lexicalSnapshotOf(docs, docs.map(analyzeDoc))!;
  assert.ok(snap);
  assert.deepEqual(answers(restored(snap)), answers(built));
  // Object.is on every score: deepEqual already compares numbers with Object.is.
  const a = restored(snap).search('dark fantasy', 50);
  const b = built.search('dark fantasy', 50);
  assert.ok(a.length > 0 && a.every((h, i) => h.id === b[i].id && Object.is(h.score, b[i].score)));
});

test('replacements and additions after a restore change it as they change a built index (compaction too)', () => {
  const built = new LexicalIndex();
  built.upsert(docs);
  const ix = restored(lexicalSnapshotOf(docs)!);
  const edit = (round: number): IndexedDoc[] =>
    docs.filter((_, i) => i % 3 === round % 3).map((d) => ({ ...d, text: `${d.text} shogi round ${round}`, names: round === 2 ? [] : d.names }));
  const added: IndexedDoc = { ...docs[docs.length - 1], id: 'series:new', title: 'A brand new shogi title', text: 'figure skating and shogi' };
  for (const batch of [edit(0), [added], edit(1), edit(2), edit(3)]) {
    built.upsert(batch);
    ix.upsert(batch);
    assert.deepEqual(answers(ix), answers(built));
  }
});

test('no restore into an index that holds documents, nor of a snapshot of other documents; no snapshot when an id repeats', () => {
  const snap = lexicalSnapshotOf(docs)!;
  const busy = new LexicalIndex();
  busy.upsert(docs.slice(0, 2));
  assert.equal(busy.restore(docs, snap), false);
  assert.equal(busy.size(), 2);
  assert.equal(new LexicalIndex().restore(docs.slice(1), snap), false);
  assert.equal(lexicalSnapshotOf([docs[0], docs[1], docs[0]]), undefined);
});
