/**
 * promotion: the running promotions in the customer's language, with end dates and codes — the
 * ones for the series asked about, the ones the question picks out ("a coupon for new members?"),
 * or all of them, never a silent part of the list.
 */
import type { Promotion } from '../../promotions/types.ts';
import { asksCombining, formatAsked, namesSomethingElse, promotionFormats, promotionsAskedFor, promotionsForSeries } from '../../promotions/promotion-match.ts';
import type { Composer, ComposeContext } from './context.ts';

/** Promotions described in full in one answer; past it the rest are named, never dropped. */
const MAX_DETAILED = 8;

function detailed(ctx: ComposeContext, promotions: Promotion[]): string[] {
  const { g, m } = ctx;
  const ja = g.language === 'ja';
  return promotions.map((p, i) => m.bullet(m.promoItem(ja ? p.titleJa : p.title, ja ? p.descriptionJa : p.description, m.date(p.endsAt), p.code), i));
}

function refs(ctx: ComposeContext, promotions: Promotion[]): string[] {
  const { g, m } = ctx;
  return promotions.map((p) => m.promoRef(g.language === 'ja' ? p.titleJa : p.title, m.date(p.endsAt)));
}

/** A promotion's name without its offer: the head before a colon, else the title without a trailing "20% off" / 「ポイント3倍」. */
function offerless(title: string): string {
  const head = title.split(/\s*[:：]\s*/)[0].trim();
  if (head !== title && head.length >= 3) return head;
  const bare = title.replace(/\s*(?:\d+\s*%\s*(?:オフ|off)|ポイント\s*\d+\s*倍|\d+x points)\s*$/i, '').trim();
  return bare.length >= 3 ? bare : title;
}

/** The promotions named that are not running: ended (with the end date) or coming (with the dates). */
export function notRunningLines(ctx: ComposeContext): string[] {
  const { g, m } = ctx;
  // Named by its name, not its offer ("the Halloween horror sale", not "…: 20% off"): it is not on offer.
  const title = (p: Promotion) => offerless(g.language === 'ja' ? p.titleJa : p.title);
  return (g.promotionsNotRunning ?? []).map(({ promotion: p, state }) => (state === 'ended' ? m.promoEnded(title(p), m.date(p.endsAt)) : m.promoUpcoming(title(p), m.date(p.startsAt), m.date(p.endsAt))));
}

/** Lists promotions for what was asked, or says honestly that none are running (or that they could not be loaded). */
export const composePromotion: Composer = (ctx) => {
  const { g, m } = ctx;
  // A promotion named that is not running (ended, or not started): said so first, never "yes".
  const notRunning = g.promotionsNotRunning ?? [];
  if (notRunning.length > 0) return [...notRunningLines(ctx), ...(g.promotions.length > 0 ? [m.promoRunningInstead(refs(ctx, g.promotions))] : [])];
  if (g.promotions.length === 0) return [g.degraded.includes('promotions') ? m.promotionsDown : m.noPromotions];
  if (g.promotionFor) {
    const { specific, storeWide } = promotionsForSeries(g.promotionFor.seriesId, g.promotions);
    const lines = specific.length > 0 ? [m.promoFor(g.promotionFor.title), ...detailed(ctx, specific)] : [m.promoNoneFor(g.promotionFor.title)];
    if (storeWide.length > 0) lines.push(m.promoStoreWideToo(refs(ctx, storeWide)));
    return lines;
  }
  const asked = promotionsAskedFor(g.text, g.promotions);
  if (asked.length > 0) {
    const others = g.promotions.filter((p) => !asked.includes(p));
    const title = (p: Promotion) => (g.language === 'ja' ? p.titleJa : p.title);
    // What was asked of them comes first, from their own data: whether they cover the format asked
    // ("only for print books?"), and that the data does not say whether they combine.
    const format = formatAsked(g.text);
    const lead = asksCombining(g.text)
      ? [m.promoCombine(asked.map(title), g.links.support)]
      : format
        ? asked.map((p) => m.promoFormat(title(p), promotionFormats(p) ?? 'unstated', format))
        : [m.promoYes(asked.length)];
    return [...lead, ...detailed(ctx, asked), ...(others.length > 0 ? [m.promoAlso(refs(ctx, others))] : [])];
  }
  const shown = g.promotions.slice(0, MAX_DETAILED);
  const rest = g.promotions.slice(MAX_DETAILED);
  // "Is there a student discount?": none is about that, said before the list of what runs.
  const lead = namesSomethingElse(g.text, g.promotions) ? m.promoNoMatch : m.promoLead(g.promotions.length);
  return [lead, ...detailed(ctx, shown), ...(rest.length > 0 ? [m.promoAlso(refs(ctx, rest))] : [])];
};
