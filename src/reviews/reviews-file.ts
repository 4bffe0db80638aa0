import { z } from 'zod';
import { loadJsonArray } from '../store/json-file.ts';
import type { Review } from './types.ts';

/** Schema of one review as shipped in data/store/reviews.json. */
export const reviewSchema = z.object({
  id: z.string().min(1),
  seriesId: z.string().min(1),
  rating: z.number().int().min(1).max(5),
  title: z.string(),
  body: z.string(),
  language: z.enum(['ja', 'en']),
  createdAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date'),
}) satisfies z.ZodType<Review>;

/** Reads and validates a JSON array of reviews; the error names the file and the offending path. */
export function loadReviewsFile(path: string): Promise<Review[]> {
  return loadJsonArray(path, reviewSchema, 'reviews');
}
