import type { CallOptions } from '../shared/call.ts';
import type { CatalogService, CatalogWriter, Series } from '../catalog/types.ts';
import type { Order } from '../orders/types.ts';
import type { Recommendation, RecommendationQuery, RecommendationService } from './types.ts';
import { authorKey, buildSeriesModel, tagIdOf, type SeriesModel } from './series-model.ts';
import { daysBefore, releaseSignal, unitsBySeries, type ReleaseSignal } from './trending.ts';

/** Options of the embedded recommendation engine. */
export interface EmbeddedRecommendationsOptions {
  /** Series and products come from here; `onChange`, when present, keeps the model fresh. */
  catalog: CatalogService & Partial<Pick<CatalogWriter, 'onChange' | 'seriesIdsWithProducts'>>;
  /** Recent orders for `trending` (a list, or a function read at most once per `trendingTtlMs`). */
  orders?: Order[] | (() => Promise<Order[]>);
  /** Clock, for tests. @default () => new Date() */
  now?: () => Date;
  /** Orders placed within this many days count towards trending. @default 30 */
  trendingWindowDays?: number;
  /** A volume released within this many days makes a series trend. @default 90 */
  newReleaseDays?: number;
  /** A volume due within this many days makes a series trend. @default 60 */
  upcomingDays?: number;
  /** How long a computed trending list is reused. @default 60000 */
  trendingTtlMs?: number;
  /**
   * Builds the per-series model (persisted-series-model.ts keeps it in DATA_DIR between starts).
   * @default buildSeriesModel, built afresh each time
   */
  buildModel?: (series: Series[]) => SeriesModel;
}

/**
 * Weights of the similarity score; they sum to 1 so scores stay in 0..1. What the stories share
 * weighs most: "something like Berserk" asks for dark fantasy, not for the street fighting its
 * co-author also wrote; the same author is a bonus on top (and the whole point of "by the same
 * author", which filters on it).
 */
const W = { tags: 0.5, author: 0.2, demographic: 0.05, prior: 0.15, available: 0.1 };
const DEFAULT_LIMIT = 10;
/** Series a seeded request scores at most (spread over the seeds' tags, rarest first)... */
const CANDIDATE_BUDGET = 2500;
/** ...but never fewer than this many of one tag's most popular series. */
const MIN_PER_TAG = 200;
const EMPTY = new Int32Array(0);
/** A filter list this short (say finished kids' isekai) is scored whole, so narrow requests are exact. */
const EXACT_LIST = 3000;
/** "Shorter" when the seed's length is unknown: at most this many volumes. */
const SHORT_VOLUMES = 10;

interface Scored {
  i: number;
  score: number;
}

/** Keeps the `k` best by score (ties: more popular first); k is small, so insertion beats sorting thousands. */
function topK(k: number): { push(i: number, score: number, prior: number): void; result(): Scored[] } {
  const best: (Scored & { prior: number })[] = [];
  const better = (a: { score: number; prior: number }, b: { score: number; prior: number }) =>
    a.score > b.score || (a.score === b.score && a.prior > b.prior);
  return {
    push(i, score, prior) {
      if (k <= 0) return;
      if (best.length === k) {
        const worst = best[k - 1];
        if (score < worst.score || (score === worst.score && prior <= worst.prior)) return;
      }
      const item = { i, score, prior };
      let at = best.length === k ? k - 1 : best.length;
      best[at] = item;
      while (at > 0 && better(best[at], best[at - 1])) {
        [best[at], best[at - 1]] = [best[at - 1], best[at]];
        at--;
      }
    },
    result: () => best,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Picks kept beyond the limit, to stand in for sequels and duplicates of better picks. */
const SPARE = 5;

/**
 * The best `limit` picks with one entry per work: a sequel or spin-off (same author, the title
 * extended: Tokyo Ghoul:re after Tokyo Ghoul) or a duplicate (same name) of a better pick goes.
 */
function distinctWorks(m: SeriesModel, ranked: Scored[], limit: number): Scored[] {
  const out: Scored[] = [];
  for (const r of ranked) {
    if (out.length >= limit) break;
    const related = out.some(({ i }) => {
      if (m.nameGroup[i] === m.nameGroup[r.i]) return true;
      if (!m.authors[i].some((a) => m.authors[r.i].includes(a))) return false;
      return m.titleKeys[i].some((a) => m.titleKeys[r.i].some((b) => a.startsWith(`${b} `) || b.startsWith(`${a} `)));
    });
    if (!related) out.push(r);
  }
  return out;
}

/**
 * Content-based recommendations over the catalog's series: shared genres and themes
 * (IDF-weighted Jaccard), same author, same demographic, with popularity and score as a prior.
 * The per-series model is built once per catalog version; a call is one pass over it.
 */
export function createEmbeddedRecommendations(options: EmbeddedRecommendationsOptions): RecommendationService {
  const { catalog } = options;
  const now = options.now ?? (() => new Date());
  const windowDays = options.trendingWindowDays ?? 30;
  const newReleaseDays = options.newReleaseDays ?? 90;
  const upcomingDays = options.upcomingDays ?? 60;
  const trendingTtlMs = options.trendingTtlMs ?? 60_000;

  let trendingCache: { at: number; list: Recommendation[] } | undefined;
  const productSeries = new Map<string, string | undefined>();
  catalog.onChange?.(() => {
    loaded = undefined;
    trendingCache = undefined;
  });

  // Release dates are not prices: like the rest of the model they are kept until the catalog changes.
  const loadModel = async (): Promise<{ model: SeriesModel; releases: Map<string, string[]> }> => {
    const m = (options.buildModel ?? buildSeriesModel)(await catalog.allSeries());
    const releases = new Map<string, string[]>();
    // Most of an imported catalog is listings without volumes: one query names the series that
    // have any, instead of asking for the volumes of 15,000 series one by one at start-up.
    const owned = await catalog.seriesIdsWithProducts?.();
    for (const s of m.series) {
      if (owned && !owned.has(s.id)) continue;
      const products = await catalog.getProducts(s.id);
      if (products.length === 0) continue;
      m.available[m.indexOf.get(s.id) as number] = 1;
      releases.set(s.id, products.map((p) => p.releaseDate));
    }
    return { model: m, releases };
  };
  let loaded: Promise<{ model: SeriesModel; releases: Map<string, string[]> }> | undefined;
  const load = () => {
    const current = (loaded ??= loadModel());
    current.catch(() => {
      if (loaded === current) loaded = undefined;
    });
    return current;
  };
  const getModel = async (): Promise<SeriesModel> => (await load()).model;
  const getReleases = async (): Promise<Map<string, string[]>> => (await load()).releases;

  const seriesOfProduct = async (productId: string): Promise<string | undefined> => {
    if (!productSeries.has(productId)) productSeries.set(productId, (await catalog.getProduct(productId))?.seriesId);
    return productSeries.get(productId);
  };

  const allowed = (m: SeriesModel, i: number, excluded: Set<string>, excludeAgeRestricted?: boolean): boolean =>
    !excluded.has(m.series[i].id) && !(excludeAgeRestricted && m.adult[i]);
  // Candidates already scored in this call: a generation stamp per series instead of a Set per call.
  let seen = new Int32Array(0);
  let blocked = new Int32Array(0);
  let groupBlocked = new Int32Array(0);
  let authorMark = new Int32Array(0);
  let authorSeed = new Int32Array(0);
  let generation = 0;

  function popularList(m: SeriesModel, limit: number, excludeAgeRestricted?: boolean): Recommendation[] {
    const out: Recommendation[] = [];
    for (const i of m.byPopularity) {
      if (out.length >= limit) break;
      if (!allowed(m, i, new Set(), excludeAgeRestricted)) continue;
      const rank = m.series[i].popularityRank;
      out.push({ seriesId: m.series[i].id, score: round(m.prior[i]), reasons: [rank ? `popularity_rank:${rank}` : 'popular'] });
    }
    return out;
  }

  async function recommend(query: RecommendationQuery, opts?: CallOptions): Promise<Recommendation[]> {
    opts?.signal?.throwIfAborted();
    const m = await getModel();
    opts?.signal?.throwIfAborted();
    const limit = query.limit ?? DEFAULT_LIMIT;

    // Filters: every requested genre/theme must be present (a request for "romance" and
    // "comedy" means romantic comedies). Words that name no known tag cannot filter anything.
    const required: number[] = [];
    let requiredDemographic: number | undefined;
    for (const word of [...(query.genres ?? []), ...(query.themes ?? []), ...(query.demographic ? [query.demographic] : [])]) {
      const tag = m.resolve(word);
      if (!tag) continue;
      if (tag.kind === 'demographic') requiredDemographic = m.demographicId.get(tag.name.toLowerCase()) ?? -2;
      else required.push(tagIdOf(m, tag) ?? -1);
    }
    const ruledOut: number[] = [];
    for (const word of query.excludeTags ?? []) {
      const tag = m.resolve(word);
      const id = tag && tag.kind !== 'demographic' ? tagIdOf(m, tag) : undefined;
      if (id !== undefined) ruledOut.push(id);
    }
    const seeds = (query.seedSeriesIds ?? []).map((id) => m.indexOf.get(id)).filter((i): i is number => i !== undefined);

    // A volume limit: asked for, or shorter than the shortest seed ("like Berserk but shorter").
    let maxVolumes = query.maxVolumes ?? Number.POSITIVE_INFINITY;
    if (query.shorterThanSeeds) {
      const known = seeds.map((i) => m.volumes[i]).filter((v) => v > 0);
      maxVolumes = Math.min(maxVolumes, known.length > 0 ? Math.min(...known) - 1 : SHORT_VOLUMES);
    }
    const minVolumes = query.minVolumes ?? 0;
    const limited = Number.isFinite(maxVolumes) || minVolumes > 0;
    const status = query.status;
    const audience = query.audience;
    const adultGate = query.excludeAgeRestricted === true;
    const filterReasons = [
      ...required.filter((t) => t >= 0).map((t) => `${m.tagKind[t]}:${m.tagName[t]}`),
      ...(requiredDemographic !== undefined && requiredDemographic >= 0 ? [`demographic:${m.demographicName[requiredDemographic]}`] : []),
      ...(status ? [`status:${status}`] : []),
      ...(audience ? [`audience:${audience}`] : []),
      ...(query.authors ?? []).map((a) => `author:${a}`),
    ];

    // Left out: the seeds and the series ruled out, with their duplicates (same name: an
    // import's second Rurouni Kenshin) and spin-offs (same author, title extended: "like Jujutsu
    // Kaisen" without Jujutsu Kaisen 0). Marked once per call; the loop then reads integers.
    const stamp = ++generation;
    if (blocked.length !== m.series.length || authorMark.length !== m.byAuthor.size + 1) {
      blocked = new Int32Array(m.series.length);
      seen = new Int32Array(m.series.length);
      groupBlocked = new Int32Array(m.series.length);
      authorMark = new Int32Array(m.byAuthor.size + 1);
      authorSeed = new Int32Array(m.byAuthor.size + 1);
    }
    const excluded = [...new Set([...(query.excludeSeriesIds ?? []), ...(query.seedSeriesIds ?? [])])].map((id) => m.indexOf.get(id)).filter((i): i is number => i !== undefined);
    const excludedKeys: string[] = [];
    // Authors ruled out ("not by Ai Yazawa"): their series are blocked like the series ruled out.
    for (const name of query.excludeAuthors ?? []) for (const i of m.byAuthor.get(authorKey(name)) ?? EMPTY) blocked[i] = stamp;
    for (const e of excluded) {
      blocked[e] = stamp;
      groupBlocked[m.nameGroup[e]] = stamp;
      for (const a of m.authorIds[e]) authorMark[a] = stamp;
      excludedKeys.push(...m.titleKeys[e]);
    }
    const spinOff = (i: number): boolean => {
      let shared = false;
      for (let j = m.authorOffsets[i], end = m.authorOffsets[i + 1]; j < end; j++) if (authorMark[m.authorFlat[j]] === stamp) shared = true;
      if (!shared) return false;
      return m.titleKeys[i].some((t) => excludedKeys.some((x) => t.startsWith(`${x} `) || x.startsWith(`${t} `)));
    };

    // Only these authors' works ("Rumiko Takahashi's finished series under 20 volumes").
    const onlyAuthors = query.authors?.length ? new Set(query.authors.flatMap((a) => [...(m.byAuthor.get(authorKey(a)) ?? EMPTY)])) : undefined;
    const passes = (i: number): boolean => {
      if (blocked[i] === stamp || groupBlocked[m.nameGroup[i]] === stamp) return false;
      if (onlyAuthors && !onlyAuthors.has(i)) return false;
      if (adultGate && m.adult[i]) return false;
      if (requiredDemographic !== undefined && m.demographic[i] !== requiredDemographic) return false;
      if (limited && (m.volumes[i] < 0 || m.volumes[i] > maxVolumes || m.volumes[i] < minVolumes)) return false;
      if (status && m.series[i].status !== status) return false;
      if (audience === 'child' && !m.childSafe[i]) return false;
      if (audience === 'teen' && !m.teenSafe[i]) return false;
      if (audience === 'adult' && !m.grownUp[i]) return false;
      if (required.length > 0 || ruledOut.length > 0) {
        const tags = m.tagFlat.subarray(m.tagOffsets[i], m.tagOffsets[i + 1]);
        for (const t of required) if (!tags.includes(t)) return false;
        for (const t of ruledOut) if (tags.includes(t)) return false;
      }
      return excluded.length === 0 || !spinOff(i);
    };

    // The shortest list every passing series is on (all lists are in popularity order).
    let base: Int32Array = m.byPopularity;
    const consider = (list: Int32Array | undefined) => {
      if (list && list.length < base.length) base = list;
    };
    for (const t of required) consider(t >= 0 ? m.postings[t] : new Int32Array(0));
    if (requiredDemographic !== undefined) consider(requiredDemographic >= 0 ? m.demographicPostings[requiredDemographic] : new Int32Array(0));
    if (status === 'finished') consider(m.finished);
    if (audience === 'child') consider(m.childSafeList);
    if (query.authors?.length === 1) consider(m.byAuthor.get(authorKey(query.authors[0])) ?? EMPTY);

    if (seeds.length === 0) {
      // "By the same author" with nobody to be the author of: nothing to recommend.
      if (query.sameAuthor) return [];
      const best = topK(limit + SPARE);
      for (const i of base) {
        if (!passes(i)) continue;
        best.push(i, m.prior[i], m.prior[i]);
        if (best.result().length >= limit + SPARE) break;
      }
      return distinctWorks(m, best.result(), limit).map(({ i, score }) => ({
        seriesId: m.series[i].id,
        score: round(score),
        reasons: [...filterReasons, ...(limited ? [`volumes:${m.volumes[i]}`] : [])].concat(filterReasons.length > 0 || limited ? [] : ['popular']),
      }));
    }

    // What the customer liked: the union of the seeds' tags, demographics and authors.
    const seedWeight = new Float64Array(m.tagName.length);
    let seedMass = 0;
    let seedTagCount = 0;
    const seedDemographics = new Set<number>();
    const seedAuthors = new Set<string>();
    const award = tagIdOf(m, { kind: 'genre', name: 'Award Winning' });
    for (const s of seeds) {
      for (const t of m.tags[s]) {
        if (seedWeight[t] === 0) {
          seedMass += m.tagWeight[t];
          if (t !== award) seedTagCount++;
        }
        seedWeight[t] = m.tagWeight[t];
      }
      if (m.demographic[s] >= 0) seedDemographics.add(m.demographic[s]);
      for (const a of m.authors[s]) seedAuthors.add(a);
    }
    // "Similar" means at least two traits in common (one when the seed has only one): a series
    // sharing one broad genre, or only an author, is not what "something like X" asks for.
    const minShared = query.sameAuthor ? 0 : Math.min(2, seedTagCount);

    // Candidates: a narrow filter list whole; otherwise everything by the seeds' authors and the
    // most popular series of each seed tag — rare tags (the telling ones) in full, common ones cut
    // to a share of a fixed budget — never a pass over the whole catalog.
    const candidates: Int32Array[] = [];
    if (query.sameAuthor) {
      for (const a of seedAuthors) candidates.push(m.byAuthor.get(a) ?? EMPTY);
    } else if (base !== m.byPopularity && base.length <= EXACT_LIST) {
      candidates.push(base);
    } else {
      for (const a of seedAuthors) candidates.push(m.byAuthor.get(a) ?? EMPTY);
      const lists = [...new Set(seeds.flatMap((s) => [...m.tags[s]]))].map((t) => m.postings[t]).sort((a, b) => a.length - b.length);
      let budget = CANDIDATE_BUDGET;
      lists.forEach((list, k) => {
        const take = Math.min(list.length, Math.max(MIN_PER_TAG, Math.floor(budget / (lists.length - k))));
        candidates.push(list.subarray(0, take));
        budget -= take;
      });
    }
    const seedAuthorMark = ++generation;
    for (const s of seeds) for (const a of m.authorIds[s]) authorSeed[a] = seedAuthorMark;
    const { tagOffsets, tagFlat, authorOffsets, authorFlat } = m;
    const best = topK(limit + SPARE);
    for (const list of candidates) {
      for (let k = 0; k < list.length; k++) {
        const i = list[k];
        if (seen[i] === stamp) continue;
        seen[i] = stamp;
        let shared = 0;
        let sharedCount = 0;
        for (let j = tagOffsets[i], end = tagOffsets[i + 1]; j < end; j++) {
          const t = tagFlat[j];
          const w = seedWeight[t];
          if (w > 0) {
            shared += w;
            if (t !== award) sharedCount++;
          }
        }
        let author = 0;
        for (let j = authorOffsets[i], end = authorOffsets[i + 1]; j < end; j++) if (authorSeed[authorFlat[j]] === seedAuthorMark) author = 1;
        if (query.sameAuthor ? author === 0 : sharedCount < minShared || (shared === 0 && author === 0)) continue;
        if (!passes(i)) continue;
        const union = seedMass + m.tagMass[i] - shared;
        const jaccard = union > 0 ? shared / union : 0;
        const demographic = m.demographic[i] >= 0 && seedDemographics.has(m.demographic[i]) ? 1 : 0;
        const score = W.tags * jaccard + W.author * author + W.demographic * demographic + W.prior * m.prior[i] + W.available * m.available[i];
        best.push(i, score, m.prior[i]);
      }
    }

    return distinctWorks(m, best.result(), limit).map(({ i, score }) => {
      const s = m.series[i];
      const reasons: string[] = [];
      for (const a of s.authors) if (seedAuthors.has(authorKey(a))) reasons.push(`same_author:${a}`);
      // The most telling shared tags first (rarest), a few of each kind.
      const shared = [...m.tags[i]].filter((t) => seedWeight[t] > 0).sort((a, b) => m.tagWeight[b] - m.tagWeight[a]);
      reasons.push(...shared.filter((t) => m.tagKind[t] === 'genre').slice(0, 3).map((t) => `genre:${m.tagName[t]}`));
      reasons.push(...shared.filter((t) => m.tagKind[t] === 'theme').slice(0, 2).map((t) => `theme:${m.tagName[t]}`));
      if (m.demographic[i] >= 0 && seedDemographics.has(m.demographic[i])) reasons.push(`demographic:${m.demographicName[m.demographic[i]]}`);
      for (const r of filterReasons) if (!reasons.includes(r)) reasons.push(r);
      if (limited) reasons.push(`volumes:${m.volumes[i]}`);
      return { seriesId: s.id, score: round(score), reasons };
    });
  }

  async function popular(limit: number, opts?: CallOptions & { excludeAgeRestricted?: boolean }): Promise<Recommendation[]> {
    opts?.signal?.throwIfAborted();
    return popularList(await getModel(), limit, opts?.excludeAgeRestricted);
  }

  /** Every series with recent sales or a new/upcoming volume, best first (before filtering). */
  async function computeTrending(m: SeriesModel): Promise<Recommendation[]> {
    const at = now();
    const orders = typeof options.orders === 'function' ? await options.orders() : (options.orders ?? []);
    const units = await unitsBySeries(orders, seriesOfProduct, daysBefore(at, windowDays));
    const maxUnits = Math.max(0, ...units.values());
    const news = new Map<string, ReleaseSignal>();
    for (const [id, dates] of await getReleases()) {
      const signal = releaseSignal(dates, at, newReleaseDays, upcomingDays);
      if (signal) news.set(id, signal);
    }
    const out: Recommendation[] = [];
    for (const id of new Set([...units.keys(), ...news.keys()])) {
      const i = m.indexOf.get(id);
      if (i === undefined) continue;
      const sold = units.get(id) ?? 0;
      const release = news.get(id);
      // Sales dominate; a fresh volume alone still trends; the prior separates equals.
      const score = 0.65 * (maxUnits > 0 ? sold / maxUnits : 0) + 0.3 * (release?.strength ?? 0) + 0.05 * m.prior[i];
      const reasons: string[] = [];
      if (sold > 0) reasons.push(`recent_orders:${sold}`);
      if (release) reasons.push(`${release.upcoming ? 'upcoming_volume' : 'new_volume'}:${release.date}`);
      out.push({ seriesId: id, score: round(score), reasons });
    }
    return out.sort((a, b) => b.score - a.score || a.seriesId.localeCompare(b.seriesId));
  }

  async function trending(limit: number, opts?: CallOptions & { excludeAgeRestricted?: boolean }): Promise<Recommendation[]> {
    opts?.signal?.throwIfAborted();
    const m = await getModel();
    const fresh = trendingCache && Date.now() - trendingCache.at < trendingTtlMs ? trendingCache.list : undefined;
    const list = fresh ?? (await computeTrending(m));
    if (!fresh) trendingCache = { at: Date.now(), list };
    const keep = (r: Recommendation) => {
      const i = m.indexOf.get(r.seriesId);
      return !(opts?.excludeAgeRestricted && (i === undefined || m.adult[i]));
    };
    const out = list.filter(keep).slice(0, limit);
    // Too little recent activity to fill the list: top up with popular series, marked as such.
    if (out.length < limit) {
      const have = new Set(out.map((r) => r.seriesId));
      for (const p of popularList(m, limit + out.length, opts?.excludeAgeRestricted)) {
        if (out.length >= limit) break;
        if (!have.has(p.seriesId)) out.push({ ...p, score: 0 });
      }
    }
    return out;
  }

  return { recommend, popular, trending };
}
