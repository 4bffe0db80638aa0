// Built-in Embedder: feature hashing of character n-grams, no model download, no dictionary.
//
// Hand-written because the job is small and hot: at start-up it embeds 15k+ catalog docs, so
// it walks char codes and hashes n-grams numerically instead of building substrings.
// It is lexical-semantic at best (shared spellings, not meaning); a real model plugs in
// through the same Embedder port.
import type { CallOptions } from '../shared/call.ts';
import type { Embedder } from './types.ts';
import { normalize, isCjk, isKanji, isWordCode, stem } from './tokenize.ts';

/** Options for {@link createHashingEmbedder}. */
export interface HashingEmbedderOptions {
  /** Vector size; a power of two keeps bucket selection a mask. @default 512 */
  dimensions?: number;
}

// Feature kinds live in the low three bits of a feature key so one Map counts them all.
const WORD = 0;
const CHAR3 = 1;
const CJK1 = 2;
const CJK2 = 3;
const CJK3 = 4;
const KIND_BITS = 3;
// Whole words and Japanese bigrams carry the meaning; single kanji are ambiguous; trigrams add
// spelling tolerance (English) and phrase evidence (Japanese).
const KIND_WEIGHT = [1.0, 0.35, 0.5, 1.0, 0.6];

const STOP = new Set('a an the and or of to in on at for with by from is are was were be i my me you it its this that can how what do does'.split(' '));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function step(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

/** Creates the dictionary-free hashing embedder (signed hashing, sublinear tf, L2-normalised). */
export function createHashingEmbedder(opts: HashingEmbedderOptions = {}): Embedder {
  const dimensions = opts.dimensions ?? 512;
  if (!Number.isInteger(dimensions) || dimensions < 8) throw new RangeError('dimensions must be an integer >= 8');

  function features(text: string): Map<number, number> {
    const counts = new Map<number, number>();
    const add = (hash: number, kind: number) => {
      const key = ((fmix(hash) & ~7) | kind) >>> 0;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };
    const s = normalize(text);
    const n = s.length;
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isCjk(c)) {
        let j = i;
        while (j < n && isCjk(s.charCodeAt(j))) j++;
        if (j - i === 1) add(step(0x7f4a7c15, c), CJK1);
        for (let p = i; p < j; p++) {
          const a = s.charCodeAt(p);
          if (isKanji(a) && j - i > 1) add(step(0x7f4a7c15, a), CJK1);
          if (p + 1 < j) add(step(step(0x9e3779b9, a), s.charCodeAt(p + 1)), CJK2);
          if (p + 2 < j) add(step(step(step(0x85ebca6b, a), s.charCodeAt(p + 1)), s.charCodeAt(p + 2)), CJK3);
        }
        i = j;
      } else if (isWordCode(c)) {
        let j = i;
        while (j < n && (isWordCode(s.charCodeAt(j)) || s.charCodeAt(j) === 39)) j++;
        const word = stem(s.slice(i, j).replace(/'/g, ''));
        i = j;
        if (STOP.has(word)) continue;
        let h = 0x811c9dc5;
        for (let p = 0; p < word.length; p++) h = step(h, word.charCodeAt(p));
        add(h, WORD);
        // Char trigrams over "^word$" let spellings that differ slightly (kimetsu/kimetu) still overlap.
        const padded = `^${word}$`;
        for (let p = 0; p + 2 < padded.length; p++) {
          add(step(step(step(0xc2b2ae35, padded.charCodeAt(p)), padded.charCodeAt(p + 1)), padded.charCodeAt(p + 2)), CHAR3);
        }
      } else {
        i++;
      }
    }
    return counts;
  }

  function embedOne(text: string): Float32Array {
    const v = new Float32Array(dimensions);
    for (const [key, tf] of features(text)) {
      const w = (1 + Math.log(tf)) * KIND_WEIGHT[key & 7];
      // Bits above the kind select the bucket; the top bit is the sign, so collisions cancel on average.
      const bucket = (key >>> KIND_BITS) % dimensions;
      v[bucket] += key & 0x80000000 ? -w : w;
    }
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += v[d] * v[d];
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let d = 0; d < dimensions; d++) v[d] *= inv;
    }
    return v;
  }

  return {
    dimensions,
    async embed(texts: string[], callOpts?: CallOptions): Promise<Float32Array[]> {
      callOpts?.signal?.throwIfAborted();
      return texts.map(embedOne);
    },
  };
}
