/**
 * A remote embedder behind its dependency guard (breaker, bulkhead, retries with a budget,
 * deadline, injected faults), like every other dependency of the service.
 */
import type { DependencyGuard } from '../../resilience/types.ts';
import type { Embedder, EmbedOptions } from '../types.ts';
import { EmbeddingError } from './errors.ts';

/**
 * `inner` called through `guard` with a deadline of `deadlineMs` per call. Embedding is
 * idempotent, so the guard may retry a failed call. A `rejected` request (400: input the model
 * refuses, a wrong model name) is handed back without counting against the breaker or being
 * retried: the same request fails the same way, and it says nothing about the server's health.
 */
export function guardEmbedder(inner: Embedder, guard: DependencyGuard, deadlineMs: number): Embedder {
  return {
    dimensions: inner.dimensions,
    async embed(texts: string[], opts?: EmbedOptions): Promise<Float32Array[]> {
      if (texts.length === 0) return [];
      const result = await guard.call(
        async (signal) => {
          try {
            return { vectors: await inner.embed(texts, { ...opts, signal }) };
          } catch (error) {
            if (error instanceof EmbeddingError && error.kind === 'rejected') return { rejected: error };
            throw error;
          }
        },
        { deadlineMs, signal: opts?.signal, idempotent: true },
      );
      if ('rejected' in result) throw result.rejected;
      return result.vectors;
    },
  };
}
