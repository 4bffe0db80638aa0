import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Product, Series, WritableCatalog } from './types.ts';
import { parseMalCsvDetailed, type SkippedRow } from './mal-csv.ts';
import { parseJsonlCatalogDetailed } from './jsonl.ts';
import { matchByName, mergeSeries, planMerge } from './merge.ts';

export { parseMalCsv } from './mal-csv.ts';
export { parseJsonlCatalog } from './jsonl.ts';

/** What an import did. */
export interface ImportReport {
  format: 'mal-csv' | 'jsonl';
  /** Series that were new to the catalog. */
  inserted: number;
  /** Existing series updated (merged or replaced). */
  updated: number;
  /** Existing series the import matched but did not change. */
  unchanged: number;
  products: number;
  skipped: SkippedRow[];
  durationMs: number;
}

/** Catalog files this importer understands, by extension. */
export function detectFormat(file: string): ImportReport['format'] {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'mal-csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new Error(`unsupported catalog file ${file}: expected .csv (MyAnimeList export) or .jsonl`);
}

/**
 * Imports a MyAnimeList CSV (merged into existing series by name, never inventing products)
 * or the project's JSONL (authoritative: upserted by id) into the catalog.
 */
export async function importCatalog(catalog: WritableCatalog, file: string): Promise<ImportReport> {
  const format = detectFormat(file);
  return importCatalogText(catalog, await readFile(file, 'utf8'), format);
}

/** `importCatalog` for text already in memory. */
export async function importCatalogText(catalog: WritableCatalog, text: string, format: ImportReport['format']): Promise<ImportReport> {
  const started = performance.now();
  if (format === 'mal-csv') {
    const parsed = parseMalCsvDetailed(text);
    const plan = planMerge(await catalog.allSeries(), parsed.series);
    await catalog.upsertSeries(plan.write);
    return {
      format,
      inserted: plan.inserted,
      updated: plan.updated,
      unchanged: plan.unchanged,
      products: 0,
      skipped: parsed.skipped,
      durationMs: performance.now() - started,
    };
  }
  const parsed = parseJsonlCatalogDetailed(text);
  const { write, supersede, inserted, updated } = await planStoreSeries(catalog, parsed.series);
  await catalog.upsertSeries(write);
  await catalog.removeSeries(supersede);
  const { products, skipped } = await productsWithKnownSeries(catalog, parsed.products, parsed.series);
  await catalog.upsertProducts(products);
  return {
    format,
    inserted,
    updated,
    unchanged: 0,
    products: products.length,
    skipped: [...parsed.skipped, ...skipped],
    durationMs: performance.now() - started,
  };
}

/**
 * The store's own series are authoritative and keep their ids (products reference them).
 * A record they meet that has no products came from a third-party import (MAL imported before
 * the shipped catalog was seeded): it is folded in, keeping its community statistics, and its
 * duplicate id removed. A record that has products is the store's own: replaced as written.
 */
async function planStoreSeries(
  catalog: WritableCatalog,
  incoming: Series[],
): Promise<{ write: Series[]; supersede: string[]; inserted: number; updated: number }> {
  const existing = await catalog.allSeries();
  const ids = new Set(existing.map((s) => s.id));
  const matches = matchByName(existing, incoming);
  const write: Series[] = [];
  const supersede: string[] = [];
  let updated = 0;
  for (const s of incoming) {
    const match = matches.get(s);
    const imported = match && (await catalog.getProducts(match.id)).length === 0;
    if (match && imported) {
      write.push(mergeSeries(s, match));
      if (match.id !== s.id) supersede.push(match.id);
    } else write.push(s);
    if (ids.has(s.id) || (match && imported)) updated++;
  }
  return { write, supersede, inserted: incoming.length - updated, updated };
}

/** Products whose series is unknown are reported rather than failing the whole batch. */
async function productsWithKnownSeries(
  catalog: WritableCatalog,
  products: Product[],
  justWritten: Series[],
): Promise<{ products: Product[]; skipped: SkippedRow[] }> {
  const known = new Set(justWritten.map((s) => s.id));
  const others = [...new Set(products.map((p) => p.seriesId).filter((id) => !known.has(id)))];
  for (const s of await catalog.getSeriesMany(others)) known.add(s.id);
  const skipped: SkippedRow[] = [];
  const kept = products.filter((p) => {
    if (known.has(p.seriesId)) return true;
    skipped.push({ line: 0, reason: `product ${p.id}: unknown series ${p.seriesId}` });
    return false;
  });
  return { products: kept, skipped };
}
