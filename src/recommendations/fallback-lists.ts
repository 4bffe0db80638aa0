import type { Recommendation, RecommendationService } from './types.ts';

/** The lists shown when the recommendation engine is down: trending, else popular. */
export interface FallbackLists {
  /** Trending titles (reason 'trending'), or popular ones ('popular') when no trending list is known. */
  pick(limit: number, excludeAgeRestricted: boolean): Recommendation[];
  /** Fetches fresh lists from the engine; keeps the last good ones when that fails. */
  refresh(): Promise<void>;
  close(): void;
}

/** Kept per list: enough that a request's filters (finished, for a child...) still leave a few to show. */
const KEPT = 40;

/**
 * The design's fallback ("recommendations down → show trending or popular manga") must not ask
 * the engine that is down, so the lists are copied from it while it is healthy and served from
 * memory when it is not — like a CDN-cached trending page. Refreshed on a timer; a failed refresh
 * keeps the previous lists.
 */
export function createFallbackLists(recs: RecommendationService, opts: { refreshMs: number; onError?: (error: unknown) => void }): FallbackLists {
  type Lists = { trending: Recommendation[]; popular: Recommendation[] };
  const lists: Record<'all' | 'safe', Lists> = { all: { trending: [], popular: [] }, safe: { trending: [], popular: [] } };
  const tag = (reason: string) => (r: Recommendation): Recommendation => ({ ...r, reasons: [reason, ...r.reasons.filter((x) => x !== reason)] });

  async function refresh(): Promise<void> {
    for (const [variant, excludeAgeRestricted] of [['all', false], ['safe', true]] as const) {
      const [trending, popular] = await Promise.allSettled([recs.trending(KEPT, { excludeAgeRestricted }), recs.popular(KEPT, { excludeAgeRestricted })]);
      if (trending.status === 'fulfilled') lists[variant].trending = trending.value.map(tag('trending'));
      else opts.onError?.(trending.reason);
      if (popular.status === 'fulfilled') lists[variant].popular = popular.value.map(tag('popular'));
      else opts.onError?.(popular.reason);
    }
  }

  const timer = opts.refreshMs > 0 ? setInterval(() => void refresh().catch(opts.onError), opts.refreshMs) : undefined;
  timer?.unref();
  return {
    pick(limit, excludeAgeRestricted) {
      const l = lists[excludeAgeRestricted ? 'safe' : 'all'];
      return (l.trending.length > 0 ? l.trending : l.popular).slice(0, limit);
    },
    refresh,
    close: () => clearInterval(timer),
  };
}
