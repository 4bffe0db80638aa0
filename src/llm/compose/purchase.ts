/**
 * A request to buy or preorder a volume (grounding's `purchase`): the order of theirs that already
 * holds it comes first (the answer to "put me down for it" is that they are already down for it);
 * else, after the volume's facts, how to preorder it and the preorders page's rule for them.
 */
import { sectionLines } from '../../retrieval/policy-sections.ts';
import type { OrderStatus } from '../../orders/types.ts';
import { seriesTitle, type ComposeContext } from './context.ts';

/** Lines that go before the answer and after the volume's facts. */
export function purchaseLines(ctx: ComposeContext): { lead: string[]; after: string[] } {
  const { g, m } = ctx;
  const p = g.purchase;
  if (!p) return { lead: [], after: [] };
  const series = g.series[0]?.series;
  if (p.ordered) return { lead: [m.alreadyOrdered(series ? `${seriesTitle(ctx, series)}${g.language === 'ja' ? '' : ' '}${m.volume(p.volume)}` : m.volume(p.volume), p.ordered.orderId, m.orderStatus(p.ordered.status as OrderStatus))], after: [] };
  // Out already ("I'll take it", 「それにします」): how to buy it first, then its facts.
  if (p.buy) return { lead: [m.buyHow(p.guest === true)], after: [] };
  // The page's own words for them: its prose, not the list under it (each payment method's day).
  const rule = p.rule ? sectionLines(p.rule.doc.text).filter((l) => !l.item).map((l) => m.sentence(l.text.replace(/[:：]\s*$/, '.'))) : [];
  return { lead: [], after: [m.preorderHow(p.guest === true), ...(rule.length > 0 ? [rule.join(m.gap)] : [])] };
}
