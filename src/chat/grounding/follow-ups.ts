// Follow-ups that name no title ("how much is volume 1?", "the next volume", 「BOXセットは？」):
// about the series the conversation is on, the volume or format resolved against its products.
import type { Grounding } from '../../llm/types.ts';
import { latestVolume } from '../../llm/compose/context.ts';
import { storeDate } from '../../llm/compose/index.ts';
import type { ResolvedReference } from '../../understanding/types.ts';
import { callDependency } from '../dependency-call.ts';
import { picked } from '../dialogue-state.ts';
import type { AgeGate } from './age.ts';
import type { Lookup } from './lookup.ts';
import { findSeries, withProducts } from './series.ts';

/** A follow-up that names no title: about the series the conversation is on, never a new title search. */
export async function followUp(lk: Lookup, g: Grounding, reference: ResolvedReference, ageGate: AgeGate): Promise<void> {
  const { deps, guard, fellBack, visible, now, ctx, customer } = lk;
  const ids = reference.seriesIds ?? (reference.seriesId ? [reference.seriesId] : []);
  const found = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeriesMany(ids, { signal }));
  if (!found.ok) {
    fellBack(g, 'catalog');
    return;
  }
  const shown = found.value.filter((s) => visible(s, customer));
  // "How much is volume 1?" after an 18+ title was withheld: withheld again, not "not found".
  if (shown.length === 0 && found.value.length > 0) {
    ageGate.withheldNamed = true;
    ageGate.series = found.value[0];
    return;
  }
  g.series = await withProducts(lk, g, shown, []);
  // "The shorter one" after a comparison: the one series the facts pick.
  if (reference.pick && g.series.length > 1) g.series = [picked(g.series, reference.pick, storeDate(now()))];
}

/**
 * "The next volume" and 「最終巻」 resolved against the products of the series found: the next
 * one after the volume the conversation was on (else after the latest released), or none —
 * a finished series has no next volume, a running one may not have it announced yet.
 */
export function volumeAsked(lk: Lookup, g: Grounding, ref: 'next' | 'last', previous: number | undefined): void {
  const { now } = lk;
  const top = g.series[0];
  if (!top || top.products.length === 0) return;
  const today = storeDate(now());
  const print = top.products.filter((p) => p.format === 'tankobon');
  const pool = print.length > 0 ? print : top.products;
  if (ref === 'last') {
    const last = top.series.status === 'finished' ? Math.max(...pool.map((p) => p.volume)) : latestVolume(pool, today);
    if (last !== undefined) {
      g.requestedVolume = last;
      g.volumeAsked = { ref };
    }
    return;
  }
  const after = previous ?? latestVolume(pool, today);
  if (after === undefined) return;
  const next = pool.filter((p) => p.volume > after).sort((a, b) => a.volume - b.volume)[0];
  g.volumeAsked = next ? { ref, after } : { ref, after, none: true };
  g.requestedVolume = next ? next.volume : after;
}

/**
 * The volumes after `after` that are out ("and the rest?" after Vol. 4): asked together, so the
 * answer adds them up and says which are in stock. With none out after it, the next volume is
 * what there is to say (a preorder, or that the series has no more).
 */
export function restAfter(lk: Lookup, g: Grounding, after: number | undefined): void {
  const top = g.series[0];
  if (!top || after === undefined) return;
  const today = storeDate(lk.now());
  const print = top.products.filter((p) => p.format === 'tankobon');
  const pool = print.length > 0 ? print : top.products;
  const latest = latestVolume(pool, today);
  const out = [...new Set(pool.map((p) => p.volume))].filter((v) => v > after && (latest === undefined || v <= latest)).sort((a, b) => a - b);
  if (out.length === 0) {
    volumeAsked(lk, g, 'next', after);
    return;
  }
  g.requestedVolume = out[0];
  if (out.length > 1) g.requestedVolumes = out;
  else delete g.requestedVolumes;
}

/** A format asked for without a volume ("鬼滅の刃のBOXセットはいくら？"): its first volume in that format, the latest one for digital. */
export function formatAsked(lk: Lookup, g: Grounding): void {
  const { now } = lk;
  const top = g.series[0];
  const inFormat = top?.products.filter((p) => p.format === g.requestedFormat) ?? [];
  if (inFormat.length === 0) return;
  const today = storeDate(now());
  g.requestedVolume = g.requestedFormat === 'digital' ? latestVolume(inFormat, today) : Math.min(...inFormat.map((p) => p.volume));
  // 「ハイキューのBOXセットはありますか」: every box set of the series, each by its number.
  const boxes = g.requestedFormat === 'box_set' ? [...new Set(inFormat.map((p) => p.volume))].sort((a, b) => a - b) : [];
  if (boxes.length > 1 && boxes.length <= 10) g.requestedVolumes = boxes;
}

/** The second title of a message that asks about two ("… and Kagurabachi vol 2?"): looked up on its own and answered after the first. */
export async function otherTitle(lk: Lookup, g: Grounding, part: string, ageGate: AgeGate): Promise<void> {
  const { deps } = lk;
  const sub: Grounding = {
    intent: g.intent, language: g.language, text: part, history: g.history, customer: g.customer, series: [], passages: [], orders: [], promotions: [], reviews: [], degraded: [], links: g.links,
    requestedVolume: deps.extractEntities(part, g.language).volume,
  };
  await findSeries(lk, sub, part, undefined, Promise.resolve(undefined), ageGate);
  sub.series = sub.series.filter((s) => lk.visible(s.series, lk.customer));
  if (sub.series.length > 0) g.also = [sub, ...(g.also ?? [])];
}
