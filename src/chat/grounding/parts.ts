// A franchise told in numbered parts ("JoJo's Bizarre Adventure Part 1 … Part 9", 第7部), each part
// its own series in the catalog: "how many parts does JoJo have?", 「ジョジョって何部まであるの」 is
// answered with every part the catalog has, in order, not with the one part the title search found.
import type { Product, Series } from '../../catalog/types.ts';
import { latestVolume, nextPreorder } from '../../llm/compose/context.ts';
import { storeDate } from '../../llm/compose/index.ts';
import type { Grounding } from '../../llm/types.ts';
import { callDependency } from '../dependency-call.ts';
import type { Lookup } from './lookup.ts';
import { foldName, localTitle, withProducts } from './series.ts';
import { EN_CARDINAL_WORDS, KANJI_NUMERAL_CLASS, parseEnglishCardinal, parseJapaneseNumber } from '../../understanding/numerals.ts';

// "<franchise> Part 7: Steel Ball Run", "<franchise> Dai 3-bu", 「<franchise> 第7部 …」: the franchise's name and the part's number.
const PART = /^(.*?)[\s:：-]*(?:\bPart\s*(\d{1,2})\b|\bDai\s*(\d{1,2})[\s-]*bu\b|第\s*(\d{1,2})\s*部)/i;

/** The franchise name and part number a title carries, if it names a numbered part. */
export function partOf(title: string): { head: string; part: number } | undefined {
  const m = PART.exec(title.normalize('NFKC'));
  if (!m || m[1].trim().length < 2) return undefined;
  return { head: m[1].trim(), part: Number(m[2] ?? m[3] ?? m[4]) };
}

// A part asked for by its number: 「ジョジョ4部」「第四部」 (a kanji number only after 第: 一部 is "some"), "jojo part 4", "pt. 4", "the 4th part", "part four".
const ASKED_PART = new RegExp(
  `第\\s*(\\d{1,2}|[${KANJI_NUMERAL_CLASS}]{1,3})\\s*部|(?<![\\d${KANJI_NUMERAL_CLASS}])(\\d{1,2})\\s*部(?![分屋活数作員門品長])|\\b(?:part|pt\\.?)\\s*(\\d{1,2}|${EN_CARDINAL_WORDS.join('|')})\\b|\\b(\\d{1,2})(?:st|nd|rd|th)\\s+part\\b`,
  'iu',
);

/** The number of the part a message asks for by its number, if it does. */
export function askedPart(text: string): number | undefined {
  const m = ASKED_PART.exec(text.normalize('NFKC'));
  if (!m) return undefined;
  const n = m[1] ?? m[2] ? parseJapaneseNumber(m[1] ?? m[2]) : m[3] ? (/^\d+$/.test(m[3]) ? Number(m[3]) : parseEnglishCardinal(m[3].toLowerCase())) : Number(m[4]);
  return n !== undefined && n >= 1 && n <= 20 ? n : undefined;
}

/** A title query without the part it asks for by number (「ジョジョの第四部」 → 「ジョジョ」, "jojo part 4" → "jojo"). */
export function withoutPartAsked(query: string): string {
  return query
    .normalize('NFKC')
    .replace(new RegExp(ASKED_PART.source, 'giu'), ' ')
    .replace(/(?:の|\s)+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The series found, with a numbered part the message did not ask for replaced by the part of its
 * franchise it did ask for (「ジョジョ4部」 found Part 7 by its Japanese title: Part 4 is what was asked).
 * Unchanged when no part is asked, the part found is the one asked, or the catalog has no such part.
 */
export async function withPartAsked(lk: Lookup, found: Series[], text: string): Promise<Series[]> {
  const asked = askedPart(text);
  if (asked === undefined) return found;
  const i = found.findIndex((s) => seriesPart(s) !== undefined);
  if (i < 0) return found;
  const p = seriesPart(found[i])!;
  if (p.part === asked) return found;
  const { deps, guard, ctx } = lk;
  const hits = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(p.head, { signal, limit: 40 }));
  if (!hits.ok) return found;
  const part = hits.value
    .map((h) => h.series)
    .filter((s) => {
      const q = seriesPart(s);
      return q !== undefined && q.part === asked && foldName(q.head) === foldName(p.head);
    })
    .sort((a, b) => (a.popularityRank ?? Infinity) - (b.popularityRank ?? Infinity))[0];
  if (!part) return found;
  return [part, ...found.filter((s, k) => k !== i && s.id !== part.id)];
}

/** The numbered part a series is, by any of its titles (the romaji one first: every part has it). */
function seriesPart(s: Series): { head: string; part: number } | undefined {
  for (const t of [s.title, s.titleEn, s.titleJa]) {
    const p = t ? partOf(t) : undefined;
    if (p) return p;
  }
  return undefined;
}

/**
 * Replaces the series found with every part of its franchise the catalog has (one part per number,
 * the customer may see it), in part order, and marks the answer as a list of parts. Nothing
 * changes when the series found is not a numbered part.
 */
export async function partsOf(lk: Lookup, g: Grounding): Promise<void> {
  const { deps, guard, ctx, visible, customer } = lk;
  const found = g.series.map((e) => ({ e, p: seriesPart(e.series) })).find((x) => x.p !== undefined);
  if (!found) return;
  const head = found.p!.head;
  const hits = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(head, { signal, limit: 40 }));
  if (!hits.ok) return;
  const byPart = new Map<number, Series>();
  for (const { series } of hits.value) {
    const p = seriesPart(series);
    if (!p || foldName(p.head) !== foldName(head) || !visible(series, customer)) continue;
    const seen = byPart.get(p.part);
    // Two series for one part (a remaster beside the original): the more popular one.
    if (!seen || (series.popularityRank ?? Infinity) < (seen.popularityRank ?? Infinity)) byPart.set(p.part, series);
  }
  const parts = [...byPart.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  if (parts.length === 0) return;
  g.series = await withProducts(lk, g, parts, []);
  const latest = parts.at(-1)!;
  g.comparison = { aspects: [], parts: { franchise: franchiseName(found.e.series, g.language), count: parts.length, latest: localTitle(latest, g.language), numbers: [...byPart.keys()].sort((a, b) => a - b) } };
}

/** The franchise's name in the reply's language: the part's title before its number. */
function franchiseName(s: Series, language: 'en' | 'ja'): string {
  const local = localTitle(s, language);
  return partOf(local)?.head ?? partOf(s.title)!.head;
}

/**
 * "Is there a sequel?", 「スピンオフある？」 about the series found: the series the catalog links to it
 * (`parentId`), most popular first, those the customer may see (an 18+ one only counted, never
 * named). None: the series list is empty and the answer says the store has none. Nothing changes
 * when the series found is itself a spin-off named (「キメツ学園っていうスピンオフ」 asks for it).
 */
export async function spinOffsOf(lk: Lookup, g: Grounding, plansAsked = false): Promise<void> {
  const { deps, guard, ctx, visible, customer } = lk;
  const parent = g.series[0]?.series;
  if (!parent || parent.parentId !== undefined || !visible(parent, customer)) return;
  // "Is a sequel planned?": what the catalog knows of the series' future — its state and its next announced volume.
  const plans = plansAsked ? plansOf(g.series[0].products, parent, storeDate(lk.now())) : undefined;
  const all = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, () => deps.catalog.allSeries());
  if (!all.ok) return;
  const children = all.value.filter((s) => s.parentId === parent.id).sort((a, b) => (a.popularityRank ?? Infinity) - (b.popularityRank ?? Infinity));
  const shown = children.filter((s) => visible(s, customer));
  g.series = await withProducts(lk, g, shown, []);
  g.comparison = { aspects: [], spinOffs: { of: localTitle(parent, g.language), withheld: children.length - shown.length, ...(plans ? { plans } : {}) } };
}

/** A series' state and its next announced volume (print first), from its products and the store's date. */
function plansOf(products: Product[], series: Series, today: string): { status: string; volumes?: number; next?: { volume: number; releaseDate: string } } {
  const print = products.filter((p) => p.format === 'tankobon');
  const pool = print.length > 0 ? print : products.filter((p) => p.format !== 'box_set');
  const latest = latestVolume(pool, today);
  const next = latest === undefined ? undefined : nextPreorder(pool, today, latest);
  const volumes = series.volumeCount ?? latest;
  return { status: series.status, ...(volumes !== undefined ? { volumes } : {}), ...(next ? { next: { volume: next.volume, releaseDate: next.releaseDate } } : {}) };
}
