import type { CallOptions } from '../shared/call.ts';
import type { CatalogService, CatalogWriter } from '../catalog/types.ts';
import type { Order } from '../orders/types.ts';
import type { Recommendation, RecommendationQuery, RecommendationService } from './types.ts';
import { authorKey, buildSeriesModel, tagIdOf, type SeriesModel } from './series-model.ts';
import { daysBefore, releaseSignal, unitsBySeries, type ReleaseSignal } from './trending.ts';

/** Options of the embedded recommendation engine. */
export interface EmbeddedRecommendationsOptions {
  /** Series and products come from here; `onChange`, when present, keeps the model fresh. */
  catalog: CatalogService & Partial<Pick<CatalogWriter, 'onChange'>>;
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
}

/**
 * Weights of the similarity score; they sum to 1 so scores stay in 0..1. The same author
 * outweighs any tag overlap: readers follow mangaka more than genres.
 */
const W = { tags: 0.3, author: 0.45, demographic: 0.05, prior: 0.1, available: 0.1 };
/** Spin-offs of a seed ("One Piece: Episode A" for One Piece) are the same story, not a new one. */
const SPIN_OFF_FACTOR = 0.6;
const DEFAULT_LIMIT = 10;

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
    const m = buildSeriesModel(await catalog.allSeries());
    const releases = new Map<string, string[]>();
    for (const s of m.series) {
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
    !excluded.has(m.series[i].id) && !(excludeAgeRestricted && m.series[i].ageRestricted);

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
    const filterReasons = [
      ...required.filter((t) => t >= 0).map((t) => `${m.tagKind[t]}:${m.tagName[t]}`),
      ...(requiredDemographic !== undefined && requiredDemographic >= 0 ? [`demographic:${m.demographicName[requiredDemographic]}`] : []),
    ];
    const passes = (i: number): boolean => {
      if (requiredDemographic !== undefined && m.demographic[i] !== requiredDemographic) return false;
      for (const t of required) if (!m.tags[i].includes(t)) return false;
      return true;
    };

    const seeds = (query.seedSeriesIds ?? []).map((id) => m.indexOf.get(id)).filter((i): i is number => i !== undefined);
    const excluded = new Set([...(query.excludeSeriesIds ?? []), ...(query.seedSeriesIds ?? [])]);
    const best = topK(limit);

    if (seeds.length === 0) {
      for (const i of m.byPopularity) {
        if (!allowed(m, i, excluded, query.excludeAgeRestricted) || !passes(i)) continue;
        best.push(i, m.prior[i], m.prior[i]);
        if (best.result().length >= limit) break;
      }
      return best.result().map(({ i, score }) => ({
        seriesId: m.series[i].id,
        score: round(score),
        reasons: filterReasons.length > 0 ? filterReasons : ['popular'],
      }));
    }

    // What the customer liked: the union of the seeds' tags, demographics and authors.
    const seedWeight = new Float64Array(m.tagName.length);
    let seedMass = 0;
    const seedDemographics = new Set<number>();
    const seedAuthors = new Set<string>();
    for (const s of seeds) {
      for (const t of m.tags[s]) {
        if (seedWeight[t] === 0) seedMass += m.tagWeight[t];
        seedWeight[t] = m.tagWeight[t];
      }
      if (m.demographic[s] >= 0) seedDemographics.add(m.demographic[s]);
      for (const a of m.authors[s]) seedAuthors.add(a);
    }
    const seedTitles = seeds.flatMap((s) => m.titleKeys[s]);
    const isSpinOff = (i: number): boolean =>
      m.titleKeys[i].some((t) => seedTitles.some((seed) => t.startsWith(`${seed} `) || seed.startsWith(`${t} `)));

    // The hot loop: indexed loops and masks, no closures or iterators per series.
    const skip = new Uint8Array(m.series.length);
    for (const id of excluded) {
      const i = m.indexOf.get(id);
      if (i !== undefined) skip[i] = 1;
    }
    const ageGate = query.excludeAgeRestricted === true;
    const filtered = required.length > 0 || requiredDemographic !== undefined;
    for (let i = 0; i < m.series.length; i++) {
      if (skip[i] || (ageGate && m.series[i].ageRestricted) || (filtered && !passes(i))) continue;
      const tags = m.tags[i];
      let shared = 0;
      for (let k = 0; k < tags.length; k++) shared += seedWeight[tags[k]];
      let author = 0;
      const authors = m.authors[i];
      for (let k = 0; k < authors.length; k++) if (seedAuthors.has(authors[k])) author = 1;
      if (shared === 0 && author === 0) continue;
      const union = seedMass + m.tagMass[i] - shared;
      const jaccard = union > 0 ? shared / union : 0;
      const demographic = m.demographic[i] >= 0 && seedDemographics.has(m.demographic[i]) ? 1 : 0;
      let score = W.tags * jaccard + W.author * author + W.demographic * demographic + W.prior * m.prior[i] + W.available * m.available[i];
      if (author === 1 && isSpinOff(i)) score *= SPIN_OFF_FACTOR;
      best.push(i, score, m.prior[i]);
    }

    return best.result().map(({ i, score }) => {
      const s = m.series[i];
      const reasons: string[] = [];
      for (const a of s.authors) if (seedAuthors.has(authorKey(a))) reasons.push(`same_author:${a}`);
      // The most telling shared tags first (rarest), a few of each kind.
      const shared = [...m.tags[i]].filter((t) => seedWeight[t] > 0).sort((a, b) => m.tagWeight[b] - m.tagWeight[a]);
      reasons.push(...shared.filter((t) => m.tagKind[t] === 'genre').slice(0, 3).map((t) => `genre:${m.tagName[t]}`));
      reasons.push(...shared.filter((t) => m.tagKind[t] === 'theme').slice(0, 2).map((t) => `theme:${m.tagName[t]}`));
      if (m.demographic[i] >= 0 && seedDemographics.has(m.demographic[i])) reasons.push(`demographic:${m.demographicName[m.demographic[i]]}`);
      for (const r of filterReasons) if (!reasons.includes(r)) reasons.push(r);
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
    const keep = (r: Recommendation) => !(opts?.excludeAgeRestricted && m.series[m.indexOf.get(r.seriesId) ?? -1]?.ageRestricted);
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
