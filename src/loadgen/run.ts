import { ArrivalSchedule } from './arrivals.ts';
import { realClock } from './clock.ts';
import { createTokenSource } from './credentials.ts';
import { MetricsCollector } from './metrics.ts';
import type { LoadTestOptions } from './options.ts';
import { burstStarts, driveOpenArrivals, mergeStarts } from './open-driver.ts';
import { isPeak, phaseIndexAt, phaseLabel } from './phases.ts';
import { createProgress } from './progress.ts';
import { createRng } from './random.ts';
import type { LoadTestResult } from './result.ts';
import { runSession, type SessionEnd } from './session.ts';
import { evaluateSlos } from './slo.ts';
import { createSseTransport } from './sse-transport.ts';
import { planSession, type SessionPlan } from './traffic.ts';
import { createWsTransport } from './ws-transport.ts';

/**
 * Runs a load test and returns its result; never throws for what the server does (that is
 * measured), only for programming errors. Open model: sessions start on the arrival schedule
 * whatever the server does, and latency counts from each message's due time. Closed model:
 * `concurrency` users run sessions back to back. Either way it stops by itself: no new session
 * after the phases/duration or `maxSessions`, and everything is cut at `maxDurationMs`.
 */
export async function runLoadTest(o: LoadTestOptions): Promise<LoadTestResult> {
  const clock = o.clock ?? realClock;
  const startedAt = new Date();
  const t0 = clock.now();
  const open = o.mode === 'open';
  const metrics = new MetricsCollector(t0, open);
  const transport = o.transport === 'ws' ? createWsTransport() : createSseTransport();
  const tokens = o.jwtSecret ? createTokenSource(o.jwtSecret) : undefined;
  // Separate streams so adding a burst does not change the sessions of the base traffic.
  const planRng = createRng(o.seed);
  const arrivalRng = createRng(o.seed ^ 0x5eed);
  const burstRng = createRng(o.seed ^ 0xb0b);

  const hardStop = new AbortController();
  const hardTimer = setTimeout(() => hardStop.abort(), o.maxDurationMs);
  /** Closed model: after the duration users send nothing more; replies in flight still count. */
  const drain = new AbortController();
  const stop = AbortSignal.any([hardStop.signal, drain.signal]);

  const counts = { started: 0, completed: 0, failed: 0 };
  let sessionsOpen = 0;
  const running = new Set<Promise<void>>();
  const phaseName = (at: number) => (open ? phaseLabel(o.phases[phaseIndexAt(o.phases, at - t0)]) : `closed ${o.concurrency} users`);
  const peakAt = (at: number) => open && isPeak(o.phases[phaseIndexAt(o.phases, at - t0)]);

  const launch = (plan: SessionPlan, startAt: number): Promise<SessionEnd> => {
    const n = counts.started++;
    sessionsOpen++;
    const run = (async (): Promise<SessionEnd> => {
      const token = plan.account && tokens ? await tokens(plan.account) : undefined;
      return runSession({
        transport,
        target: o.targets[n % o.targets.length],
        token,
        clock,
        metrics,
        plan,
        startAt,
        openModel: open,
        messageTimeoutMs: o.messageTimeoutMs,
        peakAt,
        idPrefix: `lg${o.seed}-${n}`,
        signal: hardStop.signal,
        drain: drain.signal,
      });
    })();
    return run.then(
      (end) => {
        sessionsOpen--;
        if (end === 'completed') counts.completed++;
        else if (end === 'failed') counts.failed++;
        return end;
      },
      () => {
        sessionsOpen--;
        counts.failed++;
        return 'failed' as const;
      },
    );
  };
  const track = (p: Promise<unknown>) => {
    const done: Promise<void> = p.then(() => {
      running.delete(done);
    });
    running.add(done);
  };

  const progress = o.progress ? createProgress(o.progress) : undefined;
  let lastMessages = 0;
  metrics.sample(t0, phaseName(t0), 0);
  const tick = setInterval(() => {
    const now = clock.now();
    metrics.sample(now, phaseName(now), sessionsOpen);
    const totals = metrics.totals();
    progress?.update({ elapsedS: (now - t0) / 1000, phase: phaseName(now), sessionsOpen, messagesPerS: totals.messages - lastMessages, p99TtftMs: metrics.recentP99(), errors: totals.errors, messages: totals.messages });
    lastMessages = totals.messages;
  }, 1000);

  try {
    if (open) {
      const starts = mergeStarts(new ArrivalSchedule(o.phases, o.arrivals, arrivalRng), burstStarts(o.profile.bursts, o.phases));
      await driveOpenArrivals(starts, { clock, t0, maxSessions: o.maxSessions, signal: hardStop.signal }, (s, due) => {
        const plan = s.burst ? planSession(o.profile, burstRng, o.thinkScale, s.burst) : planSession(o.profile, planRng, o.thinkScale);
        track(launch(plan, due));
      });
    } else {
      const end = t0 + o.durationMs;
      const drainTimer = setTimeout(() => drain.abort(), o.durationMs);
      const user = async (i: number) => {
        // Users join over the first second (or tenth of the run) instead of all in one instant.
        await clock.sleepUntil(t0 + (i / o.concurrency) * Math.min(1000, o.durationMs / 10), stop);
        while (!stop.aborted && clock.now() < end && counts.started < o.maxSessions) {
          await launch(planSession(o.profile, planRng, o.thinkScale), clock.now());
        }
      };
      await Promise.all(Array.from({ length: o.concurrency }, (_, i) => user(i)));
      clearTimeout(drainTimer);
    }
    await Promise.all(running);
  } finally {
    clearTimeout(hardTimer);
    clearInterval(tick);
    progress?.done();
  }

  const endAt = clock.now();
  metrics.sample(endAt, phaseName(endAt), 0);
  const m = metrics.snapshot();
  const slo = evaluateSlos(o.slo, m.overall, m.ttftNormal, m.ttftPeak);
  const warnings: string[] = [];
  const minThinkMs = o.profile.thinkTimeMs.min * o.thinkScale;
  if (open && o.profile.sessionMessages.max > 1 && m.overall.ttlt.count && m.ttftUncorrected.p50 + (m.overall.ttlt.p50 - m.overall.ttft.p50) > minThinkMs) {
    warnings.push(`replies (~${Math.round(m.overall.ttlt.p50)} ms) outlast the shortest think time (${Math.round(minThinkMs)} ms): later messages of a session are sent late and corrected latencies include that backlog; raise --think-scale`);
  }
  if (hardStop.signal.aborted) warnings.push(`stopped by --max-duration (${o.maxDurationMs} ms); replies in flight were not counted`);
  const result: LoadTestResult & { warnings: string[]; serverIntents: typeof m.serverIntents; ttftByPhaseClass: { normal: typeof m.ttftNormal; peak: typeof m.ttftPeak }; stoppedByHardCap: boolean } = {
    tool: 'manga-assist-loadtest',
    version: 1,
    startedAt: startedAt.toISOString(),
    durationS: Number(((endAt - t0) / 1000).toFixed(3)),
    targets: o.targets.map((t) => (o.transport === 'ws' ? t.ws : t.http)),
    mode: o.mode,
    transport: o.transport,
    profile: o.profile.name,
    options: {
      ...o.given,
      phases: open ? o.phases : undefined,
      arrivals: open ? o.arrivals : undefined,
      concurrency: open ? undefined : o.concurrency,
      thinkScale: o.thinkScale,
      seed: o.seed,
      maxDurationMs: o.maxDurationMs,
      messageTimeoutMs: o.messageTimeoutMs,
      signedIn: o.jwtSecret !== undefined,
      slo: o.slo,
    },
    sessions: counts,
    overall: m.overall,
    byIntent: m.byIntent,
    ttftUncorrected: m.ttftUncorrected,
    serverTimings: m.serverTimings,
    timeline: m.timeline,
    ttftHistogram: m.ttftHistogram,
    slo,
    passed: slo.every((v) => v.held),
    // Beyond the fixed result format: intent agreement, ttft by phase class, and whether the hard cap cut the run.
    serverIntents: m.serverIntents,
    ttftByPhaseClass: { normal: m.ttftNormal, peak: m.ttftPeak },
    stoppedByHardCap: hardStop.signal.aborted,
    warnings,
  };
  return result;
}
