import { createHistogram, performance } from 'node:perf_hooks';
import type { Customer } from '../chat/pipeline.ts';

/** Brownout level: 0 normal, 1 tier-3 calls skipped, 2 guests shed too, 3 members shed too. */
export type BrownoutLevel = 0 | 1 | 2 | 3;

/** What one sample period showed about this process's event loop. */
export interface LoadReading {
  /** Event-loop delay p99 over the period, in ms. */
  lagP99Ms: number;
  /** Share of the period (0..1) the event loop spent running this process's work (event-loop utilization). */
  utilization: number;
}

/** Port: where readings come from (the process's own event loop, or a test's script). */
export interface LoadSignal {
  /** The reading of the period since the previous call. */
  read(): LoadReading;
  close(): void;
}

/** One level change and the signal values that decided it: logged and counted once per change. */
export interface BrownoutChange {
  from: BrownoutLevel;
  to: BrownoutLevel;
  /** Rising: the signal that reached the new level's threshold; falling: always `recovered`. */
  cause: 'event_loop_delay' | 'in_flight' | 'recovered';
  /** The last period's delay p99, utilization and most messages in flight at once; the smoothed delay (ms); messages in flight now. */
  lagP99Ms: number;
  utilization: number;
  peakInFlight: number;
  lagSmoothedMs: number;
  inFlight: number;
  /** How long the level being left was held, in ms. */
  heldMs: number;
}

/** What an operator sees of the brownout (admin endpoint). */
export interface BrownoutStatus {
  level: BrownoutLevel;
  inFlight: number;
  lagP99Ms: number;
  lagSmoothedMs: number;
  utilization: number;
  /** The most messages in flight at once in the last period. */
  peakInFlight: number;
  /** Time at the current level, in ms. */
  atLevelMs: number;
}

/** Port: how overloaded this process is, and what that means for one message. */
export interface Brownout {
  level(): BrownoutLevel;
  /** True when a message from this customer is to be refused now (Prime customers never are). */
  sheds(customer: Customer): boolean;
  /** True when tier-3 calls (promotions, reviews) are to be skipped. */
  skipsTier3(): boolean;
  /** Reports a tier-3 call not made because of brownout, so what was given up is counted. */
  skipped(dependency: string): void;
  /** Counts a message being answered; call the returned function when it is done. */
  enter(): () => void;
  status(): BrownoutStatus;
  close(): void;
}

export interface BrownoutOptions {
  /** Event-loop delay p99 (ms) at which level 1 starts; 2x → level 2, 4x → level 3. 0 = delay not used. */
  lagMs: number;
  /** Messages in flight at which levels start: 60% → 1, 80% → 2, 95% → 3. 0 = not used. */
  maxInFlight: number;
  /** A level reached by delay is held until the smoothed delay is below this share of its threshold. @default 0.5 */
  lagExitRatio?: number;
  /** A level reached by messages in flight is held until they are below this share of its threshold. @default 0.8 */
  inFlightExitRatio?: number;
  /** Least time at a level before stepping down one level; each step down starts it again. @default 5000 */
  minDwellMs?: number;
  /** Half-life (ms) of the smoothed delay (an exponentially weighted moving average of each period's p99). @default 1000 */
  lagHalfLifeMs?: number;
  /** A period's delay counts only if the event loop was busy at least this share of it. @default 0.5 */
  minUtilization?: number;
  /** ...and at least this many messages were in flight at once during it. @default 8 */
  minInFlight?: number;
  /**
   * Event-loop delay counts only once this long has passed since the process's first message: a
   * process just started runs its code paths for the first time (V8 compiles each function and
   * regular expression on first use, and runs it unoptimised until it is hot), so its first
   * messages take several times their usual CPU and the loop falls behind for a moment; that
   * passes by itself. Messages in flight still count from the start. 0 = no grace. @default 0
   */
  startGraceMs?: number;
  /**
   * Within `startPhaseMs` of the first message a level raised by the event-loop delay is held this
   * long instead of `minDwellMs` (levels raised by messages in flight keep the full dwell): a level
   * raised while the process was still cold (at a rate it carries once warm, the backlog of
   * its first seconds) is left as soon as the loop has caught up, not 15 s later. Undefined = no
   * start phase (the dwell is `minDwellMs` throughout).
   */
  startDwellMs?: number;
  /** How long after the first message the start phase lasts. @default 15000 */
  startPhaseMs?: number;
  /** Sample period. @default 500 */
  sampleMs?: number;
  /** The readings; the process's own event loop unless a test injects its own. */
  signal?: LoadSignal;
  /** Clock in ms (dwell times); performance.now() unless a test injects its own. */
  now?: () => number;
  /** Calls `tick` every `everyMs` and returns how to stop; an unref'd setInterval unless a test drives the ticks itself. */
  schedule?: (tick: () => void, everyMs: number) => () => void;
  onChange?: (change: BrownoutChange) => void;
  onSkipped?: (dependency: string) => void;
}

const LAG_FACTORS = [1, 2, 4] as const;
const INFLIGHT_SHARES = [0.6, 0.8, 0.95] as const;

/**
 * Brownout from two signals, with hysteresis so it does not flap.
 *
 * Event-loop delay is the overload signal that matters for Node: a saturated CPU shows up there
 * first, and every message's first token waits on it. But on a busy machine the loop of an idle
 * process is late too (other programs hold the cores), and shedding this service's customers
 * cannot fix that: one customer on a loaded machine switched level 1 on and off 16 times in 90 s
 * (issue 16). So a period's delay counts only when this process's own loop was busy for most of
 * it (event-loop utilization: a saturated loop is near 1 however little CPU the machine gives it,
 * an idle one near 0 however late its wake-ups are) and enough messages were in flight for
 * shedding some to help: a few customers cannot overload the service, and refusing them does not
 * shorten a slow first message after start-up or a garbage-collection pause. Messages in flight
 * are also a signal of their own: they guard memory when downstream waits pile up without CPU
 * load.
 *
 * A process just started is given `startGraceMs` from its first message before its delay counts:
 * its first messages are slow because its code runs for the first time, not because too many
 * arrive (the in-flight signal still guards it). A level the delay raises in its first
 * `startPhaseMs` anyway (the backlog of a cold start at a high rate) is held `startDwellMs`, not `minDwellMs`:
 * shedding stops once the loop has caught up.
 *
 * Rising is prompt: two periods in a row at a delay level (one garbage-collection pause must not
 * shed every guest), or a message entering at an in-flight level, raise the level at once.
 * Falling is slow: a level is held at least `minDwellMs`, is left only when the signal is well
 * below what raised it (the smoothed delay under half its threshold, in-flight under 80 % of
 * its), and one level at a time, each step held again.
 */
export function createBrownout(opts: BrownoutOptions): Brownout {
  const sampleMs = opts.sampleMs ?? 500;
  const lagExit = opts.lagExitRatio ?? 0.5;
  const inFlightExit = opts.inFlightExitRatio ?? 0.8;
  const dwellMs = opts.minDwellMs ?? 5000;
  const halfLife = opts.lagHalfLifeMs ?? 1000;
  const minUtilization = opts.minUtilization ?? 0.5;
  const minInFlight = opts.minInFlight ?? 8;
  const startGraceMs = opts.startGraceMs ?? 0;
  const startDwellMs = opts.startDwellMs;
  const startPhaseMs = opts.startPhaseMs ?? 15_000;
  const now = opts.now ?? (() => performance.now());
  const signal = opts.signal ?? (opts.lagMs > 0 ? eventLoopSignal() : undefined);
  // Weight of the newest period in the smoothed delay, from the half-life.
  const alpha = halfLife > 0 ? 1 - 2 ** (-sampleMs / halfLife) : 1;
  const inFlightAt = INFLIGHT_SHARES.map((s) => s * opts.maxInFlight);

  const lagLevel = (ms: number, ratio: number): BrownoutLevel => {
    if (opts.lagMs <= 0) return 0;
    for (let l = 3; l >= 1; l--) if (ms >= opts.lagMs * LAG_FACTORS[l - 1] * ratio) return l as BrownoutLevel;
    return 0;
  };
  const inFlightLevel = (n: number, ratio: number): BrownoutLevel => {
    if (opts.maxInFlight <= 0) return 0;
    for (let l = 3; l >= 1; l--) if (n >= inFlightAt[l - 1] * ratio) return l as BrownoutLevel;
    return 0;
  };

  let inFlight = 0;
  // The most messages in flight at once in the current period.
  let peakInFlight = 0;
  let lastPeak = 0;
  let reading: LoadReading = { lagP99Ms: 0, utilization: 0 };
  let smoothed = 0;
  let previousSample: BrownoutLevel = 0;
  // The delay level both of the last two periods reached.
  let lagRise: BrownoutLevel = 0;
  let current: BrownoutLevel = 0;
  let changedAt = now();
  // When the first message entered (the start grace runs from it).
  let firstMessageAt: number | undefined;
  const warming = () => startGraceMs > 0 && (firstMessageAt === undefined || now() - firstMessageAt < startGraceMs);
  const dwellAt = (t: number) => (startDwellMs !== undefined && raisedByDelay && (firstMessageAt === undefined || t - firstMessageAt < startPhaseMs) ? startDwellMs : dwellMs);

  // Whether the level now was reached by the event-loop delay (the start dwell is for those).
  let raisedByDelay = false;
  const change = (to: BrownoutLevel, cause: BrownoutChange['cause'], t: number) => {
    const from = current;
    if (to > from) raisedByDelay = cause === 'event_loop_delay';
    const heldMs = t - changedAt;
    current = to;
    changedAt = t;
    opts.onChange?.({ from, to, cause, lagP99Ms: round(reading.lagP99Ms), utilization: round(reading.utilization, 100), peakInFlight: lastPeak, lagSmoothedMs: round(smoothed), inFlight, heldMs: Math.round(heldMs) });
  };
  const evaluate = () => {
    const byFlight = inFlightLevel(inFlight, 1);
    const rise = Math.max(lagRise, byFlight) as BrownoutLevel;
    if (rise > current) {
      change(rise, lagRise >= byFlight ? 'event_loop_delay' : 'in_flight', now());
      return;
    }
    if (current === 0) return;
    const hold = Math.max(lagRise, lagLevel(smoothed, lagExit), inFlightLevel(inFlight, inFlightExit));
    if (hold >= current) return;
    // With no dwell this steps straight down, still one logged change per level.
    for (let t = now(); current > hold && t - changedAt >= dwellAt(t); ) change((current - 1) as BrownoutLevel, 'recovered', t);
  };
  const tick = () => {
    if (signal && opts.lagMs > 0) {
      reading = signal.read();
      lastPeak = peakInFlight;
      peakInFlight = inFlight;
      const own = reading.utilization >= minUtilization && lastPeak >= minInFlight && !warming() ? reading.lagP99Ms : 0;
      smoothed += alpha * (own - smoothed);
      const sample = lagLevel(own, 1);
      lagRise = Math.min(sample, previousSample) as BrownoutLevel;
      previousSample = sample;
    }
    evaluate();
  };
  const schedule =
    opts.schedule ??
    ((fn: () => void, ms: number) => {
      const timer = setInterval(fn, ms);
      timer.unref();
      return () => clearInterval(timer);
    });
  const stop = schedule(tick, sampleMs);

  return {
    level: () => current,
    sheds(customer) {
      if (customer.kind === 'prime') return false;
      return customer.kind === 'guest' ? current >= 2 : current >= 3;
    },
    skipsTier3: () => current >= 1,
    skipped: (dependency) => opts.onSkipped?.(dependency),
    enter() {
      firstMessageAt ??= now();
      inFlight++;
      if (inFlight > peakInFlight) peakInFlight = inFlight;
      // Per message: only a count and a comparison unless a threshold is crossed.
      if (current < 3 && opts.maxInFlight > 0 && inFlight >= inFlightAt[current]) evaluate();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        inFlight--;
        if (current > 0) evaluate();
      };
    },
    status: () => ({ level: current, inFlight, lagP99Ms: round(reading.lagP99Ms), lagSmoothedMs: round(smoothed), utilization: round(reading.utilization, 100), peakInFlight: lastPeak, atLevelMs: Math.round(now() - changedAt) }),
    close() {
      stop();
      signal?.close();
    },
  };
}

/**
 * Readings of this process's event loop: delay p99 and utilization, per period read.
 *
 * The delay is measured here, not with monitorEventLoopDelay: that histogram drops the first
 * interval after each reset, and a saturated loop turns only once or twice per 500 ms period, so
 * under the heaviest load whole periods read 0 ms (seen at 300 messages/s offered). A 10 ms probe
 * timer records how late it runs; a probe still overdue when the period is read (the loop was
 * busy across the boundary) counts as the period's delay too.
 */
export function eventLoopSignal(resolutionMs = 10): LoadSignal {
  const histogram = createHistogram();
  let due = performance.now() + resolutionMs;
  const probe = setInterval(() => {
    const t = performance.now();
    // µs, at least 1 (the histogram's floor).
    histogram.record(Math.max(1, Math.round((t - due) * 1000)));
    due = t + resolutionMs;
  }, resolutionMs);
  probe.unref();
  let last = performance.eventLoopUtilization();
  return {
    read() {
      const overdue = performance.now() - due;
      const lagP99Ms = Math.max(histogram.count > 0 ? histogram.percentile(99) / 1000 : 0, overdue);
      histogram.reset();
      const at = performance.eventLoopUtilization();
      const { utilization } = performance.eventLoopUtilization(at, last);
      last = at;
      return { lagP99Ms, utilization };
    },
    close: () => clearInterval(probe),
  };
}

const round = (x: number, per = 10) => Math.round(x * per) / per;
