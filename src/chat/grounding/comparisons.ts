// Comparisons: every series a message names ("Naruto or Bleach?", 「AとBどっち？」), in order, or
// the ones compared last ("which one is longer?").
import type { Grounding } from '../../llm/types.ts';
import type { StoredMessage } from '../../memory/types.ts';
import { seriesInPlay } from '../dialogue-state.ts';
import { comparedWithInPlay, comparisonAspects, comparisonParts, type ComparisonPart } from '../../understanding/comparison.ts';
import type { Intent, ResolvedReference } from '../../understanding/types.ts';
import { callDependency } from '../dependency-call.ts';
import { titleQuery } from '../title-query.ts';
import type { Lookup } from './lookup.ts';
import { COMPARED_TITLE_SCORE, withProducts } from './series.ts';

/** Intents a comparison of named series may come as ("Naruto or Bleach?" reads as anything from small talk to a recommendation). */
export const COMPARABLE_INTENTS = new Set<Intent>(['product_search', 'product_question', 'price_availability', 'recommendation', 'chitchat', 'out_of_scope']);

/**
 * A comparison: every series the message names, in order ("compare One Piece, Naruto and
 * Bleach"), or those compared last ("which one is longer?"). False when fewer than two are
 * found: the message is then answered as the usual question about one series.
 */
export async function compare(lk: Lookup, g: Grounding, text: string, reference: ResolvedReference): Promise<boolean> {
  const { deps, guard, visible, ctx, customer } = lk;
  let ids: string[];
  let missing: string[] = [];
  let said: Record<string, string> = {};
  if (reference.comparing && reference.seriesIds) ids = reference.seriesIds;
  else {
    // One title weighed against the series in play ("compared with Chainsaw Man, which is more
    // popular?" after Jujutsu Kaisen): that series first, then the one named.
    const other = comparedWithInPlay(text);
    const inPlay = other !== undefined ? seriesInPlay(g.history) : undefined;
    const parts = comparisonParts(text) ?? (inPlay ? [{ text: other!, joiner: '' }] : undefined);
    if (!parts) return false;
    const found = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => seriesNamedIn(lk, parts, signal));
    if (!found.ok) return false;
    ids = found.value.ids;
    missing = found.value.missing;
    said = found.value.said;
    // The one named is the series in play itself, or not found: no comparison with it.
    if (inPlay && !comparisonParts(text)) {
      if (ids.length !== 1 || ids[0] === inPlay) return false;
      ids = [inPlay, ...ids];
    }
  }
  // One of them found, the rest not in the catalog ("Naruto or Quantum Samurai Bakery?"): said so, with the one found.
  if (ids.length < 2 && !(ids.length === 1 && missing.length > 0)) return false;
  const series = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeriesMany(ids, { signal }));
  if (!series.ok) return false;
  const shown = series.value.filter((s) => visible(s, customer));
  // "Berserk or Gantz?" from a guest: the 18+ one is withheld (said, never shown), the other compared on its own.
  const hidden = series.value.filter((s) => !visible(s, customer));
  const withheld = hidden.length;
  if (shown.length === 0 || (shown.length < 2 && missing.length === 0 && withheld === 0)) return false;
  g.series = await withProducts(lk, g, shown, []);
  // Titles the 18+ rule recognised by name were withheld in a notice before the answer (age.ts): not said twice.
  const noticed = new Set(deps.guardrails?.restrictedNamed(text).named ?? []);
  const told = withheld > 0 && hidden.every((s) => noticed.has(s.id));
  // A Japanese name the customer wrote for a series the catalog knows only in romaji (黒執事 for Kuroshitsuji): theirs, said back.
  const written = Object.fromEntries(shown.filter((s) => !s.titleJa && said[s.id] && JAPANESE.test(said[s.id])).map((s) => [s.id, said[s.id]]));
  g.comparison = { aspects: comparisonAspects(text), ...(Object.keys(written).length > 0 ? { written } : {}), ...(missing.length > 0 ? { missing } : {}), ...(withheld > 0 ? { withheld, ...(told ? { withheldTold: true } : {}) } : {}) };
  return true;
}

/** The series each part of a comparison names, in order; a part naming none is tried joined to the next ("Spice" + " and " + "Wolf"). */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

async function seriesNamedIn(lk: Lookup, parts: ComparisonPart[], signal: AbortSignal): Promise<{ ids: string[]; missing: string[]; said: Record<string, string> }> {
  const { deps } = lk;
  const scored = async (phrase: string): Promise<{ id: string; score: number } | undefined> => {
    const hits = await deps.catalog.searchSeries(titleQuery(phrase) || phrase, { signal, limit: 1 });
    return hits[0] && hits[0].score >= COMPARED_TITLE_SCORE ? { id: hits[0].series.id, score: hits[0].score } : undefined;
  };
  const best = async (phrase: string): Promise<string | undefined> => (await scored(phrase))?.id;
  // A part with words of the sentence around its title ("getting either Haikyuu", "Kuroko's
  // Basketball for my nephew"): the title sits next to the "or", so the words at the part's
  // outer edge are dropped one by one, and the best match wins (the longer phrase on a tie).
  const atEdge = async (p: ComparisonPart, i: number): Promise<string | undefined> => {
    const whole = await best(p.text);
    if (whole || parts.length < 2 || (i > 0 && i < parts.length - 1)) return whole;
    const words = p.text.split(/\s+/);
    if (words.length < 2) return undefined;
    const shorter = words.slice(1).map((_, k) => (i === 0 ? words.slice(k + 1) : words.slice(0, words.length - 1 - k)).join(' '));
    const hits = await Promise.all(shorter.map((q) => deps.catalog.searchSeries(titleQuery(q) || q, { signal, limit: 1 })));
    let top: { id: string; score: number } | undefined;
    hits.forEach((h) => {
      if (h[0] && h[0].score >= COMPARED_TITLE_SCORE && (!top || h[0].score > top.score)) top = { id: h[0].series.id, score: h[0].score };
    });
    return top?.id;
  };
  const single = await Promise.all(parts.map((p, i) => atEdge(p, i)));
  // Japanese titles hold と themselves (スキップとローファー, 薬屋のひとりごと): two parts found
  // apart ("スキップ" → Skip Beat!, "ローファー" → Skip to Loafer) that, joined, name the second one's
  // series better than either alone are that one title.
  const merged = new Set<number>();
  if (parts.length > 2) {
    for (let i = 0; i + 1 < parts.length; i++) {
      if (!single[i] || single[i + 1] === undefined || parts[i].joiner !== 'と') continue;
      const [a, b, joined] = await Promise.all([scored(parts[i].text), scored(parts[i + 1].text), scored(`${parts[i].text}と${parts[i + 1].text}`)]);
      if (joined && joined.id === single[i + 1] && joined.score > Math.max(a?.score ?? 0, b?.score ?? 0)) {
        single[i] = undefined;
        merged.add(i);
      }
    }
  }
  const ids: string[] = [];
  const missing: string[] = [];
  const said: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    let id = single[i];
    let phrase = parts[i].text;
    // Joined, two or three parts name one title ("spice" + " and " + "wolf", 「薬屋のひ」+「と」+「りご」+「と」+…
    // of 薬屋のひとりごと) — unless that is just a later part's own match.
    for (let span = 1; !id && span <= 2 && i + span < parts.length; span++) {
      const joinedPhrase = parts.slice(i, i + span + 1).map((p, k) => (k < span ? `${p.text}${p.joiner}` : p.text)).join('');
      const joined = await best(joinedPhrase);
      if (joined && (merged.has(i) || !single.slice(i + 1, i + span + 1).includes(joined))) {
        id = joined;
        phrase = joinedPhrase;
        i += span;
      }
    }
    // A part naming nothing that, joined to the part before, names that part's series again is
    // the rest of its title (「薬屋のひ」 found, then 「りご」 of 薬屋のひとりごと): no title of its own.
    if (!id && i > 0 && single[i - 1] !== undefined && (await best(`${parts[i - 1].text}${parts[i - 1].joiner}${parts[i].text}`)) === single[i - 1]) continue;
    if (id && !ids.includes(id)) {
      ids.push(id);
      said[id] = phrase;
    } else if (!id) missing.push(parts[i].text);
  }
  return { ids, missing, said };
}

