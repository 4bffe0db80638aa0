import type { DestinationStream, Logger } from 'pino';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { createLogger } from '../observability/logging.ts';
import { createMetrics, type Metrics } from '../observability/metrics.ts';
import { answerScrapes, scrapeService, METRICS_CONTENT_TYPE } from '../observability/service-metrics.ts';
import { startMetricsServer, type MetricsServer } from '../http/metrics.ts';
import { createGuardrails } from '../guardrails/guardrails.ts';
import type { DerivedEvent } from '../store/derived-file.ts';
import type { MessageBus } from '../messaging/types.ts';
import type { Messaging } from './messaging.ts';

/** The process's logger and metrics, and the two reporting hooks every store is opened with. */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
  /** The hook countThrottles() calls when a durable store of that name is throttled (the alarm counts it). */
  throttled(store: string): () => void;
  /** Logs what a start did with an index kept in DATA_DIR/derived (src/store/derived-file.ts). */
  derivedEvent(e: DerivedEvent): void;
}

/** Logger (LOG_LEVEL, personal data masked), metrics registry, and the hooks stores report through. */
export function createObservability(config: Config, io: { logDestination?: DestinationStream }): Observability {
  // Personal data is masked in every log line with the guardrails' own finders (no titles needed for that).
  const logger = createLogger({ level: config.LOG_LEVEL, destination: io.logDestination, maskPersonalData: createGuardrails({ restrictedTitles: [], safeTitles: [] }).redact });
  const metrics = createMetrics();
  metrics.openChatsCapacity.set(config.OPEN_CHATS_CAPACITY);
  return {
    logger,
    metrics,
    // Throttling answered by a durable store is counted for the alarm, then surfaces as before.
    throttled: (store) => {
      // Starts at zero so the first throttle is an increase Prometheus can see.
      metrics.storeThrottles.inc({ store }, 0);
      return () => metrics.storeThrottles.inc({ store });
    },
    // Indexes kept between starts (src/store/derived-file.ts): what each start did with them.
    derivedEvent: (e) => {
      if (e.writeError) logger.warn({ err: e.writeError, index: e.name }, 'derived index not stored: the next start builds it again');
      logger.info({ index: e.name, outcome: e.outcome, ms: Math.round(e.ms) }, 'derived index');
    },
  };
}

/** What a metrics scrape reads, and the stop of this process's answers to its machine's scrapes. */
export interface Scrapes {
  scrape(): Promise<string>;
  close(): void;
}

/**
 * Answers the scrapes of this machine's processes. A worker's scrape (`workerBus`, WORKERS > 1)
 * adds up its machine's workers; one process serves its own. Never the fleet's.
 */
export function serveScrapes(messaging: Messaging, metrics: Metrics, workerBus: MessageBus | undefined): Scrapes {
  const close = answerScrapes(messaging.machine, metrics.registry);
  const scrape = workerBus ? () => scrapeService(messaging.machine) : () => metrics.registry.metrics();
  return { scrape, close };
}

/**
 * The METRICS_PORT listener, when this process runs it: with workers the primary runs it (main.ts)
 * and serves their sum. Logs where Prometheus reads, and for the chat port where its credential
 * is (never the credential).
 */
export async function startMetricsListener(config: Config, ctx: { scrape: () => Promise<string>; logger: Logger; dataDir: string; worker: boolean }): Promise<MetricsServer | undefined> {
  const { logger } = ctx;
  const metricsServer = config.METRICS_PORT !== undefined && !ctx.worker
    ? await startMetricsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, scrape: ctx.scrape, contentType: METRICS_CONTENT_TYPE, onError: (err) => logger.warn({ err }, 'metrics scrape failed') })
    : undefined;
  if (config.METRICS_PORT === undefined) logger.info({ metricsPath: '/metrics', metricsBearer: config.METRICS_TOKEN ? 'METRICS_TOKEN' : join(ctx.dataDir, 'metrics-token') }, 'metrics on the chat port, behind a bearer credential');
  else if (metricsServer) logger.info({ metricsUrl: metricsServer.url }, 'metrics on their own port, without a credential');
  return metricsServer;
}
