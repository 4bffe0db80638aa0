import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The service's Prometheus metrics. One registry per app (not prom-client's global one), so
 * several apps in one process (tests) never share or collide on series.
 */
export interface Metrics {
  registry: Registry;
  /** Messages refused by admission, by the bucket that refused ('customer', 'guest', 'address', 'llm'). */
  rateLimited: Counter<'bucket'>;
  /** Messages shed by brownout, by customer tier. */
  shed: Counter<'tier'>;
  /** Current brownout level (0 normal, 1 tier-3 skipped, 2 guests shed, 3 members shed). */
  brownoutLevel: Gauge;
  /** Brownout level changes, by level left and level entered. */
  brownoutTransitions: Counter<'from' | 'to'>;
  /** Tier-3 calls not made because of brownout, by dependency ('promotions', 'reviews'). */
  brownoutSkipped: Counter<'dependency'>;
  /** 1 while rate-limit decisions are made locally because Redis is unreachable. */
  limiterFallback: Gauge;
  /** Rate-limit decisions made by the local fallback. */
  limiterFallbackDecisions: Counter;
  /** Downstream calls by dependency and outcome ('ok' or a failure reason). */
  dependencyCalls: Counter<'dependency' | 'outcome'>;
  /** Retries by dependency. */
  retries: Counter<'dependency'>;
  /** Circuit state per dependency: 0 closed, 1 open, 2 half-open, 3 isolated. */
  circuitState: Gauge<'dependency'>;
  /** Circuit transitions per dependency and new state. */
  circuitTransitions: Counter<'dependency' | 'state'>;
  /** Design fallbacks served, by dependency whose failure they cover. */
  fallbacks: Counter<'dependency'>;
  /** Calls in flight and waiting per dependency (bulkhead / pool). */
  poolInUse: Gauge<'dependency'>;
  poolQueued: Gauge<'dependency'>;
  /** Data cache reads by cache and result: hit, stale (served while refreshing), l2_hit, coalesced (joined a load in flight), miss. */
  cacheLookups: Counter<'cache' | 'result'>;
  /** Origin loads run by the data cache, by cache, reason (miss, refresh, early) and outcome. */
  cacheOriginLoads: Counter<'cache' | 'reason' | 'outcome'>;
  /** Shared-tier (Redis) operations by op (read, write, invalidate) and outcome (ok, error, skipped, too_large). */
  cacheL2Ops: Counter<'op' | 'outcome'>;
  /** Shared-tier operation latency; writes are off the request path, this is where a slow Redis shows. */
  cacheL2Seconds: Histogram<'op'>;
  /** In-process tier size (entries, estimated bytes) and evictions made to stay within it. */
  cacheL1Entries: Gauge;
  cacheL1Bytes: Gauge;
  cacheL1Evictions: Counter;
  /** Semantic answer cache: lookups (hit, miss, error) and writes (stored, refused, store_error). */
  semanticCache: Counter<'result'>;
  /** Model routing decisions by route (template, small, large), reason and priority (P0/P1/P2). */
  llmRoutes: Counter<'route' | 'reason' | 'priority'>;
  /** Model calls by model, priority and outcome (ok, timeout, throttled, error, rejected, interrupted). */
  llmCalls: Counter<'model' | 'priority' | 'outcome'>;
  /** Model tokens by model, priority and direction (input, output). */
  llmTokens: Counter<'model' | 'priority' | 'direction'>;
  /** Model connection pools: size, slots in use, checkouts waiting per priority (read at scrape time). */
  llmPoolSize: Gauge<'pool'>;
  llmPoolInUse: Gauge<'pool'>;
  llmPoolQueued: Gauge<'pool' | 'priority'>;
  /** Checkout wait per pool and priority. */
  llmPoolWaitSeconds: Histogram<'pool' | 'priority'>;
  /** Checkouts refused per pool, priority and reason (queue_full, wait_timeout). */
  llmPoolRejected: Counter<'pool' | 'priority' | 'reason'>;
  /** 1 while simple intents are downgraded to the small model. */
  llmDowngrade: Gauge;
  /** Time to first token seen by the customer, by priority and route. */
  firstTokenSeconds: Histogram<'priority' | 'route'>;
  /** Application DNS cache lookups by result (hit, miss, stale, error). */
  dnsLookups: Counter<'result'>;
  /** Guardrail checks by stage (input, output) and result (pass, blocked, redacted, revised). */
  guardrailChecks: Counter<'stage' | 'result'>;
  /** Guardrail findings by stage and category. */
  guardrailFindings: Counter<'stage' | 'category'>;
  /** Evaluation time of one streamed answer chunk, by mode (async, sync). */
  guardrailChunkSeconds: Histogram<'mode'>;
  /** Duration of each pipeline segment of a reply (language, understand, memory, retrieval, catalog, gather, generateFirstToken, ...): where a slow reply spent its time. */
  segmentSeconds: Histogram<'segment'>;
  /** Whole answer, from the message's arrival to its last frame, by intent. */
  replySeconds: Histogram<'intent'>;
  /** Customer messages by intent (`unknown` when refused before it was known) and outcome: answered, degraded, unanswered (brief fallback), blocked, revised, interrupted, failed (server-side error), refused (client-side or rate limit). */
  messages: Counter<'intent' | 'outcome'>;
  /** Error frames and HTTP refusals sent, by stable error code. */
  errors: Counter<'code'>;
  /** Human handoff: tickets opened, operator replies, tickets closed, alerts that could not be posted. */
  escalations: Counter<'event'>;
  /** Open chats: WebSocket chat connections and HTTP replies streaming (read at scrape time). */
  openChats: Gauge;
  /** Provisioned open chats per process (OPEN_CHATS_CAPACITY), for the 80 % alarm; summed over the service's processes. */
  openChatsCapacity: Gauge;
  /** Open client connections by transport (ws, sse, http), read at scrape time. */
  connections: Gauge<'transport'>;
  /** Throttling answered by a durable store (SQLite busy, DynamoDB throughput exceeded), by store. */
  storeThrottles: Counter<'store'>;
  /** State of each in-service alarm: 0 ok, 1 pending, 2 firing. */
  alarmState: Gauge<'alarm'>;
  /** Chat-ops webhook posts by kind (alarm, escalation) and outcome (sent, failed). */
  webhookPosts: Counter<'kind' | 'outcome'>;
  /** Where the open chat and connection gauges read their values at scrape time. */
  readConnections(reader: () => { openChats: number; byTransport: Record<string, number> }): void;
  /** Where the LLM pool gauges read their values at scrape time. */
  readLlmPools(reader: () => { pool: string; size: number; inUse: number; queued: [number, number, number] }[]): void;
  /** Where the in-process tier's size is read at scrape time. */
  readCache(reader: () => { entries: number; bytes: number }): void;
  /** Where the pool gauges read their values at scrape time. */
  readPools(reader: () => { dependency: string; inUse: number; queued: number }[]): void;
}

/**
 * How each gauge is combined across the processes of one service (WORKERS > 1: the scrape adds
 * up every worker's registry, as prom-client's cluster support does; counters and histograms are
 * summed). Amounts held by each process add up (open chats, connections, slots in use, cache
 * size, capacity); states and levels take the worst process's value (a circuit open in one worker
 * is open for the customers it serves; the breaker alarm reads any non-closed value).
 */
export const GAUGE_AGGREGATION = {
  brownout_level: 'max',
  rate_limiter_fallback: 'max',
  circuit_state: 'max',
  pool_in_use: 'sum',
  pool_queued: 'sum',
  cache_l1_entries: 'sum',
  cache_l1_bytes: 'sum',
  llm_pool_size: 'sum',
  llm_pool_in_use: 'sum',
  llm_pool_queued: 'sum',
  llm_downgrade_active: 'max',
  open_chats: 'sum',
  open_chats_capacity: 'sum',
  connections: 'sum',
  alarm_state: 'max',
} as const satisfies Record<string, 'sum' | 'max'>;

/** Creates the registry and every metric; `collect` hooks read live state at scrape time. */
export function createMetrics(opts: { prefix?: string; defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  const p = opts.prefix ?? 'mangaassist_';
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: p });
  const registers = [registry];
  let pools: () => { dependency: string; inUse: number; queued: number }[] = () => [];
  let cacheSize: () => { entries: number; bytes: number } = () => ({ entries: 0, bytes: 0 });
  let connections: () => { openChats: number; byTransport: Record<string, number> } = () => ({ openChats: 0, byTransport: {} });
  let llmPools: () => { pool: string; size: number; inUse: number; queued: [number, number, number] }[] = () => [];
  return {
    registry,
    rateLimited: new Counter({ name: `${p}rate_limited_total`, help: 'Messages refused by rate limits, by refusing bucket.', labelNames: ['bucket'], registers }),
    shed: new Counter({ name: `${p}shed_total`, help: 'Messages shed by brownout, by customer tier.', labelNames: ['tier'], registers }),
    brownoutLevel: new Gauge({ name: `${p}brownout_level`, aggregator: GAUGE_AGGREGATION.brownout_level, help: 'Brownout level: 0 normal, 1 tier-3 skipped, 2 guests shed, 3 members shed.', registers }),
    brownoutTransitions: new Counter({ name: `${p}brownout_transitions_total`, help: 'Brownout level changes, by level left and level entered.', labelNames: ['from', 'to'], registers }),
    brownoutSkipped: new Counter({ name: `${p}brownout_skipped_total`, help: 'Tier-3 calls not made because of brownout, by dependency.', labelNames: ['dependency'], registers }),
    limiterFallback: new Gauge({ name: `${p}rate_limiter_fallback`, aggregator: GAUGE_AGGREGATION.rate_limiter_fallback, help: '1 while rate limits are decided locally because Redis is unreachable.', registers }),
    limiterFallbackDecisions: new Counter({ name: `${p}rate_limiter_fallback_decisions_total`, help: 'Rate-limit decisions made by the local fallback.', registers }),
    dependencyCalls: new Counter({ name: `${p}dependency_calls_total`, help: 'Downstream calls by dependency and outcome.', labelNames: ['dependency', 'outcome'], registers }),
    retries: new Counter({ name: `${p}dependency_retries_total`, help: 'Retries of downstream calls.', labelNames: ['dependency'], registers }),
    circuitState: new Gauge({ name: `${p}circuit_state`, aggregator: GAUGE_AGGREGATION.circuit_state, help: 'Circuit state: 0 closed, 1 open, 2 half-open, 3 isolated.', labelNames: ['dependency'], registers }),
    circuitTransitions: new Counter({ name: `${p}circuit_transitions_total`, help: 'Circuit state changes.', labelNames: ['dependency', 'state'], registers }),
    fallbacks: new Counter({ name: `${p}fallbacks_total`, help: 'Design fallbacks served, by the dependency whose failure they cover.', labelNames: ['dependency'], registers }),
    poolInUse: new Gauge({
      name: `${p}pool_in_use`,
      aggregator: GAUGE_AGGREGATION.pool_in_use,
      help: 'Calls in flight per dependency.',
      labelNames: ['dependency'],
      registers,
      collect() {
        for (const s of pools()) this.set({ dependency: s.dependency }, s.inUse);
      },
    }),
    poolQueued: new Gauge({
      name: `${p}pool_queued`,
      aggregator: GAUGE_AGGREGATION.pool_queued,
      help: 'Calls waiting for a slot per dependency.',
      labelNames: ['dependency'],
      registers,
      collect() {
        for (const s of pools()) this.set({ dependency: s.dependency }, s.queued);
      },
    }),
    cacheLookups: new Counter({ name: `${p}cache_lookups_total`, help: 'Data cache reads by cache and result (hit, stale, l2_hit, coalesced, miss).', labelNames: ['cache', 'result'], registers }),
    cacheOriginLoads: new Counter({ name: `${p}cache_origin_loads_total`, help: 'Origin loads run by the data cache, by cache, reason and outcome.', labelNames: ['cache', 'reason', 'outcome'], registers }),
    cacheL2Ops: new Counter({ name: `${p}cache_l2_operations_total`, help: 'Shared cache tier (Redis) operations by op and outcome.', labelNames: ['op', 'outcome'], registers }),
    cacheL2Seconds: new Histogram({
      name: `${p}cache_l2_seconds`,
      help: 'Shared cache tier (Redis) operation latency by op.',
      labelNames: ['op'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    cacheL1Entries: new Gauge({
      name: `${p}cache_l1_entries`,
      aggregator: GAUGE_AGGREGATION.cache_l1_entries,
      help: 'Entries in the in-process cache tier.',
      registers,
      collect() {
        this.set(cacheSize().entries);
      },
    }),
    cacheL1Bytes: new Gauge({
      name: `${p}cache_l1_bytes`,
      aggregator: GAUGE_AGGREGATION.cache_l1_bytes,
      help: 'Estimated bytes held by the in-process cache tier.',
      registers,
      collect() {
        this.set(cacheSize().bytes);
      },
    }),
    cacheL1Evictions: new Counter({ name: `${p}cache_l1_evictions_total`, help: 'Entries evicted from the in-process tier to stay within its bounds.', registers }),
    semanticCache: new Counter({ name: `${p}semantic_cache_total`, help: 'Semantic answer cache: lookups (hit, miss, error) and writes (stored, refused: live or personal data, store_error).', labelNames: ['result'], registers }),
    llmRoutes: new Counter({ name: `${p}llm_routes_total`, help: 'Model routing decisions by route, reason and priority.', labelNames: ['route', 'reason', 'priority'], registers }),
    llmCalls: new Counter({ name: `${p}llm_calls_total`, help: 'Model calls by model, priority and outcome.', labelNames: ['model', 'priority', 'outcome'], registers }),
    llmTokens: new Counter({ name: `${p}llm_tokens_total`, help: 'Model tokens by model, priority and direction.', labelNames: ['model', 'priority', 'direction'], registers }),
    llmPoolSize: new Gauge({
      name: `${p}llm_pool_size`,
      aggregator: GAUGE_AGGREGATION.llm_pool_size,
      help: 'Connections of each model pool.',
      labelNames: ['pool'],
      registers,
      collect() {
        for (const s of llmPools()) this.set({ pool: s.pool }, s.size);
      },
    }),
    llmPoolInUse: new Gauge({
      name: `${p}llm_pool_in_use`,
      aggregator: GAUGE_AGGREGATION.llm_pool_in_use,
      help: 'Connections in use per model pool.',
      labelNames: ['pool'],
      registers,
      collect() {
        for (const s of llmPools()) this.set({ pool: s.pool }, s.inUse);
      },
    }),
    llmPoolQueued: new Gauge({
      name: `${p}llm_pool_queued`,
      aggregator: GAUGE_AGGREGATION.llm_pool_queued,
      help: 'Checkouts waiting per model pool and priority.',
      labelNames: ['pool', 'priority'],
      registers,
      collect() {
        for (const s of llmPools()) s.queued.forEach((n, i) => this.set({ pool: s.pool, priority: `P${i}` }, n));
      },
    }),
    llmPoolWaitSeconds: new Histogram({
      name: `${p}llm_pool_wait_seconds`,
      help: 'Checkout wait for a model connection, by pool and priority.',
      labelNames: ['pool', 'priority'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers,
    }),
    llmPoolRejected: new Counter({ name: `${p}llm_pool_rejected_total`, help: 'Model connection checkouts refused, by pool, priority and reason.', labelNames: ['pool', 'priority', 'reason'], registers }),
    llmDowngrade: new Gauge({ name: `${p}llm_downgrade_active`, aggregator: GAUGE_AGGREGATION.llm_downgrade_active, help: '1 while simple intents are routed to the small model because the large one times out or is throttled.', registers }),
    firstTokenSeconds: new Histogram({
      name: `${p}first_token_seconds`,
      help: 'Time to the first token the customer sees, by priority and route.',
      labelNames: ['priority', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5],
      registers,
    }),
    dnsLookups: new Counter({ name: `${p}dns_lookups_total`, help: 'Application DNS cache lookups by result (hit, miss, stale, error).', labelNames: ['result'], registers }),
    guardrailChecks: new Counter({ name: `${p}guardrail_checks_total`, help: 'Guardrail checks by stage (input, output) and result (pass, blocked, redacted, revised).', labelNames: ['stage', 'result'], registers }),
    guardrailFindings: new Counter({ name: `${p}guardrail_findings_total`, help: 'Guardrail findings by stage and category.', labelNames: ['stage', 'category'], registers }),
    guardrailChunkSeconds: new Histogram({
      name: `${p}guardrail_chunk_seconds`,
      help: 'Guardrail evaluation time per streamed answer chunk, by mode.',
      labelNames: ['mode'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    }),
    segmentSeconds: new Histogram({
      name: `${p}segment_seconds`,
      help: 'Duration of each pipeline segment of a reply.',
      labelNames: ['segment'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers,
    }),
    replySeconds: new Histogram({
      name: `${p}reply_seconds`,
      help: 'Whole answer, from arrival to the last frame, by intent.',
      labelNames: ['intent'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20],
      registers,
    }),
    messages: new Counter({ name: `${p}messages_total`, help: 'Customer messages by intent and outcome (answered, degraded, unanswered, blocked, revised, interrupted, failed, refused).', labelNames: ['intent', 'outcome'], registers }),
    errors: new Counter({ name: `${p}errors_total`, help: 'Error frames and HTTP refusals sent, by stable error code.', labelNames: ['code'], registers }),
    escalations: new Counter({ name: `${p}escalations_total`, help: 'Human handoff events: opened, operator_reply, closed, alert_failed.', labelNames: ['event'], registers }),
    openChats: new Gauge({
      name: `${p}open_chats`,
      aggregator: GAUGE_AGGREGATION.open_chats,
      help: 'Open chats: WebSocket chat connections and HTTP replies streaming.',
      registers,
      collect() {
        this.set(connections().openChats);
      },
    }),
    openChatsCapacity: new Gauge({ name: `${p}open_chats_capacity`, aggregator: GAUGE_AGGREGATION.open_chats_capacity, help: 'Provisioned open chats per process (OPEN_CHATS_CAPACITY).', registers }),
    connections: new Gauge({
      name: `${p}connections`,
      aggregator: GAUGE_AGGREGATION.connections,
      help: 'Open client connections by transport.',
      labelNames: ['transport'],
      registers,
      collect() {
        for (const [transport, n] of Object.entries(connections().byTransport)) this.set({ transport }, n);
      },
    }),
    storeThrottles: new Counter({ name: `${p}store_throttles_total`, help: 'Throttling answered by a durable store, by store.', labelNames: ['store'], registers }),
    alarmState: new Gauge({ name: `${p}alarm_state`, aggregator: GAUGE_AGGREGATION.alarm_state, help: 'In-service alarm state: 0 ok, 1 pending, 2 firing.', labelNames: ['alarm'], registers }),
    webhookPosts: new Counter({ name: `${p}webhook_posts_total`, help: 'Chat-ops webhook posts by kind and outcome.', labelNames: ['kind', 'outcome'], registers }),
    readConnections(reader) {
      connections = reader;
    },
    readLlmPools(reader) {
      llmPools = reader;
    },
    readCache(reader) {
      cacheSize = reader;
    },
    readPools(reader) {
      pools = reader;
    },
  };
}
