import type { Reranker } from './types.ts';

/**
 * Gives the reranker its own deadline inside retrieval. Past it the reranker's call is aborted
 * and rejected, and the retriever answers with the fused (raw vector/lexical) order — the
 * design's "reranker slow → top 3 by raw similarity" — instead of letting the whole retrieval
 * call run into its own, longer deadline and lose every passage.
 */
export function withRerankDeadline(inner: Reranker, deadlineMs: number): Reranker {
  return {
    rerank(query, candidates, opts) {
      const timeout = AbortSignal.timeout(Math.max(1, deadlineMs));
      const signal = opts?.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason ?? new Error('rerank deadline passed'));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        inner.rerank(query, candidates, { signal }).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
  };
}
