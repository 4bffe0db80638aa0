/**
 * A volume asked for by its place: "when does the next volume come out?", 「最終巻はいくら？」. The
 * next volume is introduced as such; when there is none, the answer says so plainly — a finished
 * series has no next volume, a running one may not have it announced yet.
 */
import type { SeriesWithProducts } from '../types.ts';
import type { Product, ProductFormat } from '../../catalog/types.ts';
import { stockState } from './context.ts';
import { seriesTitle, type ComposeContext } from './context.ts';

interface Phrases {
  next(title: string, volume: number): string;
  last(title: string, volume: number, finished: boolean): string;
  noneFinished(title: string, count: number): string;
  noneYet(title: string, next: number, latest: number): string;
}

const PHRASES: Record<'en' | 'ja', Phrases> = {
  en: {
    next: (title, v) => `The next volume of ${title} is Vol. ${v}:`,
    // A finished series says so: "is that the final one?" asks whether the series ends there.
    last: (title, v, finished) => (finished ? `The last volume of ${title} is Vol. ${v}: the series is complete in ${v} volumes.` : `The latest volume of ${title} is Vol. ${v}:`),
    noneFinished: (title, n) => `There is no next volume: ${title} is complete, and Vol. ${n} is the final volume.`,
    noneYet: (title, next, latest) => `No release date for Vol. ${next} of ${title} has been announced yet, so there's no upcoming volume to preorder. The latest is Vol. ${latest}:`,
  },
  ja: {
    next: (title, v) => `${title}の次の巻は${v}巻です。`,
    last: (title, v, finished) => (finished ? `${title}は全${v}巻で完結しており、最終巻は${v}巻です。` : `${title}の最新刊は${v}巻です。`),
    noneFinished: (title, n) => `${title}は全${n}巻で完結しているため、次の巻の予定はございません（${n}巻が最終巻です）。`,
    noneYet: (title, next, latest) => `${title}の${next}巻の発売日は、まだ発表されておりません。最新刊は${latest}巻です。`,
  },
};

/** The lead line for a volume asked by its place, or undefined when the message named none. */
export function volumeAskedLead(ctx: ComposeContext, top: SeriesWithProducts, shownVolume: number): string | undefined {
  const asked = ctx.g.volumeAsked;
  if (!asked) return undefined;
  const p = PHRASES[ctx.g.language] ?? PHRASES.en;
  const title = seriesTitle(ctx, top.series);
  const finished = top.series.status === 'finished';
  if (asked.ref === 'last') return p.last(title, shownVolume, finished);
  if (!asked.none) return p.next(title, shownVolume);
  const after = asked.after ?? shownVolume;
  return finished ? p.noneFinished(title, top.series.volumeCount ?? after) : p.noneYet(title, after + 1, after);
}

const WHICH: Record<'en' | 'ja', string> = {
  en: 'Which series do you mean? Tell me the title and I will check it for you.',
  ja: 'どの作品についてのお問い合わせでしょうか。タイトルを教えていただければ、お調べいたします。',
};

/** The message asks about "the next volume" or "volume 1" of no series in particular: which one? */
export function whichSeries(ctx: ComposeContext): string {
  return WHICH[ctx.g.language] ?? WHICH.en;
}

const AS_A: Record<ProductFormat, string> = { digital: 'a digital edition', tankobon: 'a paperback', kanzenban: 'a kanzenban edition', box_set: 'a box set' };
const FORMAT_MISSING: Record<'en' | 'ja', (volume: string, format: ProductFormat, name: string) => string> = {
  en: (volume, format) => `We don't sell ${volume} as ${AS_A[format]}; here is what we have:`,
  ja: (volume, _format, name) => `${volume}の${name}は、当店ではお取り扱いがございません。ご用意のある版をご案内いたします。`,
};

/** The format asked about is not sold for this volume ("the ebook?" of a volume with no digital edition): said first. */
export function formatMissing(ctx: ComposeContext, volume: number, format: ProductFormat): string {
  return (FORMAT_MISSING[ctx.g.language] ?? FORMAT_MISSING.en)(ctx.m.volume(volume), format, ctx.m.format(format));
}

/** What the whole series costs in one format: the released volumes' total, what is in stock, and a box set. */
export interface WholeSeries {
  format: ProductFormat;
  count: number;
  totalJpy: number;
  inStock: number;
  outOfStock: number[];
  /** Announced volumes not out yet (not in the total). */
  upcoming: number[];
  boxSet?: Product;
  /** Every box set of the series, by number. */
  boxSets: Product[];
}

/** The whole series in the format asked ("the whole series on kindle"), else print, else the format with the most volumes: released volumes only. */
export function wholeSeriesOf(products: Product[], today: string, asked?: ProductFormat): WholeSeries | undefined {
  const byFormat = new Map<ProductFormat, Product[]>();
  for (const p of products) if (p.format !== 'box_set') byFormat.set(p.format, [...(byFormat.get(p.format) ?? []), p]);
  const format = asked && byFormat.has(asked) ? asked : byFormat.has('tankobon') ? 'tankobon' : [...byFormat.entries()].sort((a, b) => b[1].length - a[1].length)[0]?.[0];
  if (!format) return undefined;
  const all = byFormat.get(format)!;
  const released = all.filter((p) => stockState(p, today) !== 'preorder');
  return {
    format,
    count: released.length,
    totalJpy: released.reduce((sum, p) => sum + p.priceJpy, 0),
    inStock: released.filter((p) => p.stock > 0).length,
    outOfStock: released.filter((p) => p.stock <= 0).map((p) => p.volume).sort((a, b) => a - b),
    upcoming: all.filter((p) => stockState(p, today) === 'preorder').map((p) => p.volume).sort((a, b) => a - b),
    boxSet: products.find((p) => p.format === 'box_set'),
    boxSets: products.filter((p) => p.format === 'box_set').sort((a, b) => a.volume - b.volume),
  };
}

// Enough to name every sold-out volume a customer asks about.
const MAX_LISTED = 10;

/**
 * Which is cheaper, one box set or the single volumes it stands for: only when the series has one
 * box set and every volume is out (several box sets, or volumes still to come, are no like-for-like sum).
 */
function verdict(w: WholeSeries): { cheaper: 'singles' | 'box' | 'same'; difference: number } | undefined {
  if (w.boxSets.length !== 1 || w.upcoming.length > 0 || w.format !== 'tankobon') return undefined;
  const difference = Math.abs(w.boxSets[0].priceJpy - w.totalJpy);
  return { cheaper: difference === 0 ? 'same' : w.totalJpy < w.boxSets[0].priceJpy ? 'singles' : 'box', difference };
}

/** The whole series at once ("how much for all of them?"), in the customer's language. */
export function wholeSeriesLines(ctx: ComposeContext, top: SeriesWithProducts): string[] {
  const { m, g, today } = ctx;
  const w = wholeSeriesOf(top.products, today, g.requestedFormat);
  if (!w || w.count === 0) return [];
  const title = seriesTitle(ctx, top.series);
  const list = (vs: number[]) => vs.slice(0, MAX_LISTED).map((v) => m.volume(v)).join(g.language === 'ja' ? '・' : ', ') + (vs.length > MAX_LISTED ? (g.language === 'ja' ? 'ほか' : ', …') : '');
  const lines: string[] = [];
  // Which volumes are sold out: that answer, from live stock, and nothing it did not ask (no total).
  if (g.soldOutAsked) {
    if (g.language === 'ja') {
      lines.push(w.outOfStock.length ? `${title}で現在在庫切れの巻は${list(w.outOfStock)}です（全${w.count}巻中${w.inStock}冊は在庫あり）。` : `${title}は全${w.count}巻とも在庫がございます。在庫切れの巻はありません。`);
      if (w.upcoming.length) lines.push(`${list(w.upcoming)}は予約受付中です。`);
    } else {
      lines.push(w.outOfStock.length ? `Out of stock right now in ${title}: ${list(w.outOfStock)} (the other ${w.inStock} of the ${w.count} volumes are in stock).` : `None of the ${w.count} volumes of ${title} is out of stock: all are in stock right now.`);
      if (w.upcoming.length) lines.push(`${list(w.upcoming)} ${w.upcoming.length === 1 ? 'is' : 'are'} up for preorder.`);
    }
    return lines;
  }
  // Only the volumes in stock: what they come to, and the ones left out.
  if (g.inStockOnly) {
    const inStock = top.products.filter((p) => p.format === w.format && p.stock > 0 && stockState(p, today) !== 'preorder');
    const sum = inStock.reduce((n, p) => n + p.priceJpy, 0);
    if (g.language === 'ja') lines.push(w.outOfStock.length ? `${title}の在庫がある${inStock.length}冊（${m.format(w.format)}）だけなら合計${m.yen(sum)}です。在庫切れ：${list(w.outOfStock)}（全${w.count}巻では${m.yen(w.totalJpy)}）。` : `${title}は全${w.count}巻とも在庫がございます：合計${m.yen(sum)}（${m.format(w.format)}）です。`);
    else lines.push(w.outOfStock.length ? `Just the ${inStock.length} volumes of ${title} in stock (${m.format(w.format)}) come to ${m.yen(sum)}; out of stock: ${list(w.outOfStock)} (all ${w.count} come to ${m.yen(w.totalJpy)}).` : `All ${w.count} volumes of ${title} are in stock: ${m.yen(sum)} in total (${m.format(w.format)}).`);
    if (w.upcoming.length) lines.push(g.language === 'ja' ? `${list(w.upcoming)}は予約受付中です（合計には含みません）。` : `${list(w.upcoming)} ${w.upcoming.length === 1 ? 'is' : 'are'} up for preorder (not in that total).`);
    return lines;
  }
  if (g.language === 'ja') {
    lines.push(`${title}全${w.count}巻（${m.format(w.format)}）の合計は${m.yen(w.totalJpy)}です。在庫あり${w.inStock}冊${w.outOfStock.length ? `、在庫切れ：${list(w.outOfStock)}` : ''}。`);
    if (w.upcoming.length) lines.push(`${list(w.upcoming)}は予約受付中です（合計には含みません）。`);
    if (w.boxSets.length > 0) lines.push(`BOXセットもございます：${w.boxSets.map((b) => `BOXセット${b.volume} ${m.yen(b.priceJpy)}（${b.stock > 0 ? '在庫あり' : '在庫切れ'}）`).join('、')}。`);
    const v = verdict(w);
    if (v) lines.push(v.cheaper === 'singles' ? `単巻でそろえるほうが${m.yen(v.difference)}お安くなります。` : v.cheaper === 'box' ? `BOXセットのほうが${m.yen(v.difference)}お安くなります。` : '単巻でそろえてもBOXセットでも同じ金額です。');
  } else {
    lines.push(`All ${w.count} volumes of ${title} (${m.format(w.format)}) come to ${m.yen(w.totalJpy)} in total: ${w.inStock} in stock${w.outOfStock.length ? `, out of stock: ${list(w.outOfStock)}` : ''}.`);
    if (w.upcoming.length) lines.push(`${list(w.upcoming)} ${w.upcoming.length === 1 ? 'is' : 'are'} up for preorder (not in that total).`);
    if (w.boxSets.length > 0) lines.push(`There's also ${w.boxSets.map((b) => `Box set ${b.volume}: ${m.yen(b.priceJpy)} (${b.stock > 0 ? 'in stock' : 'out of stock'})`).join('; ')}.`);
    const v = verdict(w);
    if (v) lines.push(v.cheaper === 'singles' ? `Buying the volumes one by one is ${m.yen(v.difference)} cheaper.` : v.cheaper === 'box' ? `The box set is ${m.yen(v.difference)} cheaper.` : 'The box set and the single volumes cost the same.');
  }
  return lines;
}

/** Several volumes asked at once ("1 to 5", 「1〜3巻」, "1, 2 and 4 together"): what they cost together, at live prices. */
export interface VolumesTotal {
  /** The volumes priced (those the store sells in the edition picked), in order. */
  volumes: number[];
  totalJpy: number;
  /** Volumes asked for that the store does not sell (not in the total). */
  missing: number[];
}

/** The sum of several volumes' live prices, each in the format asked (else print, else the first format sold); undefined under two priced volumes. */
export function volumesTotalOf(products: Product[], volumes: number[], format: ProductFormat | undefined): VolumesTotal | undefined {
  const order: (ProductFormat | undefined)[] = [format, 'tankobon', 'kanzenban', 'digital'];
  const pool = format === 'box_set' ? products.filter((p) => p.format === 'box_set') : products.filter((p) => p.format !== 'box_set');
  const priced: number[] = [];
  const missing: number[] = [];
  let totalJpy = 0;
  for (const v of volumes) {
    const p = pool.filter((x) => x.volume === v).sort((a, b) => rank(order, a.format) - rank(order, b.format))[0];
    if (p) {
      priced.push(v);
      totalJpy += p.priceJpy;
    } else missing.push(v);
  }
  return priced.length >= 2 ? { volumes: priced, totalJpy, missing } : undefined;
}

const rank = (order: (ProductFormat | undefined)[], f: ProductFormat) => {
  const i = order.indexOf(f);
  return i < 0 ? order.length : i;
};

/** The line that adds several volumes up ("Together: ¥2,970 for Vol. 1–5"), in the customer's language; none under two priced volumes. */
export function volumesTotalLine(ctx: ComposeContext, products: Product[], volumes: number[], nameOf: (volume: number) => string = (v) => ctx.m.volume(v)): string | undefined {
  const { m, g } = ctx;
  const t = volumesTotalOf(products, volumes, g.requestedFormat);
  if (!t) return undefined;
  const names = t.volumes.map(nameOf).join(g.language === 'ja' ? '・' : ', ');
  return g.language === 'ja' ? `${names}の合計は${m.yen(t.totalJpy)}です。` : `Together, ${names} come to ${m.yen(t.totalJpy)}.`;
}

// More volumes than this are summed in one line (with what is in stock), not listed one by one.
export const MAX_VOLUMES_LISTED = 6;

/**
 * A long run of volumes asked at once ("volumes 1 to 15 altogether?", 「1巻から17巻まで」): their
 * total at live prices (format asked, else print), how many are in stock and which are not, and
 * any the store does not sell — in the customer's language. Empty under two priced volumes.
 */
export function volumeRunLines(ctx: ComposeContext, top: SeriesWithProducts, volumes: number[]): string[] {
  const { m, g, today } = ctx;
  const t = volumesTotalOf(top.products, volumes, g.requestedFormat);
  if (!t) return [];
  const order: (ProductFormat | undefined)[] = [g.requestedFormat, 'tankobon', 'kanzenban', 'digital'];
  const pool = top.products.filter((p) => (p.format === 'box_set') === (g.requestedFormat === 'box_set'));
  const picked = t.volumes.map((v) => pool.filter((p) => p.volume === v).sort((a, b) => rank(order, a.format) - rank(order, b.format))[0]!);
  const out = picked.filter((p) => stockState(p, today) === 'out_of_stock').map((p) => p.volume);
  const coming = picked.filter((p) => stockState(p, today) === 'preorder').map((p) => p.volume);
  const formats = [...new Set(picked.map((p) => p.format))];
  const title = seriesTitle(ctx, top.series);
  const ja = g.language === 'ja';
  const run = ja ? `${t.volumes[0]}〜${t.volumes.at(-1)}巻` : `Vol. ${t.volumes[0]}–${t.volumes.at(-1)}`;
  const list = (vs: number[]) => vs.slice(0, MAX_LISTED).map((v) => m.volume(v)).join(ja ? '・' : ', ') + (vs.length > MAX_LISTED ? (ja ? 'ほか' : ', …') : '');
  const lines = ja
    ? [`${title}${run}（${formats.map((f) => m.format(f)).join('・')}、${t.volumes.length}冊）の合計は${m.yen(t.totalJpy)}です。在庫あり${t.volumes.length - out.length - coming.length}冊${out.length ? `、在庫切れ：${list(out)}` : ''}${coming.length ? `、予約受付中：${list(coming)}` : ''}。`]
    : [`${run} of ${title} (${formats.map((f) => m.format(f)).join(', ')}, ${t.volumes.length} volumes) come to ${m.yen(t.totalJpy)} in total: ${t.volumes.length - out.length - coming.length} in stock${out.length ? `, out of stock: ${list(out)}` : ''}${coming.length ? `, up for preorder: ${list(coming)}` : ''}.`];
  if (t.missing.length) lines.push(ja ? `${list(t.missing)}は当店では取り扱いがございません（合計には含みません）。` : `We don't sell ${list(t.missing)} (not in that total).`);
  return lines;
}

