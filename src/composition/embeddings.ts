import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Guards } from '../resilience/registry.ts';
import { openDatabase } from '../store/sqlite.ts';
import { createDnsCache } from '../llm/dns-cache.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createHashingEmbedder } from '../retrieval/hashing-embedder.ts';
import type { Embedder, EmbedOptions, IndexedDoc, Retriever } from '../retrieval/types.ts';
import { createDocumentIndexer, type DocumentIndexerStats } from '../retrieval/embedders/document-indexer.ts';
import { guardEmbedder } from '../retrieval/embedders/guarded.ts';
import { withInputPrefixes } from '../retrieval/embedders/prefixed.ts';
import { memoizeQueries } from '../retrieval/embedders/query-memo.ts';
import { createVectorStore } from '../retrieval/embedders/vector-store.ts';
import { versionOf } from '../cache/semantic/semantic-cache.ts';

/** SEMANTIC_CACHE_THRESHOLD when unset: the hashing embedder's zero-false-hit choice on the labelled pairs (BENCHMARKS.md). */
export const DEFAULT_SEMANTIC_THRESHOLD = 0.95;

/** Model ids per remote provider when EMBEDDINGS_MODEL is not set. */
const DEFAULT_MODELS = { openai: 'text-embedding-3-small', bedrock: 'amazon.titan-embed-text-v2:0' } as const;

/** The embedding model of EMBEDDINGS_PROVIDER, as retrieval and the semantic cache use it. */
export interface Embeddings {
  /** Provider, model, size and prefixes: what makes two vectors comparable. Part of the semantic cache's version. */
  readonly identity: string;
  /** The embedder retrieval is built with (documents from the store, questions from the model). */
  readonly embedder: Embedder;
  /** A customer's question as a vector, for the semantic answer cache. */
  embedQuestion(text: string): Promise<Float32Array>;
  /** Puts documents into `retriever`: at once with the built-in embedder; with a remote one lexically at once and with vectors as they come. */
  index(retriever: Retriever, docs: IndexedDoc[]): Promise<void>;
  /** Documents still waiting for their vector, and what the background indexer did (remote models). */
  stats(): DocumentIndexerStats;
  /** Resolves once no document waits for its vector (tests, benchmarks). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The semantic cache's threshold: SEMANTIC_CACHE_THRESHOLD, else the built-in embedder's. */
export function semanticThreshold(config: Config): number {
  return config.SEMANTIC_CACHE_THRESHOLD ?? DEFAULT_SEMANTIC_THRESHOLD;
}

/**
 * Builds the embedder of EMBEDDINGS_PROVIDER. `hashing` is in-process and fast: documents are
 * embedded before the service is ready, as before. A remote model (`openai`, `bedrock`) gets two
 * adapters with pools of their own: questions on the request path through the `embedder` guard
 * (deadline EMBEDDINGS_TIMEOUT_MS, remembered so retrieval and the semantic cache share one
 * call), and documents in the background through the `embedder-index` guard, stored in
 * DATA_DIR/embeddings.sqlite. Vendor SDKs are loaded only when configured.
 */
export async function createEmbeddings(config: Config, ctx: { guards: Guards; logger: Logger; metrics: Metrics; dataDir: string }): Promise<Embeddings> {
  const { guards, logger } = ctx;
  if (config.EMBEDDINGS_PROVIDER === 'hashing') {
    const embedder = createHashingEmbedder({ dimensions: config.EMBEDDINGS_DIMENSIONS ?? 512 });
    return {
      identity: `hashing:${embedder.dimensions}`,
      embedder,
      embedQuestion: async (text) => (await embedder.embed([text]))[0],
      index: (retriever, docs) => retriever.upsert(docs),
      stats: () => ({ pending: 0, embedded: 0, givenUp: 0 }),
      idle: () => Promise.resolve(),
      close: async () => {},
    };
  }

  const provider = config.EMBEDDINGS_PROVIDER;
  const model = config.EMBEDDINGS_MODEL ?? DEFAULT_MODELS[provider];
  const dns = config.DNS_CACHE_TTL_MS > 0 ? createDnsCache({ ttlMs: config.DNS_CACHE_TTL_MS, onEvent: (result) => ctx.metrics.dnsLookups.inc({ result }) }) : undefined;
  const adapter = async (maxConnections: number) => {
    const common = { maxConnections, timeoutMs: config.EMBEDDINGS_BATCH_TIMEOUT_MS, connectTimeoutMs: config.LLM_CONNECT_TIMEOUT_MS, lookup: dns?.lookup, maxChars: config.EMBEDDINGS_MAX_CHARS };
    if (provider === 'openai') {
      const { createOpenAICompatibleEmbedder } = await import('../retrieval/embedders/openai-compatible.ts');
      return createOpenAICompatibleEmbedder({
        ...common,
        baseUrl: config.EMBEDDINGS_BASE_URL!,
        model,
        apiKey: config.EMBEDDINGS_API_KEY,
        dimensions: config.EMBEDDINGS_DIMENSIONS!,
        requestDimensions: config.EMBEDDINGS_REQUEST_DIMENSIONS,
        encoding: config.EMBEDDINGS_ENCODING,
        batchSize: config.EMBEDDINGS_BATCH_SIZE,
      });
    }
    const { createBedrockTitanEmbedder } = await import('../retrieval/embedders/bedrock-titan.ts');
    return createBedrockTitanEmbedder({
      ...common,
      model,
      region: config.EMBEDDINGS_REGION ?? config.BEDROCK_REGION,
      endpoint: config.EMBEDDINGS_BASE_URL,
      dimensions: (config.EMBEDDINGS_DIMENSIONS ?? 1024) as 256 | 512 | 1024,
    });
  };
  const prefixes = { query: config.EMBEDDINGS_QUERY_PREFIX ?? '', document: config.EMBEDDINGS_DOCUMENT_PREFIX ?? '' };
  const forQuestions = await adapter(config.EMBEDDINGS_CONCURRENCY);
  const forDocuments = await adapter(config.EMBEDDINGS_INDEX_CONCURRENCY);
  const dimensions = forQuestions.dimensions;
  const identity = `${provider}:${model}:${dimensions}`;
  const questions = memoizeQueries(guardEmbedder(withInputPrefixes(forQuestions, prefixes), guards.get('embedder'), config.EMBEDDINGS_TIMEOUT_MS));

  // The stored vectors' key carries the document prefix (it changes every vector); the questions'
  // prefix goes into the cache version below.
  const db = openDatabase(join(ctx.dataDir, 'embeddings.sqlite'));
  const store = createVectorStore(db, `${identity}:${versionOf(prefixes.document)}`, dimensions);
  const indexer = createDocumentIndexer({
    store,
    embedder: guardEmbedder(withInputPrefixes(forDocuments, prefixes), guards.get('embedder-index'), config.EMBEDDINGS_BATCH_TIMEOUT_MS),
    batchSize: config.EMBEDDINGS_BATCH_SIZE,
    concurrency: config.EMBEDDINGS_INDEX_CONCURRENCY,
    onError: (err, what) =>
      what.givenUp
        ? logger.warn({ err, documents: what.documents }, 'embedding model refused a document: it is found lexically only')
        : logger.warn({ err, documents: what.documents.length }, 'embedding documents failed; trying again later'),
    onIdle: (stats) => logger.info({ provider, model, ...stats, stored: store.count() }, 'document vectors complete'),
  });
  if (config.SEMANTIC_CACHE && config.SEMANTIC_CACHE_THRESHOLD === undefined) {
    logger.warn({ provider, model, threshold: DEFAULT_SEMANTIC_THRESHOLD }, 'SEMANTIC_CACHE_THRESHOLD is unset: the built-in embedder\'s 0.95 is used; measure this model with bench/semantic-eval.ts and set it');
  }
  logger.info({ provider, model, dimensions, storedVectors: store.count() }, 'embedding model configured');
  // The first call opens the connection (TCP, TLS, the SDK's first request): done now, outside the
  // guard and its short deadline, so the first customer's question does not pay for it. Nothing waits for it.
  void forQuestions.embed(['manga']).catch((err: unknown) => logger.warn({ err, provider, model }, 'embedding model not reachable at start-up; retrieval answers lexically until it is'));

  const embedder: Embedder = {
    dimensions,
    embed: (texts: string[], opts?: EmbedOptions) => (opts?.input === 'document' ? indexer.storedDocuments : questions).embed(texts, opts),
  };
  return {
    // The question prefix changes every question's vector: answers cached under another one must not match.
    identity: prefixes.query ? `${identity}:${versionOf(prefixes.query)}` : identity,
    embedder,
    embedQuestion: async (text) => (await questions.embed([text]))[0],
    async index(retriever, docs) {
      await indexer.index(retriever, docs);
      if (indexer.stats().pending > 0) {
        logger.info({ provider, model, pending: indexer.stats().pending }, 'documents indexed; their vectors are being embedded in the background');
      }
    },
    stats: () => indexer.stats(),
    idle: () => indexer.idle(),
    async close() {
      indexer.close();
      await Promise.all([forQuestions.close(), forDocuments.close()]);
      db.close();
    },
  };
}
