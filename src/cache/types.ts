import type { CallOptions } from '../shared/call.ts';

/**
 * One cached value as every tier stores it. Times are absolute (ms since the epoch) so an entry
 * read from Redis on another node keeps the freshness it was written with.
 */
export interface CacheEntry {
  /** The value, serialised as JSON (`null` stands for "the origin has no such thing"). */
  value: string;
  /** Until then the entry is fresh. */
  freshUntil: number;
  /** Between `freshUntil` and this, the entry may be served stale while one refresh runs; after it, it is gone. */
  staleUntil: number;
  /** When the origin produced the value. */
  storedAt: number;
  /** How long the origin took to produce it, in ms (scales the probabilistic early refresh). */
  computeMs: number;
  /** Invalidation tags, e.g. `series:one-piece`: invalidating a tag removes every entry carrying it. */
  tags: string[];
}

/**
 * Port: one shared tier of the data cache (L2), e.g. Redis. Every adapter passes the contract
 * suite in test/cache/cache-store-contract.ts. Adapters never throw for a value that is too
 * large: it is simply not stored (`set` resolves false).
 */
export interface CacheStore {
  readonly name: string;
  /** The entry, or undefined when absent or past `staleUntil`. */
  get(key: string, opts?: CallOptions): Promise<CacheEntry | undefined>;
  /** Many entries at once (one round trip), in the order asked. */
  getMany(keys: string[], opts?: CallOptions): Promise<(CacheEntry | undefined)[]>;
  /** Stores the entry until its `staleUntil`, indexed under its tags; false when not stored (too large). */
  set(key: string, entry: CacheEntry): Promise<boolean>;
  delete(keys: string[]): Promise<void>;
  /** Removes every entry carrying at least one of the tags. */
  invalidateTags(tags: string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Port: tells every node that data changed, so each drops the entries of its in-process tier
 * that carry the tags. Adapters: in-process (one node) and Redis pub/sub (many).
 */
export interface InvalidationBus {
  readonly name: string;
  /** Sends the tags to every subscriber, this node's included. */
  publish(tags: string[]): Promise<void>;
  /** Called with the tags of every invalidation published anywhere; returns an unsubscribe. */
  subscribe(listener: (tags: string[]) => void): () => void;
  /**
   * Called when the bus may have missed messages (its connection dropped and came back): the
   * subscriber cannot know what changed meanwhile and drops its whole in-process tier.
   */
  onGap(listener: () => void): () => void;
  close(): Promise<void>;
}

/** A semantic answer cache entry: one answered question and its answer. */
export interface SemanticEntry {
  /** The question's embedding (unit length). */
  vector: Float32Array;
  /** The question as asked (for operators and the false-hit checks). */
  question: string;
  /** The full answer text, replayed as a stream on a hit. */
  answer: string;
  storedAt: number;
}

/** The best match of a semantic lookup. */
export interface SemanticMatch {
  entry: SemanticEntry;
  /** Cosine similarity to the question asked, 0..1 for unit vectors pointing alike. */
  similarity: number;
}

/**
 * Port: where the semantic answer cache keeps its entries, grouped in partitions (language,
 * intent and what the answer is grounded on, e.g. `faq:en:returns` or `pq:ja:one-piece`): a
 * question is only ever compared with questions of its own partition. Adapters: in-process and
 * Redis; both pass test/cache/semantic-store-contract.ts.
 */
export interface SemanticStore {
  readonly name: string;
  /** The most similar entry of the partition, when its similarity reaches `threshold`. */
  nearest(partition: string, vector: Float32Array, threshold: number, opts?: CallOptions): Promise<SemanticMatch | undefined>;
  /** Adds an entry; the partition keeps its newest `maxPerPartition` entries, each for the store's TTL. */
  add(partition: string, entry: SemanticEntry): Promise<void>;
  /**
   * Drops partitions named by the prefixes: a prefix matches the partition of that name and every
   * partition below it (`faq` drops `faq:en:returns`; `pq:en:one-piece` not `pq:en:one-piece-party`).
   */
  dropPartitions(prefixes: string[]): Promise<void>;
  close(): Promise<void>;
}
