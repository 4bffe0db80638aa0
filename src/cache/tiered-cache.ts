import type { CacheEntry, CacheStore, InvalidationBus } from './types.ts';
import type { InProcessStore } from './in-process-store.ts';
import type { DependencyGuard } from '../resilience/types.ts';
import { raceAbort, withTimeout } from '../resilience/abort.ts';

/** How one kind of data is cached. */
export interface CachePolicy<V> {
  /** The cache's name, in keys and metrics: `product`, `recommendations`, `promotions`, ... */
  name: string;
  /** Time to live of a fresh entry (before jitter). */
  ttlMs: number;
  /** Relative TTL jitter: 0.2 spreads a 5-minute TTL over 4..6 minutes, so related keys filled together do not expire together. */
  jitter: number;
  /** How long past its TTL an entry may still be served while one background refresh replaces it. */
  staleMs: number;
  /**
   * Probabilistic early refresh (XFetch), as a share of the TTL: a read at τ ms before expiry
   * starts a background refresh with probability exp(-τ / (earlyRefresh·TTL + origin time)).
   * Hot keys are refreshed before they expire; rarely read keys almost never early. 0 turns it off.
   */
  earlyRefresh: number;
  /** Deadline of an origin load the cache runs on behalf of everybody (shared misses, refreshes). */
  loadTimeoutMs: number;
  /** Kept in the shared tier (L2) too; false keeps the data in this process only. */
  shared: boolean;
  /**
   * Deadline of this cache's L2 reads, when not the tier's: an origin dearer than a late Redis
   * answer (a hot key of a throttling store) is worth waiting longer for. @default the tier's
   */
  l2ReadTimeoutMs?: number;
  /**
   * Invalidation tags of a value. Called with `undefined` when a load starts, for the tags of the
   * load in flight (an invalidation of one of them stops new readers from joining it): tags that
   * depend on the key alone, as all of ours do, are the same both times.
   */
  tags: (value: V | undefined, key: string) => string[];
  /** A shorter TTL for this value (e.g. a promotion that ends sooner), in ms from now. */
  ttlFor?: (value: V | undefined, now: number) => number | undefined;
}

/** What the cache reports, for metrics. */
export interface CacheEvents {
  /** hit: fresh in L1; stale: served stale while refreshing; l2_hit: from Redis; coalesced: joined a load in flight; miss: went to the origin. */
  lookup?(cache: string, result: 'hit' | 'stale' | 'l2_hit' | 'coalesced' | 'miss'): void;
  /** One origin load: why it ran (miss, stale refresh, early refresh) and how it ended. */
  origin?(cache: string, reason: 'miss' | 'refresh' | 'early', outcome: 'ok' | 'error', ms: number): void;
  /** One shared-tier operation: reads and invalidations on the request side, writes in the background. */
  l2?(op: 'read' | 'write' | 'invalidate', outcome: 'ok' | 'error' | 'skipped' | 'too_large', ms: number): void;
}

export interface TieredCacheOptions {
  l1: InProcessStore;
  /** The shared tier; absent on one node without Redis. */
  l2?: CacheStore;
  /** Guards the shared tier's reads and invalidations (deadline, breaker): Redis slow or down costs at most the deadline, then nothing while the circuit is open. */
  l2Guard?: DependencyGuard;
  /** Guards the shared tier's background writes; its pool bounds how many writes may pile up when Redis is slow. */
  l2WriteGuard?: DependencyGuard;
  /** Deadline of one shared-tier read. */
  l2ReadTimeoutMs: number;
  /** Deadline of one shared-tier write (in the background). */
  l2WriteTimeoutMs: number;
  /** Cross-node invalidation; without it invalidations stay on this node (and in L2). */
  bus?: InvalidationBus;
  events?: CacheEvents;
  onBackgroundError?: (what: string, error: unknown) => void;
  now?: () => number;
  random?: () => number;
}

/** One kind of cached data, read through its origin. */
export interface Cache<V> {
  /**
   * The value of `key`: from L1, else L2, else `load` (once per node however many ask at once).
   * `signal` only stops this caller's wait: a load others share keeps running under its own deadline.
   */
  get(key: string, load: (signal: AbortSignal) => Promise<V | undefined>, opts?: { signal?: AbortSignal }): Promise<V | undefined>;
  /** Many keys: the missing ones are loaded together in one `loadMany` call (absent keys map to nothing). */
  getMany(keys: string[], loadMany: (keys: string[], signal: AbortSignal) => Promise<Map<string, V>>, opts?: { signal?: AbortSignal }): Promise<Map<string, V>>;
}

/** The two tiers and their invalidation, shared by every cache of a node. */
export interface TieredCache {
  cache<V>(policy: CachePolicy<V>): Cache<V>;
  /**
   * Data changed: drops every entry with one of the tags here, in L2 and (through the bus) on
   * every other node. `shared: false` skips L2, for tags of data never kept there (sessions).
   */
  invalidate(tags: string[], opts?: { shared?: boolean }): Promise<void>;
  /** Writes to L2 still running (tests, shutdown). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

interface Flight {
  promise: Promise<unknown>;
  /** The invalidation count when it started: a load older than an invalidation of one of its tags is not joined. */
  epoch: number;
  tags: string[];
}

/**
 * Invalidations remembered, at most: enough for minutes at store scale (every conversation
 * append is one). They only need to outlive a load in flight and the bus's delivery delay.
 */
const MAX_REMEMBERED_INVALIDATIONS = 50_000;
/** How long an invalidation is remembered (when fewer than the maximum). */
const INVALIDATION_MEMORY_MS = 10 * 60_000;

/**
 * The read-through cache in front of the catalog, recommendations, promotions and reviews.
 * What keeps it from stampeding, and where each rule lives:
 * - single-flight: one origin load per key per node, however many readers (`flights`);
 * - staggered TTLs: every entry's TTL is jittered (`freshFor`);
 * - probabilistic early refresh (XFetch, Vattani et al. 2015) on fresh hits (`refreshEarly`);
 * - stale-while-revalidate: past its TTL an entry is still served during its stale window while
 *   one background refresh runs;
 * - writes to L2 never on the request path: fire-and-forget under their own guard, failures counted.
 * Hand-written: the libraries at hand (lru-cache's fetchMethod, cache-manager) give single-flight
 * and SWR for one in-process tier, not a second shared tier with tag invalidation across nodes.
 */
export function createTieredCache(opts: TieredCacheOptions): TieredCache {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const { l1, l2 } = opts;
  const events = opts.events ?? {};
  const flights = new Map<string, Flight>();
  const writes = new Set<Promise<unknown>>();
  // When each tag was last invalidated (this node's clock, and the invalidation count), so a load
  // that started before an invalidation is neither joined nor cached, and an L2 entry written
  // before one is not believed. Oldest first (re-invalidated tags move to the end), so forgetting
  // old ones is cheap. Counted as well as timed: readers in the same millisecond as an
  // invalidation must still share a load.
  const invalidations = new Map<string, { at: number; epoch: number }>();
  let epoch = 0;
  let gapEpoch = 0;
  let clearedAt = -Infinity;

  const unsubscribe = opts.bus?.subscribe((tags) => dropLocally(tags));
  // Missed messages (bus reconnected): nobody knows what changed meanwhile, so L1 starts over.
  const unGap = opts.bus?.onGap(() => {
    l1.clear();
    clearedAt = now();
    gapEpoch = ++epoch;
  });

  function dropLocally(tags: string[]): void {
    const t = now();
    epoch++;
    for (const tag of tags) {
      invalidations.delete(tag);
      invalidations.set(tag, { at: t, epoch });
    }
    l1.dropTags(tags);
    for (const [tag, seen] of invalidations) {
      if (invalidations.size <= MAX_REMEMBERED_INVALIDATIONS && seen.at >= t - INVALIDATION_MEMORY_MS) break;
      invalidations.delete(tag);
    }
  }

  /** A flight new readers may join: none of its tags invalidated (and no bus gap) since it started. */
  function joinable(flight: Flight | undefined): flight is Flight {
    if (!flight || gapEpoch > flight.epoch) return false;
    for (const tag of flight.tags) if ((invalidations.get(tag)?.epoch ?? 0) > flight.epoch) return false;
    return true;
  }

  /** True when a tag was invalidated at or after `since`; `gap` also counts a bus reconnect (missed messages) as one. */
  function invalidatedSince(tags: string[], since: number, gap = true): boolean {
    if (gap && clearedAt >= since) return true;
    for (const tag of tags) {
      const at = invalidations.get(tag)?.at;
      if (at !== undefined && at >= since) return true;
    }
    return false;
  }

  async function readL2(key: string, deadlineMs = opts.l2ReadTimeoutMs): Promise<CacheEntry | undefined> {
    if (!l2) return undefined;
    const started = performance.now();
    try {
      const entry = opts.l2Guard
        ? await opts.l2Guard.call((signal) => l2.get(key, { signal }), { deadlineMs, idempotent: false })
        : await l2.get(key);
      events.l2?.('read', 'ok', performance.now() - started);
      return entry;
    } catch (error) {
      // Slow, full or down: this read becomes a miss; the guard's breaker stops asking for a while.
      events.l2?.('read', (error as { reason?: string }).reason === 'breaker_open' ? 'skipped' : 'error', performance.now() - started);
      return undefined;
    }
  }

  async function readManyL2(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    if (!l2 || keys.length === 0) return keys.map(() => undefined);
    const started = performance.now();
    try {
      const entries = opts.l2Guard
        ? await opts.l2Guard.call((signal) => l2.getMany(keys, { signal }), { deadlineMs: opts.l2ReadTimeoutMs, idempotent: false })
        : await l2.getMany(keys);
      events.l2?.('read', 'ok', performance.now() - started);
      return entries;
    } catch (error) {
      events.l2?.('read', (error as { reason?: string }).reason === 'breaker_open' ? 'skipped' : 'error', performance.now() - started);
      return keys.map(() => undefined);
    }
  }

  /** Fire and forget: the caller already has its value; a slow or failing Redis only shows in metrics. */
  function writeL2(key: string, entry: CacheEntry): void {
    if (!l2) return;
    const started = performance.now();
    const write = (opts.l2WriteGuard
      ? opts.l2WriteGuard.call(() => l2.set(key, entry), { deadlineMs: opts.l2WriteTimeoutMs, idempotent: false })
      : l2.set(key, entry)
    ).then(
      (stored) => events.l2?.('write', stored ? 'ok' : 'too_large', performance.now() - started),
      (error: unknown) => {
        const reason = (error as { reason?: string }).reason;
        events.l2?.('write', reason === 'breaker_open' || reason === 'bulkhead_full' ? 'skipped' : 'error', performance.now() - started);
      },
    );
    writes.add(write);
    void write.finally(() => writes.delete(write));
  }

  function cache<V>(policy: CachePolicy<V>): Cache<V> {
    const prefix = `${policy.name}:`;

    function freshFor(value: V | undefined, t: number): number {
      const jittered = policy.ttlMs * (1 + policy.jitter * (2 * random() - 1));
      const cap = policy.ttlFor?.(value, t);
      return Math.max(0, cap === undefined ? jittered : Math.min(cap, jittered));
    }

    /** XFetch: true with probability exp(-(time left) / (scale)), scale = share of TTL + origin time. */
    function refreshEarly(entry: CacheEntry, t: number): boolean {
      if (policy.earlyRefresh <= 0) return false;
      const scale = policy.earlyRefresh * policy.ttlMs + entry.computeMs;
      return t - scale * Math.log(random()) >= entry.freshUntil;
    }

    /** Builds the entry of a value loaded at `startedAt`, caches it in L1 and (in the background) L2. */
    function store(key: string, value: V | undefined, startedAt: number, computeMs: number): void {
      const tags = policy.tags(value, key);
      // Data changed while this load ran: it may be the old data. Return it, but do not keep it.
      if (invalidatedSince(tags, startedAt)) return;
      const t = now();
      const fresh = freshFor(value, t);
      const entry: CacheEntry = {
        value: JSON.stringify(value ?? null),
        freshUntil: t + fresh,
        staleUntil: t + fresh + policy.staleMs,
        storedAt: startedAt,
        computeMs: Math.round(computeMs * 100) / 100,
        tags,
      };
      if (fresh <= 0) return;
      l1.put(prefix + key, entry, value ?? null);
      if (policy.shared) writeL2(prefix + key, entry);
    }

    async function fromOrigin(key: string, load: (signal: AbortSignal) => Promise<V | undefined>, reason: 'miss' | 'refresh' | 'early'): Promise<V | undefined> {
      const startedAt = now();
      const started = performance.now();
      let value: V | undefined;
      try {
        value = await withTimeout(policy.loadTimeoutMs, load);
      } catch (error) {
        events.origin?.(policy.name, reason, 'error', performance.now() - started);
        throw error;
      }
      const ms = performance.now() - started;
      events.origin?.(policy.name, reason, 'ok', ms);
      store(key, value, startedAt, ms);
      return value;
    }

    /** Joins the load of `key` in flight, or starts `start` as it. */
    function shared<T>(key: string, start: () => Promise<T>): { promise: Promise<T>; joined: boolean } {
      const flight = flights.get(prefix + key);
      // A load started before an invalidation of its data may bring back old data: later readers start anew.
      if (joinable(flight)) return { promise: flight.promise as Promise<T>, joined: true };
      const mine: Flight = { promise: undefined as unknown as Promise<T>, epoch, tags: policy.tags(undefined, key) };
      const promise = start();
      mine.promise = promise;
      flights.set(prefix + key, mine);
      const done = () => {
        if (flights.get(prefix + key) === mine) flights.delete(prefix + key);
      };
      promise.then(done, done);
      return { promise, joined: false };
    }

    /** One background refresh per key (stale or early); failures keep the old entry and are counted. */
    function refreshInBackground(key: string, load: (signal: AbortSignal) => Promise<V | undefined>, reason: 'refresh' | 'early'): void {
      if (joinable(flights.get(prefix + key))) return;
      const { promise } = shared(key, () => fromOrigin(key, load, reason));
      promise.catch((error: unknown) => opts.onBackgroundError?.(`cache refresh ${policy.name}`, error));
    }

    /** L1 answer for a key, starting a refresh when stale or (by chance) nearly expired. */
    function fromL1(key: string, load: (signal: AbortSignal) => Promise<V | undefined>): { value: V | undefined } | undefined {
      const hit = l1.peek(prefix + key);
      if (!hit) return undefined;
      const t = now();
      if (t < hit.entry.freshUntil) {
        events.lookup?.(policy.name, 'hit');
        if (refreshEarly(hit.entry, t)) refreshInBackground(key, load, 'early');
      } else {
        events.lookup?.(policy.name, 'stale');
        refreshInBackground(key, load, 'refresh');
      }
      return { value: (hit.value ?? undefined) as V | undefined };
    }

    /** Adopts an L2 entry into L1 and returns its value; stale ones also start a refresh. */
    function adopt(key: string, entry: CacheEntry, load: (signal: AbortSignal) => Promise<V | undefined>): { value: V | undefined } | undefined {
      // Not the bus gap: whoever changed the data also removed it from L2, so L2 missed nothing.
      if (invalidatedSince(entry.tags, entry.storedAt, false)) return undefined;
      const t = now();
      if (t >= entry.staleUntil) return undefined;
      const value = JSON.parse(entry.value) as V | null;
      l1.put(prefix + key, entry, value);
      events.lookup?.(policy.name, 'l2_hit');
      if (t >= entry.freshUntil) {
        // Adopted inside the key's own flight, which would make the refresh think one is running:
        // start it once that flight is over.
        const reading = flights.get(prefix + key);
        if (reading) void reading.promise.then(() => refreshInBackground(key, load, 'refresh'), () => undefined);
        else refreshInBackground(key, load, 'refresh');
      }
      return { value: value ?? undefined };
    }

    function wait<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
      return signal ? raceAbort(promise, signal) : promise;
    }

    return {
      async get(key, load, callOpts) {
        const local = fromL1(key, load);
        if (local) return local.value;
        const { promise, joined } = shared(key, async () => {
          if (policy.shared) {
            const entry = await readL2(prefix + key, policy.l2ReadTimeoutMs);
            const found = entry && adopt(key, entry, load);
            if (found) return found.value;
          }
          events.lookup?.(policy.name, 'miss');
          return fromOrigin(key, load, 'miss');
        });
        if (joined) events.lookup?.(policy.name, 'coalesced');
        return wait(promise as Promise<V | undefined>, callOpts?.signal);
      },

      async getMany(keys, loadMany, callOpts) {
        const out = new Map<string, V>();
        const pending: { key: string; promise: Promise<V | undefined> }[] = [];
        const missing: string[] = [];
        const unique = [...new Set(keys)];
        for (const key of unique) {
          const local = fromL1(key, async (signal) => (await loadMany([key], signal)).get(key));
          if (local) {
            if (local.value !== undefined) out.set(key, local.value);
            continue;
          }
          const flight = flights.get(prefix + key);
          if (joinable(flight)) {
            events.lookup?.(policy.name, 'coalesced');
            pending.push({ key, promise: flight.promise as Promise<V | undefined> });
          } else missing.push(key);
        }
        if (missing.length > 0) {
          // One flight for the whole batch, registered under every key it covers, so concurrent
          // readers of any of them join it instead of loading again.
          let resolveBatch!: (m: Map<string, V | undefined>) => void;
          let rejectBatch!: (e: unknown) => void;
          const batch = new Promise<Map<string, V | undefined>>((resolve, reject) => {
            resolveBatch = resolve;
            rejectBatch = reject;
          });
          batch.catch(() => undefined); // every reader gets the rejection through its own key
          for (const key of missing) pending.push({ key, promise: shared(key, () => batch.then((m) => m.get(key))).promise });
          void (async () => {
            const result = new Map<string, V | undefined>();
            const entries = policy.shared ? await readManyL2(missing.map((k) => prefix + k)) : [];
            const toLoad: string[] = [];
            missing.forEach((key, i) => {
              const entry = entries[i];
              const found = entry && adopt(key, entry, async (signal) => (await loadMany([key], signal)).get(key));
              if (found) result.set(key, found.value);
              else toLoad.push(key);
            });
            if (toLoad.length > 0) {
              for (let i = 0; i < toLoad.length; i++) events.lookup?.(policy.name, 'miss');
              const startedAt = now();
              const started = performance.now();
              const loaded = await withTimeout(policy.loadTimeoutMs, (signal) => loadMany(toLoad, signal)).catch((error: unknown) => {
                events.origin?.(policy.name, 'miss', 'error', performance.now() - started);
                throw error;
              });
              const ms = performance.now() - started;
              events.origin?.(policy.name, 'miss', 'ok', ms);
              for (const key of toLoad) {
                const value = loaded.get(key);
                // Absent keys are cached too (as "none"), so unknown ids do not reach the origin every time.
                store(key, value, startedAt, ms);
                result.set(key, value);
              }
            }
            resolveBatch(result);
          })().catch(rejectBatch);
        }
        const settled = await wait(Promise.all(pending.map((p) => p.promise)), callOpts?.signal);
        pending.forEach((p, i) => {
          const value = settled[i];
          if (value !== undefined) out.set(p.key, value);
        });
        // In the order asked, like the origin's own getMany.
        return new Map(unique.filter((k) => out.has(k)).map((k) => [k, out.get(k)!]));
      },
    };
  }

  return {
    cache,
    async invalidate(tags, invalidateOpts) {
      if (tags.length === 0) return;
      dropLocally(tags);
      const started = performance.now();
      if (l2 && invalidateOpts?.shared !== false) {
        try {
          if (opts.l2Guard) await opts.l2Guard.call(() => l2.invalidateTags(tags), { deadlineMs: opts.l2WriteTimeoutMs, idempotent: true });
          else await l2.invalidateTags(tags);
          events.l2?.('invalidate', 'ok', performance.now() - started);
        } catch (error) {
          // L2 keeps entries until their TTL, but every node that hears the bus ignores them (invalidations).
          events.l2?.('invalidate', 'error', performance.now() - started);
          opts.onBackgroundError?.('cache invalidate (L2)', error);
        }
      }
      if (opts.bus) {
        try {
          await opts.bus.publish(tags);
        } catch (error) {
          opts.onBackgroundError?.('cache invalidate (bus)', error);
        }
      }
    },
    async settled() {
      while (writes.size > 0) await Promise.allSettled([...writes]);
    },
    async close() {
      unsubscribe?.();
      unGap?.();
      await Promise.allSettled([...writes]);
    },
  };
}
