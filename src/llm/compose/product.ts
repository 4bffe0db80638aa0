/** Answers about series and volumes: product_search, product_question, price_availability. */
import type { SeriesWithProducts } from '../types.ts';
import {
  availabilityLines,
  extrasFor,
  firstSentence,
  latestVolume,
  nextPreorder,
  seriesTitle,
  seriesTitleFull,
  authorNames,
  stockState,
  type Composer,
  type ComposeContext,
} from './context.ts';
import { formatMissing, volumeAskedLead, whichSeries, wholeSeriesLines } from './volume-asked.ts';

const MAX_SEARCH_RESULTS = 3;

/** No series to talk about: an outage gets an apology, a miss gets search advice. Both point to the search page. */
function nothingFound(ctx: ComposeContext): string[] {
  const { g, m } = ctx;
  if (g.askWhich) return [whichSeries(ctx)];
  return [g.degraded.includes('catalog') ? m.catalogDown(g.links.search) : m.noMatch(g.links.search)];
}

function intro(ctx: ComposeContext, e: SeriesWithProducts): string {
  const s = e.series;
  return ctx.m.seriesIntro(seriesTitleFull(ctx, s), authorNames(ctx, s), s.status, s.volumeCount);
}

/** Search results: each series in a line or two, with the latest volume's price when it is on sale. */
export const composeProductSearch: Composer = (ctx) => {
  const { g, m, today } = ctx;
  if (g.series.length === 0) return nothingFound(ctx);
  const shown = g.series.slice(0, MAX_SEARCH_RESULTS);
  const lines = [m.searchLead(shown.length)];
  shown.forEach((e, i) => {
    let line = intro(ctx, e);
    const latest = latestVolume(e.products, today);
    const latestProduct = latest === undefined ? undefined : e.products.find((p) => p.volume === latest);
    if (latestProduct) line += `${m.gap}${m.searchLatest(m.volume(latestProduct.volume), m.yen(latestProduct.priceJpy))}`;
    lines.push(shown.length > 1 ? m.bullet(line, i) : line);
  });
  if (shown.length === 1) lines.push(...extrasFor(ctx, shown[0]));
  lines.push(m.productFollowUp);
  return lines;
};

/** A question about one series: who, how far along, and a line of its story in the customer's language. */
export const composeProductQuestion: Composer = (ctx) => {
  const { g, m } = ctx;
  if (g.series.length === 0) return nothingFound(ctx);
  const top = g.series[0];
  const lines = [intro(ctx, top)];
  // Only a synopsis in the customer's own language: a mixed-language answer reads like a machine.
  const synopsis = g.language === 'ja' ? top.series.synopsisJa : top.series.synopsis;
  if (synopsis) lines.push(m.synopsis(firstSentence(synopsis)));
  lines.push(...extrasFor(ctx, top));
  if (g.series.length > 1) lines.push(m.alsoFound(g.series.slice(1, 3).map((e) => seriesTitle(ctx, e.series))));
  lines.push(m.productFollowUp);
  return lines;
};

/** Price and stock of the requested volume (or the latest one), per format, with release dates. */
export const composePriceAvailability: Composer = (ctx) => {
  const { g, m, today } = ctx;
  if (g.series.length === 0) return nothingFound(ctx);
  const top = g.series[0];
  const title = seriesTitle(ctx, top.series);
  const latest = latestVolume(top.products, today);
  if (latest === undefined) return [m.noProducts(title), ...alsoFound(ctx)];

  // The whole series at once ("how much for all of them?", 「全巻でいくら？」): the total and what is in stock.
  const whole = g.wholeSeries ? wholeSeriesLines(ctx, top) : [];
  if (whole.length > 0) return [...whole, ...extrasFor(ctx, top), ...alsoFound(ctx), m.priceFollowUp];
  // Several volumes at once ("volumes 2 and 3", 「1〜3巻」): one line each, in the format asked (else print).
  if (g.requestedVolumes && g.requestedVolumes.length > 1) return [...severalVolumes(ctx, top, g.requestedVolumes), ...extrasFor(ctx, top), ...alsoFound(ctx), m.priceFollowUp];

  const lines: string[] = [];
  const requested = g.requestedVolume;
  let shownVolume = latest;
  // The format asked about ("the digital edition", 完全版) is listed first.
  const products = g.requestedFormat ? [...top.products].sort((a, b) => Number(b.format === g.requestedFormat) - Number(a.format === g.requestedFormat)) : top.products;
  // "The next volume", 「最終巻」: introduced as such, or (none listed) said plainly.
  const asked = requested !== undefined && top.products.some((p) => p.volume === requested) ? volumeAskedLead(ctx, top, requested) : undefined;
  if (asked && requested !== undefined) {
    shownVolume = requested;
    lines.push(asked);
  } else if (requested !== undefined && top.products.some((p) => p.volume === requested)) {
    shownVolume = requested;
    lines.push(m.availabilityLead(title, m.volume(requested)));
  } else if (requested !== undefined) {
    lines.push(m.volumeMissing(title, m.volume(requested), m.volume(latest)));
  } else {
    lines.push(m.latestVolume(title, m.volume(latest)));
  }
  if (g.requestedFormat && !top.products.some((p) => p.volume === shownVolume && p.format === g.requestedFormat)) lines.push(formatMissing(ctx, shownVolume, g.requestedFormat));
  lines.push(...availabilityLines(ctx, products, shownVolume));
  const upcoming = nextPreorder(top.products, today, shownVolume);
  if (upcoming && upcoming.volume !== shownVolume && (requested === undefined || g.volumeAsked?.none)) {
    lines.push(m.upcoming(m.volume(upcoming.volume), m.date(upcoming.releaseDate)));
  }
  lines.push(...extrasFor(ctx, top), ...alsoFound(ctx), m.priceFollowUp);
  return lines;
};

function severalVolumes(ctx: ComposeContext, top: SeriesWithProducts, volumes: number[]): string[] {
  const { g, m, today } = ctx;
  const title = seriesTitle(ctx, top.series);
  const order = [g.requestedFormat, 'tankobon', 'kanzenban', 'box_set', 'digital'];
  const lines = [m.availabilityLead(title, volumes.map((v) => m.volume(v)).join(g.language === 'ja' ? '・' : ', '))];
  for (const v of volumes) {
    const p = top.products.filter((x) => x.volume === v).sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format))[0];
    lines.push(p ? m.availability(m.volume(v), m.format(p.format), m.yen(p.priceJpy), stockState(p, today), m.date(p.releaseDate)) : m.volumeMissing(title, m.volume(v)));
  }
  return lines;
}

function alsoFound(ctx: ComposeContext): string[] {
  const rest = ctx.g.series.slice(1, 3);
  return rest.length ? [ctx.m.alsoFound(rest.map((e) => seriesTitle(ctx, e.series)))] : [];
}
