import type { Series, SeriesHit } from './types.ts';
import { hasJapanese, nameTokens } from './normalize.ts';

/**
 * Fuzzy series-name search, kept in memory and rebuilt from the catalog table.
 *
 * Hand-written rather than fuse.js/minisearch because the matching we need is specific:
 * romaji long-vowel folding (Kyoujin = Kyojin), several names per series with the matched
 * name reported, word-order-free partial titles scored by how much of the *query* is covered
 * (so "steel ball run" finds a 9-word title), Japanese substrings without word breaks, and
 * popularity tie-breaks. Fuse scans every record per query (tens of ms at 15,000 series);
 * minisearch is token-prefix based and does not do CJK substrings. A trigram inverted index for
 * candidates plus token-level edit distance on ~200 candidates stays well under a millisecond.
 */

/** Which of a series' names an index entry holds (reported as `matchedOn`). */
type Field = 'title' | 'titleEn' | 'titleJa' | 'alias' | 'author';

/** Searchable view of a set of series. */
export interface NameIndex {
  /** Best-matching series first, at most `limit`, none below `minScore`. */
  search(query: string, limit: number, minScore?: number): SeriesHit[];
  /** Number of names indexed. */
  readonly size: number;
}

/** How many entries get exact scoring; the rest are cut by shared-trigram count. */
const MAX_CANDIDATES = 250;
/** How much popularity can reorder near-equal matches (a match score is 0..1). */
const POPULARITY_WEIGHT = 0.05;
/** 1 for the most popular series, towards 0 for rank ~20,000, 0 when unknown. */
function popularityPrior(s: Series): number {
  const rank = s.popularityRank;
  return rank === undefined || rank < 1 ? 0 : Math.max(0, 1 - Math.log10(rank) / Math.log10(20000));
}
/** Hits below this score are noise (one shared short word). */
const DEFAULT_MIN_SCORE = 0.35;

function gramsOf(tokens: string[]): Set<string> {
  const grams = new Set<string>();
  for (const t of tokens) {
    const padded = ` ${t} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), capped at `max`. */
function editDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/** Similarity of one query word to one name word: exact, prefix (still typing), or small typo. */
function tokenSimilarity(q: string, n: string): number {
  if (q === n) return 1;
  if (q.length >= 3 && n.startsWith(q)) return 0.7 + (0.3 * q.length) / n.length;
  const max = q.length <= 3 ? 0 : q.length <= 5 ? 1 : 2;
  if (max === 0) return 0;
  const d = editDistance(q, n, max);
  return d > max ? 0 : 1 - d / Math.max(q.length, n.length);
}

/**
 * Word-order-free score: mostly how much of the query is found in the name (partial titles
 * are fine), a little for how much of the name the query covers (prefers the tighter name).
 */
function tokenScore(query: string[], name: string[], nameLength: number): number {
  const used = new Uint8Array(name.length);
  let queryLength = 0;
  let queryGot = 0;
  let nameGot = 0;
  for (const q of query) {
    let best = 0;
    let bestJ = -1;
    for (let j = 0; j < name.length; j++) {
      if (used[j]) continue;
      const s = tokenSimilarity(q, name[j]);
      if (s > best) {
        best = s;
        bestJ = j;
        if (s === 1) break;
      }
    }
    queryLength += q.length;
    if (bestJ >= 0) {
      used[bestJ] = 1;
      queryGot += best * q.length;
      nameGot += best * name[bestJ].length;
    }
  }
  return 0.8 * (queryGot / queryLength) + 0.15 * (nameGot / nameLength);
}

/** Builds the index; 15,000 series take well under a second (see test/catalog/mal-import.test.ts). */
export function buildNameIndex(series: Series[]): NameIndex {
  const entrySeries: number[] = [];
  const entryField: Field[] = [];
  const entryTokens: string[][] = [];
  const entryKey: string[] = [];
  const entryKeyLength: number[] = [];
  const entryGrams: number[] = [];
  const japanese: number[] = [];
  const postings = new Map<string, number[]>();

  const add = (si: number, field: Field, text: string | undefined, seen: Set<string>): void => {
    if (!text) return;
    const tokens = nameTokens(text);
    if (tokens.length === 0) return;
    const key = tokens.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    const id = entryKey.length;
    entrySeries.push(si);
    entryField.push(field);
    entryTokens.push(tokens);
    entryKey.push(key);
    entryKeyLength.push(key.length - tokens.length + 1);
    const grams = gramsOf(tokens);
    entryGrams.push(grams.size);
    for (const g of grams) {
      const list = postings.get(g);
      if (list) list.push(id);
      else postings.set(g, [id]);
    }
    if (hasJapanese(key)) japanese.push(id);
  };

  series.forEach((s, si) => {
    const seen = new Set<string>();
    add(si, 'title', s.title, seen);
    add(si, 'titleEn', s.titleEn, seen);
    add(si, 'titleJa', s.titleJa, seen);
    for (const a of s.aliases ?? []) add(si, 'alias', a, seen);
    for (const a of s.authors) add(si, 'author', a, seen);
  });

  // Trigrams in a large share of names (" no", "no " in romaji) only add work: when a query
  // has rarer ones, candidates come from those; a query made only of common ones keeps them.
  const commonLimit = Math.max(500, entryKey.length * 0.05);
  const postingArrays = new Map<string, Int32Array>();
  for (const [g, list] of postings) postingArrays.set(g, Int32Array.from(list));
  const usefulGrams = (grams: Set<string>): Int32Array[] => {
    const lists = [...grams].map((g) => postingArrays.get(g)).filter((l): l is Int32Array => l !== undefined);
    const rare = lists.filter((l) => l.length <= commonLimit);
    return rare.length > 0 ? rare : lists;
  };

  // Reused across queries: the index serves one query at a time (searches are synchronous).
  const counts = new Uint16Array(entryKey.length);
  const bestScore = new Float64Array(series.length);
  const bestField: (Field | undefined)[] = new Array(series.length);

  function search(query: string, limit: number, minScore = DEFAULT_MIN_SCORE): SeriesHit[] {
    const qTokens = nameTokens(query);
    if (qTokens.length === 0 || limit <= 0) return [];
    const qKey = qTokens.join(' ');
    const qGrams = usefulGrams(gramsOf(qTokens));
    const touched: number[] = [];
    for (const list of qGrams) for (let i = 0; i < list.length; i++) if (counts[list[i]]++ === 0) touched.push(list[i]);

    // Keep the entries sharing the most trigrams: the lowest count that keeps at most
    // MAX_CANDIDATES, and within an oversized best bucket the shortest names (best Dice).
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
    let candidates: number[] = [];
    for (const e of touched) if (counts[e] >= threshold) candidates.push(e);
    const dice = (e: number): number => (2 * counts[e]) / (gramCount + entryGrams[e]);
    if (candidates.length > MAX_CANDIDATES) candidates = candidates.sort((a, b) => dice(b) - dice(a)).slice(0, MAX_CANDIDATES);

    const hitSeries: number[] = [];
    const consider = (e: number, score: number): void => {
      const si = entrySeries[e];
      if (bestScore[si] === 0) hitSeries.push(si);
      if (score > bestScore[si]) {
        bestScore[si] = score;
        bestField[si] = entryField[e];
      }
    };

    for (const e of candidates) {
      const key = entryKey[e];
      let score: number;
      if (key === qKey) score = 1;
      else {
        score = Math.max(tokenScore(qTokens, entryTokens[e], entryKeyLength[e]), 0.9 * dice(e));
        if (key.startsWith(qKey)) score = Math.max(score, 0.85 + (0.1 * qKey.length) / key.length);
      }
      if (score >= minScore) consider(e, score);
    }
    for (const e of touched) counts[e] = 0;

    // Japanese is written without spaces, so a partial title ("鬼滅" of 鬼滅の刃) is a substring,
    // not a word: scan the (few) Japanese names directly.
    if (hasJapanese(qKey)) {
      const needle = qKey.replace(/ /g, '');
      for (const e of japanese) {
        const hay = entryKey[e].replace(/ /g, '');
        const at = hay.indexOf(needle);
        if (at < 0) continue;
        const ratio = needle.length / hay.length;
        const score = ratio === 1 ? 1 : at === 0 ? 0.85 + 0.1 * ratio : 0.6 + 0.3 * ratio;
        if (score >= minScore) consider(e, score);
      }
    }

    const hits: SeriesHit[] = hitSeries.map((si) => ({ series: series[si], score: bestScore[si], matchedOn: bestField[si] as string }));
    for (const si of hitSeries) {
      bestScore[si] = 0;
      bestField[si] = undefined;
    }
    // Near-ties go to the more popular series: "jojo" means JoJo's Bizarre Adventure more than
    // the obscure "Renai Joujou", though the shorter title matches a hair better.
    const rankKey = (h: SeriesHit): number => h.score + POPULARITY_WEIGHT * popularityPrior(h.series);
    hits.sort((a, b) => rankKey(b) - rankKey(a) || (b.series.score ?? 0) - (a.series.score ?? 0));
    return hits.slice(0, limit);
  }

  return { search, size: entryKey.length };
}
