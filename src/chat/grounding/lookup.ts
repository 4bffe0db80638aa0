// What the grounding lookups of one message work with. Each lookup is a plain function of this
// small context instead of a closure inside createChatPipeline, so it can be read (and tested)
// on its own; the pipeline builds one per message.
import type { Series } from '../../catalog/types.ts';
import type { Grounding } from '../../llm/types.ts';
import type { DependencyGuard } from '../../resilience/types.ts';
import type { PolicySections } from '../../retrieval/policy-sections.ts';
import type { Intent } from '../../understanding/types.ts';
import type { CallContext } from '../dependency-call.ts';
import type { Customer, PipelineDependency, PipelineDeps } from '../types.ts';

/** The pipeline's ports and rules, and the message a lookup is for. */
export interface Lookup {
  deps: PipelineDeps;
  /** The guard of one dependency: every downstream call goes through it. */
  guard: (name: PipelineDependency) => DependencyGuard;
  /** A design fallback was served for `dependency`: reported in the answer's `degraded` and counted. */
  fellBack: (g: Grounding, dependency: string) => void;
  /** The card gate: whether `series` may be shown to `customer` (the audience rule answer text is checked by). */
  visible: (series: Series, customer: Customer) => boolean;
  now: () => Date;
  /** The knowledge base's sections, when the knowledge base is known. */
  policySections?: PolicySections;
  /** The message's signal, stopwatch and time budget, shared by every downstream call. */
  ctx: CallContext;
  /** Who sent the message. */
  customer: Customer;
}

/** Intents whose answer rests on the catalog. */
export const CATALOG_INTENTS = new Set<Intent>(['product_search', 'product_question', 'price_availability']);
/** Intents whose answer rests on knowledge-base passages. */
export const PASSAGE_INTENTS = new Set<Intent>(['faq', 'escalation', 'product_question']);

/**
 * Tier 3 (promotions, reviews) is the first thing brownout gives up. What it gives up is counted
 * (brownout_skipped_total) and served as that dependency's fallback, as a failure is.
 */
export function shed(deps: PipelineDeps, dependency: 'promotions' | 'reviews'): { ok: false; reason: 'shed' } {
  deps.brownout?.skipped(dependency);
  return { ok: false as const, reason: 'shed' as const };
}
