import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Arrival, ArrivalSchedule } from './arrivals.ts';
import type { Clock } from './clock.ts';
import { phaseIndexAt, totalPhaseMs } from './phases.ts';
import type { Phase } from './profile.ts';
import type { Burst } from './traffic.ts';

/** A session start of the open model: a phase arrival or one of a viral burst. */
export interface Start extends Arrival {
  burst?: Burst;
}

/** Burst session starts: each burst's sessions spread evenly over its `overS`, within the phases. */
export function burstStarts(bursts: Burst[], phases: Phase[]): Start[] {
  const endMs = totalPhaseMs(phases);
  const starts: Start[] = [];
  for (const burst of bursts) {
    for (let i = 0; i < burst.sessions; i++) {
      const atMs = (burst.atS + (i / burst.sessions) * burst.overS) * 1000;
      if (atMs < endMs) starts.push({ atMs, phaseIndex: phaseIndexAt(phases, atMs), burst });
    }
  }
  return starts.sort((a, b) => a.atMs - b.atMs);
}

/** The phase arrivals and the burst starts, in time order. */
export function* mergeStarts(schedule: ArrivalSchedule, bursts: Start[]): Generator<Start> {
  let next = schedule.next();
  let b = 0;
  while (next || b < bursts.length) {
    if (next && (b >= bursts.length || next.atMs <= bursts[b].atMs)) {
      yield next;
      next = schedule.next();
    } else yield bursts[b++];
  }
}

/**
 * The open model's loop: waits for each start's due time and launches it without waiting for
 * earlier sessions (that independence is what makes the model open). Stops at the end of the
 * schedule, after `maxSessions`, or when `signal` aborts. Returns the number launched.
 */
export async function driveOpenArrivals(
  starts: Iterable<Start>,
  opts: { clock: Clock; t0: number; maxSessions: number; signal: AbortSignal },
  launch: (start: Start, dueAt: number) => void,
): Promise<number> {
  let launched = 0;
  for (const s of starts) {
    if (launched >= opts.maxSessions || opts.signal.aborted) break;
    const due = opts.t0 + s.atMs;
    await opts.clock.sleepUntil(due, opts.signal);
    if (opts.signal.aborted) break;
    launch(s, due);
    // When the generator falls behind, due starts come back to back; let replies be read.
    if (++launched % 64 === 0) await yieldToLoop();
  }
  return launched;
}
