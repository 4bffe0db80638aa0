import { createRequire } from 'node:module';
import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from './result.ts';

interface IterationValue {
  valueIteratedTo: number;
  countAddedInThisIterationStep: number;
}
interface ValuesIterator {
  hasNext(): boolean;
  next(): IterationValue;
}
// The recorded-values iterator is not re-exported by the package's index; it is the library's
// own way to walk the buckets, so it is loaded from its file rather than re-implemented.
const RecordedValuesIterator = (createRequire(import.meta.url)('hdr-histogram-js/dist/RecordedValuesIterator.js') as {
  default: new (h: hdr.Histogram) => ValuesIterator;
}).default;

/** Values are recorded in microseconds so sub-millisecond latencies on loopback keep 3 digits. */
const US_PER_MS = 1000;
const HIGHEST_US = 3_600_000 * US_PER_MS;

/** Latencies in ms, kept in an HDR histogram (3 significant digits, 1 µs to 1 h). */
export class LatencyHistogram {
  private readonly h: hdr.Histogram = hdr.build({
    bitBucketSize: 'packed',
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  /** Records one latency in ms (negative clock noise counts as 0, beyond 1 h as 1 h). */
  record(ms: number): void {
    this.h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * US_PER_MS))));
  }

  /** Adds every value of another histogram. */
  add(other: LatencyHistogram): void {
    this.h.add(other.h);
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** The value (ms) at a percentile in [0, 100]; 0 when empty. */
  percentile(p: number): number {
    return this.count ? this.h.getValueAtPercentile(p) / US_PER_MS : 0;
  }

  /** count/min/mean/p50/p90/p99/p99.9/max in ms (all 0 when empty). */
  summary(): LatencySummary {
    if (!this.count) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const r = (us: number) => Math.round(us) / US_PER_MS;
    return {
      count: this.count,
      min: r(this.h.minNonZeroValue),
      mean: r(this.h.mean),
      p50: r(this.h.getValueAtPercentile(50)),
      p90: r(this.h.getValueAtPercentile(90)),
      p99: r(this.h.getValueAtPercentile(99)),
      p999: r(this.h.getValueAtPercentile(99.9)),
      max: r(this.h.maxValue),
    };
  }

  /**
   * [valueMs, count] buckets for a histogram plot: the recorded values merged into log-spaced
   * bins (`perDecade` per factor of ten), each named by its upper edge.
   */
  buckets(perDecade = 20): [number, number][] {
    const bins = new Map<number, number>();
    const it = new RecordedValuesIterator(this.h);
    while (it.hasNext()) {
      const v = it.next();
      const ms = v.valueIteratedTo / US_PER_MS;
      const edge = Math.ceil(Math.log10(Math.max(ms, 0.001)) * perDecade);
      bins.set(edge, (bins.get(edge) ?? 0) + v.countAddedInThisIterationStep);
    }
    return [...bins.entries()].sort((a, b) => a[0] - b[0]).map(([edge, n]) => [Number((10 ** (edge / perDecade)).toPrecision(3)), n]);
  }
}
