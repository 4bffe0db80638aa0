import type { Review, ReviewService, ReviewSummary } from './types.ts';
import { loadReviewsFile } from './reviews-file.ts';

/** Options of the embedded reviews. */
export interface EmbeddedReviewsOptions {
  /** Reviews quoted in a summary. @default 3 */
  highlights?: number;
}

interface SeriesReviews {
  averageRating: number;
  count: number;
  // Newest first, computed once: summaries are read on many turns, reviews change only on reload.
  newest: Review[];
}

/** Review summaries over reviews held in memory. */
export function createEmbeddedReviews(reviews: Review[], options: EmbeddedReviewsOptions = {}): ReviewService {
  const highlightCount = options.highlights ?? 3;
  const bySeries = new Map<string, { reviews: { review: Review; at: number }[]; sum: number }>();
  for (const r of reviews) {
    const at = Date.parse(r.createdAt);
    if (Number.isNaN(at)) throw new Error(`review ${r.id}: createdAt is not a date: ${r.createdAt}`);
    if (!Number.isInteger(r.rating) || r.rating < 1 || r.rating > 5) throw new Error(`review ${r.id}: rating must be 1..5, got ${r.rating}`);
    let entry = bySeries.get(r.seriesId);
    if (!entry) bySeries.set(r.seriesId, (entry = { reviews: [], sum: 0 }));
    entry.reviews.push({ review: r, at });
    entry.sum += r.rating;
  }
  const summaries = new Map<string, SeriesReviews>();
  for (const [seriesId, { reviews: list, sum }] of bySeries) {
    list.sort((a, b) => b.at - a.at || (a.review.id < b.review.id ? -1 : 1));
    // Dividing the integer sum * 10 keeps exact halves exact (4.35 → 43.5, not 43.4999…), so rounding is half up.
    summaries.set(seriesId, { averageRating: Math.round((sum * 10) / list.length) / 10, count: list.length, newest: list.map((x) => x.review) });
  }

  return {
    async summary(seriesId, opts) {
      opts?.signal?.throwIfAborted();
      const s = summaries.get(seriesId);
      if (!s) return undefined;
      const language = opts?.language;
      const ordered = language
        ? [...s.newest.filter((r) => r.language === language), ...s.newest.filter((r) => r.language !== language)]
        : s.newest;
      const result: ReviewSummary = {
        seriesId,
        averageRating: s.averageRating,
        count: s.count,
        highlights: ordered.slice(0, highlightCount).map((r) => ({ ...r })),
      };
      return result;
    },
  };
}

/** Loads the reviews JSON file at `path` into an embedded review service. */
export async function loadEmbeddedReviews(path: string, options?: EmbeddedReviewsOptions): Promise<ReviewService> {
  return createEmbeddedReviews(await loadReviewsFile(path), options);
}
