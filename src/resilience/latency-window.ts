/** Options of a rolling latency window. */
export interface LatencyWindowOptions {
  /** Durations older than this stop counting, ms. */
  windowMs: number;
  /** Time slices the window is kept in; each is one histogram. @default 10 */
  slices?: number;
  /** Clock, ms. @default Date.now */
  now?: () => number;
}

/** Rolling distribution of call durations over the last `windowMs`. */
export interface LatencyWindow {
  /** Adds one duration, ms. O(1). */
  record(ms: number): void;
  /** 99th percentile of the durations in the window, ms; 0 when empty. */
  p99(): number;
  /** Durations in the window. */
  count(): number;
  /**
   * True when the p99 has been above `thresholdMs` for at least `windowMs`: every time slice over
   * that span holds durations and each slice's own p99 is above the threshold. A burst of slow
   * calls lifts the window's p99 for a whole window but fails this test, as it should.
   */
  sustainedAbove(thresholdMs: number): boolean;
  /** Forgets every duration. */
  reset(): void;
}

// Log-scale bins: 0.1 ms .. 60 s in 64 bins, each ~24 % wider than the one before. Bin 0 holds
// [0, 0.1], bin i holds (EDGE[i-1], EDGE[i]]; beyond 60 s everything lands in the last bin.
const BINS = 64;
const MIN_MS = 0.1;
const MAX_MS = 60_000;
const LOG_GROWTH = Math.log(MAX_MS / MIN_MS) / (BINS - 1);
const EDGES = Array.from({ length: BINS }, (_, i) => MIN_MS * Math.exp(LOG_GROWTH * i));

function binOf(ms: number): number {
  if (!(ms > MIN_MS)) return 0; // also NaN and negatives
  return Math.min(BINS - 1, Math.ceil(Math.log(ms / MIN_MS) / LOG_GROWTH - 1e-9));
}

/**
 * Rolling p99 in fixed memory: one histogram of 64 log-scale bins (~24 % resolution, interpolated
 * inside a bin) per time slice, recycled as time moves on. Recording is one Math.log and one
 * increment; reading walks slices x bins, a constant.
 *
 * p99() and count() read the newest `slices` slices (between (slices-1)/slices of `windowMs` and
 * all of it). Two more slices are kept for sustainedAbove(): its oldest slice may hold a single
 * duration at its very end, so `slices + 2` slices guarantee slowness for at least `windowMs`
 * (and at most two slices more) — never a verdict on less than the window.
 */
export function createLatencyWindow(opts: LatencyWindowOptions): LatencyWindow {
  if (!(opts.windowMs > 0)) throw new RangeError(`latency window needs windowMs > 0, got ${opts.windowMs}`);
  const now = opts.now ?? Date.now;
  const slices = opts.slices ?? 10;
  const sliceMs = opts.windowMs / slices;
  const kept = slices + 2;
  const counts = new Uint32Array(kept * BINS);
  const totals = new Uint32Array(kept);
  const epochs = new Float64Array(kept).fill(-Infinity);

  const currentEpoch = () => Math.floor(now() / sliceMs);
  const slotOf = (epoch: number) => ((epoch % kept) + kept) % kept;
  // Whether slot i holds durations of one of the window's slices.
  const live = (i: number, epoch: number) => epochs[i] > epoch - slices && totals[i] > 0;

  const quantileOf = (bins: ArrayLike<number>, offset: number, total: number, q: number): number => {
    if (total === 0) return 0;
    const rank = Math.ceil(q * total);
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      const n = bins[offset + b];
      if (n === 0) continue;
      if (seen + n >= rank) {
        const lower = b === 0 ? 0 : EDGES[b - 1];
        return lower + (EDGES[b] - lower) * ((rank - seen) / n);
      }
      seen += n;
    }
    return EDGES[BINS - 1];
  };

  return {
    record(ms) {
      const epoch = currentEpoch();
      const i = slotOf(epoch);
      if (epochs[i] !== epoch) {
        epochs[i] = epoch;
        counts.fill(0, i * BINS, (i + 1) * BINS);
        totals[i] = 0;
      }
      counts[i * BINS + binOf(ms)]++;
      totals[i]++;
    },
    p99() {
      const epoch = currentEpoch();
      const merged = new Float64Array(BINS);
      let total = 0;
      for (let i = 0; i < kept; i++) {
        if (!live(i, epoch)) continue;
        total += totals[i];
        for (let b = 0; b < BINS; b++) merged[b] += counts[i * BINS + b];
      }
      return quantileOf(merged, 0, total, 0.99);
    },
    count() {
      const epoch = currentEpoch();
      let total = 0;
      for (let i = 0; i < kept; i++) if (live(i, epoch)) total += totals[i];
      return total;
    },
    sustainedAbove(thresholdMs) {
      const epoch = currentEpoch();
      // Newest first: in the common, fast case the current slice already says no.
      for (let e = epoch; e > epoch - kept; e--) {
        const i = slotOf(e);
        if (epochs[i] !== e || totals[i] === 0) return false;
        if (!(quantileOf(counts, i * BINS, totals[i], 0.99) > thresholdMs)) return false;
      }
      return true;
    },
    reset() {
      counts.fill(0);
      totals.fill(0);
      epochs.fill(-Infinity);
    },
  };
}
