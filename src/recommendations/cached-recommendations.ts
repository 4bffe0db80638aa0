import type { Recommendation, RecommendationQuery, RecommendationService } from './types.ts';
import type { TieredCache } from '../cache/tiered-cache.ts';
import { policyFor, TAGS, type CacheTuning } from '../cache/policy.ts';

/**
 * Recommendations behind the data cache (15 minutes in the design's table). Keyed by the whole
 * query in a canonical form (the same seeds, genres and filters in any order are one key); any
 * catalog change invalidates them, since they are computed from the catalog.
 */
export function createCachedRecommendations(origin: RecommendationService, tiered: TieredCache, opts: { ttlMs: number; tuning: CacheTuning }): RecommendationService {
  const lists = tiered.cache<Recommendation[]>(policyFor('recommendations', opts.ttlMs, opts.tuning, () => [TAGS.catalog]));
  const none = (r: Recommendation[] | undefined) => r ?? [];
  return {
    recommend: (query, callOpts) => lists.get(`q\u0000${canonical(query)}`, (signal) => origin.recommend(query, { signal }), callOpts).then(none),
    popular: (limit, callOpts) =>
      lists.get(`popular\u0000${limit}\u0000${callOpts?.excludeAgeRestricted ? 1 : 0}`, (signal) => origin.popular(limit, { signal, excludeAgeRestricted: callOpts?.excludeAgeRestricted }), callOpts).then(none),
    trending: (limit, callOpts) =>
      lists.get(`trending\u0000${limit}\u0000${callOpts?.excludeAgeRestricted ? 1 : 0}`, (signal) => origin.trending(limit, { signal, excludeAgeRestricted: callOpts?.excludeAgeRestricted }), callOpts).then(none),
  };
}

/** The query as a key: lists sorted and lower-cased where order and case do not change the answer. */
export function canonical(q: RecommendationQuery): string {
  const list = (xs: string[] | undefined, lower = true) => [...new Set((xs ?? []).map((x) => (lower ? x.toLowerCase() : x)))].sort().join(',');
  return [
    list(q.seedSeriesIds, false), list(q.genres), list(q.themes), q.demographic?.toLowerCase() ?? '', list(q.excludeSeriesIds, false), q.excludeAgeRestricted ? 1 : 0, q.limit ?? '',
    // Every constraint is part of the key: a cached list must never answer a narrower request.
    q.maxVolumes ?? '', q.shorterThanSeeds ? 1 : 0, q.status ?? '', q.audience ?? '', q.sameAuthor ? 1 : 0, list(q.excludeTags),
    q.minVolumes ?? '', list(q.excludeAuthors),
  ].join('|');
}
