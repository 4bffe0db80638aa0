import type { Reranker } from './types.ts';
import type { DependencyGuard } from '../resilience/types.ts';

/**
 * Puts the reranker behind its own guard inside retrieval: its own deadline, breaker (including
 * the latency breaker: "reranker p99 > 500 ms for 30 s → open"), pool and injected faults. When
 * it fails, is too slow or its circuit is open, the call rejects and the retriever answers with
 * the raw vector order, top 3 — the design's fallback — instead of letting the whole retrieval
 * call run into its own, longer deadline and lose every passage.
 */
export function withRerankGuard(inner: Reranker, guard: DependencyGuard, deadlineMs: number): Reranker {
  return {
    rerank(query, candidates, opts) {
      return guard.call((signal) => inner.rerank(query, candidates, { signal }), { deadlineMs: Math.max(1, deadlineMs), signal: opts?.signal, idempotent: true });
    },
  };
}
