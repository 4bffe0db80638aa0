import type { CallOptions } from '../../shared/call.ts';
import type { SemanticEntry, SemanticMatch, SemanticStore } from '../types.ts';

/** Options of {@link createInProcessSemanticStore}. */
export interface InProcessSemanticStoreOptions {
  /** How long an entry may be served after its `storedAt`. */
  ttlMs: number;
  /** Entries kept per partition; the most recently added win. */
  maxPerPartition: number;
  /** Entries kept in the whole store (see the eviction note below). */
  maxEntries: number;
  now?: () => number;
}

/** The in-process semantic store, plus its size for metrics and tests. */
export interface InProcessSemanticStore extends SemanticStore {
  /** Partitions and entries held, expired ones not yet swept included. */
  stats(): { partitions: number; entries: number };
}

/**
 * Semantic answer cache for one node. A lookup is an exact scan of one partition: partitions are
 * small and bounded (`maxPerPartition`), so a brute-force dot product over a few dozen vectors
 * is cheaper than maintaining any index, and never misses the true nearest entry.
 *
 * Eviction when the store is full: the least recently used partition (looked up or added to)
 * gives up its oldest entry, repeatedly, until the store fits. Partitions are the unit of
 * locality (one series, one policy topic), so the one nobody asked about lately is the least
 * likely to produce the next hit; taking its entries one at a time rather than the whole
 * partition keeps an add from throwing away up to `maxPerPartition` answers to make room for one.
 * Expired entries are swept from a partition whenever it is looked up, added to or evicted from.
 */
export function createInProcessSemanticStore(opts: InProcessSemanticStoreOptions): InProcessSemanticStore {
  validateOptions(opts);
  if (!Number.isInteger(opts.maxEntries) || opts.maxEntries < 1) throw new RangeError('maxEntries must be an integer >= 1');
  const now = opts.now ?? Date.now;
  // Map iteration order is the LRU order: a touched partition is re-inserted at the end.
  // Each partition's array is oldest first.
  const partitions = new Map<string, SemanticEntry[]>();
  let total = 0;

  /** Removes the partition's expired entries; returns the live array, or undefined when none is left. */
  function sweep(name: string, list: SemanticEntry[], at: number): SemanticEntry[] | undefined {
    let kept = 0;
    for (const entry of list) if (isLive(entry, at, opts.ttlMs)) list[kept++] = entry;
    total -= list.length - kept;
    list.length = kept;
    if (kept === 0) {
      partitions.delete(name);
      return undefined;
    }
    return list;
  }

  function touch(name: string, list: SemanticEntry[]): void {
    partitions.delete(name);
    partitions.set(name, list);
  }

  function evictToFit(at: number): void {
    while (total > opts.maxEntries) {
      const [name, list] = partitions.entries().next().value!;
      const live = sweep(name, list, at);
      if (!live || total <= opts.maxEntries) continue;
      live.shift();
      total--;
      if (live.length === 0) partitions.delete(name);
    }
  }

  return {
    name: 'in-process',

    async nearest(partition: string, vector: Float32Array, threshold: number, callOpts?: CallOptions): Promise<SemanticMatch | undefined> {
      callOpts?.signal?.throwIfAborted();
      const list = partitions.get(partition);
      if (!list) return undefined;
      const live = sweep(partition, list, now());
      if (!live) return undefined;
      touch(partition, live);
      return bestMatch(live, vector, threshold);
    },

    async add(partition: string, entry: SemanticEntry): Promise<void> {
      const at = now();
      if (!isLive(entry, at, opts.ttlMs)) return;
      // A copy: the caller may reuse its buffer, and a cached vector must not change under us.
      const stored: SemanticEntry = { vector: entry.vector.slice(), question: entry.question, answer: entry.answer, storedAt: entry.storedAt };
      const list = partitions.get(partition) ?? [];
      list.push(stored);
      total++;
      if (list.length > opts.maxPerPartition) {
        const excess = list.length - opts.maxPerPartition;
        list.splice(0, excess);
        total -= excess;
      }
      touch(partition, list);
      evictToFit(at);
    },

    async dropPartitions(prefixes: string[]): Promise<void> {
      if (prefixes.length === 0) return;
      for (const [name, list] of partitions) {
        if (prefixes.some((prefix) => partitionUnder(name, prefix))) {
          partitions.delete(name);
          total -= list.length;
        }
      }
    },

    stats() {
      return { partitions: partitions.size, entries: total };
    },

    async close() {
      partitions.clear();
      total = 0;
    },
  };
}

/** Shared by both adapters so they agree on what a valid configuration is. */
export function validateOptions(opts: { ttlMs: number; maxPerPartition: number }): void {
  if (!(opts.ttlMs > 0) || !Number.isFinite(opts.ttlMs)) throw new RangeError('ttlMs must be a positive number');
  if (!Number.isInteger(opts.maxPerPartition) || opts.maxPerPartition < 1) throw new RangeError('maxPerPartition must be an integer >= 1');
}

/** Whether the entry may still be served at `at`; the same boundary as the data cache (gone at expiry). */
export function isLive(entry: { storedAt: number }, at: number, ttlMs: number): boolean {
  return entry.storedAt + ttlMs > at;
}

/** The partition named by the prefix, or one below it (`:`-separated), per the port. */
export function partitionUnder(partition: string, prefix: string): boolean {
  return partition === prefix || (partition.startsWith(prefix) && partition.charCodeAt(prefix.length) === 58 /* ':' */);
}

/** Float32 rounding of a cosine similarity. */
const SIMILARITY_TOLERANCE = 1e-6;

/**
 * The most similar entry reaching `threshold`. On a tie the later entry in `entries` wins, so
 * callers pass them oldest first and the freshest answer is replayed. Entries whose vector has
 * another dimension (written before an embedder change) cannot be compared and are skipped.
 */
export function bestMatch(entries: readonly SemanticEntry[], vector: Float32Array, threshold: number): SemanticMatch | undefined {
  let best: SemanticEntry | undefined;
  let bestSim = -Infinity;
  for (const entry of entries) {
    if (entry.vector.length !== vector.length) continue;
    const sim = dot(entry.vector, vector);
    if (sim >= bestSim) {
      best = entry;
      bestSim = sim;
    }
  }
  // A text embedded twice gives float32 unit vectors whose dot product may fall a few ulps short
  // of 1 (0.99999992 seen): without the tolerance, threshold 1 ("exact repeats only") misses them.
  if (!best || !(bestSim >= threshold - SIMILARITY_TOLERANCE)) return undefined;
  return { entry: best, similarity: bestSim };
}

/**
 * Cosine similarity of unit vectors. Summed in doubles, then clamped to [-1, 1]: float32 rounding
 * puts identical vectors a hair above 1, which would read as "more than identical" in metrics.
 */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return Math.max(-1, Math.min(1, sum));
}
