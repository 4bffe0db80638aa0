import pino from 'pino';
import { trace } from '@opentelemetry/api';
import type { Config } from '../config.ts';
import type { Metrics } from '../observability/metrics.ts';
import { counterSeries } from '../observability/bound-series.ts';
import type { Guards } from '../resilience/registry.ts';
import { createInProcessStore } from '../cache/in-process-store.ts';
import { createRedisStore } from '../cache/redis-store.ts';
import { createInProcessBus } from '../cache/in-process-bus.ts';
import { createRedisBus } from '../cache/redis-bus.ts';
import { createTieredCache, type TieredCache } from '../cache/tiered-cache.ts';
import type { InvalidationBus, SemanticStore } from '../cache/types.ts';
import { createInProcessSemanticStore } from '../cache/semantic/in-process-semantic-store.ts';
import { createRedisSemanticStore } from '../cache/semantic/redis-semantic-store.ts';

/** The cache tiers, the invalidation bus and the semantic store of CACHE_BACKEND. */
export interface Caching {
  tiered: TieredCache;
  bus: InvalidationBus;
  semanticStore: SemanticStore;
  /** True when a shared tier (Redis) is in use. */
  shared: boolean;
  close(): Promise<void>;
}

/**
 * `memory`: one in-process tier, invalidated in-process. `redis`: the in-process tier in front of
 * Redis, with invalidations over Redis pub/sub. Redis clients fail fast while disconnected (no
 * offline queue): a cache that waits for Redis would put Redis back on the request path.
 */
export async function createCaching(config: Config, deps: { metrics: Metrics; logger: pino.Logger; guards: Guards }): Promise<Caching> {
  const { metrics, logger, guards } = deps;
  const l1 = createInProcessStore({
    maxEntries: config.CACHE_L1_MAX_ENTRIES,
    maxBytes: config.CACHE_L1_MAX_BYTES,
    maxEntryBytes: config.CACHE_MAX_ENTRY_BYTES,
    onEvict: () => metrics.cacheL1Evictions.inc(),
  });
  metrics.readCache(() => l1.stats());
  // One series per cache and result (a few caches, five results), bound on first use: a lookup runs per call.
  const lookups = new Map<string, () => void>();
  const events = {
    lookup: (cache: string, result: string) => {
      const key = `${cache}|${result}`;
      let inc = lookups.get(key);
      if (!inc) lookups.set(key, (inc = counterSeries(metrics.cacheLookups, { cache, result })));
      inc();
      // The downstream call this lookup serves shows whether its cache answered.
      trace.getActiveSpan()?.setAttribute(`cache.${cache}`, result);
    },
    origin: (cache: string, reason: string, outcome: string) => metrics.cacheOriginLoads.inc({ cache, reason, outcome }),
    l2: (op: string, outcome: string, ms: number) => {
      metrics.cacheL2Ops.inc({ op, outcome });
      if (outcome === 'ok') metrics.cacheL2Seconds.observe({ op }, ms / 1000);
    },
  };
  const onBackgroundError = (what: string, err: unknown) => logger.debug({ err, what }, 'cache background step failed');
  const semanticOptions = { ttlMs: config.SEMANTIC_CACHE_TTL_MS, maxPerPartition: config.SEMANTIC_CACHE_PER_PARTITION };

  if (config.CACHE_BACKEND === 'memory') {
    const bus = createInProcessBus({ onError: (err) => logger.warn({ err }, 'cache invalidation listener failed') });
    const tiered = createTieredCache({ l1, bus, l2ReadTimeoutMs: config.CACHE_L2_TIMEOUT_MS, l2WriteTimeoutMs: config.CACHE_L2_WRITE_TIMEOUT_MS, events, onBackgroundError });
    return {
      tiered,
      bus,
      semanticStore: createInProcessSemanticStore({ ...semanticOptions, maxEntries: config.SEMANTIC_CACHE_MAX_ENTRIES }),
      shared: false,
      async close() {
        await tiered.close();
        await bus.close();
      },
    };
  }

  // ioredis is loaded only when Redis is configured: importing it cost ~45 ms of every start (issue 16: cold start).
  const { Redis } = await import('ioredis');
  const client = (role: string, offlineQueue = false) => {
    const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: offlineQueue, maxRetriesPerRequest: 0, connectionName: `mangaassist-cache-${role}` });
    redis.on('error', (err) => logger.debug({ err, role }, 'cache redis error'));
    return redis;
  };
  const reader = client('read');
  const writer = client('write');
  // The subscriber queues its SUBSCRIBE until connected, so a node that starts while Redis is
  // down still joins the channel once it is back (and reports the gap).
  const subscriber = client('subscribe', true);
  const bus = await createRedisBus({ publisher: writer, subscriber, onError: (err) => logger.debug({ err }, 'cache bus error') });
  const tiered = createTieredCache({
    l1,
    l2: createRedisStore({ redis: reader, writer, maxEntryBytes: config.CACHE_MAX_ENTRY_BYTES }),
    l2Guard: guards.get('cache'),
    l2WriteGuard: guards.get('cache-write'),
    l2ReadTimeoutMs: config.CACHE_L2_TIMEOUT_MS,
    l2WriteTimeoutMs: config.CACHE_L2_WRITE_TIMEOUT_MS,
    bus,
    events,
    onBackgroundError,
  });
  bus.onGap(() => logger.warn('cache invalidation bus reconnected: in-process cache cleared'));
  return {
    tiered,
    bus,
    semanticStore: createRedisSemanticStore({ redis: reader, writer, ...semanticOptions }),
    shared: true,
    async close() {
      await tiered.close();
      await bus.close();
      for (const redis of [reader, writer, subscriber]) redis.disconnect();
    },
  };
}
