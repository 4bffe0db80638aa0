import { z } from 'zod';
import { loadJsonArray } from '../store/json-file.ts';
import type { Promotion } from './types.ts';

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date');

/** Schema of one promotion as shipped in data/store/promotions.json. */
export const promotionSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  titleJa: z.string(),
  description: z.string(),
  descriptionJa: z.string(),
  kind: z.string().min(1),
  value: z.number().optional(),
  seriesIds: z.array(z.string()),
  startsAt: instant,
  endsAt: instant,
  code: z.string().optional(),
}) satisfies z.ZodType<Promotion>;

/** Reads and validates a JSON array of promotions; the error names the file and the offending path. */
export function loadPromotionsFile(path: string): Promise<Promotion[]> {
  return loadJsonArray(path, promotionSchema, 'promotions');
}
