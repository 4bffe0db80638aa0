import type { Stopwatch } from './stopwatch.ts';

/**
 * Dependency tiers from the design documents: tier 1 down → a clear error; tier 2 down →
 * reduced capability; tier 3 down → nothing visible changes.
 */
export type Tier = 1 | 2 | 3;

/** The outcome of one downstream call: its value, or why it failed. */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; reason: 'timeout' | 'error' | 'budget'; error?: unknown };

/** What every downstream call of one message shares. */
export interface CallContext {
  /** Aborts when the customer goes away. */
  signal: AbortSignal;
  stopwatch: Stopwatch;
  /** Time budget of the message up to the first token, in ms. */
  budgetMs: number;
}

/**
 * Runs one downstream call under its own deadline: the smaller of the dependency's timeout and
 * what is left of the message's budget, so a slow dependency can never push the first token past
 * the objective. The promise is raced against the deadline as well as handed the signal, because
 * an adapter that ignores its signal must not hold the reply hostage. Failures are returned, not
 * thrown: the pipeline decides per tier what a failure means. The duration lands in the timings.
 */
export async function callDependency<T>(
  name: string,
  timeoutMs: number,
  ctx: CallContext,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<CallOutcome<T>> {
  const left = ctx.budgetMs - ctx.stopwatch.elapsed();
  const deadline = Math.min(timeoutMs, left);
  if (deadline <= 0) return { ok: false, reason: 'budget' };
  const timeout = new AbortController();
  const signal = AbortSignal.any([ctx.signal, timeout.signal]);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      timeout.abort(new DOMException(`${name} deadline of ${Math.round(deadline)} ms passed`, 'TimeoutError'));
      resolve('timeout');
    }, deadline);
  });
  try {
    const result = await Promise.race([run(signal).then((value) => ({ value })), expired]);
    if (result === 'timeout') return { ok: false, reason: 'timeout' };
    return { ok: true, value: result.value };
  } catch (error) {
    return { ok: false, reason: timeout.signal.aborted ? 'timeout' : 'error', error };
  } finally {
    clearTimeout(timer);
    ctx.stopwatch.record(name, performance.now() - started);
  }
}
