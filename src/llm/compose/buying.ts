/**
 * Which way of buying costs less, at live prices: print or digital for one volume ("is digital
 * cheaper?", 「紙と電子どっちが安い？」), for several volumes, or for the whole series with its box
 * set ("what's the cheapest way to get all of them?") — the cheaper way first, in the customer's language.
 */
import type { Product, ProductFormat } from '../../catalog/types.ts';
import type { Grounding, SeriesWithProducts } from '../types.ts';
import { seriesTitle, stockState, type ComposeContext } from './context.ts';

/** The single-volume formats compared, in the order a tie is listed (print first, as the store lists it). */
const FORMAT_ORDER: ProductFormat[] = ['tankobon', 'kanzenban', 'digital'];

/** One way to buy the volumes asked about: a format, what they cost in it, and the print ones out of stock. */
interface Way {
  format: ProductFormat;
  count: number;
  totalJpy: number;
  outOfStock: number[];
}

/**
 * The ways to buy `volumes` (every released volume when undefined): one per format that sells
 * every one of them (released volumes only for the whole series), cheapest first, ties in the store's order.
 */
function waysToBuy(products: Product[], volumes: number[] | undefined, today: string, only?: ProductFormat[]): Way[] {
  const ways: Way[] = [];
  for (const format of FORMAT_ORDER.filter((f) => !only || only.includes(f))) {
    const inFormat = products.filter((p) => p.format === format && (volumes ? volumes.includes(p.volume) : stockState(p, today) !== 'preorder'));
    const distinct = new Map(inFormat.map((p) => [p.volume, p]));
    if (distinct.size === 0 || (volumes && distinct.size < volumes.length)) continue;
    const picked = [...distinct.values()];
    ways.push({
      format,
      count: picked.length,
      totalJpy: picked.reduce((sum, p) => sum + p.priceJpy, 0),
      outOfStock: picked.filter((p) => stockState(p, today) === 'out_of_stock').map((p) => p.volume).sort((a, b) => a - b),
    });
  }
  return ways.sort((a, b) => a.totalJpy - b.totalJpy || FORMAT_ORDER.indexOf(a.format) - FORMAT_ORDER.indexOf(b.format));
}

// Enough to name the sold-out volumes a customer would plan around.
const MAX_LISTED = 8;

/**
 * The comparison line for one volume or a few (`volumes`), or undefined when there is nothing to
 * weigh (no product, or one way only is said plainly by `onlyWay`). Cheapest first: "Vol. 15 is
 * ¥58 cheaper in digital (¥514) than in paperback (¥572)."
 */
export function cheaperWayLine(ctx: ComposeContext, top: SeriesWithProducts, volumes: number[]): string | undefined {
  const { m, g, today } = ctx;
  // The formats named, when the store sells two of them; else every way there is.
  const named = waysToBuy(top.products, volumes, today, g.cheaperOf);
  const ways = named.length > 1 ? named : waysToBuy(top.products, volumes, today);
  if (ways.length === 0) return undefined;
  const ja = g.language === 'ja';
  const several = volumes.length > 1;
  const what = !several ? m.volume(volumes[0]) : ja ? `${volumes.map((v) => m.volume(v)).join('・')}（${volumes.length}冊）` : `Together, ${volumes.map((v) => m.volume(v)).join(', ')}`;
  const priced = (w: Way) => (ja ? `${m.format(w.format)}（${m.yen(w.totalJpy)}）` : `${m.format(w.format)} (${m.yen(w.totalJpy)})`);
  const [first, second, ...rest] = ways;
  const out = (w: Way) => (w.outOfStock.length > 0 ? (ja ? `（${m.format(w.format)}は在庫切れ：${list(ctx, w.outOfStock)}）` : ` (the ${m.format(w.format)} is out of stock: ${list(ctx, w.outOfStock)})`) : '');
  if (!second) return ja ? `${what}は${priced(first)}のみの販売です。${out(first)}` : `${what} ${several ? 'are' : 'is'} only sold in ${m.format(first.format)} (${m.yen(first.totalJpy)}).${out(first)}`;
  if (first.totalJpy === second.totalJpy && rest.length === 0) {
    return ja ? `${what}は${m.format(first.format)}・${m.format(second.format)}とも${several ? '合計' : ''}${m.yen(first.totalJpy)}です。` : `${what} cost${several ? '' : 's'} the same in ${m.format(first.format)} and ${m.format(second.format)}: ${m.yen(first.totalJpy)}.`;
  }
  const difference = m.yen(second.totalJpy - first.totalJpy);
  const others = rest.map((w) => priced(w)).join(ja ? '、' : ', ');
  if (ja) return `${what}は${priced(first)}のほうが${priced(second)}より${difference}お安くなります${others ? `（${others}）` : ''}。${out(first)}`;
  return `${what} ${several ? 'are' : 'is'} ${difference} cheaper in ${m.format(first.format)} (${m.yen(first.totalJpy)}) than in ${m.format(second.format)} (${m.yen(second.totalJpy)})${others ? `; ${others}` : ''}.${out(first)}`;
}

/**
 * The whole series, every way to buy it, the cheapest first ("what's the cheapest way to get all
 * of them?"): each format's total for the released volumes, with the print ones out of stock, and
 * the box sets; empty when the series has a single way to buy (the plain total says it all).
 */
export function cheapestWholeSeriesLines(ctx: ComposeContext, top: SeriesWithProducts): string[] {
  const { m, g, today } = ctx;
  const named = waysToBuy(top.products, undefined, today, g.cheaperOf);
  const ways = named.length > 1 ? named : waysToBuy(top.products, undefined, today);
  if (ways.length < 2) return [];
  const ja = g.language === 'ja';
  const title = seriesTitle(ctx, top.series);
  const [first, second] = ways;
  const boxes = top.products.filter((p) => p.format === 'box_set').sort((a, b) => a.volume - b.volume);
  const upcoming = [...new Set(top.products.filter((p) => p.format !== 'box_set' && stockState(p, today) === 'preorder').map((p) => p.volume))].sort((a, b) => a - b);
  // One box set of a series with every volume out stands for the print volumes (several box sets,
  // or volumes still to come, are no like-for-like sum): it is weighed against the other ways.
  const box = boxes.length === 1 && upcoming.length === 0 && ways.some((w) => w.format === 'tankobon') ? boxes[0].priceJpy : undefined;
  // Totals of different counts (a digital edition a volume behind) are no like-for-like sum: each said with its count.
  const alike = ways.every((w) => w.count === first.count);
  const lines: string[] = [];
  if (alike && box !== undefined && box < first.totalJpy) {
    lines.push(
      ja
        ? `${title}全${first.count}巻をいちばん安くそろえるならBOXセットで、${m.yen(box)}です（${m.format(first.format)}より${m.yen(first.totalJpy - box)}お安くなります）。`
        : `The cheapest way to get all ${first.count} volumes of ${title} is the box set: ${m.yen(box)}, ${m.yen(first.totalJpy - box)} less than ${m.format(first.format)}.`,
    );
  } else if (alike && first.totalJpy < second.totalJpy) {
    lines.push(
      ja
        ? `${title}全${first.count}巻をいちばん安くそろえるなら${m.format(first.format)}で、合計${m.yen(first.totalJpy)}です（${m.format(second.format)}より${m.yen(second.totalJpy - first.totalJpy)}お安くなります）。`
        : `The cheapest way to get all ${first.count} volumes of ${title} is ${m.format(first.format)}: ${m.yen(first.totalJpy)} in total, ${m.yen(second.totalJpy - first.totalJpy)} less than ${m.format(second.format)}.`,
    );
  } else if (alike) lines.push(ja ? `${title}全${first.count}巻の合計は、どの形式でも${m.yen(first.totalJpy)}です。` : `All ${first.count} volumes of ${title} cost ${m.yen(first.totalJpy)} in every format.`);
  for (const w of ways) {
    const stock = w.format === 'digital' ? '' : w.outOfStock.length > 0 ? (ja ? `、在庫切れ：${list(ctx, w.outOfStock)}` : `; out of stock: ${list(ctx, w.outOfStock)}`) : ja ? '、すべて在庫あり' : '; all in stock';
    lines.push(ja ? `・${m.format(w.format)}：全${w.count}巻で${m.yen(w.totalJpy)}${stock}` : `- ${cap(m.format(w.format))}: ${m.yen(w.totalJpy)} for ${w.count} volumes${stock}`);
  }
  if (boxes.length > 0) {
    const named = boxes.map((b) => (ja ? `BOXセット${b.volume} ${m.yen(b.priceJpy)}（${b.stock > 0 ? '在庫あり' : '在庫切れ'}）` : `Box set ${b.volume}: ${m.yen(b.priceJpy)} (${b.stock > 0 ? 'in stock' : 'out of stock'})`));
    lines.push(ja ? `BOXセットもございます：${named.join('、')}。` : `There's also ${named.join('; ')}.`);
    if (box !== undefined && box >= first.totalJpy) lines.push(ja ? `BOXセットは${m.format(first.format)}でそろえるより${m.yen(box - first.totalJpy)}高くなります。` : `The box set costs ${m.yen(box - first.totalJpy)} more than ${m.format(first.format)}.`);
  }
  if (upcoming.length > 0) lines.push(ja ? `${list(ctx, upcoming)}は予約受付中です（合計には含みません）。` : `${list(ctx, upcoming)} ${upcoming.length === 1 ? 'is' : 'are'} up for preorder (not in these totals).`);
  return lines;
}

/** The same comparison for a model's prompt: each way to buy what was asked, cheapest first, with the box sets. */
export function cheaperWaysFacts(g: Grounding, today: string): string[] {
  const top = g.series[0];
  if (!top) return [];
  const volumes = g.wholeSeries ? undefined : (g.requestedVolumes ?? (g.requestedVolume !== undefined ? [g.requestedVolume] : undefined));
  const ways = waysToBuy(top.products, volumes, today, g.cheaperOf);
  if (ways.length === 0) return [];
  const boxes = g.wholeSeries ? top.products.filter((p) => p.format === 'box_set') : [];
  const what = volumes ? `volume${volumes.length > 1 ? 's' : ''} ${volumes.join(', ')}` : 'every released volume';
  const priced = ways.map((w) => `${w.format} ¥${w.totalJpy} (${w.count} volume${w.count > 1 ? 's' : ''}${w.outOfStock.length ? `; out of stock: vol ${w.outOfStock.join(', ')}` : ''})`).join(', ');
  const box = boxes.length ? `; box sets: ${boxes.map((b) => `box ${b.volume} ¥${b.priceJpy}`).join(', ')}` : '';
  return [`THE CUSTOMER ASKS WHICH WAY OF BUYING ${what.toUpperCase()} IS CHEAPER: ${priced}${box}. Answer that first, the cheapest way first, with the difference.`];
}

/**
 * The whole series sold in one format only, asked which way is cheaper ("is digital cheaper?" of a
 * series with no digital edition): said first, before its total.
 */
export function oneWayOnlyLine(ctx: ComposeContext, top: SeriesWithProducts): string | undefined {
  const { m, g, today } = ctx;
  const ways = waysToBuy(top.products, undefined, today);
  if (ways.length !== 1) return undefined;
  const title = seriesTitle(ctx, top.series);
  return g.language === 'ja' ? `${title}は${m.format(ways[0].format)}のみの販売です（ほかの形式はございません）。` : `${title} is only sold in ${m.format(ways[0].format)} here, so there's no other edition to compare.`;
}

function list(ctx: ComposeContext, volumes: number[]): string {
  const ja = ctx.g.language === 'ja';
  return volumes.slice(0, MAX_LISTED).map((v) => ctx.m.volume(v)).join(ja ? '・' : ', ') + (volumes.length > MAX_LISTED ? (ja ? 'ほか' : ', …') : '');
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
