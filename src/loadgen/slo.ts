import type { MessageStats, SloVerdict, LatencySummary } from './result.ts';

/** The objectives a run is judged by. */
export interface SloTargets {
  /** p99 time to first token outside peak phases, ms. */
  p99TtftMs: number;
  /** p99 time to first token in peak phases (spikes, viral bursts), ms. */
  peakP99TtftMs: number;
  /** Failed messages / messages sent, 0..1. */
  errorRate: number;
}

/**
 * Judges a run. Latency objectives use the corrected ttft of the messages due in normal and in
 * peak phases; a group with no messages is not judged. A run that measured no message at all
 * fails: silence is not a pass.
 */
export function evaluateSlos(targets: SloTargets, overall: MessageStats, normal: LatencySummary, peak: LatencySummary): SloVerdict[] {
  const verdicts: SloVerdict[] = [];
  if (normal.count > 0) verdicts.push({ name: 'p99_ttft', objective: `p99 ttft < ${targets.p99TtftMs} ms`, actual: normal.p99, threshold: targets.p99TtftMs, held: normal.p99 < targets.p99TtftMs });
  if (peak.count > 0) verdicts.push({ name: 'peak_p99_ttft', objective: `peak p99 ttft < ${targets.peakP99TtftMs} ms`, actual: peak.p99, threshold: targets.peakP99TtftMs, held: peak.p99 < targets.peakP99TtftMs });
  const errors = Object.values(overall.errors).reduce((a, b) => a + b, 0);
  const rate = overall.messages ? errors / overall.messages : 1;
  verdicts.push({ name: 'error_rate', objective: `errors < ${(targets.errorRate * 100).toFixed(2)}%`, actual: Number((rate * 100).toFixed(4)), threshold: Number((targets.errorRate * 100).toFixed(4)), held: overall.messages > 0 && rate < targets.errorRate });
  return verdicts;
}
