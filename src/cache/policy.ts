import type { CachePolicy } from './tiered-cache.ts';

/** The knobs every data cache shares (configuration: CACHE_*). */
export interface CacheTuning {
  /** Relative TTL jitter (0.2 = ±20 %). */
  jitter: number;
  /** Stale-while-revalidate window as a share of the TTL. */
  staleShare: number;
  /** Probabilistic early refresh scale as a share of the TTL (0 = off). */
  earlyRefresh: number;
  /** Deadline of an origin load run by the cache. */
  loadTimeoutMs: number;
  /** Keep entries in the shared tier (Redis) too. */
  shared: boolean;
}

/** A policy from the shared tuning, a TTL and the value's tags. */
export function policyFor<V>(name: string, ttlMs: number, tuning: CacheTuning, tags: CachePolicy<V>['tags'], extra: Partial<CachePolicy<V>> = {}): CachePolicy<V> {
  return {
    name,
    ttlMs,
    jitter: tuning.jitter,
    staleMs: Math.round(ttlMs * tuning.staleShare),
    earlyRefresh: tuning.earlyRefresh,
    loadTimeoutMs: tuning.loadTimeoutMs,
    shared: tuning.shared,
    tags,
    ...extra,
  };
}

/** Tags the data-change events use: one per series, one for everything derived from the whole catalog. */
export const TAGS = {
  series: (id: string) => `series:${id}`,
  /** On every per-series entry: the whole catalog changed. */
  everySeries: 'catalog:all',
  /** On everything derived from the whole catalog (search results, recommendations): any catalog change. */
  catalog: 'catalog',
  promotions: 'promotions',
  reviews: (seriesId: string) => `reviews:${seriesId}`,
  allReviews: 'reviews',
  session: (id: string) => `session:${id}`,
  allSessions: 'sessions',
  /** The knowledge base (store policies) changed. */
  kb: 'kb',
} as const;

/** The tags a data-change event invalidates. */
export function tagsOfEvent(event: { type: 'catalog.changed' | 'promotions.changed' | 'reviews.changed' | 'kb.changed'; seriesIds?: string[] }): string[] {
  const ids = event.seriesIds;
  switch (event.type) {
    case 'catalog.changed':
      return ids ? [TAGS.catalog, ...ids.map(TAGS.series)] : [TAGS.catalog, TAGS.everySeries];
    case 'promotions.changed':
      return [TAGS.promotions];
    case 'reviews.changed':
      return ids ? ids.map(TAGS.reviews) : [TAGS.allReviews];
    case 'kb.changed':
      return [TAGS.kb];
  }
}
