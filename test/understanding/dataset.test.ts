import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELD_OUT_PERCENT, isHeldOut, loadIntentDataset, readIntentExamples, splitDataset } from '../../src/understanding/dataset.ts';
import { INTENTS } from '../../src/understanding/types.ts';

const dir = fileURLToPath(new URL('../../data/intents', import.meta.url));
const all = readIntentExamples(dir);

function rowsOf(lang: 'en' | 'ja'): Array<{ text: string; intent: string }> {
  return readFileSync(join(dir, `${lang}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

test('each language file has at least 60 utterances per intent', () => {
  for (const lang of ['en', 'ja'] as const) {
    const rows = rowsOf(lang);
    for (const intent of INTENTS) {
      const n = rows.filter((r) => r.intent === intent).length;
      assert.ok(n >= 60, `${lang}/${intent}: only ${n}`);
    }
  }
});

test('no utterance appears twice', () => {
  const seen = new Set<string>();
  for (const e of all) {
    const key = e.text.normalize('NFKC').trim().toLowerCase();
    assert.ok(!seen.has(key), `duplicate: ${e.text}`);
    seen.add(key);
  }
});

test('the held-out split is deterministic, disjoint, and about 20%', () => {
  const a = loadIntentDataset(dir);
  const b = splitDataset([...all].reverse());
  assert.deepEqual(new Set(a.heldOut.map((e) => e.text)), new Set(b.heldOut.map((e) => e.text)));
  assert.equal(a.train.length + a.heldOut.length, all.length);
  const train = new Set(a.train.map((e) => e.text));
  assert.ok(a.heldOut.every((e) => !train.has(e.text)));
  const share = (100 * a.heldOut.length) / all.length;
  assert.ok(Math.abs(share - HELD_OUT_PERCENT) < 3, `held out ${share.toFixed(1)}%`);
  // Every intent is represented in the held-out part, so per-intent recall means something.
  for (const intent of INTENTS) assert.ok(a.heldOut.some((e) => e.intent === intent), intent);
});

test('membership depends only on the text, not on position or intent', () => {
  const text = 'is One Piece 108 in stock?';
  const first = isHeldOut(text);
  for (let i = 0; i < 5; i++) assert.equal(isHeldOut(text), first);
  assert.equal(isHeldOut('ｉｓ Ｏｎｅ Ｐｉｅｃｅ １０８ ｉｎ ｓｔｏｃｋ?'), first, 'full-width form lands on the same side');
  const mixed = splitDataset([
    { text, intent: 'price_availability' },
    { text, intent: 'product_search' },
  ]);
  assert.equal(mixed.heldOut.length, first ? 2 : 0);
});

test('refuses rows with an unknown intent, a missing text, or broken JSON, naming the line', () => {
  const d = mkdtempSync(join(tmpdir(), 'intents-'));
  writeFileSync(join(d, 'x.jsonl'), '{"text":"hi","intent":"chitchat"}\n{"text":"hi","intent":"greeting"}\n');
  assert.throws(() => readIntentExamples(d), /x\.jsonl:2/);
  writeFileSync(join(d, 'x.jsonl'), '{"intent":"chitchat"}\n');
  assert.throws(() => readIntentExamples(d), /x\.jsonl:1/);
  writeFileSync(join(d, 'x.jsonl'), '{"text":"hi","intent":"chitchat"}\n{"text":"hi",\n');
  assert.throws(() => readIntentExamples(d), /x\.jsonl:2: not valid JSON/);
});

// The unseen set measures generalisation only while nothing of it is trained on: the training
// loader must not read its folder, and no line of it may be copied into the training files
// (compared without case, width, spaces or punctuation).
test('the unseen set is apart from the training data', () => {
  const unseen = readIntentExamples(join(dir, 'unseen'));
  assert.ok(unseen.length >= 500, `unseen set has ${unseen.length} utterances`);
  const key = (t: string) => t.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, '');
  const trained = new Set(all.map((e) => key(e.text)));
  const copied = unseen.filter((e) => trained.has(key(e.text))).map((e) => e.text);
  assert.deepEqual(copied, []);
  const dataset = loadIntentDataset(dir);
  assert.equal(dataset.train.length + dataset.heldOut.length, all.length, 'the loader reads the top-level files only');
});

test('the unseen set covers every intent in both languages, about half Japanese', () => {
  const unseen = readIntentExamples(join(dir, 'unseen'));
  const ja = unseen.filter((e) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(e.text));
  assert.ok(Math.abs(ja.length / unseen.length - 0.5) < 0.05, `${ja.length} of ${unseen.length} Japanese`);
  for (const intent of INTENTS) {
    for (const part of [ja, unseen.filter((e) => !ja.includes(e))]) {
      assert.ok(part.filter((e) => e.intent === intent).length >= 15, `${intent}: too few`);
    }
  }
});
