/** Picks the composer for an intent and writes the whole answer text. */
import type { Intent } from '../../understanding/types.ts';
import type { Grounding } from '../types.ts';
import { MESSAGES } from './messages.ts';
import type { Composer } from './context.ts';
import { composePriceAvailability, composeProductQuestion, composeProductSearch } from './product.ts';
import { composeRecommendation } from './recommendation.ts';
import { composeComparison } from './comparison.ts';
import { composeOrderEscalation, composeOrderStatus } from './orders.ts';
import { composeFaq } from './faq.ts';
import { purchaseLines } from './purchase.ts';
import { composePromotion } from './promotion.ts';
import { composeChitchat, composeOutOfScope } from './conversation.ts';

const COMPOSERS: Record<Intent, Composer> = {
  product_search: composeProductSearch,
  product_question: composeProductQuestion,
  price_availability: composePriceAvailability,
  recommendation: composeRecommendation,
  order_status: composeOrderStatus,
  faq: composeFaq,
  promotion: composePromotion,
  chitchat: composeChitchat,
  escalation: composeOrderEscalation,
  out_of_scope: composeOutOfScope,
};

/** Today's date in Japan (the store's calendar), as YYYY-MM-DD. */
export function storeDate(now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** The full grounded answer to `g`, as plain text (lines separated by newlines). */
export function composeAnswer(g: Grounding, now: Date): string {
  const m = MESSAGES[g.language] ?? MESSAGES.en;
  // A comparison is one answer whatever the intent it came as ("Naruto or Bleach?" reads as many things).
  const compose = g.comparison && (g.series.length > 1 || g.comparison.missing?.length || g.comparison.withheld || g.comparison.spinOffs) ? composeComparison : (COMPOSERS[g.intent] ?? composeOutOfScope);
  const ctx = { g, m, today: storeDate(now) };
  const lines = compose(ctx);
  // A request to buy or preorder the volume: the order already holding it first, or how to preorder it after its facts (before the closing offer).
  const purchase = purchaseLines(ctx);
  if (purchase.lead.length > 0) lines.unshift(...purchase.lead);
  if (purchase.after.length > 0) lines.splice([m.priceFollowUp, m.productFollowUp].includes(lines.at(-1) ?? '') ? lines.length - 1 : lines.length, 0, ...purchase.after);
  // A message that asked several things: each of its other questions answered after this one.
  // A line both give (the same page's source line, a list's lead-in) is said once, where it comes last.
  let out = lines.filter(Boolean).flatMap((l) => l.split('\n'));
  // The closing offer ("Anything else I can check for you?") ends the whole answer, not the first question's part.
  const closing = (g.also?.length ?? 0) > 0 && [m.priceFollowUp, m.productFollowUp].includes(out.at(-1) ?? '') ? out.pop() : undefined;
  for (const other of g.also ?? []) {
    const more = composeAnswer(other, now).split('\n');
    const again = new Set(more.filter((l) => l.trim() !== ''));
    // (One marked `first` — the store's Japanese editions before a title asked "in English" — leads.)
    out = other.first ? [...more, ...out.filter((l) => !again.has(l))] : [...out.filter((l) => !again.has(l)), ...more];
  }
  if (closing !== undefined && !out.includes(closing)) out.push(closing);
  return out.join('\n');
}
