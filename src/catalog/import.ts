import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Product, Series, WritableCatalog } from './types.ts';
import { parseMalCsvDetailed, type SkippedRow } from './mal-csv.ts';
import { parseJsonlCatalogDetailed } from './jsonl.ts';
import { linkDerivedWorks, matchWorks, mergeSeries, planMerge } from './merge.ts';

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
  /** Earlier imported duplicates removed (folded into the series they are). */
  removed: number;
  /** Import rows folded into another row of the same work (a pilot, an edition). */
  folded: number;
  /** Imported series linked to the series they are a spin-off of (`parentId`). */
  linked: number;
  /** Imported series age-restricted, by the rule or because a series they derive from is. */
  restricted: number;
  /** Ids of every series written or removed, for telling a running service (`catalog.changed`). */
  changedIds: string[];
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
    const [existing, owned] = await Promise.all([catalog.allSeries(), catalog.seriesIdsWithProducts()]);
    const plan = planMerge(existing, parsed.series, owned);
    await catalog.upsertSeries(plan.write);
    await catalog.removeSeries(plan.remove);
    return {
      format,
      inserted: plan.inserted,
      updated: plan.updated,
      unchanged: plan.unchanged,
      removed: plan.remove.length,
      folded: plan.folded,
      linked: plan.linked,
      restricted: plan.write.filter((s) => s.ageRestricted === true && !owned.has(s.id)).length,
      changedIds: [...plan.write.map((s) => s.id), ...plan.remove],
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
  // Store series just written may be what earlier imported spin-offs derive from (Gantz for an
  // imported Gantz:G): link them and carry the store's restriction down.
  const owned = new Set([...(await catalog.seriesIdsWithProducts()), ...parsed.series.map((s) => s.id)]);
  const links = parsed.series.length > 0 ? linkDerivedWorks(await catalog.allSeries(), (s) => owned.has(s.id)) : { changed: [], linked: 0, restrictedByParent: 0 };
  await catalog.upsertSeries(links.changed);
  return {
    format,
    inserted,
    updated,
    unchanged: 0,
    removed: supersede.length,
    folded: 0,
    linked: links.linked,
    restricted: links.restrictedByParent,
    changedIds: [...new Set([...write.map((s) => s.id), ...supersede, ...products.map((p) => p.seriesId), ...links.changed.map((s) => s.id)])],
    products: products.length,
    skipped: [...parsed.skipped, ...skipped],
    durationMs: performance.now() - started,
  };
}

/**
 * The store's own series are authoritative and keep their ids (products reference them): each
 * is written as given. Records it meets that have no products came from a third-party import
 * (MAL imported before the shipped catalog was seeded) and are the same work by the import's
 * rules (merge.ts): they are folded in, keeping their community statistics, and their
 * duplicate ids removed.
 */
async function planStoreSeries(
  catalog: WritableCatalog,
  incoming: Series[],
): Promise<{ write: Series[]; supersede: string[]; inserted: number; updated: number }> {
  if (incoming.length === 0) return { write: [], supersede: [], inserted: 0, updated: 0 };
  const [existing, owned] = await Promise.all([catalog.allSeries(), catalog.seriesIdsWithProducts()]);
  const ids = new Set(existing.map((s) => s.id));
  const { target, duplicates } = matchWorks(existing, incoming, (s) => owned.has(s.id));
  const write: Series[] = [];
  const supersede: string[] = [];
  let updated = 0;
  for (const s of incoming) {
    const imported = [target.get(s), ...(duplicates.get(s) ?? [])].filter((m): m is Series => m !== undefined && !owned.has(m.id));
    let next = s;
    for (const m of imported) {
      next = mergeSeries(next, m);
      if (m.id !== s.id) supersede.push(m.id);
    }
    write.push(next);
    if (ids.has(s.id) || imported.length > 0) updated++;
  }
  const writing = new Set(incoming.map((s) => s.id));
  return { write, supersede: [...new Set(supersede)].filter((id) => !writing.has(id)), inserted: incoming.length - updated, updated };
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
