import type { CallOptions } from '../shared/call.ts';

/**
 * "A message id is answered once across the fleet": a client retries the same id on another node
 * after a reconnect, or sends it to two nodes at once. Before answering, a node claims the id for
 * a lease; a claim is a conditional write, so exactly one claimant wins while the lease runs.
 *
 * The protocol (claimOrWait below does the waiting):
 *  1. claim(session, id, me, lease). Won: check conversation memory first (a stored turn is
 *     replayed, an id known beyond the window is a duplicate), else answer, store the turn, and
 *     release. The stored turn is what marks the id answered: this store keeps no "done" state,
 *     so it can never disagree with the conversation.
 *  2. Taken: another node is answering. Wait (poll with backoff, never past the holder's lease)
 *     and claim again; once the winner released, or crashed and its lease ran out, the claim is
 *     won and step 1's memory check replays its stored turn, or answers anew if it stored none.
 * The lease must outlast the longest answer (deadlines included) plus clock skew between nodes:
 * a holder still answering when its lease ends can be overtaken.
 */
export interface MessageClaims {
  /**
   * Claims answering `messageId` of `sessionId` for `holder` (a node/attempt id) until now +
   * `leaseMs`. Won when nobody holds it (never claimed, released, or the lease ran out) or when
   * `holder` already does (its lease is renewed); otherwise who holds it and until when (ms).
   */
  claim(sessionId: string, messageId: string, holder: string, leaseMs: number, opts?: CallOptions): Promise<ClaimResult>;
  /** Gives the claim up (its turn is stored, or the attempt failed); false when `holder` no longer held it. */
  release(sessionId: string, messageId: string, holder: string, opts?: CallOptions): Promise<boolean>;
  close(): void;
}

/** What a claim found. */
export type ClaimResult = { won: true } | { won: false; holder: string; leaseUntil: number };

/** Options every claims adapter takes. */
export interface ClaimsOptions {
  /** Clock in epoch ms (tests inject one). @default Date.now */
  now?: () => number;
}

/** Checks a claim's arguments; the same refusals in every adapter. */
export function checkClaim(leaseMs: number): void {
  if (!(Number.isFinite(leaseMs) && leaseMs > 0)) throw new RangeError(`leaseMs must be a positive number, got ${leaseMs}`);
}

/** How claimOrWait waits. */
export interface WaitOptions {
  /** Aborts the wait (the customer left, the message's deadline passed). */
  signal?: AbortSignal;
  /** First pause between claims, ms; doubles up to `maxPauseMs`, each with up to 50 % jitter. @default 25 */
  firstPauseMs?: number;
  /** @default 400 */
  maxPauseMs?: number;
  /** The clock the leases are written with. @default Date.now */
  now?: () => number;
  /** Pauses (tests pass one that records). @default timers */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** @default Math.random */
  random?: () => number;
}

/** The outcome of claimOrWait: always won; whether another holder had it first (then memory may hold its turn). */
export interface ClaimWon {
  waited: boolean;
  /** Claims made, the winning one included. */
  attempts: number;
  /** Holders seen while waiting, in order. */
  holders: string[];
}

/**
 * Claims the id, waiting while another holder has it: polls with backoff (25 ms doubling to
 * 400 ms, jittered so several waiters do not claim in step), never sleeping past the holder's
 * lease, so a crashed winner delays a retry by at most its lease. Ends won, or with the signal's
 * reason. Bounded by the lease: a live holder releases, a dead one's lease runs out.
 */
export async function claimOrWait(claims: MessageClaims, req: { sessionId: string; messageId: string; holder: string; leaseMs: number }, opts: WaitOptions = {}): Promise<ClaimWon> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? pause;
  const random = opts.random ?? Math.random;
  const holders: string[] = [];
  let wait = opts.firstPauseMs ?? 25;
  for (let attempts = 1; ; attempts++) {
    const r = await claims.claim(req.sessionId, req.messageId, req.holder, req.leaseMs, { signal: opts.signal });
    if (r.won) return { waited: holders.length > 0, attempts, holders };
    if (holders.at(-1) !== r.holder) holders.push(r.holder);
    // Just past the lease at the latest: that is when a crashed holder's claim can be taken.
    const untilLease = Math.max(1, Math.ceil(r.leaseUntil - now()) + 1);
    await sleep(Math.min(Math.round(wait * (1 + random() / 2)), untilLease), opts.signal);
    wait = Math.min(wait * 2, opts.maxPauseMs ?? 400);
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
