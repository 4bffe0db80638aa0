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
