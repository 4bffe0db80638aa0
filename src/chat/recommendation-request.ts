/**
 * A recommendation request across turns: what the customer asked for this time, merged into the
 * request it narrows ("only finished ones please" after "manga like Jujutsu Kaisen"), turned into
 * the engine's query, relaxed one constraint at a time when nothing fits, and what each answer
 * was about, recorded for the next message.
 */
import type { Series } from '../catalog/types.ts';
import type { Grounding } from '../llm/types.ts';
import type { RecommendationQuery } from '../recommendations/types.ts';
import { satisfiesRules } from '../recommendations/filters.ts';
import type { Entities, RecommendationWish, ResolvedReference, TurnAbout } from '../understanding/types.ts';

/** "Short" with nothing to be shorter than: at most this many volumes. */
export const SHORT_VOLUMES = 10;

/** What a lighter tone leaves out ("less dark", 「もっと明るいの」): the tags of dark stories. */
export const DARK_TAGS = ['Horror', 'Gore', 'Psychological', 'Suspense'];
/** What a lighter tone puts first: the tags of light, cheerful stories. */
export const BRIGHT_TAGS = ['Comedy', 'Gag Humor', 'Parody', 'Slice of Life', 'Iyashikei', 'CGDCT', 'Childcare'];

/**
 * The request of this message: its own words, on top of the request it narrows. New genres or
 * themes replace the old ones ("what about sports?" after "something for my son") unless they are
 * said as an addition ("with some romance", 「恋愛要素ある」: entities.addsTags), every other
 * constraint given replaces its old value, and the rest carries over — the audience especially.
 */
export function wishFrom(entities: Entities, narrows?: RecommendationWish): RecommendationWish {
  const base: RecommendationWish = narrows ? structuredClone(narrows) : { genres: [], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [] };
  // ...unless the message adds them to the kind asked before ("with some romance too" after music manga).
  if (entities.genres.length > 0 || entities.themes.length > 0) {
    base.genres = entities.addsTags ? [...new Set([...base.genres, ...entities.genres])] : [...entities.genres];
    base.themes = entities.addsTags ? [...new Set([...base.themes, ...entities.themes])] : [...entities.themes];
  }
  if (entities.demographic) base.demographic = entities.demographic;
  // A demographic ruled out ("not shoujo") stays out as the request narrows; asked for again, it is back in.
  if (entities.excludeDemographics?.length) base.excludeDemographics = [...new Set([...(base.excludeDemographics ?? []), ...entities.excludeDemographics])];
  if (base.demographic && base.excludeDemographics?.includes(base.demographic)) {
    if (entities.demographic === base.demographic) base.excludeDemographics = base.excludeDemographics.filter((d) => d !== base.demographic);
    else delete base.demographic;
  }
  // When the series began ("from the 2010s", "something more recent"): the years named now replace the ones before.
  if (entities.startedFrom !== undefined || entities.startedTo !== undefined) {
    base.startedFrom = entities.startedFrom;
    base.startedTo = entities.startedTo;
  }
  if (entities.maxVolumes !== undefined) base.maxVolumes = entities.maxVolumes;
  if (entities.minVolumes !== undefined) base.minVolumes = entities.minVolumes;
  if (entities.shorter) base.shorter = true;
  // "Even shorter" with no number after a list that had a limit ("under 20", or "short"): below it, not the same list again.
  if (entities.shorter && entities.maxVolumes === undefined && narrows) {
    const before = narrows.maxVolumes ?? (narrows.shorter && narrows.seedSeriesIds.length === 0 ? SHORT_VOLUMES : undefined);
    if (before !== undefined && before > 1) base.maxVolumes = Math.min(before - 1, Math.ceil(before / 2));
  }
  // A lighter tone than what was shown: the dark tags are ruled out (and stay out as it narrows).
  if (entities.lighter) {
    base.lighter = true;
    for (const t of DARK_TAGS) if (!base.excludeTags.includes(t)) base.excludeTags.push(t);
  }
  if (entities.status) base.status = entities.status;
  if (entities.audience) base.audience = entities.audience;
  if (entities.sameAuthor) base.sameAuthor = true;
  for (const t of entities.excludeTags ?? []) if (!base.excludeTags.includes(t)) base.excludeTags.push(t);
  // "Something less scary" after "a horror manga": a tag ruled out now is no longer asked for.
  base.genres = base.genres.filter((g) => !base.excludeTags.includes(g));
  base.themes = base.themes.filter((t) => !base.excludeTags.includes(t));
  return base;
}

/** The engine's query for a request. */
export function queryOf(w: RecommendationWish, excludeAgeRestricted: boolean, limit: number): RecommendationQuery {
  return {
    seedSeriesIds: w.seedSeriesIds,
    genres: w.genres,
    themes: w.themes,
    demographic: w.demographic,
    excludeSeriesIds: w.excludeSeriesIds,
    excludeAgeRestricted,
    maxVolumes: w.maxVolumes,
    minVolumes: w.minVolumes,
    excludeAuthors: w.excludeAuthors,
    authors: w.authors,
    // "Shorter" than the series liked; with none liked, short in general.
    shorterThanSeeds: w.shorter && w.seedSeriesIds.length > 0 && w.maxVolumes === undefined ? true : undefined,
    ...(w.shorter && w.seedSeriesIds.length === 0 && w.maxVolumes === undefined ? { maxVolumes: SHORT_VOLUMES } : {}),
    status: w.status,
    audience: w.audience,
    sameAuthor: w.sameAuthor,
    excludeTags: w.excludeTags,
    limit,
  };
}

/** What can be left out of a request that nothing fits, nearest first. The audience and exclusions never are. */
export type Relaxation = 'maxVolumes' | 'status' | 'tags' | 'demographic' | 'like';

/**
 * The requests to try when nothing fits, each without one constraint, in the order a customer would give them up:
 * what the message itself asked for (`said`: "any gambling manga?" after finished josei picks) is given up last.
 */
export function relaxations(w: RecommendationWish, said: ReadonlySet<Relaxation> = new Set()): { without: Relaxation; wish: RecommendationWish }[] {
  const all = relaxationsInOrder(w);
  return [...all.filter((r) => !said.has(r.without)), ...all.filter((r) => said.has(r.without))];
}

/** What this message's own words ask for, as the constraints a request may give up. */
export function saidIn(e: Entities): Set<Relaxation> {
  const said = new Set<Relaxation>();
  if (e.maxVolumes !== undefined || e.minVolumes !== undefined || e.shorter) said.add('maxVolumes');
  if (e.status) said.add('status');
  if (e.genres.length + e.themes.length > 0) said.add('tags');
  if (e.demographic) said.add('demographic');
  if (e.likeQuery) said.add('like');
  return said;
}

function relaxationsInOrder(w: RecommendationWish): { without: Relaxation; wish: RecommendationWish }[] {
  const out: { without: Relaxation; wish: RecommendationWish }[] = [];
  if (w.maxVolumes !== undefined || w.shorter || w.minVolumes !== undefined) out.push({ without: 'maxVolumes', wish: { ...w, maxVolumes: undefined, minVolumes: undefined, shorter: undefined } });
  if (w.status) out.push({ without: 'status', wish: { ...w, status: undefined } });
  if (w.genres.length + w.themes.length > 0) out.push({ without: 'tags', wish: { ...w, genres: [], themes: [] } });
  if (w.demographic) out.push({ without: 'demographic', wish: { ...w, demographic: undefined } });
  // Not like the series any more, but still never the series itself.
  if (w.seedSeriesIds.length > 0 && !w.sameAuthor) out.push({ without: 'like', wish: { ...w, seedSeriesIds: [], shorter: undefined, excludeSeriesIds: [...w.excludeSeriesIds, ...w.seedSeriesIds] } });
  return out;
}

/**
 * True when a series meets a request's series-level rules and tags (for lists picked without
 * the engine: the fallback lists while it is down).
 */
export function fits(s: Series, w: RecommendationWish, maxVolumes: number | undefined, excludeAdult: boolean): boolean {
  if (w.seedSeriesIds.includes(s.id) || w.excludeSeriesIds.includes(s.id)) return false;
  if (w.sameAuthor) return false; // needs the seeds' authors: the engine's job
  const tags = [...s.genres, ...s.themes].map((t) => t.toLowerCase());
  if (![...w.genres, ...w.themes].every((t) => tags.includes(t.toLowerCase()))) return false;
  if (w.demographic && (s.demographic ?? '').toLowerCase() !== w.demographic.toLowerCase()) return false;
  if (!fitsBeyondEngine(s, w)) return false;
  if (w.excludeAuthors?.some((a) => s.authors.includes(a))) return false;
  if (w.authors?.length && !w.authors.some((a) => s.authors.includes(a))) return false;
  return satisfiesRules(s, { maxVolumes, minVolumes: w.minVolumes, status: w.status, audience: w.audience, excludeAdult, excludeTags: w.excludeTags });
}

/** What an answer was about, recorded with it for the next message (memory's StoredMessage.about). */
export function turnAbout(g: Grounding, reference: ResolvedReference, wish: RecommendationWish | undefined): TurnAbout | undefined {
  const about: TurnAbout = {};
  if (g.comparison && g.series.length > 1) about.compared = g.series.map((s) => s.series.id);
  else if (g.intent !== 'recommendation' && g.series.length > 0) about.focus = g.series[0].series.id;
  if (about.focus && g.requestedVolume !== undefined) about.volume = g.requestedVolume;
  if (about.focus && g.requestedVolumes && g.requestedVolumes.length > 1) about.volumes = [...g.requestedVolumes];
  const format = g.requestedFormat ?? reference.format;
  if (about.focus && format) about.format = format;
  if (wish && g.intent === 'recommendation') about.wish = wish;
  return Object.keys(about).length > 0 ? about : undefined;
}

/**
 * Whether a series fits what the request says of its demographic ruled out and the years it began
 * ("not shoujo", "from the 2010s"): the engine does not know these, so they are applied to its picks.
 * A series whose start year is unknown does not fit a year bound.
 */
export function fitsBeyondEngine(s: Series, w: Pick<RecommendationWish, 'excludeDemographics' | 'startedFrom' | 'startedTo'>): boolean {
  if (w.excludeDemographics?.some((d) => (s.demographic ?? '').toLowerCase() === d.toLowerCase())) return false;
  if (w.startedFrom === undefined && w.startedTo === undefined) return true;
  const year = s.startDate ? Number(s.startDate.slice(0, 4)) : NaN;
  if (!Number.isFinite(year)) return false;
  return (w.startedFrom === undefined || year >= w.startedFrom) && (w.startedTo === undefined || year <= w.startedTo);
}

/** True when a request asks for more than "something good": a genre, length, status, audience or demographic. */
export function constrained(w: RecommendationWish): boolean {
  return (
    w.genres.length + w.themes.length > 0 || !!w.demographic || w.maxVolumes !== undefined || w.minVolumes !== undefined || !!w.shorter || !!w.status || !!w.audience ||
    w.excludeTags.length > 0 || (w.excludeAuthors?.length ?? 0) > 0 || (w.excludeDemographics?.length ?? 0) > 0 || w.startedFrom !== undefined || w.startedTo !== undefined
  );
}
