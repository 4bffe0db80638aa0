/** What every composer gets, and the small fact lookups they share. */
import type { Grounding, SeriesWithProducts } from '../types.ts';
import type { Product, Series } from '../../catalog/types.ts';
import type { Messages, StockState } from './messages.ts';
import { promotedPrices } from '../../promotions/promotion-match.ts';

/** One answer being composed: the grounding, the phrasebook of its language, and today's store date. */
export interface ComposeContext {
  g: Grounding;
  m: Messages;
  /** YYYY-MM-DD in the store's time zone (JST), for preorder decisions. */
  today: string;
}

/** Writes the answer lines for one intent. */
export type Composer = (ctx: ComposeContext) => string[];

/**
 * The name a customer of this language knows a series by: the Japanese title in Japanese, the
 * English title in English (the romaji title when the series has no English one).
 */
export function seriesName(language: 'en' | 'ja', s: Series): string {
  return language === 'ja' ? (s.titleJa ?? s.title) : (s.titleEn ?? s.title);
}

/** The series title in the customer's language, wrapped as that language quotes titles. */
export function seriesTitle(ctx: ComposeContext, s: Series): string {
  return ctx.m.title(seriesName(ctx.g.language, s));
}

/**
 * The title where a series is first introduced: in English with the romaji title alongside
 * when they differ ("Attack on Titan (Shingeki no Kyojin)"), as fans know both; in Japanese the
 * Japanese title alone.
 */
export function seriesTitleFull(ctx: ComposeContext, s: Series): string {
  const name = seriesTitle(ctx, s);
  if (ctx.g.language === 'ja' || !s.titleEn || s.titleEn === s.title) return name;
  return `${name} (${s.title})`;
}

/**
 * The authors in the customer's language: in Japanese the Japanese name with the catalog's
 * romaji after it (井上雄彦（Takehiko Inoue）), so a name the customer searched by in either script is there.
 */
export function authorNames(ctx: ComposeContext, s: Series): string[] {
  const ja = s.authorsJa;
  if (ctx.g.language !== 'ja' || !ja || ja.length !== s.authors.length) return s.authors;
  return s.authors.map((romaji, i) => (ja[i] === romaji ? romaji : `${ja[i]}（${romaji}）`));
}

/** Preorder when the release date is still ahead, else in or out of stock. */
export function stockState(p: Product, today: string): StockState {
  if (p.releaseDate.slice(0, 10) > today) return 'preorder';
  return p.stock > 0 ? 'in_stock' : 'out_of_stock';
}

/** The highest volume already released, or the highest volume at all when every one is a preorder. */
export function latestVolume(products: Product[], today: string): number | undefined {
  let released: number | undefined;
  let any: number | undefined;
  for (const p of products) {
    if (any === undefined || p.volume > any) any = p.volume;
    if (p.releaseDate.slice(0, 10) <= today && (released === undefined || p.volume > released)) released = p.volume;
  }
  return released ?? any;
}

/** The next volume up for preorder after `after`, if the store lists one. */
export function nextPreorder(products: Product[], today: string, after: number): Product | undefined {
  let best: Product | undefined;
  for (const p of products) {
    if (p.volume > after && p.releaseDate.slice(0, 10) > today && (!best || p.volume < best.volume)) best = p;
  }
  return best;
}

/** The formats on sale for one volume; at most three, as a chat line stays readable. */
export function formatsOf(products: Product[], volume: number): Product[] {
  return products.filter((p) => p.volume === volume).slice(0, 3);
}

/** One availability line per format of `volume`. */
export function availabilityLines(ctx: ComposeContext, products: Product[], volume: number): string[] {
  const { m, today } = ctx;
  return formatsOf(products, volume).map((p) =>
    m.availability(m.volume(p.volume), m.format(p.format), m.yen(p.priceJpy), stockState(p, today), m.date(p.releaseDate)),
  );
}

/** Promotions of a series named in a product answer. */
const MAX_SERIES_PROMOTIONS = 2;

/** Whether an earlier answer of this conversation said the line already (about that series, when one is given). */
function saidBefore(g: Grounding, line: string, seriesId?: string): boolean {
  return g.history.some((h) => h.role === 'assistant' && h.text.includes(line) && (seriesId === undefined || (h.seriesIds ?? []).includes(seriesId)));
}

/**
 * Tier-3 extras for a series: its average rating and the promotions that apply (its own first), when present.
 * Each is said once per conversation (five answers about one series do not repeat its rating five
 * times); a promotion made for the series is said again when the answer prices its volumes (`priced`).
 */
export function extrasFor(ctx: ComposeContext, entry: SeriesWithProducts, volume?: number, priced = volume !== undefined): string[] {
  const { g, m } = ctx;
  const out: string[] = [];
  const review = g.reviews.find((r) => r.seriesId === entry.series.id && r.count > 0);
  const rating = review ? m.rating(review.averageRating, review.count) : undefined;
  if (rating && !saidBefore(g, rating, entry.series.id)) out.push(rating);
  // The promotions made for this series first ("Jump classics kanzenban fair" for Slam Dunk), else
  // one store-wide offer: a customer looking at a series wants its deal, not the shipping campaign.
  const own = g.promotions.filter((p) => p.seriesIds.includes(entry.series.id)).slice(0, MAX_SERIES_PROMOTIONS);
  const promos = own.length > 0 ? own : g.promotions.filter((p) => p.seriesIds.length === 0).slice(0, 1);
  for (const promo of promos) {
    const line = m.promoApplies(g.language === 'ja' ? promo.titleJa : promo.title, m.date(promo.endsAt), promo.code);
    if ((own.length > 0 && priced) || !saidBefore(g, line)) out.push(line);
  }
  // The price during a discount made for the series, for the volume shown ("Vol. 1 (kanzenban) ¥1,155 → ¥981").
  const promoted = volume === undefined ? [] : promotedPrices(own, formatsOf(entry.products, volume));
  if (promoted.length > 0) out.push(m.promoPrices(promoted.map((x) => m.promoPrice(m.volume(x.product.volume), m.format(x.product.format), m.yen(x.product.priceJpy), m.yen(x.priceJpy)))));
  return out;
}

// A Japanese stop ends a sentence; an English one only before whitespace and not after a lone
// capital or a title, so "3.5 days", "Monkey D. Luffy" and "Dr. Kenzo Tenma" stay whole.
const SENTENCE_END = /(?<=[。！？])|(?<=(?<!(?:^|\s)(?:[A-Z]|Dr|Mr|Mrs|Ms|St|Jr|Sr|Prof|Mt|No|vs))[.!?])\s+|\n+/;

/** Splits English or Japanese prose into sentences, keeping their end punctuation. */
export function splitSentences(text: string): string[] {
  return text.split(SENTENCE_END).map((s) => s.trim()).filter(Boolean);
}

/** The first sentence of a text (Japanese or English), for one-line synopses. */
export function firstSentence(text: string): string {
  return splitSentences(text)[0] ?? '';
}
