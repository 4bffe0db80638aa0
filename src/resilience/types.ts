/** Why a guarded call did not return a value. Stable strings: they label metrics and `degraded`. */
export type FailureReason =
  | 'timeout' // the call's deadline passed
  | 'error' // the dependency failed
  | 'breaker_open' // its circuit breaker is open: failed fast without calling
  | 'bulkhead_full' // no slot and the wait queue is full, or the checkout timeout passed
  | 'budget' // the message's time budget was already spent
  | 'shed'; // skipped on purpose under overload (brownout)

/** Thrown by a guard when the call did not succeed. `cause` holds the dependency's own error. */
export class DependencyError extends Error {
  readonly dependency: string;
  readonly reason: FailureReason;
  constructor(dependency: string, reason: FailureReason, options?: { cause?: unknown; message?: string }) {
    super(options?.message ?? `${dependency}: ${reason}`, { cause: options?.cause });
    this.name = 'DependencyError';
    this.dependency = dependency;
    this.reason = reason;
  }
}

/** A fault added on purpose to one dependency (drills, tests). Applied before each attempt. */
export interface FaultSpec {
  /** Added delay before the real call, in ms. */
  latencyMs?: number;
  /** Share of attempts (0..1) that fail with an injected error. */
  errorRate?: number;
  /** Share of attempts (0..1) that hang until their deadline. */
  timeoutRate?: number;
  /** Every attempt fails at once, as if the dependency refused connections. */
  down?: boolean;
}

/** Circuit state of one dependency, as the admin endpoint and metrics report it. */
export type CircuitStateName = 'closed' | 'open' | 'half_open' | 'isolated';

/** What a guard reports about itself. */
export interface GuardStatus {
  dependency: string;
  circuit: CircuitStateName;
  /** Why it last opened: 'failures' or 'latency'. */
  openedBy?: 'failures' | 'latency';
  openedAt?: number;
  inUse: number;
  queued: number;
  concurrency: number;
  queueLimit: number;
  /** Rolling p99 of successful call durations over the latency window, ms (0 when no samples). */
  p99Ms: number;
  /** Retries allowed right now by the retry budget. */
  retryBudgetLeft: number;
  fault?: FaultSpec;
}

/** Runs calls to one dependency under its breaker, bulkhead, retries, deadline and faults. */
export interface DependencyGuard {
  readonly dependency: string;
  /**
   * Calls `run` with a signal that aborts at the deadline or when `opts.signal` aborts.
   * `deadlineMs` bounds the whole call, retries and backoff included. Retries happen only when
   * `idempotent` is true. Throws DependencyError on failure.
   */
  call<T>(run: (signal: AbortSignal) => Promise<T>, opts: { deadlineMs: number; signal?: AbortSignal; idempotent: boolean; onRetry?: (retry: number) => void }): Promise<T>;
  status(): GuardStatus;
  /** The circuit state alone (cheap, for the request path; `status()` also computes the p99). */
  circuit(): CircuitStateName;
}
