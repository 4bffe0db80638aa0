import { randomUUID } from 'node:crypto';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { CallOptions } from '../shared/call.ts';
import type { Offer, Product, ProductFormat, Series, SeriesHit, SeriesStatus, WritableCatalog } from './types.ts';
import { buildNameIndex, loadNameIndex, type NameIndex } from './name-index.ts';
import { searchWithReadings, type Readings } from './readings.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS catalog_series (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  title_en TEXT,
  title_ja TEXT,
  aliases TEXT NOT NULL DEFAULT '[]',
  authors TEXT NOT NULL DEFAULT '[]',
  genres TEXT NOT NULL DEFAULT '[]',
  themes TEXT NOT NULL DEFAULT '[]',
  demographic TEXT,
  magazine TEXT,
  status TEXT NOT NULL,
  volume_count INTEGER,
  synopsis TEXT,
  synopsis_ja TEXT,
  score REAL,
  popularity_rank INTEGER,
  age_restricted INTEGER,
  start_date TEXT
);
CREATE TABLE IF NOT EXISTS catalog_changes (
  series_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  removed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS catalog_changes_seq ON catalog_changes(seq);
CREATE TABLE IF NOT EXISTS catalog_products (
  id TEXT PRIMARY KEY,
  series_id TEXT NOT NULL REFERENCES catalog_series(id),
  volume INTEGER NOT NULL,
  format TEXT NOT NULL,
  price_jpy INTEGER NOT NULL,
  stock INTEGER NOT NULL,
  release_date TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS catalog_products_series ON catalog_products(series_id);
`;

/**
 * Columns added after the first release, created on open in a database that lacks them (a
 * DATA_DIR from an older version keeps its catalog; the next import or seed fills them).
 */
const ADDED_SERIES_COLUMNS: Record<string, string> = { authors_ja: 'TEXT', parent_id: 'TEXT' };

const SERIES_COLUMNS =
  'id, title, title_en, title_ja, aliases, authors, genres, themes, demographic, magazine, status, volume_count, synopsis, synopsis_ja, score, popularity_rank, age_restricted, start_date, authors_ja, parent_id';
const PRODUCT_COLUMNS = 'id, series_id, volume, format, price_jpy, stock, release_date';

type Row = Record<string, SQLInputValue>;

/**
 * A series from a row of SERIES_COLUMNS returned as an array (in that column order): reading the
 * 15,000-series import as object rows took ~130 ms of a start's CPU, as arrays ~85.
 */
function rowToSeries(r: SQLInputValue[]): Series {
  const s: Series = {
    id: r[0] as string,
    title: r[1] as string,
    authors: JSON.parse(r[5] as string),
    genres: JSON.parse(r[6] as string),
    themes: JSON.parse(r[7] as string),
    status: r[10] as SeriesStatus,
  };
  const aliases = JSON.parse(r[4] as string) as string[];
  if (aliases.length > 0) s.aliases = aliases;
  if (r[2] != null) s.titleEn = r[2] as string;
  if (r[3] != null) s.titleJa = r[3] as string;
  if (r[8] != null) s.demographic = r[8] as string;
  if (r[9] != null) s.magazine = r[9] as string;
  if (r[11] != null) s.volumeCount = Number(r[11]);
  if (r[12] != null) s.synopsis = r[12] as string;
  if (r[13] != null) s.synopsisJa = r[13] as string;
  if (r[14] != null) s.score = Number(r[14]);
  if (r[15] != null) s.popularityRank = Number(r[15]);
  if (r[16] != null) s.ageRestricted = r[16] === 1 || r[16] === 1n;
  if (r[17] != null) s.startDate = r[17] as string;
  if (r[18] != null) s.authorsJa = JSON.parse(r[18] as string);
  if (r[19] != null) s.parentId = r[19] as string;
  return s;
}

function seriesToParams(s: Series): SQLInputValue[] {
  return [
    s.id,
    s.title,
    s.titleEn ?? null,
    s.titleJa ?? null,
    JSON.stringify(s.aliases ?? []),
    JSON.stringify(s.authors ?? []),
    JSON.stringify(s.genres ?? []),
    JSON.stringify(s.themes ?? []),
    s.demographic ?? null,
    s.magazine ?? null,
    s.status ?? 'unknown',
    s.volumeCount ?? null,
    s.synopsis ?? null,
    s.synopsisJa ?? null,
    s.score ?? null,
    s.popularityRank ?? null,
    s.ageRestricted === undefined ? null : s.ageRestricted ? 1 : 0,
    s.startDate ?? null,
    s.authorsJa ? JSON.stringify(s.authorsJa) : null,
    s.parentId ?? null,
  ];
}

/** How long the shared read of every series is kept after it was made (start-up's readers come within it). */
const EVERY_SERIES_KEPT_MS = 30_000;

/** Within one volume, formats are listed in the order the type declares them. */
const FORMAT_RANK: Record<ProductFormat, number> = { tankobon: 0, digital: 1, kanzenban: 2, box_set: 3 };

/** A statement whose rows come back as arrays in column order (cheaper than objects). */
function returnArrays(stmt: StatementSync): StatementSync {
  stmt.setReturnArrays(true);
  return stmt;
}

/** A product from a row of PRODUCT_COLUMNS returned as an array. */
function arrayToProduct(r: SQLInputValue[]): Product {
  return {
    id: r[0] as string,
    seriesId: r[1] as string,
    volume: Number(r[2]),
    format: r[3] as ProductFormat,
    priceJpy: Number(r[4]),
    stock: Number(r[5]),
    releaseDate: r[6] as string,
  };
}

function rowToProduct(r: Row): Product {
  return {
    id: r.id as string,
    seriesId: r.series_id as string,
    volume: Number(r.volume),
    format: r.format as ProductFormat,
    priceJpy: Number(r.price_jpy),
    stock: Number(r.stock),
    releaseDate: r.release_date as string,
  };
}

/** Runs `work` in one transaction: one fsync for a whole batch is what makes 15,000 rows take ms. */
function inTransaction(db: DatabaseSync, work: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    work();
    db.exec('COMMIT');
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}

/** Adds the columns of ADDED_SERIES_COLUMNS that an older database lacks. */
function addMissingColumns(db: DatabaseSync): void {
  const have = (): Set<string> => new Set((db.prepare('PRAGMA table_info(catalog_series)').all() as Row[]).map((r) => r.name as string));
  for (const [name, type] of Object.entries(ADDED_SERIES_COLUMNS)) {
    if (have().has(name)) continue;
    try {
      db.exec(`ALTER TABLE catalog_series ADD COLUMN ${name} ${type}`);
    } catch (error) {
      // Another process opening the same old file added it first.
      if (!have().has(name)) throw error;
    }
  }
}

/** The SQLite catalog: the catalog port plus what only a process holding the file does. */
export interface SqliteCatalog extends WritableCatalog {
  /** Builds the name index now if a write left it stale and stores it in the file, so the service's next start opens it instead of building it (the import CLI calls this before closing). */
  storeNameIndex(): void;
  /**
   * The catalog's version: the file's own id (made when it was created), the sequence number of
   * its last logged write and its number of series. Any series or product write changes it, so
   * indexes derived from the series can be keyed by it instead of by hashing every series.
   */
  version(): string;
}

/** Options for {@link createSqliteCatalog}. */
export interface SqliteCatalogOptions {
  /** Kana readings of kanji queries (the reading dictionary), so 黒執事 finds an imported "Kuroshitsuji". Without it such queries miss. */
  readings?: Readings;
}

/**
 * The catalog in the embedded SQLite store. Series and products live in tables; prices and
 * stock are read from the table on every call (never cached). Only series *names* are kept in
 * memory, as the fuzzy search index, rebuilt right after a series write (or by the next search).
 */
export function createSqliteCatalog(db: DatabaseSync, options: SqliteCatalogOptions = {}): SqliteCatalog {
  db.exec(SCHEMA);
  addMissingColumns(db);
  const placeholders = (n: number): string => new Array(n).fill('?').join(', ');
  const stmt = {
    // Series rows as arrays in SERIES_COLUMNS order (rowToSeries).
    getSeries: returnArrays(db.prepare(`SELECT ${SERIES_COLUMNS} FROM catalog_series WHERE id = ?`)),
    getSeriesMany: returnArrays(db.prepare(`SELECT ${SERIES_COLUMNS} FROM catalog_series WHERE id IN (SELECT value FROM json_each(?))`)),
    allSeries: returnArrays(db.prepare(`SELECT ${SERIES_COLUMNS} FROM catalog_series ORDER BY id`)),
    // Rows as arrays and the order applied in JS: object rows and SQLite's temp b-tree sort cost
    // 3x more on the hot path (a long series has 200+ volumes and formats; prices are read live).
    getProducts: returnArrays(db.prepare(`SELECT ${PRODUCT_COLUMNS} FROM catalog_products WHERE series_id = ?`)),
    getProduct: db.prepare(`SELECT ${PRODUCT_COLUMNS} FROM catalog_products WHERE id = ?`),
    getOffers: returnArrays(db.prepare('SELECT id, price_jpy, stock FROM catalog_products WHERE series_id = ?')),
    removeSeries: db.prepare('DELETE FROM catalog_series WHERE id = ?'),
    countSeries: db.prepare('SELECT count(*) AS n FROM catalog_series'),
    countProducts: db.prepare('SELECT count(*) AS n FROM catalog_products'),
    seriesWithProducts: returnArrays(db.prepare('SELECT DISTINCT series_id FROM catalog_products')),
    // The change log: one row per series, with the sequence number of the last write that touched
    // it, so another process on the same file (the service, while `npm run import` writes) can
    // tell exactly which series changed since it last looked.
    lastSeq: db.prepare('SELECT coalesce(max(seq), 0) AS n FROM catalog_changes'),
    logChange: db.prepare(
      'INSERT INTO catalog_changes (series_id, seq, removed) VALUES (?, ?, ?) ON CONFLICT(series_id) DO UPDATE SET seq = excluded.seq, removed = excluded.removed',
    ),
    changesSince: returnArrays(db.prepare('SELECT series_id, removed, seq FROM catalog_changes WHERE seq > ?')),
    // Changes whenever another connection commits to the file; never for this connection's writes.
    dataVersion: db.prepare('PRAGMA data_version'),
    upsertSeries: db.prepare(
      `INSERT INTO catalog_series (${SERIES_COLUMNS}) VALUES (${placeholders(20)})
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, title_en = excluded.title_en, title_ja = excluded.title_ja,
         aliases = excluded.aliases, authors = excluded.authors, genres = excluded.genres, themes = excluded.themes,
         demographic = excluded.demographic, magazine = excluded.magazine, status = excluded.status,
         volume_count = excluded.volume_count, synopsis = excluded.synopsis, synopsis_ja = excluded.synopsis_ja,
         score = excluded.score, popularity_rank = excluded.popularity_rank, age_restricted = excluded.age_restricted,
         start_date = excluded.start_date, authors_ja = excluded.authors_ja, parent_id = excluded.parent_id`,
    ),
    upsertProduct: db.prepare(
      `INSERT INTO catalog_products (${PRODUCT_COLUMNS}) VALUES (${placeholders(7)})
       ON CONFLICT(id) DO UPDATE SET series_id = excluded.series_id, volume = excluded.volume, format = excluded.format,
         price_jpy = excluded.price_jpy, stock = excluded.stock, release_date = excluded.release_date`,
    ),
  };

  const listeners = new Set<(changed: Series[], removedIds: string[]) => void>();
  const notify = (changed: Series[], removedIds: string[] = []): void => {
    for (const l of listeners) {
      // A failing listener must not undo or hide a committed write.
      try {
        l(changed, removedIds);
      } catch {
        /* listeners handle their own errors */
      }
    }
  };

  // Every series, read once and shared while the file is unchanged: a start has four readers
  // (name index, classifier, retrieval, recommendations), and each full read of the 15,000-series
  // import cost ~150 ms and as much again in garbage. A write of this connection or another
  // process's commit (PRAGMA data_version) makes it stale; each caller gets its own shallow copies,
  // so one that edits a series it was given changes nobody else's. Dropped when unused for a while.
  let everySeries: { rows: Series[]; version: number; release: NodeJS.Timeout } | undefined;
  const forgetEverySeries = (): void => {
    if (everySeries) clearTimeout(everySeries.release);
    everySeries = undefined;
  };
  const readAllSeries = (): Series[] => {
    const now = dataVersion();
    if (everySeries?.version !== now) {
      forgetEverySeries();
      everySeries = { rows: (stmt.allSeries.all() as unknown as SQLInputValue[][]).map(rowToSeries), version: now, release: setTimeout(forgetEverySeries, EVERY_SERIES_KEPT_MS) };
      everySeries.release.unref();
    }
    return everySeries.rows.map((s) => ({ ...s }));
  };
  const readSeriesMany = (ids: string[]): Series[] => (stmt.getSeriesMany.all(JSON.stringify(ids)) as unknown as SQLInputValue[][]).map(rowToSeries);
  const dataVersion = (): number => Number((stmt.dataVersion.get() as Row).data_version);

  // An id of this file, so a catalog file put in another's place (same sequence and count) is another version.
  db.exec('CREATE TABLE IF NOT EXISTS catalog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  db.prepare("INSERT OR IGNORE INTO catalog_meta (key, value) VALUES ('id', ?)").run(randomUUID());
  const fileId = String((db.prepare("SELECT value FROM catalog_meta WHERE key = 'id'").get() as Row).value);

  // What this process has seen of the change log: everything up to `seen`, and the file as of
  // `version`. Read once at open, so writes committed before the service started are not news.
  let seen = Number((stmt.lastSeq.get() as Row).n);
  let version = dataVersion();
  // Prices and stock of the series asked, as the file holds them now: read again after any write
  // of this connection (writeLogged) or commit of another (PRAGMA data_version, asked on every
  // call), so an offer is as live as a query; a reply reads them for every series it shows, and
  // one series' volumes are a few hundred rows. Bounded; the least recently read go first.
  const offers = new Map<string, Offer[]>();
  let offersVersion = version;
  const OFFERS_KEPT = 2048;
  /** Runs `work` and logs the series it touched in the same transaction. */
  const writeLogged = (ids: Iterable<string>, removed: boolean, work: () => void): void => {
    let seq = 0;
    try {
      inTransaction(db, () => {
        work();
        seq = Number((stmt.lastSeq.get() as Row).n) + 1;
        for (const id of ids) stmt.logChange.run(id, seq, removed ? 1 : 0);
      });
    } finally {
      offers.clear();
    }
    forgetEverySeries();
    // This write reaches this process's listeners directly; refresh() must not announce it again.
    // When another process wrote in between, `seen` stays behind and refresh() reads both.
    if (seq === seen + 1) seen = seq;
  };
  // The name index is kept beside the tables: a start (or another process on this file) opens
  // the stored copy when it was built from the same names by the same index code — a quarter of
  // the CPU of building it — and builds (then stores) a new one otherwise.
  db.exec('CREATE TABLE IF NOT EXISTS catalog_name_index (id INTEGER PRIMARY KEY CHECK (id = 1), data BLOB NOT NULL)');
  const storedIndex = db.prepare('SELECT data FROM catalog_name_index WHERE id = 1');
  const storeIndex = db.prepare('INSERT INTO catalog_name_index (id, data) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data');
  // Indexes the file already holds a copy of (opened from it, or stored since).
  const inFile = new WeakSet<NameIndex>();
  const store = (built: NameIndex): void => {
    if (inFile.has(built)) return;
    try {
      storeIndex.run(built.serialize());
      inFile.add(built);
    } catch {
      // Another process holds the write lock: the copy is only a shortcut, the next build stores it.
    }
  };
  const openNameIndex = (): NameIndex => {
    const series = readAllSeries();
    const row = storedIndex.get() as Row | undefined;
    const stored = row ? loadNameIndex(series, row.data as Uint8Array) : undefined;
    if (stored) {
      inFile.add(stored);
      return stored;
    }
    const built = buildNameIndex(series);
    setImmediate(() => {
      if (db.isOpen && index === built) store(built);
    }).unref();
    return built;
  };
  let index: NameIndex | undefined = openNameIndex();
  // Rebuild soon after a write (coalescing a burst of batches into one rebuild) so the first
  // customer search after an import does not pay for it; a search before then builds it itself.
  let rebuild: NodeJS.Immediate | undefined;
  const scheduleRebuild = (): void => {
    index = undefined;
    rebuild ??= setImmediate(() => {
      rebuild = undefined;
      // The owner may have closed the database meanwhile (the import CLI does): nothing to warm.
      if (db.isOpen) index ??= openNameIndex();
    }).unref();
  };

  return {
    storeNameIndex() {
      index ??= openNameIndex();
      store(index);
    },
    async getSeries(id: string, opts?: CallOptions) {
      opts?.signal?.throwIfAborted();
      const row = stmt.getSeries.get(id) as unknown as SQLInputValue[] | undefined;
      return row ? rowToSeries(row) : undefined;
    },
    async getSeriesMany(ids: string[], opts?: CallOptions) {
      opts?.signal?.throwIfAborted();
      if (ids.length === 0) return [];
      const byId = new Map((stmt.getSeriesMany.all(JSON.stringify(ids)) as unknown as SQLInputValue[][]).map((r) => [r[0] as string, rowToSeries(r)]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    async getProducts(seriesId: string, opts?: CallOptions) {
      opts?.signal?.throwIfAborted();
      const rows = stmt.getProducts.all(seriesId) as unknown as SQLInputValue[][];
      return rows.map(arrayToProduct).sort((a, b) => a.volume - b.volume || FORMAT_RANK[a.format] - FORMAT_RANK[b.format] || (a.id < b.id ? -1 : 1));
    },
    async getOffers(seriesId: string, opts?: CallOptions) {
      opts?.signal?.throwIfAborted();
      const now = dataVersion();
      if (now !== offersVersion) {
        offers.clear();
        offersVersion = now;
      }
      let kept = offers.get(seriesId);
      if (kept) {
        offers.delete(seriesId);
      } else {
        const rows = stmt.getOffers.all(seriesId) as unknown as SQLInputValue[][];
        kept = rows.map((r) => ({ productId: r[0] as string, priceJpy: Number(r[1]), stock: Number(r[2]) }));
        if (offers.size >= OFFERS_KEPT) offers.delete(offers.keys().next().value!);
      }
      offers.set(seriesId, kept);
      // Copies: callers may change what they get.
      return kept.map((o) => ({ productId: o.productId, priceJpy: o.priceJpy, stock: o.stock }));
    },
    async getProduct(productId: string, opts?: CallOptions) {
      opts?.signal?.throwIfAborted();
      const row = stmt.getProduct.get(productId) as Row | undefined;
      return row ? rowToProduct(row) : undefined;
    },
    async searchSeries(query: string, opts?: CallOptions & { limit?: number; context?: string }): Promise<SeriesHit[]> {
      opts?.signal?.throwIfAborted();
      // Kanji the catalog has no Japanese name for are searched by their reading, once the dictionary has loaded.
      return searchWithReadings(() => (index ??= openNameIndex()), query, opts?.limit ?? 10, options.readings, opts);
    },
    async allSeries() {
      return readAllSeries();
    },
    version() {
      return `${fileId}:${Number((stmt.lastSeq.get() as Row).n)}:${Number((stmt.countSeries.get() as Row).n)}`;
    },
    async counts() {
      const series = Number((stmt.countSeries.get() as Row).n);
      const products = Number((stmt.countProducts.get() as Row).n);
      return { series, products };
    },
    async upsertSeries(series: Series[]) {
      if (series.length === 0) return;
      writeLogged(
        series.map((s) => s.id),
        false,
        () => {
          for (const s of series) stmt.upsertSeries.run(...seriesToParams(s));
        },
      );
      scheduleRebuild();
      if (listeners.size > 0) notify(readSeriesMany(series.map((s) => s.id)));
    },
    async upsertProducts(products: Product[]) {
      if (products.length === 0) return;
      const ids = [...new Set(products.map((p) => p.seriesId))];
      writeLogged(ids, false, () => {
        for (const p of products) {
          stmt.upsertProduct.run(p.id, p.seriesId, p.volume, p.format, p.priceJpy, p.stock, p.releaseDate);
        }
      });
      if (listeners.size > 0) notify(readSeriesMany(ids));
    },
    async seriesIdsWithProducts() {
      return new Set((stmt.seriesWithProducts.all() as unknown as SQLInputValue[][]).map((r) => r[0] as string));
    },
    async removeSeries(ids: string[]) {
      if (ids.length === 0) return;
      // The products' foreign key refuses to orphan volumes, failing the whole batch.
      writeLogged(ids, true, () => {
        for (const id of ids) stmt.removeSeries.run(id);
      });
      scheduleRebuild();
      notify([], ids);
    },
    async refresh() {
      const now = dataVersion();
      if (now === version) return { changed: 0, removed: 0 };
      version = now;
      const rows = stmt.changesSince.all(seen) as unknown as SQLInputValue[][];
      if (rows.length === 0) return { changed: 0, removed: 0 };
      const removedIds: string[] = [];
      const touched: string[] = [];
      for (const [id, removed, seq] of rows) {
        seen = Math.max(seen, Number(seq));
        (Number(removed) === 1 ? removedIds : touched).push(id as string);
      }
      const changed = readSeriesMany(touched);
      // Listed as written but no longer there (deleted by hand): gone all the same.
      if (changed.length < touched.length) {
        const found = new Set(changed.map((s) => s.id));
        for (const id of touched) if (!found.has(id)) removedIds.push(id);
      }
      scheduleRebuild();
      notify(changed, removedIds);
      return { changed: changed.length, removed: removedIds.length };
    },
    onChange(listener: (changed: Series[], removedIds: string[]) => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
