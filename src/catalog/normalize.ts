/**
 * Name normalisation shared by catalog search and import merging, so that "the same title"
 * means the same thing in both places.
 */

const LATIN_MARKS = /[\u0300-\u036f]/g;
const APOSTROPHES = /['’`´]/g;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const VOWELS = 'aeiou';
const ASCII = /^[\x00-\x7f]*$/;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]/;

/**
 * Lower-cases, folds full-width forms (NFKC), strips Latin accents (Nausicaä → nausicaa) but
 * keeps Japanese dakuten, drops apostrophes (Journey's → journeys) and turns every other
 * punctuation run into one space.
 */
export function normalizeName(text: string): string {
  // Plain ASCII (most of an imported catalog's names) needs no Unicode normalisation: the three
  // normalize() passes are most of the cost of indexing 40,000 names at start-up.
  // Only U+0300–U+036F are removed: kana voicing marks (U+3099/309A) must survive NFD.
  const folded = ASCII.test(text) ? text.toLowerCase() : text.normalize('NFKC').toLowerCase().normalize('NFD').replace(LATIN_MARKS, '').normalize('NFC');
  return folded.replace(APOSTROPHES, '').replace(NOT_WORD, ' ').trim();
}

/**
 * Collapses romaji long vowels (Kyoujin/Kyojin, Shounen/Shonen, Kentarou/Kentaro) so the many
 * romanisations of one Japanese word compare equal (Ōoku, Oooku and Ooku all become "oku"). Applied to both sides of a comparison only.
 */
export function foldRomaji(token: string): string {
  if (CJK.test(token)) return token;
  // One pass over the characters (this runs on every name at start-up): "ou" becomes "o", then
  // a run of one vowel becomes one — the same as replace(/ou/g, 'o').replace(/([aeiou])\1+/g, '$1').
  let out = '';
  let last = '';
  for (let i = 0; i < token.length; i++) {
    const c = token[i];
    if (c === 'o' && token[i + 1] === 'u') i++;
    if (c === last && VOWELS.includes(c)) continue;
    out += c;
    last = c;
  }
  return out;
}

/** Normalised, romaji-folded tokens of a name. */
export function nameTokens(text: string): string[] {
  const norm = normalizeName(text);
  return norm === '' ? [] : norm.split(' ').map(foldRomaji);
}

/** The key two names must share to be "the same title" when merging imports. */
export function nameKey(text: string): string {
  // All-punctuation titles exist ("&" by Mari Okazaki): fall back to the raw text.
  return nameTokens(text).join(' ') || text.trim().toLowerCase();
}

/** True when the text contains Japanese script (kana or kanji). */
export function hasJapanese(text: string): boolean {
  return CJK.test(text);
}

/** A URL-safe slug of a title: "Shingeki no Kyojin" → "shingeki-no-kyojin". */
export function slugify(text: string): string {
  return normalizeName(text)
    .replace(/[^a-z0-9 ]/g, '')
    .trim()
    .replace(/ +/g, '-')
    .slice(0, 80)
    .replace(/-+$/, '');
}
