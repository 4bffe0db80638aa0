import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WritableCatalog } from './types.ts';
import { importCatalogText, type ImportReport } from './import.ts';

/**
 * Loads the shipped catalog (`<catalogDir>/series.jsonl` then `products.jsonl`) when it has
 * not been loaded yet; returns undefined when the catalog already had it.
 */
export async function seedCatalogIfEmpty(catalog: WritableCatalog, catalogDir: string): Promise<ImportReport | undefined> {
  // Only the shipped catalog has products: a catalog with series but no products holds just a
  // MyAnimeList import (run before the first start), which the seeding merges into.
  const counts = await catalog.counts();
  if (counts.series > 0 && counts.products > 0) return undefined;
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
    removed: a.removed + b.removed,
    folded: 0,
    linked: a.linked + b.linked,
    restricted: a.restricted + b.restricted,
    changedIds: [...new Set([...a.changedIds, ...b.changedIds])],
    products: a.products + b.products,
    skipped: [...a.skipped, ...b.skipped],
    durationMs: a.durationMs + b.durationMs,
  };
}
