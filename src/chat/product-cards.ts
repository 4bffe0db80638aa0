import type { Product, ProductFormat, Series } from '../catalog/types.ts';
import type { Grounding, SeriesWithProducts } from '../llm/types.ts';
import type { ProductCard } from './protocol.ts';

const MAX_CARDS = 6;

/** The card of one volume. */
export function productCard(series: Series, product: Product, today: string): ProductCard {
  return {
    id: product.id,
    seriesId: series.id,
    title: series.title,
    titleEn: series.titleEn ?? null,
    titleJa: series.titleJa ?? null,
    authors: series.authors,
    volume: product.volume,
    priceJpy: product.priceJpy,
    // A preorder is not "in stock" even when units are allotted: it cannot ship yet.
    inStock: product.stock > 0 && product.releaseDate <= today,
    format: product.format,
    releaseDate: product.releaseDate,
  };
}

/** The card of a series the store lists without any volume for sale (never an invented price). */
export function seriesCard(series: Series): ProductCard {
  return { id: series.id, seriesId: series.id, title: series.title, titleEn: series.titleEn ?? null, titleJa: series.titleJa ?? null, authors: series.authors, volume: null, priceJpy: null, inStock: false };
}

/**
 * Chooses the cards that go with an answer: the volume asked about when one was named (in
 * every format but box sets, or the box set when `format` is one);
 * otherwise the first volume of each series (where to start), and the latest released one when a
 * single series is shown.
 */
export function cardsFor(found: SeriesWithProducts[], requestedVolume: number | undefined, now = new Date(), format?: ProductFormat): ProductCard[] {
  const today = now.toISOString().slice(0, 10);
  const cards: ProductCard[] = [];
  found.forEach(({ series, products }, rank) => {
    if (cards.length >= MAX_CARDS) return;
    const print = products.filter((p) => p.format === 'tankobon');
    const pool = print.length > 0 ? print : products;
    if (pool.length === 0) {
      cards.push(seriesCard(series));
      return;
    }
    if (requestedVolume !== undefined && rank === 0) {
      // Box set 1 is no edition of volume 1: box sets only when a box set was asked for (the text says the same).
      const asked = products.filter((p) => p.volume === requestedVolume && (p.format === 'box_set') === (format === 'box_set'));
      if (asked.length > 0) {
        for (const p of asked) cards.push(productCard(series, p, today));
        return;
      }
    }
    const first = pool.reduce((a, b) => (b.volume < a.volume ? b : a));
    cards.push(productCard(series, first, today));
    // The latest volume only when one series is shown: with several, the Nth card stays the Nth
    // series, so "the second one" means what the customer sees.
    if (found.length === 1) {
      const released = pool.filter((p) => p.releaseDate <= today);
      const latest = released.reduce<Product | undefined>((a, b) => (!a || b.volume > a.volume ? b : a), undefined);
      if (latest && latest.id !== first.id) cards.push(productCard(series, latest, today));
    }
  });
  return cards.slice(0, MAX_CARDS);
}

/** The cards of several volumes asked at once: each volume the store sells, in the format asked (else print). */
export function volumeCards(g: Grounding, now: Date): ReturnType<typeof cardsFor> {
  const top = g.series[0];
  if (!top) return [];
  const today = now.toISOString().slice(0, 10);
  const order = [g.requestedFormat, 'tankobon', 'kanzenban', 'digital'];
  // Box sets only when asked for: box set 2 is no edition of volume 2.
  const edition = top.products.filter((x) => (x.format === 'box_set') === (g.requestedFormat === 'box_set'));
  const cards = (g.requestedVolumes ?? []).flatMap((v) => {
    const p = edition.filter((x) => x.volume === v).sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format))[0];
    return p ? [productCard(top.series, p, today)] : [];
  });
  // A long run ("volumes 1 to 15"): its first and last volumes stand for it.
  return cards.length > MAX_CARDS ? [cards[0], cards.at(-1)!] : cards;
}
