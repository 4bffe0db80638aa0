import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { ChatPipeline } from './chat/pipeline.ts';
import type { createFaultInjector } from './resilience/faults.ts';
import { shareFaults } from './resilience/service-faults.ts';
import { createTracing } from './observability/tracing.ts';
import { TAGS } from './cache/policy.ts';
import type { Drain } from './http/drain.ts';
import type { MessageBus } from './messaging/types.ts';
import { createObservability, serveScrapes, startMetricsListener } from './composition/observability.ts';
import { createMessaging } from './composition/messaging.ts';
import { createStores, startExpirySweeps } from './composition/stores.ts';
import { openStoreData, seedStoreData } from './composition/store-data.ts';
import { createUnderstanding } from './composition/understanding.ts';
import { createResilience } from './composition/resilience.ts';
import { createCaching } from './composition/caching.ts';
import { createCachedData } from './composition/cached-data.ts';
import { createEmbeddings } from './composition/embeddings.ts';
import { createRetrieval } from './composition/retrieval.ts';
import { createAnswering } from './composition/answering.ts';
import { createSafety } from './composition/safety.ts';
import { createAnswerCache } from './composition/answer-cache.ts';
import { createAdmissionControl, createCustomerAuth } from './composition/admission.ts';
import { createOperations } from './composition/operations.ts';
import { createChat, startFallbackLists } from './composition/chat.ts';
import { createSharing } from './composition/sharing.ts';
import { createServer } from './composition/server.ts';
import { announceDataChanges, followDataChanges } from './composition/data-changes.ts';
import { jwtSecret, sessionSecret } from './composition/secrets.ts';

/** The running service. */
export interface App {
  server: FastifyInstance;
  pipeline: ChatPipeline;
  /** Signs customer tokens with the service's secret (demo sign-in, tests, load generator). */
  signToken: (claims: { sub: string; tier: 'member' | 'prime'; name?: string; age_verified?: boolean }) => Promise<string>;
  /** Injected faults (drills, tests): the same injector the admin endpoint drives. */
  faults: ReturnType<typeof createFaultInjector>;
  /** GET /metrics of the METRICS_PORT listener, when this process runs it. */
  metricsUrl?: string;
  /** Graceful drain (main.ts starts it on SIGTERM, then calls close()). */
  drain: Drain;
  /** Stops timers, closes the server and the stores. */
  close(): Promise<void>;
}

/**
 * The composition root: the one place that turns configuration into adapters and wires them
 * into the pipeline and the server, one capability per step (each built in src/composition/).
 * Everything it builds is ready when it returns.
 */
export async function createApp(config: Config, io: { logDestination?: DestinationStream; workerBus?: MessageBus } = {}): Promise<App> {
  const { logger, metrics, throttled, derivedEvent } = createObservability(config, io);
  // `workerBus` (main.ts, WORKERS > 1): this process is one worker of the machine and reaches the
  // others through the primary. Without it the machine is this one process. The fleet bus
  // (BUS_BACKEND) carries admin faults, data-change events and operator replies to every process.
  const messaging = await createMessaging(config, { logger, workerBus: io.workerBus });
  const scrapes = serveScrapes(messaging, metrics, io.workerBus);
  const tracing = createTracing({ serviceName: config.OTEL_SERVICE_NAME, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, sampleRatio: config.TRACE_SAMPLE_RATIO });
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  // Durable state: the conversation's stores (memory, owners, tickets, message-id claims, shares:
  // SQLite or DynamoDB), then the store's own data (catalog, orders, promotions, reviews,
  // customers, recommendations). Once the reading dictionary has loaded, the search cache forgets
  // kanji queries it remembered as not found.
  const stores = await createStores(config, { dataDir, throttled });
  const data = await openStoreData(config, {
    dataDir,
    logger,
    throttled,
    derivedEvent,
    onReadingsReady: () => void caching.tiered.invalidate([TAGS.catalog]).catch((err) => logger.warn({ err }, 'search cache invalidation failed')),
  });
  const classifier = await createUnderstanding(config, { catalog: data.catalog, dataDir, derivedEvent });

  const { faults, guards, timeouts } = createResilience(config, metrics, logger);
  // Admin fault changes reach every process of the service, and a process started later replays them.
  const serviceFaults = shareFaults(faults, messaging.fleet, { node: messaging.nodeId });

  const caching = await createCaching(config, { metrics, logger, guards });
  const cached = createCachedData(config, { data, stores, caching });
  const embeddings = await createEmbeddings(config, { guards, logger, metrics, dataDir });
  const retrieval = await createRetrieval(config, { embeddings, guards, catalog: cached.catalog, origin: data.catalog, logger, dataDir, derivedEvent });
  // Answering: templates, a small and a large model behind priority-queued pools, with fallback.
  const answering = await createAnswering(config, { metrics, logger, guards });
  const engine = answering.engine;
  const { guardrails, shareGuardrails } = createSafety(config, { catalog: cached.catalog, origin: data.catalog, retrieval, dataDir, derivedEvent, logger });
  const answerCache = createAnswerCache(config, { caching, embeddings, engineName: engine.name, knowledgeBase: retrieval.knowledgeBase, guards, metrics, logger });
  const fallbackLists = await startFallbackLists(cached.recommendations, logger);
  const { brownout, limiter, admission } = await createAdmissionControl(config, metrics, logger);
  const operations = createOperations(config, { metrics, logger, dataDir, tickets: stores.tickets, bus: messaging.fleet });
  const { escalations } = operations;

  const pipeline = createChat(config, {
    classifier, retrieval, data: cached, orders: data.orders, engine, guards, timeouts, fallbackLists, brownout, answerCache: answerCache.cache,
    claims: stores.claims, nodeId: messaging.nodeId, tracing, escalations, guardrails, metrics, logger,
  });
  const customerAuth = createCustomerAuth(config, dataDir);
  const counts = await cached.catalog.counts();
  const sharing = createSharing(config, { shareGuardrails, stores, memory: cached.memory, catalog: cached.catalog, caching, messaging, customers: data.customers, logger });

  const { server, drain } = await createServer(config, {
    logger, metrics, dataDir, scrape: scrapes.scrape, pipeline, customerAuth, admission, customers: data.customers, operations,
    memory: cached.memory, stores, guards, sharedLinks: sharing.links,
    admin: { faults: serviceFaults, dataChanged: announceDataChanges(messaging.fleet, logger), limiter, brownout, messaging },
    ready: { counts, retriever: retrieval.retriever, readings: data.readings, embeddings },
  });
  const dataChanges = followDataChanges(config, { messaging, origin: data.catalog, retrieval, caching, answerCache: answerCache.cache, escalations, logger });
  const stopSweeps = startExpirySweeps(config, { stores, memory: cached.memory, logger });

  // Where the operator credential is, never the credential: a key naming a credential (token,
  // credential, secret) would be redacted by the log scrubber, path and all.
  logger.info({ series: counts.series, products: counts.products, seeded: data.seeded, indexedDocs: retrieval.retriever.size(), engine: engine.name, ops: operations.opsUrl, opsSignIn: config.OPS_TOKEN ? 'OPS_TOKEN' : join(dataDir, 'ops-token') }, 'MangaAssist ready');
  // Pool gauges are read at scrape time, not pushed on every call.
  metrics.readPools(() => guards.statuses());
  const metricsServer = await startMetricsListener(config, { scrape: scrapes.scrape, logger, dataDir, worker: !!io.workerBus });
  data.readings?.start();

  return {
    server,
    pipeline,
    signToken: customerAuth.signToken,
    faults,
    metricsUrl: metricsServer?.url,
    drain,
    async close() {
      stopSweeps();
      dataChanges.stopRefresh();
      brownout.close();
      await data.readings?.close();
      fallbackLists.close();
      await server.close();
      await metricsServer?.close();
      scrapes.close();
      // Bus subscriptions (synchronous: nothing runs between them).
      dataChanges.close();
      sharing.close();
      serviceFaults.close();
      await messaging.close();
      await limiter.close();
      answerCache.close();
      await caching.close();
      await answering.close();
      await embeddings.close();
      await tracing.shutdown().catch((err) => logger.warn({ err }, 'trace export at shutdown failed'));
      await operations.close();
      stores.close();
      data.close();
    },
  };
}

/**
 * Seeds an empty store from the shipped data and creates the token secret, once, before any
 * worker starts: with WORKERS > 1 the workers then open stores that are already complete
 * instead of racing to seed them.
 */
export async function prepareStores(config: Config): Promise<void> {
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  await seedStoreData(config, dataDir);
  jwtSecret(config, dataDir);
  sessionSecret(config, dataDir);
}
