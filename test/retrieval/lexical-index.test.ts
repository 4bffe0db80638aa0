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
