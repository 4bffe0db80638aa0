import type { CallOptions } from '../shared/call.ts';

/**
 * "Share this conversation": a read-only snapshot of a conversation at the moment its owner
 * shared it, behind a random, unguessable id. What anyone with the link sees is `SharedView`;
 * what the store keeps is a `ShareRecord` (the view plus who may revoke it).
 */

/** A product card as a shared conversation shows it: what the series is, never a price or stock (those change; the store page has them). */
export interface SharedCard {
  id: string;
  seriesId: string;
  title: string;
  titleEn?: string | null;
  titleJa: string | null;
  authors: string[];
  volume: number | null;
}

/** Why a part of the conversation is not in the shared copy (the viewer's page says it in their language). */
export type LeftOut = 'orders' | 'handoff' | 'not_for_everyone';

/** One message of a shared conversation, or a note standing where messages were left out. */
export type SharedMessage =
  | { role: 'user' | 'assistant'; text: string; at: number; language?: 'ja' | 'en'; cards?: SharedCard[] }
  | { role: 'note'; leftOut: LeftOut; at: number };

/** What anyone holding the link is shown: immutable once made. */
export interface SharedView {
  shareId: string;
  /** When it was shared (epoch ms): the conversation as it was then. */
  createdAt: number;
  /** When the link stops working (epoch ms). */
  expiresAt: number;
  /** The conversation's language (its last message's), for the page's labels. */
  language: 'ja' | 'en';
  messages: SharedMessage[];
}

/** What the store keeps per share. */
export interface ShareRecord {
  view: SharedView;
  /**
   * Who may revoke it: `customer:<id>` or `guest:<SHA-256 of the resume token>` (never the token).
   * Never part of the view.
   */
  owner: string;
}

/**
 * Port: the shared snapshots. Adapters: SQLite (one machine) and DynamoDB (a fleet), both passing
 * test/sharing/share-store.contract.ts. Expired shares are never returned, whether or not they
 * were deleted yet (DynamoDB's TTL is late).
 */
export interface ShareStore {
  /** Stores a new share; false when its id is already taken (conditional create: never overwrites). */
  create(record: ShareRecord, opts?: CallOptions): Promise<boolean>;
  /** The share, or undefined when there is none or it has expired. A strongly consistent read. */
  get(shareId: string, opts?: CallOptions): Promise<ShareRecord | undefined>;
  /** Deletes the share if one of `owners` owns it; false when there was none or it is someone else's. */
  delete(shareId: string, owners: string[], opts?: CallOptions): Promise<boolean>;
  /** Deletes expired shares (SQLite; local DynamoDB engines); returns how many went. */
  expire(now?: number): Promise<number>;
  close(): void;
}

/** Shape of a share id: 128 random bits, base64url (22 characters). */
export const SHARE_ID = /^[A-Za-z0-9_-]{22}$/;
