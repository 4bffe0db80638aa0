/** Answers about series and volumes: product_search, product_question, price_availability. */
import type { SeriesWithProducts } from '../types.ts';
import { pointsLine } from './faq.ts';
import type { Product, ProductFormat } from '../../catalog/types.ts';
import {
  extrasFor,
  formatsOf,
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
import { factLines, factsAskedOf } from './series-facts.ts';
import { cheaperWayLine, cheapestWholeSeriesLines, oneWayOnlyLine } from './buying.ts';
import { MAX_VOLUMES_LISTED, formatMissing, volumeAskedLead, volumeRunLines, volumesTotalLine, whichSeries, wholeSeriesLines } from './volume-asked.ts';

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
  // "Do you have Dandadan 3?" (「だんだだん 3かん ある？」): one series found, a volume asked — that volume's price and stock (area B).
  if (g.requestedVolume !== undefined && g.series.length === 1 && g.series[0].products.some((p) => p.volume === g.requestedVolume)) return composePriceAvailability(ctx);
  // "What's the cheapest way to buy all of Demon Slayer?": every volume of the series found, its total and stock.
  if (g.wholeSeries && g.series[0]?.products.length) return composePriceAvailability(ctx);
  const shown = g.series.slice(0, MAX_SEARCH_RESULTS);
  const lines = [m.searchLead(shown.length)];
  shown.forEach((e, i) => {
    let line = intro(ctx, e);
    const latest = latestVolume(e.products, today);
    const latestProduct = latest === undefined ? undefined : e.products.find((p) => p.volume === latest);
    if (latestProduct) line += `${m.gap}${m.searchLatest(m.volume(latestProduct.volume), m.yen(latestProduct.priceJpy))}`;
    lines.push(shown.length > 1 ? m.bullet(line, i) : line);
  });
  // "Magi - shounen or seinen?" read as a search: its readership, asked, right after the one series found.
  if (shown.length === 1) lines.push(...factsAsked(ctx, shown[0]), ...extrasFor(ctx, shown[0]));
  lines.push(m.productFollowUp);
  return lines;
};

/** A question about one series: who, how far along, and a line of its story in the customer's language. */
export const composeProductQuestion: Composer = (ctx) => {
  const { g, m } = ctx;
  if (g.series.length === 0) return nothingFound(ctx);
  // A question about a volume ("ok what about 13, can I get that one now?") gets that volume's
  // facts — price, stock, release, format — as its card shows, never the series' description.
  if ((g.requestedVolume !== undefined || (g.requestedVolumes?.length ?? 0) > 1) && g.series[0].products.length > 0) return composePriceAvailability(ctx);
  const top = g.series[0];
  // "Is it finished?", "who wrote it?", 「全何巻？」: the answer first and plainly, not the summary it hides in.
  const asked = factsAskedOf(g.text);
  const lines = asked ? factLines(ctx, top, asked) : [intro(ctx, top)];
  // The year it began and its readership, when asked ("when did it start?", 「少年漫画？」): the catalog's facts, said first.
  lines.push(...factsAsked(ctx, top));
  // An edition asked about beside the series' length (「全部で何巻？完全版もある？」): whether it is sold, and how many volumes.
  if (g.requestedFormat && g.requestedVolume === undefined) lines.push(editionLine(ctx, top, g.requestedFormat));
  // Only a synopsis in the customer's own language: a mixed-language answer reads like a machine.
  const synopsis = g.language === 'ja' ? top.series.synopsisJa : top.series.synopsis;
  if (synopsis && (!asked || asked.story)) lines.push(m.synopsis(firstSentence(synopsis)));
  lines.push(...extrasFor(ctx, top));
  if (g.series.length > 1) lines.push(m.alsoFound(g.series.slice(1, 3).map((e) => seriesTitle(ctx, e.series))));
  lines.push(m.productFollowUp);
  return lines;
};

// When a series began: "when did it start?", "what year did it begin", "first published",
// "how old is it", 「いつから連載？」「何年から」「連載開始は」「始まったのはいつ」.
const EN_STARTED = /\b(?:what|which) year\b|\bwhen did\b[^?.!]{0,40}\b(?:start|begin|come out|launch|debut|first)|\b(?:started|began|begun|debuted|first (?:published|serialized|serialised|released|came out|come out)|start(?:ing)? (?:date|year)|how old is|since when|been (?:running|going|out) since)\b/;
const JA_STARTED = /いつから|いつ頃から|いつごろから|何年から|何年に(?:始|連載|スタート)|連載開始|始ま|スタートした|開始は|開始年/;
// Its readership: "is it shounen?", "seinen or shounen?", "what demographic", 「少年漫画？」「青年誌」.
const EN_DEMOGRAPHIC = /\b(?:shounen|shonen|seinen|shoujo|shojo|josei|kodomo(?:muke)?|demographic|target (?:audience|readers?))\b/;
const JA_DEMOGRAPHIC = /少年(?:漫画|マンガ|誌|向け)|青年(?:漫画|マンガ|誌|向け)|少女(?:漫画|マンガ|誌|向け)|女性(?:漫画|マンガ|誌|向け)|児童(?:漫画|向け)|対象(?:年齢|読者)|読者層|(?:何|なに)向け/;

const BEGAN: Record<'en' | 'ja', (year: number) => string> = { en: (y) => `It began in ${y}.`, ja: (y) => `${y}年に連載が始まりました。` };
const READERSHIP: Record<'en' | 'ja', (label: string) => string> = { en: (l) => `It's a ${l} series.`, ja: (l) => `${l}漫画です。` };

/** The facts a question about one series asks beside its status and length: the year it began, its demographic. */
function factsAsked(ctx: ComposeContext, top: SeriesWithProducts): string[] {
  const { g, m } = ctx;
  const t = g.text.normalize('NFKC').toLowerCase();
  const lang = g.language === 'ja' ? 'ja' : 'en';
  const out: string[] = [];
  const year = top.series.startDate ? Number(top.series.startDate.slice(0, 4)) : NaN;
  if ((EN_STARTED.test(t) || JA_STARTED.test(t)) && Number.isFinite(year) && year > 0) out.push(BEGAN[lang](year));
  if ((EN_DEMOGRAPHIC.test(t) || JA_DEMOGRAPHIC.test(t)) && top.series.demographic) out.push(READERSHIP[lang](m.label(top.series.demographic)));
  return out;
}

/** Price and stock of the requested volume (or the latest one), per format, with release dates. */
export const composePriceAvailability: Composer = (ctx) => {
  const { g, m, today } = ctx;
  if (g.series.length === 0) return nothingFound(ctx);
  const top = g.series[0];
  const title = seriesTitle(ctx, top.series);
  // A box set asked of a series that has none ("is there a box set of Monster?"): said so, then its
  // volumes as usual — never a volume called a box set.
  if (g.requestedFormat === 'box_set' && top.products.length > 0 && !top.products.some((p) => p.format === 'box_set')) {
    return [(NO_BOX_SET[g.language] ?? NO_BOX_SET.en)(title), ...composePriceAvailability({ ...ctx, g: { ...g, requestedFormat: undefined } })];
  }
  // Box sets are their own numbering (Box set 3 is no volume 3): only answered when asked for.
  const edition = editionOf(top.products, g.requestedFormat);
  const latest = latestVolume(edition, today);
  // Nothing on sale (most of an import): said so, with what the catalog knows of the series (its author, status and length).
  if (latest === undefined) return [m.noProducts(title), intro(ctx, top), ...alsoFound(ctx)];
  const item = (v: number) => itemName(ctx, v, g.requestedFormat === 'box_set' ? 'box_set' : 'tankobon');

  // The whole series at once ("how much for all of them?", 「全巻でいくら？」): the total and what is in stock.
  // ...and the cheapest way to get it all ("what's the cheapest way to get all of them?"): every way to buy it, cheapest first.
  // (A box set weighed against the single volumes, "the box set or the singles?", is that comparison alone.)
  const cheapest = g.wholeSeries && g.cheaperAsked && g.requestedFormat !== 'box_set' ? cheapestWholeSeriesLines(ctx, top) : [];
  // (A box set weighed against the volumes, "the box set or the volumes separately?", is no other edition asked for.)
  const onlyWay = g.wholeSeries && g.cheaperAsked && cheapest.length === 0 && g.requestedFormat !== 'box_set' ? oneWayOnlyLine(ctx, top) : undefined;
  const whole = cheapest.length > 0 ? cheapest : g.wholeSeries ? [...(onlyWay ? [onlyWay] : []), ...wholeSeriesLines(ctx, top)] : [];
  if (whole.length > 0) return [...whole, ...extrasFor(ctx, top, undefined, !g.soldOutAsked), ...alsoFound(ctx), m.priceFollowUp];
  // Several volumes at once ("volumes 2 and 3", 「1〜3巻」): one line each, in the format asked (else print).
  // "How many points would they earn me?" asked with the prices: the points after them.
  const points = pointsLine(ctx);
  // "Are they cheaper in digital?" of several volumes: their totals in each format compared first.
  const cheaperOfSeveral = g.cheaperAsked && g.requestedVolumes && g.requestedVolumes.length > 1 ? cheaperWayLine(ctx, top, g.requestedVolumes) : undefined;
  if (g.requestedVolumes && g.requestedVolumes.length > 1) return [...(cheaperOfSeveral ? [cheaperOfSeveral] : []), ...severalVolumes(ctx, top, g.requestedVolumes), ...(points ? [points] : []), ...extrasFor(ctx, top, undefined, true), ...alsoFound(ctx), m.priceFollowUp];


  const lines: string[] = [];
  const requested = g.requestedVolume;
  let shownVolume = latest;
  // The format asked about ("the digital edition", 完全版) is listed first.
  const products = g.requestedFormat ? [...edition].sort((a, b) => Number(b.format === g.requestedFormat) - Number(a.format === g.requestedFormat)) : edition;
  // "The next volume", 「最終巻」: introduced as such, or (none listed) said plainly.
  const asked = requested !== undefined && edition.some((p) => p.volume === requested) ? volumeAskedLead(ctx, top, requested) : undefined;
  if (asked && requested !== undefined) {
    shownVolume = requested;
    lines.push(asked);
  } else if (requested !== undefined && edition.some((p) => p.volume === requested)) {
    shownVolume = requested;
    lines.push(m.availabilityLead(title, item(requested)));
  } else if (requested !== undefined) {
    lines.push(m.volumeMissing(title, item(requested), item(latest)));
  } else {
    lines.push(m.latestVolume(title, item(latest)));
  }
  // "Is digital cheaper?", 「紙と電子どっちが安い？」: the answer to that first, then each format's line.
  const cheaper = g.cheaperAsked && g.requestedFormat !== 'box_set' && (requested === undefined || shownVolume === requested) ? cheaperWayLine(ctx, top, [shownVolume]) : undefined;
  if (cheaper) lines.unshift(cheaper);
  else if (g.requestedFormat && !edition.some((p) => p.volume === shownVolume && p.format === g.requestedFormat)) lines.push(formatMissing(ctx, shownVolume, g.requestedFormat));
  lines.push(...formatsOf(products, shownVolume).map((p) => availabilityLine(ctx, p)));
  const upcoming = nextPreorder(edition, today, shownVolume);
  if (upcoming && upcoming.volume !== shownVolume && (requested === undefined || g.volumeAsked?.none)) {
    lines.push(m.upcoming(m.volume(upcoming.volume), m.date(upcoming.releaseDate)));
  }
  if (points) lines.push(points);
  lines.push(...extrasFor(ctx, top, shownVolume), ...alsoFound(ctx), m.priceFollowUp);
  return lines;
};

function severalVolumes(ctx: ComposeContext, top: SeriesWithProducts, volumes: number[]): string[] {
  const { g, m } = ctx;
  // A long run ("volumes 1 to 15"): one total with what is in stock, not fifteen lines.
  const run = volumes.length > MAX_VOLUMES_LISTED ? volumeRunLines(ctx, top, volumes) : [];
  if (run.length > 0) return run;
  const title = seriesTitle(ctx, top.series);
  const order = [g.requestedFormat, 'tankobon', 'kanzenban', 'digital'];
  const boxes = g.requestedFormat === 'box_set';
  const name = (v: number) => itemName(ctx, v, boxes ? 'box_set' : 'tankobon');
  const lines = [m.availabilityLead(title, volumes.map(name).join(g.language === 'ja' ? '・' : ', '))];
  for (const v of volumes) {
    const p = editionOf(top.products, g.requestedFormat).filter((x) => x.volume === v).sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format))[0];
    lines.push(p ? availabilityLine(ctx, p) : m.volumeMissing(title, name(v)));
  }
  // What they cost together, at the live prices above (area B: arithmetic).
  // (Box sets listed when asked about are their own numbering: added up only when the customer
  // asks what they cost together, and named as box sets.)
  // (Nor a volume named beside one asked by its place, "when did vol 1 come out? and the next one?": two questions, no sum.)
  const total = (boxes || g.volumeAsked) && !g.sumAsked ? undefined : volumesTotalLine(ctx, top.products, volumes, boxes ? name : undefined);
  if (total) lines.push(total);
  return lines;
}

const EDITION: Record<'en' | 'ja', { sold: (format: string, count: number, from: string) => string; none: (title: string, format: string) => string }> = {
  en: { sold: (f, n, from) => `There's also a ${f} edition: ${n} volume${n === 1 ? '' : 's'}, from ${from}.`, none: (t, f) => `We don't sell a ${f} edition of ${t}.` },
  ja: { sold: (f, n, from) => `${f}もございます（全${n}巻、${from}から）。`, none: (t, f) => `${t}の${f}は、当店ではお取り扱いがございません。` },
};

/** Whether an edition of the series is sold, with how many volumes and its lowest price. */
function editionLine(ctx: ComposeContext, top: SeriesWithProducts, format: ProductFormat): string {
  const { g, m } = ctx;
  const p = EDITION[g.language] ?? EDITION.en;
  const of = top.products.filter((x) => x.format === format);
  if (of.length === 0) return p.none(seriesTitle(ctx, top.series), m.format(format));
  return p.sold(m.format(format), new Set(of.map((x) => x.volume)).size, m.yen(Math.min(...of.map((x) => x.priceJpy))));
}

const NO_BOX_SET: Record<'en' | 'ja', (title: string) => string> = {
  en: (t) => `We don't have a box set of ${t}, only the single volumes.`,
  ja: (t) => `${t}のBOXセットは、当店ではお取り扱いがございません（単巻のみの販売です）。`,
};

const BOX_SET: Record<'en' | 'ja', (n: number) => string> = { en: (n) => `Box set ${n}`, ja: (n) => `BOXセット${n}` };

/** A product as customers name it: a box set by its own number ("Box set 3", 「BOXセット3」), anything else by its volume. */
export function itemName(ctx: ComposeContext, volume: number, format: ProductFormat): string {
  return format === 'box_set' ? (BOX_SET[ctx.g.language] ?? BOX_SET.en)(volume) : ctx.m.volume(volume);
}

/** The products of the edition asked about: box sets when a box set was asked for, else every format but box sets (none of them is a volume). */
export function editionOf(products: Product[], format: ProductFormat | undefined): Product[] {
  const boxes = products.filter((p) => p.format === 'box_set');
  if (format === 'box_set') return boxes.length > 0 ? boxes : products;
  const volumes = products.filter((p) => p.format !== 'box_set');
  return volumes.length > 0 ? volumes : products;
}

/** One line of price, stock and release for one product; a box set is named as one, without a second format label. */
function availabilityLine(ctx: ComposeContext, p: Product): string {
  const { m, today } = ctx;
  const line = m.availability(itemName(ctx, p.volume, p.format), m.format(p.format), m.yen(p.priceJpy), stockState(p, today), m.date(p.releaseDate));
  if (p.format !== 'box_set') return line;
  // "Box set 3 (box set): …" → "Box set 3: …"; 「BOXセット3（BOXセット）：…」 → 「BOXセット3：…」.
  return line.replace(` (${m.format('box_set')})`, '').replace(`（${m.format('box_set')}）`, '');
}

function alsoFound(ctx: ComposeContext): string[] {
  const rest = ctx.g.series.slice(1, 3);
  return rest.length ? [ctx.m.alsoFound(rest.map((e) => seriesTitle(ctx, e.series)))] : [];
}
