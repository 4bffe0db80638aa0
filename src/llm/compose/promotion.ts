/** promotion: the active promotions in the customer's language, with end dates and codes. */
import type { Composer } from './context.ts';

const MAX_PROMOTIONS = 5;

/** Lists active promotions, or says honestly that none are running (or that they could not be loaded). */
export const composePromotion: Composer = (ctx) => {
  const { g, m } = ctx;
  if (g.promotions.length === 0) return [g.degraded.includes('promotions') ? m.promotionsDown : m.noPromotions];
  const shown = g.promotions.slice(0, MAX_PROMOTIONS);
  const lines = [m.promoLead(shown.length)];
  shown.forEach((p, i) => {
    const ja = g.language === 'ja';
    lines.push(m.bullet(m.promoItem(ja ? p.titleJa : p.title, ja ? p.descriptionJa : p.description, m.date(p.endsAt), p.code), i));
  });
  return lines;
};
