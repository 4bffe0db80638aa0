import type { CallOptions } from '../../shared/call.ts';
import type { Decision, RateLimiter, TakeRequest } from './types.ts';

/** Where decisions are being made: the shared primary, or this node's local limiter. */
export type LimiterMode = 'primary' | 'fallback';

/** Options of the fallback limiter. */
export interface FallbackLimiterOptions {
  /** The shared limiter (Redis). */
  primary: RateLimiter;
  /** Decides while the primary is failing (in-process). */
  local: RateLimiter;
  /** A primary decision not answered in this time is made locally. */
  timeoutMs: number;
  /** How long the primary is skipped after a failure before one request probes it again. */
  retryPrimaryAfterMs: number;
  /** Rewrites each request for the local limiter, e.g. to this node's share of a global limit. @default identity */
  localRule?: (req: TakeRequest) => TakeRequest;
  /** Called on every change of mode, with the error that caused a switch to 'fallback'. */
  onModeChange?: (mode: LimiterMode, error?: unknown) => void;
  /** Clock in epoch ms, for `retryPrimaryAfterMs`. @default Date.now */
  now?: () => number;
}

/** Raised into `onModeChange` when the primary did not answer within `timeoutMs`. */
export class LimiterTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`rate limiter primary did not answer within ${timeoutMs} ms`);
    this.name = 'LimiterTimeoutError';
  }
}

/**
 * Uses the primary while it answers in time and falls back to the local limiter when it does not,
 * so an outage of Redis neither lets every message through nor refuses them all. After a failure
 * the primary is skipped for `retryPrimaryAfterMs` (no timeout paid per message), then a single
 * request probes it while the others stay local. A decision that timed out may still have been
 * charged by the primary: during a switch a message can be counted twice, never zero times.
 */
export function createFallbackLimiter(opts: FallbackLimiterOptions): RateLimiter & { mode(): LimiterMode; fallbackDecisions(): number } {
  const clock = opts.now ?? Date.now;
  const localRule = opts.localRule ?? ((req: TakeRequest) => req);
  let mode: LimiterMode = 'primary';
  let failedAt = 0;
  let probing = false;
  let fallbacks = 0;

  function setMode(next: LimiterMode, error?: unknown): void {
    if (next === mode) return;
    mode = next;
    opts.onModeChange?.(next, error);
  }

  function decideLocally(requests: TakeRequest[], callOpts?: CallOptions): Promise<Decision> {
    fallbacks++;
    return opts.local.take(requests.map(localRule), callOpts);
  }

  return {
    name: `${opts.primary.name}+${opts.local.name}`,
    async take(requests: TakeRequest[], callOpts?: CallOptions): Promise<Decision> {
      callOpts?.signal?.throwIfAborted();
      if (mode === 'fallback' && (probing || clock() - failedAt < opts.retryPrimaryAfterMs)) {
        return decideLocally(requests, callOpts);
      }
      const probe = mode === 'fallback';
      probing ||= probe;
      try {
        const decision = await withTimeout(opts.primary, requests, opts.timeoutMs, callOpts?.signal);
        // Only the probe switches back: a late success of a request sent before the failure
        // must not cut the pause short.
        if (probe) setMode('primary');
        return decision;
      } catch (error) {
        // The caller gave up: says nothing about the primary's health.
        if (callOpts?.signal?.aborted) throw callOpts.signal.reason;
        failedAt = clock();
        setMode('fallback', error);
        return decideLocally(requests, callOpts);
      } finally {
        if (probe) probing = false;
      }
    },
    mode: () => mode,
    fallbackDecisions: () => fallbacks,
    async close() {
      await Promise.all([opts.primary.close(), opts.local.close()]);
    },
  };
}

/**
 * The primary's decision, or a LimiterTimeoutError after `timeoutMs`. The timer races the reply
 * instead of trusting the primary to honour its signal: a hung connection may never settle.
 */
function withTimeout(primary: RateLimiter, requests: TakeRequest[], timeoutMs: number, callerSignal?: AbortSignal): Promise<Decision> {
  const controller = new AbortController();
  const signal = callerSignal ? AbortSignal.any([controller.signal, callerSignal]) : controller.signal;
  return new Promise<Decision>((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    const timer = setTimeout(() => controller.abort(new LimiterTimeoutError(timeoutMs)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    primary.take(requests, { signal }).then(
      (decision) => finish(() => resolve(decision)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
