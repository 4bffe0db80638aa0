/**
 * promotion: the running promotions in the customer's language, with end dates and codes — the
 * ones for the series asked about, the ones the question picks out ("a coupon for new members?"),
 * or all of them, never a silent part of the list.
 */
import type { Promotion } from '../../promotions/types.ts';
import { asksCombining, formatAsked, namesSomethingElse, promotionFormats, promotionsAskedFor, promotionsForSeries } from '../../promotions/promotion-match.ts';
import type { Composer, ComposeContext } from './context.ts';
import { asksIfItApplies, forPrimeOnly, promotionDetailAsked, promotionsInPlay, type PromotionDetail } from '../../promotions/promotion-follow-up.ts';

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

/**
 * What was asked of the promotions an answer is about, said before them: whether they combine,
 * the formats they cover, their codes, their end dates — each from the promotion's own data.
 * Undefined when nothing in particular is asked (the answer leads with the list).
 */
function detailLead(ctx: ComposeContext, promotions: Promotion[], detail: PromotionDetail | undefined): string[] | undefined {
  const { g, m } = ctx;
  const title = (p: Promotion) => (g.language === 'ja' ? p.titleJa : p.title);
  // "Do I get the double points?": a Prime-only promotion said against the customer's own membership.
  const primeOnly = asksIfItApplies(g.text) ? promotions.filter(forPrimeOnly) : [];
  if (primeOnly.length > 0) return primeOnly.map((p) => m.promoPrimeOnly(title(p), g.customer.kind));
  if (asksCombining(g.text)) return [m.promoCombine(promotions.map(title), g.links.support)];
  const format = formatAsked(g.text);
  if (format) return promotions.map((p) => m.promoFormat(title(p), promotionFormats(p) ?? 'unstated', format));
  if (detail === 'code') return promotions.map((p) => m.promoCode(title(p), p.code));
  if (detail === 'until') return promotions.map((p) => m.promoUntil(title(p), m.date(p.endsAt)));
  return undefined;
}

/** Which promotions an answer is about, and how it came to them. */
type Chosen =
  | { by: 'notRunning' }
  | { by: 'none' }
  | { by: 'series'; specific: Promotion[]; storeWide: Promotion[] }
  | { by: 'asked'; asked: Promotion[] }
  | { by: 'all' };

/**
 * The promotions the answer is about: the ones for the series asked about; the ones the question
 * picks out by its own words; on a follow-up that asks something of the promotions the last answer
 * named ("until when?", "do I need a code?"), those (the ones of them it picks out, if any) —
 * a question that names promotions of its own ("what about for Prime?") picks among all; else all.
 */
function choose(g: ComposeContext['g']): Chosen {
  if ((g.promotionsNotRunning ?? []).length > 0) return { by: 'notRunning' };
  if (g.promotions.length === 0) return { by: 'none' };
  if (g.promotionFor) return { by: 'series', ...promotionsForSeries(g.promotionFor.seriesId, g.promotions) };
  const asked = promotionsAskedFor(g.text, g.promotions);
  const detail = promotionDetailAsked(g.text);
  const inPlay = detail ? g.promotions.filter((p) => promotionsInPlay(g.history).includes(p.id)) : [];
  // "Who qualifies" names promotions of its own (Prime, new members); the rest ask of the ones in play.
  if (inPlay.length > 0 && inPlay.length < g.promotions.length && !(detail === 'who' && asked.length > 0)) {
    const within = promotionsAskedFor(g.text, inPlay);
    return { by: 'asked', asked: within.length > 0 ? within : inPlay };
  }
  return asked.length > 0 ? { by: 'asked', asked } : { by: 'all' };
}

/** The ids of the running promotions an answer is about (kept with it, so "until when?" next is about them). */
export function promotionsAnswered(g: ComposeContext['g']): string[] {
  const chosen = choose(g);
  switch (chosen.by) {
    case 'notRunning':
    case 'none':
      return [];
    case 'series':
      return (chosen.specific.length > 0 ? chosen.specific : chosen.storeWide).map((p) => p.id);
    case 'asked':
      return chosen.asked.map((p) => p.id);
    case 'all':
      return g.promotions.map((p) => p.id);
  }
}

// Whether a promotion is (still) running, asked as a yes/no question.
const RUNNING_ASKED = /\bstill\b|\b(?:is|are) (?:the |that |this |it |there )?[^?.!]{0,40}\b(?:on|running|going|active|valid)\b|まだ|やって(?:ます|る|い)|開催中|実施中|続いて/i;

/** Lists promotions for what was asked, or says honestly that none are running (or that they could not be loaded). */
export const composePromotion: Composer = (ctx) => {
  const { g, m } = ctx;
  const chosen = choose(g);
  const detail = promotionDetailAsked(g.text);
  switch (chosen.by) {
    // A promotion named that is not running (ended, or not started): said so first, never "yes".
    case 'notRunning':
      return [...notRunningLines(ctx), ...(g.promotions.length > 0 ? [m.promoRunningInstead(refs(ctx, g.promotions))] : [])];
    case 'none':
      return [g.degraded.includes('promotions') ? m.promotionsDown : m.noPromotions];
    case 'series': {
      const { specific, storeWide } = chosen;
      const title = g.promotionFor!.title;
      // What was asked of them ("does the Slam Dunk one work on digital?") before them.
      // "Is the Frieren 5x points still on?", 「…ってまだやってます？」: yes first.
      const lead = RUNNING_ASKED.test(g.text.normalize('NFKC')) ? m.promoYes(specific.length) : m.promoFor(title);
      // ...of the one of them it points at ("the kanzenban one, when does it end?"), when it points at one.
      const pointed = detail ? promotionsAskedFor(g.text, specific) : [];
      const of = pointed.length > 0 && pointed.length < specific.length ? pointed : specific;
      const lines = specific.length > 0 ? [...(detailLead(ctx, of, detail) ?? [lead]), ...detailed(ctx, specific)] : [m.promoNoneFor(title)];
      if (storeWide.length > 0) lines.push(m.promoStoreWideToo(refs(ctx, storeWide)));
      return lines;
    }
    case 'asked': {
      const { asked } = chosen;
      const others = g.promotions.filter((p) => !asked.includes(p));
      // What was asked of them comes first, from their own data: whether they cover the format asked
      // ("only for print books?"), their codes, their dates, and that the data does not say whether they combine.
      const lead = detailLead(ctx, asked, detail) ?? [m.promoYes(asked.length)];
      return [...lead, ...detailed(ctx, asked), ...(others.length > 0 ? [m.promoAlso(refs(ctx, others))] : [])];
    }
    case 'all': {
      const shown = g.promotions.slice(0, MAX_DETAILED);
      const rest = g.promotions.slice(MAX_DETAILED);
      // "Is there a student discount?": none is about that, said before the list of what runs.
      const lead = namesSomethingElse(g.text, g.promotions) ? m.promoNoMatch : m.promoLead(g.promotions.length);
      return [lead, ...detailed(ctx, shown), ...(rest.length > 0 ? [m.promoAlso(refs(ctx, rest))] : [])];
    }
  }
};
