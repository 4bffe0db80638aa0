import type { Config } from '../config.ts';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.ts';
import { PIPELINE_DEPENDENCIES } from '../chat/pipeline.ts';
import { createFaultInjector, parseFaults } from '../resilience/faults.ts';
import { createGuards, type Guards } from '../resilience/registry.ts';
import { counterSeries } from '../observability/bound-series.ts';

/**
 * Every guarded dependency: the pipeline's, the reranker inside retrieval, a remote embedding
 * model (questions on the request path; documents in the background, with their own deadline so
 * slow batches never trip the questions' latency breaker), the caches' Redis (reads, background
 * writes, answer lookups) and each model.
 */
export const DEPENDENCIES = [...PIPELINE_DEPENDENCIES, 'reranker', 'embedder', 'embedder-index', 'cache', 'cache-write', 'answer-cache', 'llm-large', 'llm-small'] as const;

/** The name of a guarded dependency. */
export type Dependency = (typeof DEPENDENCIES)[number];

const CIRCUIT_GAUGE = { closed: 0, open: 1, half_open: 2, isolated: 3 } as const;

/**
 * Resilience: one guard per dependency (breaker incl. latency breaker, pool, retries with a
 * budget, injected faults). Latency breakers trip at a share of each dependency's own deadline.
 */
export function createResilience(config: Config, metrics: Metrics, logger: Logger): { faults: ReturnType<typeof createFaultInjector>; guards: Guards; timeouts: Record<Dependency, number> } {
  const faults = createFaultInjector();
  for (const [dependency, spec] of Object.entries(parseFaults(config.FAULTS))) faults.set(dependency, spec);
  const timeouts: Record<Dependency, number> = {
    memory: config.MEMORY_TIMEOUT_MS,
    retrieval: config.RETRIEVAL_TIMEOUT_MS,
    reranker: config.RERANK_TIMEOUT_MS,
    embedder: config.EMBEDDINGS_TIMEOUT_MS,
    'embedder-index': config.EMBEDDINGS_BATCH_TIMEOUT_MS,
    catalog: config.CATALOG_TIMEOUT_MS,
    recommendations: config.RECOMMENDATIONS_TIMEOUT_MS,
    orders: config.ORDERS_TIMEOUT_MS,
    promotions: config.PROMOTIONS_TIMEOUT_MS,
    reviews: config.REVIEWS_TIMEOUT_MS,
    llm: config.LLM_TIMEOUT_MS,
    handoff: config.MEMORY_TIMEOUT_MS,
    cache: config.CACHE_L2_TIMEOUT_MS,
    'cache-write': config.CACHE_L2_WRITE_TIMEOUT_MS,
    'answer-cache': config.SEMANTIC_CACHE_TIMEOUT_MS,
    'llm-large': config.LLM_ATTEMPT_TIMEOUT_MS,
    'llm-small': config.LLM_ATTEMPT_TIMEOUT_MS,
  };
  const guards = createGuards(DEPENDENCIES, (dependency) => {
    // Every successful call of this dependency counts here: its series is bound on first use.
    let okCall: (() => void) | undefined;
    return {
      dependency,
      faults,
      retry: {
        maxRetries: config.RETRY_MAX,
        baseMs: config.RETRY_BASE_MS,
        maxMs: config.RETRY_MAX_DELAY_MS,
        budget: { ratio: config.RETRY_BUDGET_RATIO, minPerSec: config.RETRY_BUDGET_MIN_PER_SEC, windowMs: 10_000 },
      },
      breaker: {
        failureRatio: config.BREAKER_FAILURE_RATIO,
        windowMs: config.BREAKER_WINDOW_MS,
        minimumRps: config.BREAKER_MIN_RPS,
        openMs: config.BREAKER_OPEN_MS,
        // Not on the answer engine as a whole: its first-token time includes the priority queue's
        // wait, so an overload that queueing handles as designed would open the circuit for
        // everyone, Prime included (the priority drill found it). Each model's own guard, timed
        // from its connection checkout, carries the latency breaker instead.
        latencyP99Ms: config.LATENCY_BREAKER_RATIO > 0 && dependency !== 'llm' ? timeouts[dependency] * config.LATENCY_BREAKER_RATIO : undefined,
        latencyWindowMs: config.LATENCY_BREAKER_WINDOW_MS,
        latencyMinSamples: 20,
      },
      bulkhead: {
        concurrency: dependency.startsWith('llm') ? config.LLM_CONCURRENCY : dependency === 'cache-write' ? config.CACHE_L2_WRITE_CONCURRENCY : config.BULKHEAD_CONCURRENCY,
        queue: config.BULKHEAD_QUEUE,
        checkoutTimeoutMs: config.BULKHEAD_CHECKOUT_MS,
      },
      events: (e) => {
        if (e.type === 'success') (okCall ??= counterSeries(metrics.dependencyCalls, { dependency, outcome: 'ok' }))();
        else if (e.type === 'failure') metrics.dependencyCalls.inc({ dependency, outcome: e.reason ?? 'error' });
        else if (e.type === 'retry') metrics.retries.inc({ dependency });
        else if (e.type === 'circuit' && e.state) {
          metrics.circuitTransitions.inc({ dependency, state: e.state });
          metrics.circuitState.set({ dependency }, CIRCUIT_GAUGE[e.state]);
          logger.warn({ dependency, state: e.state }, 'circuit state changed');
        }
      },
    };
  });
  for (const dependency of DEPENDENCIES) metrics.circuitState.set({ dependency }, 0);
  return { faults, guards, timeouts };
}
