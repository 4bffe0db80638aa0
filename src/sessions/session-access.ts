import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ChatError } from '../errors.ts';
import type { Customer } from '../chat/pipeline.ts';
import type { DependencyGuard } from '../resilience/types.ts';
import { sameOwner, type SessionOwner, type SessionOwnership } from './types.ts';

/** What a client asks for when it connects or sends a message. */
export interface OpenRequest {
  /** The conversation it wants to continue (untrusted: anyone can type an id). */
  sessionId?: string;
  /** The secret from that conversation's `session` frame, proving a guest owns it. */
  resumeToken?: string;
  /** Who the client is (from its JWT, or a guest). */
  customer: Customer;
}

/** The conversation a client gets: the one it asked for if it owns it, else a new one. */
export interface OpenedSession {
  sessionId: string;
  /** Sent to the client in the `session` frame; it resumes this conversation later. */
  resumeToken: string;
  /** True when the client continues the conversation it asked for; false: a new one. */
  resumed: boolean;
  /** True when a signed-in customer took over the guest conversation whose token they presented. */
  carriedOver: boolean;
  /** Records who owns a new conversation, once, before its first message is answered (a no-op when resumed). */
  claim(opts?: { signal?: AbortSignal }): Promise<void>;
}

/** Decides who may continue which conversation (issue 14: a session id alone is not enough). */
export interface SessionAccess {
  open(req: OpenRequest, opts?: { signal?: AbortSignal }): Promise<OpenedSession>;
}

/** What session access is built from. */
export interface SessionAccessOptions {
  ownership: SessionOwnership;
  /** Derives signed-in customers' resume tokens (HMAC): nothing to store, useless without the customer's own sign-in. */
  secret: Uint8Array;
  /** Every ownership read and write goes through this guard (deadline, breaker, faults). */
  guard?: DependencyGuard;
  deadlineMs?: number;
  /** New session ids. @default randomUUID */
  newId?: () => string;
}

/** A resume token a client may present: what `newGuestToken` makes, or a customer token. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * A conversation belongs to whoever started it: a signed-in customer's to their customer id, a
 * guest's to the holder of the random resume token issued in its `session` frame (only its
 * SHA-256 is stored: the token is 256 random bits, so a fast hash is enough, and a stolen
 * database does not let anyone resume). Anyone else who presents the id gets a new session.
 *
 * A new conversation is claimed lazily, when its first message arrives: an idle tab (or a
 * thousand idle sockets) costs no write, and an id nobody wrote to is simply unknown, so
 * presenting it also yields a new session.
 *
 * A signed-in customer who presents a guest conversation together with its token chose to
 * carry it over (the chat page asks): ownership moves to the customer, and the guest token
 * stops working, since the conversation may now hold the customer's orders.
 */
export function createSessionAccess(options: SessionAccessOptions): SessionAccess {
  const { ownership } = options;
  const newId = options.newId ?? randomUUID;
  const deadlineMs = options.deadlineMs ?? 250;
  const call = <T>(run: (signal?: AbortSignal) => Promise<T>, idempotent: boolean, signal?: AbortSignal): Promise<T> =>
    (options.guard ? options.guard.call((s) => run(s), { deadlineMs, signal, idempotent }) : run(signal)).catch((error: unknown) => {
      throw new ChatError('unavailable', 'Your conversation cannot be opened right now; please try again shortly.', { retryAfterMs: 2000, cause: error });
    });
  const customerToken = (sessionId: string, customerId: string) => createHmac('sha256', options.secret).update(`session\u0000${sessionId}\u0000${customerId}`).digest('base64url');

  const opened = (sessionId: string, resumeToken: string, extra: { resumed: boolean; carriedOver?: boolean; owner?: SessionOwner }): OpenedSession => {
    let claimed: Promise<void> | undefined = extra.owner ? undefined : Promise.resolve();
    return {
      sessionId,
      resumeToken,
      resumed: extra.resumed,
      carriedOver: extra.carriedOver ?? false,
      claim(opts) {
        const owner = extra.owner!;
        claimed ??= call((signal) => ownership.claim(sessionId, owner, { signal }), false, opts?.signal)
          .then(async (ok) => {
            if (ok) return;
            // Refused: either an earlier attempt of ours landed after its caller gave up (a
            // deadline that lapsed while the write was in flight — seen on DynamoDB under load),
            // which makes the id ours already, or the fresh random id is someone else's: a broken
            // id generator, never silently shared.
            const now = await call((signal) => ownership.ownerOf(sessionId, { signal }), true, opts?.signal);
            if (!now || !sameOwner(now, owner)) throw new ChatError('internal', 'A new conversation could not be started.');
          })
          .catch((error: unknown) => {
            claimed = undefined; // never cache a failure: the next message tries again
            throw error;
          });
        return claimed;
      },
    };
  };

  const fresh = (customer: Customer): OpenedSession => {
    const sessionId = newId();
    if (customer.kind !== 'guest' && customer.customerId) {
      return opened(sessionId, customerToken(sessionId, customer.customerId), { resumed: false, owner: { kind: 'customer', customerId: customer.customerId } });
    }
    const token = randomBytes(32).toString('base64url');
    return opened(sessionId, token, { resumed: false, owner: { kind: 'guest', tokenHash: hashToken(token) } });
  };

  return {
    async open(req, opts) {
      const { sessionId, customer } = req;
      if (!sessionId) return fresh(customer);
      const owner = await call((signal) => ownership.ownerOf(sessionId, { signal }), true, opts?.signal);
      if (!owner) return fresh(customer);
      const signedIn = customer.kind !== 'guest' && customer.customerId ? customer.customerId : undefined;
      if (owner.kind === 'customer') {
        return signedIn === owner.customerId ? opened(sessionId, customerToken(sessionId, signedIn), { resumed: true }) : fresh(customer);
      }
      const presented = req.resumeToken && TOKEN_SHAPE.test(req.resumeToken) ? req.resumeToken : undefined;
      if (!presented || !tokenMatches(presented, owner.tokenHash)) return fresh(customer);
      if (!signedIn) return opened(sessionId, presented, { resumed: true });
      const to: SessionOwner = { kind: 'customer', customerId: signedIn };
      const moved = await call((signal) => ownership.transfer(sessionId, owner, to, { signal }), false, opts?.signal);
      if (!moved) {
        // Someone else carried it over first (or it expired meanwhile): only that owner may read it now.
        const now = await call((signal) => ownership.ownerOf(sessionId, { signal }), true, opts?.signal);
        return now && sameOwner(now, to) ? opened(sessionId, customerToken(sessionId, signedIn), { resumed: true }) : fresh(customer);
      }
      return opened(sessionId, customerToken(sessionId, signedIn), { resumed: true, carriedOver: true });
    },
  };
}

/** SHA-256 of a guest resume token, hex: what the ownership store keeps instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of a presented token with a stored hash. */
function tokenMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
