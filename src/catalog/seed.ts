import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WritableCatalog } from './types.ts';
import { importCatalogText, type ImportReport } from './import.ts';

/**
 * Loads the shipped catalog (`<catalogDir>/series.jsonl` then `products.jsonl`) when the
 * catalog has no series yet; returns undefined when it already had data.
 */
export async function seedCatalogIfEmpty(catalog: WritableCatalog, catalogDir: string): Promise<ImportReport | undefined> {
  if ((await catalog.counts()).series > 0) return undefined;
  const series = await readFile(join(catalogDir, 'series.jsonl'), 'utf8');
  const products = await readFile(join(catalogDir, 'products.jsonl'), 'utf8');
  // Series first: products reference them.
  const a = await importCatalogText(catalog, series, 'jsonl');
  const b = await importCatalogText(catalog, products, 'jsonl');
  return {
    format: 'jsonl',
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    unchanged: 0,
    products: a.products + b.products,
    skipped: [...a.skipped, ...b.skipped],
    durationMs: a.durationMs + b.durationMs,
  };
}
