import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { ErrorCode } from '../errors.ts';
import { buildServer } from '../http/server.ts';
import { addressList } from '../http/addresses.ts';
import { createConnectionTracker } from '../http/connections.ts';
import { createDrain, type Drain } from '../http/drain.ts';
import type { AdminDeps } from '../http/admin.ts';
import { registerMetricsRoute } from '../http/metrics.ts';
import { registerOpsApi } from '../http/ops-api.ts';
import { registerOpsPage } from '../http/ops-page.ts';
import { registerShareRoutes } from '../http/share-routes.ts';
import type { ChatPipeline } from '../chat/pipeline.ts';
import type { Admission } from '../admission/admission.ts';
import type { Brownout } from '../admission/brownout.ts';
import type { RateLimiter } from '../admission/rate-limit/types.ts';
import type { Readings } from '../catalog/readings.ts';
import type { CustomerDirectory } from '../customers/types.ts';
import type { ConversationMemory } from '../memory/types.ts';
import type { Metrics } from '../observability/metrics.ts';
import { buildOpsSummary } from '../observability/ops-summary.ts';
import { METRICS_CONTENT_TYPE } from '../observability/service-metrics.ts';
import type { Guards } from '../resilience/registry.ts';
import type { ServiceFaults } from '../resilience/service-faults.ts';
import type { Retriever } from '../retrieval/types.ts';
import { createSessionAccess } from '../sessions/session-access.ts';
import type { SharedLinks } from '../sharing/shared-links.ts';
import type { CustomerAuth } from './admission.ts';
import type { Embeddings } from './embeddings.ts';
import type { Messaging } from './messaging.ts';
import { SERVER_SIDE, type Operations } from './operations.ts';
import { DEPENDENCIES } from './resilience.ts';
import { metricsToken, sessionSecret } from './secrets.ts';
import type { Stores } from './stores.ts';

/** Folder of the web pages (chat, shared link, operations). */
const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

/** What the HTTP server serves and reports on. */
export interface ServerParts {
  logger: Logger;
  metrics: Metrics;
  dataDir: string;
  /** What GET /metrics on the chat port answers (observability.ts). */
  scrape(): Promise<string>;
  pipeline: ChatPipeline;
  customerAuth: CustomerAuth;
  admission: Admission;
  customers: CustomerDirectory;
  operations: Operations;
  /** The conversation memory as the chat reads it (the operations API shows a conversation). */
  memory: ConversationMemory;
  stores: Stores;
  guards: Guards;
  sharedLinks?: SharedLinks;
  /** The admin endpoints' parts (ADMIN_TOKEN): faults of every process, data changes, what /v1/admin/resilience reports. */
  admin: { faults: ServiceFaults; dataChanged: AdminDeps['dataChanged']; limiter: RateLimiter; brownout: Brownout; messaging: Messaging };
  /** What readiness checks: the store answers, the catalog has series, retrieval has documents. */
  ready: { counts: { series: number; products: number }; retriever: Retriever; readings?: Readings; embeddings: Embeddings };
}

/**
 * The HTTP server (src/http/server.ts): chat over WebSocket, SSE and JSON, the web pages, the
 * operations page and its API, shared links, GET /metrics on the chat port (without METRICS_PORT),
 * the admin endpoints (with ADMIN_TOKEN), readiness, and the graceful drain main.ts starts on SIGTERM.
 */
export async function createServer(config: Config, parts: ServerParts): Promise<{ server: FastifyInstance; drain: Drain }> {
  const { logger, metrics, dataDir, operations, memory, stores, sharedLinks, admission } = parts;
  const { auth, signToken } = parts.customerAuth;
  const { escalations } = operations;
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
        if (config.METRICS_PORT === undefined) registerMetricsRoute(app, { token: metricsToken(config, dataDir), scrape: parts.scrape, contentType: METRICS_CONTENT_TYPE });
      },
      (app) => registerOpsPage(app),
      (app) => {
        if (sharedLinks) registerShareRoutes(app, { links: sharedLinks, auth, admission, baseUrl: config.SHARE_BASE_URL, pageFile: join(WEB_DIR, 'shared.html') });
      },
      (app) =>
        registerOpsApi(app, {
          token: operations.opsToken,
          summary: (windowMs) => buildOpsSummary(operations.history, operations.alarms.statuses(), { windowMs }),
          escalations,
          conversation: async (sessionId) => (await memory.load(sessionId)).map((m) => ({ role: m.role, text: m.text, at: m.at })),
        }),
    ],
    onError: (code: ErrorCode, message: boolean) => {
      metrics.errors.inc({ code });
      if (message) metrics.messages.inc({ intent: 'unknown', outcome: SERVER_SIDE.has(code) ? 'failed' : 'refused' });
    },
    pipeline: parts.pipeline,
    auth,
    admission,
    sessions: createSessionAccess({ ownership: stores.ownership, secret: sessionSecret(config, dataDir), guard: parts.guards.get('memory'), deadlineMs: config.MEMORY_TIMEOUT_MS }),
    trustProxy: config.TRUST_PROXY,
    edge: {
      headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      idleTimeoutMs: config.HTTP_IDLE_TIMEOUT_MS,
      connectionsPerAddress: config.CONNECTIONS_PER_ADDRESS,
      connectionLimitExempt: addressList(config.CONNECTIONS_PER_ADDRESS_EXEMPT),
    },
    admin: config.ADMIN_TOKEN ? adminDeps(config.ADMIN_TOKEN, parts.admin, parts.guards) : undefined,
    webDir: WEB_DIR,
    maxFrameBytes: config.MAX_FRAME_BYTES,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    pingIntervalMs: config.WS_PING_INTERVAL_MS,
    tokenWindowMs: config.TOKEN_FRAME_WINDOW_MS,
    logger,
    readiness: async () => {
      const { counts, retriever, readings, embeddings } = parts.ready;
      const memoryOk = await stores.check();
      return { ready: memoryOk && counts.series > 0 && retriever.size() > 0, checks: { memory: memoryOk, store: stores.backend, series: counts.series, products: counts.products, indexedDocs: retriever.size(), readings: readings?.state ?? 'off', vectorsPending: embeddings.stats().pending } };
    },
    devToken: config.DEV_LOGIN
      ? async (customerId) => {
          const c = await parts.customers.get(customerId);
          return c ? signToken({ sub: c.id, tier: c.tier, name: c.name, age_verified: c.ageConfirmed }) : undefined;
        }
      : undefined,
  });
  return { server, drain };
}

/** The admin endpoints: faults of every process, data-change events, and the resilience report of a drill. */
function adminDeps(token: string, admin: ServerParts['admin'], guards: Guards): AdminDeps {
  const { limiter, brownout, messaging } = admin;
  return {
    token,
    faults: admin.faults,
    dependencies: DEPENDENCIES,
    dataChanged: admin.dataChanged,
    resilience: () => ({
      dependencies: guards.statuses(),
      rateLimiter: { backend: limiter.name, ...('mode' in limiter ? { mode: (limiter as { mode(): string }).mode() } : {}) },
      brownout: brownout.status(),
      bus: messaging.status(),
    }),
  };
}
