import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkMarkdown, loadKnowledgeBase, seriesToDoc } from '../../src/retrieval/documents.ts';
import { KB_FILES, SERIES } from './fixtures.ts';

test('markdown is chunked by ## section with the file title in each chunk title', () => {
  const chunks = chunkMarkdown(KB_FILES['en/shipping'], 'en', 'shipping');
  assert.deepEqual(chunks.map((c) => c.id), ['kb:en/shipping#0', 'kb:en/shipping#1', 'kb:en/shipping#2']);
  assert.equal(chunks[0].title, 'Shipping');
  assert.equal(chunks[0].text, 'We ship from Tokyo.');
  assert.equal(chunks[1].title, 'Shipping — Shipping fees');
  assert.match(chunks[1].text, /free on orders over 5,000 yen/);
  assert.ok(chunks.every((c) => c.kind === 'kb' && c.language === 'en' && c.ref === 'shipping'));
});

test('a file with no intro text starts numbering at its first section', () => {
  const chunks = chunkMarkdown(KB_FILES['ja/returns'], 'ja', 'returns');
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0].id, 'kb:ja/returns#0');
  assert.equal(chunks[0].title, '返品・返金 — 破損した本');
});

test('loadKnowledgeBase reads en/ and ja/ topic files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-'));
  try {
    mkdirSync(join(dir, 'en'));
    mkdirSync(join(dir, 'ja'));
    writeFileSync(join(dir, 'en', 'returns.md'), KB_FILES['en/returns']);
    writeFileSync(join(dir, 'ja', 'returns.md'), KB_FILES['ja/returns']);
    writeFileSync(join(dir, 'ja', 'notes.txt'), 'ignored');
    const docs = loadKnowledgeBase(dir);
    assert.deepEqual(docs.map((d) => d.id), ['kb:en/returns#0', 'kb:en/returns#1', 'kb:ja/returns#0']);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('seriesToDoc carries every name, authors, genres and both synopses', () => {
  const d = seriesToDoc(SERIES.find((s) => s.id === 'shingeki-no-kyojin')!);
  assert.equal(d.id, 'series:shingeki-no-kyojin');
  assert.equal(d.kind, 'series');
  assert.equal(d.language, 'mul');
  assert.equal(d.ref, 'shingeki-no-kyojin');
  assert.deepEqual(d.names, ['Shingeki no Kyojin', 'Attack on Titan', '進撃の巨人']);
  for (const part of ['Attack on Titan', '進撃の巨人', 'Hajime Isayama', 'Military', 'Shounen', 'Bessatsu Shounen Magazine', 'man-eating Titans', '巨人と戦う']) {
    assert.ok(d.text.includes(part), part);
  }
});

test('a table row becomes a sentence with its column headings, emphasis is dropped', () => {
  const en = chunkMarkdown('# Shipping\n\n## International\n\nRates are **per parcel**:\n\n| Zone | Up to 1 kg | Each extra kg |\n|---|---|---|\n| Asia | ¥1,200 | ¥600 |\n\n| Destination | Typical delivery |\n|---|---|\n| Hokkaido | 2 to 3 days |\n', 'en', 'shipping');
  assert.equal(en[0].text, 'Rates are per parcel:\n\nAsia — Up to 1 kg: ¥1,200; Each extra kg: ¥600.\n\nHokkaido: 2 to 3 days.');
  const ja = chunkMarkdown('# 配送\n\n## 海外発送\n\n| 地域 | 1kgまで |\n|---|---|\n| アジア | 1,200円 |\n| 状況 | 梱包中です。 |\n', 'ja', 'shipping');
  assert.equal(ja[0].text, 'アジア：1,200円。\n状況：梱包中です。');
});
