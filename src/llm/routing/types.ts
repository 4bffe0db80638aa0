/**
 * Model routing and priority: which model answers a message, and in what order messages get a
 * model connection. Design: chit-chat from templates, simple intents to the small model,
 * complex ones to the large model; P0 Prime customers served first and never dropped, P1
 * members in order, P2 guests moved to the small model under pressure; simple intents move to
 * the small model while the large one times out or is throttled on more than 5% of calls for 2
 * minutes.
 */
import type { Intent } from '../../understanding/types.ts';

/** 0 = Prime (critical), 1 = member (normal), 2 = guest (best effort). */
export type Priority = 0 | 1 | 2;

/** Where a message's answer comes from. */
export type Route = 'template' | 'small' | 'large';

/** The two model tiers. */
export type ModelTier = 'small' | 'large';

/** Why a tier was chosen (metrics label, `end` frame). */
export type RouteReason =
  | 'template' // answered from templates, no model
  | 'simple' // the intent's configured tier is small
  | 'complex' // the intent's configured tier is large, or a comparison
  | 'downgrade' // large model unhealthy: a simple intent moved to small
  | 'pressure' // large pool under pressure: a guest moved to small
  | 'fallback' // the first model failed before its first token: the other one answers
  | 'circuit'; // the chosen model's circuit is open

/** A held model connection slot. */
export interface Lease {
  /** Gives the slot back (idempotent). */
  release(): void;
  /** How long the checkout waited, ms. */
  readonly waitedMs: number;
}

/** Why a checkout did not get a slot. */
export class PoolRejectedError extends Error {
  readonly pool: string;
  readonly priority: Priority;
  readonly reason: 'queue_full' | 'wait_timeout';
  constructor(pool: string, priority: Priority, reason: 'queue_full' | 'wait_timeout') {
    super(`${pool}: no connection for P${priority} (${reason})`);
    this.name = 'PoolRejectedError';
    this.pool = pool;
    this.priority = priority;
    this.reason = reason;
  }
}

/**
 * The connection pool of one model with a priority queue in front: a freed slot goes to the
 * oldest P0 waiter, else the oldest P1, else the oldest P2. P0 waiters are never refused.
 */
export interface ModelPool {
  readonly name: string;
  readonly size: number;
  /**
   * Waits for a slot. Rejects with PoolRejectedError when the priority's queue is full or its
   * wait limit passes, or with the signal's reason when `signal` aborts (the waiter leaves the
   * queue either way).
   */
  acquire(priority: Priority, signal?: AbortSignal): Promise<Lease>;
  inUse(): number;
  /** Waiting checkouts, of one priority or all. */
  queued(priority?: Priority): number;
  /** True while the pool is saturated: every slot taken and at least `pressureQueue` waiting. */
  underPressure(): boolean;
}

/** Outcomes of calls to the large model, fed to the downgrade monitor. */
export type CallOutcomeKind = 'ok' | 'timeout' | 'throttled' | 'error';

/** Watches the large model's timeout+throttle rate per minute and says when simple intents must move to the small model. */
export interface DowngradeMonitor {
  record(outcome: CallOutcomeKind): void;
  /** True while downgraded. */
  active(): boolean;
}

/** Base routing table: the tier of each intent, and which intents are "simple" (may be downgraded). */
export interface RoutingTable {
  routes: Record<Intent, Route>;
  /** Intents that move to the small model while the large model is unhealthy. */
  downgradable: ReadonlySet<Intent>;
}
