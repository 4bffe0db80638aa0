import type { ReplyKind } from './outcome.ts';

/**
 * The JSON result of one load-test run (`--out result.json`), and the input of the HTML report.
 * Latencies are in milliseconds. Percentiles come from HDR histograms; in open mode they are
 * corrected for coordinated omission (measured from the time a message was *scheduled*, not sent).
 */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Per-message latency figures for one group of messages (overall, or one intent). */
export interface MessageStats {
  messages: number;
  /** Time to first token. */
  ttft: LatencySummary;
  /** Time between consecutive tokens. */
  interToken: LatencySummary;
  /** Time to last token (the `end` frame). */
  ttlt: LatencySummary;
  /** Errors by code: protocol codes (`rate_limited`, `unavailable`, ...) plus `timeout` and `dropped`. */
  errors: Record<string, number>;
  /**
   * Replies that reached `end`, by how they turned out (src/loadgen/outcome.ts): answered,
   * degraded (a fallback shaped it), unanswered (the engine-down brief message), interrupted.
   * Absent in results written before it was counted.
   */
  replies?: Record<ReplyKind, number>;
}

/** One point of the time series (one per second of the run). */
export interface TimePoint {
  /** Seconds since the start of the run. */
  t: number;
  phase: string;
  sessionsOpen: number;
  /** Messages completed in this second. */
  messages: number;
  errors: number;
  /** Time-to-first-token percentiles of the messages completed in this second. */
  ttftP50: number;
  ttftP99: number;
  ttltP99: number;
}

/**
 * A service-level objective and whether it held. `actual` and `threshold` are in the unit the
 * objective names: milliseconds for latencies, percent (0..100) for rates.
 */
export interface SloVerdict {
  name: string;
  /** e.g. "p99 ttft < 1500 ms". */
  objective: string;
  actual: number;
  threshold: number;
  held: boolean;
}

/** The whole result of a run. */
export interface LoadTestResult {
  tool: 'manga-assist-loadtest';
  version: 1;
  startedAt: string;
  durationS: number;
  targets: string[];
  mode: 'open' | 'closed' | 'idle' | 'rate';
  transport: 'ws' | 'sse';
  profile: string;
  /** The options the run was started with (as given on the command line or in the profile). */
  options: Record<string, unknown>;
  sessions: { started: number; completed: number; failed: number };
  overall: MessageStats;
  byIntent: Record<string, MessageStats>;
  /** Uncorrected ttft (from actual send time), to show what coordinated omission hides. */
  ttftUncorrected?: LatencySummary;
  /** p50/p99 per segment from the server's `end` frame timings (ms). */
  serverTimings: Record<string, { p50: number; p99: number; count: number }>;
  /** Per-second series for plots. */
  timeline: TimePoint[];
  /** HDR histogram of corrected ttft, as [valueMs, count] buckets, for the histogram plot. */
  ttftHistogram: [number, number][];
  slo: SloVerdict[];
  /** True when every SLO held. */
  passed: boolean;
  /** Idle mode only: how many connections were held open and what the server reported. */
  idle?: { target: number; opened: number; failed: number; heldS: number; sourceAddresses: number };
}
