import type { Series } from '../catalog/types.ts';

/**
 * What a recommendation must satisfy beyond genres: the series-level rules, one definition shared
 * by the engine (which precomputes them per series) and by the fallback lists served while the
 * engine is down, so both honour a request the same way.
 */

/** Who a request is for: a child (about 6–12), a teenager, or grown-up readers. */
export type Audience = 'child' | 'teen' | 'adult';

/** Demographics written for young readers (MyAnimeList's Kids is Kodomomuke in the catalog). */
const YOUNG_DEMOGRAPHICS = new Set(['kodomomuke', 'kids', 'shounen', 'shoujo']);
/** Demographics written for grown-up readers. */
const GROWN_UP_DEMOGRAPHICS = new Set(['seinen', 'josei']);
/**
 * Genres and themes a parent buying for a child does not want. Psychological too: in a young
 * demographic it is still Death Note's serial killer and Tokyo Ghoul's flesh-eaters.
 */
const NOT_FOR_CHILDREN = new Set(['horror', 'ecchi', 'erotica', 'hentai', 'gore', 'psychological']);
/** Genres and themes that are not for anyone under 18. */
const ADULT_GENRES = new Set(['erotica', 'hentai']);

const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());

/**
 * Adult content a guest or a customer without age confirmation is never recommended: titles the
 * catalog marks age-restricted, adult genres, and fan-service (Ecchi) written for grown-up readers
 * (the shipped catalog sells its Seinen Ecchi titles 18+ and its Shounen one to everyone).
 */
export function isAdultThemed(s: Series): boolean {
  if (s.ageRestricted) return true;
  const tags = lower([...s.genres, ...s.themes]);
  if (tags.some((t) => ADULT_GENRES.has(t))) return true;
  return tags.includes('ecchi') && GROWN_UP_DEMOGRAPHICS.has((s.demographic ?? '').toLowerCase());
}

/** Suitable for a child of about ten: a young demographic, nothing adult, no horror, gore or fan service. */
export function isChildSafe(s: Series): boolean {
  if (isAdultThemed(s)) return false;
  if (!YOUNG_DEMOGRAPHICS.has((s.demographic ?? '').toLowerCase())) return false;
  return !lower([...s.genres, ...s.themes]).some((t) => NOT_FOR_CHILDREN.has(t));
}

/** Suitable for a teenager: nothing adult and no fan service. */
export function isTeenSafe(s: Series): boolean {
  return !isAdultThemed(s) && !lower(s.genres).includes('ecchi');
}

/** Written for grown-up readers (Seinen, Josei). */
export function isForGrownUps(s: Series): boolean {
  return GROWN_UP_DEMOGRAPHICS.has((s.demographic ?? '').toLowerCase());
}

/** True when a series suits the audience asked for. */
export function suitsAudience(s: Series, audience: Audience): boolean {
  if (audience === 'child') return isChildSafe(s);
  if (audience === 'teen') return isTeenSafe(s);
  return isForGrownUps(s);
}

/** The series-level rules of a request (genres and themes are matched by the engine's vocabulary). */
export interface SeriesRules {
  /** At most this many volumes; a series whose count is unknown does not qualify. */
  maxVolumes?: number;
  /** At least this many volumes; likewise. */
  minVolumes?: number;
  status?: 'finished' | 'publishing';
  audience?: Audience;
  /** Leave out adult content (guests, customers without age confirmation). */
  excludeAdult?: boolean;
  /** Leave out series carrying any of these genres or themes (lower case). */
  excludeTags?: string[];
}

/** True when `s` satisfies every rule. */
export function satisfiesRules(s: Series, rules: SeriesRules): boolean {
  if (rules.maxVolumes !== undefined && (s.volumeCount === undefined || s.volumeCount > rules.maxVolumes)) return false;
  if (rules.minVolumes !== undefined && (s.volumeCount === undefined || s.volumeCount < rules.minVolumes)) return false;
  if (rules.status && s.status !== rules.status) return false;
  if (rules.audience && !suitsAudience(s, rules.audience)) return false;
  if (rules.excludeAdult && isAdultThemed(s)) return false;
  if (rules.excludeTags?.length) {
    const tags = lower([...s.genres, ...s.themes]);
    if (rules.excludeTags.some((t) => tags.includes(t.toLowerCase()))) return false;
  }
  return true;
}
