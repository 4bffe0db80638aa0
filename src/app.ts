import { join, resolve } from 'node:path';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { openDatabase } from './store/sqlite.ts';
import { createSqliteCatalog } from './catalog/sqlite-catalog.ts';
import { seedCatalogIfEmpty } from './catalog/seed.ts';
import { createEmbeddedRecommendations } from './recommendations/embedded-recommendations.ts';
import { createSqliteOrders } from './orders/embedded-orders.ts';
import { loadEmbeddedPromotions } from './promotions/embedded-promotions.ts';
import { loadEmbeddedReviews } from './reviews/embedded-reviews.ts';
import { loadEmbeddedCustomers } from './customers/embedded-customers.ts';
import { createSqliteMemory } from './memory/sqlite-memory.ts';
import { loadIntentDataset } from './understanding/dataset.ts';
import { createIntentClassifier } from './understanding/classifier.ts';
import { detectLanguage } from './understanding/language.ts';
import { extractEntities } from './understanding/entities.ts';
import { createReferenceResolver } from './understanding/references.ts';
import { loadKnowledgeBase, seriesToDoc } from './retrieval/documents.ts';
import { createHashingEmbedder } from './retrieval/hashing-embedder.ts';
import { createFeatureReranker } from './retrieval/feature-reranker.ts';
import { createHybridRetriever } from './retrieval/hybrid-retriever.ts';
import { withRerankDeadline } from './retrieval/rerank-deadline.ts';
import { createLocalEngine } from './llm/local-engine.ts';
import { createSimEngine } from './llm/sim-engine.ts';
import type { AnswerEngine } from './llm/types.ts';
import { createChatPipeline, type ChatPipeline } from './chat/pipeline.ts';
import { createJwtAuthenticator, signCustomerToken } from './admission/auth.ts';
import { buildServer } from './http/server.ts';

/** The running service. */
export interface App {
  server: FastifyInstance;
  pipeline: ChatPipeline;
  /** Signs customer tokens with the service's secret (demo sign-in, tests, load generator). */
  signToken: (claims: { sub: string; tier: 'member' | 'prime'; name?: string; age_verified?: boolean }) => Promise<string>;
  /** Stops timers, closes the server and the stores. */
  close(): Promise<void>;
}

const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));

/**
 * The composition root: the one place that turns configuration into adapters and wires them
 * into the pipeline and the server. Everything it builds is ready when it returns.
 */
export async function createApp(config: Config): Promise<App> {
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'manga-assist' } });
  const dataDir = resolve(config.DATA_DIR);
  const shipped = resolve(config.STORE_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  // Durable state: one SQLite file per store, so the hot memory writes never wait on a
  // catalog import holding the write lock.
  const catalogDb = openDatabase(join(dataDir, 'catalog.sqlite'));
  const ordersDb = openDatabase(join(dataDir, 'orders.sqlite'));
  const memoryDb = openDatabase(join(dataDir, 'memory.sqlite'));

  const catalog = createSqliteCatalog(catalogDb);
  const seeded = await seedCatalogIfEmpty(catalog, join(shipped, 'catalog'));
  const orders = createSqliteOrders(ordersDb);
  await orders.seedOrdersIfEmpty(join(shipped, 'store', 'orders.json'));
  const [promotions, reviews, customers] = await Promise.all([
    loadEmbeddedPromotions(join(shipped, 'store', 'promotions.json')),
    loadEmbeddedReviews(join(shipped, 'store', 'reviews.json')),
    loadEmbeddedCustomers(join(shipped, 'store', 'customers.json')),
  ]);
  const recommendations = createEmbeddedRecommendations({ catalog, orders: () => orders.placedSince(new Date(Date.now() - 30 * 86_400_000)) });
  // The recommendation model is built on first use; build it now, not on a customer's message.
  await recommendations.popular(1);
  const memory = createSqliteMemory(memoryDb, { window: config.MEMORY_WINDOW, idleTtlMs: config.SESSION_IDLE_TTL_MS });

  // Understanding: trained at start-up from the labelled data set in the repo.
  const dataset = loadIntentDataset(join(shipped, 'intents'));
  const classifier = createIntentClassifier([...dataset.train, ...dataset.heldOut]);

  // Retrieval: one index over the knowledge base and every series in the catalog.
  const retriever = createHybridRetriever({
    embedder: createHashingEmbedder(),
    reranker: withRerankDeadline(createFeatureReranker(), config.RERANK_TIMEOUT_MS),
    candidates: 20,
  });
  const allSeries = await catalog.allSeries();
  await retriever.upsert([...loadKnowledgeBase(join(shipped, 'kb')), ...allSeries.map(seriesToDoc)]);
  catalog.onChange((changed) => {
    void retriever.upsert(changed.map(seriesToDoc)).catch((err) => logger.error({ err }, 'retrieval refresh failed'));
  });

  const local = createLocalEngine();
  const engine: AnswerEngine = config.LLM_PROVIDER === 'sim'
    ? createSimEngine({ inner: local, ttftMs: config.SIM_LLM_TTFT_MS, tokensPerSec: config.SIM_LLM_TOKENS_PER_SEC, jitter: config.SIM_LLM_JITTER })
    : local;

  const base = config.STORE_BASE_URL.replace(/\/$/, '');
  const pipeline = createChatPipeline({
    classifier,
    detectLanguage,
    extractEntities,
    references: createReferenceResolver(),
    retriever,
    catalog,
    recommendations,
    orders,
    promotions,
    reviews,
    memory,
    engine,
    links: { search: (q) => `${base}/search?q=${encodeURIComponent(q)}`, orderTracking: `${base}/orders`, support: `${base}/support` },
    deadlines: {
      budget: config.MESSAGE_BUDGET_MS,
      memory: config.MEMORY_TIMEOUT_MS,
      retrieval: config.RETRIEVAL_TIMEOUT_MS,
      catalog: config.CATALOG_TIMEOUT_MS,
      recommendations: config.RECOMMENDATIONS_TIMEOUT_MS,
      orders: config.ORDERS_TIMEOUT_MS,
      promotions: config.PROMOTIONS_TIMEOUT_MS,
      reviews: config.REVIEWS_TIMEOUT_MS,
    },
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    minDescribedScore: config.SERIES_MATCH_MIN_SCORE,
    onBackgroundError: (what, err) => logger.warn({ err, what }, 'background step failed'),
  });

  const secret = jwtSecret(config, dataDir);
  const signToken: App['signToken'] = (claims) => signCustomerToken(secret, claims);
  const counts = await catalog.counts();

  const server = await buildServer({
    pipeline,
    auth: createJwtAuthenticator(secret),
    webDir: WEB_DIR,
    maxFrameBytes: config.MAX_FRAME_BYTES,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    pingIntervalMs: config.WS_PING_INTERVAL_MS,
    logger,
    readiness: async () => {
      let memoryOk = true;
      try {
        memoryDb.prepare('SELECT 1').get();
      } catch {
        memoryOk = false;
      }
      return { ready: memoryOk && counts.series > 0 && retriever.size() > 0, checks: { memory: memoryOk, series: counts.series, products: counts.products, indexedDocs: retriever.size() } };
    },
    devToken: config.DEV_LOGIN
      ? async (customerId) => {
          const c = await customers.get(customerId);
          return c ? signToken({ sub: c.id, tier: c.tier, name: c.name, age_verified: c.ageConfirmed }) : undefined;
        }
      : undefined,
  });

  const expiry = setInterval(() => {
    void memory.expire().catch((err) => logger.warn({ err }, 'memory expiry failed'));
  }, Math.max(1000, config.MEMORY_EXPIRE_INTERVAL_MS));
  expiry.unref();

  logger.info({ series: counts.series, products: counts.products, seeded, indexedDocs: retriever.size(), engine: engine.name }, 'MangaAssist ready');

  return {
    server,
    pipeline,
    signToken,
    async close() {
      clearInterval(expiry);
      await server.close();
      memory.close();
      memoryDb.close();
      catalogDb.close();
      ordersDb.close();
    },
  };
}

/** The HS256 secret: configured, or generated once and kept in DATA_DIR so tokens survive restarts. */
function jwtSecret(config: Config, dataDir: string): Uint8Array {
  if (config.AUTH_JWT_SECRET) return new TextEncoder().encode(config.AUTH_JWT_SECRET);
  const file = join(dataDir, 'jwt-secret');
  // 'wx' fails if another worker created it first; then everybody reads the same file.
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

/**
 * Seeds an empty store from the shipped data and creates the token secret, once, before any
 * worker starts: with WORKERS > 1 the workers then open stores that are already complete
 * instead of racing to seed them.
 */
export async function prepareStores(config: Config): Promise<void> {
  const dataDir = resolve(config.DATA_DIR);
  const shipped = resolve(config.STORE_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const catalogDb = openDatabase(join(dataDir, 'catalog.sqlite'));
  const ordersDb = openDatabase(join(dataDir, 'orders.sqlite'));
  try {
    await seedCatalogIfEmpty(createSqliteCatalog(catalogDb), join(shipped, 'catalog'));
    await createSqliteOrders(ordersDb).seedOrdersIfEmpty(join(shipped, 'store', 'orders.json'));
    jwtSecret(config, dataDir);
  } finally {
    catalogDb.close();
    ordersDb.close();
  }
}
