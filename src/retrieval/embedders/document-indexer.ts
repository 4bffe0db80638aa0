/**
 * Puts documents into the retriever without waiting for a remote model. A document is indexed
 * at once: lexically, and with its stored vector when the store has one (a restart, a sibling
 * worker). The rest get the zero vector (similar to nothing) and are embedded in the background,
 * a few batches at a time, then indexed again with their vectors. A 15,000-series catalog is
 * thousands of calls on a cold start (Titan embeds one text per call): readiness and catalog
 * changes never wait for them, and while the model is down the documents simply wait.
 */
import { abortableSleep } from '../../resilience/abort.ts';
import { embeddingText } from '../hybrid-retriever.ts';
import type { Embedder, EmbedOptions, IndexedDoc, Retriever } from '../types.ts';
import { embeddingErrorOf } from './errors.ts';
import type { VectorStore } from './vector-store.ts';

/** Options of {@link createDocumentIndexer}. */
export interface DocumentIndexerOptions {
  store: VectorStore;
  /** The remote model for documents (guarded: its own deadline, breaker and retries). */
  embedder: Embedder;
  /** Documents per background call. @default 32 */
  batchSize?: number;
  /** Background calls in flight at once; the rest of the model's pool stays free for customers' questions. @default 2 */
  concurrency?: number;
  /** Wait after a failed batch, doubled per failure in a row up to `maxBackoffMs`. @default 500 */
  backoffMs?: number;
  /** @default 30000 */
  maxBackoffMs?: number;
  /** A document given up (the model refuses its text even alone), or a failed round (it will be tried again). */
  onError?: (error: unknown, what: { documents: string[]; givenUp: boolean }) => void;
  /** Called when the background queue runs empty after work. */
  onIdle?: (stats: DocumentIndexerStats) => void;
  random?: () => number;
}

/** What the indexer has done so far. */
export interface DocumentIndexerStats {
  /** Documents waiting for their vector (queued or being embedded). */
  pending: number;
  /** Documents embedded by the model in the background (since start). */
  embedded: number;
  /** Documents the model refused (their vector stays zero: found lexically only). */
  givenUp: number;
}

/** The indexer for one retriever. */
export interface DocumentIndexer {
  /**
   * The Embedder the retriever is built with for its documents: stored vectors, the zero vector
   * for the rest. Queries go to the real model (see the composition root).
   */
  readonly storedDocuments: Embedder;
  /** Indexes `docs` now (lexically, stored vectors) and queues the ones without a vector. */
  index(retriever: Retriever, docs: IndexedDoc[]): Promise<void>;
  stats(): DocumentIndexerStats;
  /** Resolves once nothing is queued or being embedded (tests, benchmarks). */
  idle(): Promise<void>;
  /** Stops the background work (in-flight batches finish, nothing new starts). */
  close(): void;
}

/** Creates the background document indexer over `opts.store` and `opts.embedder`. */
export function createDocumentIndexer(opts: DocumentIndexerOptions): DocumentIndexer {
  const { store, embedder } = opts;
  const dimensions = embedder.dimensions;
  const batchSize = opts.batchSize ?? 32;
  const concurrency = opts.concurrency ?? 2;
  const backoffMs = opts.backoffMs ?? 500;
  const maxBackoffMs = opts.maxBackoffMs ?? 30_000;
  const random = opts.random ?? Math.random;
  const stopped = new AbortController();

  /** The newest version of every document handed in, so a batch finishing late never brings back an old text. */
  const latest = new Map<string, IndexedDoc>();
  /** Waiting for a vector, by id; documents that the model refused alone go to `alone`, one per call. */
  const queue = new Map<string, { doc: IndexedDoc; retriever: Retriever }>();
  const alone = new Map<string, { doc: IndexedDoc; retriever: Retriever }>();
  let running = 0;
  let failuresInARow = 0;
  let embedded = 0;
  let givenUp = 0;
  let waiters: (() => void)[] = [];

  const storedDocuments: Embedder = {
    dimensions,
    async embed(texts: string[], callOpts?: EmbedOptions): Promise<Float32Array[]> {
      callOpts?.signal?.throwIfAborted();
      return texts.map((t) => store.get(t) ?? new Float32Array(dimensions));
    },
  };

  const pending = () => queue.size + alone.size + inFlight;
  let inFlight = 0;

  function settleIdle(): void {
    if (pending() > 0 && !stopped.signal.aborted) return;
    const done = waiters;
    waiters = [];
    for (const w of done) w();
  }

  /** The next batch: documents refused in a group go one at a time, the rest in groups. */
  function take(): { doc: IndexedDoc; retriever: Retriever }[] {
    const from = alone.size > 0 ? alone : queue;
    const size = from === alone ? 1 : batchSize;
    const batch: { doc: IndexedDoc; retriever: Retriever }[] = [];
    for (const [id, item] of from) {
      from.delete(id);
      // Superseded by a newer text of the same id: that one is (or was) queued on its own.
      if (latest.get(id) !== item.doc) continue;
      batch.push(item);
      if (batch.length >= size) break;
    }
    return batch;
  }

  async function work(): Promise<void> {
    running++;
    try {
      while (!stopped.signal.aborted) {
        const batch = take();
        if (batch.length === 0) break;
        inFlight += batch.length;
        try {
          await embedBatch(batch);
          failuresInARow = 0;
        } catch (error) {
          if (stopped.signal.aborted) {
            inFlight -= batch.length;
            break;
          }
          const refused = embeddingErrorOf(error)?.kind === 'rejected';
          if (refused && batch.length === 1) {
            givenUp++;
            opts.onError?.(error, { documents: [batch[0].doc.id], givenUp: true });
          } else {
            for (const item of batch) (refused ? alone : queue).set(item.doc.id, item);
            if (!refused) {
              opts.onError?.(error, { documents: batch.map((b) => b.doc.id), givenUp: false });
              failuresInARow++;
              // Full jitter, so siblings that failed together do not come back together.
              const wait = Math.min(maxBackoffMs, backoffMs * 2 ** (failuresInARow - 1)) * (0.5 + random() / 2);
              inFlight -= batch.length;
              await abortableSleep(wait, stopped.signal).catch(() => {});
              continue;
            }
          }
        }
        inFlight -= batch.length;
      }
    } finally {
      running--;
      settleIdle();
      if (pending() === 0 && running === 0) opts.onIdle?.(stats());
    }
  }

  async function embedBatch(batch: { doc: IndexedDoc; retriever: Retriever }[]): Promise<void> {
    const texts = batch.map((b) => embeddingText(b.doc));
    // A sibling process sharing the store may have embedded some meanwhile: those are only indexed again.
    const missing = texts.filter((t) => !store.has(t));
    if (missing.length > 0) {
      const vectors = await embedder.embed(missing, { input: 'document' });
      store.put(missing.map((text, i) => ({ text, vector: vectors[i] })));
      embedded += missing.length;
    }
    // Indexed again, now with the stored vectors; only documents still current.
    const byRetriever = new Map<Retriever, IndexedDoc[]>();
    for (const { doc, retriever } of batch) {
      if (latest.get(doc.id) !== doc) continue;
      byRetriever.set(retriever, [...(byRetriever.get(retriever) ?? []), doc]);
    }
    for (const [retriever, docs] of byRetriever) await retriever.upsert(docs);
  }

  function kick(): void {
    while (running < concurrency && queue.size + alone.size > 0 && !stopped.signal.aborted) void work();
  }

  function stats(): DocumentIndexerStats {
    return { pending: pending(), embedded, givenUp };
  }

  return {
    storedDocuments,
    async index(retriever, docs) {
      for (const d of docs) latest.set(d.id, d);
      await retriever.upsert(docs);
      const missing = docs.filter((d) => latest.get(d.id) === d && !store.has(embeddingText(d)));
      // Sibling workers start on the same catalog at the same time: each begins at its own
      // random place, so they split the work instead of all embedding the same documents first.
      const start = missing.length > batchSize ? Math.floor(random() * missing.length) : 0;
      for (let i = 0; i < missing.length; i++) {
        const doc = missing[(start + i) % missing.length];
        queue.delete(doc.id);
        queue.set(doc.id, { doc, retriever });
      }
      kick();
    },
    stats,
    idle() {
      if ((pending() === 0 && running === 0) || stopped.signal.aborted) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    close() {
      stopped.abort();
      queue.clear();
      alone.clear();
      settleIdle();
    },
  };
}
