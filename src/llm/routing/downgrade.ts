import type { CallOutcomeKind, DowngradeMonitor } from './types.ts';

/** Options of the large model's downgrade monitor. */
export interface DowngradeMonitorOptions {
  /** A minute is bad when its timeout+throttle rate exceeds this. @default 0.05 */
  threshold?: number;
  /** Consecutive bad minutes to enter the downgrade. @default 2 */
  enterAfter?: number;
  /** Consecutive good minutes to leave it. @default 1 */
  leaveAfter?: number;
  /** Bucket length, ms. @default 60000 */
  bucketMs?: number;
  /** A bucket with fewer calls than this does not count either way. @default 20 */
  minCalls?: number;
  /** Clock, ms. @default Date.now */
  now?: () => number;
  /** Called synchronously when the state flips. */
  onChange?: (active: boolean) => void;
}

/**
 * Watches the large model's timeout and throttle rate per minute (the design: more than 5% for
 * 2 consecutive minutes moves simple intents to the small model until it recovers). Plain
 * errors are not counted: they are not a sign of an overloaded model and the fallback path
 * handles them per call.
 *
 * Decisions are taken on completed buckets only, lazily on the next record()/active() call, so
 * no timer runs. A bucket with fewer than `minCalls` calls (including the empty minutes of an
 * idle gap, however long) is neutral: it neither extends nor breaks a streak, so a quiet night
 * cannot flip the state on two unlucky calls, nor end a downgrade the model has not earned.
 */
export function createDowngradeMonitor(opts: DowngradeMonitorOptions = {}): DowngradeMonitor {
  const threshold = opts.threshold ?? 0.05;
  const enterAfter = opts.enterAfter ?? 2;
  const leaveAfter = opts.leaveAfter ?? 1;
  const bucketMs = opts.bucketMs ?? 60_000;
  const minCalls = opts.minCalls ?? 20;
  const now = opts.now ?? Date.now;
  if (!(bucketMs > 0)) throw new RangeError(`downgrade bucketMs must be > 0, got ${bucketMs}`);
  if (!(enterAfter >= 1) || !(leaveAfter >= 1)) throw new RangeError('downgrade enterAfter and leaveAfter must be >= 1');

  let active = false;
  let bucket = Math.floor(now() / bucketMs);
  let calls = 0;
  let bad = 0;
  /** Consecutive counted bad buckets while inactive, good buckets while active. */
  let streak = 0;

  const flip = (to: boolean) => {
    active = to;
    streak = 0;
    opts.onChange?.(to);
  };

  /** Closes the current bucket if time has moved past it; the skipped empty buckets are neutral. */
  const advance = () => {
    const b = Math.floor(now() / bucketMs);
    if (b <= bucket) return; // a clock stepping back keeps filling the current bucket
    if (calls >= minCalls) {
      const isBad = bad / calls > threshold;
      if (isBad !== active) {
        if (++streak >= (active ? leaveAfter : enterAfter)) flip(!active);
      } else {
        streak = 0;
      }
    }
    bucket = b;
    calls = 0;
    bad = 0;
  };

  return {
    record(outcome: CallOutcomeKind) {
      advance();
      calls++;
      if (outcome === 'timeout' || outcome === 'throttled') bad++;
    },
    active() {
      advance();
      return active;
    },
  };
}
