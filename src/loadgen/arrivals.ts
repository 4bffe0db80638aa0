import type { Phase } from './profile.ts';
import { phaseRates } from './phases.ts';
import type { Rng } from './random.ts';

/** One scheduled session start of the open model. */
export interface Arrival {
  /** Intended start, ms since the start of the run. */
  atMs: number;
  phaseIndex: number;
}

/**
 * The session starts of the open model, computed from the phases alone (never from how the
 * server is doing). The rate is piecewise linear, so its integral Λ(t) is piecewise quadratic;
 * the k-th start is where Λ reaches a target count: k + ½ for `uniform` (exactly the integral's
 * count per phase: hold 50/s for 60 s gives 3,000), or a sum of Exp(1) steps for `poisson`
 * (a Poisson process at the same, time-varying rate, by time rescaling). Written by hand because
 * no arrival-process library handles ramps; it is a pure function of phases and seed, which is
 * what makes it testable without a clock.
 */
export class ArrivalSchedule {
  private readonly phases: Phase[];
  private readonly poisson: boolean;
  private readonly rng: Rng | undefined;
  private target: number;
  private phase = 0;
  /** Λ at the start of `this.phase`, and that phase's start time. */
  private countAtPhaseStart = 0;
  private phaseStartMs = 0;

  constructor(phases: Phase[], kind: 'uniform' | 'poisson', rng?: Rng) {
    if (kind === 'poisson' && !rng) throw new Error('poisson arrivals need a random source');
    this.phases = phases;
    this.poisson = kind === 'poisson';
    this.rng = rng;
    this.target = this.step() - (this.poisson ? 0 : 0.5);
  }

  private step(): number {
    return this.poisson ? -Math.log(1 - this.rng!.float()) : 1;
  }

  /** The next start, or undefined once the phases are over. */
  next(): Arrival | undefined {
    while (this.phase < this.phases.length) {
      const p = this.phases[this.phase];
      const { from: a, to: b } = phaseRates(p);
      const d = p.durationS;
      const area = ((a + b) / 2) * d;
      const want = this.target - this.countAtPhaseStart;
      if (want < area) {
        this.target += this.step();
        return { atMs: this.phaseStartMs + solve(a, b, d, want) * 1000, phaseIndex: this.phase };
      }
      this.countAtPhaseStart += area;
      this.phaseStartMs += d * 1000;
      this.phase++;
    }
    return undefined;
  }
}

/** Time t (s) within a phase whose rate goes linearly a→b over d seconds where ∫₀ᵗ rate = n. */
function solve(a: number, b: number, d: number, n: number): number {
  const slope = (b - a) / d;
  if (Math.abs(slope) < 1e-12) return n / a;
  return (-a + Math.sqrt(Math.max(0, a * a + 2 * slope * n))) / slope;
}
