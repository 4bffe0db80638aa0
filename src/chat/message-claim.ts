import { randomUUID } from 'node:crypto';
import { claimOrWait, type MessageClaims } from '../memory/message-claims.ts';
import type { DependencyGuard } from '../resilience/types.ts';
import { ChatError } from '../errors.ts';

/** A won claim on one message id, held while its reply is written. */
export interface HeldClaim {
  /** Another process (or attempt) held the id first: the conversation may already hold its turn. */
  waited: boolean;
  /** Gives the claim up (the turn is stored, or the attempt ended without one). Never throws. */
  release(): void;
}

/** Answers each message id once across every process that can answer the session. */
export interface MessageClaimer {
  acquire(sessionId: string, messageId: string, signal: AbortSignal): Promise<HeldClaim>;
}

/** What the claimer is built from. */
export interface ClaimerOptions {
  claims: MessageClaims;
  /** This process, in claim records (who holds an id is visible in the store). */
  nodeId: string;
  /**
   * How long a claim holds without renewal. Short, so a crashed holder keeps a retry waiting only
   * briefly; a live holder renews it every third of it for as long as its reply runs.
   */
  leaseMs: number;
  /** Every claim and release goes through this guard (deadline, breaker, faults). */
  guard: DependencyGuard;
  deadlineMs: number;
  onBackgroundError?: (what: string, error: unknown) => void;
}

/**
 * Message-id claims around a reply (issue 17: "a message id is answered once across the fleet").
 * A process that wins the claim answers; one that finds it held waits until the holder releases
 * it (its turn is then stored and is replayed) or its lease runs out (a crashed holder: answered
 * anew). The in-process map in the pipeline still coalesces retries inside one process first, so
 * a claim is only contested between processes.
 */
export function createMessageClaimer(options: ClaimerOptions): MessageClaimer {
  const { claims, guard, deadlineMs, leaseMs } = options;
  // Each claim call is one guarded store call; the wait between calls is claimOrWait's.
  const guarded: MessageClaims = {
    claim: (sessionId, messageId, holder, lease, opts) => guard.call((signal) => claims.claim(sessionId, messageId, holder, lease, { signal }), { deadlineMs, signal: opts?.signal, idempotent: true }),
    release: (sessionId, messageId, holder, opts) => guard.call((signal) => claims.release(sessionId, messageId, holder, { signal }), { deadlineMs, signal: opts?.signal, idempotent: true }),
    close: () => claims.close(),
  };
  return {
    async acquire(sessionId, messageId, signal) {
      const holder = `${options.nodeId}:${randomUUID()}`;
      let won;
      try {
        won = await claimOrWait(guarded, { sessionId, messageId, holder, leaseMs }, { signal });
      } catch (error) {
        if (signal.aborted) throw error;
        throw new ChatError('unavailable', 'Your message cannot be answered right now; please send it again shortly.', { retryAfterMs: 2000, cause: error });
      }
      // Renewed while the reply runs: a long answer must not outlive its lease and be overtaken.
      const renew = setInterval(() => {
        guarded.claim(sessionId, messageId, holder, leaseMs).catch((error: unknown) => options.onBackgroundError?.('message claim renewal', error));
      }, Math.max(50, Math.floor(leaseMs / 3)));
      renew.unref();
      let released = false;
      return {
        waited: won.waited,
        release() {
          if (released) return;
          released = true;
          clearInterval(renew);
          // Not awaited: the reply is done; a lost release only makes a retry wait out the lease.
          guarded.release(sessionId, messageId, holder).catch((error: unknown) => options.onBackgroundError?.('message claim release', error));
        },
      };
    },
  };
}
