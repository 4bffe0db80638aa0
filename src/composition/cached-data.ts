import type { Config } from '../config.ts';
import type { CacheTuning } from '../cache/policy.ts';
import type { SqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { createCachedCatalog } from '../catalog/cached-catalog.ts';
import { createCachedRecommendations } from '../recommendations/cached-recommendations.ts';
import type { RecommendationService } from '../recommendations/types.ts';
import { createCachedPromotions } from '../promotions/cached-promotions.ts';
import type { PromotionService } from '../promotions/types.ts';
import { createCachedReviews } from '../reviews/cached-reviews.ts';
import type { ReviewService } from '../reviews/types.ts';
import { createCachedMemory } from '../memory/cached-memory.ts';
import type { ConversationMemory } from '../memory/types.ts';
import type { Caching } from './caching.ts';
import type { StoreData } from './store-data.ts';
import type { Stores } from './stores.ts';

/** The store's data and the conversation memory as the request path reads them: behind the caches. */
export interface CachedData {
  catalog: SqliteCatalog;
  recommendations: RecommendationService;
  promotions: PromotionService;
  reviews: ReviewService;
  memory: ConversationMemory;
}

/** Puts the cache tiers (caching.ts) in front of the catalog, recommendations, promotions, reviews and conversation reads. */
export function createCachedData(config: Config, ctx: { data: StoreData; stores: Stores; caching: Caching }): CachedData {
  const { data, stores, caching } = ctx;
  const tuning: CacheTuning = {
    jitter: config.CACHE_TTL_JITTER,
    staleShare: config.CACHE_STALE_SHARE,
    earlyRefresh: config.CACHE_EARLY_REFRESH,
    loadTimeoutMs: config.CATALOG_TIMEOUT_MS,
    shared: caching.shared,
  };
  const catalog = createCachedCatalog(data.catalog, caching.tiered, { ttlMs: config.CACHE_TTL_PRODUCT_MS, tuning });
  const recommendations = createCachedRecommendations(data.recommendations, caching.tiered, { ttlMs: config.CACHE_TTL_RECOMMENDATIONS_MS, tuning: { ...tuning, loadTimeoutMs: config.RECOMMENDATIONS_TIMEOUT_MS } });
  const promotions = createCachedPromotions(data.promotions, caching.tiered, { ttlMs: config.CACHE_TTL_PROMOTIONS_MS, tuning: { ...tuning, loadTimeoutMs: config.PROMOTIONS_TIMEOUT_MS } });
  const reviews = createCachedReviews(data.reviews, caching.tiered, { ttlMs: config.CACHE_TTL_REVIEWS_MS, tuning: { ...tuning, loadTimeoutMs: config.REVIEWS_TIMEOUT_MS } });
  // Workers sharing one SQLite file but no invalidation bus would read a conversation another
  // worker just appended to from a stale copy (an HTTP follow-up lands on any worker): there the
  // read cache is off and every read goes to the store.
  // The embedded SQLite memory keeps each live session's window in process itself (checked against
  // other writers of its file), so a read cache in front would only add work.
  const sessionCacheMs = stores.backend === 'sqlite' || (config.WORKERS > 1 && !caching.shared) ? 0 : config.SESSION_CACHE_TTL_MS;
  const memory = sessionCacheMs > 0 ? createCachedMemory(stores.memory, caching.tiered, { ttlMs: sessionCacheMs, loadTimeoutMs: config.MEMORY_TIMEOUT_MS }) : stores.memory;
  return { catalog, recommendations, promotions, reviews, memory };
}
