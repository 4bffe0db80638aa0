import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LexicalIndex } from '../../src/retrieval/lexical-index.ts';
import { allDocs } from './fixtures.ts';

function index(): LexicalIndex {
  const idx = new LexicalIndex();
  idx.upsert(allDocs());
  return idx;
}

test('BM25 finds a Japanese policy chunk with no word spaces', () => {
  assert.equal(index().search('送料はいくらですか', 3)[0].id, 'kb:ja/shipping#0');
});

test('BM25 finds an English chunk through stemming (returned → return, damaged → damage)', () => {
  assert.equal(index().search('books that arrived damaged', 3)[0].id, 'kb:en/returns#0');
});

test('BM25 matches full-width titles and a title inside a Japanese sentence', () => {
  assert.equal(index().search('ＯＮＥ ＰＩＥＣＥ', 1)[0].id, 'series:one-piece');
  assert.equal(index().search('進撃の巨人の最新刊', 1)[0].id, 'series:shingeki-no-kyojin');
});

test('rarer terms weigh more (IDF): one rare term beats a repeated common one', () => {
  const idx = new LexicalIndex();
  const doc = (id: string, text: string) => ({ id, kind: 'kb' as const, language: 'en' as const, title: '', text, ref: id });
  idx.upsert([
    doc('a', 'manga manga manga store'),
    doc('b', 'manga about cooking'),
    doc('c', 'manga about sports'),
    doc('d', 'a pharmacist story'),
    doc('e', 'manga news'),
  ]);
  assert.equal(idx.search('manga pharmacist', 1)[0].id, 'd');
});

test('scores are sorted and k is respected', () => {
  const hits = index().search('shipping', 2);
  assert.equal(hits.length, 2);
  assert.ok(hits[0].score >= hits[1].score);
});

test('upsert replaces a document by id: old text no longer matches', () => {
  const idx = index();
  const before = idx.size();
  const doc = allDocs().find((d) => d.id === 'series:chainsaw-man')!;
  idx.upsert([{ ...doc, text: 'Renamed to a story about gardening' }]);
  assert.equal(idx.size(), before);
  assert.ok(!idx.search('Pochita', 5).some((h) => h.id === doc.id));
  assert.equal(idx.search('gardening', 1)[0].id, doc.id);
});

test('filter restricts the results', () => {
  const hits = index().search('shipping 送料', 10, (id) => id.startsWith('kb:ja/'));
  assert.ok(hits.length > 0);
  assert.ok(hits.every((h) => h.id.startsWith('kb:ja/')));
});

test('repeated replacement compacts the postings without losing or resurrecting docs', () => {
  const idx = new LexicalIndex();
  const doc = (id: string, text: string) => ({ id, kind: 'series' as const, language: 'mul' as const, title: id, text, ref: id });
  idx.upsert(Array.from({ length: 100 }, (_, i) => doc(`s${i}`, `original text number${i}`)));
  for (let round = 0; round < 3; round++) {
    idx.upsert(Array.from({ length: 100 }, (_, i) => doc(`s${i}`, `round${round} text number${i}`)));
  }
  assert.equal(idx.size(), 100);
  assert.deepEqual(idx.search('original', 5), []);
  assert.deepEqual(idx.search('round1', 5), []);
  assert.equal(idx.search('round2', 200).length, 100);
  assert.equal(idx.search('number42', 1)[0].id, 's42');
});

test('a term only in a replaced doc no longer counts toward document frequency', () => {
  const idx = new LexicalIndex();
  const doc = (id: string, text: string) => ({ id, kind: 'kb' as const, language: 'en' as const, title: '', text, ref: id });
  idx.upsert([doc('a', 'alpha beta'), doc('b', 'alpha gamma'), doc('c', 'delta')]);
  const before = idx.search('alpha', 1)[0].score;
  idx.upsert([doc('b', 'gamma')]);
  // With one fewer doc holding "alpha", its IDF and so doc a's score go up.
  assert.ok(idx.search('alpha', 1)[0].score > before);
});
