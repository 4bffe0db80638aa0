import type { CallOptions } from '../shared/call.ts';

/** A document in the one index over the knowledge base and the catalog. */
export interface IndexedDoc {
  /** Unique id: `kb:<docId>#<chunk>` for knowledge-base chunks, `series:<seriesId>` for catalog entries. */
  id: string;
  kind: 'kb' | 'series';
  /** Language of the text; catalog entries carry both names and use 'mul'. */
  language: 'ja' | 'en' | 'mul';
  title: string;
  text: string;
  /** For kb: the topic (shipping, returns, ...); for series: the series id. */
  ref: string;
  /** Every name the document is known by (series title, English/Japanese titles, aliases), for exact-name matching. */
  names?: string[];
}

/** A document with its score at some stage of retrieval. */
export interface ScoredDoc {
  doc: IndexedDoc;
  score: number;
}

/**
 * What a text is embedded as. Retrieval embeds its documents once and the customer's question per
 * search; the semantic cache compares questions with questions. Models trained with instructions
 * (e5: "query: " / "passage: ") embed the two differently; the built-in one and Titan do not.
 */
export type EmbedInput = 'query' | 'document';

/** Options of one embedding call. */
export interface EmbedOptions extends CallOptions {
  /** @default 'query' */
  input?: EmbedInput;
}

/** Port: turns text into a unit-length vector. The built-in one needs no model download. */
export interface Embedder {
  readonly dimensions: number;
  /** One vector per text, in the order given. */
  embed(texts: string[], opts?: EmbedOptions): Promise<Float32Array[]>;
}

/** Port: reorders candidates by relevance to the query (cross-encoder style). */
export interface Reranker {
  rerank(query: string, candidates: ScoredDoc[], opts?: CallOptions): Promise<ScoredDoc[]>;
}

export interface RetrievalQuery {
  text: string;
  language?: 'ja' | 'en';
  /** Restrict to one kind of document. */
  kind?: 'kb' | 'series';
  /** How many to return after reranking (default 3). */
  topK?: number;
}

/** What retrieval returns, with the stages timed so the pipeline can report them. */
export interface RetrievalResult {
  hits: ScoredDoc[];
  timings: { lexicalMs: number; vectorMs: number; rerankMs: number };
  /** True when the reranker failed or timed out: hits are then the vector search's top 3 (fused top 3 without vectors). */
  rerankSkipped?: boolean;
  /** True when the embedder failed and only the lexical list was used. */
  vectorSkipped?: boolean;
  /**
   * Series documents that mention every rare story concept of the query (src/retrieval/concepts.ts:
   * a concept only a few documents mention, such as shogi or heliocentrism), whatever their rank:
   * "a shogi manga" is about the few series that say shogi. Absent when the query names none.
   */
  conceptMatches?: IndexedDoc[];
}

/** Port: hybrid retrieval (lexical + vector, top-20 candidates, rerank, top few). */
export interface Retriever {
  search(query: RetrievalQuery, opts?: CallOptions): Promise<RetrievalResult>;
  /** Replace or add documents (catalog updates, kb reloads). */
  upsert(docs: IndexedDoc[]): Promise<void>;
  size(): number;
}
