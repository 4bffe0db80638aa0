import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../store/sqlite.ts';
import { createSqliteCatalog } from './sqlite-catalog.ts';
import { importCatalog, type ImportReport } from './import.ts';

/** The catalog database inside a data directory (the same file the service opens). */
export function catalogDbFile(dataDir: string): string {
  return join(dataDir, 'catalog.sqlite');
}

/**
 * `npm run import -- <file> [--db <sqlite file>]`: imports a MyAnimeList CSV or a JSONL catalog
 * into the catalog database in `dataDir` (or the --db file) and prints a report.
 */
export async function runImport(argv: string[], dataDir: string, log: (line: string) => void = console.log): Promise<ImportReport> {
  const { values, positionals } = parseArgs({ args: argv, options: { db: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new Error('usage: npm run import -- <file.csv|file.jsonl> [--db <catalog.sqlite>]');
  const file = resolve(positionals[0]);
  const dbFile = values.db ?? catalogDbFile(dataDir);
  const db = openDatabase(dbFile);
  try {
    const catalog = createSqliteCatalog(db);
    const report = await importCatalog(catalog, file);
    const counts = await catalog.counts();
    log(`imported ${file} (${report.format}) into ${dbFile} in ${report.durationMs.toFixed(0)} ms`);
    log(`  inserted ${report.inserted}, updated ${report.updated}, unchanged ${report.unchanged}, products ${report.products}, skipped ${report.skipped.length}`);
    for (const s of report.skipped.slice(0, 20)) log(`  skipped line ${s.line}: ${s.reason}`);
    if (report.skipped.length > 20) log(`  ... and ${report.skipped.length - 20} more skipped`);
    log(`  catalog now has ${counts.series} series and ${counts.products} products`);
    return report;
  } finally {
    db.close();
  }
}

if (import.meta.main) {
  runImport(process.argv.slice(2), process.env.DATA_DIR ?? './var').catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
