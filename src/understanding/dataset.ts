import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { INTENTS } from './types.ts';
import type { Intent } from './types.ts';

/** One labelled utterance of the intent data set. */
export interface LabelledExample {
  text: string;
  intent: Intent;
  /** What kind of utterance it is (the unseen set's `tag`, e.g. "bare-title", "policy:shipping"), for reports only. */
  tag?: string;
}

/** The data set split into a training part and a held-out part for evaluation. */
export interface IntentDataset {
  train: LabelledExample[];
  heldOut: LabelledExample[];
}

/** Share of the examples held out for evaluation, in percent. */
export const HELD_OUT_PERCENT = 20;

// FNV-1a over UTF-16 code units: stable across runs and machines, unlike Math.random or the
// order of files, so the benchmark and the tests always see the same held-out examples.
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Whether an utterance belongs to the held-out split (decided by a hash of its NFKC-normalised text only). */
export function isHeldOut(text: string): boolean {
  // The bare hash's low bits are poorly mixed for short strings; one murmur-style finaliser
  // spreads them so the split lands close to HELD_OUT_PERCENT.
  let h = fnv1a(text.normalize('NFKC').trim());
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % 100 < HELD_OUT_PERCENT;
}

/** Splits examples into train and held-out parts with `isHeldOut`, keeping their order. */
export function splitDataset(examples: LabelledExample[]): IntentDataset {
  const train: LabelledExample[] = [];
  const heldOut: LabelledExample[] = [];
  for (const ex of examples) (isHeldOut(ex.text) ? heldOut : train).push(ex);
  return { train, heldOut };
}

const KNOWN = new Set<string>(INTENTS);

/** Reads every `*.jsonl` file of a directory (lines `{"text","intent"}`), refusing unknown intents. */
export function readIntentExamples(dir: string): LabelledExample[] {
  const out: LabelledExample[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let row: { text?: unknown; intent?: unknown; tag?: unknown };
      try {
        row = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${i + 1}: not valid JSON`);
      }
      if (typeof row.text !== 'string' || typeof row.intent !== 'string' || !KNOWN.has(row.intent)) {
        throw new Error(`${file}:${i + 1}: expected {"text": string, "intent": one of INTENTS}`);
      }
      out.push({ text: row.text, intent: row.intent as Intent, ...(typeof row.tag === 'string' ? { tag: row.tag } : {}) });
    });
  }
  return out;
}

/** Loads the data set of a directory and splits it deterministically into train and held-out parts. */
export function loadIntentDataset(dir: string): IntentDataset {
  return splitDataset(readIntentExamples(dir));
}
