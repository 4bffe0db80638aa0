import { LatencyHistogram } from './histogram.ts';
import type { LatencySummary, MessageStats, TimePoint } from './result.ts';
import { replyKind, type ReplyKind } from './outcome.ts';
import type { ReplyOutcome } from './transport.ts';

/** One finished message as the session runner hands it over. */
export interface MessageRecord {
  /** The profile's intent label. */
  intent: string;
  /** Held to the peak SLO (spike/peak phase or viral burst). */
  peak: boolean;
  /** When the message *should* have been sent (clock ms): session start plus scheduled think times. */
  intendedAt: number;
  outcome: ReplyOutcome;
}

/** Latencies and errors of one group of messages (overall, or one intent). */
class GroupStats {
  messages = 0;
  readonly ttft = new LatencyHistogram();
  readonly interToken = new LatencyHistogram();
  readonly ttlt = new LatencyHistogram();
  readonly errors: Record<string, number> = {};
  readonly replies: Record<ReplyKind, number> = { answered: 0, degraded: 0, unanswered: 0, interrupted: 0 };

  toJSON(): MessageStats {
    return { messages: this.messages, ttft: this.ttft.summary(), interToken: this.interToken.summary(), ttlt: this.ttlt.summary(), errors: { ...this.errors }, replies: { ...this.replies } };
  }
}

interface SecondBucket {
  phase: string;
  sessionsOpen: number;
  messages: number;
  errors: number;
  ttft: LatencyHistogram;
  ttlt: LatencyHistogram;
}

/** Everything measured, ready to be written into the result. */
export interface MetricsSnapshot {
  overall: MessageStats;
  byIntent: Record<string, MessageStats>;
  ttftUncorrected: LatencySummary;
  ttftNormal: LatencySummary;
  ttftPeak: LatencySummary;
  serverTimings: Record<string, { p50: number; p99: number; count: number }>;
  /** How the server classified each profile intent: label → server intent → messages. */
  serverIntents: Record<string, Record<string, number>>;
  timeline: TimePoint[];
  ttftHistogram: [number, number][];
}

/**
 * Collects per-message measurements. With `corrected` (open model) ttft and ttlt count from the
 * intended send time, so a server stall that delays the generator's next send still shows up in
 * full (coordinated-omission correction); the uncorrected ttft (from the actual send) is kept
 * beside it. In the closed model the two are the same by definition.
 */
export class MetricsCollector {
  private readonly startAt: number;
  private readonly corrected: boolean;
  private readonly overall = new GroupStats();
  private readonly byIntent = new Map<string, GroupStats>();
  private readonly ttftUncorrected = new LatencyHistogram();
  private readonly ttftNormal = new LatencyHistogram();
  private readonly ttftPeak = new LatencyHistogram();
  private readonly segments = new Map<string, LatencyHistogram>();
  private readonly serverIntents: Record<string, Record<string, number>> = {};
  private readonly seconds = new Map<number, SecondBucket>();
  private readonly timeline: TimePoint[] = [];
  private closedUpTo = 0;
  /** A rolling window of recent ttfts for the progress line. */
  private recent = new LatencyHistogram();
  private previousRecent = new LatencyHistogram();

  constructor(startAt: number, corrected: boolean) {
    this.startAt = startAt;
    this.corrected = corrected;
  }

  /** Records one message's outcome (aborted messages, cut off by the generator itself, are ignored). */
  record(rec: MessageRecord): void {
    const o = rec.outcome;
    if (o.error === 'aborted') return;
    const group = this.group(rec.intent);
    const completedAt = o.finishedAt ?? o.endAt ?? o.firstTokenAt ?? o.sentAt;
    const second = this.second(completedAt);
    group.messages++;
    this.overall.messages++;
    if (second) second.messages++;
    if (o.serverIntent) {
      const row = (this.serverIntents[rec.intent] ??= {});
      row[o.serverIntent] = (row[o.serverIntent] ?? 0) + 1;
    }
    if (o.error) {
      group.errors[o.error] = (group.errors[o.error] ?? 0) + 1;
      this.overall.errors[o.error] = (this.overall.errors[o.error] ?? 0) + 1;
      if (second) second.errors++;
      return;
    }
    const from = this.corrected ? Math.min(rec.intendedAt, o.sentAt) : o.sentAt;
    if (o.firstTokenAt !== undefined) {
      const ttft = o.firstTokenAt - from;
      for (const h of [group.ttft, this.overall.ttft, rec.peak ? this.ttftPeak : this.ttftNormal, this.recent]) h.record(ttft);
      this.ttftUncorrected.record(o.firstTokenAt - o.sentAt);
      second?.ttft.record(ttft);
    }
    for (let i = 1; i < o.tokenAt.length; i++) {
      const gap = o.tokenAt[i] - o.tokenAt[i - 1];
      group.interToken.record(gap);
      this.overall.interToken.record(gap);
    }
    if (o.endAt !== undefined) {
      const kind = replyKind(o);
      group.replies[kind]++;
      this.overall.replies[kind]++;
      const ttlt = o.endAt - from;
      group.ttlt.record(ttlt);
      this.overall.ttlt.record(ttlt);
      second?.ttlt.record(ttlt);
    }
    for (const [segment, ms] of Object.entries(o.timings ?? {})) {
      if (typeof ms !== 'number' || !Number.isFinite(ms)) continue;
      let h = this.segments.get(segment);
      if (!h) this.segments.set(segment, (h = new LatencyHistogram()));
      h.record(ms);
    }
  }

  /** Records a session whose connection failed: one failed message under its first intent. */
  recordConnectFailure(intent: string, code: string, at: number): void {
    if (code === 'aborted') return;
    this.record({ intent, peak: false, intendedAt: at, outcome: { sentAt: at, tokenAt: [], error: code, finishedAt: at } });
  }

  /** Called once a second: notes the phase and open sessions, and closes seconds that are over. */
  sample(now: number, phase: string, sessionsOpen: number): void {
    const s = this.second(now);
    if (s) {
      s.phase = phase;
      s.sessionsOpen = sessionsOpen;
    }
    // A second is closed two seconds later: replies completing in it have all been recorded.
    this.closeSecondsBefore(Math.floor((now - this.startAt) / 1000) - 1);
    this.previousRecent = this.recent;
    this.recent = new LatencyHistogram();
  }

  /** p99 ttft of roughly the last one to two seconds (for the progress line). */
  recentP99(): number {
    const h = new LatencyHistogram();
    h.add(this.previousRecent);
    h.add(this.recent);
    return h.percentile(99);
  }

  /** Messages and errors so far. */
  totals(): { messages: number; errors: number } {
    return { messages: this.overall.messages, errors: Object.values(this.overall.errors).reduce((a, b) => a + b, 0) };
  }

  /** The final figures. */
  snapshot(): MetricsSnapshot {
    this.closeSecondsBefore(Number.POSITIVE_INFINITY);
    return {
      overall: this.overall.toJSON(),
      byIntent: Object.fromEntries([...this.byIntent.entries()].sort().map(([k, g]) => [k, g.toJSON()])),
      ttftUncorrected: this.ttftUncorrected.summary(),
      ttftNormal: this.ttftNormal.summary(),
      ttftPeak: this.ttftPeak.summary(),
      serverTimings: Object.fromEntries([...this.segments.entries()].map(([k, h]) => [k, { p50: h.percentile(50), p99: h.percentile(99), count: h.count }])),
      serverIntents: this.serverIntents,
      timeline: [...this.timeline],
      ttftHistogram: this.overall.ttft.buckets(),
    };
  }

  private group(intent: string): GroupStats {
    let g = this.byIntent.get(intent);
    if (!g) this.byIntent.set(intent, (g = new GroupStats()));
    return g;
  }

  /** The bucket of the second containing clock time `at`, or undefined if that second was closed. */
  private second(at: number): SecondBucket | undefined {
    const t = Math.max(0, Math.floor((at - this.startAt) / 1000));
    if (t < this.closedUpTo) return undefined;
    let b = this.seconds.get(t);
    if (!b) {
      const before = this.seconds.get(t - 1);
      b = { phase: before?.phase ?? '', sessionsOpen: before?.sessionsOpen ?? 0, messages: 0, errors: 0, ttft: new LatencyHistogram(), ttlt: new LatencyHistogram() };
      this.seconds.set(t, b);
    }
    return b;
  }

  private closeSecondsBefore(limit: number): void {
    const last = Math.min(limit, Math.max(-1, ...this.seconds.keys()) + 1);
    let phase = this.timeline.at(-1)?.phase ?? '';
    let open = this.timeline.at(-1)?.sessionsOpen ?? 0;
    for (let t = this.closedUpTo; t < last; t++) {
      const b = this.seconds.get(t);
      this.seconds.delete(t);
      phase = b?.phase || phase;
      open = b ? b.sessionsOpen : open;
      this.timeline.push({
        t,
        phase,
        sessionsOpen: open,
        messages: b?.messages ?? 0,
        errors: b?.errors ?? 0,
        ttftP50: b?.ttft.percentile(50) ?? 0,
        ttftP99: b?.ttft.percentile(99) ?? 0,
        ttltP99: b?.ttlt.percentile(99) ?? 0,
      });
    }
    this.closedUpTo = Math.max(this.closedUpTo, last);
  }
}
