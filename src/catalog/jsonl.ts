import { z } from 'zod';
import type { Product, Series } from './types.ts';
import type { SkippedRow } from './mal-csv.ts';

const seriesSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  titleEn: z.string().optional(),
  titleJa: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  authors: z.array(z.string()),
  authorsJa: z.array(z.string()).optional(),
  genres: z.array(z.string()),
  themes: z.array(z.string()),
  demographic: z.string().optional(),
  magazine: z.string().optional(),
  status: z.enum(['publishing', 'finished', 'hiatus', 'discontinued', 'unknown']),
  volumeCount: z.number().int().nonnegative().optional(),
  synopsis: z.string().optional(),
  synopsisJa: z.string().optional(),
  score: z.number().min(0).max(10).optional(),
  popularityRank: z.number().int().positive().optional(),
  ageRestricted: z.boolean().optional(),
  parentId: z.string().min(1).optional(),
  startDate: z.string().optional(),
});

const productSchema = z.object({
  id: z.string().min(1),
  seriesId: z.string().min(1),
  volume: z.number().int().nonnegative(),
  format: z.enum(['tankobon', 'digital', 'kanzenban', 'box_set']),
  priceJpy: z.number().int().nonnegative(),
  stock: z.number().int(),
  releaseDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

/** Series and products read from the project's JSONL format, with the lines left out. */
export interface JsonlParseResult {
  series: Series[];
  products: Product[];
  skipped: SkippedRow[];
}

/**
 * Parses JSONL where each line is a `Series` or a `Product` (a line with `seriesId` is a
 * product). Invalid lines are reported, not fatal, so one bad line does not block a catalog.
 */
export function parseJsonlCatalogDetailed(text: string): JsonlParseResult {
  const out: JsonlParseResult = { series: [], products: [], skipped: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      out.skipped.push({ line: i + 1, reason: 'not valid JSON' });
      return;
    }
    const isProduct = typeof value === 'object' && value !== null && 'seriesId' in value;
    const parsed = isProduct ? productSchema.safeParse(value) : seriesSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      out.skipped.push({ line: i + 1, reason: `invalid ${isProduct ? 'product' : 'series'}: ${issue.path.join('.')} ${issue.message}` });
      return;
    }
    if (isProduct) out.products.push(parsed.data as Product);
    else out.series.push(parsed.data as Series);
  });
  return out;
}

/** Parses the project's JSONL catalog format (series and product lines). */
export function parseJsonlCatalog(text: string): { series: Series[]; products: Product[] } {
  const { series, products } = parseJsonlCatalogDetailed(text);
  return { series, products };
}
