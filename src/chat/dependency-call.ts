import type { Stopwatch } from './stopwatch.ts';
import { DependencyError, type DependencyGuard, type FailureReason } from '../resilience/types.ts';

/**
 * Dependency tiers from the design documents: tier 1 down → a clear error; tier 2 down →
 * reduced capability; tier 3 down → nothing visible changes.
 */
export type Tier = 1 | 2 | 3;

/** The outcome of one downstream call: its value, or why it failed. */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; reason: FailureReason; error?: unknown };

/** What every downstream call of one message shares. */
export interface CallContext {
  /** Aborts when the customer goes away. */
  signal: AbortSignal;
  stopwatch: Stopwatch;
  /** Time budget of the message up to the first token, in ms. */
  budgetMs: number;
}

/**
 * Time kept back from every deadline so that, when a call runs into it, there is still time to
 * write the fallback before the first-token objective passes.
 */
export const FALLBACK_RESERVE_MS = 25;

/**
 * Runs one downstream call through its dependency's guard (breaker, pool, retries, injected
 * faults) under a deadline: the smaller of the dependency's timeout and what is left of the
 * message's budget, so a slow dependency can never push the first token past the objective.
 * Failures are returned, not thrown: the pipeline decides per tier what a failure means. The
 * duration lands in the timings under `segment` (default: the dependency's name).
 */
export async function callDependency<T>(
  guard: DependencyGuard,
  timeoutMs: number,
  ctx: CallContext,
  run: (signal: AbortSignal) => Promise<T>,
  opts: { segment?: string; idempotent?: boolean } = {},
): Promise<CallOutcome<T>> {
  const left = ctx.budgetMs - FALLBACK_RESERVE_MS - ctx.stopwatch.elapsed();
  const deadlineMs = Math.min(timeoutMs, left);
  if (deadlineMs <= 0) return { ok: false, reason: 'budget' };
  const segment = opts.segment ?? guard.dependency;
  const attributes = { 'dependency.name': guard.dependency, 'segment.name': segment, 'breaker.state': guard.circuit(), 'deadline.ms': Math.round(deadlineMs) };
  // One span per call, its retries included.
  return ctx.stopwatch.trace.call(`dependency ${guard.dependency}`, attributes, async (span) => {
    let retries = 0;
    const started = performance.now();
    let outcome: CallOutcome<T>;
    try {
      outcome = { ok: true, value: await guard.call(run, { deadlineMs, signal: ctx.signal, idempotent: opts.idempotent ?? true, onRetry: (n) => (retries = n) }) };
    } catch (error) {
      outcome = error instanceof DependencyError ? { ok: false, reason: error.reason, error: error.cause ?? error } : { ok: false, reason: 'error', error };
    }
    span.set({ outcome: outcome.ok ? 'ok' : outcome.reason, 'retry.count': retries, cancelled: ctx.signal.aborted });
    if (!outcome.ok) span.fail(outcome.reason);
    // A call cancelled on purpose (speculation not needed, customer gone) is not a segment of the reply.
    if (!ctx.signal.aborted) ctx.stopwatch.record(segment, performance.now() - started, { span: false });
    return outcome;
  });
}
