// The subset of a result the browser needs to draw the plots, already in uPlot's column layout, so
// the inline script does no data wrangling and the page carries no more data than it draws.
import type { LoadTestResult } from '../result.ts';
import { isNum } from './format.ts';

/** A contiguous run of seconds spent in one phase, `[start, end)` in seconds since the run began. */
export interface PhaseBand { name: string; start: number; end: number }

/** A horizontal threshold line on the latency plot, tied to the series it constrains. */
export interface ThresholdLine { label: string; value: number; held: boolean; series: 'ttftP50' | 'ttftP99' | 'ttltP99' }

/** Everything the inline plotting script draws; absent parts are not drawn. */
export interface PlotData {
  timeline: {
    t: number[];
    ttftP50: (number | null)[];
    ttftP99: (number | null)[];
    ttltP99: (number | null)[];
    messages: number[];
    /** Null where there were none, so a zero draws no bar (a row of zero-height bars reads as a red baseline). */
    errors: (number | null)[];
    sessionsOpen: number[];
  } | null;
  phases: PhaseBand[];
  thresholds: ThresholdLine[];
  /** Whether latency plots are drawn (false when no message completed, e.g. idle mode). */
  latency: boolean;
  histogram: { x: number[]; y: number[]; p50: number | null; p99: number | null } | null;
  segments: { names: string[]; p50: number[]; p99: number[] } | null;
}

/** Contiguous phase runs of the per-second timeline. */
export function phaseBands(timeline: LoadTestResult['timeline']): PhaseBand[] {
  const bands: PhaseBand[] = [];
  for (const point of timeline) {
    const last = bands[bands.length - 1];
    // Each point stands for the second [t, t+1), so a band ends where the next second begins.
    if (last && last.name === point.phase) last.end = point.t + 1;
    else bands.push({ name: String(point.phase ?? ''), start: point.t, end: point.t + 1 });
  }
  return bands;
}

/** Which latency series an SLO constrains, judged from its name and objective text (the result has no field for it). */
function sloSeries(text: string): ThresholdLine['series'] | null {
  const t = text.toLowerCase();
  if (/ttlt|last token/.test(t)) return 'ttltP99';
  if (/ttft|first token/.test(t)) return /p50|median/.test(t) ? 'ttftP50' : 'ttftP99';
  return null;
}

/** Builds the plot data from a result; a second with no completed messages becomes a gap, not a zero. */
export function buildPlotData(result: LoadTestResult): PlotData {
  const latency = (result.overall?.messages ?? 0) > 0;
  const points = [...(result.timeline ?? [])].sort((a, b) => a.t - b.t);
  const lat = (p: (typeof points)[number], v: number) => (latency && p.messages > 0 && isNum(v) && v > 0 ? v : null);
  const timeline = points.length === 0 ? null : {
    t: points.map((p) => p.t),
    ttftP50: points.map((p) => lat(p, p.ttftP50)),
    ttftP99: points.map((p) => lat(p, p.ttftP99)),
    ttltP99: points.map((p) => lat(p, p.ttltP99)),
    messages: points.map((p) => (isNum(p.messages) ? p.messages : 0)),
    errors: points.map((p) => (isNum(p.errors) && p.errors > 0 ? p.errors : null)),
    sessionsOpen: points.map((p) => (isNum(p.sessionsOpen) ? p.sessionsOpen : 0)),
  };
  const thresholds: ThresholdLine[] = [];
  for (const slo of result.slo ?? []) {
    const series = sloSeries(`${slo.name} ${slo.objective}`);
    if (series && isNum(slo.threshold) && slo.threshold > 0) thresholds.push({ label: String(slo.objective), value: slo.threshold, held: slo.held, series });
  }
  // A log-scale x axis cannot place a zero-ms bucket; HDR's lowest bucket is >= 1 ms in practice.
  const buckets = (result.ttftHistogram ?? []).filter(([v, c]) => isNum(v) && v > 0 && isNum(c)).sort((a, b) => a[0] - b[0]);
  const histogram = latency && buckets.length > 0
    ? { x: buckets.map((b) => b[0]), y: buckets.map((b) => b[1]), p50: result.overall.ttft.p50 ?? null, p99: result.overall.ttft.p99 ?? null }
    : null;
  const segmentEntries = Object.entries(result.serverTimings ?? {}).filter(([, s]) => isNum(s.p50) || isNum(s.p99));
  const segments = latency && segmentEntries.length > 0
    ? { names: segmentEntries.map(([n]) => n), p50: segmentEntries.map(([, s]) => (isNum(s.p50) ? s.p50 : 0)), p99: segmentEntries.map(([, s]) => (isNum(s.p99) ? s.p99 : 0)) }
    : null;
  return { timeline, phases: phaseBands(points), thresholds, latency, histogram, segments };
}
