import type { ReviewService, ReviewSummary } from './types.ts';
import type { TieredCache } from '../cache/tiered-cache.ts';
import { policyFor, TAGS, type CacheTuning } from '../cache/policy.ts';

/** Review summaries behind the data cache (1 hour in the design's table; the reviews event invalidates them). */
export function createCachedReviews(origin: ReviewService, tiered: TieredCache, opts: { ttlMs: number; tuning: CacheTuning }): ReviewService {
  const summaries = tiered.cache<ReviewSummary>(policyFor('reviews', opts.ttlMs, opts.tuning, (_v, key) => [TAGS.allReviews, TAGS.reviews(key.slice(0, key.indexOf('\u0000')))]));
  return {
    summary: (seriesId, callOpts) =>
      summaries.get(`${seriesId}\u0000${callOpts?.language ?? ''}`, (signal) => origin.summary(seriesId, { signal, language: callOpts?.language }), callOpts),
  };
}
