import type { Registry } from 'prom-client';

/**
 * Label matchers of a query. A string matches the label's value exactly; a RegExp is anchored at
 * both ends like PromQL's `=~` (`/failed|unanswered/` matches "failed", not "unfailed"). A label
 * the series does not carry reads as "" (as in PromQL).
 */
export type Match = Record<string, string | RegExp>;

/**
 * Which samples a query spans. The window ends at the newest sample at or before `at` (default:
 * the latest sample) and starts at the newest sample at or before `from` (default `at - windowMs`),
 * or at the oldest sample when none is that old. A window whose start and end are the same sample
 * (a single sample, or nothing older than `at`) spans nothing: increase() answers an empty Map
 * (no groups, so sums read 0) and quantile() answers null.
 */
export interface WindowOptions {
  /** Look-back; required unless `from` is given. */
  windowMs?: number;
  /** Explicit start (epoch ms): the chart points use consecutive samples, whatever their jitter. */
  from?: number;
  /** End of the window (epoch ms); default the latest sample. */
  at?: number;
}

export interface QueryOptions extends WindowOptions {
  match?: Match;
  /** Labels to group by; the Map key is their values joined with ',' ('' without `by`). */
  by?: string[];
}

export interface GaugeOptions {
  match?: Match;
  by?: string[];
  /** How the series of one group combine (default sum). */
  agg?: 'sum' | 'max';
  /** Read the newest sample at or before this time (default the latest). */
  at?: number;
}

/** Sampled metric history of one registry, with the few PromQL-like queries alarms and /ops need. */
export interface MetricsHistory {
  /** Reads the registry (running its collect hooks) and stores one timestamped sample of every series. */
  sample(): Promise<void>;
  /** Samples every `intervalMs` (timer unref'd); a failing sample is reported to `onError` and the timer goes on. */
  start(intervalMs: number): void;
  stop(): void;
  /** Timestamps of the samples kept, oldest first. */
  times(): number[];
  /** Timestamp of the latest sample, undefined before the first. */
  latest(): number | undefined;
  /** The span a query with these options covers (actual sample timestamps), null when it spans nothing. */
  window(opts: WindowOptions): { from: number; to: number } | null;
  /** Counter increase over the window per group; a counter that dropped (restart, reset) counts from 0, as Prometheus does. */
  increase(name: string, opts: QueryOptions): Map<string, number>;
  /** Gauge value at the newest sample at or before `at`, per group. */
  gauge(name: string, opts?: GaugeOptions): Map<string, number>;
  /** Like Prometheus `histogram_quantile(q, sum(increase(name_bucket[w])))` over every matching series; null without observations in the window. */
  quantile(q: number, histogram: string, opts: QueryOptions): number | null;
  /** The same quantile per group of `opts.by` (only groups with buckets seen; null where nothing was observed). */
  quantileBy(q: number, histogram: string, opts: QueryOptions & { by: string[] }): Map<string, number | null>;
  /** Distinct values of `label` among the kept series of `name`, sorted (e.g. every pipeline segment seen). */
  labelValues(name: string, label: string): string[];
  /** Samples, series and bytes of sample values held (for the bounded-memory check and /ops). */
  stats(): { samples: number; series: number; bytes: number };
}

export interface HistoryOptions {
  registry: Registry;
  /** Samples older than this (relative to the latest) are dropped. */
  retentionMs: number;
  /** Samples kept at most (default 720: one hour at 5 s, three hours at 15 s). */
  maxSamples?: number;
  now?: () => number;
  /** Told when a timed sample fails. */
  onError?: (error: unknown) => void;
}

interface Series {
  name: string;
  labels: Record<string, string>;
  /** Timestamp of the last sample that had this series: series gone from every kept sample are compacted away. */
  lastSeen: number;
}

interface Sample {
  t: number;
  /** Value per series index; NaN where the series did not exist. Shorter than the series list when series appeared later. */
  values: Float64Array;
}

/**
 * Creates the in-service metric history. Hand-written rather than a TSDB client because it must
 * run inside the process without Prometheus: samples are Float64Arrays indexed by one shared
 * series-key map, so 720 samples of 2,000 series hold about 11 MB.
 *
 * Differences from Prometheus, on purpose: no extrapolation to the window edges (the samples are
 * exact reads of the registry, not jittered scrapes), and a counter series absent from the
 * window's first sample but present later counts from 0 (in-process, "absent" means it did not
 * exist yet, so its whole value happened inside the window).
 */
export function createMetricsHistory(opts: HistoryOptions): MetricsHistory {
  const now = opts.now ?? Date.now;
  const maxSamples = opts.maxSamples ?? 720;
  let series: Series[] = [];
  let keys = new Map<string, number>();
  let byName = new Map<string, number[]>();
  const samples: Sample[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  let inflight = false;

  function indexOf(name: string, labels: Record<string, string | number | undefined>): number {
    const names = Object.keys(labels).sort();
    let key = name;
    for (const l of names) key += `\u0000${l}\u0001${labels[l]}`;
    let i = keys.get(key);
    if (i === undefined) {
      i = series.length;
      const own: Record<string, string> = {};
      for (const l of names) own[l] = String(labels[l]);
      series.push({ name, labels: own, lastSeen: 0 });
      keys.set(key, i);
      let list = byName.get(name);
      if (!list) byName.set(name, (list = []));
      list.push(i);
    }
    return i;
  }

  function prune(): void {
    const latest = samples[samples.length - 1].t;
    let drop = 0;
    while (drop < samples.length - 1 && (samples.length - drop > maxSamples || samples[drop].t < latest - opts.retentionMs)) drop++;
    if (drop === 0) return;
    samples.splice(0, drop);
    const oldest = samples[0].t;
    if (series.some((s) => s.lastSeen < oldest)) compact(oldest);
  }

  // Label churn (a dependency renamed, a model retired) would otherwise grow the key map forever.
  function compact(oldest: number): void {
    const kept: number[] = [];
    for (let i = 0; i < series.length; i++) if (series[i].lastSeen >= oldest) kept.push(i);
    const nextSeries: Series[] = [];
    const nextKeys = new Map<string, number>();
    const nextByName = new Map<string, number[]>();
    const remap = new Int32Array(series.length).fill(-1);
    for (const i of kept) {
      remap[i] = nextSeries.length;
      nextSeries.push(series[i]);
    }
    for (const [key, i] of keys) if (remap[i] >= 0) nextKeys.set(key, remap[i]);
    for (const [name, list] of byName) {
      const l = list.map((i) => remap[i]).filter((i) => i >= 0);
      if (l.length) nextByName.set(name, l);
    }
    for (const s of samples) {
      const values = new Float64Array(kept.length).fill(NaN);
      for (let j = 0; j < kept.length; j++) if (kept[j] < s.values.length) values[j] = s.values[kept[j]];
      s.values = values;
    }
    series = nextSeries;
    keys = nextKeys;
    byName = nextByName;
  }

  async function sample(): Promise<void> {
    const metrics = await opts.registry.getMetricsAsJSON();
    const t = now();
    const idx: number[] = [];
    const vals: number[] = [];
    for (const m of metrics) {
      for (const v of m.values as { value: number; labels: Record<string, string | number>; metricName?: string }[]) {
        idx.push(indexOf(v.metricName ?? m.name, v.labels));
        vals.push(v.value);
      }
    }
    const values = new Float64Array(series.length).fill(NaN);
    for (let j = 0; j < idx.length; j++) {
      values[idx[j]] = vals[j];
      series[idx[j]].lastSeen = t;
    }
    const last = samples[samples.length - 1];
    // A clock that did not move (or went back) replaces the last sample: times stay strictly increasing.
    if (last && t <= last.t) last.values = values;
    else samples.push({ t, values });
    prune();
  }

  /** Index of the newest sample at or before t, -1 when none. */
  function atOrBefore(t: number): number {
    let lo = 0;
    let hi = samples.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (samples[mid].t <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  function span(w: WindowOptions): [number, number] | null {
    if (samples.length === 0) return null;
    const at = w.at ?? samples[samples.length - 1].t;
    const end = atOrBefore(at);
    if (end < 0) return null;
    if (w.from === undefined && w.windowMs === undefined) throw new Error('a window needs windowMs or from');
    const start = Math.max(0, atOrBefore(w.from ?? at - w.windowMs!));
    return start < end ? [start, end] : null;
  }

  function select(name: string, match: Match | undefined): number[] {
    const list = byName.get(name) ?? [];
    if (!match) return list;
    const tests = Object.entries(match).map(([label, want]): [string, (v: string) => boolean] => {
      if (typeof want === 'string') return [label, (v) => v === want];
      const re = new RegExp(`^(?:${want.source})$`, want.flags.replace(/[gy]/g, ''));
      return [label, (v) => re.test(v)];
    });
    return list.filter((i) => tests.every(([label, test]) => test(series[i].labels[label] ?? '')));
  }

  function groupKey(i: number, by: string[] | undefined): string {
    if (!by || by.length === 0) return '';
    return by.map((l) => series[i].labels[l] ?? '').join(',');
  }

  function valueAt(s: Sample, i: number): number {
    return i < s.values.length ? s.values[i] : NaN;
  }

  /** Increase of one series over samples start..end, NaN when it never appears. */
  function seriesIncrease(i: number, start: number, end: number): number {
    let prev = valueAt(samples[start], i);
    let seen = !Number.isNaN(prev);
    let total = 0;
    for (let k = start + 1; k <= end; k++) {
      const v = valueAt(samples[k], i);
      if (Number.isNaN(v)) continue;
      if (!seen) {
        // Born inside the window: everything it counted happened here.
        seen = true;
        total += v;
      } else total += v >= prev ? v - prev : v;
      prev = v;
    }
    return seen ? total : NaN;
  }

  function increase(name: string, q: QueryOptions): Map<string, number> {
    const out = new Map<string, number>();
    const w = span(q);
    if (!w) return out;
    for (const i of select(name, q.match)) {
      const inc = seriesIncrease(i, w[0], w[1]);
      if (Number.isNaN(inc)) continue;
      const key = groupKey(i, q.by);
      out.set(key, (out.get(key) ?? 0) + inc);
    }
    return out;
  }

  /** Bucket increases per group: upper bound → cumulative count. */
  function buckets(histogram: string, q: QueryOptions): Map<string, Map<number, number>> {
    const out = new Map<string, Map<number, number>>();
    const w = span(q);
    if (!w) return out;
    for (const i of select(`${histogram}_bucket`, q.match)) {
      const inc = seriesIncrease(i, w[0], w[1]);
      if (Number.isNaN(inc)) continue;
      const le = series[i].labels.le;
      const bound = le === '+Inf' ? Infinity : Number(le);
      if (Number.isNaN(bound)) continue;
      const key = groupKey(i, q.by);
      let g = out.get(key);
      if (!g) out.set(key, (g = new Map()));
      g.set(bound, (g.get(bound) ?? 0) + inc);
    }
    return out;
  }

  return {
    sample,
    start(intervalMs) {
      this.stop();
      timer = setInterval(() => {
        // A registry read slower than the interval must not pile up reads.
        if (inflight) return;
        inflight = true;
        sample()
          .catch((error) => opts.onError?.(error))
          .finally(() => (inflight = false));
      }, intervalMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    times: () => samples.map((s) => s.t),
    latest: () => samples[samples.length - 1]?.t,
    window(w) {
      const s = span(w);
      return s ? { from: samples[s[0]].t, to: samples[s[1]].t } : null;
    },
    increase,
    gauge(name, q = {}) {
      const out = new Map<string, number>();
      if (samples.length === 0) return out;
      const k = atOrBefore(q.at ?? samples[samples.length - 1].t);
      if (k < 0) return out;
      const s = samples[k];
      for (const i of select(name, q.match)) {
        const v = valueAt(s, i);
        if (Number.isNaN(v)) continue;
        const key = groupKey(i, q.by);
        const was = out.get(key);
        out.set(key, was === undefined ? v : q.agg === 'max' ? Math.max(was, v) : was + v);
      }
      return out;
    },
    quantile(q, histogram, opts) {
      const g = buckets(histogram, { ...opts, by: undefined }).get('');
      return g ? histogramQuantile(q, g) : null;
    },
    quantileBy(q, histogram, opts) {
      const out = new Map<string, number | null>();
      for (const [key, g] of buckets(histogram, opts)) out.set(key, histogramQuantile(q, g));
      return out;
    },
    labelValues(name, label) {
      const values = new Set<string>();
      for (const i of byName.get(name) ?? []) {
        const v = series[i].labels[label];
        if (v !== undefined) values.add(v);
      }
      return [...values].sort();
    },
    stats: () => ({ samples: samples.length, series: series.length, bytes: samples.reduce((n, s) => n + s.values.byteLength, 0) }),
  };
}

/**
 * Prometheus' `histogram_quantile` over cumulative bucket counts (upper bound → count): linear
 * interpolation inside the bucket holding the rank, the first bucket starting at 0, a rank in the
 * +Inf bucket answering the highest finite bound. Null when nothing was observed or there is no
 * +Inf bucket (Prometheus answers NaN).
 */
export function histogramQuantile(q: number, cumulative: Map<number, number>): number | null {
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const b = [...cumulative].sort((x, y) => x[0] - y[0]);
  if (b.length < 2 || b[b.length - 1][0] !== Infinity) return null;
  // Counts from several series summed over a reset can be slightly non-monotonic; Prometheus evens them out the same way.
  for (let i = 1; i < b.length; i++) if (b[i][1] < b[i - 1][1]) b[i][1] = b[i - 1][1];
  const total = b[b.length - 1][1];
  if (!(total > 0)) return null;
  const rank = q * total;
  let i = 0;
  while (i < b.length - 1 && b[i][1] < rank) i++;
  if (i === b.length - 1) return b[b.length - 2][0];
  const [end, count] = b[i];
  if (i === 0 && end <= 0) return end;
  const start = i === 0 ? 0 : b[i - 1][0];
  const below = i === 0 ? 0 : b[i - 1][1];
  const inBucket = count - below;
  return inBucket > 0 ? start + (end - start) * ((rank - below) / inBucket) : end;
}
