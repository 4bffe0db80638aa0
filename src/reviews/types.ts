import type { CallOptions } from '../shared/call.ts';

export interface Review {
  id: string;
  seriesId: string;
  rating: number; // 1..5
  title: string;
  body: string;
  language: 'ja' | 'en';
  createdAt: string;
}

export interface ReviewSummary {
  seriesId: string;
  averageRating: number;
  count: number;
  /** A few recent reviews, customer language first. */
  highlights: Review[];
}

/** Port: customer reviews and ratings (tier 3). */
export interface ReviewService {
  summary(seriesId: string, opts?: CallOptions & { language?: 'ja' | 'en' }): Promise<ReviewSummary | undefined>;
}
