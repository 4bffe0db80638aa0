// What the conversation is about, recorded with each answer (StoredMessage.about) and read by the
// reference resolver to fill what the next message leaves out: the series in play with its
// volume(s) and format, the series compared, the recommendation request met, the order in play.
// The series in play is the one of the latest answer that showed series (an answer that found
// nothing leaves it as it was); the order in play is the latest order answer's, for a few turns.

import type { Grounding, SeriesWithProducts } from '../llm/types.ts';
import type { ComparativePick, RecommendationWish, ResolvedReference, TurnAbout } from '../understanding/types.ts';
import type { StoredMessage } from '../memory/types.ts';
import { turnAbout } from './recommendation-request.ts';
import { stockState } from '../llm/compose/context.ts';
import { promotionsAnswered } from '../llm/compose/promotion.ts';

/** The state this answer leaves: what it was about, and the order it described. */
export function stateAfter(g: Grounding, reference: ResolvedReference, wish: RecommendationWish | undefined): TurnAbout | undefined {
  const about: TurnAbout = { ...turnAbout(g, reference, wish) };
  // Several series found for a title ("Do you have Jujutsu Kaisen 0?" shows Jujutsu Kaisen first):
  // the one in play is the one whose name the customer wrote out, the longest such name.
  const named = about.focus && g.series.length > 1 && !g.comparison ? namedInText(g.series, g.text) : undefined;
  if (named && named !== about.focus) {
    about.focus = named;
    delete about.volume;
    delete about.volumes;
  }
  // One of the series compared, chosen ("the shorter one", 「後者」): the others stay within reach ("and the other one?").
  if (reference.chosenFrom && reference.chosenFrom.length > 1 && about.focus && !about.compared) about.pickedFrom = [...reference.chosenFrom];
  // An order answer that described one order (named, asked by number, or the latest): the order in play.
  if (g.intent === 'order_status' && g.orders.length > 0 && !g.unknownOrderId && g.orderNamed?.found !== false) about.orderId = g.orders[0].id;
  // ...and several described together ("what did I order in November?"): all of them, for "how much did I spend in total?".
  if (g.intent === 'order_status' && (g.ordersAsked === 'picked' || g.ordersAsked === 'undelivered') && g.orders.length > 1) about.orderIds = g.orders.map((o) => o.id);
  // The promotions it was about: a promotion answer's, or the running ones a policy answer added ("free shipping until Christmas").
  const promotions = g.intent === 'promotion' ? promotionsAnswered(g) : g.intent === 'faq' ? g.promotions.map((p) => p.id) : [];
  if (promotions.length > 0) about.promotions = promotions;
  return Object.keys(about).length > 0 ? about : undefined;
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');

/** The series whose name the text holds, the longest name winning (a spin-off's name holds its parent's). */
function namedInText(series: SeriesWithProducts[], text: string): string | undefined {
  const t = fold(text);
  let best: { id: string; length: number } | undefined;
  for (const { series: s } of series) {
    for (const name of [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])]) {
      const n = name ? fold(name) : '';
      if (n.length >= 2 && t.includes(n) && (!best || n.length > best.length)) best = { id: s.id, length: n.length };
    }
  }
  return best?.id;
}

/** The series a comparative choice picks ("the shorter one", 「安い方」) among those compared, by the store's facts. */
export function picked(series: SeriesWithProducts[], pick: ComparativePick, today: string): SeriesWithProducts {
  const value = (e: SeriesWithProducts): number | undefined => {
    const s = e.series;
    switch (pick.by) {
      case 'volumes':
        return s.volumeCount;
      case 'rating':
        return s.score;
      // A better popularity rank is a smaller number.
      case 'popularity':
        return s.popularityRank === undefined ? undefined : -s.popularityRank;
      case 'finished':
        return s.status === 'finished' ? 1 : 0;
      // The older one began first: the earlier start date is the smaller number.
      case 'started': {
        const t = s.startDate ? Date.parse(s.startDate) : NaN;
        return Number.isFinite(t) ? t : undefined;
      }
      case 'price': {
        const first = e.products.filter((p) => p.volume === 1 && p.format !== 'box_set' && stockState(p, today) !== 'preorder').sort((a, b) => Number(b.format === 'tankobon') - Number(a.format === 'tankobon'))[0];
        return first?.priceJpy;
      }
    }
  };
  const known = series.filter((e) => value(e) !== undefined);
  if (known.length === 0) return series[0];
  return known.reduce((best, e) => ((pick.most ? value(e)! > value(best)! : value(e)! < value(best)!) ? e : best));
}

/**
 * The series the last answer about one series was on (its focus, or its only series): "it" in "is it
 * longer than Naruto?" or "how long is it?". An answer about several series, or about an order,
 * leaves none in play. (Understanding and the comparison lookup read it the same way.)
 */
export function seriesInPlay(history: StoredMessage[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i];
    if (m.role !== 'assistant') continue;
    if (m.about?.focus) return m.about.focus;
    const ids = [...new Set(m.seriesIds ?? [])];
    if (ids.length === 1) return ids[0];
    if (ids.length > 1 || m.intent === 'order_status') return undefined;
  }
  return undefined;
}
