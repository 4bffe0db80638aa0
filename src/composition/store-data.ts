import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { openDatabase } from '../store/sqlite.ts';
import type { DerivedEvent } from '../store/derived-file.ts';
import { countThrottles } from '../observability/store-throttle.ts';
import { createSqliteCatalog, type SqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { seedCatalogIfEmpty } from '../catalog/seed.ts';
import type { ImportReport } from '../catalog/import.ts';
import { createReadingWorker, type ReadingWorker } from '../catalog/readings.ts';
import { createSqliteOrders, type EmbeddedOrders } from '../orders/embedded-orders.ts';
import { loadEmbeddedPromotions } from '../promotions/embedded-promotions.ts';
import type { PromotionService } from '../promotions/types.ts';
import { loadEmbeddedReviews } from '../reviews/embedded-reviews.ts';
import type { ReviewService } from '../reviews/types.ts';
import { loadEmbeddedCustomers } from '../customers/embedded-customers.ts';
import type { CustomerDirectory } from '../customers/types.ts';
import { createEmbeddedRecommendations } from '../recommendations/embedded-recommendations.ts';
import { persistedSeriesModel } from '../recommendations/persisted-series-model.ts';
import type { RecommendationService } from '../recommendations/types.ts';

/** The store's own data, uncached: what the caches (cached-data.ts) are put in front of. */
export interface StoreData {
  /** The SQLite catalog (DATA_DIR/catalog.sqlite), seeded from STORE_DATA_DIR when empty. */
  catalog: SqliteCatalog;
  /** What seeding loaded at this start; undefined when the catalog already had it. */
  seeded: ImportReport | undefined;
  orders: EmbeddedOrders;
  promotions: PromotionService;
  reviews: ReviewService;
  customers: CustomerDirectory;
  recommendations: RecommendationService;
  /** The reading dictionary's thread (READING_DICTIONARY=worker), not started yet: the caller starts it once the service is ready. */
  readings?: ReadingWorker;
  /** Closes the catalog and orders files (the reading thread is closed on its own, earlier). */
  close(): void;
}

/** The SQLite files of the catalog and the orders, in DATA_DIR. */
function openStoreFiles(dataDir: string) {
  return { catalogDb: openDatabase(join(dataDir, 'catalog.sqlite')), ordersDb: openDatabase(join(dataDir, 'orders.sqlite')) };
}

/**
 * Opens the catalog and orders (one SQLite file per store, so the hot memory writes never wait on
 * a catalog import holding the write lock), seeds them from STORE_DATA_DIR when empty, loads the
 * shipped promotions, reviews and customers, and builds the recommendation model.
 * `onReadingsReady` is called once the reading dictionary has loaded (after it is logged).
 */
export async function openStoreData(config: Config, ctx: { dataDir: string; logger: Logger; throttled: (store: string) => () => void; derivedEvent: (e: DerivedEvent) => void; onReadingsReady?: () => void }): Promise<StoreData> {
  const { dataDir, logger, throttled } = ctx;
  const shipped = resolve(config.STORE_DATA_DIR);
  const { catalogDb, ordersDb } = openStoreFiles(dataDir);
  // Kanji queries read by a Japanese dictionary on its own thread, started once the service is
  // ready (createApp): 黒執事 then finds an imported "Kuroshitsuji". Loaded, it empties the search
  // cache (onReadingsReady), where a kanji query asked meanwhile was remembered as not found.
  const readings = config.READING_DICTIONARY === 'worker'
    ? createReadingWorker({
        timeoutMs: config.READING_TIMEOUT_MS,
        onReady: (loadMs) => {
          logger.info({ loadMs: Math.round(loadMs) }, 'reading dictionary ready');
          ctx.onReadingsReady?.();
        },
        onError: (err) => logger.error({ err }, 'reading dictionary failed: kanji queries go on without readings'),
      })
    : undefined;
  const catalog = countThrottles(createSqliteCatalog(catalogDb, { readings }), throttled('catalog'));
  const seeded = await seedCatalogIfEmpty(catalog, join(shipped, 'catalog'));
  const orders = countThrottles(createSqliteOrders(ordersDb), throttled('orders'));
  await orders.seedOrdersIfEmpty(join(shipped, 'store', 'orders.json'));
  const [promotions, reviews, customers] = await Promise.all([
    loadEmbeddedPromotions(join(shipped, 'store', 'promotions.json')),
    loadEmbeddedReviews(join(shipped, 'store', 'reviews.json')),
    loadEmbeddedCustomers(join(shipped, 'store', 'customers.json')),
  ]);
  // The recommendation model is kept in DATA_DIR/derived too, keyed by the catalog's version.
  const recommendations = createEmbeddedRecommendations({
    catalog,
    orders: () => orders.placedSince(new Date(Date.now() - 30 * 86_400_000)),
    buildModel: persistedSeriesModel({ dir: join(dataDir, 'derived'), catalogVersion: () => catalog.version(), onEvent: ctx.derivedEvent }),
  });
  // The recommendation model is built on first use; build it now, not on a customer's message.
  await recommendations.popular(1);
  return {
    catalog,
    seeded,
    orders,
    promotions,
    reviews,
    customers,
    recommendations,
    readings,
    close() {
      catalogDb.close();
      ordersDb.close();
    },
  };
}

/** Seeds the empty catalog and orders of DATA_DIR from STORE_DATA_DIR, then closes them (prepareStores). */
export async function seedStoreData(config: Config, dataDir: string): Promise<void> {
  const shipped = resolve(config.STORE_DATA_DIR);
  const { catalogDb, ordersDb } = openStoreFiles(dataDir);
  try {
    await seedCatalogIfEmpty(createSqliteCatalog(catalogDb), join(shipped, 'catalog'));
    await createSqliteOrders(ordersDb).seedOrdersIfEmpty(join(shipped, 'store', 'orders.json'));
  } finally {
    catalogDb.close();
    ordersDb.close();
  }
}
