/**
 * The "model" behind the embedding fakes: deterministic vectors from the built-in hashing
 * embedder, after a small concept table folds synonyms together ("pharmacist" and "apothecary",
 * "wrote" and "author"). So similarity means something, and the fakes find a paraphrase the
 * hashing embedder alone does not: a test can tell vectors from the model from the built-in ones.
 * Instruction prefixes ("query: ", "passage: ") are read and dropped, as a model trained on them
 * would understand them. Vectors come back scaled (not unit length) unless asked to normalise,
 * like TEI, vLLM or Titan with normalize:false.
 */
import { createHashingEmbedder } from '../../../src/retrieval/hashing-embedder.ts';

const CONCEPTS: [string, string[]][] = [
  ['apothecary', ['pharmacist', 'pharmacists', 'chemist', 'druggist', 'herbalist', '薬剤師', '薬師']],
  ['palace', ['court', 'imperial', '宮廷', '後宮', '宮中']],
  ['author', ['wrote', 'writer', 'drew', 'drawn', 'creator', 'mangaka', 'written']],
  ['shipping', ['delivery', 'postage', 'deliver']],
  ['cost', ['charge', 'price', 'fee', 'much']],
];
const FOLD = new Map<string, string>();
for (const [concept, words] of CONCEPTS) for (const w of words) FOLD.set(w, concept);

const PREFIXES = /^(?:query|passage|search_query|search_document):\s*/i;

/** The concept-folded text the fake model embeds (exported for tests that reason about it). */
export function understood(text: string): string {
  const body = text.replace(PREFIXES, '');
  let out = body.toLowerCase().replace(/[a-z]+/g, (w) => FOLD.get(w) ?? w);
  for (const [w, concept] of FOLD) if (/[^\x00-\x7f]/.test(w)) out = out.split(w).join(` ${concept} `);
  return out;
}

const embedders = new Map<number, ReturnType<typeof createHashingEmbedder>>();

/** The fake model's vector of `text` with `dimensions` values, times `scale`. */
export async function fakeVector(text: string, dimensions: number, scale = 1): Promise<number[]> {
  let e = embedders.get(dimensions);
  if (!e) embedders.set(dimensions, (e = createHashingEmbedder({ dimensions })));
  const [v] = await e.embed([understood(text)]);
  // A text with nothing the hashing embedder reads still gets a direction, as from a real model.
  if (v.every((x) => x === 0)) v[0] = 1;
  return Array.from(v, (x) => x * scale);
}
