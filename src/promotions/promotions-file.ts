import { readFile } from 'node:fs/promises';
import { z } from 'zod';
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
export async function loadPromotionsFile(path: string): Promise<Promotion[]> {
  const raw: unknown = JSON.parse(await readFile(path, 'utf8'));
  const parsed = z.array(promotionSchema).safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: invalid promotions: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
