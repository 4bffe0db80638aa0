import {
  BrokenCircuitError,
  CircuitState,
  IsolatedCircuitError,
  SamplingBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
  type IBreaker,
} from 'cockatiel';
import { createLatencyWindow } from './latency-window.ts';
import { DependencyError, type CircuitStateName } from './types.ts';

/** Options of one dependency's circuit breaker. */
export interface BreakerOptions {
  /** Dependency name, for the errors. */
  dependency: string;
  /** Share of failed calls in `windowMs` that opens the circuit, in (0, 1). */
  failureRatio: number;
  /** Window over which failures are counted, ms. */
  windowMs: number;
  /** Calls per second needed in the window before the failure ratio counts. */
  minimumRps: number;
  /** How long an open circuit fails fast before one half-open probe, ms. */
  openMs: number;
  /** p99 of successful calls that, sustained for `latencyWindowMs`, opens the circuit; unset: no latency breaker. */
  latencyP99Ms?: number;
  /** Window of the rolling p99, and how long it must stay slow, ms. */
  latencyWindowMs: number;
  /** Successful calls needed in the latency window before its p99 counts. */
  latencyMinSamples: number;
  /** Clock for the latency window and `openedAt`, ms; cockatiel itself reads Date.now. @default Date.now */
  now?: () => number;
}

/** What an attempt run under the breaker resolves to: its value and how long the dependency took. */
export interface TimedResult<T> {
  value: T;
  durationMs: number;
}

/**
 * Thrown by an attempt for an outcome that says nothing about the dependency's health (no pool
 * slot, caller gone): the breaker does not count it, and rethrows `error`. A half-open probe is
 * the exception: it gave no proof of recovery, so it re-opens the circuit.
 */
export class NotCounted extends Error {
  readonly error: unknown;
  constructor(error: unknown) {
    // A wrapper that never leaves the breaker (execute rethrows `error`): its own stack is never
    // read, and every call cut short (caller gone, no pool slot) built one.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super('outcome not counted by the circuit breaker', { cause: error });
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'NotCounted';
    this.error = error;
  }
}

/** State change of a circuit, as reported to listeners. */
export interface CircuitChange {
  state: CircuitStateName;
  openedBy?: 'failures' | 'latency';
}

/** One dependency's circuit breaker. */
export interface DependencyBreaker {
  /**
   * Runs `fn` unless the circuit is open (or half-open with its probe in flight), in which case it
   * throws DependencyError(dependency, 'breaker_open') without calling.
   */
  execute<T>(fn: () => Promise<TimedResult<T>>): Promise<T>;
  state(): CircuitStateName;
  /** Why the circuit last opened. */
  openedBy(): 'failures' | 'latency' | undefined;
  /** When the circuit last opened, ms (`now`). */
  openedAt(): number | undefined;
  /** Rolling p99 of successful calls, ms. */
  p99(): number;
  /** Calls `cb` on every state change; returns the unsubscribe function. */
  onStateChange(cb: (change: CircuitChange) => void): () => void;
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/** A probe's NotCounted, which the error filter must count as a failure. */
class ProbeNotCounted extends NotCounted {}

// Slow successes are returned to cockatiel wrapped in this, so its result filter can mark them
// as failures while the caller still gets the value.
interface Verdict<T> {
  value: T;
  slow: boolean;
}

/**
 * A circuit breaker on cockatiel's CircuitBreakerPolicy (open period, single half-open probe,
 * events) with a composite IBreaker: cockatiel's SamplingBreaker for the failure ratio, and a
 * latency breaker that opens when the p99 of successful calls has stayed above `latencyP99Ms`
 * throughout `latencyWindowMs` (seed 001: reranker p99 > 500 ms for 30 s).
 *
 * Cockatiel asks its IBreaker only about failures, so a slow *success* could never open it. Each
 * success therefore goes through a result filter: while the latency breaker trips (or, for a
 * half-open probe, when the probe itself is slower than the threshold) the result is marked as a
 * failure. Cockatiel then calls `failure()` and opens the circuit, yet still returns the value to
 * the caller. This was chosen over `isolate()`: an isolated circuit never goes half-open on its
 * own, so recovery would need a hand-made timer and probe; the result filter keeps cockatiel's
 * own open → half-open → closed cycle, with the probe judged on both errors and latency.
 */
export function createBreaker(opts: BreakerOptions): DependencyBreaker {
  const { dependency, latencyP99Ms, latencyMinSamples } = opts;
  const now = opts.now ?? Date.now;
  const latency = createLatencyWindow({ windowMs: opts.latencyWindowMs, now });
  const sampling = new SamplingBreaker({ threshold: opts.failureRatio, duration: opts.windowMs, minimumRps: opts.minimumRps });
  let openedBy: 'failures' | 'latency' | undefined;
  let openedAt: number | undefined;
  let policy: CircuitBreakerPolicy;

  const composite: IBreaker = {
    get state() {
      return sampling.state;
    },
    set state(value) {
      sampling.state = value;
    },
    success(state) {
      sampling.success(state);
      // Cockatiel reports HalfOpen success only when the probe closes the circuit: the slow
      // samples that opened it must not open it again right away.
      if (state === CircuitState.HalfOpen) latency.reset();
    },
    failure(state) {
      // Cockatiel stores the failure in lastFailure just before asking; a marked result (rather
      // than an error) is a slow success.
      const last = policy.lastFailure;
      if (last && 'value' in last) {
        openedBy = 'latency';
        return true;
      }
      const open = sampling.failure(state);
      if (open) openedBy = 'failures';
      return open;
    },
  };

  policy = circuitBreaker(
    handleWhen((error) => !(error instanceof NotCounted) || error instanceof ProbeNotCounted).orWhenResult((r) => (r as Verdict<unknown>).slow),
    { halfOpenAfter: opts.openMs, breaker: composite },
  );

  const listeners = new Set<(change: CircuitChange) => void>();
  policy.onStateChange((state) => {
    if (state === CircuitState.Open) openedAt = now();
    const change: CircuitChange = { state: STATE_NAMES[state], ...(state === CircuitState.Open ? { openedBy } : {}) };
    for (const cb of listeners) cb(change);
  });

  const tripped = (): boolean =>
    latencyP99Ms !== undefined && latency.count() >= latencyMinSamples && latency.sustainedAbove(latencyP99Ms);

  return {
    async execute<T>(fn: () => Promise<TimedResult<T>>): Promise<T> {
      // Cockatiel parks the calls that arrive while its probe is in flight until the probe's
      // verdict; failing them fast keeps half-open to exactly one call on the dependency.
      if (policy.state === CircuitState.HalfOpen) throw new DependencyError(dependency, 'breaker_open', { message: `${dependency}: circuit half-open, probe in flight` });
      try {
        const verdict = await policy.execute(async (): Promise<Verdict<T>> => {
          // Read when the attempt starts: cockatiel moved to HalfOpen just before calling us.
          const probe = policy.state === CircuitState.HalfOpen;
          let result: TimedResult<T>;
          try {
            result = await fn();
          } catch (error) {
            if (probe && error instanceof NotCounted) throw new ProbeNotCounted(error.error);
            throw error;
          }
          latency.record(result.durationMs);
          const slow = probe ? latencyP99Ms !== undefined && result.durationMs > latencyP99Ms : tripped();
          return { value: result.value, slow };
        });
        return verdict.value;
      } catch (error) {
        if (error instanceof NotCounted) throw error.error;
        if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
          throw new DependencyError(dependency, 'breaker_open', { cause: error });
        }
        throw error;
      }
    },
    state: () => STATE_NAMES[policy.state],
    openedBy: () => openedBy,
    openedAt: () => openedAt,
    p99: () => latency.p99(),
    onStateChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
