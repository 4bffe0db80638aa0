import { LRUCache } from 'lru-cache';
import type { CacheEntry, CacheStore } from './types.ts';

export interface InProcessStoreOptions {
  /** Most entries kept; the least recently used go first. */
  maxEntries: number;
  /** Most bytes kept (estimated, see `entryBytes`); the least recently used go first. */
  maxBytes: number;
  /** An entry whose serialised value is larger is not stored at all (one huge value must not flush the hot ones). */
  maxEntryBytes: number;
  now?: () => number;
  /** Told about every entry evicted to make room (not expiry, not invalidation). */
  onEvict?: () => void;
}

/** What the in-process tier keeps per key: the entry and, once read, its parsed (frozen) value. */
interface Slot {
  entry: CacheEntry;
  bytes: number;
  parsed?: { value: unknown };
}

/** The in-process tier (L1): synchronous reads for the hot path, plus the async store port. */
export interface InProcessStore extends CacheStore {
  /** The entry and its parsed value, without a round trip; undefined when absent or past `staleUntil`. */
  peek(key: string): { entry: CacheEntry; value: unknown } | undefined;
  /** Stores an entry (optionally with its already-parsed value); false when too large. */
  put(key: string, entry: CacheEntry, value?: unknown): boolean;
  remove(keys: string[]): void;
  /** Drops every entry carrying one of the tags; returns how many went. */
  dropTags(tags: string[]): number;
  clear(): void;
  stats(): { entries: number; bytes: number };
}

/**
 * The in-process cache tier. Bounded by entry count and bytes with LRU eviction (lru-cache);
 * expiry is checked on read against the entry's own absolute times, so an entry copied from
 * Redis expires when it does there. Values are parsed once and frozen: every reader shares one
 * object, and a caller that tried to modify it would throw instead of corrupting the cache.
 */
export function createInProcessStore(opts: InProcessStoreOptions): InProcessStore {
  const now = opts.now ?? Date.now;
  // Tag → keys carrying it, kept in step with the LRU through `dispose`.
  const byTag = new Map<string, Set<string>>();
  const lru = new LRUCache<string, Slot>({
    max: Math.max(1, opts.maxEntries),
    maxSize: Math.max(1, opts.maxBytes),
    sizeCalculation: (slot) => slot.bytes,
    dispose: (slot, key, reason) => {
      for (const tag of slot.entry.tags) {
        const keys = byTag.get(tag);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) byTag.delete(tag);
      }
      if (reason === 'evict') opts.onEvict?.();
    },
  });

  function live(key: string): Slot | undefined {
    const slot = lru.get(key);
    if (!slot) return undefined;
    if (slot.entry.staleUntil <= now()) {
      lru.delete(key);
      return undefined;
    }
    return slot;
  }

  function put(key: string, entry: CacheEntry, value?: unknown): boolean {
    // The JSON's UTF-8 length once (it is the size check and most of the estimate).
    const valueBytes = Buffer.byteLength(entry.value);
    const bytes = entryBytes(key, entry, valueBytes);
    if (valueBytes > opts.maxEntryBytes || bytes > opts.maxBytes) {
      lru.delete(key); // an older, smaller value of the key must not outlive this write
      return false;
    }
    if (entry.staleUntil <= now()) return false;
    lru.set(key, { entry, bytes, ...(value !== undefined ? { parsed: { value: deepFreeze(value) } } : {}) });
    for (const tag of entry.tags) {
      let keys = byTag.get(tag);
      if (!keys) byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  function dropTags(tags: string[]): number {
    let dropped = 0;
    for (const tag of tags) {
      const keys = byTag.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) if (lru.delete(key)) dropped++;
    }
    return dropped;
  }

  return {
    name: 'in-process',
    peek(key) {
      const slot = live(key);
      if (!slot) return undefined;
      slot.parsed ??= { value: deepFreeze(JSON.parse(slot.entry.value)) };
      return { entry: slot.entry, value: slot.parsed.value };
    },
    put,
    remove(keys) {
      for (const key of keys) lru.delete(key);
    },
    dropTags,
    clear: () => lru.clear(),
    stats: () => ({ entries: lru.size, bytes: lru.calculatedSize }),
    async get(key) {
      return live(key)?.entry;
    },
    async getMany(keys) {
      return keys.map((key) => live(key)?.entry);
    },
    async set(key, entry) {
      return put(key, entry);
    },
    async delete(keys) {
      for (const key of keys) lru.delete(key);
    },
    async invalidateTags(tags) {
      dropTags(tags);
    },
    async close() {
      lru.clear();
    },
  };
}

/**
 * Estimated memory of an entry: its JSON twice (the text, and the parsed objects, which take
 * about as much again) plus the key and tags. An estimate, not a measurement: it keeps the bound
 * proportional to what is really held without walking object graphs.
 */
export function entryBytes(key: string, entry: CacheEntry, valueBytes = Buffer.byteLength(entry.value)): number {
  let tagBytes = 0;
  for (const tag of entry.tags) tagBytes += tag.length + 16;
  return 2 * valueBytes + key.length + tagBytes + 64;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    // Walked without an array of values per object: freezing a cached 10-message history took
    // 35-100 us with Object.values, ~20-30 with this. Cached values are JSON data (they are
    // stored as JSON), so for-in sees exactly their own keys.
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    } else {
      for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
    }
  }
  return value;
}
