import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { CatalogService } from '../catalog/types.ts';
import type { ConversationMemory } from '../memory/types.ts';
import type { CustomerDirectory } from '../customers/types.ts';
import type { StoreGuardrails } from '../guardrails/guardrails.ts';
import { createSharedLinks, type SharedLinks } from '../sharing/shared-links.ts';
import { guardrailRules } from '../sharing/rules.ts';
import type { Caching } from './caching.ts';
import type { Messaging } from './messaging.ts';
import type { Stores } from './stores.ts';

/** Bus topic of revoked shared links: every process drops its cached copy. */
const SHARE_REVOKED = 'share.revoked';

/** "Share this conversation" (SHARING), and the stop of its bus subscriptions. */
export interface Sharing {
  /** Undefined with SHARING=false (no share guardrails). */
  links?: SharedLinks;
  close(): void;
}

/**
 * Shared links over the share store, gated by `shareGuardrails` (safety.ts) as for an anonymous
 * guest. A revocation reaches every process over the fleet bus before DELETE answers; after a bus
 * gap (revocations possibly missed) this process forgets every cached copy.
 */
export function createSharing(config: Config, ctx: { shareGuardrails?: StoreGuardrails; stores: Stores; memory: ConversationMemory; catalog: CatalogService; caching: Caching; messaging: Messaging; customers: CustomerDirectory; logger: Logger }): Sharing {
  const { shareGuardrails, messaging, customers, logger } = ctx;
  const bus = messaging.fleet;
  const links = shareGuardrails
    ? createSharedLinks({
        store: ctx.stores.shares,
        ownership: ctx.stores.ownership,
        memory: ctx.memory,
        rules: guardrailRules(shareGuardrails, ctx.catalog),
        tiered: ctx.caching.tiered,
        ttlMs: config.SHARE_TTL_MS,
        cacheTtlMs: config.SHARE_CACHE_TTL_MS,
        loadTimeoutMs: config.SHARE_TIMEOUT_MS,
        writeTimeoutMs: config.SHARE_TIMEOUT_MS,
        // Every process (sibling workers without Redis included) drops its copy before DELETE answers.
        announce: async (shareId) => void (await bus.publish(SHARE_REVOKED, { shareId })),
        ownNames: async (c) => {
          const record = c.customerId ? await customers.get(c.customerId) : undefined;
          return [c.name, record?.name, record?.email].filter((n): n is string => !!n);
        },
        onBackgroundError: (what, err) => logger.warn({ err, what }, 'shared links'),
      })
    : undefined;
  const unShareRevoked = links
    ? bus.subscribe(SHARE_REVOKED, async (message) => {
        const shareId = (message as { shareId?: unknown } | null)?.shareId;
        if (typeof shareId === 'string') await links.forget(shareId);
      })
    : () => {};
  // Cut off from the fleet bus for a while, this node may have missed revocations: it forgets every copy.
  const unShareGap = links ? messaging.onGap(() => void links.forgetAll().catch((err) => logger.warn({ err }, 'shared links: forgetting after a bus gap failed'))) : () => {};
  return {
    links,
    close() {
      unShareRevoked();
      unShareGap();
    },
  };
}
