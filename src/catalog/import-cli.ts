import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../store/sqlite.ts';
import { createSqliteCatalog } from './sqlite-catalog.ts';
import { importCatalog, type ImportReport } from './import.ts';
import { loadConfig } from '../config.ts';

/** The catalog database inside a data directory (the same file the service opens). */
export function catalogDbFile(dataDir: string): string {
  return join(dataDir, 'catalog.sqlite');
}

/** How the import reaches a running service (`--notify`). */
export interface NotifyOptions {
  /** Bearer credential of the service's admin endpoints (ADMIN_TOKEN). */
  adminToken?: string;
  /** Deadline of the notification, which answers once every service process took the import in. */
  timeoutMs?: number;
}

/** Admin events carry at most this many series ids (src/http/admin.ts); more means "all of them". */
const MAX_EVENT_IDS = 10_000;

const USAGE = 'usage: npm run import -- <file.csv|file.jsonl> [--db <catalog.sqlite>] [--notify <service URL>]';

/**
 * `npm run import -- <file> [--db <sqlite file>] [--notify <service URL>]`: imports a MyAnimeList
 * CSV or a JSONL catalog into the catalog database in `dataDir` (or the --db file) and prints a
 * report. A service running on the same DATA_DIR takes the import in by itself within
 * CATALOG_REFRESH_INTERVAL_MS; `--notify` tells it at once (POST /v1/admin/events,
 * `catalog.changed`, with ADMIN_TOKEN) and returns when every process has it.
 */
export async function runImport(argv: string[], dataDir: string, log: (line: string) => void = console.log, notify: NotifyOptions = {}): Promise<ImportReport> {
  const { values, positionals } = parseArgs({ args: argv, options: { db: { type: 'string' }, notify: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new Error(USAGE);
  if (values.notify !== undefined && !notify.adminToken) throw new Error('--notify needs the service\'s admin credential: set ADMIN_TOKEN as the service has it');
  const file = resolve(positionals[0]);
  const dbFile = values.db ?? catalogDbFile(dataDir);
  const db = openDatabase(dbFile);
  let report: ImportReport;
  try {
    const catalog = createSqliteCatalog(db);
    report = await importCatalog(catalog, file);
    // The service's next start opens this index instead of building it (~0.5 s of CPU at 15,000 series).
    catalog.storeNameIndex();
    const counts = await catalog.counts();
    log(`imported ${file} (${report.format}) into ${dbFile} in ${report.durationMs.toFixed(0)} ms`);
    log(`  inserted ${report.inserted}, updated ${report.updated}, unchanged ${report.unchanged}, removed ${report.removed}, products ${report.products}, skipped ${report.skipped.length}`);
    log(`  rows folded into their work ${report.folded}, spin-offs linked ${report.linked}, age-restricted ${report.restricted}`);
    for (const s of report.skipped.slice(0, 20)) log(`  skipped line ${s.line}: ${s.reason}`);
    if (report.skipped.length > 20) log(`  ... and ${report.skipped.length - 20} more skipped`);
    log(`  catalog now has ${counts.series} series and ${counts.products} products`);
  } finally {
    db.close();
  }
  if (values.notify !== undefined) {
    try {
      await notifyService(values.notify, report, notify, log);
    } catch (error) {
      // The catalog file has the import either way: say so, so nobody imports it twice.
      throw new Error(`imported into ${dbFile}, but the service was not told: ${(error as Error).message}. A service on that DATA_DIR still takes it in within CATALOG_REFRESH_INTERVAL_MS.`, { cause: error });
    }
  }
  else if (report.changedIds.length > 0) log('  a service running on this DATA_DIR takes it in within CATALOG_REFRESH_INTERVAL_MS (or pass --notify <service URL>)');
  return report;
}

/** Tells a running service that its catalog changed; throws with the service's answer when it refuses. */
async function notifyService(baseUrl: string, report: ImportReport, opts: NotifyOptions, log: (line: string) => void): Promise<void> {
  if (report.changedIds.length === 0) {
    log('  nothing changed: the service was not notified');
    return;
  }
  const url = new URL('/v1/admin/events', baseUrl);
  // Without ids the event means "every series": caches are dropped whole, as they should be.
  const body = { type: 'catalog.changed', ...(report.changedIds.length <= MAX_EVENT_IDS ? { seriesIds: report.changedIds } : {}) };
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`the service at ${url.origin} refused the catalog.changed event: ${res.status} ${text.slice(0, 300)}`);
  log(`  ${url.origin} took the import in (catalog.changed, ${report.changedIds.length} series)`);
}

if (import.meta.main) {
  // The same configuration the service reads: DATA_DIR says which catalog, ADMIN_TOKEN how to tell it.
  const config = loadConfig(process.env);
  runImport(process.argv.slice(2), config.DATA_DIR, console.log, { adminToken: config.ADMIN_TOKEN }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
