// BM25F lexical index over names, title and text, with replace-by-id.
//
// Hand-written after measuring minisearch (with the same tokenizer): its radix tree took ~8 s
// to index 16k catalog docs, because Japanese bigrams make a huge vocabulary and it builds
// prefix/fuzzy structures we never use. Exact-term postings in Maps index the same docs in
// well under a second, and scoring only needs exact lookups.
import { tokenize } from './tokenize.ts';
import { conceptsOf } from './concepts.ts';
import type { IndexedDoc } from './types.ts';

/** Options for {@link LexicalIndex}. */
export interface LexicalIndexOptions {
  /** Field weights; names (titles, aliases) count most because customers ask for titles. @default { names: 3, title: 2, text: 1 } */
  boost?: { names?: number; title?: number; text?: number };
  /** BM25 term-frequency saturation. @default 1.2 */
  k1?: number;
  /** BM25 length normalisation. @default 0.75 */
  b?: number;
}

const FIELDS = ['names', 'title', 'text'] as const;
/** Unfiltered searches kept (see `#answered`). */
const ANSWERED_MAX = 512;

/** A term's postings in one field, in slot order: plain arrays, or views into a stored snapshot until added to. */
interface Postings {
  slots: number[] | Int32Array;
  tfs: number[] | Int32Array;
}

/**
 * The whole state of an index built by one `upsert` of distinct documents into an empty index, as
 * flat arrays (src/retrieval/persisted-index.ts stores it): {@link LexicalIndex.restore} gives back
 * the same postings in the same order, so the same scores and ties as building from the terms.
 */
export interface LexicalSnapshot {
  /** Every term, in the order the index first met it. */
  vocabulary: string[];
  /** Live documents holding each vocabulary term. */
  df: Int32Array;
  /** Each document's distinct terms (vocabulary indices) from `docStarts[slot]` to `docStarts[slot + 1]`: what a replacement takes out of `df`. */
  docTerms: Int32Array;
  docStarts: Int32Array;
  /** Per field: its terms (vocabulary indices, in postings order), each one's postings from `starts[i]` to `starts[i + 1]` in `slots`/`tfs`, and every document's length. */
  fields: { terms: Int32Array; starts: Int32Array; slots: Int32Array; tfs: Int32Array; lengths: Int32Array }[];
}

/** A BM25F index (per-field length normalisation, field boosts) that can replace documents by id. */
export class LexicalIndex {
  #boost: number[];
  #k1: number;
  #b: number;
  #postings: Map<string, Postings>[] = FIELDS.map(() => new Map());
  /** Live documents containing each term in any field. */
  #df = new Map<string, number>();
  #ids: string[] = [];
  #slotOf = new Map<string, number>();
  #alive: boolean[] = [];
  /** Each slot's distinct terms; a restored slot's are read from the snapshot when it is replaced. */
  #terms: (string[] | undefined)[] = [];
  #restored: { vocabulary: string[]; docTerms: Int32Array; docStarts: Int32Array } | undefined;
  #docs: IndexedDoc[] = [];
  #lengths: number[][] = FIELDS.map(() => []);
  #totalLength = FIELDS.map(() => 0);
  #live = 0;
  // Per-query scratch, reused: a search at 16k documents must not allocate three arrays of 16k.
  #score = new Float64Array(0);
  #matched = new Uint16Array(0);
  #tf = new Float64Array(0);
  /**
   * Unfiltered searches already answered, by k and query: a message's speculative retrieval and
   * its recommendations ask the same query, and customers ask the same questions. Emptied by every
   * change to the index; least recently used out past the bound.
   */
  #answered = new Map<string, { id: string; score: number }[]>();

  /** Creates an empty index. */
  constructor(opts: LexicalIndexOptions = {}) {
    const boost = { names: 3, title: 2, text: 1, ...opts.boost };
    this.#boost = FIELDS.map((f) => boost[f]);
    this.#k1 = opts.k1 ?? 1.2;
    this.#b = opts.b ?? 0.75;
  }

  /**
   * Adds or replaces documents (a replaced doc is tombstoned; postings are compacted once a quarter
   * is dead). `analyzed[i]`, when given, is {@link analyzeDoc} of `docs[i]` read earlier (a stored index).
   */
  upsert(docs: IndexedDoc[], analyzed?: readonly (readonly (readonly string[])[])[]): void {
    this.#answered.clear();
    docs.forEach((d, i) => {
      const old = this.#slotOf.get(d.id);
      if (old !== undefined) this.#remove(old);
      this.#add(d, analyzed?.[i] ?? analyzeDoc(d));
    });
    const dead = this.#ids.length - this.#live;
    if (dead > 64 && dead > this.#ids.length / 4) this.#compact();
  }

  /** Top `k` document ids by BM25F score, best first, keeping only ids that pass `filter`. */
  search(query: string, k: number, filter?: (id: string) => boolean): { id: string; score: number }[] {
    if (filter) return this.#search(query, k, filter);
    const key = `${k}\u0000${query}`;
    let hits = this.#answered.get(key);
    if (hits) {
      this.#answered.delete(key);
    } else {
      hits = this.#search(query, k, undefined);
      if (this.#answered.size >= ANSWERED_MAX) this.#answered.delete(this.#answered.keys().next().value!);
    }
    this.#answered.set(key, hits);
    return hits.map(({ id, score }) => ({ id, score }));
  }

  #search(query: string, k: number, filter: ((id: string) => boolean) | undefined): { id: string; score: number }[] {
    const n = this.#ids.length;
    if (!this.#live || k <= 0) return [];
    if (this.#score.length < n) {
      const cap = Math.max(1024, n * 2);
      this.#score = new Float64Array(cap);
      this.#matched = new Uint16Array(cap);
      this.#tf = new Float64Array(cap);
    }
    const score = this.#score;
    const matched = this.#matched;
    const tf = this.#tf;
    // Only documents that matched a term are visited again (and reset) below.
    const hits: number[] = [];
    const touched: number[] = [];
    const avg = this.#totalLength.map((t) => (t > 0 ? t / this.#live : 1));
    // The concepts the query mentions are terms too ("pharmacist" meets "apothecary", 薬師 meets both).
    for (const term of new Set([...tokenize(query), ...conceptsOf(query)])) {
      const df = this.#df.get(term);
      if (!df) continue;
      const idf = Math.log(1 + (this.#live - df + 0.5) / (df + 0.5));
      touched.length = 0;
      for (let f = 0; f < FIELDS.length; f++) {
        const p = this.#postings[f].get(term);
        if (!p) continue;
        const lengths = this.#lengths[f];
        for (let i = 0; i < p.slots.length; i++) {
          const s = p.slots[i];
          if (!this.#alive[s]) continue;
          if (tf[s] === 0) touched.push(s);
          // BM25F: boosted, length-normalised tf summed over fields, saturated once below.
          tf[s] += (this.#boost[f] * p.tfs[i]) / (1 - this.#b + (this.#b * lengths[s]) / avg[f]);
        }
      }
      for (const s of touched) {
        if (matched[s] === 0) hits.push(s);
        score[s] += (idf * tf[s] * (this.#k1 + 1)) / (this.#k1 + tf[s]);
        matched[s]++;
        tf[s] = 0;
      }
    }
    const out: { id: string; score: number }[] = [];
    for (const s of hits) {
      const id = this.#ids[s];
      // A soft coordination factor: rewards matching more query terms without letting several
      // common terms outvote one rare, decisive one ("palace"); measured best on the eval set.
      if (!filter || filter(id)) out.push({ id, score: score[s] * Math.sqrt(matched[s]) });
      score[s] = 0;
      matched[s] = 0;
    }
    return topK(out, k);
  }

  /** How many live documents hold the term in any field (0 for an unknown term). */
  documentFrequency(term: string): number {
    return this.#df.get(term) ?? 0;
  }

  /** Ids of the live documents holding every one of the terms (in any field), at most `limit`, in index order. */
  withAll(terms: string[], limit: number): string[] {
    if (terms.length === 0) return [];
    const slotsOf = (term: string): Set<number> => {
      const out = new Set<number>();
      for (let f = 0; f < FIELDS.length; f++) for (const s of this.#postings[f].get(term)?.slots ?? []) if (this.#alive[s]) out.add(s);
      return out;
    };
    const sets = terms.map(slotsOf).sort((a, b) => a.size - b.size);
    const out: string[] = [];
    for (const s of sets[0]) {
      if (out.length >= limit) break;
      if (sets.every((set) => set.has(s))) out.push(this.#ids[s]);
    }
    return out;
  }

  /**
   * The index as flat arrays, when it is what one `upsert` of distinct documents into an empty
   * index built (every slot live, none restored), else undefined.
   */
  snapshot(): LexicalSnapshot | undefined {
    const n = this.#ids.length;
    if (this.#live !== n || this.#restored) return undefined;
    const index = new Map<string, number>();
    const vocabulary = [...this.#df.keys()];
    vocabulary.forEach((t, i) => index.set(t, i));
    const df = Int32Array.from(vocabulary, (t) => this.#df.get(t)!);
    const docStarts = new Int32Array(n + 1);
    for (let s = 0; s < n; s++) docStarts[s + 1] = docStarts[s] + this.#terms[s]!.length;
    const docTerms = new Int32Array(docStarts[n]);
    for (let s = 0, at = 0; s < n; s++) for (const t of this.#terms[s]!) docTerms[at++] = index.get(t)!;
    const fields = this.#postings.map((postings, f) => {
      const terms = new Int32Array(postings.size);
      const starts = new Int32Array(postings.size + 1);
      let i = 0;
      for (const [t, p] of postings) {
        terms[i] = index.get(t)!;
        starts[i + 1] = starts[i] + p.slots.length;
        i++;
      }
      const slots = new Int32Array(starts[postings.size]);
      const tfs = new Int32Array(starts[postings.size]);
      i = 0;
      for (const p of postings.values()) {
        slots.set(p.slots, starts[i]);
        tfs.set(p.tfs, starts[i]);
        i++;
      }
      return { terms, starts, slots, tfs, lengths: Int32Array.from(this.#lengths[f]) };
    });
    return { vocabulary, df, docTerms, docStarts, fields };
  }

  /**
   * Makes this empty index the one `snapshot` was taken of, `docs` being the documents it was built
   * from (in order); false, and nothing changed, when the index is not empty or the sizes disagree
   * (the caller then upserts). The postings stay views into the snapshot's arrays until added to.
   */
  restore(docs: IndexedDoc[], snap: LexicalSnapshot): boolean {
    const n = docs.length;
    if (this.#ids.length !== 0 || snap.docStarts.length !== n + 1 || snap.fields.length !== FIELDS.length || snap.fields.some((f) => f.lengths.length !== n)) return false;
    this.#answered.clear();
    const vocab = snap.vocabulary;
    this.#postings = snap.fields.map(({ terms, starts, slots, tfs }) => {
      const m = new Map<string, Postings>();
      for (let i = 0; i < terms.length; i++) m.set(vocab[terms[i]], { slots: slots.subarray(starts[i], starts[i + 1]), tfs: tfs.subarray(starts[i], starts[i + 1]) });
      return m;
    });
    this.#df = new Map();
    for (let i = 0; i < vocab.length; i++) this.#df.set(vocab[i], snap.df[i]);
    this.#ids = docs.map((d) => d.id);
    this.#slotOf = new Map(this.#ids.map((id, s) => [id, s]));
    this.#alive = new Array<boolean>(n).fill(true);
    this.#terms = new Array<string[] | undefined>(n);
    this.#restored = { vocabulary: vocab, docTerms: snap.docTerms, docStarts: snap.docStarts };
    this.#docs = docs.slice();
    this.#lengths = snap.fields.map((f) => Array.from(f.lengths));
    this.#totalLength = this.#lengths.map((l) => l.reduce((a, b) => a + b, 0));
    this.#live = n;
    return true;
  }

  /** Number of live documents. */
  size(): number {
    return this.#live;
  }

  #add(d: IndexedDoc, fields: readonly (readonly string[])[]): void {
    const slot = this.#ids.length;
    this.#ids.push(d.id);
    this.#slotOf.set(d.id, slot);
    this.#alive.push(true);
    this.#docs.push(d);
    this.#live++;
    const unique = new Set<string>();
    for (let f = 0; f < FIELDS.length; f++) {
      const tokens = fields[f];
      this.#lengths[f][slot] = tokens.length;
      this.#totalLength[f] += tokens.length;
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      const fieldPostings = this.#postings[f];
      for (const [t, c] of counts) {
        let p = fieldPostings.get(t);
        // A restored term's postings are views into the snapshot: copied once, when first added to.
        if (!p || !Array.isArray(p.slots)) fieldPostings.set(t, (p = { slots: p ? Array.from(p.slots) : [], tfs: p ? Array.from(p.tfs) : [] }));
        (p.slots as number[]).push(slot);
        (p.tfs as number[]).push(c);
        unique.add(t);
      }
    }
    for (const t of unique) this.#df.set(t, (this.#df.get(t) ?? 0) + 1);
    this.#terms[slot] = [...unique];
  }

  #remove(slot: number): void {
    this.#alive[slot] = false;
    this.#slotOf.delete(this.#ids[slot]);
    this.#live--;
    for (let f = 0; f < FIELDS.length; f++) this.#totalLength[f] -= this.#lengths[f][slot];
    for (const t of this.#termsOf(slot)) {
      const df = this.#df.get(t)! - 1;
      if (df) this.#df.set(t, df);
      else this.#df.delete(t);
    }
    this.#terms[slot] = [];
  }

  #termsOf(slot: number): string[] {
    const r = this.#restored;
    if (this.#terms[slot] || !r) return this.#terms[slot] ?? [];
    return Array.from(r.docTerms.subarray(r.docStarts[slot], r.docStarts[slot + 1]), (i) => r.vocabulary[i]);
  }

  #compact(): void {
    const live = this.#docs.filter((_, s) => this.#alive[s]);
    this.#postings = FIELDS.map(() => new Map());
    this.#df = new Map();
    this.#ids = [];
    this.#slotOf = new Map();
    this.#alive = [];
    this.#terms = [];
    this.#restored = undefined;
    this.#docs = [];
    this.#lengths = FIELDS.map(() => []);
    this.#totalLength = FIELDS.map(() => 0);
    this.#live = 0;
    for (const d of live) this.#add(d, analyzeDoc(d));
  }
}

/**
 * The terms a document is indexed by, per field (names; title; text): names as written, titles and
 * text also by the concepts they mention. A pure function of the document and this code, so a
 * stored index may keep it (src/retrieval/persisted-index.ts) instead of reading the texts again.
 */
export function analyzeDoc(d: IndexedDoc): string[][] {
  const texts = [(d.names ?? []).join('\n'), d.title, d.text];
  return FIELDS.map((_, f) => (f === 0 ? tokenize(texts[f]) : [...tokenize(texts[f]), ...conceptsOf(texts[f])]));
}

/** The snapshot of an index holding `docs` (one upsert, `terms[i]` = {@link analyzeDoc} of `docs[i]` when given); undefined when an id repeats. */
export function lexicalSnapshotOf(docs: IndexedDoc[], terms?: readonly (readonly (readonly string[])[])[]): LexicalSnapshot | undefined {
  const index = new LexicalIndex();
  index.upsert(docs, terms);
  return index.snapshot();
}

/** The `k` best by score, best first, without sorting every match (common terms match thousands). */
function topK<T extends { score: number }>(items: T[], k: number): T[] {
  if (items.length <= k * 4) return items.sort((a, b) => b.score - a.score).slice(0, k);
  // Quickselect-style threshold: keep items above the k-th best of a sample, then sort those.
  const scores = Float64Array.from(items, (x) => x.score).sort();
  const threshold = scores[scores.length - k];
  return items.filter((x) => x.score >= threshold).sort((a, b) => b.score - a.score).slice(0, k);
}
