/** Options of a retry budget. */
export interface RetryBudgetOptions {
  /** Retries allowed per request in the window (0.2: retries add at most 20 % load). */
  ratio: number;
  /** Retries per second allowed whatever the traffic, so a quiet dependency can still retry. */
  minPerSec: number;
  /** Sliding window over which requests and retries are counted, ms. */
  windowMs: number;
  /** Clock, ms. @default Date.now */
  now?: () => number;
  /** Time slices the window is counted in. @default 10 */
  slices?: number;
}

/** How many retries one dependency may still make. */
export interface RetryBudget {
  /** Counts one call (not a retry): each one earns `ratio` retries. */
  recordRequest(): void;
  /** Spends one retry if the budget has one; false means do not retry. */
  tryRetry(): boolean;
  /** Whole retries available right now. */
  left(): number;
}

/**
 * Finagle-style retry budget: in any window, retries <= minPerSec * window + ratio * requests.
 * A per-call retry count alone lets every caller retry during an outage and multiply the load by
 * (1 + maxRetries); the budget caps the extra load at `ratio`. Counted in coarse time slices so
 * every operation costs O(slices) with fixed memory, whatever the traffic.
 */
export function createRetryBudget(opts: RetryBudgetOptions): RetryBudget {
  const { ratio, minPerSec, windowMs } = opts;
  if (!(ratio >= 0) || !(minPerSec >= 0) || !(windowMs > 0)) {
    throw new RangeError(`retry budget needs ratio >= 0, minPerSec >= 0, windowMs > 0; got ${ratio}, ${minPerSec}, ${windowMs}`);
  }
  const now = opts.now ?? Date.now;
  const slices = opts.slices ?? 10;
  const sliceMs = windowMs / slices;
  const epochs = new Float64Array(slices).fill(-Infinity);
  const requests = new Float64Array(slices);
  const retries = new Float64Array(slices);
  const reserve = (minPerSec * windowMs) / 1000;

  const slot = (): number => {
    const epoch = Math.floor(now() / sliceMs);
    const i = ((epoch % slices) + slices) % slices;
    if (epochs[i] !== epoch) {
      epochs[i] = epoch;
      requests[i] = 0;
      retries[i] = 0;
    }
    return i;
  };
  const left = (): number => {
    const epoch = Math.floor(now() / sliceMs);
    let req = 0;
    let ret = 0;
    for (let i = 0; i < slices; i++) {
      if (epochs[i] > epoch - slices) {
        req += requests[i];
        ret += retries[i];
      }
    }
    // The epsilon keeps 0.7 * 10 from flooring to 6 through float rounding.
    return Math.max(0, Math.floor(reserve + ratio * req - ret + 1e-9));
  };

  return {
    recordRequest() {
      requests[slot()]++;
    },
    tryRetry() {
      if (left() < 1) return false;
      retries[slot()]++;
      return true;
    },
    left,
  };
}
