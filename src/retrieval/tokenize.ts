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

const KATAKANA = /[\u30a1-\u30f6]/g;

/** NFKC (full-width → half-width, half-width kana → full-width), lower case, katakana folded to hiragana. */
export function normalize(text: string): string {
  // Folding lets ワンピース match わんぴーす: store titles and customers mix the two scripts.
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(KATAKANA, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/** True for kana, kanji and the iteration/prolonged-sound marks that belong inside Japanese words. */
export function isCjk(code: number): boolean {
  return (
    (code >= 0x3041 && code <= 0x309f) || // hiragana (incl. ゝゞ)
    (code >= 0x30a0 && code <= 0x30ff) || // katakana (incl. ー)
    (code >= 0x3400 && code <= 0x4dbf) || // CJK extension A
    (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
    (code >= 0xf900 && code <= 0xfaff) || // compatibility ideographs
    (code >= 0x20000 && code <= 0x3134f) || // extensions B-G (rare kanji in names)
    code === 0x3005 || code === 0x3006 // 々 〆
  );
}

/** True for kanji (ideographs and 々). */
export function isKanji(code: number): boolean {
  return (
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x20000 && code <= 0x3134f) ||
    code === 0x3005
  );
}

/** True for a letter or digit of a Latin-script (or other spaced-script) word, after {@link normalize}. */
export function isWordCode(code: number): boolean {
  if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) return true;
  if (code < 0xc0) return false;
  // Accented letters, Greek, Cyrillic...; skips ×, ÷, general punctuation, symbols and CJK punctuation.
  return code !== 0xd7 && code !== 0xf7 && !(code >= 0x2000 && code <= 0x2bff) && !(code >= 0x3000 && code <= 0x303f) && !isCjk(code) && !(code >= 0xd800 && code <= 0xdfff) && !(code >= 0xff00 && code <= 0xffef);
}

/** Splits already-normalised text into Japanese runs and Latin words (apostrophes inside words are dropped). */
export function scriptRuns(normalized: string): ScriptRun[] {
  // Char-code loop rather than a regex per character: this runs over every catalog synopsis at start-up.
  const runs: ScriptRun[] = [];
  const n = normalized.length;
  let i = 0;
  while (i < n) {
    const code = normalized.codePointAt(i)!;
    if (isCjk(code)) {
      const start = i;
      let c = code;
      while (i < n && isCjk(c)) {
        i += c > 0xffff ? 2 : 1;
        c = normalized.codePointAt(i) ?? 0;
      }
      runs.push({ script: 'cjk', text: normalized.slice(start, i) });
    } else if (isWordCode(code)) {
      const start = i;
      let hasApostrophe = false;
      while (i < n) {
        const c = normalized.charCodeAt(i);
        if (isWordCode(c)) i++;
        else if ((c === 39 || c === 0x2019) && i + 1 < n && isWordCode(normalized.charCodeAt(i + 1))) {
          // "JoJo's" → "jojos" → stem "jojo"
          hasApostrophe = true;
          i++;
        } else break;
      }
      const word = normalized.slice(start, i);
      runs.push({ script: 'latin', text: hasApostrophe ? word.replace(/['\u2019]/g, '') : word });
    } else {
      i += code > 0xffff ? 2 : 1;
    }
  }
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
    // Code units are characters except for rare astral kanji; only then pay for Array.from.
    const chars = /[\ud800-\udfff]/.test(run.text) ? Array.from(run.text) : run.text.split('');
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
