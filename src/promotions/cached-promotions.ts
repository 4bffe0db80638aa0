import type { Promotion, PromotionService } from './types.ts';
import type { TieredCache } from '../cache/tiered-cache.ts';
import { policyFor, TAGS, type CacheTuning } from '../cache/policy.ts';

/** What is cached: every promotion running at some moment of [from, until). */
interface Window {
  from: number;
  until: number;
  promotions: Promotion[];
}

/**
 * Promotions behind the data cache (15 minutes in the design's table, invalidated by the
 * promotions event). The cache holds the promotions of a whole window — the TTL and its stale
 * and jitter margins — and each read picks the ones running at its own `now`, so a promotion
 * that ends or starts while the entry lives does so on time, not up to 15 minutes late.
 */
export function createCachedPromotions(origin: PromotionService, tiered: TieredCache, opts: { ttlMs: number; tuning: CacheTuning; clock?: () => Date }): PromotionService {
  const clock = opts.clock ?? (() => new Date());
  const spanMs = Math.ceil(opts.ttlMs * (1 + opts.tuning.jitter) + opts.ttlMs * opts.tuning.staleShare) + 1000;
  const windows = tiered.cache<Window>(policyFor('promotions', opts.ttlMs, opts.tuning, () => [TAGS.promotions]));

  return {
    async active(callOpts) {
      const at = (callOpts?.now ?? clock()).getTime();
      const until = Math.max(at + 1, callOpts?.until?.getTime() ?? at + 1);
      const window = await windows.get(
        'window',
        async (signal) => {
          const from = clock().getTime();
          return { from, until: from + spanMs, promotions: await origin.active({ signal, now: new Date(from), until: new Date(from + spanMs) }) };
        },
        callOpts,
      );
      // Asked about a moment the cached window does not cover (a clock far off, a long `until`): ask the origin.
      if (!window || at < window.from || until > window.until) return origin.active(callOpts);
      const wanted = callOpts?.seriesIds;
      return window.promotions
        .filter((p) => until > Date.parse(p.startsAt) && at < Date.parse(p.endsAt))
        .filter((p) => !wanted || p.seriesIds.length === 0 || p.seriesIds.some((s) => wanted.includes(s)))
        .map((p) => ({ ...p, seriesIds: [...p.seriesIds] }));
    },
  };
}
