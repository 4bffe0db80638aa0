import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Guards } from '../resilience/registry.ts';
import type { SqliteCatalog } from '../catalog/sqlite-catalog.ts';
import type { Series } from '../catalog/types.ts';
import type { IndexedDoc, Retriever } from '../retrieval/types.ts';
import { loadKnowledgeBase, catalogDocs } from '../retrieval/documents.ts';
import { createFeatureReranker } from '../retrieval/feature-reranker.ts';
import { createHybridRetriever } from '../retrieval/hybrid-retriever.ts';
import { upsertPersisted } from '../retrieval/persisted-index.ts';
import type { DerivedEvent } from '../store/derived-file.ts';
import { withRerankGuard } from '../retrieval/rerank-deadline.ts';
import type { Embeddings } from './embeddings.ts';

/** The retrieval index and what it was built from. */
export interface Retrieval {
  retriever: Retriever;
  /** The knowledge base of STORE_DATA_DIR/kb (also part of the semantic cache's version). */
  knowledgeBase: IndexedDoc[];
  /** Every series, as read for the index at start-up (the guardrails are built from the same read). */
  allSeries: Series[];
  /** The catalog's version `allSeries` was read at: what the guardrails' stored audience is keyed by. */
  allSeriesVersion: string;
  /** Resolves once what follows the catalog changes seen so far (the retrieval index) is done. */
  settled(): Promise<unknown>;
}

/**
 * Retrieval: one index over the knowledge base and every series in the catalog, following the
 * catalog's changes. With a remote embedding model the documents are indexed at once and get
 * their vectors in the background. `catalog` is the cached catalog; `origin` the SQLite one under it.
 */
export async function createRetrieval(config: Config, ctx: { embeddings: Embeddings; guards: Guards; catalog: SqliteCatalog; origin: SqliteCatalog; logger: Logger; dataDir?: string; derivedEvent?: (e: DerivedEvent) => void }): Promise<Retrieval> {
  const { embeddings, catalog, logger } = ctx;
  const retriever = createHybridRetriever({
    embedder: embeddings.embedder,
    reranker: withRerankGuard(createFeatureReranker(), ctx.guards.get('reranker'), config.RERANK_TIMEOUT_MS),
    candidates: 20,
  });
  const allSeriesVersion = ctx.origin.version();
  const allSeries = await catalog.allSeries();
  const knowledgeBase = loadKnowledgeBase(join(resolve(config.STORE_DATA_DIR), 'kb'));
  if (config.EMBEDDINGS_PROVIDER === 'hashing' && ctx.dataDir !== undefined) {
    // The in-process embedder is a pure function of the text: the documents' terms and vectors are
    // kept in DATA_DIR/derived, keyed by the documents and the code (a restart reads them).
    const dimensions = embeddings.embedder.dimensions;
    await upsertPersisted(retriever, [...knowledgeBase, ...catalogDocs(allSeries)], { dir: join(ctx.dataDir, 'derived'), embedder: { identity: embeddings.identity, dimensions }, onEvent: ctx.derivedEvent });
  } else {
    await embeddings.index(retriever, knowledgeBase);
    await embeddings.index(retriever, catalogDocs(allSeries));
  }
  // What follows a catalog change (the retrieval index) runs in the background; a catalog.changed
  // event waits for it (settled), so the message after an import sees the imported series.
  const catalogFollowers = new Set<Promise<unknown>>();
  const follow = (work: Promise<unknown>): void => {
    catalogFollowers.add(work);
    void work.finally(() => catalogFollowers.delete(work));
  };
  catalog.onChange((changed) => {
    follow(embeddings.index(retriever, catalogDocs(changed)).catch((err) => logger.error({ err }, 'retrieval refresh failed')));
  });
  return { retriever, knowledgeBase, allSeries, allSeriesVersion, settled: () => Promise.all(catalogFollowers) };
}
