import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Guards } from '../resilience/registry.ts';
import type { IndexedDoc } from '../retrieval/types.ts';
import { createSemanticCache, versionOf, type SemanticCache } from '../cache/semantic/semantic-cache.ts';
import type { Caching } from './caching.ts';
import { semanticThreshold, type Embeddings } from './embeddings.ts';

/** The semantic answer cache (SEMANTIC_CACHE), and the stop of its invalidation subscription. */
export interface AnswerCache {
  /** Undefined with SEMANTIC_CACHE=false. */
  cache?: SemanticCache;
  close(): void;
}

/**
 * The semantic answer cache in front of the answer engine, in the store of CACHE_BACKEND. Every
 * node forgets the cached answers grounded on data that changed (the cache invalidation bus).
 */
export function createAnswerCache(config: Config, ctx: { caching: Caching; embeddings: Embeddings; engineName: string; knowledgeBase: IndexedDoc[]; guards: Guards; metrics: Metrics; logger: Logger }): AnswerCache {
  const { embeddings, guards, metrics, logger } = ctx;
  const cache = config.SEMANTIC_CACHE
    ? createSemanticCache({
        store: ctx.caching.semanticStore,
        embed: embeddings.embedQuestion,
        threshold: semanticThreshold(config),
        lookupTimeoutMs: config.SEMANTIC_CACHE_TIMEOUT_MS,
        writeTimeoutMs: config.CACHE_L2_WRITE_TIMEOUT_MS,
        // Answers of another knowledge base, engine or embedding model are never replayed (vectors
        // of two models are not comparable).
        version: versionOf(ctx.engineName, embeddings.identity, ...ctx.knowledgeBase.map((d) => `${d.id}\u0000${d.text}`)),
        guard: guards.get('answer-cache'),
        writeGuard: guards.get('cache-write'),
        events: (result) => metrics.semanticCache.inc({ result }),
        onBackgroundError: (what, err) => logger.debug({ err, what }, 'answer cache'),
      })
    : undefined;
  const close = ctx.caching.bus.subscribe((tags) => {
    void cache?.forgetTags(tags).catch((err) => logger.warn({ err }, 'answer cache invalidation failed'));
  });
  return { cache, close };
}
