import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hashToken } from '../sessions/session-access.ts';
import { ChatError } from '../errors.ts';
import type { Customer } from '../chat/pipeline.ts';
import type { ConversationMemory } from '../memory/types.ts';
import type { SessionOwnership } from '../sessions/types.ts';
import type { TieredCache } from '../cache/tiered-cache.ts';
import { snapshotMessages, type SnapshotRules } from './snapshot.ts';
import { SHARE_ID, type ShareStore, type SharedView } from './types.ts';

/** Who asks to share or revoke: the signed-in customer (or a guest) and, for a guest, the conversation's resume token. */
export interface ShareRequester {
  customer: Customer;
  resumeToken?: string;
}

/** "Share this conversation": make a read-only link, read it (the hot path), revoke it. */
export interface SharedLinks {
  /**
   * The owner of `sessionId` shares it as it is now. `admit` runs once ownership is proven and
   * before any other work (the rate limit: a stranger presenting the id spends nobody's budget).
   */
  share(sessionId: string, who: ShareRequester, opts?: { admit?: () => Promise<void> }): Promise<SharedView>;
  /** The shared view, or undefined (unknown, expired or revoked). Store trouble: ChatError `unavailable` with a Retry-After. */
  read(shareId: string, opts?: { signal?: AbortSignal }): Promise<SharedView | undefined>;
  /** Deletes the share if `who` made it; false otherwise (unknown and someone else's alike). */
  revoke(shareId: string, who: ShareRequester): Promise<boolean>;
  /** Drops a revoked share from this process's caches: the handler of the announcement `revoke` sends. */
  forget(shareId: string): Promise<void>;
  /** Drops every cached share of this process: announcements may have been missed (the fleet bus reconnected). */
  forgetAll(): Promise<void>;
}

/** What the shared links are built from. */
export interface SharedLinksOptions {
  store: ShareStore;
  ownership: SessionOwnership;
  /** Conversation memory; read with `fresh` (past any cache) at the moment of sharing. */
  memory: ConversationMemory;
  /** What a stranger may read (the guardrails for an anonymous guest). */
  rules: SnapshotRules;
  tiered: TieredCache;
  /** How long a link works. */
  ttlMs: number;
  /** How long a node keeps a view it read (capped by the link's own end); revocation drops it sooner. */
  cacheTtlMs: number;
  /** Deadline of one store read on the read path, its throttle retries included. */
  loadTimeoutMs: number;
  /** Deadline of each store call when sharing or revoking. */
  writeTimeoutMs?: number;
  /** Tells every other process of the service that a share was revoked (the fleet bus); each calls forget(). */
  announce?: (shareId: string) => Promise<void>;
  /** The owner's own names and e-mail, masked in the shared copy (from the sign-in and the customer directory). */
  ownNames?: (customer: Customer) => Promise<string[]>;
  onBackgroundError?: (what: string, error: unknown) => void;
  now?: () => number;
  /** New share ids. @default 128 random bits, base64url */
  newId?: () => string;
}

/**
 * How long "no such share" is remembered. A link that was revoked (or expired) while it went
 * viral keeps being opened: those opens must not all reach the store either. An id never shared
 * cannot be cached as missing before it exists (ids are random), so only the L1 space is at stake.
 */
const MISSING_TTL_MS = 60_000;
/**
 * How long a node waits for Redis before it reads the store itself. Longer than the tier's (25 ms):
 * the first open of a link on a node comes with the burst, on an event loop busy accepting it, where
 * a 25 ms timer fires before Redis's answer is read, and the store read that follows is of the one
 * key everybody wants. Only a node's first open of a link waits on it (the rest share that read).
 */
const L2_READ_TIMEOUT_MS = 250;
/** Retry-After of an open the store could not serve: 1-3 s, spread so the clients do not return together. */
const RETRY_AFTER_MS = 1000;
const RETRY_AFTER_JITTER_MS = 2000;

/** The cache tag of one share: its revocation drops it on every node and in Redis. */
export const shareTag = (shareId: string): string => `share:${shareId}`;
/** On every cached share: dropping it drops them all. */
const ALL_SHARES = 'shares';

/**
 * The shared links. The read path is the design's scenario 4 (a shared chat link opened by 10,000
 * people within minutes) and stays off the store almost entirely:
 * - single-flight: concurrent opens of one link on a node make one store read (the tiered cache);
 * - the view is immutable, so each node keeps it until `cacheTtlMs` (or the link's end), and with
 *   CACHE_BACKEND=redis the first node to read it puts it in Redis for every other node;
 * - revocation deletes it in the store, then invalidates its tag: this node, Redis, every node
 *   through the cache's invalidation bus, and (announce) every process through the fleet bus;
 * - a read the store throttles is retried by the adapter (100/200/400 ms plus jitter, counted in
 *   the store-throttle metric) inside `loadTimeoutMs`; past that every opener waiting on it gets
 *   `unavailable` with a spread Retry-After, never a retry of their own against the store.
 */
export function createSharedLinks(options: SharedLinksOptions): SharedLinks {
  const { store, tiered } = options;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? (() => randomBytes(16).toString('base64url'));
  const writeTimeoutMs = options.writeTimeoutMs ?? 2000;
  const views = tiered.cache<SharedView>({
    name: 'shared',
    ttlMs: options.cacheTtlMs,
    jitter: 0.1,
    // Never served past its time: a view is either there or gone, nothing to revalidate.
    staleMs: 0,
    earlyRefresh: 0,
    loadTimeoutMs: options.loadTimeoutMs,
    shared: true,
    l2ReadTimeoutMs: L2_READ_TIMEOUT_MS,
    tags: (_view, shareId) => [shareTag(shareId), ALL_SHARES],
    ttlFor: (view, t) => (view ? view.expiresAt - t : MISSING_TTL_MS),
  });

  /** Runs a store call of the share or revoke path under its deadline; failures are `unavailable`. */
  const call = async <T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    try {
      return await run(AbortSignal.timeout(writeTimeoutMs));
    } catch (error) {
      throw new ChatError('unavailable', `The conversation cannot be ${what} right now; please try again shortly.`, { retryAfterMs: 2000, cause: error });
    }
  };

  /** The owner keys `who` can prove: its customer id, and the hash of the resume token it holds. */
  const ownerKeys = (who: ShareRequester): string[] => {
    const keys: string[] = [];
    if (who.customer.kind !== 'guest' && who.customer.customerId) keys.push(`customer:${who.customer.customerId}`);
    if (who.resumeToken) keys.push(`guest:${hashToken(who.resumeToken)}`);
    return keys;
  };

  return {
    async share(sessionId, who, shareOpts) {
      const owner = await call('shared', (signal) => options.ownership.ownerOf(sessionId, { signal }));
      let key: string | undefined;
      if (owner?.kind === 'customer' && who.customer.kind !== 'guest' && who.customer.customerId === owner.customerId) key = `customer:${owner.customerId}`;
      else if (owner?.kind === 'guest' && who.resumeToken && sameHash(hashToken(who.resumeToken), owner.tokenHash)) key = `guest:${owner.tokenHash}`;
      // Not theirs, or no such conversation: one answer, so an id alone reveals nothing.
      if (!key) throw new ChatError('not_found', 'There is no conversation of yours with this id to share.');
      await shareOpts?.admit?.();
      const history = await call('shared', (signal) => options.memory.load(sessionId, { signal, fresh: true }));
      if (history.length === 0) throw new ChatError('conflict', 'This conversation has nothing to share yet (or it has expired).');
      const names = who.customer.kind !== 'guest' && options.ownNames ? await options.ownNames(who.customer).catch(() => [who.customer.name ?? '']) : [];
      const seriesIds = [...new Set(history.flatMap((m) => (m.cards ?? []).map((c) => c.seriesId)))];
      const allowedSeries = seriesIds.length > 0 ? await call('shared', () => options.rules.seriesForEveryone(seriesIds)) : new Set<string>();
      const messages = snapshotMessages(history, options.rules, { allowedSeries, ownNames: names });
      if (!messages.some((m) => m.role !== 'note')) throw new ChatError('conflict', 'Nothing in this conversation can be shared: orders, requests for staff and personal details never are.');
      const createdAt = now();
      const language = [...history].reverse().find((m) => m.language)?.language ?? 'en';
      // A taken id (128 random bits: never, unless the generator is broken) gets another one, twice.
      for (let attempt = 1; attempt <= 3; attempt++) {
        const view: SharedView = { shareId: newId(), createdAt, expiresAt: createdAt + options.ttlMs, language, messages };
        if (await call('shared', (signal) => store.create({ view, owner: key }, { signal }))) return view;
      }
      throw new ChatError('internal', 'A share link could not be made.');
    },

    async read(shareId, readOpts) {
      // Malformed ids never reach the store or the cache.
      if (!SHARE_ID.test(shareId)) return undefined;
      let view: SharedView | undefined;
      try {
        view = await views.get(shareId, async (signal) => (await store.get(shareId, { signal }))?.view, readOpts);
      } catch (error) {
        if (readOpts?.signal?.aborted) throw error;
        throw new ChatError('unavailable', 'This shared conversation cannot be shown right now; please try again in a moment.', {
          retryAfterMs: RETRY_AFTER_MS + Math.round(Math.random() * RETRY_AFTER_JITTER_MS),
          cause: error,
        });
      }
      return view && view.expiresAt > now() ? view : undefined;
    },

    async revoke(shareId, who) {
      if (!SHARE_ID.test(shareId)) return false;
      const keys = ownerKeys(who);
      if (keys.length === 0) return false;
      if (!(await call('changed', (signal) => store.delete(shareId, keys, { signal })))) return false;
      // After the delete: a read that started before it is neither joined nor cached (tiered cache).
      await tiered.invalidate([shareTag(shareId)]);
      await options.announce?.(shareId).catch((error: unknown) => options.onBackgroundError?.('share revocation announcement', error));
      return true;
    },

    async forget(shareId) {
      // Redis was cleared by the revoking node; this process's own tier is what is left.
      await tiered.invalidate([shareTag(shareId)], { shared: false });
    },

    async forgetAll() {
      await tiered.invalidate([ALL_SHARES], { shared: false });
    },
  };
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
