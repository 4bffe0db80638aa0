/**
 * Validates data/semantic-cache/pairs.jsonl, the labelled question pairs the semantic answer cache's
 * false-hit rate is measured against. Run: ./node_modules/.bin/node --test test/data/semantic-pairs.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const FILE = join(resolve(import.meta.dirname, '../..'), 'data/semantic-cache/pairs.jsonl');
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

const PairSchema = z.strictObject({
  a: z.string().trim().min(1),
  b: z.string().trim().min(1),
  language: z.enum(['en', 'ja']),
  match: z.boolean(),
  why: z.string().trim().min(3),
});
type Pair = z.infer<typeof PairSchema>;

function load(): Pair[] {
  const text = readFileSync(FILE, 'utf8');
  assert.ok(text.endsWith('\n'), 'the file ends with a newline');
  return text.slice(0, -1).split('\n').map((line, i) => {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      assert.fail(`line ${i + 1} is not JSON: ${(error as Error).message}`);
    }
    const parsed = PairSchema.safeParse(json);
    assert.ok(parsed.success, `line ${i + 1}: ${parsed.error?.message}`);
    return parsed.data;
  });
}

test('every line is a well-formed pair', () => {
  const pairs = load();
  assert.ok(pairs.length >= 100, `${pairs.length} pairs`);
  for (const [i, p] of pairs.entries()) {
    assert.notEqual(p.a, p.b, `line ${i + 1}: a pair of one question`);
    // A Japanese pair may quote a romaji title, but must itself be Japanese; an English pair has no Japanese.
    for (const q of [p.a, p.b]) assert.equal(JAPANESE.test(q), p.language === 'ja', `line ${i + 1}: "${q}" is not ${p.language}`);
  }
});

test('both labels appear in both languages, roughly balanced', () => {
  const pairs = load();
  for (const language of ['en', 'ja'] as const) {
    const of = pairs.filter((p) => p.language === language);
    const matches = of.filter((p) => p.match).length;
    assert.ok(matches > 0 && matches < of.length, `${language}: both labels`);
    const share = matches / of.length;
    assert.ok(share >= 0.35 && share <= 0.65, `${language}: ${matches} of ${of.length} match`);
  }
});

test('no pair appears twice, in either order', () => {
  const seen = new Map<string, number>();
  for (const [i, p] of load().entries()) {
    const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
    const key = [norm(p.a), norm(p.b)].sort().join('\u0000');
    assert.ok(!seen.has(key), `line ${i + 1} repeats line ${seen.get(key)}`);
    seen.set(key, i + 1);
  }
});
