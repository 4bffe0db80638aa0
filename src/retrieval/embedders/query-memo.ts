/**
 * One remote call per question, however many parts of a message embed it: retrieval embeds the
 * customer's text, then the semantic cache embeds the same text to look up an answer and again to
 * store one. Recent query vectors are kept (LRU), and a call still under way is shared.
 */
import { raceAbort } from '../../resilience/abort.ts';
import type { Embedder, EmbedOptions } from '../types.ts';

/** Options of {@link memoizeQueries}. */
export interface QueryMemoOptions {
  /** Query vectors kept. @default 2048 */
  maxEntries?: number;
}

/**
 * `inner` with single-text query calls remembered. A shared call runs without any one caller's
 * signal (the guard inside `inner` bounds it with its own deadline), and each caller stops waiting
 * when its own signal aborts: one caller leaving never fails the others. Failures are not kept.
 * Documents and batches go straight to `inner`.
 */
export function memoizeQueries(inner: Embedder, opts: QueryMemoOptions = {}): Embedder {
  const maxEntries = opts.maxEntries ?? 2048;
  // Insertion order is recency order: a hit is deleted and set again.
  const entries = new Map<string, Promise<Float32Array>>();

  function vectorOf(text: string): Promise<Float32Array> {
    const known = entries.get(text);
    if (known) {
      entries.delete(text);
      entries.set(text, known);
      return known;
    }
    const call = inner.embed([text], { input: 'query' }).then(([v]) => v);
    entries.set(text, call);
    call.catch(() => {
      if (entries.get(text) === call) entries.delete(text);
    });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return call;
  }

  return {
    dimensions: inner.dimensions,
    async embed(texts: string[], callOpts?: EmbedOptions): Promise<Float32Array[]> {
      callOpts?.signal?.throwIfAborted();
      if (callOpts?.input === 'document' || texts.length !== 1) return inner.embed(texts, callOpts);
      const call = vectorOf(texts[0]);
      return [await (callOpts?.signal ? raceAbort(call, callOpts.signal) : call)];
    },
  };
}
