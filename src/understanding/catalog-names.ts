// Catalog names in a customer's message: series titles (romaji, English, Japanese, aliases) and
// author names, found by exact match after folding away what customers vary — case, width,
// katakana vs hiragana (チェンソーマン = ちぇんそーまん), punctuation and spacing inside a name
// (ヴィンランド・サガ = ヴィンランドサガ, Spy×Family = spy family), apostrophes (Journey's =
// journeys), Latin accents and romaji long vowels (Kyoujin = Kyojin, Itou = Ito). The classifier
// replaces what is found by one placeholder per kind, so "Goodnight Punpun" reads as a title,
// not as "good night", and "Naruto or Bleach?" as "<title> or <title>?".
//
// Hand-written rather than an Aho-Corasick package: the automaton of 75,000 names (15,000
// series) as JavaScript objects takes hundreds of MB, while the folding above must run over the
// message and the names alike. Here a name is looked up from each possible start with a rolling
// hash, and a bitset of every name prefix stops the extension as soon as no name can continue:
// a message costs a few hash steps per character, and memory is two small bitsets plus one map.
//
// Names that are ordinary words of the conversation ("Thank you", "Help Me", "Real", "ONE" are
// all series or authors) are not names here: a name made only of words the store's own chit-chat,
// escalation and policy examples use is left alone, as is a Japanese name they contain.

import type { Series } from '../catalog/types.ts';

/** What kind of catalog name a span is. */
export type NameKind = 'title' | 'author';

/** One catalog name found in a text: `start`/`end` index the text given to `find`. */
export interface NameSpan {
  start: number;
  end: number;
  kind: NameKind;
}

/** Live catalog names: what the classifier asks, and what the catalog's change events update. */
export interface CatalogNames {
  /** Non-overlapping names in `text` (longest first from the left), in order. */
  find(text: string): NameSpan[];
  /** Applies a catalog change: names of written series replace their old ones, removed series' names go. */
  update(changed: readonly Series[], removedIds: readonly string[]): void;
  /** Number of distinct names indexed. */
  readonly size: number;
}

/** Options of `createCatalogNames`. */
export interface CatalogNamesOptions {
  /** Words (lower-case Latin) and Japanese phrases of ordinary conversation; a name made only of them is not indexed. */
  ordinary?: OrdinaryVocabulary;
}

/** Ordinary conversation vocabulary, for telling "Thank you" the phrase from "Thank you" the series. */
export interface OrdinaryVocabulary {
  /** True when every word of the folded Latin name is an ordinary word. */
  coversLatin(words: readonly string[]): boolean;
  /** True when the folded Japanese name is an ordinary phrase. */
  hasJapanese(name: string): boolean;
}

const SPACE = 32;
const MAX_NAME = 64;
/** Shortest name indexed, in folded characters: Latin 2 (JJK, OP), Japanese 2 (亜人, 大奥). */
const MIN_LATIN = 2;
const MIN_CJK = 2;

function isLatin(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 0xdf && c <= 0x24f);
}

function isCjk(c: number): boolean {
  return (
    (c >= 0x3041 && c <= 0x309f) || // hiragana (katakana is folded to it first)
    (c >= 0x30a1 && c <= 0x30fa) ||
    c === 0x30fc || // ー, the long vowel mark: チェンソーマン
    c === 0x30fd ||
    c === 0x30fe ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    c === 0x3005 // 々
  );
}

// Latin letters with marks fold to their base letter (Ōoku → ooku, Pokémon → pokemon).
const BASE_LETTER = new Map<number, number>();
for (let c = 0xc0; c <= 0x24f; c++) {
  const base = String.fromCharCode(c).normalize('NFD').charCodeAt(0);
  if (base < 128) BASE_LETTER.set(c, base | 0x20);
}

const VOWELS = new Set([97, 101, 105, 111, 117]);

/**
 * Folds text into the characters names are compared on, remembering where each came from.
 * Input is already NFKC-normalised and lower-cased (the classifier's feature string).
 */
function fold(text: string, out: { chars: number[]; from: number[] }): void {
  const { chars, from } = out;
  chars.length = 0;
  from.length = 0;
  let pendingSeparator = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c |= 0x20;
    else if (c >= 0x30a1 && c <= 0x30f6) c -= 0x60; // katakana → hiragana
    else if (c >= 0xc0 && c <= 0x24f) c = BASE_LETTER.get(c) ?? c;
    // Apostrophes vanish (Journey's → journeys); other punctuation and spaces separate.
    if (c === 39 || c === 0x2019 || c === 96 || c === 0xb4) continue;
    const latin = isLatin(c);
    if (!latin && !isCjk(c)) {
      pendingSeparator = true;
      continue;
    }
    const prev = chars.length > 0 ? chars[chars.length - 1] : 0;
    if (latin) {
      // Romaji long vowels: ou → o, doubled vowels → one (Kyoujin, Kyojin and Kyōjin meet).
      if (!pendingSeparator && VOWELS.has(c) && (c === prev || (c === 117 && prev === 111))) continue;
      // A separator between two Latin words is one space; next to Japanese it is nothing.
      if (pendingSeparator && prev !== 0 && isLatin(prev)) {
        chars.push(SPACE);
        from.push(i);
      }
    }
    pendingSeparator = false;
    chars.push(c);
    from.push(i);
  }
}

/** The folded form of a name, as a string (the key names are stored under). */
export function foldName(name: string): string {
  const out = { chars: [] as number[], from: [] as number[] };
  fold(name.normalize('NFKC').toLowerCase().replace(/[0-9]+/g, '0'), out);
  return String.fromCharCode(...out.chars);
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function step(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME);
}

/** A bitset probed with two bits per hash (a Bloom filter): a miss is certain, a hit is likely. */
class HashBits {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  constructor(expected: number) {
    let size = 1 << 16;
    while (size < expected * 12 && size < 1 << 28) size <<= 1;
    this.bits = new Uint32Array(size >>> 5);
    this.mask = size - 1;
  }
  add(h: number): void {
    const a = h & this.mask;
    const b = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) & this.mask;
    this.bits[a >>> 5] |= 1 << (a & 31);
    this.bits[b >>> 5] |= 1 << (b & 31);
  }
  has(h: number): boolean {
    const a = h & this.mask;
    if ((this.bits[a >>> 5] & (1 << (a & 31))) === 0) return false;
    const b = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) & this.mask;
    return (this.bits[b >>> 5] & (1 << (b & 31))) !== 0;
  }
}

interface Entry {
  /** Kinds this folded name has, from every series that carries it. */
  kinds: Map<string, NameKind>;
}

/** The names of one series, by kind. Authors also by "Family Given" order (Urasawa Naoki). */
function namesOf(s: Series): Array<[string, NameKind]> {
  const out: Array<[string, NameKind]> = [];
  for (const t of [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])]) if (t) out.push([t, 'title']);
  for (const a of s.authors) {
    out.push([a, 'author']);
    const parts = a.trim().split(/\s+/);
    if (parts.length === 2) out.push([`${parts[1]} ${parts[0]}`, 'author']);
  }
  return out;
}

/** Builds the catalog-name finder over `series`; `update` keeps it in step with the catalog. */
export function createCatalogNames(series: readonly Series[], options: CatalogNamesOptions = {}): CatalogNames {
  const ordinary = options.ordinary;
  const byName = new Map<string, Entry>();
  const namesOfSeries = new Map<string, string[]>();
  let prefixes = new HashBits(1);
  let full = new HashBits(1);
  let dirty = true;

  const indexable = (key: string): boolean => {
    if (key.length === 0 || key.length > MAX_NAME) return false;
    const latin = isLatin(key.charCodeAt(0)) && isLatin(key.charCodeAt(key.length - 1));
    if (latin && key.length < MIN_LATIN) return false;
    if (!latin && key.length < MIN_CJK) return false;
    if (!ordinary) return true;
    // Ordinary words are not names: mixed names are judged by their Latin words.
    const words = key.split(/[^a-z0-9\u00df-\u024f]+/).filter((w) => w.length > 0);
    const japanese = key.replace(/[ a-z0-9\u00df-\u024f]+/g, '');
    const latinOrdinary = words.length === 0 || ordinary.coversLatin(words);
    const japaneseOrdinary = japanese.length === 0 || ordinary.hasJapanese(japanese);
    return !(latinOrdinary && japaneseOrdinary);
  };

  const addSeries = (s: Series): void => {
    const keys: string[] = [];
    const add = (key: string, kind: NameKind): void => {
      if (!indexable(key)) return;
      let entry = byName.get(key);
      if (!entry) byName.set(key, (entry = { kinds: new Map() }));
      entry.kinds.set(s.id, kind);
      keys.push(key);
    };
    for (const [name, kind] of namesOf(s)) {
      const key = foldName(name);
      add(key, kind);
      // Latin titles run together are typed too: "chainsawman", "onepiece", "spyxfamily".
      if (kind === 'title' && key.includes(' ') && /^[ a-z0-9\u00df-\u024f]+$/.test(key) && key.length >= 7) add(key.replace(/ /g, ''), kind);
    }
    namesOfSeries.set(s.id, keys);
  };

  const removeSeries = (id: string): void => {
    for (const key of namesOfSeries.get(id) ?? []) {
      const entry = byName.get(key);
      if (!entry) continue;
      entry.kinds.delete(id);
      if (entry.kinds.size === 0) byName.delete(key);
    }
    namesOfSeries.delete(id);
  };

  // The bitsets are rebuilt lazily on the first lookup after a change (an import is one change).
  const rebuild = (): void => {
    let total = 0;
    for (const key of byName.keys()) total += key.length;
    prefixes = new HashBits(total);
    full = new HashBits(byName.size);
    for (const key of byName.keys()) {
      let h = FNV_OFFSET;
      for (let i = 0; i < key.length; i++) {
        h = step(h, key.charCodeAt(i));
        prefixes.add(h);
      }
      full.add(h);
    }
    dirty = false;
  };

  for (const s of series) addSeries(s);

  // Reused between calls: lookups are synchronous and one at a time.
  const folded = { chars: [] as number[], from: [] as number[] };

  function find(text: string): NameSpan[] {
    if (dirty) rebuild();
    fold(text, folded);
    const { chars, from } = folded;
    const n = chars.length;
    const spans: NameSpan[] = [];
    let i = 0;
    while (i < n) {
      const c = chars[i];
      const latinStart = isLatin(c);
      // A Latin name starts at a word start; a Japanese one anywhere.
      if (c === SPACE || (latinStart && i > 0 && isLatin(chars[i - 1]))) {
        i++;
        continue;
      }
      let h = FNV_OFFSET;
      let bestEnd = -1;
      let bestKind: NameKind = 'title';
      for (let j = i; j < n && j - i < MAX_NAME; j++) {
        h = step(h, chars[j]);
        if (!prefixes.has(h)) break;
        if (!full.has(h)) continue;
        // A name ending in a Latin letter must end a word ("op" is not the start of "open").
        if (isLatin(chars[j]) && j + 1 < n && isLatin(chars[j + 1])) continue;
        const entry = byName.get(String.fromCharCode(...chars.slice(i, j + 1)));
        if (!entry) continue;
        bestEnd = j;
        bestKind = [...entry.kinds.values()].includes('title') ? 'title' : 'author';
      }
      if (bestEnd >= 0) {
        spans.push({ start: from[i], end: from[bestEnd] + 1, kind: bestKind });
        i = bestEnd + 1;
      } else i++;
    }
    return spans;
  }

  return {
    find,
    update(changed, removedIds) {
      for (const id of removedIds) removeSeries(id);
      for (const s of changed) {
        removeSeries(s.id);
        addSeries(s);
      }
      dirty = true;
    },
    get size() {
      return byName.size;
    },
  };
}

/**
 * Ordinary vocabulary from labelled utterances of the intents that are about the conversation
 * or the store rather than a title (chit-chat, escalation, policies): Latin words used in at
 * least `minCount` of them, and their Japanese substrings of 2-8 characters.
 */
export function ordinaryVocabulary(texts: readonly string[], minCount = 2): OrdinaryVocabulary {
  const wordCount = new Map<string, number>();
  const phraseCount = new Map<string, number>();
  const out = { chars: [] as number[], from: [] as number[] };
  for (const text of texts) {
    fold(text.normalize('NFKC').toLowerCase().replace(/[0-9]+/g, '0'), out);
    const s = String.fromCharCode(...out.chars);
    const words = new Set(s.split(/[^a-z0-9\u00df-\u024f]+/).filter((w) => w.length > 0));
    for (const w of words) wordCount.set(w, (wordCount.get(w) ?? 0) + 1);
    const phrases = new Set<string>();
    for (const run of s.split(/[ a-z0-9\u00df-\u024f]+/)) {
      for (let a = 0; a < run.length; a++) for (let len = 2; len <= 8 && a + len <= run.length; len++) phrases.add(run.slice(a, a + len));
    }
    for (const p of phrases) phraseCount.set(p, (phraseCount.get(p) ?? 0) + 1);
  }
  const words = new Set([...wordCount].filter(([, n]) => n >= minCount).map(([w]) => w));
  const phrases = new Set([...phraseCount].filter(([, n]) => n >= minCount).map(([p]) => p));
  return {
    coversLatin: (ws) => ws.length > 0 && ws.every((w) => words.has(w)),
    hasJapanese: (name) => phrases.has(name),
  };
}
