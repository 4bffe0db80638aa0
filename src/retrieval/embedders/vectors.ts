/**
 * What every remote embedder does around its vendor call: check and normalise the vectors that
 * came back, split a call into requests, and keep a bounded number of requests in flight.
 */
import { createBulkhead, type Bulkhead } from '../../resilience/bulkhead.ts';
import { EmbeddingError, type EmbeddingProvider } from './errors.ts';

/**
 * The vendor's numbers as a unit-length Float32Array of exactly `dimensions` values. Servers
 * differ (Titan with normalize:false, TEI and vLLM per model): normalising here makes every dot
 * product in the index a cosine. A wrong size is a `bad_response`, never truncated or padded:
 * a model swapped behind the same name, or a base64 body read as floats (a quarter of the size),
 * must not poison the index.
 */
export function toUnitVector(values: unknown, dimensions: number, provider: EmbeddingProvider): Float32Array {
  if (!Array.isArray(values) && !(values instanceof Float32Array)) throw new EmbeddingError(provider, 'bad_response', `${provider}: the response carries no embedding`);
  if (values.length !== dimensions) throw new EmbeddingError(provider, 'bad_response', `${provider}: an embedding of ${values.length} dimensions, ${dimensions} expected`);
  const v = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const x = Number(values[i]);
    v[i] = x;
    norm += x * x;
  }
  if (!Number.isFinite(norm) || norm === 0) throw new EmbeddingError(provider, 'bad_response', `${provider}: an embedding that is zero or not a number`);
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) v[i] *= inv;
  return v;
}

/**
 * Texts with nothing to embed (empty or only spaces) get the zero vector without a request,
 * as from the built-in embedder: vendors refuse empty input (Titan: ValidationException), and
 * an empty text is similar to nothing.
 */
export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/** At most `maxChars` characters of `text` (whole code points): vendors refuse inputs past their token limit. */
export function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  // Never split a surrogate pair: a lone surrogate is invalid UTF-8 on the wire.
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** A pool of request slots: at most `concurrency` requests of one embedder in flight, the rest wait in order. */
export function requestSlots(provider: EmbeddingProvider, concurrency: number): Bulkhead {
  // The wait is bounded by each call's own signal (the guard's deadline), not by a checkout timeout.
  return createBulkhead({ dependency: `embedder-${provider}`, concurrency, queue: Number.MAX_SAFE_INTEGER, checkoutTimeoutMs: Number.POSITIVE_INFINITY });
}

/**
 * Runs `request` over `items` in groups of `size`, each group in a slot of `slots`, and returns
 * the results in the order of `items`. The first failure rejects the whole call at once; the
 * requests still running are aborted through the signal they were given.
 */
export async function inGroups<T, R>(items: T[], size: number, slots: Bulkhead, signal: AbortSignal | undefined, request: (group: T[], signal: AbortSignal) => Promise<R[]>): Promise<R[]> {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const results = await Promise.all(
      groups.map((group) =>
        slots.run(() => {
          stop.signal.throwIfAborted();
          return request(group, stop.signal);
        }, stop.signal).catch((error: unknown) => {
          // One failed request fails the call: the others stop instead of spending quota for nothing.
          if (!stop.signal.aborted) stop.abort(error);
          throw error;
        }),
      ),
    );
    return results.flat();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
