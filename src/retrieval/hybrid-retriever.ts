// The Retriever: lexical BM25 and vector candidates, fused by reciprocal rank, reranked, cut to top few.
// Reranker down → raw vector order, top 3 (the design's per-model circuit-breaker fallback).
import type { CallOptions } from '../shared/call.ts';
import { raceAbort } from '../resilience/abort.ts';
import type { Embedder, IndexedDoc, Reranker, RetrievalQuery, RetrievalResult, Retriever, ScoredDoc } from './types.ts';
import { LexicalIndex, analyzeDoc, type LexicalSnapshot } from './lexical-index.ts';
import { VectorIndex } from './vector-index.ts';
import { detectLanguage } from '../understanding/language.ts';
import { conceptsOf } from './concepts.ts';

/** A concept at most this many documents mention is rare: it tells which series a description means. */
const RARE_CONCEPT_DOCS = 6;
/** A concept at most this many documents mention is specific: a series a description means must mention it too. */
const SPECIFIC_CONCEPT_DOCS = 12;
/** At most this many series may hold every rare concept of a query for them to be its matches. */
const CONCEPT_MATCHES = 3;

/** Options for {@link createHybridRetriever}. */
export interface HybridRetrieverOptions {
  embedder: Embedder;
  /** Omit to return fused order (and no `rerankSkipped`). */
  reranker?: Reranker;
  /** Candidates taken from each list and handed to the reranker. @default 20 */
  candidates?: number;
  /** Reciprocal rank fusion constant: higher flattens the head of each list. @default 60 */
  rrfK?: number;
  /** Weight of each list in the fusion; the lexical list is the sharper one with the hashing embedder. @default { lexical: 1, vector: 1 } */
  listWeights?: { lexical?: number; vector?: number };
  /** Multiplier on the fused score of kb chunks in the other language than the query. @default 0.5 */
  otherLanguageFactor?: number;
  /** Documents embedded per batch on upsert. @default 256 */
  embedBatch?: number;
  /** Which stages run; the evaluation compares them. @default 'hybrid' */
  mode?: 'hybrid' | 'lexical' | 'vector';
}

/** The text a document is embedded from (also the key of its stored vector, src/retrieval/embedders/). */
export function embeddingText(doc: IndexedDoc): string {
  return `${doc.title}\n${doc.text}`;
}

/** What indexing a batch computes before it touches the index: each document's terms per field and its vector. */
export interface PreparedDocs {
  /** {@link analyzeDoc} of each document (read again from the texts when absent). */
  terms?: string[][][];
  vectors: Float32Array[];
  /** The lexical index of exactly these documents, upserted into an empty one (a stored index): restored instead of indexing the terms when the index is empty. */
  lexical?: LexicalSnapshot;
}

/** The hybrid retriever, which can also index documents prepared earlier (a stored index, src/retrieval/persisted-index.ts). */
export interface HybridRetriever extends Retriever {
  /** The terms and vectors `upsert(batch)` would index (embedding through the embedder). */
  prepare(batch: IndexedDoc[]): Promise<PreparedDocs>;
  /** `upsert(batch)` with its terms and vectors given: `prepared` must be `prepare(batch)`'s, by the same code and embedder. */
  upsertPrepared(batch: IndexedDoc[], prepared: PreparedDocs): void;
}

/** Hits returned when the reranker failed: the design's "top-3 from the vector search". */
const RERANK_FALLBACK_TOP = 3;

/** Creates the hybrid retriever (BM25 + vectors, RRF, rerank with fallback to raw vector order, top 3). */
export function createHybridRetriever(opts: HybridRetrieverOptions): HybridRetriever {
  const { embedder, reranker } = opts;
  const candidates = opts.candidates ?? 20;
  const rrfK = opts.rrfK ?? 60;
  const otherLanguageFactor = opts.otherLanguageFactor ?? 0.5;
  const embedBatch = opts.embedBatch ?? 256;
  const mode = opts.mode ?? 'hybrid';
  const lexicalWeight = opts.listWeights?.lexical ?? 1;
  const vectorWeight = opts.listWeights?.vector ?? 1;
  const docs = new Map<string, IndexedDoc>();
  const lexical = new LexicalIndex();
  const vectors = new VectorIndex(embedder.dimensions);

  async function prepare(batch: IndexedDoc[]): Promise<PreparedDocs> {
    const embedded: Float32Array[] = [];
    for (let i = 0; i < batch.length; i += embedBatch) {
      const slice = batch.slice(i, i + embedBatch);
      embedded.push(...(await embedder.embed(slice.map(embeddingText), { input: 'document' })));
    }
    return { terms: batch.map(analyzeDoc), vectors: embedded };
  }

  function upsertPrepared(batch: IndexedDoc[], prepared: PreparedDocs): void {
    if (!prepared.lexical || !lexical.restore(batch, prepared.lexical)) lexical.upsert(batch, prepared.terms);
    batch.forEach((d, i) => {
      docs.set(d.id, d);
      vectors.set(d.id, prepared.vectors[i]);
    });
  }

  async function upsert(batch: IndexedDoc[]): Promise<void> {
    // Embed before touching either index so a failing embedder leaves the index unchanged.
    upsertPrepared(batch, await prepare(batch));
  }

  async function search(query: RetrievalQuery, callOpts: CallOptions = {}): Promise<RetrievalResult> {
    const topK = query.topK ?? 3;
    const lang = query.language ?? detectLanguage(query.text);
    const filter = query.kind ? (id: string) => docs.get(id)?.kind === query.kind : undefined;

    let t = performance.now();
    const lexHits = mode === 'vector' ? [] : lexical.search(query.text, candidates, filter);
    const lexicalMs = performance.now() - t;

    t = performance.now();
    let vecHits: { id: string; score: number }[] = [];
    let vectorSkipped = false;
    if (mode !== 'lexical') {
      try {
        const [qv] = await embedder.embed([query.text], callOpts);
        vecHits = vectors.search(qv, candidates, filter);
      } catch (err) {
        // A remote embedder that is down must not take retrieval down: BM25 alone still answers.
        if (mode === 'vector') throw err;
        vectorSkipped = true;
      }
    }
    const vectorMs = performance.now() - t;

    const fused = fuse(
      [
        { hits: lexHits, weight: lexicalWeight },
        { hits: vecHits, weight: vectorWeight },
      ],
      lang,
    ).slice(0, candidates);

    t = performance.now();
    let hits = fused;
    let rerankSkipped = false;
    if (reranker && fused.length > 1) {
      try {
        const reranking = reranker.rerank(query.text, fused, { signal: callOpts.signal });
        hits = await (callOpts.signal ? raceAbort(reranking, callOpts.signal) : reranking);
      } catch {
        rerankSkipped = true;
        hits = rerankFallback(vecHits, fused);
      }
    }
    const rerankMs = performance.now() - t;

    const limit = rerankSkipped ? Math.min(topK, RERANK_FALLBACK_TOP) : topK;
    const result: RetrievalResult = { hits: hits.slice(0, limit), timings: { lexicalMs, vectorMs, rerankMs } };
    if (reranker) result.rerankSkipped = rerankSkipped;
    if (vectorSkipped) result.vectorSkipped = true;
    const conceptMatches = mode === 'vector' ? [] : rareConceptMatches(query.text);
    if (conceptMatches.length > 0) result.conceptMatches = conceptMatches;
    return result;
  }

  /**
   * The series documents that mention every specific concept of the query, when one of them is
   * rare (few documents mention shogi, figure skating, heliocentrism) and only a few series
   * mention them all. A broad concept (school, love) says nothing about which series is meant
   * and is left aside; no rare one, or too many documents with them all: none.
   */
  function rareConceptMatches(text: string): IndexedDoc[] {
    const df = new Map(conceptsOf(text).map((c) => [c, lexical.documentFrequency(c)]));
    // Every specific concept must be there ("a detective cat" is not Doraemon, the one cat);
    // broad ones (school, love, a student) describe half the catalog and are left aside.
    const specific = [...df].filter(([, n]) => n > 0 && n <= SPECIFIC_CONCEPT_DOCS).map(([c]) => c);
    if (!specific.some((c) => df.get(c)! <= RARE_CONCEPT_DOCS)) return [];
    const ids = lexical.withAll(specific, CONCEPT_MATCHES + 1);
    const series = new Set(ids.filter((id) => docs.get(id)?.kind === 'series'));
    if (series.size === 0 || series.size > CONCEPT_MATCHES) return [];
    // Best first by the query's own words ("地動説" said outright beats an astronomy club).
    const ranked = lexical.search(text, series.size, (id) => series.has(id)).map((h) => h.id);
    return [...new Set([...ranked, ...series])].map((id) => docs.get(id)!);
  }

  /**
   * The design's fallback when the reranker is down or too slow: raw cosine similarity, i.e. the
   * vector search's own order and scores (no fusion, no language factor). A document with no
   * similarity at all is no hit. When no vector hit is left — embedder down, lexical mode, or
   * nothing similar — the fused order is all there is (then simply the lexical list), which still
   * beats answering without passages.
   */
  function rerankFallback(vecHits: { id: string; score: number }[], fused: ScoredDoc[]): ScoredDoc[] {
    const similar = vecHits.filter((h) => h.score > 0);
    if (similar.length === 0) return fused;
    return similar.map((h) => ({ doc: docs.get(h.id)!, score: h.score }));
  }

  function fuse(lists: { hits: { id: string; score: number }[]; weight: number }[], lang: 'ja' | 'en'): ScoredDoc[] {
    const scores = new Map<string, number>();
    for (const { hits, weight } of lists) {
      hits.forEach((hit, rank) => scores.set(hit.id, (scores.get(hit.id) ?? 0) + weight / (rrfK + rank + 1)));
    }
    const out: ScoredDoc[] = [];
    for (const [id, score] of scores) {
      const doc = docs.get(id)!;
      // 'mul' series serve both languages; kb chunks exist per language, so prefer the customer's.
      const factor = doc.kind === 'kb' && doc.language !== 'mul' && doc.language !== lang ? otherLanguageFactor : 1;
      out.push({ doc, score: score * factor });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  return { search, upsert, prepare, upsertPrepared, size: () => docs.size };
}

