import type { CallOptions } from '../shared/call.ts';

/**
 * Who a conversation belongs to: a signed-in customer by id, or a guest by the hash of the
 * resume token the server gave them (the token itself is never stored).
 */
export type SessionOwner = { kind: 'customer'; customerId: string } | { kind: 'guest'; tokenHash: string };

/**
 * Port: who owns each conversation. Durable like the conversation itself (SQLite embedded, a
 * DynamoDB table in a fleet). A session id alone never grants access: the transports ask this
 * store who owns an id before they let a client continue that conversation.
 */
export interface SessionOwnership {
  /** The owner of a session, or undefined when the id was never claimed or has expired. */
  ownerOf(sessionId: string, opts?: CallOptions): Promise<SessionOwner | undefined>;
  /** Records the owner of a new session; false when the id is already owned (by anyone). */
  claim(sessionId: string, owner: SessionOwner, opts?: CallOptions): Promise<boolean>;
  /** Hands a session to `to` if `from` still owns it (a guest carrying their conversation over at sign-in); false otherwise. */
  transfer(sessionId: string, from: SessionOwner, to: SessionOwner, opts?: CallOptions): Promise<boolean>;
  /** Deletes ownership records older than the configured lifetime; returns how many went. */
  expire(now?: number): Promise<number>;
  close(): void;
}

/** Options every ownership adapter takes. */
export interface OwnershipOptions {
  /** How long a session can be resumed after it was created, in ms (operator replies may come hours later). */
  ttlMs: number;
  /** Clock in epoch ms (tests inject one). @default Date.now */
  now?: () => number;
}

/** True when two owners are the same customer, or the same guest token. */
export function sameOwner(a: SessionOwner, b: SessionOwner): boolean {
  if (a.kind === 'customer') return b.kind === 'customer' && a.customerId === b.customerId;
  return b.kind === 'guest' && a.tokenHash === b.tokenHash;
}
