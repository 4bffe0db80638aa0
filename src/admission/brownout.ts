import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import type { Customer } from '../chat/pipeline.ts';

/** Brownout level: 0 normal, 1 tier-3 calls skipped, 2 guests shed too, 3 members shed too. */
export type BrownoutLevel = 0 | 1 | 2 | 3;

/** Port: how overloaded this process is, and what that means for one message. */
export interface Brownout {
  level(): BrownoutLevel;
  /** True when a message from this customer is to be refused now (Prime customers never are). */
  sheds(customer: Customer): boolean;
  /** True when tier-3 calls (promotions, reviews) are to be skipped. */
  skipsTier3(): boolean;
  /** Counts a message being answered; call the returned function when it is done. */
  enter(): () => void;
  status(): { level: BrownoutLevel; inFlight: number; lagP99Ms: number };
  close(): void;
}

export interface BrownoutOptions {
  /** Event-loop delay p99 (ms) at which level 1 starts; 2x → level 2, 4x → level 3. */
  lagMs: number;
  /** Messages in flight at which levels start: 60% → 1, 80% → 2, 95% → 3. */
  maxInFlight: number;
  /** How often the event-loop delay is sampled. @default 500 */
  sampleMs?: number;
  /** Reads the event-loop delay p99 of the last sample period (tests inject it). */
  lagProbe?: () => number;
  onLevel?: (level: BrownoutLevel) => void;
}

/**
 * Brownout from two signals. Event-loop delay is the overload signal that matters for Node: a
 * saturated CPU shows up there before anywhere else, and every message's first token waits on it.
 * Messages in flight guard memory when downstream waits pile up without CPU load. The level rises
 * when two samples in a row reach it and falls one step per sample period, so it does not flap.
 */
export function createBrownout(opts: BrownoutOptions): Brownout {
  const sampleMs = opts.sampleMs ?? 500;
  let histogram: ELDHistogram | undefined;
  let probe = opts.lagProbe;
  if (!probe) {
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const h = histogram;
    probe = () => {
      const p99 = h.percentile(99) / 1e6;
      h.reset();
      return p99;
    };
  }
  let inFlight = 0;
  let lagP99 = 0;
  let lagLevel: BrownoutLevel = 0;
  let current: BrownoutLevel = 0;

  const inFlightLevel = (): BrownoutLevel => {
    const share = opts.maxInFlight > 0 ? inFlight / opts.maxInFlight : 0;
    return share >= 0.95 ? 3 : share >= 0.8 ? 2 : share >= 0.6 ? 1 : 0;
  };
  const update = () => {
    const next = Math.max(lagLevel, inFlightLevel()) as BrownoutLevel;
    if (next !== current) {
      current = next;
      opts.onLevel?.(current);
    }
  };
  let previous: BrownoutLevel = 0;
  const timer = setInterval(() => {
    lagP99 = probe!();
    const sample: BrownoutLevel = opts.lagMs <= 0 ? 0 : lagP99 >= opts.lagMs * 4 ? 3 : lagP99 >= opts.lagMs * 2 ? 2 : lagP99 >= opts.lagMs ? 1 : 0;
    // A level counts once two samples in a row reach it: one garbage-collection pause must not
    // shed every guest for a second.
    const sustained = Math.min(sample, previous) as BrownoutLevel;
    previous = sample;
    lagLevel = sustained >= lagLevel ? sustained : ((lagLevel - 1) as BrownoutLevel);
    update();
  }, sampleMs);
  timer.unref();

  return {
    level: () => current,
    sheds(customer) {
      if (customer.kind === 'prime') return false;
      return customer.kind === 'guest' ? current >= 2 : current >= 3;
    },
    skipsTier3: () => current >= 1,
    enter() {
      inFlight++;
      update();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        inFlight--;
        update();
      };
    },
    status: () => ({ level: current, inFlight, lagP99Ms: Math.round(lagP99 * 10) / 10 }),
    close() {
      clearInterval(timer);
      histogram?.disable();
    },
  };
}
