import type { MessageStats, SloVerdict, LatencySummary } from './result.ts';

/** The objectives a run is judged by. */
export interface SloTargets {
  /** p99 time to first token outside peak phases, ms. */
  p99TtftMs: number;
  /** p99 time to first token in peak phases (spikes, viral bursts), ms. */
  peakP99TtftMs: number;
  /** Failed messages / messages sent, 0..1. */
  errorRate: number;
  /** Replies that ended unanswered (the engine-down brief message) / messages sent, 0..1; default `errorRate`. */
  unansweredRate?: number;
  /** Replies that ended degraded or interrupted / messages sent, 0..1; default `errorRate`. */
  degradedRate?: number;
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
  verdicts.push(...replyVerdicts(targets, overall));
  return verdicts;
}

/**
 * A reply that reached `end` is not automatically a success: when the answer engine is down the
 * customer gets "the assistant is unavailable" with `degraded: ["llm"]`, and a run that only
 * counted error frames would pass a total model outage. Unanswered and degraded (or interrupted)
 * replies are judged as shares of the messages sent, like errors.
 */
export function replyVerdicts(targets: SloTargets, overall: Pick<MessageStats, 'messages' | 'replies'>): SloVerdict[] {
  if (!overall.replies || overall.messages === 0) return [];
  const pct = (x: number) => Number((x * 100).toFixed(4));
  const unanswered = overall.replies.unanswered / overall.messages;
  const degraded = (overall.replies.degraded + overall.replies.interrupted) / overall.messages;
  const u = targets.unansweredRate ?? targets.errorRate;
  const d = targets.degradedRate ?? targets.errorRate;
  return [
    { name: 'unanswered_rate', objective: `unanswered replies < ${(u * 100).toFixed(2)}%`, actual: pct(unanswered), threshold: pct(u), held: unanswered < u },
    { name: 'degraded_rate', objective: `degraded or interrupted replies < ${(d * 100).toFixed(2)}%`, actual: pct(degraded), threshold: pct(d), held: degraded < d },
  ];
}
