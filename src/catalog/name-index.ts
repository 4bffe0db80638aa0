import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { Series, SeriesHit } from './types.ts';
import { foldRomaji, hasJapanese, nameTokens, normalizeName } from './normalize.ts';
import { LOAN_ALTERNATIVES, foldKana, isKanaOnly, isRomajiWord, kanaToRomaji, loanFold, loanwordRomaji } from './kana.ts';

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
type Field = 'title' | 'titleEn' | 'titleJa' | 'alias' | 'author' | 'acronym';

/** Searchable view of a set of series. */
export interface NameIndex {
  /** Best-matching series first, at most `limit`. */
  search(query: string, limit: number, opts?: SearchOptions): SeriesHit[];
  /** Number of names indexed. */
  readonly size: number;
  /** The index as bytes, for loadNameIndex() to open instead of building it again (a stored copy beside the catalog). */
  serialize(): Uint8Array;
}

/** Options of a name search. */
export interface SearchOptions {
  /** Hits below this score are left out. @default 0.35 */
  minScore?: number;
  /** The query's reading in kana, when a morphological analyser gave one (kanji queries against romaji-only titles). */
  reading?: string;
  /**
   * The whole message `query` was taken from (the query being what the request language left of
   * it). Names are then also found inside the message: a name whose words stand together in it,
   * request words included ("Your Name.", "I Am a Hero"), covering some of the query, scores by how
   * much of the name is there, the rest of the query outside it weighing less the further away
   * and the more specific the name. A name inside a longer one found there ("Tokyo Ghoul" in
   * "Tokyo Ghoul:re") ranks below it.
   */
  context?: string;
}

/** How many entries get exact scoring; the rest are cut by shared-trigram count. */
const MAX_CANDIDATES = 250;
/** How much popularity can reorder near-equal matches (a match score is 0..1): a tie-breaker only. */
const POPULARITY_WEIGHT = 0.03;
const DIGITS = /^\d+$/;
/** Hits below this score are noise (one shared short word). */
const DEFAULT_MIN_SCORE = 0.35;
/**
 * A series' own name found at all (the search's floor) beside its author's name, for words the
 * author's name does not explain, makes it the work asked for (「浦沢直樹のMONSTER」: the author's
 * name counts against "monster" as content outside it, so the name alone scores low).
 */
const TITLE_BESIDE_AUTHOR = DEFAULT_MIN_SCORE;
/** The author's other works, found by the author's name only, then rank this far below it. */
const OTHER_WORK_FACTOR = 0.75;
/** A part of a longer name ("Steel Ball Run" of "JoJo ... Part 7: Steel Ball Run") counts a little less than a whole name. */
const SEGMENT_FACTOR = 0.93;
/** A match through a reading (kana → romaji) is one step removed from what the customer typed. */
const READING_FACTOR = 0.95;
/** A katakana loanword matched to an English title by spelling rules is one step further. */
const LOAN_FACTOR = 0.9;
/** An acronym made from a title's words (TBHK, BSD) is a name the catalog did not give: one step below an alias. */
const ACRONYM_FACTOR = 0.9;
/** A name found inside a longer name found in the same words ("Tokyo Ghoul" in "Tokyo Ghoul:re") ranks below it. */
const NESTED_FACTOR = 0.85;
/**
 * Edition words say which printing, not which work: in a name they weigh this share of their
 * IDF, so "Shaman King Kanzenban" is named by "shaman king" and "kanzenban" names nothing.
 */
const EDITION_WEIGHT = 0.15;
const EDITION_WORDS = new Set(['kanzenban', 'shinsoban', 'aizoban', 'bunkoban', 'wideban', 'edition', 'editions', 'deluxe', 'omnibus', 'version']);
/** A name found whole in a message this well (or better) puts the names inside it below it. */
const NAMED_BY_SPAN = 0.5;
/** Runs of content looked up by trigrams on their own, at most (a long message has many). */
const MAX_RUN_LOOKUPS = 8;
/** Names brought in by rare content words, at most (the rarest words first). */
const MAX_WORD_NAMES = 600;
/** A content word in at most this many series brings every name it is in as a candidate. */
const RARE_WORD_DF = 100;
/** A one-word title whose word is in this share of the series' names (and three at least) is an ordinary word too. */
const ORDINARY_SHARE = 1 / 2000;
/** Japanese spans (characters) are kept apart from Latin ones (words) by this offset. */
const JA_SPAN = 1_000_000;
/** A reading with guessed parts (血界戦線) is searched only with this many romaji letters known... */
const GUESSED_READING_MIN_KNOWN = 5;
/** ...and a name fits it only when its letters where the guess is are at least this close to the guess. */
const GUESSED_READING_MIN_FIT = 0.4;
/** A family name alone names the author whose best series is this popular (or more)... */
const FAMOUS_AUTHOR_RANK = 300;
/** ...and ranks this many times better than any other author's with that name; theirs then count this much less. */
const FAMOUS_AUTHOR_LEAD = 5;
const OTHER_AUTHOR_FACTOR = 0.6;
/** Acronyms are made only for series this popular: customers shorten the titles they talk about. */
const ACRONYM_MAX_RANK = 2500;

/** 1 for the most popular series, towards 0 for rank ~20,000, 0 when unknown. */
function popularityPrior(s: Series): number {
  const rank = s.popularityRank;
  return rank === undefined || rank < 1 ? 0 : Math.max(0, 1 - Math.log10(rank) / Math.log10(20000));
}

/** Search tokens of a name or query: romaji-folded words, Japanese words with katakana folded to hiragana. */
function searchTokens(text: string): string[] {
  return nameTokens(text).map((t) => (hasJapanese(t) ? foldKana(t) : t));
}

/**
 * One kana syllable that is no particle, glued to a Latin word, alone or before a particle ("LOVEる",
 * "LOVEるって…"): the end of that word written in kana.
 */
const GLUED_SYLLABLE = /^([\u3041-\u3096\u30a1-\u30fa](?<![のはがをもにでとやへかねよなノハガヲモニデトヤヘカネヨナ])[ゃゅょャュョ]?)((?:って|[のはがをもにでとやへ]).*)?$/u;
const CJK_RUN = /([\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヵヶ]+)/;

/**
 * Search tokens of a customer's text, cut where Latin letters or digits meet Japanese script
 * ("Berserkの3巻" is berserk, の, 3, 巻): customers do not put spaces between them.
 */
function messageTokens(text: string): string[] {
  const out: string[] = [];
  const norm = normalizeName(text);
  if (norm === '') return out;
  for (const t of norm.split(' ')) {
    let afterLatin = false;
    for (const part of hasJapanese(t) && /[a-z0-9]/.test(t) ? t.split(CJK_RUN) : [t]) {
      if (!part) continue;
      // One kana glued to a Latin word that is no particle ends that word in kana: "LOVEる" is
      // LOVE-Ru (To LOVEる), not "love" and a stray る.
      const glued = afterLatin ? GLUED_SYLLABLE.exec(part) : null;
      if (glued) {
        out.push(kanaToRomaji(glued[1]));
        if (glued[2]) out.push(foldKana(glued[2]));
      } else out.push(hasJapanese(part) ? foldKana(part) : foldRomaji(part));
      afterLatin = /[a-z]$/.test(part);
    }
  }
  return out;
}

/** A name written without spaces, romaji-folded across word joins ("kono oto" → "konoto"): what a kana spelling becomes. */
function compactOf(tokens: string[]): string {
  return foldRomaji(tokens.join(''));
}

// Subtitles after ": " or " - " are names of their own: customers say "Steel Ball Run", "Demon Slayer".
const SEGMENT_BREAK = /:\s+|\s+[-–—~〜～]\s+/;
// A Japanese title's subtitle after the number of its part: 「ジョジョの奇妙な冒険 第7部 スティール・ボール・ラン」.
const JA_PART_SUBTITLE = /\s第[0-9０-９一二三四五六七八九十]+部\s+(\S.*)$/u;
// A subtitle a Japanese title encloses in a pair of dashes: 「X―Y―」「X〜Y〜」.
const JA_ENCLOSED_SUBTITLE = /^(.+?)\s*([―—〜～])(.+)\2$/u;

/**
 * True when a query says more than the series' authors' names ("浦沢直樹のmonster", not "urasawa"
 * alone, which an alias "Urasawa's Monster" also holds): a word or two characters of Japanese left.
 */
function beyondAuthors(query: string[], s: Series): boolean {
  let rest = ` ${query.join(' ')} `;
  for (const author of [...s.authors, ...(s.authorsJa ?? [])]) {
    const tokens = searchTokens(author);
    for (const t of tokens) rest = hasJapanese(t) ? rest.split(t).join(' ') : rest.split(` ${t} `).join(' ').split(` ${t}s `).join(' ');
    if (tokens.length > 1 && tokens.every(hasJapanese)) rest = rest.split(tokens.join('')).join(' ');
  }
  return rest.replace(/(?<=^|\s)(?:の|は|が|を|も|と|s)(?=\s|$)|\s+/gu, '').length >= 2;
}

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

/**
 * True when the text writes a Latin name out in katakana: ライアーゲーム for Liar Game, ソウルイーター
 * for Soul Eater, ノラガミ for Noragami — the name's words spelled as the index spells them for its
 * loanword keys (English words as katakana writes them, romaji words as they are), against each
 * katakana run of the text, one edit in six letters forgiven (ゲーム is "geemu", the rule of thumb
 * "geimu"). A search hit found by such a spelling scores below a written-out Latin name (the loan
 * keys are looser), so a caller that must be sure of the series (a promotion question) asks this.
 */
export function writtenInKatakana(text: string, name: string): boolean {
  if (hasJapanese(name)) return false;
  const words = normalizeName(name.split(':')[0]).split(' ').filter((w) => /^[a-z]+$/.test(w) && w !== 'x');
  if (words.length === 0) return false;
  const forms = new Set([words.map((w) => (isRomajiWord(w) ? w : loanwordRomaji(w))), words.map((w) => LOAN_ALTERNATIVES[w] ?? loanwordRomaji(w))].map((f) => loanFold(f.join(''))));
  for (const run of text.normalize('NFKC').match(/[\p{Script=Katakana}ー・]{3,}/gu) ?? []) {
    const typed = loanFold(kanaToRomaji(run.replace(/・/g, '')));
    for (const form of forms) {
      const max = Math.floor(form.length / 6);
      if (form.length >= 5 && editDistance(typed, form, max) <= max) return true;
    }
  }
  return false;
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

/**
 * The acronyms of a series' Latin names, 3 to 5 letters: the first letter of each word, hyphens
 * and "x" counted as words (Toilet-Bound Hanako-kun → tbhk, Hunter x Hunter → hxh), of the whole
 * name and of its head before a subtitle. The index keeps those of popular series that no name
 * has as a word and one series owns; exported for other finders of catalog names in messages.
 */
export function acronymsOf(s: Series): string[] {
  const out: string[] = [];
  for (const name of [s.title, s.titleEn, ...(s.aliases ?? [])]) {
    if (!name || hasJapanese(name)) continue;
    for (const part of [name, name.split(SEGMENT_BREAK)[0], name.split(':')[0]]) {
      const words = normalizeName(part).split(/[\s-]+/).filter(Boolean);
      if (words.length < 3) continue;
      const acronym = words.map((w) => w[0]).join('');
      if (acronym.length <= 5 && /^[a-z]+$/.test(acronym) && !out.includes(acronym)) out.push(acronym);
    }
  }
  return out;
}

// Words a clipping leaves out: particles of a romaji title, articles, the "x" of Spy x Family.
const CLIP_SKIPPED = new Set(['no', 'ga', 'wa', 'wo', 'ni', 'to', 'de', 'na', 'the', 'a', 'an', 'of', 'x']);
// A mora of romaji: a consonant (or sh/ch/ts, with y) and its vowel, a lone n, or the first of a doubled stop (ッ).
const MORA = /(?:sh|ch|ts|[^aeiou])?y?[aeiou]|n(?![aeiouy])|([kptsgbd])(?=\1)/g;

/**
 * The clippings of a series' Latin names a customer may type in kana: the first two morae of the
 * first and the last word (katakana-spelled for English words: Slam Dunk → suradan, Hagane no
 * Renkinjutsushi → hagaren), and for a romaji name of three words or more those two words whole
 * (Boku dake ga Inai Machi → bokumachi); at least four letters.
 */
export function clippingsOf(s: Series): string[] {
  const out: string[] = [];
  for (const name of [s.title, s.titleEn, ...(s.aliases ?? [])]) {
    if (!name || hasJapanese(name)) continue;
    const words = normalizeName(name.split(':')[0]).split(/[\s-]+/).filter((w) => /^[a-z]+$/.test(w) && !CLIP_SKIPPED.has(w));
    if (words.length < 2) continue;
    const romaji = words.map((w) => (isRomajiWord(w) ? w : loanwordRomaji(w)));
    const first = romaji[0];
    const last = romaji[romaji.length - 1];
    const head = (r: string): string => (r.match(MORA) ?? []).slice(0, 2).join('');
    const clips = [head(first) + head(last)];
    // ...and a first word that starts with a syllable closed by ん, that syllable (one kanji) with the
    // start of the second word (文豪ストレイドッグス → 文スト, bunsuto; 憲法 → 憲…).
    const syllable = (first.match(MORA) ?? []).slice(0, 2);
    if (syllable[1] === 'n' && words.length >= 2) clips.push(syllable.join('') + head(romaji[1]));
    if (words.length >= 3 && words.every((w) => isRomajiWord(w))) clips.push(first + last);
    for (const clip of clips.map((c) => loanFold(c))) if (clip.length >= 4 && !out.includes(clip)) out.push(clip);
  }
  return out;
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
    if (!isJa && field !== 'author' && field !== 'acronym') addLoanword(si, field, text, tokens, segment);
    if (!segment && field !== 'author' && field !== 'acronym' && SEGMENT_BREAK.test(text)) {
      const parts = text.split(SEGMENT_BREAK).map((p) => p.trim()).filter(Boolean);
      if (parts.length > 1) for (const p of parts) add(si, field, p, seen, true);
    }
    // Customers name a part by its subtitle alone: 「第7部のスティール・ボール・ランは？」.
    const partSubtitle = !segment && isJa && field !== 'author' ? JA_PART_SUBTITLE.exec(text.trim()) : null;
    if (partSubtitle) add(si, field, partSubtitle[1], seen, true);
    // A Japanese subtitle between dashes (チ。―地球の運動について―, かぐや様は告らせたい〜天才たちの恋愛頭脳戦〜):
    // customers name the title before it — 「チ。って何巻？」 — which is a name of its own.
    const enclosed = !segment && isJa && field !== 'author' ? JA_ENCLOSED_SUBTITLE.exec(text.trim()) : null;
    if (enclosed) for (const p of [enclosed[1], enclosed[3]]) add(si, field, p.trim(), seen, true);
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
    if (romaji === long) return;
    // A romaji name with an English word in it ("Akame ga Kill!": アカメが斬る / アカメがキル) is typed
    // with that word in katakana: its romaji words kept as they are, the English one spelled.
    const mixed = romaji * 2 >= long;
    const words = normalizeName(text).split(' ').filter((w) => w !== '' && w !== 'x');
    let spelled = '';
    let other = '';
    for (const w of words) {
      let r = loanCache.get(w);
      if (r === undefined) loanCache.set(w, (r = loanwordRomaji(w)));
      // (Mixed, a word that reads as romaji may be English all the same: Fire Force, ファイアフォース.)
      spelled += mixed && isRomajiWord(w) ? w : r;
      other += LOAN_ALTERNATIVES[w] ?? r;
    }
    for (const loan of new Set([loanFold(spelled), loanFold(other)])) {
      if (loan.length < 5) continue;
      const id = entries.length;
      entries.push({ series: si, field, tokens: [loan], key: loan, weights: [], totalWeight: 0, segment, japanese: false, hay: '', compact: loan, loan: true });
      addGrams(id, [loan]);
    }
  }

  const seenBySeries: string[][] = [];
  series.forEach((s, si) => {
    const seen: string[] = [];
    seenBySeries.push(seen);
    add(si, 'title', s.title, seen);
    add(si, 'titleEn', s.titleEn, seen);
    add(si, 'titleJa', s.titleJa, seen);
    for (const a of s.aliases ?? []) add(si, 'alias', a, seen);
    for (const a of s.authors) add(si, 'author', a, seen);
    for (const a of s.authorsJa ?? []) add(si, 'author', a, seen);
  });

  // A sequel an import named in romaji only, whose parent has a Japanese title, is that title
  // plus what the sequel adds to the parent's name: Tokyo Ghoul:re is 東京喰種:re, Jujutsu
  // Kaisen 0 is 呪術廻戦 0 — how Japanese customers write them.
  const index = new Map(series.map((s, si) => [s.id, si]));
  series.forEach((s, si) => {
    const parent = s.parentId !== undefined ? series[index.get(s.parentId) ?? -1] : undefined;
    if (s.titleJa || !parent?.titleJa) return;
    for (const name of [s.title, s.titleEn]) {
      const own = name ? normalizeName(name) : '';
      for (const base of [parent.title, parent.titleEn, ...(parent.aliases ?? [])]) {
        const head = base ? normalizeName(base) : '';
        if (!head || hasJapanese(head) || !own.startsWith(`${head} `)) continue;
        const added = own.slice(head.length).trim();
        if (added.length <= 4) add(si, 'titleJa', `${parent.titleJa} ${added}`, seenBySeries[si]);
      }
    }
  });

  // Acronyms customers use for popular titles (TBHK, BSD, KnY), made from the words of their
  // Latin names. Only when the letters are no word of any name (so never "art" or "cat"), and
  // only for one series: shared by several, the most popular keeps it if it is far more popular.
  const acronymOwners = new Map<string, number[]>();
  series.forEach((s, si) => {
    if (s.popularityRank === undefined || s.popularityRank > ACRONYM_MAX_RANK) return;
    for (const acronym of acronymsOf(s)) {
      if (wordIds.has(acronym)) continue;
      const owners = acronymOwners.get(acronym);
      if (!owners) acronymOwners.set(acronym, [si]);
      else if (!owners.includes(si)) owners.push(si);
    }
  });
  for (const [acronym, owners] of acronymOwners) {
    owners.sort((a, b) => series[a].popularityRank! - series[b].popularityRank!);
    if (owners.length > 1 && series[owners[0]].popularityRank! * 5 > series[owners[1]].popularityRank!) continue;
    add(owners[0], 'acronym', acronym, seenBySeries[owners[0]]);
  }

  // Clippings customers make of a popular title in Japanese (スラダン of Slam Dunk, ハガレン of
  // Hagane no Renkinjutsushi, スパファミ of Spy x Family, 僕街 of Boku dake ga Inai Machi), kept
  // like the acronyms: popular series, one owner, never a word or the spelling of another name.
  // Found only by a kana query or reading spelled exactly so (no trigrams: no near matches).
  const taken = new Set(entries.map((e) => e.compact).filter(Boolean));
  const clipOwners = new Map<string, number[]>();
  series.forEach((s, si) => {
    if (s.popularityRank === undefined || s.popularityRank > ACRONYM_MAX_RANK) return;
    for (const clip of clippingsOf(s)) {
      if (wordIds.has(clip) || taken.has(clip)) continue;
      const owners = clipOwners.get(clip);
      if (!owners) clipOwners.set(clip, [si]);
      else if (!owners.includes(si)) owners.push(si);
    }
  });
  for (const [clip, owners] of clipOwners) {
    owners.sort((a, b) => series[a].popularityRank! - series[b].popularityRank!);
    if (owners.length > 1 && series[owners[0]].popularityRank! * 5 > series[owners[1]].popularityRank!) continue;
    entries.push({ series: owners[0], field: 'acronym', tokens: [clip], key: clip, weights: [], totalWeight: 0, segment: false, japanese: false, hay: '', compact: clip, loan: true });
  }

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
  const editionWords = new Set<number>();
  for (const w of EDITION_WORDS) if (wordIds.has(w)) editionWords.add(wordIds.get(w)!);
  // The entries each word is in (word id w: wordEntries[wordStart[w] .. wordStart[w + 1])), for
  // the names a message's words are part of.
  const wordStart = new Int32Array(data.words.length + 1);
  for (let i = 0; i < data.entryWords.length; i++) wordStart[data.entryWords[i] + 1]++;
  for (let w = 0; w < data.words.length; w++) wordStart[w + 1] += wordStart[w];
  const wordEntries = new Int32Array(data.entryWords.length);
  const wordFill = wordStart.slice(0, data.words.length);
  let next = 0;
  entries.forEach((e, id) => {
    if (e.loan) return;
    const weights = new Array<number>(e.tokens.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = data.entryWords[next++];
      wordEntries[wordFill[w]++] = id;
      total += weights[i] = editionWords.has(w) ? wordIdf[w] * EDITION_WEIGHT : wordIdf[w];
    }
    e.weights = weights;
    e.totalWeight = total;
  });
  const authorKey = series.map((s) => s.authors[0] ?? s.id);

  /**
   * A family name alone ("anything by Oda?", "Urasawa's stuff") is shared by many authors, but a
   * customer who says it means the best-known one: the author whose most popular series is among
   * the store's best known and far ahead of every other author matched the same way. That
   * author's series are not discounted as ambiguous (the others still are).
   */
  function famousAuthorOf(best: Map<number, Scored>): string | undefined {
    const rankOf = new Map<string, number>();
    for (const [si, s] of best) {
      if (!s.partial || s.field !== 'author' || s.score < 0.5) continue;
      const rank = series[si].popularityRank ?? Infinity;
      const key = authorKey[si];
      if (rank < (rankOf.get(key) ?? Infinity)) rankOf.set(key, rank);
    }
    const ranked = [...rankOf].sort((a, b) => a[1] - b[1]);
    const [first, second] = ranked;
    if (!first || first[1] > FAMOUS_AUTHOR_RANK) return undefined;
    return !second || second[1] >= FAMOUS_AUTHOR_LEAD * first[1] ? first[0] : undefined;
  }

  // Japanese names that are ordinary words too: those of a series whose romaji or English title
  // is one word many titles have (モンスター for Monster, 日常 for Nichijou, キングダム).
  const ordinaryJa = new Uint8Array(entries.length);
  for (const id of japanese) {
    const s = series[entries[id].series];
    for (const name of [s.title, s.titleEn]) {
      const words = name ? searchTokens(name) : [];
      const w = words.length === 1 ? wordIds.get(words[0]) : undefined;
      if (w !== undefined && !hasJapanese(words[0]) && data.wordDf[w] >= Math.max(3, seriesCount * ORDINARY_SHARE)) ordinaryJa[id] = 1;
    }
  }
  // Japanese names by their first two characters, for finding them inside a message.
  const jaByStart = new Map<string, number[]>();
  for (const id of japanese) {
    const hay = entries[id].hay;
    if (hay.length < 2) continue;
    const key = hay.slice(0, 2);
    const list = jaByStart.get(key);
    if (list) list.push(id);
    else jaByStart.set(key, [id]);
  }

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
        const s = e.field === 'acronym' ? (q === e.tokens[j] ? 1 : 0) : tokenSimilarity(q, e.tokens[j]);
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

  /**
   * Names whose romaji fits a reading with guessed parts (〔チカイ〕センセン from 血界戦線, see
   * reading-worker.ts): the known parts exactly, a guessed part as any letters of about its
   * length. Only when the known parts are long enough to say something and few series fit.
   */
  function guessedReadingMatches(reading: string): [number, Scored][] {
    let pattern = '';
    let known = 0;
    const guesses: string[] = [];
    for (const part of reading.split(/(〔[^〕]*〕)/)) {
      if (!part) continue;
      const guessed = part.startsWith('〔');
      const kana = guessed ? part.slice(1, -1) : part;
      if (!isKanaOnly(kana)) return [];
      const romaji = foldRomaji(kanaToRomaji(foldKana(kana)));
      if (guessed) {
        pattern += `([a-z]{${kana.length},${3 * kana.length + 2}})`;
        guesses.push(romaji);
      } else {
        pattern += romaji;
        known += romaji.length;
      }
    }
    if (known < GUESSED_READING_MIN_KNOWN) return [];
    const re = new RegExp(`^${pattern}$`);
    // The guess still says something (界 カイ is right in チカイ for kekkai): of the names that fit,
    // only those whose letters there are closest to it.
    let bestFit = GUESSED_READING_MIN_FIT;
    let found: [number, Scored][] = [];
    for (const [compact, ids] of byCompact) {
      const m = re.exec(compact);
      if (!m) continue;
      let fit = 1;
      guesses.forEach((g, i) => {
        const there = m[i + 1];
        const longer = Math.max(g.length, there.length);
        fit = Math.min(fit, 1 - editDistance(g, there, longer) / longer);
      });
      if (fit < bestFit) continue;
      if (fit > bestFit) found = [];
      bestFit = fit;
      for (const e of ids) {
        const entry = entries[e];
        if (entry.loan || entry.field === 'author') continue;
        const score = READING_FACTOR * (0.5 + 0.2 * Math.min(1, known / compact.length) + 0.2 * fit) * (entry.segment ? SEGMENT_FACTOR : 1);
        found.push([e, { score, field: entry.field, partial: entry.segment }]);
      }
    }
    return found;
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
    // One character mistyped in a name of four or more (『鬼滅の刀』 for 鬼滅の刃, a kanji picked wrongly by the IME):
    // as close as a romaji typo, when the name starts the same and is as long.
    if (needle.length === hay.length && hay.length >= 4 && needle.slice(0, 2) === hay.slice(0, 2)) {
      let differ = 0;
      for (let i = 2; i < hay.length && differ < 2; i++) if (needle[i] !== hay[i]) differ++;
      if (differ === 1) return { score: (1 - 1 / hay.length) * (e.segment ? SEGMENT_FACTOR : 1), field: e.field, partial: e.segment };
    }
    // "尾田栄一郎さんの作品" holds the name whole: as good as the name is long.
    if (hay.length >= 3 && needle.includes(hay)) {
      const ratio = hay.length / needle.length;
      if (ratio >= 0.3) return { score: 0.6 + 0.35 * ratio, field: e.field, partial: false };
    }
    return undefined;
  }

  /**
   * A run-together romaji string (from kana, or typed without spaces) against names written
   * without spaces. A dictionary's reading may voice or unvoice the first sound (地縛 read chibaku
   * for Jibaku): for a long reading (`loose`) the first letter need not match.
   */
  function scoreCompact(romaji: string, e: Entry, loose = false): Scored | undefined {
    if (!e.compact) return undefined;
    const factor = (e.segment ? SEGMENT_FACTOR : 1) * (e.loan ? LOAN_FACTOR : 1);
    if (e.compact === romaji) return { score: factor, field: e.field, partial: e.segment };
    const max = Math.floor(Math.max(romaji.length, e.compact.length) / 6);
    if (max === 0 || (romaji[0] !== e.compact[0] && !(loose && romaji.length >= 12))) return undefined;
    const d = editDistance(romaji, e.compact, max);
    if (d > max) return undefined;
    return { score: factor * (1 - d / Math.max(romaji.length, e.compact.length)), field: e.field, partial: e.segment };
  }

  /** Weight of a query word: its IDF, or that of a word two series share when no name has it. */
  const queryWeight = (t: string): number => (wordIds.has(t) ? idf(t) : specificIdf);

  /**
   * The message a query came from, as the name search reads it: its words, which of them are
   * the query's (content, in runs of adjacent content words) and how much each weighs.
   */
  interface Message {
    tokens: string[];
    /** Per word: the run of adjacent content words it belongs to, -1 for a request word. */
    run: Int32Array;
    /** Per word: its weight when content (bare numbers, read as volumes, weigh nothing), else 0. */
    weight: Float64Array;
    /** Words typed with two capitals or more ("TBHK", "KnY"), folded. */
    capitals: Set<string>;
    /** Per name word met so far: how similar each message word is to it (names share words: each is compared once). */
    similarity: Map<string, Float32Array>;
    /** The weight of all the content. */
    contentWeight: number;
  }

  function readMessage(context: string, query: string[]): Message {
    const tokens = messageTokens(context);
    const run = new Int32Array(tokens.length).fill(-1);
    const weight = new Float64Array(tokens.length);
    // The query's words are the message's content, in its order: each found after the one before.
    let at = 0;
    let runs = -1;
    let last = -2;
    for (const q of query) {
      let i = at;
      while (i < tokens.length && tokens[i] !== q) i++;
      if (i === tokens.length) continue;
      if (last !== i - 1) runs++;
      run[i] = runs;
      weight[i] = DIGITS.test(q) ? 0 : queryWeight(q);
      last = i;
      at = i + 1;
    }
    const capitals = new Set<string>();
    for (const w of context.match(/[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*/g) ?? []) capitals.add(w.toLowerCase());
    let contentWeight = 0;
    for (const w of weight) contentWeight += w;
    return { tokens, run, weight, capitals, similarity: new Map(), contentWeight };
  }

  /** A name found in the words of a message: where, and whether all of it is there. */
  interface Found extends Scored {
    from: number;
    to: number;
    whole: boolean;
  }

  /**
   * How similar each message word is to this word of a name: content may be misspelt, request
   * words and numbers must be spelled as in the name, and so must an acronym.
   */
  function similarities(m: Message, word: string, acronym: boolean): Float32Array {
    const key = acronym ? `\u0000${word}` : word;
    let row = m.similarity.get(key);
    if (row) return row;
    // Two more slots: the best similarity over all the words, and over the content.
    const n = m.tokens.length;
    row = new Float32Array(n + 2);
    for (let i = 0; i < n; i++) {
      const t = m.tokens[i];
      const s = (row[i] = t === word ? 1 : acronym || m.run[i] < 0 || m.weight[i] === 0 ? 0 : tokenSimilarity(t, word));
      if (s > row[n]) row[n] = s;
      if (m.run[i] >= 0 && s > row[n + 1]) row[n + 1] = s;
    }
    m.similarity.set(key, row);
    return row;
  }

  /**
   * The best stretch of the message's words that spells this name (all of it or a specific part),
   * taking in some of the content: scored by how much of the name is there, with the content
   * left outside it counted against it — in full when it runs on from the name ("Quantum Samurai
   * Bakery" is not "Samurai"), less when request words stand between them, the less the more
   * specific the name ("Frieren ... print or digital").
   */
  function findInMessage(m: Message, e: Entry, floor: number): Found | undefined {
    const n = m.tokens.length;
    const k = e.tokens.length;
    const rows = e.tokens.map((w) => similarities(m, w, e.field === 'acronym'));
    // Most candidates share trigrams but too little with the message to score: settled before
    // the windows, by the best each name word finds anywhere — all of the name at most, or a
    // part, specific at most as the content it finds, against all the content there is.
    let all = 0;
    let found = 0;
    let specificAtMost = 0;
    for (let j = 0; j < k; j++) {
      all += rows[j][n] * e.weights[j];
      found += rows[j][n + 1] * e.weights[j];
      if (e.tokens[j].length > 2) specificAtMost += rows[j][n + 1] * e.weights[j];
    }
    if (found === 0) return undefined;
    const wholeAtMost = e.totalWeight > 0 && all / e.totalWeight >= 0.8;
    const partAtMost = (0.2 + 0.68 * Math.min(1, specificAtMost / specificIdf)) * Math.min(1, found / Math.max(m.contentWeight, 1e-9));
    if (!wholeAtMost && partAtMost < floor) return undefined;
    let best: Found | undefined;
    const used = new Uint8Array(k);
    for (let i = 0; i < n; i++) {
      used.fill(0);
      // All of the name found (request words included: "Your Name."), and what the content found
      // of it: request words count half towards a part of a name (they are words of every
      // title, "the end"), content in full.
      let nameGot = 0;
      let contentGot = 0;
      let contentWeight = 0;
      let specific = 0;
      let content = false;
      let exact = true;
      let to = i;
      let t = i;
      const runs: number[] = [];
      while (t < n) {
        let sim = 0;
        let bestJ = -1;
        for (let j = 0; j < k; j++) {
          if (used[j]) continue;
          const s = rows[j][t];
          if (s > sim) {
            sim = s;
            bestJ = j;
          }
        }
        if (bestJ >= 0) {
          used[bestJ] = 1;
          nameGot += sim * e.weights[bestJ];
          if (sim < 1) exact = false;
          const share = m.run[t] >= 0 ? 1 : 0.5;
          contentGot += share * sim * e.weights[bestJ];
          contentWeight += share * e.weights[bestJ];
          if (e.tokens[bestJ].length > 2) specific += share * sim * e.weights[bestJ];
          if (m.run[t] >= 0) {
            content = true;
            if (!runs.includes(m.run[t])) runs.push(m.run[t]);
          }
          to = ++t;
          continue;
        }
        // One request word may stand inside a name ("Spice and Wolf" for Spice & Wolf).
        if (t > i && m.run[t] < 0 && t + 1 < n && m.tokens[t].length <= 3) {
          t++;
          continue;
        }
        break;
      }
      if (to === i || !content) continue;
      let near = 0;
      let far = 0;
      for (let x = 0; x < n; x++) {
        if ((x >= i && x < to) || m.run[x] < 0) continue;
        if (runs.includes(m.run[x])) near += m.weight[x];
        else far += m.weight[x];
      }
      const nCov = e.totalWeight > 0 ? nameGot / e.totalWeight : 0;
      const partial = nCov < 0.8;
      const spec = Math.min(1, specific / specificIdf);
      // Content far from a whole name, spelt as the catalog spells it, counts less the rarer the
      // name's words: in full up to 55 % of the IDF of a word two series share (5 of 9 at
      // 15,000 series), a quarter from all of it. "assassin" in a story is not "Assassine".
      const rarity = nameGot / specificIdf;
      const farShare = partial || !exact ? 1 : 1 - 0.75 * Math.min(1, Math.max(0, (rarity - 0.55) / 0.45));
      const coverage = (partial ? contentGot : nameGot) / ((partial ? contentWeight : nameGot) + near + farShare * far);
      let score = coverage * (0.2 + 0.8 * Math.max(nCov, partial ? 0.85 * spec : 0));
      if (e.segment) score *= SEGMENT_FACTOR;
      if (e.field === 'acronym') score *= ACRONYM_FACTOR * (m.capitals.has(e.key) || near + far === 0 ? 1 : 0.75);
      if (!best || score > best.score) best = { score, field: e.field, partial: partial || e.segment, from: i, to, whole: !partial };
      i = to - 1;
    }
    return best;
  }

  /** What follows a title and nothing else: a volume, an edition, the store's words for a book on sale. */
  const TITLE_CUE = /^\s*(の|は|って|が|を|も)?\s*(第?[0-9]|巻|新刊|最新刊|最終巻|全巻|完全版|新装版|愛蔵版|電子版|電子書籍|単行本|在庫|発売|予約)/;
  /** Characters that may follow a Japanese title in a sentence: particles, copulas and the usual words after a title. */
  const AFTER_JA = new Set([...'のはがをにでともへやかっだじねよあ全最新巻何在売買予送届欲読探']);
  /** Particles after which a Japanese title may start inside a sentence. */
  const BEFORE_JA = new Set([...'のはがをにでともへやか']);
  const KANJI_CHAR = /[\u3400-\u9fff\uf900-\ufaff々]/;
  const HIRAGANA_CHAR = /[\u3041-\u309f]/;

  /**
   * Japanese names inside a message: a whole name (two characters only where it stands apart),
   * or the start of a title customers shorten it to (ワンピ, 鬼滅, 薬屋) where it stands apart
   * — followed by a particle or a word about the book, not by more of another word.
   */
  function findJapanese(context: string, query: string[], consider: (e: number, s: Found) => void): void {
    // The message's words run together, in the script typed (for particles) and folded (for
    // matching), with a cut where the message had a space, punctuation or a change of script.
    let raw = '';
    let text = '';
    const cut = new Set<number>();
    for (const t of normalizeName(context).split(' ')) {
      for (const part of t.split(CJK_RUN)) {
        if (!part) continue;
        cut.add(raw.length);
        raw += part;
        text += hasJapanese(part) ? foldKana(part) : foldRomaji(part);
        // Folding romaji may shorten it ("ou" → "o"): keep both the same length.
        raw = raw.slice(0, text.length).padEnd(text.length, ' ');
      }
    }
    if (!hasJapanese(text)) return;
    const content = new Uint8Array(text.length);
    let at = 0;
    for (const q of query) {
      const i = text.indexOf(q, at);
      if (i < 0) continue;
      content.fill(1, i, i + q.length);
      at = i + q.length;
    }
    let contentTotal = 0;
    for (const c of content) contentTotal += c;
    if (contentTotal === 0) return;
    const startsApart = (p: number): boolean => p === 0 || cut.has(p) || (BEFORE_JA.has(raw[p - 1]) && !KANJI_CHAR.test(raw[p])) || (HIRAGANA_CHAR.test(raw[p - 1]) && !HIRAGANA_CHAR.test(raw[p])) || (BEFORE_JA.has(raw[p - 1]) && KANJI_CHAR.test(raw[p]));
    const endsApart = (q: number): boolean => q === text.length || cut.has(q) || AFTER_JA.has(raw[q]);
    const matches: Array<{ id: number; len: number; whole: boolean }> = [];
    for (let p = 0; p + 2 <= text.length; p++) {
      const list = jaByStart.get(text.slice(p, p + 2));
      if (!list) continue;
      matches.length = 0;
      for (const id of list) {
        const e = entries[id];
        const hay = e.hay;
        let len = 2;
        while (len < hay.length && p + len < text.length && text[p + len] === hay[len]) len++;
        let whole = len === hay.length;
        if (whole && !(endsApart(p + len) && (len >= 3 || startsApart(p)))) whole = false;
        if (!whole) {
          // The start of a title, where a shortening of it would end, leaving a word of it out
          // (殺し屋 is not a shortening of 殺し屋1, nor an ordinary word of any title's).
          if (e.field === 'author' || ordinaryJa[id] || !startsApart(p)) continue;
          while (len >= 2 && !endsApart(p + len)) len--;
          if (len < 2 || hay.length - len < 2 || len / hay.length < 0.25) continue;
        }
        matches.push({ id, len, whole });
      }
      for (const { id, len, whole } of matches) {
        // What is another series' whole name is not the start of this one (東京喰種 of 東京喰種 jack).
        if (!whole && matches.some((m) => m.whole && m.len === len && entries[m.id].series !== entries[id].series)) continue;
        const e = entries[id];
        const hay = e.hay;
        const end = p + len;
        let inside = 0;
        for (let c = p; c < end; c++) inside += content[c];
        if (inside === 0) continue;
        // Content outside the name counts against it, less for a longer name — in full for a
        // name that is an ordinary word too (モンスター in a story about dungeon monsters) —
        // unless a volume or an edition follows it: then it is a title (ベルセルク1〜3巻, 鬼滅の最終巻).
        const outside = TITLE_CUE.test(raw.slice(end, end + 6)) ? 0 : contentTotal - inside;
        const ordinary = ordinaryJa[id] === 1 || len < 3;
        const coverage = len / (len + (ordinary ? 1 : len >= 5 ? 0.25 : 0.5) * outside);
        const floor = ordinary ? 0.4 : len >= 4 ? 0.75 : 0.6;
        const base = whole ? 0.92 : 0.6 + 0.3 * (len / hay.length);
        const score = base * (floor + (1 - floor) * coverage) * (e.segment ? SEGMENT_FACTOR : 1);
        consider(id, { score, field: e.field, partial: !whole || e.segment, from: JA_SPAN + p, to: JA_SPAN + end, whole });
      }
    }
  }

  function search(query: string, limit: number, opts: SearchOptions = {}): SeriesHit[] {
    const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
    const reading = opts.reading;
    const qTokens = messageTokens(query);
    if (qTokens.length === 0 || limit <= 0) return [];
    const qKey = qTokens.join(' ');
    const best = new Map<number, Scored>();
    // Each series' best score by a name of its own (not its author's).
    const byName = new Map<number, number>();
    // Where each series' name was found in the message, when all of it was: for names inside longer names.
    const spans = new Map<number, Found>();
    const spanned = (e: number, found: Found | undefined): void => {
      if (!found?.whole) return;
      const si = entries[e].series;
      const had = spans.get(si);
      if (!had || found.to - found.from > had.to - had.from) spans.set(si, found);
    };
    const consider = (e: number, s: Scored | undefined, factor = 1): void => {
      if (!s) return;
      const score = s.score * factor;
      if (score < minScore) return;
      const si = entries[e].series;
      const had = best.get(si);
      if (!had || score > had.score) best.set(si, { field: s.field, partial: s.partial, score });
      if (s.field !== 'author' && score > (byName.get(si) ?? 0)) byName.set(si, score);
    };
    // A query of one word has no name inside a longer one to find, unless a message is around it.
    const message = opts.context !== undefined || qTokens.length > 1 ? readMessage(opts.context ?? query, qTokens) : undefined;

    const isJa = hasJapanese(qKey);
    // A run of content with the words either side of it, written together: a title's one word typed
    // as two ("full metal alchimist" for Fullmetal Alchemist), compared as run-together romaji below.
    const joined = new Map<string, boolean>();
    if (!isJa || /[a-z0-9]/.test(qKey)) {
      const qWeights = qTokens.map(queryWeight);
      // Names close to the whole query are scored as a whole too; the others only as found in the message.
      const whole = new Set(candidatesFor(qTokens));
      const candidates = new Set(whole);
      if (message) {
        // Each run of content on its own with the words either side of it, and the names a rare
        // content word is in: a title among other words shares too few trigrams with all of them
        // to be a candidate of the whole, and a misspelt title with its request words taken out
        // ("one peice") too few with what is left.
        const { tokens, run } = message;
        // A long message (a story told around a title) has many runs: the first few are looked up.
        let lookups = 0;
        // The names of the rarest content words first, MAX_WORD_NAMES of them at most.
        const rare = [...new Set(tokens.filter((t, i) => run[i] >= 0 && !DIGITS.test(t)))]
          .map((t) => wordIds.get(t))
          .filter((w): w is number => w !== undefined && data.wordDf[w] <= RARE_WORD_DF)
          .sort((a, b) => data.wordDf[a] - data.wordDf[b]);
        let named = 0;
        for (const w of rare) {
          if (named + wordStart[w + 1] - wordStart[w] > MAX_WORD_NAMES && named > 0) break;
          for (let x = wordStart[w]; x < wordStart[w + 1]; x++) candidates.add(wordEntries[x]);
          named += wordStart[w + 1] - wordStart[w];
        }
        for (let i = 0; i < tokens.length; i++) {
          if (run[i] < 0) continue;
          if (i > 0 && run[i - 1] === run[i]) continue;
          let end = i;
          while (end + 1 < tokens.length && run[end + 1] === run[i]) end++;
          const from = i > 0 && !DIGITS.test(tokens[i - 1]) && !hasJapanese(tokens[i - 1]) ? i - 1 : i;
          const to = end + 1 < tokens.length && !DIGITS.test(tokens[end + 1]) && !hasJapanese(tokens[end + 1]) ? end + 1 : end;
          // A run with a rare word has its names already; one with a word no name has (a typo) or
          // of common words only ("your name") is looked for by trigrams — never a run of numbers
          // alone ("8" of "Kaiju No. 8").
          let rare = false;
          let unknown = false;
          for (let x = i; x <= end; x++) {
            const id = wordIds.get(tokens[x]);
            if (id === undefined) unknown ||= !DIGITS.test(tokens[x]);
            else rare ||= data.wordDf[id] <= RARE_WORD_DF;
          }
          // (Two words of content at least: "in love with" is no "Love Witch". Spelled as a name
          // has it, looked up whole; misspelt — a word no name has — looked up by trigrams too.)
          if (end > i && !hasJapanese(tokens.slice(from, to + 1).join(''))) {
            for (const [a, b] of [[from, end], [i, to], [from, to], [i, end]]) {
              const form = compactOf(tokens.slice(a, b + 1));
              joined.set(form, (joined.get(form) ?? false) || unknown);
            }
          }
          if ((!unknown && rare) || lookups >= MAX_RUN_LOOKUPS) continue;
          lookups++;
          const own = tokens.slice(i, end + 1).filter((t) => !DIGITS.test(t));
          if (own.length === 0) continue;
          // With the word before it and with the word after it, each on its own: "one peice"
          // must not share its trigrams with "volume" to find One Piece.
          if (from < i) for (const e of candidatesFor([tokens[from], ...own])) candidates.add(e);
          if (to > end) for (const e of candidatesFor([...own, tokens[to]])) candidates.add(e);
          if (from === i && to === end && tokens.length > qTokens.length) for (const e of candidatesFor(own)) candidates.add(e);
        }
      }
      for (const e of candidates) {
        const entry = entries[e];
        if (entry.loan || entry.japanese) continue;
        const bag = entry.key === qKey ? { score: 1, field: entry.field, partial: entry.segment } : whole.has(e) ? scoreTokens(qTokens, qWeights, entry) : undefined;
        if (bag && entry.field === 'acronym') bag.score *= ACRONYM_FACTOR * (message && !message.capitals.has(entry.key) && qTokens.length > 1 ? 0.75 : 1);
        const found = message ? findInMessage(message, entry, minScore) : undefined;
        spanned(e, found);
        consider(e, found && (!bag || found.score > bag.score) ? found : bag);
      }
    }
    // Run-together romaji ("onepiece", "kimetsunoyaiba") and kana spellings of romaji titles.
    const romajiForms: string[] = [];
    if (!isJa && qTokens.length === 1 && qKey.length >= 6) romajiForms.push(compactOf(qTokens));
    if (isJa) {
      const needle = qTokens.join('');
      for (const e of japanese) consider(e, scoreJapanese(needle, entries[e]));
      if (opts.context !== undefined) {
        findJapanese(opts.context, qTokens, (e, found) => {
          spanned(e, found);
          consider(e, found);
        });
      }
      if (isKanaOnly(needle)) {
        const romaji = kanaToRomaji(needle);
        romajiForms.push(compactOf([romaji]), loanFold(romaji));
      }
    }
    const plainReading = reading?.replace(/[〔〕]/g, '');
    const readingForm = plainReading && isKanaOnly(plainReading) ? compactOf([kanaToRomaji(foldKana(plainReading))]) : undefined;
    if (readingForm) romajiForms.push(readingForm);
    if (reading && reading !== plainReading) for (const [e, scored] of guessedReadingMatches(reading)) consider(e, scored);
    for (const [romaji, misspelt] of joined) {
      // (Long enough that the edits allowed, one per six letters, leave a word of its own.)
      if (romaji.length < 8 || DIGITS.test(romaji)) continue;
      for (const e of misspelt ? candidatesFor([romaji]) : (byCompact.get(romaji) ?? [])) if (!entries[e].japanese && !entries[e].loan) consider(e, scoreCompact(romaji, entries[e]), READING_FACTOR);
    }
    for (const romaji of new Set(romajiForms)) {
      if (romaji.length < 4) continue;
      const loose = romaji === readingForm;
      for (const e of byCompact.get(romaji) ?? []) consider(e, scoreCompact(romaji, entries[e], loose), READING_FACTOR);
      for (const e of candidatesFor([romaji])) consider(e, scoreCompact(romaji, entries[e], loose), READING_FACTOR);
      // A title ending in the particle は (Kimi no Na wa.) loses it to the request: 「君の名はありますか」.
      for (const e of byCompact.get(`${romaji}wa`) ?? []) consider(e, scoreCompact(`${romaji}wa`, entries[e]), READING_FACTOR * 0.95);
    }

    // A name inside a longer name found in the same words ("Tokyo Ghoul" in "Tokyo Ghoul:re",
    // "Jujutsu Kaisen" in "Jujutsu Kaisen 0", "No Name" in "Your Name") is not what was named.
    for (const [si, inner] of spans) {
      for (const [other, outer] of spans) {
        if (other === si || outer.from > inner.from || outer.to < inner.to || outer.to - outer.from <= inner.to - inner.from) continue;
        if ((best.get(other)?.score ?? 0) < NAMED_BY_SPAN) continue;
        const s = best.get(si);
        if (s) s.score *= NESTED_FACTOR;
        break;
      }
    }

    // An author named with one of their titles (「浦沢直樹のMONSTER」, "Urasawa's Pluto"): that title is
    // the one asked for, not the author's other works the author's name found as well.
    const titledAuthors = new Map<string, number>();
    let authorFound = false;
    for (const s of best.values()) authorFound ||= s.field === 'author';
    if (authorFound) for (const [si, named] of byName) {
      if (named < TITLE_BESIDE_AUTHOR || best.get(si) === undefined || !beyondAuthors(qTokens, series[si])) continue;
      for (const a of series[si].authors) titledAuthors.set(a, Math.max(titledAuthors.get(a) ?? 0, named));
    }
    for (const [si, s] of best) {
      if (titledAuthors.size === 0 || s.field !== 'author' || (byName.get(si) ?? 0) >= TITLE_BESIDE_AUTHOR) continue;
      const titled = Math.max(0, ...series[si].authors.map((a) => titledAuthors.get(a) ?? 0));
      if (titled === 0) continue;
      s.score = Math.min(s.score, titled) * OTHER_WORK_FACTOR;
    }

    // A part of a name that many unrelated works share ("next", "game") names none of them:
    // partial matches are discounted by how many different authors they spread over.
    const partialAuthors = new Set<string>();
    for (const [si, s] of best) if (s.partial && s.score >= 0.5) partialAuthors.add(authorKey[si]);
    const spread = partialAuthors.size;
    const ambiguity = spread <= 1 ? 1 : spread === 2 ? 0.92 : spread <= 4 ? 0.8 : 0.65;
    const famous = famousAuthorOf(best);

    const hits: SeriesHit[] = [];
    for (const [si, s] of best) {
      // Beside the famous author, another author with the same name is not who was meant.
      const other = famous !== undefined && s.field === 'author' && authorKey[si] !== famous ? OTHER_AUTHOR_FACTOR : 1;
      const score = s.partial && authorKey[si] !== famous ? s.score * ambiguity * other : s.score;
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

const FIELDS: Field[] = ['title', 'titleEn', 'titleJa', 'alias', 'author', 'acronym'];
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
    parts.push(s.id, s.title, s.titleEn ?? '', s.titleJa ?? '', (s.aliases ?? []).join('\u0002'), s.authors.join('\u0002'), (s.authorsJa ?? []).join('\u0002'), s.popularityRank === undefined ? '' : String(s.popularityRank), s.parentId ?? '');
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
