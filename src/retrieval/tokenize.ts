// Tokenizer shared by the lexical index, the hashing embedder and the reranker.
//
// Written by hand on purpose: the only JavaScript morphological analyser for Japanese
// (kuromoji) is unmaintained since 2018 and needs a ~17 MB dictionary download, and the
// dictionary-free alternatives are unmaintained too. Overlapping character bigrams are the
// standard dictionary-free approach for CJK search (Lucene's CJKBigramFilter does the same):
// a query word of n characters always shares its n-1 bigrams with any text containing it.

/** A maximal run of one script in normalised text. */
export interface ScriptRun {
  script: 'cjk' | 'latin';
  text: string;
}

/** Options for {@link tokenize}. */
export interface TokenizeOptions {
  /** Also emit single kanji, so one-kanji words (鬼, 本) match. @default true */
  kanjiUnigrams?: boolean;
  /** Drop common English function words. @default true */
  dropStopwords?: boolean;
}

const KATAKANA_START = 0x30a1;
const KATAKANA_END = 0x30f6;

/** NFKC (full-width → half-width, half-width kana → full-width), lower case, katakana folded to hiragana. */
export function normalize(text: string): string {
  const nfkc = text.normalize('NFKC').toLowerCase();
  let out = '';
  for (let i = 0; i < nfkc.length; i++) {
    const c = nfkc.charCodeAt(i);
    // Folding lets ワンピース match わんぴーす: store titles and customers mix the two scripts.
    out += c >= KATAKANA_START && c <= KATAKANA_END ? String.fromCharCode(c - 0x60) : nfkc[i];
  }
  return out;
}

/** True for kana, kanji and the iteration/prolonged-sound marks that belong inside Japanese words. */
export function isCjk(code: number): boolean {
  return (
    (code >= 0x3041 && code <= 0x309f) || // hiragana (incl. ゝゞ)
    (code >= 0x30a0 && code <= 0x30ff) || // katakana (incl. ー)
    (code >= 0x3400 && code <= 0x4dbf) || // CJK extension A
    (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
    (code >= 0xf900 && code <= 0xfaff) || // compatibility ideographs
    code === 0x3005 || code === 0x3006 // 々 〆
  );
}

/** True for kanji (ideographs and 々). */
export function isKanji(code: number): boolean {
  return (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff) || code === 0x3005;
}

const LATIN_WORD = /[\p{L}\p{N}]/u;

/** Splits already-normalised text into Japanese runs and Latin words (apostrophes inside words are dropped). */
export function scriptRuns(normalized: string): ScriptRun[] {
  const runs: ScriptRun[] = [];
  let cur = '';
  let curScript: ScriptRun['script'] | undefined;
  const flush = () => {
    if (cur && curScript) runs.push({ script: curScript, text: cur });
    cur = '';
    curScript = undefined;
  };
  for (const ch of normalized) {
    const code = ch.codePointAt(0)!;
    if (isCjk(code)) {
      if (curScript !== 'cjk') flush();
      curScript = 'cjk';
      cur += ch;
    } else if (LATIN_WORD.test(ch)) {
      if (curScript !== 'latin') flush();
      curScript = 'latin';
      cur += ch;
    } else if ((ch === "'" || ch === '’') && curScript === 'latin') {
      // "JoJo's" → "jojos" → stem "jojo"
      continue;
    } else {
      flush();
    }
  }
  flush();
  return runs;
}

const STOPWORDS = new Set(
  'a an the and or of to in on at for with by from is are was were be been am do does did i me my we our you your it its this that these those can could would should will shall how what which who whom when where why there here if so as about into any some please hi hello'.split(
    ' ',
  ),
);

/** Light English stemming (plural, -ing, -ed): Porter over-conflates names and titles, this only folds inflections. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(ches|shes|xes|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4 && !w.endsWith('eed')) w = undouble(w.slice(0, -2));
  // Dropping a final silent e makes damage/damaged/damaging and ride/riding meet at one stem.
  if (w.endsWith('e') && !w.endsWith('ee') && w.length > 4) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  // shipping → shipp → ship; but keep "ll"/"ss" endings (spell, pass).
  const n = w.length;
  if (n >= 3 && w[n - 1] === w[n - 2] && !'lsz'.includes(w[n - 1])) return w.slice(0, -1);
  return w;
}

/** Index/query terms: character bigrams (+ kanji unigrams) for Japanese, stemmed lower-case words for Latin text. */
export function tokenize(text: string, opts: TokenizeOptions = {}): string[] {
  const kanjiUnigrams = opts.kanjiUnigrams ?? true;
  const dropStopwords = opts.dropStopwords ?? true;
  const out: string[] = [];
  for (const run of scriptRuns(normalize(text))) {
    if (run.script === 'latin') {
      if (dropStopwords && STOPWORDS.has(run.text)) continue;
      out.push(stem(run.text));
      continue;
    }
    const chars = Array.from(run.text);
    if (chars.length === 1) {
      out.push(chars[0]);
      continue;
    }
    for (let i = 0; i < chars.length; i++) {
      if (kanjiUnigrams && isKanji(chars[i].codePointAt(0)!)) out.push(chars[i]);
      if (i + 1 < chars.length) out.push(chars[i] + chars[i + 1]);
    }
  }
  return out;
}

/** Guesses the language of a customer query: any kana or kanji means Japanese. */
export function detectLanguage(text: string): 'ja' | 'en' {
  for (const ch of text.normalize('NFKC')) if (isCjk(ch.codePointAt(0)!)) return 'ja';
  return 'en';
}
