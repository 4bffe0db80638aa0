import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import { createLogger } from './observability/logging.ts';
import { createTracing } from './observability/tracing.ts';
import { countThrottles } from './observability/store-throttle.ts';
import { createConnectionTracker } from './http/connections.ts';
import { buildOpsSummary } from './observability/ops-summary.ts';
import { registerOpsApi } from './http/ops-api.ts';
import { registerOpsPage } from './http/ops-page.ts';
import { ChatError, type ErrorCode } from './errors.ts';
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
import { loadIntentDataset } from './understanding/dataset.ts';
import { createPersistedIntentClassifier } from './understanding/persisted-classifier.ts';
import type { DerivedEvent } from './store/derived-file.ts';
import { extractEntities, withAuthorsRuledOut } from './understanding/entities.ts';
import { createReferenceResolver } from './understanding/references.ts';
import { loadKnowledgeBase, catalogDocs } from './retrieval/documents.ts';
import { createFeatureReranker } from './retrieval/feature-reranker.ts';
import { createHybridRetriever } from './retrieval/hybrid-retriever.ts';
import { withRerankGuard } from './retrieval/rerank-deadline.ts';
import { createGuardrails } from './guardrails/guardrails.ts';
import { persistedCatalogAudience, persistedCatalogPlans } from './guardrails/persisted-plans.ts';
import { persistedSeriesModel } from './recommendations/persisted-series-model.ts';
import { INTENTS, type Intent } from './understanding/types.ts';
import { createChatPipeline, type ChatPipeline } from './chat/pipeline.ts';
import { createJwtAuthenticator, signCustomerToken } from './admission/auth.ts';
import { createFaultInjector } from './resilience/faults.ts';
import { shareFaults } from './resilience/service-faults.ts';
import { dataChangeEventSchema } from './http/admin.ts';
import { createFallbackLists } from './recommendations/fallback-lists.ts';
import { createMetrics } from './observability/metrics.ts';
import { buildServer } from './http/server.ts';
import { addressList } from './http/addresses.ts';
import { tagsOfEvent, TAGS, type CacheTuning } from './cache/policy.ts';
import { createReadingWorker } from './catalog/readings.ts';
import { createSemanticCache, versionOf } from './cache/semantic/semantic-cache.ts';
import { createCachedCatalog } from './catalog/cached-catalog.ts';
import { createCachedRecommendations } from './recommendations/cached-recommendations.ts';
import { createCachedPromotions } from './promotions/cached-promotions.ts';
import { createCachedReviews } from './reviews/cached-reviews.ts';
import { createCachedMemory } from './memory/cached-memory.ts';
import { createResilience, DEPENDENCIES } from './composition/resilience.ts';
import { createCaching } from './composition/caching.ts';
import { createAnswering } from './composition/answering.ts';
import { createEmbeddings, semanticThreshold } from './composition/embeddings.ts';
import { createAdmissionControl } from './composition/admission.ts';
import { createOperations, observeReply, observeSegments, SERVER_SIDE } from './composition/operations.ts';
import { createStores } from './composition/stores.ts';
import { jwtSecret, metricsToken, sessionSecret } from './composition/secrets.ts';
import { createMessaging } from './composition/messaging.ts';
import { createMessageClaimer } from './chat/message-claim.ts';
import type { MessageBus } from './messaging/types.ts';
import { answerScrapes, scrapeService, METRICS_CONTENT_TYPE } from './observability/service-metrics.ts';
import { registerMetricsRoute, startMetricsServer } from './http/metrics.ts';
import { createSessionAccess } from './sessions/session-access.ts';
import { createDrain, type Drain } from './http/drain.ts';
import { createSharedLinks } from './sharing/shared-links.ts';
import { guardrailRules } from './sharing/rules.ts';
import { registerShareRoutes } from './http/share-routes.ts';

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

const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));
/** Bus topic of data-change events (POST /v1/admin/events). */
const DATA_CHANGED = 'data.changed';
/** Bus topic of revoked shared links: every process drops its cached copy. */
const SHARE_REVOKED = 'share.revoked';

/**
 * The composition root: the one place that turns configuration into adapters and wires them
 * into the pipeline and the server. Everything it builds is ready when it returns.
 */
export async function createApp(config: Config, io: { logDestination?: DestinationStream; workerBus?: MessageBus } = {}): Promise<App> {
  // Personal data is masked in every log line with the guardrails' own finders (no titles needed for that).
  const logger = createLogger({ level: config.LOG_LEVEL, destination: io.logDestination, maskPersonalData: createGuardrails({ restrictedTitles: [], safeTitles: [] }).redact });
  const metrics = createMetrics();
  metrics.openChatsCapacity.set(config.OPEN_CHATS_CAPACITY);
  // `workerBus` (main.ts, WORKERS > 1): this process is one worker of the machine and reaches the
  // others through the primary. Without it the machine is this one process. The fleet bus
  // (BUS_BACKEND) carries admin faults, data-change events and operator replies to every process.
  const messaging = await createMessaging(config, { logger, workerBus: io.workerBus });
  const bus = messaging.fleet;
  const unScrapes = answerScrapes(messaging.machine, metrics.registry);
  // A worker's scrape adds up its machine's workers; one process serves its own. Never the fleet's.
  const scrape = io.workerBus ? () => scrapeService(messaging.machine) : () => metrics.registry.metrics();
  const tracing = createTracing({ serviceName: config.OTEL_SERVICE_NAME, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, sampleRatio: config.TRACE_SAMPLE_RATIO });
  // Throttling answered by a durable store is counted for the alarm, then surfaces as before.
  const throttled = (store: string) => {
    // Starts at zero so the first throttle is an increase Prometheus can see.
    metrics.storeThrottles.inc({ store }, 0);
    return () => metrics.storeThrottles.inc({ store });
  };
  const dataDir = resolve(config.DATA_DIR);
  const shipped = resolve(config.STORE_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  // Indexes kept between starts (src/store/derived-file.ts): what each start did with them.
  const derivedEvent = (e: DerivedEvent): void => {
    if (e.writeError) logger.warn({ err: e.writeError, index: e.name }, 'derived index not stored: the next start builds it again');
    logger.info({ index: e.name, outcome: e.outcome, ms: Math.round(e.ms) }, 'derived index');
  };

  // Durable state: one SQLite file per store, so the hot memory writes never wait on a
  // catalog import holding the write lock. The conversation's stores (memory, owners, tickets,
  // message-id claims) are SQLite or DynamoDB (STORE_BACKEND).
  const catalogDb = openDatabase(join(dataDir, 'catalog.sqlite'));
  const ordersDb = openDatabase(join(dataDir, 'orders.sqlite'));
  const stores = await createStores(config, { dataDir, throttled });

  // Kanji queries read by a Japanese dictionary on its own thread, started once the service is
  // ready (below): 黒執事 then finds an imported "Kuroshitsuji". Loaded, it empties the search
  // cache, where a kanji query asked meanwhile was remembered as not found.
  const readings = config.READING_DICTIONARY === 'worker'
    ? createReadingWorker({
        timeoutMs: config.READING_TIMEOUT_MS,
        onReady: (loadMs) => {
          logger.info({ loadMs: Math.round(loadMs) }, 'reading dictionary ready');
          void caching.tiered.invalidate([TAGS.catalog]).catch((err) => logger.warn({ err }, 'search cache invalidation failed'));
        },
        onError: (err) => logger.error({ err }, 'reading dictionary failed: kanji queries go on without readings'),
      })
    : undefined;
  const sqliteCatalog = countThrottles(createSqliteCatalog(catalogDb, { readings }), throttled('catalog'));
  const seeded = await seedCatalogIfEmpty(sqliteCatalog, join(shipped, 'catalog'));
  const orders = countThrottles(createSqliteOrders(ordersDb), throttled('orders'));
  await orders.seedOrdersIfEmpty(join(shipped, 'store', 'orders.json'));
  const [promotionsOrigin, reviewsOrigin, customers] = await Promise.all([
    loadEmbeddedPromotions(join(shipped, 'store', 'promotions.json')),
    loadEmbeddedReviews(join(shipped, 'store', 'reviews.json')),
    loadEmbeddedCustomers(join(shipped, 'store', 'customers.json')),
  ]);
  // The recommendation model is kept in DATA_DIR/derived too, keyed by the catalog's version.
  const recommendationsOrigin = createEmbeddedRecommendations({
    catalog: sqliteCatalog,
    orders: () => orders.placedSince(new Date(Date.now() - 30 * 86_400_000)),
    buildModel: persistedSeriesModel({ dir: join(dataDir, 'derived'), catalogVersion: () => sqliteCatalog.version(), onEvent: derivedEvent }),
  });
  // The recommendation model is built on first use; build it now, not on a customer's message.
  await recommendationsOrigin.popular(1);
  const { ownership } = stores;

  // Understanding: trained at start-up from the labelled data set in the repo.
  // It knows the catalog's titles and authors ("Goodnight Punpun" is a title, not a good night)
  // and follows the catalog's changes, an import included, without a restart.
  const dataset = loadIntentDataset(join(shipped, 'intents'));
  // Its weights are kept in DATA_DIR/derived, keyed by everything they are trained from: a restart
  // on an unchanged catalog and code reads them instead of training again.
  // The catalog's version keys it (not a hash of every series); a write between the two reads leaves the series hashed.
  const versionBefore = sqliteCatalog.version();
  const classifierSeries = await sqliteCatalog.allSeries();
  const catalogVersion = sqliteCatalog.version() === versionBefore ? versionBefore : undefined;
  const classifier = createPersistedIntentClassifier([...dataset.train, ...dataset.heldOut], { series: classifierSeries }, { dir: join(dataDir, 'derived'), catalogVersion, onEvent: derivedEvent });
  sqliteCatalog.onChange((changed, removedIds) => classifier.catalogChanged(changed, removedIds));

  const { faults, guards, timeouts } = createResilience(config, metrics, logger);
  // Admin fault changes reach every process of the service, and a process started later replays them.
  const serviceFaults = shareFaults(faults, bus, { node: messaging.nodeId });

  // Caches in front of the catalog, recommendations, promotions, reviews and conversation reads;
  // the semantic answer cache in front of the answer engine.
  const caching = await createCaching(config, { metrics, logger, guards });
  const tuning: CacheTuning = {
    jitter: config.CACHE_TTL_JITTER,
    staleShare: config.CACHE_STALE_SHARE,
    earlyRefresh: config.CACHE_EARLY_REFRESH,
    loadTimeoutMs: config.CATALOG_TIMEOUT_MS,
    shared: caching.shared,
  };
  const catalog = createCachedCatalog(sqliteCatalog, caching.tiered, { ttlMs: config.CACHE_TTL_PRODUCT_MS, tuning });
  const recommendations = createCachedRecommendations(recommendationsOrigin, caching.tiered, { ttlMs: config.CACHE_TTL_RECOMMENDATIONS_MS, tuning: { ...tuning, loadTimeoutMs: config.RECOMMENDATIONS_TIMEOUT_MS } });
  const promotions = createCachedPromotions(promotionsOrigin, caching.tiered, { ttlMs: config.CACHE_TTL_PROMOTIONS_MS, tuning: { ...tuning, loadTimeoutMs: config.PROMOTIONS_TIMEOUT_MS } });
  const reviews = createCachedReviews(reviewsOrigin, caching.tiered, { ttlMs: config.CACHE_TTL_REVIEWS_MS, tuning: { ...tuning, loadTimeoutMs: config.REVIEWS_TIMEOUT_MS } });
  // Workers sharing one SQLite file but no invalidation bus would read a conversation another
  // worker just appended to from a stale copy (an HTTP follow-up lands on any worker): there the
  // read cache is off and every read goes to the store.
  // The embedded SQLite memory keeps each live session's window in process itself (checked against
  // other writers of its file), so a read cache in front would only add work.
  const sessionCacheMs = stores.backend === 'sqlite' || (config.WORKERS > 1 && !caching.shared) ? 0 : config.SESSION_CACHE_TTL_MS;
  const memory = sessionCacheMs > 0 ? createCachedMemory(stores.memory, caching.tiered, { ttlMs: sessionCacheMs, loadTimeoutMs: config.MEMORY_TIMEOUT_MS }) : stores.memory;

  // Retrieval: one index over the knowledge base and every series in the catalog. With a remote
  // embedding model the documents are indexed at once and get their vectors in the background.
  const embeddings = await createEmbeddings(config, { guards, logger, metrics, dataDir });
  const retriever = createHybridRetriever({
    embedder: embeddings.embedder,
    reranker: withRerankGuard(createFeatureReranker(), guards.get('reranker'), config.RERANK_TIMEOUT_MS),
    candidates: 20,
  });
  // The version the series below were read at: what the guardrails' stored audience is keyed by.
  const allSeriesVersion = sqliteCatalog.version();
  const allSeries = await catalog.allSeries();
  const knowledgeBase = loadKnowledgeBase(join(shipped, 'kb'));
  await embeddings.index(retriever, knowledgeBase);
  await embeddings.index(retriever, catalogDocs(allSeries));
  // What follows a catalog change (retrieval index, guardrail titles) runs in the background; a
  // catalog.changed event waits for it, so the message after an import sees the imported series.
  const catalogFollowers = new Set<Promise<unknown>>();
  const follow = (work: Promise<unknown>): void => {
    catalogFollowers.add(work);
    void work.finally(() => catalogFollowers.delete(work));
  };
  catalog.onChange((changed) => {
    follow(embeddings.index(retriever, catalogDocs(changed)).catch((err) => logger.error({ err }, 'retrieval refresh failed')));
  });

  // Answering: templates, a small and a large model behind priority-queued pools, with fallback.
  const answering = await createAnswering(config, { metrics, logger, guards });
  const engine = answering.engine;

  // Guardrails: who may see which series (the audience rule: flags, adult genres, spin-offs) and
  // the titles the text filters know come from the catalog and follow its changes.
  // The title lists compiled from the catalog are kept in DATA_DIR/derived like the classifier's weights.
  const catalogPlans = persistedCatalogPlans(join(dataDir, 'derived'), derivedEvent);
  // So is the audience rule's result, keyed by the catalog's version (none when a write came since the read).
  const catalogAudience = persistedCatalogAudience(join(dataDir, 'derived'), () => (sqliteCatalog.version() === allSeriesVersion ? allSeriesVersion : undefined), derivedEvent);
  const guardrails = config.GUARDRAILS ? createGuardrails({ catalog: allSeries, catalogPlans, catalogAudience }) : undefined;
  if (guardrails) {
    catalog.onChange(() => {
      void catalog.allSeries().then((all) => {
        guardrails.setCatalog(all);
      }).catch((err) => logger.error({ err }, 'guardrail title refresh failed'));
    });
  }

  const answerCache = config.SEMANTIC_CACHE
    ? createSemanticCache({
        store: caching.semanticStore,
        embed: embeddings.embedQuestion,
        threshold: semanticThreshold(config),
        lookupTimeoutMs: config.SEMANTIC_CACHE_TIMEOUT_MS,
        writeTimeoutMs: config.CACHE_L2_WRITE_TIMEOUT_MS,
        // Answers of another knowledge base, engine or embedding model are never replayed (vectors
        // of two models are not comparable).
        version: versionOf(engine.name, embeddings.identity, ...knowledgeBase.map((d) => `${d.id}\u0000${d.text}`)),
        guard: guards.get('answer-cache'),
        writeGuard: guards.get('cache-write'),
        events: (result) => metrics.semanticCache.inc({ result }),
        onBackgroundError: (what, err) => logger.debug({ err, what }, 'answer cache'),
      })
    : undefined;
  // Every node forgets the cached answers grounded on data that changed.
  const unForget = caching.bus.subscribe((tags) => {
    void answerCache?.forgetTags(tags).catch((err) => logger.warn({ err }, 'answer cache invalidation failed'));
  });

  // Recommendations down → trending or popular: lists kept from the engine while it is up.
  const fallbackLists = createFallbackLists(recommendations, { refreshMs: 5 * 60_000, onError: (err) => logger.warn({ err }, 'fallback list refresh failed') });
  await fallbackLists.refresh();

  const { brownout, limiter, admission } = await createAdmissionControl(config, metrics, logger);

  const operations = createOperations(config, { metrics, logger, dataDir, tickets: stores.tickets, bus });
  const { escalations, history, alarms, opsToken, opsUrl } = operations;
  const base = config.STORE_BASE_URL.replace(/\/$/, '');
  const pipeline = createChatPipeline({
    classifier,
    // The customer's own words decide, not the script of a title they typed.
    detectLanguage: (text) => classifier.language(text),
    // A name ruled out is an author's when the catalog says so ("not Junji Ito tho").
    extractEntities: (text, language) => withAuthorsRuledOut(extractEntities(text, language), () => classifier.names(text)),
    references: createReferenceResolver(),
    retriever,
    knowledgeBase,
    catalog,
    recommendations,
    orders,
    promotions,
    reviews,
    memory,
    engine,
    guards,
    fallbackLists,
    brownout,
    onFallback: (dependency) => metrics.fallbacks.inc({ dependency }),
    answerCache,
    claimer: claimsWanted(config)
      ? createMessageClaimer({ claims: stores.claims, nodeId: messaging.nodeId, leaseMs: config.MESSAGE_CLAIM_LEASE_MS, guard: guards.get('memory'), deadlineMs: config.MEMORY_TIMEOUT_MS, onBackgroundError: (what, err) => logger.warn({ err, what }, 'message claim') })
      : undefined,
    links: { search: (q) => `${base}/search?q=${encodeURIComponent(q)}`, orderTracking: `${base}/orders`, support: `${base}/support` },
    deadlines: { budget: config.MESSAGE_BUDGET_MS, ...timeouts },
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    minDescribedScore: config.SERIES_MATCH_MIN_SCORE,
    onBackgroundError: (what, err, traceId) => logger.warn({ err, what, trace_id: traceId }, 'background step failed'),
    tracing,
    handoff: {
      open: async (req, opts) => {
        const r = await escalations.open({ sessionId: req.sessionId, customer: { kind: req.customer.kind, customerId: req.customer.customerId, name: req.customer.name }, language: req.language, text: req.text }, opts);
        return { ticketId: r.ticket.id, created: r.created };
      },
      customerSaid: (sessionId, text) => escalations.customerSaid(sessionId, text),
    },
    guardrails,
    guardrailSyncIntents: new Set(intentList(config.GUARDRAILS_SYNC_INTENTS, 'GUARDRAILS_SYNC_INTENTS')),
    guardrailChunkChars: config.GUARDRAILS_CHUNK_CHARS,
    onGuardrail: (e) => {
      if (e.type === 'chunk') metrics.guardrailChunkSeconds.observe({ mode: e.mode }, e.ms / 1000);
      else {
        const result = e.type === 'input' ? (e.blocked ? 'blocked' : e.redacted ? 'redacted' : 'pass') : e.revised ? 'revised' : 'pass';
        metrics.guardrailChecks.inc({ stage: e.type, result });
        for (const f of e.verdict.findings) metrics.guardrailFindings.inc({ stage: e.type, category: f.category });
      }
    },
    onReply: (e) => observeReply(e, metrics, logger),
    onReplyFailed: (e) => {
      observeSegments(e.timings, metrics);
      if (!(e.error instanceof ChatError) || SERVER_SIDE.has(e.error.code)) logger.warn({ trace_id: e.traceId, err: e.error, timings: e.timings }, 'reply failed');
    },
  });

  const secret = jwtSecret(config, dataDir);
  const signToken: App['signToken'] = (claims) => signCustomerToken(secret, claims, '2h', { issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE });
  const counts = await catalog.counts();
  const auth = createJwtAuthenticator({
    hs256Secret: secret,
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.AUTH_JWT_ISSUER,
    audience: config.AUTH_JWT_AUDIENCE,
    maxLifetimeSec: config.AUTH_JWT_MAX_LIFETIME_MS / 1000,
    clockToleranceSec: config.AUTH_JWT_CLOCK_TOLERANCE_MS / 1000,
  });

  // Shared links: what a stranger reads is gated by the guardrails as for an anonymous guest,
  // even where GUARDRAILS=false turned the chat's own filters off.
  const shareGuardrails = config.SHARING ? (guardrails ?? createGuardrails({ catalog: allSeries, catalogPlans, catalogAudience })) : undefined;
  if (shareGuardrails && shareGuardrails !== guardrails) {
    catalog.onChange(() => void catalog.allSeries().then((all) => shareGuardrails.setCatalog(all)).catch((err) => logger.error({ err }, 'share guardrail refresh failed')));
  }
  const sharedLinks = shareGuardrails
    ? createSharedLinks({
        store: stores.shares,
        ownership,
        memory,
        rules: guardrailRules(shareGuardrails, catalog),
        tiered: caching.tiered,
        ttlMs: config.SHARE_TTL_MS,
        cacheTtlMs: config.SHARE_CACHE_TTL_MS,
        loadTimeoutMs: config.SHARE_TIMEOUT_MS,
        writeTimeoutMs: config.SHARE_TIMEOUT_MS,
        // Every process (sibling workers without Redis included) drops its copy before DELETE answers.
        announce: async (shareId) => void (await bus.publish(SHARE_REVOKED, { shareId })),
        ownNames: async (c) => {
          const record = c.customerId ? await customers.get(c.customerId) : undefined;
          return [c.name, record?.name, record?.email].filter((n): n is string => !!n);
        },
        onBackgroundError: (what, err) => logger.warn({ err, what }, 'shared links'),
      })
    : undefined;
  const unShareRevoked = sharedLinks
    ? bus.subscribe(SHARE_REVOKED, async (message) => {
        const shareId = (message as { shareId?: unknown } | null)?.shareId;
        if (typeof shareId === 'string') await sharedLinks.forget(shareId);
      })
    : () => {};
  // Cut off from the fleet bus for a while, this node may have missed revocations: it forgets every copy.
  const unShareGap = sharedLinks ? messaging.onGap(() => void sharedLinks.forgetAll().catch((err) => logger.warn({ err }, 'shared links: forgetting after a bus gap failed'))) : () => {};

  const connections = createConnectionTracker();
  metrics.readConnections(() => connections.stats());
  const drain = createDrain({ onError: (err) => logger.warn({ err }, 'drain: a chat could not be told') });
  const server = await buildServer({
    connections,
    drain,
    agentMessages: { connect: (sessionId, send) => escalations.connect(sessionId, send) },
    routes: [
      // Never open on the chat port: behind its own credential, or only on METRICS_PORT.
      (app) => {
        if (config.METRICS_PORT === undefined) registerMetricsRoute(app, { token: metricsToken(config, dataDir), scrape, contentType: METRICS_CONTENT_TYPE });
      },
      (app) => registerOpsPage(app),
      (app) => {
        if (sharedLinks) registerShareRoutes(app, { links: sharedLinks, auth, admission, baseUrl: config.SHARE_BASE_URL, pageFile: join(WEB_DIR, 'shared.html') });
      },
      (app) =>
        registerOpsApi(app, {
          token: opsToken,
          summary: (windowMs) => buildOpsSummary(history, alarms.statuses(), { windowMs }),
          escalations,
          conversation: async (sessionId) => (await memory.load(sessionId)).map((m) => ({ role: m.role, text: m.text, at: m.at })),
        }),
    ],
    onError: (code: ErrorCode, message: boolean) => {
      metrics.errors.inc({ code });
      if (message) metrics.messages.inc({ intent: 'unknown', outcome: SERVER_SIDE.has(code) ? 'failed' : 'refused' });
    },
    pipeline,
    auth,
    admission,
    sessions: createSessionAccess({ ownership, secret: sessionSecret(config, dataDir), guard: guards.get('memory'), deadlineMs: config.MEMORY_TIMEOUT_MS }),
    trustProxy: config.TRUST_PROXY,
    edge: {
      headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      idleTimeoutMs: config.HTTP_IDLE_TIMEOUT_MS,
      connectionsPerAddress: config.CONNECTIONS_PER_ADDRESS,
      connectionLimitExempt: addressList(config.CONNECTIONS_PER_ADDRESS_EXEMPT),
    },
    admin: config.ADMIN_TOKEN
      ? {
          token: config.ADMIN_TOKEN,
          faults: serviceFaults,
          dependencies: DEPENDENCIES,
          dataChanged: async (event) => {
            await bus.publish(DATA_CHANGED, event);
            const tags = tagsOfEvent(event);
            logger.info({ event, tags }, 'data changed: caches invalidated in every process');
            return { tags };
          },
          resilience: () => ({
            dependencies: guards.statuses(),
            rateLimiter: { backend: limiter.name, ...('mode' in limiter ? { mode: (limiter as { mode(): string }).mode() } : {}) },
            brownout: brownout.status(),
            bus: messaging.status(),
          }),
        }
      : undefined,
    webDir: WEB_DIR,
    maxFrameBytes: config.MAX_FRAME_BYTES,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    pingIntervalMs: config.WS_PING_INTERVAL_MS,
    logger,
    readiness: async () => {
      const memoryOk = await stores.check();
      return { ready: memoryOk && counts.series > 0 && retriever.size() > 0, checks: { memory: memoryOk, store: stores.backend, series: counts.series, products: counts.products, indexedDocs: retriever.size(), readings: readings?.state ?? 'off', vectorsPending: embeddings.stats().pending } };
    },
    devToken: config.DEV_LOGIN
      ? async (customerId) => {
          const c = await customers.get(customerId);
          return c ? signToken({ sub: c.id, tier: c.tier, name: c.name, age_verified: c.ageConfirmed }) : undefined;
        }
      : undefined,
  });

  // A data-change event reaches every process (the admin endpoint publishes it): each drops its
  // cached data and answers before the endpoint answers.
  const dataChangedHere = async (message: unknown): Promise<void> => {
    const event = dataChangeEventSchema.parse(message);
    // An import run beside the service wrote the catalog file: take its writes in (search index,
    // retrieval, guardrails, recommendations follow the change events) before answering.
    if (event.type === 'catalog.changed') await takeInCatalogWrites();
    const tags = tagsOfEvent(event);
    await caching.tiered.invalidate(tags);
    // As through the cache bus: a store that cannot forget now is logged, not a failed event.
    await answerCache?.forgetTags(tags).catch((err) => logger.warn({ err }, 'answer cache invalidation failed'));
  };
  const unDataChanged = bus.subscribe(DATA_CHANGED, dataChangedHere);
  // Cut off from the fleet's bus for a while, this node may have missed data-change events and
  // operator replies: it takes in every kind of change as if announced, and sends its open chats
  // the replies they are owed (retained state, the faults, the bus re-synced itself).
  const unGap = messaging.onGap(() => {
    const everything = dataChangeEventSchema.shape.type.options.map((type) => dataChangedHere({ type }));
    void Promise.all([...everything, escalations.resync()]).catch((err) => logger.warn({ err }, 'catching up after a bus gap failed'));
  });

  // Writes another process (npm run import) committed to this DATA_DIR's catalog, looked for
  // every CATALOG_REFRESH_INTERVAL_MS: a cheap check of the file's version when nothing changed.
  const takeInCatalogWrites = async (): Promise<void> => {
    const { changed, removed } = await sqliteCatalog.refresh();
    await Promise.all(catalogFollowers);
    if (changed + removed > 0) logger.info({ changed, removed }, 'catalog changed by another process: taken in');
  };
  const catalogRefresh = config.CATALOG_REFRESH_INTERVAL_MS > 0
    ? setInterval(() => void takeInCatalogWrites().catch((err) => logger.warn({ err }, 'catalog refresh failed')), config.CATALOG_REFRESH_INTERVAL_MS)
    : undefined;
  catalogRefresh?.unref();

  // DynamoDB's TTL deletes expired items itself (reads ignore them until it does).
  const expiry = stores.sweeps
    ? setInterval(() => {
        void memory.expire().catch((err) => logger.warn({ err }, 'memory expiry failed'));
        void ownership.expire().catch((err) => logger.warn({ err }, 'session ownership expiry failed'));
        void stores.shares.expire().catch((err) => logger.warn({ err }, 'shared conversation expiry failed'));
      }, Math.max(1000, config.MEMORY_EXPIRE_INTERVAL_MS))
    : undefined;
  expiry?.unref();

  // Where the operator credential is, never the credential: a key naming a credential (token,
  // credential, secret) would be redacted by the log scrubber, path and all.
  logger.info({ series: counts.series, products: counts.products, seeded, indexedDocs: retriever.size(), engine: engine.name, ops: opsUrl, opsSignIn: config.OPS_TOKEN ? 'OPS_TOKEN' : join(dataDir, 'ops-token') }, 'MangaAssist ready');

  // Pool gauges are read at scrape time, not pushed on every call.
  metrics.readPools(() => guards.statuses());

  // With workers, the primary runs the METRICS_PORT listener (main.ts) and serves their sum.
  const metricsServer = config.METRICS_PORT !== undefined && !io.workerBus
    ? await startMetricsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, scrape, contentType: METRICS_CONTENT_TYPE, onError: (err) => logger.warn({ err }, 'metrics scrape failed') })
    : undefined;
  // Where Prometheus reads, and for the chat port where its credential is (never the credential).
  if (config.METRICS_PORT === undefined) logger.info({ metricsPath: '/metrics', metricsBearer: config.METRICS_TOKEN ? 'METRICS_TOKEN' : join(dataDir, 'metrics-token') }, 'metrics on the chat port, behind a bearer credential');
  else if (metricsServer) logger.info({ metricsUrl: metricsServer.url }, 'metrics on their own port, without a credential');

  readings?.start();

  return {
    server,
    pipeline,
    signToken,
    faults,
    metricsUrl: metricsServer?.url,
    drain,
    async close() {
      clearInterval(expiry);
      clearInterval(catalogRefresh);
      brownout.close();
      await readings?.close();
      fallbackLists.close();
      await server.close();
      await metricsServer?.close();
      unScrapes();
      unDataChanged();
      unShareRevoked();
      unShareGap();
      unGap();
      serviceFaults.close();
      await messaging.close();
      await limiter.close();
      unForget();
      await caching.close();
      await answering.close();
      await embeddings.close();
      await tracing.shutdown().catch((err) => logger.warn({ err }, 'trace export at shutdown failed'));
      await operations.close();
      stores.close();
      catalogDb.close();
      ordersDb.close();
    },
  };
}

/** Whether message ids are claimed in the store: whenever more than one process may answer one session. */
function claimsWanted(config: Config): boolean {
  if (config.MESSAGE_CLAIMS !== 'auto') return config.MESSAGE_CLAIMS === 'on';
  return config.WORKERS > 1 || config.STORE_BACKEND === 'dynamodb' || config.BUS_BACKEND === 'redis';
}

/** A comma-separated list of intents from configuration; an unknown one stops start-up with its name. */
function intentList(spec: string, option: string): Intent[] {
  const out = spec.split(',').map((x) => x.trim()).filter(Boolean);
  for (const i of out) if (!(INTENTS as readonly string[]).includes(i)) throw new Error(`Invalid configuration: ${option}: unknown intent "${i}"`);
  return out as Intent[];
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
    sessionSecret(config, dataDir);
  } finally {
    catalogDb.close();
    ordersDb.close();
  }
}
