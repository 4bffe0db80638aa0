import type { Counter, Histogram } from 'prom-client';

/**
 * One label set of a counter or histogram, bound once and then bumped per message or per call.
 *
 * prom-client's own `labels(...)` children do not save the per-call work: each `inc`/`observe`
 * still validates the labels, builds the label hash string, and a histogram looks its bucket up
 * by a number key (converted to a string every time). These were ~3 % of a message's CPU
 * (segment, first-token and reply histograms, message and dependency-call counters). A bound
 * series computes the hash and bucket keys once and adds to the same series entry prom-client
 * keeps (prom-client 15's layout: `hashMap[hash]` with `value`, or `sum`/`count`/`bucketValues`
 * keyed by upper bound). Whenever that entry is not there yet (first use, after `reset()`) or the
 * value is one prom-client would refuse, the call goes through the public API, which creates the
 * entry or throws exactly as before; so the exposition is the same series and numbers.
 * test/observability/bound-series.test.ts compares both ways over the same observations.
 */

interface Internals {
  hashMap: Record<string, { value?: number; sum?: number; count?: number; bucketValues?: Record<string, number> } | undefined>;
  sortedLabelNames: string[];
  upperBounds?: readonly number[];
}

// prom-client's hash of a label set (util.js fastHashObject over the sorted label names).
function hashOf(labels: Record<string, string | number>, sortedLabelNames: string[]): string {
  let hash = '';
  for (const key of sortedLabelNames) {
    const value = labels[key];
    if (value === undefined) continue;
    hash += `${key}:${value},`;
  }
  return hash;
}

const counters = new WeakMap<object, Map<string, (by?: number) => void>>();
const histograms = new WeakMap<object, Map<string, (value: number) => void>>();

/** A function that adds to `counter` under `labels` (1 by default), like `counter.inc(labels, by)`. */
export function counterSeries<T extends string>(counter: Counter<T>, labels: Partial<Record<T, string | number>>): (by?: number) => void {
  const internals = counter as unknown as Internals;
  const hash = hashOf(labels as Record<string, string | number>, internals.sortedLabelNames);
  let bound = counters.get(counter);
  if (!bound) counters.set(counter, (bound = new Map()));
  let inc = bound.get(hash);
  if (!inc) {
    inc = (by = 1) => {
      const entry = internals.hashMap[hash];
      // Positive finite amounts only: anything else goes where prom-client checks (and throws).
      if (entry === undefined || !(by > 0 && by < Infinity)) counter.inc(labels, by);
      else entry.value! += by;
    };
    bound.set(hash, inc);
  }
  return inc;
}

/** A function that observes into `histogram` under `labels`, like `histogram.observe(labels, value)`. */
export function histogramSeries<T extends string>(histogram: Histogram<T>, labels: Partial<Record<T, string | number>>): (value: number) => void {
  const internals = histogram as unknown as Internals;
  const hash = hashOf(labels as Record<string, string | number>, internals.sortedLabelNames);
  let bound = histograms.get(histogram);
  if (!bound) histograms.set(histogram, (bound = new Map()));
  let observe = bound.get(hash);
  if (!observe) {
    const bounds = internals.upperBounds!;
    // The bucket keys as prom-client's objects hold them (a number key is its string).
    const keys = bounds.map(String);
    observe = (value) => {
      const entry = internals.hashMap[hash];
      if (entry === undefined || !Number.isFinite(value)) {
        histogram.observe(labels, value);
        return;
      }
      let i = 0;
      while (i < bounds.length && !(value <= bounds[i])) i++;
      entry.sum! += value;
      entry.count! += 1;
      // Past the last bound: only sum and count, as prom-client does (+Inf is the count).
      if (i < bounds.length) entry.bucketValues![keys[i]] += 1;
    };
    bound.set(hash, observe);
  }
  return observe;
}
