/**
 * Who may see a series: the store's audience rule, read from the catalog.
 *
 * A series is for age-confirmed customers only when the catalog flags it (`ageRestricted`), when
 * it is in an adult genre (Hentai, Erotica), when it is fan-service (Ecchi) for older readers
 * (Seinen, Josei: the shipped catalog sells its two such titles 18+ and its Shounen one to
 * everyone, and an import follows the same rule), or when it is a spin-off of such a series (a
 * shared author and the series' name inside its own: Gantz:G of Gantz, or the same work listed
 * twice; or a long name at the start of its own: Monster Musume no Iru Nichijou 4-koma Anthology). The import marks the
 * first three itself; they are applied here again so a series that reached the catalog without
 * the flag (an older import, a JSONL feed) is still never shown to a guest.
 */
import type { Audience } from './types.ts';

/** What the audience rule reads of a series (a subset of the catalog's Series). */
export interface AudienceSeries {
  id: string;
  title: string;
  titleEn?: string;
  titleJa?: string;
  aliases?: string[];
  authors: string[];
  genres: string[];
  themes?: string[];
  demographic?: string;
  ageRestricted?: boolean;
}

/** Genres that make a title adult whatever else it is (MyAnimeList vocabulary). */
const ADULT_GENRES = new Set(['Hentai', 'Erotica']);
/** Demographics whose fan-service titles the store sells 18+. */
const OLDER_READERS = new Set(['Seinen', 'Josei']);

/** True when the customer may see age-restricted titles: signed in and age confirmed. */
export function ageAllowed(audience: Pick<Audience, 'kind' | 'ageConfirmed'>): boolean {
  return audience.kind !== 'guest' && audience.ageConfirmed === true;
}

/** Adult by its own data (flag, genre, fan-service for older readers); spin-offs need the catalog (catalogAudience). */
export function adultBySelf(s: AudienceSeries): boolean {
  if (s.ageRestricted === true) return true;
  if (s.genres.some((g) => ADULT_GENRES.has(g))) return true;
  return s.genres.includes('Ecchi') && s.demographic !== undefined && OLDER_READERS.has(s.demographic);
}

/** Every name of a series (display, English, Japanese, aliases). */
export function namesOf(s: Pick<AudienceSeries, 'title' | 'titleEn' | 'titleJa' | 'aliases'>): string[] {
  return [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])].filter((n): n is string => !!n);
}

/**
 * A name's head before its subtitle ("Monster Musume" of "Monster Musume: Everyday Life with
 * Monster Girls"), which customers say alone; only a head of two words or more (four characters
 * in Japanese): one word is too often an ordinary one.
 */
export function headOf(name: string): string | undefined {
  const m = /^(.+?)\s*(?:[:：]|\s[-–—~〜]\s?|[〜~])\s*\S/u.exec(name);
  if (!m) return undefined;
  const head = m[1].trim();
  const latin = /^[\p{Script=Latin}\d\s'’!?.&,-]+$/u.test(head);
  return (latin ? head.split(/\s+/).length >= 2 : head.length >= 4) ? head : undefined;
}

/** The catalog's audience: the ids of every adult series (spin-offs included) and the names the text filters use. */
export interface CatalogAudience {
  restrictedIds: Set<string>;
  /** Every name of every adult series. */
  restrictedTitles: string[];
  /** Every name of every all-ages series. */
  allAgesTitles: string[];
  /** The adult series by each of their names and heads (a name two series share lists both), for finding them named in a message. */
  restrictedByName: Map<string, string[]>;
}

// Author names as one key whatever the order ("Hiroya Oku" = "Oku, Hiroya"): their letters, sorted.
function authorKey(name: string): string {
  return [...name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')].sort().join('');
}

// A name as words: lower case, runs of letters/digits (so "Gantz:G" is "gantz g").
function wordsOf(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function containsWords(haystack: string, needle: string): boolean {
  if (!needle || needle.length > haystack.length) return false;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = at === 0 || haystack[at - 1] === ' ' || !/[a-z0-9]/.test(haystack[at - 1]) || !/[a-z0-9]/.test(needle[0]);
    const endAt = at + needle.length;
    const after = endAt === haystack.length || haystack[endAt] === ' ' || !/[a-z0-9]/.test(haystack[endAt]) || !/[a-z0-9]/.test(needle[needle.length - 1]);
    if (before && after) return true;
  }
  return false;
}

/** Short names ("Ai", "ガンツ" has 3) say too little to tie a spin-off to its series. */
const MIN_SPIN_OFF_NAME = 4;
/**
 * A name this specific (two words or more, fifteen letters) starts only its own spin-offs,
 * whoever drew them: "Monster Musume no Iru Nichijou 4-koma Anthology". Shorter ones need a
 * shared author ("Gantz" → Gantz:G), or "Blue" would take Blue Lock along and "La La La" La La La
 * Hallelujah!.
 */
const MIN_PREFIX_LETTERS = 15;

/**
 * Applies the audience rule to a whole catalog. Spin-offs are found through shared authors, so
 * the work is one pass per adult series over the series of its authors, plus one prefix lookup
 * per series for the long names.
 */
export function catalogAudience(all: readonly AudienceSeries[]): CatalogAudience {
  const restrictedIds = new Set<string>();
  const authorKeys = new Map<string, string>();
  const keyOf = (a: string) => {
    let k = authorKeys.get(a);
    if (k === undefined) authorKeys.set(a, (k = authorKey(a)));
    return k;
  };
  const wordsCache = new Map<string, string[]>();
  const words = (s: AudienceSeries) => {
    let w = wordsCache.get(s.id);
    if (w === undefined) wordsCache.set(s.id, (w = namesOf(s).map(wordsOf)));
    return w;
  };
  const byAuthor = new Map<string, AudienceSeries[]>();
  for (const s of all) {
    if (adultBySelf(s)) restrictedIds.add(s.id);
    for (const a of s.authors) {
      const k = keyOf(a);
      if (!k) continue;
      const list = byAuthor.get(k);
      if (list) list.push(s);
      else byAuthor.set(k, [s]);
    }
  }
  const prefixes = new Set<string>();
  for (const adult of all.filter((s) => restrictedIds.has(s.id))) {
    const roots = words(adult).filter((n) => n.replace(/ /g, '').length >= MIN_SPIN_OFF_NAME);
    if (roots.length === 0) continue;
    for (const r of roots) if (r.includes(' ') && r.replace(/ /g, '').length >= MIN_PREFIX_LETTERS) prefixes.add(r);
    for (const a of adult.authors) {
      for (const s of byAuthor.get(keyOf(a)) ?? []) {
        if (restrictedIds.has(s.id)) continue;
        // The same name by the same author is the same work listed twice (an import duplicate): adult too.
        if (words(s).some((n) => roots.some((r) => containsWords(n, r)))) restrictedIds.add(s.id);
      }
    }
  }
  if (prefixes.size > 0) {
    for (const s of all) {
      if (restrictedIds.has(s.id)) continue;
      // Every prefix of a name that ends at a word boundary: "monster musume no iru nichijou 4 koma" → ..., "monster musume no iru nichijou".
      const hit = words(s).some((n) => {
        for (let at = n.indexOf(' '); at > 0; at = n.indexOf(' ', at + 1)) if (prefixes.has(n.slice(0, at))) return true;
        return false;
      });
      if (hit) restrictedIds.add(s.id);
    }
  }
  const restrictedTitles: string[] = [];
  const allAgesTitles: string[] = [];
  const restrictedByName = new Map<string, string[]>();
  for (const s of all) {
    const names = namesOf(s);
    if (!restrictedIds.has(s.id)) {
      allAgesTitles.push(...names);
      continue;
    }
    restrictedTitles.push(...names);
    // Heads too, for finding the series named in a message ("monster musume"); answers are checked for whole names only.
    for (const n of [...names, ...names.map(headOf).filter((h): h is string => h !== undefined && !names.includes(h))]) {
      const ids = restrictedByName.get(n);
      if (!ids) restrictedByName.set(n, [s.id]);
      else if (!ids.includes(s.id)) ids.push(s.id);
    }
  }
  return { restrictedIds, restrictedTitles, allAgesTitles, restrictedByName };
}
