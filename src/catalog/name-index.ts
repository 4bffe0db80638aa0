import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { Series, SeriesHit } from './types.ts';
import { foldRomaji, hasJapanese, nameTokens, normalizeName } from './normalize.ts';
import { foldKana, isKanaOnly, isRomajiWord, kanaToRomaji, loanFold, loanwordRomaji } from './kana.ts';

/**
 * Fuzzy series-name search, kept in memory and rebuilt from the catalog table.
 *
 * Hand-written rather than fuse.js/minisearch because the matching we need is specific:
 * romaji long-vowel folding (Kyoujin = Kyojin), several names per series with the matched
 * name reported, word-order-free partial titles, Japanese substrings without word breaks, kana
 * spellings of romaji titles (きめつのやいば), and — above all — a *confidence* that the customer
 * named this series, not just a similarity: a query must cover the whole title, or a part of it
 * that is rare (IDF over every series' names) and not shared by unrelated works ("next" is in
 * forty titles by forty authors and names none of them; "frieren" names one). Fuse scans every
 * record per query (tens of ms at 15,000 series); minisearch is token-prefix based and does not
 * do CJK substrings. A trigram inverted index for candidates plus token-level edit distance on
 * ~250 candidates stays well under a millisecond.
 */

/** Which of a series' names an index entry holds (reported as `matchedOn`). */
type Field = 'title' | 'titleEn' | 'titleJa' | 'alias' | 'author';

/** Searchable view of a set of series. */
export interface NameIndex {
  /**
   * Best-matching series first, at most `limit`, none below `minScore`. `reading` is the query's
   * reading in kana when a morphological analyser gave one (kanji queries against romaji-only titles).
   */
  search(query: string, limit: number, minScore?: number, reading?: string): SeriesHit[];
  /** Number of names indexed. */
  readonly size: number;
  /** The index as bytes, for loadNameIndex() to open instead of building it again (a stored copy beside the catalog). */
  serialize(): Uint8Array;
}

/** How many entries get exact scoring; the rest are cut by shared-trigram count. */
const MAX_CANDIDATES = 250;
/** How much popularity can reorder near-equal matches (a match score is 0..1): a tie-breaker only. */
const POPULARITY_WEIGHT = 0.03;
const DIGITS = /^\d+$/;
/** Hits below this score are noise (one shared short word). */
const DEFAULT_MIN_SCORE = 0.35;
/** A part of a longer name ("Steel Ball Run" of "JoJo ... Part 7: Steel Ball Run") counts a little less than a whole name. */
const SEGMENT_FACTOR = 0.93;
/** A match through a reading (kana → romaji) is one step removed from what the customer typed. */
const READING_FACTOR = 0.95;
/** A katakana loanword matched to an English title by spelling rules is one step further. */
const LOAN_FACTOR = 0.9;

/** 1 for the most popular series, towards 0 for rank ~20,000, 0 when unknown. */
function popularityPrior(s: Series): number {
  const rank = s.popularityRank;
  return rank === undefined || rank < 1 ? 0 : Math.max(0, 1 - Math.log10(rank) / Math.log10(20000));
}

/** Search tokens of a name or query: romaji-folded words, Japanese words with katakana folded to hiragana. */
function searchTokens(text: string): string[] {
  return nameTokens(text).map((t) => (hasJapanese(t) ? foldKana(t) : t));
}

/** A name written without spaces, romaji-folded across word joins ("kono oto" → "konoto"): what a kana spelling becomes. */
function compactOf(tokens: string[]): string {
  return foldRomaji(tokens.join(''));
}

// Subtitles after ": " or " - " are names of their own: customers say "Steel Ball Run", "Demon Slayer".
const SEGMENT_BREAK = /:\s+|\s+[-–—~〜～]\s+/;

/**
 * Trigrams of each token padded with spaces (" one ", " pie", ...), each as a number (three
 * UTF-16 code units, exact in a double): numbers hash and compare without building 600,000
 * substrings at start-up. Calls `visit` once per trigram occurrence.
 */
function forEachGram(tokens: string[], visit: (gram: number) => void): void {
  for (const t of tokens) {
    const n = t.length + 2;
    let a = 32;
    let b = t.charCodeAt(0);
    for (let i = 2; i < n; i++) {
      const c = i === n - 1 ? 32 : t.charCodeAt(i - 1);
      // Small integers when all three are Latin (no heap number per trigram), else above 2^30.
      visit((a | b | c) < 1024 ? (a << 20) | (b << 10) | c : 1073741824 + (a * 65536 + b) * 65536 + c);
      a = b;
      b = c;
    }
  }
}

function gramsOf(tokens: string[]): Set<number> {
  const grams = new Set<number>();
  forEachGram(tokens, (g) => grams.add(g));
  return grams;
}

// Rows of the edit-distance table, reused by every call (searches are synchronous).
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), capped at `max`. */
function editDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (m + 1 > rowA.length) {
    rowA = new Int32Array(2 * (m + 1));
    rowB = new Int32Array(2 * (m + 1));
    rowC = new Int32Array(2 * (m + 1));
  }
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

/** Typos tolerated in a word of this length: none up to 3 letters, one up to 7, two from 8. */
function allowedEdits(length: number): number {
  return length <= 3 ? 0 : length <= 7 ? 1 : 2;
}

/** Similarity of one query word to one name word: exact, prefix (still typing), or small typo. */
function tokenSimilarity(q: string, n: string): number {
  if (q === n) return 1;
  if (q.length >= 4 && n.startsWith(q)) return 0.6 + (0.35 * q.length) / n.length;
  const max = allowedEdits(Math.min(q.length, n.length));
  // A typo rarely hits the first letter; requiring it keeps "baby" from being "bakery".
  if (max === 0 || (q[0] !== n[0] && max < 2)) return 0;
  const d = editDistance(q, n, max);
  return d > max ? 0 : 1 - d / Math.max(q.length, n.length);
}

/** One name of one series in the index. */
interface Entry {
  series: number;
  field: Field;
  tokens: string[];
  key: string;
  /** IDF of each token (rare words carry the match). */
  weights: number[];
  totalWeight: number;
  /** A subtitle segment of a longer name. */
  segment: boolean;
  japanese: boolean;
  /** Japanese names without spaces, for substring matching. */
  hay: string;
  /** Latin names without spaces, romaji-folded, for kana spellings and run-together typing. */
  compact: string;
  /** The katakana spelling of an English name, as romaji (ソウルイーター for "Soul Eater"): matched only by kana queries. */
  loan: boolean;
}

/** Why a series matched and how confidently. */
interface Scored {
  score: number;
  field: Field;
  /** The query named only part of the name (a word or two of a longer title). */
  partial: boolean;
}

/** What the search runs on: built from the series' names, or loaded from a stored copy. */
interface IndexData {
  entries: Entry[];
  /** Every distinct word and in how many series it appears. */
  words: string[];
  wordDf: Int32Array;
  /** The word ids of every entry's tokens, entry after entry (loanword entries have none). */
  entryWords: Int32Array;
  /** Trigram g is gramKeys[g]; its entries are postings[offsets[g] .. offsets[g + 1]). */
  gramKeys: Float64Array;
  offsets: Int32Array;
  postings: Int32Array;
}

/** Builds the index; 15,000 series take about half a second of CPU (bench/title-search-eval.ts). */
export function buildNameIndex(series: Series[]): NameIndex {
  return openIndex(series, collect(series));
}

/** The names of every series, tokenised, with their trigram postings. */
function collect(series: Series[]): IndexData {
  const entries: Entry[] = [];
  // Each distinct word's id, and in how many series it appears (counted once per series).
  const wordIds = new Map<string, number>();
  const entryWords: number[] = [];
  const wordDf: number[] = [];
  const wordLastSeries: number[] = [];
  // Trigram postings are collected as one flat list of (gram, entry) pairs and packed into one
  // array afterwards: no array per trigram grows while 40,000 names are added.
  const gramIds = new Map<number, number>();
  const gramLastEntry: number[] = [];
  let pairGram = new Int32Array(1 << 16);
  let pairEntry = new Int32Array(1 << 16);
  let pairCount = 0;
  const addGrams = (id: number, tokens: string[]): void =>
    forEachGram(tokens, (key) => {
      let g = gramIds.get(key);
      if (g === undefined) {
        g = gramIds.size;
        gramIds.set(key, g);
        gramLastEntry.push(-1);
      }
      // A trigram twice in one name is one posting.
      if (gramLastEntry[g] === id) return;
      gramLastEntry[g] = id;
      if (pairCount === pairGram.length) {
        const grownGram = new Int32Array(pairCount * 2);
        grownGram.set(pairGram);
        pairGram = grownGram;
        const grownEntry = new Int32Array(pairCount * 2);
        grownEntry.set(pairEntry);
        pairEntry = grownEntry;
      }
      pairGram[pairCount] = g;
      pairEntry[pairCount++] = id;
    });

  const add = (si: number, field: Field, text: string | undefined, seen: string[], segment = false): void => {
    if (!text) return;
    const tokens = searchTokens(text);
    if (tokens.length === 0) return;
    const key = tokens.join(' ');
    if (seen.includes(key)) return;
    seen.push(key);
    const id = entries.length;
    const isJa = hasJapanese(key);
    entries.push({ series: si, field, tokens, key, weights: [], totalWeight: 0, segment, japanese: isJa, hay: isJa ? tokens.join('') : '', compact: isJa ? '' : compactOf(tokens), loan: false });
    for (const t of tokens) {
      let w = wordIds.get(t);
      if (w === undefined) {
        w = wordDf.length;
        wordIds.set(t, w);
        wordDf.push(0);
        wordLastSeries.push(-1);
      }
      if (wordLastSeries[w] !== si) {
        wordLastSeries[w] = si;
        wordDf[w]++;
      }
      entryWords.push(w);
    }
    addGrams(id, tokens);
    if (!isJa && field !== 'author') addLoanword(si, field, text, tokens, segment);
    if (!segment && field !== 'author' && SEGMENT_BREAK.test(text)) {
      const parts = text.split(SEGMENT_BREAK).map((p) => p.trim()).filter(Boolean);
      if (parts.length > 1) for (const p of parts) add(si, field, p, seen, true);
    }
  };

  /**
   * An English name's katakana spelling as one more name, so ソウルイーター finds "Soul Eater"
   * (names that already read as romaji meet kana queries through kanaToRomaji instead).
   */
  // Titles share many words ("the", "of", "love"): each is spelled once.
  const loanCache = new Map<string, string>();
  function addLoanword(si: number, field: Field, text: string, tokens: string[], segment: boolean): void {
    // Only short, mostly English names: a long title or a romaji one is not typed in katakana.
    // Decided on the name's tokens (folding long vowels keeps romaji romaji), spelled from its text.
    if (tokens.length > 4) return;
    let long = 0;
    let romaji = 0;
    for (const t of tokens) {
      if (t.length < 3) continue;
      long++;
      if (isRomajiWord(t)) romaji++;
    }
    if (romaji * 2 >= long) return;
    const words = normalizeName(text).split(' ').filter((w) => w !== '' && w !== 'x');
    let spelled = '';
    for (const w of words) {
      let r = loanCache.get(w);
      if (r === undefined) loanCache.set(w, (r = loanwordRomaji(w)));
      spelled += r;
    }
    const loan = loanFold(spelled);
    if (loan.length < 5) return;
    const id = entries.length;
    entries.push({ series: si, field, tokens: [loan], key: loan, weights: [], totalWeight: 0, segment, japanese: false, hay: '', compact: loan, loan: true });
    addGrams(id, [loan]);
  }

  series.forEach((s, si) => {
    const seen: string[] = [];
    add(si, 'title', s.title, seen);
    add(si, 'titleEn', s.titleEn, seen);
    add(si, 'titleJa', s.titleJa, seen);
    for (const a of s.aliases ?? []) add(si, 'alias', a, seen);
    for (const a of s.authors) add(si, 'author', a, seen);
    for (const a of s.authorsJa ?? []) add(si, 'author', a, seen);
  });

  // Packed postings: the entries of trigram g are postings[offsets[g] .. offsets[g + 1]).
  const offsets = new Int32Array(gramIds.size + 1);
  for (let i = 0; i < pairCount; i++) offsets[pairGram[i] + 1]++;
  for (let g = 0; g < gramIds.size; g++) offsets[g + 1] += offsets[g];
  const postings = new Int32Array(pairCount);
  const fill = offsets.slice(0, gramIds.size);
  for (let i = 0; i < pairCount; i++) postings[fill[pairGram[i]]++] = pairEntry[i];
  return { entries, words: [...wordIds.keys()], wordDf: Int32Array.from(wordDf), entryWords: Int32Array.from(entryWords), gramKeys: Float64Array.from(gramIds.keys()), offsets, postings };
}

/** The search over collected (or loaded) data. */
function openIndex(series: Series[], data: IndexData): NameIndex {
  const { entries, offsets, postings } = data;
  const wordIds = new Map<string, number>();
  data.words.forEach((w, i) => wordIds.set(w, i));
  const gramIds = new Map<number, number>();
  data.gramKeys.forEach((key, g) => gramIds.set(key, g));
  const japanese: number[] = [];
  const byCompact = new Map<string, number[]>();
  entries.forEach((e, id) => {
    if (e.japanese) japanese.push(id);
    else if (e.loan || e.tokens.length > 1 || e.key.length >= 5) {
      const list = byCompact.get(e.compact);
      if (list) list.push(id);
      else byCompact.set(e.compact, [id]);
    }
  });

  // IDF by series, not by name: a word in five names of one series is still one series' word.
  const seriesCount = Math.max(1, series.length);
  const wordIdf = Array.from(data.wordDf, (n) => Math.log(1 + seriesCount / n));
  const idf = (t: string): number => {
    const w = wordIds.get(t);
    return Math.log(1 + seriesCount / (w === undefined ? 1 : data.wordDf[w]));
  };
  /** The IDF of a word only two series share: a query this specific names its series. */
  const specificIdf = Math.log(1 + seriesCount / 2);
  let next = 0;
  for (const e of entries) {
    if (e.loan) continue;
    const weights = new Array<number>(e.tokens.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] = wordIdf[data.entryWords[next++]];
    e.weights = weights;
    e.totalWeight = total;
  }
  const authorKey = series.map((s) => s.authors[0] ?? s.id);

  // Trigrams in a large share of names (" no", "no " in romaji) only add work: when a query
  // has rarer ones, candidates come from those; a query made only of common ones keeps them.
  const commonLimit = Math.max(500, entries.length * 0.05);
  const usefulGrams = (grams: Set<number>): Int32Array[] => {
    const lists: Int32Array[] = [];
    for (const key of grams) {
      const g = gramIds.get(key);
      if (g !== undefined) lists.push(postings.subarray(offsets[g], offsets[g + 1]));
    }
    const rare = lists.filter((l) => l.length <= commonLimit);
    return rare.length > 0 ? rare : lists;
  };

  // Reused across queries: the index serves one query at a time (searches are synchronous).
  const counts = new Uint16Array(entries.length);
  const touchedBuffer = new Int32Array(entries.length);

  /** Entries sharing the most trigrams with the tokens: at most MAX_CANDIDATES, best Dice first. */
  function candidatesFor(tokens: string[]): number[] {
    const qGrams = usefulGrams(gramsOf(tokens));
    let touchedCount = 0;
    for (const list of qGrams) {
      for (let i = 0; i < list.length; i++) {
        const e = list[i];
        if (counts[e]++ === 0) touchedBuffer[touchedCount++] = e;
      }
    }
    const touched = touchedBuffer.subarray(0, touchedCount);
    const gramCount = qGrams.length;
    const histogram = new Uint32Array(gramCount + 1);
    for (const e of touched) histogram[counts[e]]++;
    const floor = Math.max(1, Math.ceil(gramCount * 0.3));
    let threshold = gramCount;
    let kept = histogram[threshold];
    while (threshold > floor && (kept === 0 || kept + histogram[threshold - 1] <= MAX_CANDIDATES)) {
      threshold--;
      kept += histogram[threshold];
    }
    let out: number[] = [];
    for (const e of touched) if (counts[e] >= threshold) out.push(e);
    if (out.length > MAX_CANDIDATES) {
      const dice = new Map(out.map((e) => [e, counts[e] / (gramCount + entries[e].key.length)]));
      out = out.sort((a, b) => dice.get(b)! - dice.get(a)!).slice(0, MAX_CANDIDATES);
    }
    for (const e of touched) counts[e] = 0;
    return out;
  }

  /**
   * Word-order-free match of the query's words against one name. Coverage both ways is weighted
   * by IDF: the query must be explained by the name (extra words lower it), and either most of
   * the name is there or what is there is specific enough to name the series on its own.
   */
  function scoreTokens(query: string[], queryWeights: number[], e: Entry): Scored {
    const used = new Uint8Array(e.tokens.length);
    let queryTotal = 0;
    let queryGot = 0;
    let nameGot = 0;
    let specific = 0;
    for (let qi = 0; qi < query.length; qi++) {
      const q = query[qi];
      let best = 0;
      let bestJ = -1;
      for (let j = 0; j < e.tokens.length; j++) {
        if (used[j]) continue;
        const s = tokenSimilarity(q, e.tokens[j]);
        if (s > best) {
          best = s;
          bestJ = j;
          if (s === 1) break;
        }
      }
      if (bestJ < 0) {
        // A bare number the name lacks is a volume ("Blue Lock 35"), not a word the name is missing.
        if (!DIGITS.test(q)) queryTotal += queryWeights[qi];
        continue;
      }
      used[bestJ] = 1;
      // A typo is weighed by the word it stands for, not by itself (an unknown word counts as rare).
      const w = Math.min(queryWeights[qi], e.weights[bestJ]);
      queryTotal += w;
      queryGot += best * w;
      nameGot += best * e.weights[bestJ];
      // A word of one or two letters ("ok", "no") is too short to name a series unless it is the whole name.
      if (e.tokens[bestJ].length > 2) specific += best * e.weights[bestJ];
    }
    const qCov = queryTotal > 0 ? queryGot / queryTotal : 0;
    const nCov = e.totalWeight > 0 ? nameGot / e.totalWeight : 0;
    const spec = Math.min(1, specific / specificIdf);
    const partial = nCov < 0.8;
    // Whole names score by coverage; parts by how specific they are, never as high as a whole name.
    const score = qCov * (0.2 + 0.8 * Math.max(nCov, partial ? 0.85 * spec : 0));
    return { score: e.segment ? score * SEGMENT_FACTOR : score, field: e.field, partial: partial || e.segment };
  }

  /** Japanese names by substring, both ways: a partial title in the query, or a title inside a longer query. */
  function scoreJapanese(needle: string, e: Entry): Scored | undefined {
    const hay = e.hay;
    if (hay === needle) return { score: e.segment ? SEGMENT_FACTOR : 1, field: e.field, partial: e.segment };
    if (needle.length >= 2) {
      const at = hay.indexOf(needle);
      if (at >= 0) {
        const ratio = needle.length / hay.length;
        return { score: at === 0 ? 0.7 + 0.25 * ratio : 0.5 + 0.4 * ratio, field: e.field, partial: true };
      }
    }
    // "尾田栄一郎さんの作品" holds the name whole: as good as the name is long.
    if (hay.length >= 3 && needle.includes(hay)) {
      const ratio = hay.length / needle.length;
      if (ratio >= 0.3) return { score: 0.6 + 0.35 * ratio, field: e.field, partial: false };
    }
    return undefined;
  }

  /** A run-together romaji string (from kana, or typed without spaces) against names written without spaces. */
  function scoreCompact(romaji: string, e: Entry): Scored | undefined {
    if (!e.compact) return undefined;
    const factor = (e.segment ? SEGMENT_FACTOR : 1) * (e.loan ? LOAN_FACTOR : 1);
    if (e.compact === romaji) return { score: factor, field: e.field, partial: e.segment };
    const max = Math.floor(Math.max(romaji.length, e.compact.length) / 6);
    if (max === 0 || romaji[0] !== e.compact[0]) return undefined;
    const d = editDistance(romaji, e.compact, max);
    if (d > max) return undefined;
    return { score: factor * (1 - d / Math.max(romaji.length, e.compact.length)), field: e.field, partial: e.segment };
  }

  function search(query: string, limit: number, minScore = DEFAULT_MIN_SCORE, reading?: string): SeriesHit[] {
    const qTokens = searchTokens(query);
    if (qTokens.length === 0 || limit <= 0) return [];
    const qKey = qTokens.join(' ');
    const best = new Map<number, Scored>();
    const consider = (e: number, s: Scored | undefined, factor = 1): void => {
      if (!s) return;
      const score = s.score * factor;
      if (score < minScore) return;
      const si = entries[e].series;
      const had = best.get(si);
      if (!had || score > had.score) best.set(si, { ...s, score });
    };

    const isJa = hasJapanese(qKey);
    if (!isJa || /[a-z0-9]/.test(qKey)) {
      const qWeights = qTokens.map((t) => (wordIds.has(t) ? idf(t) : specificIdf));
      for (const e of candidatesFor(qTokens)) {
        const entry = entries[e];
        if (entry.loan) continue;
        consider(e, entry.key === qKey ? { score: 1, field: entry.field, partial: entry.segment } : entry.japanese ? undefined : scoreTokens(qTokens, qWeights, entry));
      }
    }
    // Run-together romaji ("onepiece", "kimetsunoyaiba") and kana spellings of romaji titles.
    const romajiForms: string[] = [];
    if (!isJa && qTokens.length === 1 && qKey.length >= 6) romajiForms.push(compactOf(qTokens));
    if (isJa) {
      const needle = qTokens.join('');
      for (const e of japanese) consider(e, scoreJapanese(needle, entries[e]));
      if (isKanaOnly(needle)) {
        const romaji = kanaToRomaji(needle);
        romajiForms.push(compactOf([romaji]), loanFold(romaji));
      }
    }
    if (reading && isKanaOnly(reading)) romajiForms.push(compactOf([kanaToRomaji(foldKana(reading))]));
    for (const romaji of new Set(romajiForms)) {
      if (romaji.length < 4) continue;
      for (const e of byCompact.get(romaji) ?? []) consider(e, scoreCompact(romaji, entries[e]), READING_FACTOR);
      for (const e of candidatesFor([romaji])) consider(e, scoreCompact(romaji, entries[e]), READING_FACTOR);
    }

    // A part of a name that many unrelated works share ("next", "game") names none of them:
    // partial matches are discounted by how many different authors they spread over.
    const partialAuthors = new Set<string>();
    for (const [si, s] of best) if (s.partial && s.score >= 0.5) partialAuthors.add(authorKey[si]);
    const spread = partialAuthors.size;
    const ambiguity = spread <= 1 ? 1 : spread === 2 ? 0.92 : spread <= 4 ? 0.8 : 0.65;

    const hits: SeriesHit[] = [];
    for (const [si, s] of best) {
      const score = s.partial ? s.score * ambiguity : s.score;
      if (score >= minScore) hits.push({ series: series[si], score: Math.min(1, score), matchedOn: s.field });
    }
    // Near-ties go to the more popular series: "jojo" means JoJo's Bizarre Adventure more than
    // the obscure "Renai Joujou", though the shorter title matches a hair better.
    const rankKey = (h: SeriesHit): number => h.score + POPULARITY_WEIGHT * popularityPrior(h.series);
    hits.sort((a, b) => rankKey(b) - rankKey(a) || (b.series.score ?? 0) - (a.series.score ?? 0));
    return hits.slice(0, limit);
  }

  return {
    search,
    size: entries.length,
    serialize: () => serializeIndex(series, data),
  };
}

const FIELDS: Field[] = ['title', 'titleEn', 'titleJa', 'alias', 'author'];
const SEGMENT = 1;
const JAPANESE = 2;
const LOAN = 4;

/**
 * What a stored index must match: this index code (a change to how names are tokenised or
 * spelled makes old copies useless) and every name of every series, in order.
 */
function fingerprint(series: Series[]): string {
  // One string hashed natively: a character loop in JavaScript took ~90 ms at 15,000 series.
  const parts: string[] = [CODE_HASH];
  for (const s of series) {
    parts.push(s.id, s.title, s.titleEn ?? '', s.titleJa ?? '', (s.aliases ?? []).join('\u0002'), s.authors.join('\u0002'), (s.authorsJa ?? []).join('\u0002'), s.popularityRank === undefined ? '' : String(s.popularityRank));
  }
  return `${series.length}:${createHash('sha1').update(parts.join('\u0001')).digest('hex')}`;
}

/** A hash of the modules that decide what an index holds, read once. */
const CODE_HASH = ((): string => {
  const hash = createHash('sha1');
  for (const file of ['./name-index.ts', './normalize.ts', './kana.ts']) hash.update(readFileSync(new URL(file, import.meta.url)));
  return hash.digest('hex');
})();

function serializeIndex(series: Series[], data: IndexData): Uint8Array {
  const { entries } = data;
  const seriesOf = new Int32Array(entries.length);
  const fields = new Uint8Array(entries.length);
  const flags = new Uint8Array(entries.length);
  const keys: string[] = [];
  const compacts: string[] = [];
  entries.forEach((e, i) => {
    seriesOf[i] = e.series;
    fields[i] = FIELDS.indexOf(e.field);
    flags[i] = (e.segment ? SEGMENT : 0) | (e.japanese ? JAPANESE : 0) | (e.loan ? LOAN : 0);
    keys.push(e.key);
    compacts.push(e.japanese || e.loan ? '' : e.compact);
  });
  return serialize({ fingerprint: fingerprint(series), seriesOf, fields, flags, keys, compacts, words: data.words, wordDf: data.wordDf, entryWords: data.entryWords, gramKeys: data.gramKeys, offsets: data.offsets, postings: data.postings });
}

/**
 * Opens a stored index (NameIndex.serialize()) over these series, or undefined when it was built
 * from other names or by other index code: the caller then builds a new one.
 */
export function loadNameIndex(series: Series[], bytes: Uint8Array): NameIndex | undefined {
  let stored: {
    fingerprint: string;
    seriesOf: Int32Array;
    fields: Uint8Array;
    flags: Uint8Array;
    keys: string[];
    compacts: string[];
    words: string[];
    wordDf: Int32Array;
    entryWords: Int32Array;
    gramKeys: Float64Array;
    offsets: Int32Array;
    postings: Int32Array;
  };
  try {
    stored = deserialize(bytes);
  } catch {
    return undefined;
  }
  if (stored?.fingerprint !== fingerprint(series)) return undefined;
  const entries: Entry[] = stored.keys.map((key, i) => {
    const flag = stored.flags[i];
    const japanese = (flag & JAPANESE) !== 0;
    const loan = (flag & LOAN) !== 0;
    const tokens = loan ? [key] : key.split(' ');
    return {
      series: stored.seriesOf[i],
      field: FIELDS[stored.fields[i]],
      tokens,
      key,
      weights: [],
      totalWeight: 0,
      segment: (flag & SEGMENT) !== 0,
      japanese,
      hay: japanese ? tokens.join('') : '',
      compact: loan ? key : stored.compacts[i],
      loan,
    };
  });
  return openIndex(series, { entries, words: stored.words, wordDf: stored.wordDf, entryWords: stored.entryWords, gramKeys: stored.gramKeys, offsets: stored.offsets, postings: stored.postings });
}
