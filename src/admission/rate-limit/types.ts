import type { CallOptions } from '../../shared/call.ts';

/** A token bucket: holds at most `capacity` tokens, refilled continuously at `refillPerSec`. */
export interface BucketRule {
  capacity: number;
  refillPerSec: number;
  /**
   * How long an untouched bucket is kept, in ms. Default: the time it takes to refill to full
   * (after which a missing bucket and a full one are the same thing). Longer keeps "this key
   * has been seen" knowledge, which `onlyWhenNew` relies on (guest sessions).
   */
  idleTtlMs?: number;
}

/** One bucket of a decision. */
export interface TakeRequest {
  key: string;
  rule: BucketRule;
  /** Tokens to take. @default 1 */
  cost?: number;
  /**
   * Tokens that must still be in the bucket after this take, or it is refused: lower-priority
   * callers are refused while a reserve is left for higher-priority ones. @default 0
   */
  reserve?: number;
  /** Take from this bucket only when the bucket with this key does not exist yet (a new session). */
  onlyWhenNew?: string;
}

/** The outcome of one decision over several buckets, all or nothing. */
export interface Decision {
  allowed: boolean;
  /** When refused: ms until the refusing bucket(s) can serve this request again; 0 when allowed. */
  retryAfterMs: number;
  /** When refused: the key of the first bucket that refused. */
  deniedKey?: string;
  /** Tokens left in each bucket after the decision, in request order (skipped requests: capacity). */
  remaining: number[];
}

/**
 * Port: token-bucket rate limiting. One call decides over several buckets atomically: either
 * every applicable bucket is charged or none is (a refused message costs nothing).
 */
export interface RateLimiter {
  readonly name: string;
  take(requests: TakeRequest[], opts?: CallOptions): Promise<Decision>;
  close(): Promise<void>;
}
