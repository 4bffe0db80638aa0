import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { SqliteCatalog } from '../catalog/sqlite-catalog.ts';
import type { DerivedEvent } from '../store/derived-file.ts';
import { createGuardrails, type StoreGuardrails } from '../guardrails/guardrails.ts';
import { persistedCatalogAudience, persistedCatalogPlans } from '../guardrails/persisted-plans.ts';
import type { Retrieval } from './retrieval.ts';

/** The guardrails of the chat (GUARDRAILS) and of shared links (SHARING). */
export interface Safety {
  /** The chat's filters; undefined with GUARDRAILS=false. */
  guardrails?: StoreGuardrails;
  /** What gates a shared link's stranger: the chat's guardrails when on, else its own; undefined with SHARING=false. */
  shareGuardrails?: StoreGuardrails;
}

/**
 * Guardrails: who may see which series (the audience rule: flags, adult genres, spin-offs) and
 * the titles the text filters know come from the catalog and follow its changes. The title lists
 * compiled from the catalog, and the audience rule's result, are kept in DATA_DIR/derived like
 * the classifier's weights. `catalog` is the cached catalog; `origin` the SQLite one under it.
 */
export function createSafety(config: Config, ctx: { catalog: SqliteCatalog; origin: SqliteCatalog; retrieval: Pick<Retrieval, 'allSeries' | 'allSeriesVersion'>; dataDir: string; derivedEvent: (e: DerivedEvent) => void; logger: Logger }): Safety {
  const { catalog, logger } = ctx;
  const { allSeries, allSeriesVersion } = ctx.retrieval;
  const catalogPlans = persistedCatalogPlans(join(ctx.dataDir, 'derived'), ctx.derivedEvent);
  // The audience is keyed by the catalog's version (none when a write came since the read).
  const catalogAudience = persistedCatalogAudience(join(ctx.dataDir, 'derived'), () => (ctx.origin.version() === allSeriesVersion ? allSeriesVersion : undefined), ctx.derivedEvent);
  const guardrails = config.GUARDRAILS ? createGuardrails({ catalog: allSeries, catalogPlans, catalogAudience }) : undefined;
  if (guardrails) {
    catalog.onChange(() => {
      void catalog.allSeries().then((all) => {
        guardrails.setCatalog(all);
      }).catch((err) => logger.error({ err }, 'guardrail title refresh failed'));
    });
  }
  // Shared links: what a stranger reads is gated by the guardrails as for an anonymous guest,
  // even where GUARDRAILS=false turned the chat's own filters off.
  const shareGuardrails = config.SHARING ? (guardrails ?? createGuardrails({ catalog: allSeries, catalogPlans, catalogAudience })) : undefined;
  if (shareGuardrails && shareGuardrails !== guardrails) {
    catalog.onChange(() => void catalog.allSeries().then((all) => shareGuardrails.setCatalog(all)).catch((err) => logger.error({ err }, 'share guardrail refresh failed')));
  }
  return { guardrails, shareGuardrails };
}
