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
  /** The tables as they stand (built first if a change left them stale), for `createCatalogNames(…, { restored })` in a later process. */
  snapshot(): CatalogNamesSnapshot;
}

/**
 * The finder's tables as plain data (persisted-classifier.ts keeps them in DATA_DIR): names by
 * folded key, each with the series carrying it, and the bitsets and typo table built from them.
 */
export interface CatalogNamesSnapshot {
  ids: string[];
  keys: string[];
  /** Per key: 1 when any series has it as a title. */
  keyIsTitle: Uint8Array;
  /** Series of key k: `kindIds[kindOffsets[k] .. kindOffsets[k+1])` (indexes into `ids`), with `kindIsTitle` beside. */
  kindOffsets: Int32Array;
  kindIds: Int32Array;
  kindIsTitle: Uint8Array;
  /** Keys of series i (indexes into `keys`): `seriesKeys[seriesOffsets[i] .. seriesOffsets[i+1])`. */
  seriesOffsets: Int32Array;
  seriesKeys: Int32Array;
  prefixes: Uint32Array;
  full: Uint32Array;
  knownWords: Uint32Array;
  typoText: Uint16Array;
  typoStart: Int32Array;
  typoKeys: Int32Array;
  typoValues: Int32Array;
}

/** Options of `createCatalogNames`. */
export interface CatalogNamesOptions {
  /** Words (lower-case Latin) and Japanese phrases of ordinary conversation; a name made only of them is not indexed. */
  ordinary?: OrdinaryVocabulary;
  /** Tables of an earlier `snapshot()` over the same series and vocabulary, used instead of building them. @default built from the series */
  restored?: CatalogNamesSnapshot;
}

/** Ordinary conversation vocabulary, for telling "Thank you" the phrase from "Thank you" the series. */
export interface OrdinaryVocabulary {
  /** Folded Latin words of ordinary conversation. */
  readonly words: ReadonlySet<string>;
  /** True when the folded Japanese name is an ordinary phrase. */
  hasJapanese(name: string): boolean;
  /** The ordinary Japanese phrases themselves (what `hasJapanese` checks), to be stored. */
  readonly phrases: ReadonlySet<string>;
  /** Folded Latin words of the language (used in the labelled data): never corrected into a name word. */
  readonly languageWords: ReadonlySet<string>;
}

const SPACE = 32;
const MAX_NAME = 64;
/** Shortest name indexed, in folded characters: Latin 2 (JJK, OP), Japanese 2 (亜人, 大奥). */
const MIN_LATIN = 2;
const MIN_CJK = 2;

function isLatin(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 0xdf && c <= 0x24f);
}

function isLetter(c: number): boolean {
  return c >= 97 && c <= 122;
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
const WORD_CHAR = /[a-z0-9\u00c0-\u024f'’]/;

/** Folded text: character codes, each with the index of the input character it came from. */
class Folded {
  chars = new Uint16Array(256);
  from = new Int32Array(256);
  length = 0;
  /** Empties the buffer, making room for up to `capacity` characters. */
  reset(capacity: number): void {
    if (capacity > this.chars.length) {
      let size = this.chars.length;
      while (size < capacity) size <<= 1;
      this.chars = new Uint16Array(size);
      this.from = new Int32Array(size);
    }
    this.length = 0;
  }
  push(c: number, at: number): void {
    this.chars[this.length] = c;
    this.from[this.length++] = at;
  }
  key(start: number, end: number): string {
    return String.fromCharCode.apply(null, this.chars.subarray(start, end) as unknown as number[]);
  }
  /** Replaces `[start, end)` by `codes`, all mapped to the input span of what they replace. */
  replace(start: number, end: number, codes: Uint16Array): void {
    const first = this.from[start];
    const last = this.from[end - 1];
    const tail = this.length - end;
    const grown = this.length - (end - start) + codes.length;
    if (grown > this.chars.length) {
      const chars = new Uint16Array(grown * 2);
      const from = new Int32Array(grown * 2);
      chars.set(this.chars.subarray(0, this.length));
      from.set(this.from.subarray(0, this.length));
      this.chars = chars;
      this.from = from;
    }
    this.chars.copyWithin(start + codes.length, end, end + tail);
    this.from.copyWithin(start + codes.length, end, end + tail);
    this.chars.set(codes, start);
    for (let k = 0; k < codes.length; k++) this.from[start + k] = k === codes.length - 1 ? last : first;
    this.length = grown;
  }
}

/**
 * Folds text into the characters names are compared on, remembering where each came from.
 * Input is NFKC-normalised and lower-cased already (the classifier's feature string).
 */
function fold(text: string, out: Folded): void {
  out.reset(text.length * 2 + 2);
  let pendingSeparator = false;
  let prev = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c |= 0x20;
    else if (c >= 0x30a1 && c <= 0x30f6) c -= 0x60; // katakana → hiragana
    else if (c >= 0xc0 && c <= 0x24f) c = BASE_LETTER.get(c) ?? c;
    else if (c >= 49 && c <= 57) c = 48; // every number reads as 0, as in the feature string
    // Apostrophes vanish (Journey's → journeys); other punctuation and spaces separate.
    if (c === 39 || c === 0x2019 || c === 96 || c === 0xb4) continue;
    const latin = isLatin(c);
    if (!latin && !isCjk(c)) {
      pendingSeparator = true;
      continue;
    }
    if (latin && !pendingSeparator) {
      // Romaji long vowels: ou → o, doubled vowels → one (Kyoujin, Kyojin and Kyōjin meet); digit runs → one 0.
      if ((VOWELS.has(c) && (c === prev || (c === 117 && prev === 111))) || (c === 48 && prev === 48)) continue;
    }
    // A separator between two Latin words is one space; next to Japanese it is nothing.
    if (latin && pendingSeparator && prev !== 0 && isLatin(prev)) out.push(SPACE, i);
    pendingSeparator = false;
    out.push(c, i);
    prev = c;
  }
}

const scratch = new Folded();

/** The folded form of a name, as a string (the key names are stored under). */
export function foldName(name: string): string {
  // NFKC is the slow part and changes nothing in plain ASCII, which most imported names are.
  fold((ASCII.test(name) ? name : name.normalize('NFKC')).toLowerCase(), scratch);
  return scratch.key(0, scratch.length);
}

const ASCII = /^[\x00-\x7f]*$/;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function step(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME);
}

/** A bitset probed with two bits per hash (a Bloom filter): a miss is certain, a hit is likely. */
class HashBits {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  constructor(expected: number, stored?: Uint32Array) {
    let size = 1 << 16;
    while (size < expected * 12 && size < 1 << 28) size <<= 1;
    if (stored) size = stored.length << 5;
    this.bits = stored ?? new Uint32Array(size >>> 5);
    this.mask = size - 1;
  }
  /** The bits themselves, for a snapshot. */
  get words(): Uint32Array {
    return this.bits;
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
  /** "title" when any series has it as a title, else "author". */
  kind: NameKind;
}

function touchesSpace(chars: Uint16Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (chars[k] === SPACE) return true;
  return false;
}

function touches(positions: Set<number>, start: number, end: number): boolean {
  for (let k = start; k <= end; k++) if (positions.has(k)) return true;
  return false;
}

/** Mixes a 32-bit hash: FNV's low bits are poorly spread for short strings, and tables index by them. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/** `hashWithout` of a whole string. */
function hashOfString(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = step(h, text.charCodeAt(i));
  return mix(h);
}

/** Hash of `codes[start, end)` without the character at `skip` (-1: none). */
function hashWithout(codes: Uint16Array, start: number, end: number, skip: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) if (i !== skip) h = step(h, codes[i]);
  return mix(h);
}

/**
 * The words of the catalog's Latin names, findable from a misspelling one edit away
 * ("jujustu" → jujutsu, "slyer" → slayer, "peice" → piece) by symmetric deletion: every word and
 * its one-letter deletions are hashed into an open-addressing table of word numbers, and a
 * misspelling meets its word in one of its own deletions. No string is made while looking up.
 */
class TypoIndex {
  /** Every word's characters, one after the other; word `id` is `text[start[id], start[id + 1])`. */
  private readonly text: Uint16Array;
  private readonly start: Int32Array;
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  // Rows of the edit-distance table, reused (lookups are synchronous, one at a time).
  private readonly rows = [new Int32Array(MAX_NAME + 2), new Int32Array(MAX_NAME + 2), new Int32Array(MAX_NAME + 2)];
  constructor(words: readonly string[], stored?: Pick<CatalogNamesSnapshot, 'typoText' | 'typoStart' | 'typoKeys' | 'typoValues'>) {
    if (stored) {
      this.text = stored.typoText;
      this.start = stored.typoStart;
      this.keys = stored.typoKeys;
      this.values = stored.typoValues;
      this.mask = stored.typoValues.length - 1;
      return;
    }
    let chars = 0;
    for (const w of words) chars += w.length;
    this.text = new Uint16Array(chars);
    this.start = new Int32Array(words.length + 1);
    let at = 0;
    words.forEach((w, id) => {
      this.start[id] = at;
      for (let i = 0; i < w.length; i++) this.text[at++] = w.charCodeAt(i);
    });
    this.start[words.length] = at;
    let size = 1024;
    while (size < (chars + words.length) * 2) size <<= 1;
    const keys = new Int32Array(size);
    const values = new Int32Array(size).fill(-1);
    const mask = size - 1;
    const text = this.text;
    for (let id = 0; id < words.length; id++) {
      const from = this.start[id];
      const to = this.start[id + 1];
      for (let skip = from - 1; skip < to; skip++) {
        const h = hashWithout(text, from, to, skip);
        let slot = h & mask;
        while (values[slot] !== -1) slot = (slot + 1) & mask;
        keys[slot] = h;
        values[slot] = id;
      }
    }
    this.keys = keys;
    this.values = values;
    this.mask = mask;
  }

  /** The tables, for a snapshot. */
  get tables(): Pick<CatalogNamesSnapshot, 'typoText' | 'typoStart' | 'typoKeys' | 'typoValues'> {
    return { typoText: this.text, typoStart: this.start, typoKeys: this.keys, typoValues: this.values };
  }

  /** The only name word one edit from `codes[start, end)`, as its characters, if there is exactly one. */
  correct(codes: Uint16Array, start: number, end: number): Uint16Array | undefined {
    let best = -1;
    for (let skip = start - 1; skip < end; skip++) {
      const h = hashWithout(codes, start, end, skip);
      for (let slot = h & this.mask; this.values[slot] !== -1; slot = (slot + 1) & this.mask) {
        if (this.keys[slot] !== h) continue;
        const id = this.values[slot];
        if (id === best || this.distance(codes, start, end, id) > 1) continue;
        // Two different words one edit away: ambiguous, no correction.
        if (best !== -1) return undefined;
        best = id;
      }
    }
    return best === -1 ? undefined : this.text.subarray(this.start[best], this.start[best + 1]);
  }

  /** Optimal-string-alignment distance (edits and adjacent swaps) to word `id`, capped at 2. */
  private distance(a: Uint16Array, start: number, end: number, id: number): number {
    const b = this.text;
    const b0 = this.start[id];
    const n = end - start;
    const m = this.start[id + 1] - b0;
    if (Math.abs(n - m) > 1 || m > MAX_NAME || n > MAX_NAME) return 2;
    let [prev2, prev, cur] = this.rows;
    for (let j = 0; j <= m; j++) prev[j] = j;
    for (let i = 1; i <= n; i++) {
      cur[0] = i;
      const ai = a[start + i - 1];
      for (let j = 1; j <= m; j++) {
        let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai === b[b0 + j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && ai === b[b0 + j - 2] && a[start + i - 2] === b[b0 + j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
      }
      [prev2, prev, cur] = [prev, cur, prev2];
    }
    return Math.min(prev[m], 2);
  }
}

// Hepburn romaji of hiragana (katakana is folded to hiragana first), for hiragana typed where a
// romaji title is catalogued: じゅじゅつかいせん = Jujutsu Kaisen, きめつのやいば = Kimetsu no
// Yaiba. A table instead of a library call: this runs on messages, in well under a microsecond.
const ROMAJI = new Map<number, string>();
{
  const rows = 'あ a い i う u え e お o か ka き ki く ku け ke こ ko が ga ぎ gi ぐ gu げ ge ご go さ sa し shi す su せ se そ so ざ za じ ji ず zu ぜ ze ぞ zo た ta ち chi つ tsu て te と to だ da ぢ ji づ zu で de ど do な na に ni ぬ nu ね ne の no は ha ひ hi ふ fu へ he ほ ho ば ba び bi ぶ bu べ be ぼ bo ぱ pa ぴ pi ぷ pu ぺ pe ぽ po ま ma み mi む mu め me も mo や ya ゆ yu よ yo ら ra り ri る ru れ re ろ ro わ wa ゐ i ゑ e を o ん n ゔ vu';
  const parts = rows.split(' ');
  for (let i = 0; i < parts.length; i += 2) ROMAJI.set(parts[i].charCodeAt(0), parts[i + 1]);
}
const SMALL_Y = new Map([[0x3083, 'a'], [0x3085, 'u'], [0x3087, 'o']]); // ゃゅょ
const SMALL_VOWEL = new Map([[0x3041, 'a'], [0x3043, 'i'], [0x3045, 'u'], [0x3047, 'e'], [0x3049, 'o']]); // ぁぃぅぇぉ
const SOKUON = 0x3063; // っ
const LONG_MARK = 0x30fc; // ー

function isKana(c: number): boolean {
  return (c >= 0x3041 && c <= 0x3096) || c === LONG_MARK;
}

/** Romaji of `chars[start, end)` (hiragana), with `offsets[k - start]` the romaji length before kana k. */
function romajiOf(chars: Uint16Array, start: number, end: number, offsets: number[]): string {
  let out = '';
  offsets.length = 0;
  let double = false;
  for (let k = start; k < end; k++) {
    offsets.push(out.length);
    const c = chars[k];
    if (c === SOKUON) {
      double = true;
      continue;
    }
    if (c === LONG_MARK) continue; // a repeated vowel, which folding drops anyway
    const y = SMALL_Y.get(c);
    const v = SMALL_VOWEL.get(c);
    if ((y || v) && out.length > 0) {
      // きゃ kya, しゃ sha, ちゅ chu, じょ jo; ふぁ fa, てぃ ti, ちぇ che, うぃ wi
      const last = out[out.length - 1];
      if (y) out = /(sh|ch|j)i$/.test(out) ? out.slice(0, -1) + y : last === 'i' ? out.slice(0, -1) + 'y' + y : out + y;
      else out = 'aeiou'.includes(last) ? (out.endsWith('u') && out.length === 1 ? 'w' : out.slice(0, -1)) + v : out + v;
      continue;
    }
    let r = ROMAJI.get(c) ?? (y ?? v ?? '');
    if (double && r) r = (r.startsWith('ch') ? 't' : r[0]) + r;
    double = false;
    out += r;
  }
  offsets.push(out.length);
  return out;
}

/** What may follow a title written in kana inside a sentence: particles and the usual requests. */
const AFTER_TITLE = /^(?:の|は|が|を|も|と|に|で|や|って|ある|あり|ください|ほし|ない|なら|だ|です|かな|か|、|。)/;
/** Kana names this short (ナナ, タッチ) are words too: found only standing alone. */
const SHORT_KANA_NAME = 3;

function allKana(chars: Uint16Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (!isKana(chars[k])) return false;
  return true;
}

/** Fewest kana a title found through its romaji must have (なな is a word before it is NANA). */
const MIN_KANA_TITLE = 4;

/** A misspelt word is corrected only into a name this long, or of two or more words ("lover" is not the series "Love"). */
const MIN_CORRECTED_NAME = 6;
/** Words shorter than this are never corrected (too many real words are one edit from a short name word). */
const MIN_TYPO_WORD = 4;

/** A title's head before its subtitle (": ", " - ", "〜", "―"). */
const SUBTITLE = /^(.+?)(?:\s*[:：]\s+|\s+[-–—]\s*|\s*[〜～―]|\s+-)/;

/** The names of one series, by kind. Authors also by "Family Given" order (Urasawa Naoki). */
function namesOf(s: Series): Array<[string, NameKind]> {
  const out: Array<[string, NameKind]> = [];
  for (const t of [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])]) {
    if (!t) continue;
    out.push([t, 'title']);
    // Customers drop subtitles: るろうに剣心 for 「るろうに剣心 -明治剣客浪漫譚-」, Kaguya-sama for "Kaguya-sama: Love Is War".
    const head = SUBTITLE.exec(t);
    if (head && head[1].trim().length >= 4) out.push([head[1], 'title']);
  }
  // Japanese author names (浦沢直樹) when the catalog has them.
  for (const a of s.authorsJa ?? []) out.push([a, 'author']);
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
  let typos = new TypoIndex([]);
  // Words never corrected: words of the names themselves and of the language.
  let knownWords = new HashBits(1);
  let dirty = true;
  let rebuildQueued = false;

  // Ordinary words by hash, so a name's words are checked without cutting strings out of it.
  const ordinaryWords = new HashBits(ordinary?.words.size ?? 0);
  for (const w of ordinary?.words ?? []) ordinaryWords.add(hashOfString(w));

  const indexable = (key: string): boolean => {
    if (key.length === 0 || key.length > MAX_NAME) return false;
    const latin = isLatin(key.charCodeAt(0)) && isLatin(key.charCodeAt(key.length - 1));
    if (latin && key.length < MIN_LATIN) return false;
    if (!latin && key.length < MIN_CJK) return false;
    if (!ordinary) return true;
    // Ordinary words are not names: every Latin word ordinary and the Japanese part an ordinary phrase.
    let japanese = false;
    let h = FNV_OFFSET;
    let inWord = false;
    for (let i = 0; i <= key.length; i++) {
      const c = i < key.length ? key.charCodeAt(i) : SPACE;
      if (isLatin(c)) {
        h = step(inWord ? h : FNV_OFFSET, c);
        inWord = true;
        continue;
      }
      if (inWord && !ordinaryWords.has(mix(h))) return true;
      inWord = false;
      if (c !== SPACE) japanese = true;
    }
    return japanese && !ordinary.hasJapanese(key.replace(/[ a-z0-9\u00df-\u024f]+/g, ''));
  };

  const addSeries = (s: Series): void => {
    const keys: string[] = [];
    const add = (key: string, kind: NameKind): void => {
      if (!indexable(key)) return;
      let entry = byName.get(key);
      if (!entry) byName.set(key, (entry = { kinds: new Map(), kind }));
      entry.kinds.set(s.id, kind);
      if (kind === 'title') entry.kind = 'title';
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
      else entry.kind = [...entry.kinds.values()].includes('title') ? 'title' : 'author';
    }
    namesOfSeries.delete(id);
  };

  // The bitsets and typo table are built on the first lookup, and again soon after a change.
  const rebuild = (): void => {
    let total = 0;
    for (const key of byName.keys()) total += key.length;
    prefixes = new HashBits(total);
    full = new HashBits(byName.size);
    const nameWords = new Set<string>();
    for (const key of byName.keys()) {
      let h = FNV_OFFSET;
      let wordStart = 0;
      let plainWord = true;
      for (let i = 0; i <= key.length; i++) {
        const c = i < key.length ? key.charCodeAt(i) : SPACE;
        if (i < key.length) {
          h = step(h, c);
          prefixes.add(h);
        }
        // The a-z words of Latin names, for typo correction.
        if (c === SPACE) {
          if (plainWord && i - wordStart >= MIN_TYPO_WORD) nameWords.add(key.slice(wordStart, i));
          wordStart = i + 1;
          plainWord = true;
        } else if (!isLetter(c)) plainWord = false;
      }
      full.add(h);
    }
    typos = new TypoIndex([...nameWords]);
    const language = ordinary?.languageWords ?? new Set<string>();
    knownWords = new HashBits(nameWords.size + language.size);
    for (const words of [nameWords, language]) for (const w of words) knownWords.add(hashOfString(w));
    dirty = false;
  };

  /**
   * Corrects misspelt Latin words in the folded text into name words, in place; returns the
   * positions (in the corrected text) of corrected characters, or undefined when none was.
   */
  const correctTypos = (text: Folded): Set<number> | undefined => {
    let corrected: Set<number> | undefined;
    let i = 0;
    while (i < text.length) {
      if (!isLetter(text.chars[i])) {
        i++;
        continue;
      }
      let end = i;
      let plain = true; // a-z only: accents and digits are never typos here
      while (end < text.length && isLatin(text.chars[end])) {
        if (!isLetter(text.chars[end])) plain = false;
        end++;
      }
      const fix = plain && end - i >= MIN_TYPO_WORD && !knownWords.has(hashWithout(text.chars, i, end, -1)) ? typos.correct(text.chars, i, end) : undefined;
      if (fix) {
        text.replace(i, end, fix);
        corrected ??= new Set();
        for (let k = i; k < i + fix.length; k++) corrected.add(k);
        end = i + fix.length;
      }
      i = end;
    }
    return corrected;
  };

  /** Takes the tables of a snapshot instead of adding the series and building them. */
  const restore = (r: CatalogNamesSnapshot): void => {
    r.keys.forEach((key, k) => {
      const kinds = new Map<string, NameKind>();
      for (let j = r.kindOffsets[k]; j < r.kindOffsets[k + 1]; j++) kinds.set(r.ids[r.kindIds[j]], r.kindIsTitle[j] ? 'title' : 'author');
      byName.set(key, { kinds, kind: r.keyIsTitle[k] ? 'title' : 'author' });
    });
    r.ids.forEach((id, i) => {
      const keys: string[] = [];
      for (let j = r.seriesOffsets[i]; j < r.seriesOffsets[i + 1]; j++) keys.push(r.keys[r.seriesKeys[j]]);
      namesOfSeries.set(id, keys);
    });
    prefixes = new HashBits(0, r.prefixes);
    full = new HashBits(0, r.full);
    knownWords = new HashBits(0, r.knownWords);
    typos = new TypoIndex([], r);
    dirty = false;
  };

  const snapshot = (): CatalogNamesSnapshot => {
    if (dirty) rebuild();
    const ids = [...new Set([...namesOfSeries.keys(), ...[...byName.values()].flatMap((e) => [...e.kinds.keys()])])];
    const idIndex = new Map(ids.map((id, i) => [id, i]));
    const keys = [...byName.keys()];
    const keyIndex = new Map(keys.map((key, k) => [key, k]));
    const kindOffsets = new Int32Array(keys.length + 1);
    const kindIds: number[] = [];
    const kindIsTitle: number[] = [];
    const keyIsTitle = new Uint8Array(keys.length);
    keys.forEach((key, k) => {
      const entry = byName.get(key) as Entry;
      keyIsTitle[k] = entry.kind === 'title' ? 1 : 0;
      for (const [id, kind] of entry.kinds) {
        kindIds.push(idIndex.get(id) as number);
        kindIsTitle.push(kind === 'title' ? 1 : 0);
      }
      kindOffsets[k + 1] = kindIds.length;
    });
    const seriesOffsets = new Int32Array(ids.length + 1);
    const seriesKeys: number[] = [];
    ids.forEach((id, i) => {
      for (const key of namesOfSeries.get(id) ?? []) seriesKeys.push(keyIndex.get(key) as number);
      seriesOffsets[i + 1] = seriesKeys.length;
    });
    return {
      ids, keys, keyIsTitle, kindOffsets, kindIds: Int32Array.from(kindIds), kindIsTitle: Uint8Array.from(kindIsTitle),
      seriesOffsets, seriesKeys: Int32Array.from(seriesKeys),
      prefixes: prefixes.words, full: full.words, knownWords: knownWords.words, ...typos.tables,
    };
  };

  if (options.restored) restore(options.restored);
  else for (const s of series) addSeries(s);

  // Reused between calls: lookups are synchronous and one at a time.
  const folded = new Folded();

  function find(text: string): NameSpan[] {
    if (dirty) rebuild();
    fold(text, folded);
    const corrected = correctTypos(folded);
    const { chars, from, length: n } = folded;
    const spans: NameSpan[] = [];
    let i = 0;
    while (i < n) {
      const c = chars[i];
      // A Latin name starts at a word start; a Japanese one anywhere.
      if (c === SPACE || (isLatin(c) && i > 0 && isLatin(chars[i - 1]))) {
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
        const entry = byName.get(folded.key(i, j + 1));
        if (!entry) continue;
        // A short name in kana must stand as a word of its own: ナナ in 「ナナある？」, not in 「ななつの…」.
        if (j + 1 - i <= SHORT_KANA_NAME && allKana(chars, i, j + 1) && !standsAlone(i, j + 1)) continue;
        // A name reached through a corrected typo must be long enough not to be a coincidence.
        if (corrected && j + 1 - i < MIN_CORRECTED_NAME && !touchesSpace(chars, i, j + 1) && touches(corrected, i, j)) continue;
        bestEnd = j;
        bestKind = entry.kind;
      }
      if (bestEnd >= 0) {
        let end = from[bestEnd] + 1;
        // Folding may have dropped the end of the last word ("arigatou" matched as "arigato"): the span takes the whole word.
        if (isLatin(chars[bestEnd])) while (end < text.length && WORD_CHAR.test(text[end])) end++;
        spans.push({ start: from[i], end, kind: bestKind });
        i = bestEnd + 1;
      } else if (isKana(c) && (i === 0 || !isKana(chars[i - 1]))) {
        // A run of kana that starts no catalogued Japanese name may still be a romaji title typed in kana.
        let runEnd = i;
        while (runEnd < n && isKana(chars[runEnd])) runEnd++;
        const end = romajiTitleEnd(i, runEnd);
        if (end > 0) {
          spans.push({ start: from[i], end: from[end - 1] + 1, kind: 'title' });
          i = end;
        } else i++;
      } else i++;
    }
    return spans;
  }

  /** True when the kana span `[start, end)` of the folded text is not inside a longer run of kana (a particle may follow). */
  function standsAlone(start: number, end: number): boolean {
    const { chars, length } = folded;
    if (start > 0 && isKana(chars[start - 1])) return false;
    return end >= length || !isKana(chars[end]) || AFTER_TITLE.test(folded.key(end, Math.min(length, end + 4)));
  }

  const offsets: number[] = [];
  /** The end of the longest kana span from `start` (inside the run ending at `runEnd`) whose romaji is a title, or -1. */
  function romajiTitleEnd(start: number, runEnd: number): number {
    if (runEnd - start < MIN_KANA_TITLE) return -1;
    const chars = folded.chars;
    const roman = romajiOf(chars, start, runEnd, offsets);
    for (let end = runEnd; end - start >= MIN_KANA_TITLE; end--) {
      if (end < runEnd && !AFTER_TITLE.test(folded.key(end, Math.min(runEnd, end + 4)))) continue;
      const entry = byName.get(foldName(roman.slice(0, offsets[end - start])));
      if (!entry || entry.kind !== 'title') continue;
      // Ordinary Japanese is not a title (ありがとう reads "arigato", and a series is called that).
      if (ordinary?.hasJapanese(folded.key(start, end))) continue;
      return end;
    }
    return -1;
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
      // Rebuilt right after the change (an import's 15,000 series take ~0.3 s of CPU), not
      // inside the next customer's message; several changes in one turn share one rebuild.
      if (!rebuildQueued) {
        rebuildQueued = true;
        setImmediate(() => {
          rebuildQueued = false;
          if (dirty) rebuild();
        }).unref();
      }
    },
    get size() {
      return byName.size;
    },
    snapshot,
  };
}

/**
 * Ordinary vocabulary from labelled utterances: `ordinaryTexts` are those of the intents about
 * the conversation or the store rather than a title (chit-chat, escalation, policies) — their
 * Latin words and Japanese substrings of 2-8 characters used in at least `minCount` of them are
 * ordinary; `allTexts` give the words of the language (used in at least `minCount` utterances of
 * any intent), which are never taken for a misspelt name.
 */
export function ordinaryVocabulary(ordinaryTexts: readonly string[], allTexts: readonly string[] = ordinaryTexts, minCount = 2): OrdinaryVocabulary {
  const foldText = (text: string): string => foldName(text);
  const wordsOf = (s: string): Set<string> => new Set(s.split(/[^a-z0-9\u00df-\u024f]+/).filter((w) => w.length > 0));
  const counted = (sets: Iterable<Set<string>>): Set<string> => {
    const count = new Map<string, number>();
    for (const set of sets) for (const x of set) count.set(x, (count.get(x) ?? 0) + 1);
    return new Set([...count].filter(([, n]) => n >= minCount).map(([x]) => x));
  };
  const ordinaryFolded = ordinaryTexts.map(foldText);
  const words = counted(ordinaryFolded.map(wordsOf));
  const language = counted(allTexts.map((t) => wordsOf(foldText(t))));
  const phrases = counted(
    ordinaryFolded.map((s) => {
      const set = new Set<string>();
      for (const run of s.split(/[ a-z0-9\u00df-\u024f]+/)) {
        for (let a = 0; a < run.length; a++) for (let len = 2; len <= 8 && a + len <= run.length; len++) set.add(run.slice(a, a + len));
      }
      return set;
    }),
  );
  return storedOrdinaryVocabulary({ words, phrases, languageWords: language });
}

/** The vocabulary of its parts, as `ordinaryVocabulary` made them (persisted-classifier.ts stores them). */
export function storedOrdinaryVocabulary(parts: { words: ReadonlySet<string>; phrases: ReadonlySet<string>; languageWords: ReadonlySet<string> }): OrdinaryVocabulary {
  const { words, phrases, languageWords } = parts;
  return { words, phrases, hasJapanese: (name) => phrases.has(name), languageWords };
}
