import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

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
  /** Where the pool gauges read their values at scrape time. */
  readPools(reader: () => { dependency: string; inUse: number; queued: number }[]): void;
}

/** Creates the registry and every metric; `collect` hooks read live state at scrape time. */
export function createMetrics(opts: { prefix?: string; defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  const p = opts.prefix ?? 'mangaassist_';
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: p });
  const registers = [registry];
  let pools: () => { dependency: string; inUse: number; queued: number }[] = () => [];
  return {
    registry,
    rateLimited: new Counter({ name: `${p}rate_limited_total`, help: 'Messages refused by rate limits, by refusing bucket.', labelNames: ['bucket'], registers }),
    shed: new Counter({ name: `${p}shed_total`, help: 'Messages shed by brownout, by customer tier.', labelNames: ['tier'], registers }),
    brownoutLevel: new Gauge({ name: `${p}brownout_level`, help: 'Brownout level: 0 normal, 1 tier-3 skipped, 2 guests shed, 3 members shed.', registers }),
    limiterFallback: new Gauge({ name: `${p}rate_limiter_fallback`, help: '1 while rate limits are decided locally because Redis is unreachable.', registers }),
    limiterFallbackDecisions: new Counter({ name: `${p}rate_limiter_fallback_decisions_total`, help: 'Rate-limit decisions made by the local fallback.', registers }),
    dependencyCalls: new Counter({ name: `${p}dependency_calls_total`, help: 'Downstream calls by dependency and outcome.', labelNames: ['dependency', 'outcome'], registers }),
    retries: new Counter({ name: `${p}dependency_retries_total`, help: 'Retries of downstream calls.', labelNames: ['dependency'], registers }),
    circuitState: new Gauge({ name: `${p}circuit_state`, help: 'Circuit state: 0 closed, 1 open, 2 half-open, 3 isolated.', labelNames: ['dependency'], registers }),
    circuitTransitions: new Counter({ name: `${p}circuit_transitions_total`, help: 'Circuit state changes.', labelNames: ['dependency', 'state'], registers }),
    fallbacks: new Counter({ name: `${p}fallbacks_total`, help: 'Design fallbacks served, by the dependency whose failure they cover.', labelNames: ['dependency'], registers }),
    poolInUse: new Gauge({
      name: `${p}pool_in_use`,
      help: 'Calls in flight per dependency.',
      labelNames: ['dependency'],
      registers,
      collect() {
        for (const s of pools()) this.set({ dependency: s.dependency }, s.inUse);
      },
    }),
    poolQueued: new Gauge({
      name: `${p}pool_queued`,
      help: 'Calls waiting for a slot per dependency.',
      labelNames: ['dependency'],
      registers,
      collect() {
        for (const s of pools()) this.set({ dependency: s.dependency }, s.queued);
      },
    }),
    readPools(reader) {
      pools = reader;
    },
  };
}
