import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { SqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { tagsOfEvent } from '../cache/policy.ts';
import type { SemanticCache } from '../cache/semantic/semantic-cache.ts';
import { dataChangeEventSchema, type AdminDeps } from '../http/admin.ts';
import type { Escalations } from '../escalation/types.ts';
import type { MessageBus } from '../messaging/types.ts';
import type { Caching } from './caching.ts';
import type { Messaging } from './messaging.ts';
import type { Retrieval } from './retrieval.ts';

/** Bus topic of data-change events (POST /v1/admin/events). */
const DATA_CHANGED = 'data.changed';

/** The admin endpoint's `dataChanged`: the event goes to every process, which answers once each has taken it in. */
export function announceDataChanges(bus: MessageBus, logger: Logger): NonNullable<AdminDeps['dataChanged']> {
  return async (event) => {
    await bus.publish(DATA_CHANGED, event);
    const tags = tagsOfEvent(event);
    logger.info({ event, tags }, 'data changed: caches invalidated in every process');
    return { tags };
  };
}

/** How this process follows data changes; stopped in two steps, as createApp's close() orders them. */
export interface DataChanges {
  /** Stops looking for catalog writes of other processes (CATALOG_REFRESH_INTERVAL_MS). */
  stopRefresh(): void;
  /** Stops following data-change events and bus gaps. */
  close(): void;
}

/**
 * A data-change event reaches every process (the admin endpoint publishes it): each drops its
 * cached data and answers before the endpoint answers. After a fleet bus gap every kind of change
 * is taken in as if announced. Catalog writes another process (npm run import) committed to this
 * DATA_DIR are looked for every CATALOG_REFRESH_INTERVAL_MS. `origin` is the SQLite catalog.
 */
export function followDataChanges(config: Config, ctx: { messaging: Messaging; origin: SqliteCatalog; retrieval: Pick<Retrieval, 'settled'>; caching: Caching; answerCache?: SemanticCache; escalations: Escalations; logger: Logger }): DataChanges {
  const { messaging, caching, answerCache, logger } = ctx;
  const dataChangedHere = async (message: unknown): Promise<void> => {
    const event = dataChangeEventSchema.parse(message);
    // An import run beside the service wrote the catalog file: take its writes in (search index,
    // retrieval, guardrails, recommendations follow the change events) before answering.
    if (event.type === 'catalog.changed') await takeInCatalogWrites();
    const tags = tagsOfEvent(event);
    await caching.tiered.invalidate(tags);
    // As through the cache bus: a store that cannot forget now is logged, not a failed event.
    await answerCache?.forgetTags(tags).catch((err) => logger.warn({ err }, 'answer cache invalidation failed'));
  };
  const unDataChanged = messaging.fleet.subscribe(DATA_CHANGED, dataChangedHere);
  // Cut off from the fleet's bus for a while, this node may have missed data-change events and
  // operator replies: it takes in every kind of change as if announced, and sends its open chats
  // the replies they are owed (retained state, the faults, the bus re-synced itself).
  const unGap = messaging.onGap(() => {
    const everything = dataChangeEventSchema.shape.type.options.map((type) => dataChangedHere({ type }));
    void Promise.all([...everything, ctx.escalations.resync()]).catch((err) => logger.warn({ err }, 'catching up after a bus gap failed'));
  });

  // Writes another process (npm run import) committed to this DATA_DIR's catalog, looked for
  // every CATALOG_REFRESH_INTERVAL_MS: a cheap check of the file's version when nothing changed.
  const takeInCatalogWrites = async (): Promise<void> => {
    const { changed, removed } = await ctx.origin.refresh();
    await ctx.retrieval.settled();
    if (changed + removed > 0) logger.info({ changed, removed }, 'catalog changed by another process: taken in');
  };
  const catalogRefresh = config.CATALOG_REFRESH_INTERVAL_MS > 0
    ? setInterval(() => void takeInCatalogWrites().catch((err) => logger.warn({ err }, 'catalog refresh failed')), config.CATALOG_REFRESH_INTERVAL_MS)
    : undefined;
  catalogRefresh?.unref();
  return {
    stopRefresh: () => clearInterval(catalogRefresh),
    close() {
      unDataChanged();
      unGap();
    },
  };
}
