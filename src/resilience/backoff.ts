/** Backoff of one dependency's retries. */
export interface BackoffOptions {
  /** Cap of the first retry's delay, ms; the cap doubles per retry. */
  baseMs: number;
  /** Largest cap, ms. */
  maxMs: number;
}

/**
 * Full-jitter exponential backoff (AWS "Exponential Backoff and Jitter"): the delay before retry
 * number `attempt` (1-based) is uniform in [0, min(maxMs, baseMs * 2^(attempt-1))).
 *
 * Hand-written rather than cockatiel's RetryPolicy + fullJitterGenerator: that policy cannot ask a
 * retry budget before retrying nor stop when the caller's deadline cannot fit another attempt,
 * and the generator draws from Math.random, which tests cannot seed.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`backoff attempt must be an integer >= 1, got ${attempt}`);
  // min() before the power would overflow to Infinity for large attempts; 2^1023 is still finite.
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt - 1, 1023));
  return random() * Math.max(0, cap);
}
