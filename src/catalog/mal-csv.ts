import { parse } from 'csv-parse/sync';
import type { Series, SeriesStatus } from './types.ts';
import { slugify } from './normalize.ts';

/** A source row that did not become a series, and why. */
export interface SkippedRow {
  /** 1-based line of the row in the file (the header is line 1). */
  line: number;
  reason: string;
}

/** Series parsed from a MyAnimeList export, with the rows left out. */
export interface MalParseResult {
  series: Series[];
  skipped: SkippedRow[];
}

const STATUS: Record<string, SeriesStatus> = {
  Publishing: 'publishing',
  Finished: 'finished',
  'On Hiatus': 'hiatus',
  Discontinued: 'discontinued',
};

/** MAL says "Kids"; the catalog's demographic vocabulary says Kodomomuke (see Series.demographic). */
const DEMOGRAPHIC: Record<string, string> = { Kids: 'Kodomomuke' };

/** Genres that mean the title is sold to confirmed adults only, whoever it is written for. */
const ADULT_GENRES = new Set(['Hentai', 'Erotica']);
/**
 * Fan-service (Ecchi) written for these readers is sold 18+: the store's own catalog marks its
 * Seinen Ecchi titles (Prison School, Nana to Kaoru) age-restricted and its Shounen one (Food
 * Wars) not, and the import follows the store's rule rather than inventing one.
 */
const ADULT_FAN_SERVICE_DEMOGRAPHICS = new Set(['Seinen', 'Josei']);

/**
 * The import's age rule (README, "Importing a catalog"): an adult genre, or Ecchi for older
 * readers. Graphic violence is not derived: the store restricts some Gore titles (Gantz) and not
 * others (Berserk), a judgement no tag makes; spin-offs of a restricted series follow it (merge.ts).
 */
export function isAdultByTags(genres: string[], demographic: string | undefined): boolean {
  if (genres.some((g) => ADULT_GENRES.has(g))) return true;
  return genres.includes('Ecchi') && demographic !== undefined && ADULT_FAN_SERVICE_DEMOGRAPHICS.has(demographic);
}

const MONTHS: Record<string, string> = {
  Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06',
  Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12',
};

/**
 * Trailing parentheses that belong to the romaji title itself: a year, "(Kari)" (provisional),
 * or a format ("Berserk (Digital)", "(Novel)"), which says what the row is (merge.ts), not an English title.
 */
const TITLE_QUALIFIER = /^(\d{4}|kari|digital|digital edition|kanzenban|full colou?r|colou?red|(?:light )?novel)$/i;

/**
 * Splits MAL's `Romaji (English)` title. Only the last parenthesised group, balanced and
 * separated by a space, is an English title; "Hi no Tori (1967) (Phoenix)",
 * "Gi(a)rlish Number", "Kapon (>_<)!" and "Rozen Maiden (2008)" keep their own parentheses.
 *
 * The export cut the English title out of the romaji wherever it also occurred there, leaving
 * a gap (two spaces, or a space at either end): "Kaichou wa  (Maid-sama!)" is "Kaichou wa
 * Maid-sama!", " Series (Canis)" is "Canis Series". The gap is filled back in.
 */
export function splitMalTitle(raw: string): { title: string; titleEn?: string } {
  // Only the end is trimmed: a leading space is a gap where the English title was cut out.
  const t = raw.replace(/\s+$/, '');
  if (!t.endsWith(')')) return { title: t.trim() };
  let depth = 0;
  let open = -1;
  for (let i = t.length - 1; i >= 0; i--) {
    if (t[i] === ')') depth++;
    else if (t[i] === '(' && --depth === 0) {
      open = i;
      break;
    }
  }
  if (open <= 0 || t[open - 1] !== ' ') return { title: t.trim() };
  const head = t.slice(0, open - 1);
  const inner = t.slice(open + 1, -1).replace(/\s+/g, ' ').trim();
  // No letters at all ("(?)", "(♀)", "(26)") or a known qualifier: part of the title.
  if (head.trim() === '' || TITLE_QUALIFIER.test(inner) || !/\p{L}/u.test(inner)) return { title: t.trim() };
  const title = withoutCutLead(fillCutGap(head, inner));
  // Nothing but punctuation left (". (Othello)", "! (Full Metal Panic)"): the English title is the name.
  if (!/[\p{L}\p{N}]/u.test(title)) return { title: inner };
  return inner === title ? { title } : { title, titleEn: inner };
}

/**
 * A separator the export left at the start where it cut a Japanese head off (": Kusoge Hunter,
 * Kamige ni Idoman to su (Shangri-La Frontier)", from シャングリラ・フロンティア: …) is no part of the
 * name a customer is shown. Punctuation glued to a word (.hack//G.U.+, +Anima) is.
 */
function withoutCutLead(title: string): string {
  return title.replace(/^[:;,!?・\-–—~〜]+\s+(?=[\p{L}\p{N}])/u, '');
}

/** The romaji with the English title put back where the export cut it out (see splitMalTitle). */
function fillCutGap(head: string, english: string): string {
  let filled = head;
  if (head.startsWith(' ')) filled = `${english}${head}`;
  else if (head.endsWith(' ')) filled = `${head}${english}`;
  else if (head.includes('  ')) filled = head.replace('  ', ` ${english} `);
  return filled.replace(/\s+/g, ' ').trim();
}

/**
 * "Miura, Kentarou (Story & Art), Studio Gaga (Art)" → ["Kentarou Miura", "Studio Gaga"]:
 * MAL writes people "Family, Given" with a role; the store shows "Given Family".
 */
export function parseMalAuthors(raw: string): string[] {
  const out: string[] = [];
  const re = /\s*(.+?)\s*\((?:Story|Art)(?: & (?:Story|Art))?\)\s*(?:,|$)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(raw)) !== null) {
    end = re.lastIndex;
    const parts = m[1].split(', ');
    const name = parts.length === 2 ? `${parts[1]} ${parts[0]}` : m[1];
    if (!out.includes(name)) out.push(name);
  }
  // Anything without the usual role suffix is kept as written rather than dropped.
  const rest = raw.slice(end).trim();
  if (rest !== '' && !out.includes(rest)) out.push(rest);
  return out;
}

/** "['Action', 'Drama']" (a Python list repr) → ["Action", "Drama"]. */
export function parsePythonList(raw: string): string[] {
  return [...raw.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? m[2]).trim()).filter((s) => s !== '');
}

/** "Aug  25, 1989 to ?" → "1989-08-25"; "Sep  2000" → "2000-09"; "2004" → "2004". */
export function parseMalStartDate(raw: string): string | undefined {
  const start = raw.split(' to ')[0].trim();
  const m = /^(?:([A-Z][a-z]{2})\s+)?(?:(\d{1,2}),\s*)?(\d{4})$/.exec(start);
  if (!m) return undefined;
  const [, mon, day, year] = m;
  const month = mon ? MONTHS[mon] : undefined;
  if (!month) return year;
  return day ? `${year}-${month}-${day.padStart(2, '0')}` : `${year}-${month}`;
}

function optionalNumber(raw: string | undefined, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw.replace(/,/g, ''));
  if (raw.trim() === '' || !Number.isFinite(n)) return undefined;
  return integer ? Math.trunc(n) : n;
}

/** Hands out slugs, suffixing -2, -3 ... on collision (MAL has four series named "Clover"). */
export function createSlugAllocator(taken: Iterable<string> = []): (base: string) => string {
  const used = new Set(taken);
  return (base: string) => {
    const root = base === '' ? 'series' : base;
    let id = root;
    for (let n = 2; used.has(id); n++) id = `${root}-${n}`;
    used.add(id);
    return id;
  };
}

/** Parses a MyAnimeList top-manga CSV export, reporting rows that were skipped and why. */
export function parseMalCsvDetailed(text: string): MalParseResult {
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  const allocate = createSlugAllocator();
  const series: Series[] = [];
  const skipped: SkippedRow[] = [];
  const seen = new Set<string>();
  for (const { record: r, info } of rows) {
    const line = info.lines;
    if (!r.Title || r.Title.trim() === '') {
      skipped.push({ line, reason: 'empty title' });
      continue;
    }
    const fingerprint = `${r.Title}\u0000${r.Author}\u0000${r.Published}`;
    if (seen.has(fingerprint)) {
      skipped.push({ line, reason: `duplicate row: ${r.Title}` });
      continue;
    }
    seen.add(fingerprint);
    const { title, titleEn } = splitMalTitle(r.Title);
    const genres = parsePythonList(r.Genres ?? '');
    const s: Series = {
      id: allocate(slugify(title) || slugify(titleEn ?? '')),
      title,
      authors: parseMalAuthors(r.Author ?? ''),
      genres,
      themes: parsePythonList(r.Themes ?? ''),
      status: STATUS[r.Status?.trim()] ?? 'unknown',
    };
    if (titleEn) s.titleEn = titleEn;
    const demographic = r.Demographic?.trim();
    if (demographic) s.demographic = DEMOGRAPHIC[demographic] ?? demographic;
    const magazine = r.Serialization?.trim();
    if (magazine) s.magazine = magazine;
    const volumes = optionalNumber(r.Volumes, true);
    if (volumes !== undefined && volumes > 0) s.volumeCount = volumes;
    const score = optionalNumber(r.Score, false);
    if (score !== undefined) s.score = score;
    const rank = optionalNumber(r.Popularity, true);
    if (rank !== undefined && rank > 0) s.popularityRank = rank;
    const start = parseMalStartDate(r.Published ?? '');
    if (start) s.startDate = start;
    // Always set: false says the import checked the row and found it all-ages.
    s.ageRestricted = isAdultByTags(genres, s.demographic);
    series.push(s);
  }
  return { series, skipped };
}

/** Parses a MyAnimeList top-manga CSV export into series (no products: MAL has no prices). */
export function parseMalCsv(text: string): Series[] {
  return parseMalCsvDetailed(text).series;
}
