import { abortableSleep } from './abort.ts';
import { startDeadline } from './deadline-timer.ts';
import { backoffDelay } from './backoff.ts';
import { NotCounted, createBreaker, type BreakerOptions } from './breaker.ts';
import { createBulkhead } from './bulkhead.ts';
import type { FaultInjector } from './faults.ts';
import { createRetryBudget } from './retry-budget.ts';
import { DependencyError, type CircuitStateName, type DependencyGuard, type FailureReason, type GuardStatus } from './types.ts';

/** What a guard reports as it works; metrics hook onto it. */
export interface GuardEvent {
  type: 'retry' | 'failure' | 'success' | 'circuit';
  dependency: string;
  /** 'failure': why the call failed; 'retry': why the attempt before it failed. */
  reason?: FailureReason;
  /** 'circuit': the new state. */
  state?: CircuitStateName;
  /** 'success' and 'failure': the whole call, retries included, ms. */
  durationMs?: number;
  /** 'retry': its number, from 1. */
  attempt?: number;
}

/** Options of one dependency's guard. */
export interface GuardOptions {
  dependency: string;
  /** Injected faults, applied before every attempt. */
  faults: FaultInjector;
  retry: {
    /** Retries after the first attempt, idempotent calls only. */
    maxRetries: number;
    /** Cap of the first retry's full-jitter delay, ms; doubles per retry. */
    baseMs: number;
    /** Largest delay cap, ms. */
    maxMs: number;
    /** Retry budget of the dependency: retries <= minPerSec * window + ratio * calls. */
    budget: { ratio: number; minPerSec: number; windowMs: number };
    /** A retry is only worth it if at least this long is left for it after its delay, ms. @default 20 */
    minAttemptMs?: number;
  };
  /** Circuit breaker of this dependency (failure ratio and latency), see BreakerOptions. */
  breaker: Omit<BreakerOptions, 'dependency' | 'now'>;
  bulkhead: {
    /** Calls in flight at once (pool size). */
    concurrency: number;
    /** Calls waiting for a slot; more are refused at once. */
    queue: number;
    /** Longest wait for a slot, ms. */
    checkoutTimeoutMs: number;
  };
  /** Receives every event of this guard. */
  events?: (e: GuardEvent) => void;
  /** Clock, ms; cockatiel's breaker reads Date.now itself, and the deadline is a real timer. @default Date.now */
  now?: () => number;
  /** Source of the backoff jitter. @default Math.random */
  random?: () => number;
  /** Abortable backoff wait. @default a timer */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * One 'abort' listener per caller signal, however many guarded calls are waiting on it: a message
 * makes ~8 calls under the same signal (the connection's, or the speculative retrieval's composite
 * one), and adding and removing an EventTarget listener per call (a composite signal also starts
 * following its sources on each add) was a visible share of every call. Each call adds its
 * callback to the signal's set and takes it out when it settles; the listener runs the callbacks
 * still there, in the order their calls began.
 */
const callerAborts = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `cb` when `signal` aborts (unless the returned function was called first). */
function onCallerAbort(signal: AbortSignal, cb: () => void): () => void {
  let waiting = callerAborts.get(signal);
  if (!waiting) {
    const set = new Set<() => void>();
    waiting = set;
    callerAborts.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        callerAborts.delete(signal);
        // A callback ends its call's deadline and wait; neither throws (the deadline signal's own
        // listeners are isolated by its dispatch).
        for (const f of set) f();
        set.clear();
      },
      { once: true },
    );
  }
  waiting.add(cb);
  const set = waiting;
  return () => void set.delete(cb);
}

/** Where the attempt in flight waits on its adapter: `reject` ends that wait when the call is aborted. */
interface Race {
  reject: ((reason: unknown) => void) | undefined;
}

/** A guard whose events can also be followed after creation. */
export interface ObservedGuard extends DependencyGuard {
  /** Adds an event listener; returns the unsubscribe function. */
  onEvent(cb: (e: GuardEvent) => void): () => void;
}

/**
 * One dependency's guard. Per call: one deadline for the whole call, retries and backoff
 * included. Per attempt: breaker → bulkhead checkout → injected faults → `run(signal)`, the
 * attempt racing the deadline so an adapter that ignores its signal cannot hold the caller.
 * Only idempotent calls retry, only after a dependency error, at most `maxRetries` times, only
 * while the retry budget allows and the backoff plus `minAttemptMs` fits before the deadline.
 */
export function createDependencyGuard(opts: GuardOptions): ObservedGuard {
  const { dependency, faults } = opts;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? abortableSleep;
  const { maxRetries, baseMs, maxMs } = opts.retry;
  const minAttemptMs = opts.retry.minAttemptMs ?? 20;
  const budget = createRetryBudget({ ...opts.retry.budget, now });
  const bulkhead = createBulkhead({ dependency, ...opts.bulkhead });
  const breaker = createBreaker({ dependency, ...opts.breaker, now });

  const listeners = new Set<(e: GuardEvent) => void>();
  if (opts.events) listeners.add(opts.events);
  // Built field by field: a spread of the event into a new object was one per call.
  const emit = (type: GuardEvent['type'], fields: { reason?: FailureReason; state?: CircuitStateName; durationMs?: number; attempt?: number }) => {
    if (listeners.size === 0) return;
    const e: GuardEvent = { type, dependency };
    if (fields.reason !== undefined) e.reason = fields.reason;
    if (fields.state !== undefined) e.state = fields.state;
    if (fields.durationMs !== undefined) e.durationMs = fields.durationMs;
    if (fields.attempt !== undefined) e.attempt = fields.attempt;
    for (const cb of listeners) cb(e);
  };
  breaker.onStateChange((change) => emit('circuit', { state: change.state }));

  const ownRefusal = (error: unknown): error is DependencyError =>
    error instanceof DependencyError && error.dependency === dependency && (error.reason === 'breaker_open' || error.reason === 'bulkhead_full');

  /**
   * One attempt under breaker, bulkhead and faults. It settles when `signal` aborts: the checkout,
   * the injected faults and the race around `run` all honour it, and the breaker never parks a
   * call (half-open refuses at once). Not racing the whole attempt once more means the breaker
   * has counted an attempt before its caller hears of it, so the next call sees the new state.
   */
  const attempt = <T>(run: (signal: AbortSignal) => Promise<T>, signal: AbortSignal, caller: AbortSignal | undefined, race: Race): Promise<T> => {
    const callerGone = (error: unknown) => (caller?.aborted ? new NotCounted(error) : error);
    return breaker.execute(async () => {
      let release: () => void;
      try {
        release = await bulkhead.acquire(signal);
      } catch (error) {
        // A full pool or a wait cut short is local: it says nothing about the dependency's health.
        throw new NotCounted(error);
      }
      const started = now();
      let running: Promise<T>;
      try {
        // Nearly always no fault is set: then nothing to wait for (an await is a microtask hop per call).
        if (faults.get(dependency)) await faults.apply(dependency, signal);
        running = run(signal);
      } catch (error) {
        release();
        throw callerGone(error);
      }
      // The slot stays taken until the adapter really settles, even after the caller stopped
      // waiting: it is still a connection in use, and the pool must not overcommit the dependency.
      running.then(release, release);
      if (signal.aborted) {
        running.catch(() => {}); // its later rejection must not become an unhandled one
        throw callerGone(signal.reason);
      }
      try {
        // Settles like `running`, or rejects with the signal's reason when the call is aborted
        // first (the deadline's own abort calls race.reject: no listener on the signal per attempt).
        const value = await new Promise<T>((resolve, reject) => {
          race.reject = reject;
          running.then(resolve, reject);
        });
        return { value, durationMs: now() - started };
      } catch (error) {
        throw callerGone(error);
      } finally {
        race.reject = undefined;
      }
    });
  };

  return {
    dependency,
    async call<T>(run: (signal: AbortSignal) => Promise<T>, callOpts: { deadlineMs: number; signal?: AbortSignal; idempotent: boolean; onRetry?: (retry: number) => void }): Promise<T> {
      const { deadlineMs, signal: caller, idempotent } = callOpts;
      if (caller?.aborted) throw caller.reason;
      const started = now();
      if (!(deadlineMs > 0)) {
        emit('failure', { reason: 'budget', durationMs: 0 });
        throw new DependencyError(dependency, 'budget', { message: `${dependency}: no time left for the call (deadline ${deadlineMs} ms)` });
      }
      budget.recordRequest();
      const deadlineAt = started + deadlineMs;
      const deadline = new AbortController();
      const race: Race = { reject: undefined };
      // Every abort of the call goes through here: the signal's listeners (the adapter's) first,
      // then the attempt waiting on the adapter, with the signal's first reason.
      const abortCall = (reason: unknown) => {
        deadline.abort(reason);
        race.reject?.(deadline.signal.reason);
      };
      // The deadline judges the dependency, not this process. A turn of our own event loop longer
      // than the deadline (a just-restarted node's first message runs cold code; a busy machine
      // stretches it) can end with the answer already waiting on the socket, and timers run before
      // I/O in a loop iteration: the timer would fail a call whose answer came in time. So an
      // expired deadline waits one setImmediate (after the I/O phase) and fires only if the call
      // is still unsettled. A dependency that has not answered still fails right after that turn.
      let settled = false;
      const timer = startDeadline(deadlineMs, () =>
        setImmediate(() => {
          if (!settled) abortCall(new DependencyError(dependency, 'timeout', { message: `${dependency}: deadline of ${deadlineMs} ms passed` }));
        }),
      );
      const stopFollowing = caller ? onCallerAbort(caller, () => abortCall(caller.reason)) : undefined;

      // Maps whatever an attempt threw to what the caller gets; `undefined` reason: the caller left.
      const outcome = (error: unknown): { error: unknown; reason?: FailureReason } => {
        if (caller?.aborted) return { error: caller.reason };
        if (deadline.signal.aborted) {
          const reason = deadline.signal.reason as DependencyError;
          // Usually the deadline's own reason; anything else (a late adapter error) is kept.
          const cause = error === reason ? undefined : error;
          return { error: new DependencyError(dependency, 'timeout', { message: reason.message, cause }), reason: 'timeout' };
        }
        if (ownRefusal(error)) return { error, reason: error.reason };
        const text = error instanceof Error ? error.message : String(error);
        const message = text.startsWith(`${dependency}:`) ? text : `${dependency}: ${text}`;
        return { error: new DependencyError(dependency, 'error', { message, cause: error }), reason: 'error' };
      };
      // Reports the call's failure and gives back what to throw.
      const failed = (failure: { error: unknown; reason?: FailureReason }): unknown => {
        if (failure.reason) emit('failure', { reason: failure.reason, durationMs: now() - started });
        return failure.error;
      };

      try {
        for (let retry = 1; ; retry++) {
          try {
            const value = await attempt(run, deadline.signal, caller, race);
            emit('success', { durationMs: now() - started });
            return value;
          } catch (error) {
            const failure = outcome(error);
            // Only a dependency error may be retried: an open circuit or a full pool would refuse
            // again, a passed deadline leaves no time, a caller who left wants nothing. Nor is a
            // failure that just opened the circuit (or failed its probe): the retry would only
            // meet the open circuit and hide the real reason.
            if (failure.reason !== 'error' || !idempotent || retry > maxRetries || breaker.state() !== 'closed') throw failed(failure);
            const delayMs = backoffDelay(retry, { baseMs, maxMs }, random);
            if (deadlineAt - now() < delayMs + minAttemptMs) throw failed(failure);
            // Asked last, so a retry that would not happen anyway spends nothing.
            if (!budget.tryRetry()) throw failed(failure);
            emit('retry', { reason: failure.reason, attempt: retry });
            callOpts.onRetry?.(retry);
            try {
              await sleep(delayMs, deadline.signal);
            } catch (sleepError) {
              throw failed(outcome(sleepError));
            }
          }
        }
      } finally {
        settled = true;
        timer.clear();
        stopFollowing?.();
      }
    },
    circuit: () => breaker.state(),
    status(): GuardStatus {
      const fault = faults.get(dependency);
      const openedBy = breaker.openedBy();
      const openedAt = breaker.openedAt();
      return {
        dependency,
        circuit: breaker.state(),
        ...(openedBy ? { openedBy } : {}),
        ...(openedAt !== undefined ? { openedAt } : {}),
        inUse: bulkhead.inUse(),
        queued: bulkhead.queued(),
        concurrency: bulkhead.concurrency,
        queueLimit: bulkhead.queueLimit,
        p99Ms: breaker.p99(),
        retryBudgetLeft: budget.left(),
        ...(fault ? { fault } : {}),
      };
    },
    onEvent(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
