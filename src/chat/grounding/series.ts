// The series a message is about: found by title search and retrieval, with live prices and stock,
// and the tier-3 extras (reviews, promotions) of the series found.
import type { Series, SeriesHit } from '../../catalog/types.ts';
import { extractSuperlative } from '../../understanding/constraints.ts';
import type { Grounding, SeriesWithProducts } from '../../llm/types.ts';
import type { RetrievalResult } from '../../retrieval/types.ts';
import type { ReviewSummary } from '../../reviews/types.ts';
import type { Language } from '../../understanding/types.ts';
import { callDependency } from '../dependency-call.ts';
import { titleSearch } from '../title-query.ts';
import { asksForAKind } from '../kind-request.ts';
import type { AgeGate } from './age.ts';
import type { Lookup } from './lookup.ts';
import { askedPart, withPartAsked, withoutPartAsked } from './parts.ts';

/** How many of an author's works a narrowed question about them looks at. */
const AUTHOR_WORKS = 40;
/** How many series a discovery answer shows. */
const SEARCH_SHOWN = 4;
/** A catalog title match this good is taken as the series the customer named. */
export const NAMED_SERIES_SCORE = 0.55;
/** A title search score this high is the whole title as written (an exact match of the query). */
const EXACT_TITLE_SCORE = 0.99;
/** A title match this good overrides a reference to an earlier turn. */
export const STRONG_TITLE_SCORE = 0.8;
/** A part of a comparison (or a phrase of a recommendation request) names a series only with a match this good (a stray word must not pull in a stray title). */
export const COMPARED_TITLE_SCORE = 0.7;

/** The series a catalog question is about: the one referred to, else title search plus retrieval. */
export async function findSeries(lk: Lookup, g: Grounding, text: string, referenced: string | undefined, retrieval: Promise<RetrievalResult | undefined>, ageGate: AgeGate): Promise<void> {
  const { deps, guard, fellBack, visible, ctx, customer } = lk;
  const wantOne = g.intent !== 'product_search';
  // Title search and retrieval run side by side, but retrieval is awaited outside the catalog's
  // guarded call: a slow retrieval must not time out (and open the circuit of) a healthy catalog.
  // The search is given the message's content and the message: titles are found inside it.
  const { query, context } = titleSearch(text);
  const [searched, r] = await Promise.all([
    query ? callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(query, { signal, limit: SEARCH_SHOWN, context })) : Promise.resolve({ ok: true as const, value: [] }),
    retrieval,
  ]);
  if (!searched.ok) {
    fellBack(g, 'catalog');
    return;
  }
  let hits = searched.value;
  // 「ジョジョの第四部」: no name holds 第四部; the franchise's name alone finds its parts (withPartAsked picks the one asked).
  if (query && !hits.some((h) => h.score >= STRONG_TITLE_SCORE) && askedPart(text) !== undefined) {
    const head = withoutPartAsked(query);
    if (head.length >= 2 && head !== query) {
      const again = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(head, { signal, limit: SEARCH_SHOWN, context }));
      if (again.ok && again.value.some((h) => h.score >= STRONG_TITLE_SCORE)) hits = again.value;
    }
  }
  // One author's works narrowed by the message (finished ones, the shortest): those, as asked.
  const authorWorks = referenced && hits[0]?.score < STRONG_TITLE_SCORE ? undefined : await authorWorksAsked(lk, hits, text, g.language);
  const found = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, async (signal) => {
    if (authorWorks) return authorWorks.slice(0, wantOne ? 1 : SEARCH_SHOWN);
    // A title named in this message beats a reference to an earlier one ("who wrote Vagabond,
    // is it finished?" is about Vagabond even right after talking about another series).
    const strong = hits.filter((h) => h.score >= STRONG_TITLE_SCORE);
    if (referenced && strong.length === 0) {
      const s = await deps.catalog.getSeries(referenced, { signal });
      if (s) return [s];
    }
    // A kind of manga asked for ("detective manga?", "horror manga?") is answered with the store's
    // picks of that kind (gather.ts), not with the one series whose description mentions the word,
    // nor with a title that merely contains it ('Detective Conan', an alias match at 0.88). A title
    // that IS the word ("Monster manga?": Urasawa's Monster, 1.0) is still that series.
    const kindOnly = !hits.some((h) => h.score >= EXACT_TITLE_SCORE) && asksForAKind(text);
    const namedOutright = !kindOnly && hits.some((h) => h.score >= STRONG_TITLE_SCORE);
    const named = kindOnly ? [] : hits.filter((h) => h.score >= NAMED_SERIES_SCORE).map((h) => h.series);
    if (wantOne && named.length > 0) return named.slice(0, 1);
    // Descriptions ("the manga about a pharmacist in the palace") reach the catalog through
    // retrieval, but only clear matches: a weak one would answer an unknown title with an
    // unrelated series instead of saying it is not found.
    // A title or author named outright is what was asked for: a description match beside it is
    // a stray word of the message (井上雄彦の漫画 asks for his works, not for a manga about manga).
    // So is a title asked for by name that the catalog does not have ("Do you have The Lighthouse
    // Keeper's Cat?", "'Midnight Bakery Cat'"): a rare word of it (cat) is no description of Doraemon.
    const byName = !namedOutright && asksByName(text, query);
    const clear = namedOutright || kindOnly || byName ? [] : (r?.hits ?? []).filter((h) => h.doc.kind === 'series' && h.score >= deps.minDescribedScore).map((h) => h.doc.ref);
    // A story concept few series mention ("a shogi manga", 「地動説の漫画」, "figure skating"): the
    // series that mention it, even when the rest of the description matched another one better
    // (「プロ棋士の高校生が主人公の将棋漫画」 is not a manga about high schoolers without shogi).
    const concept = namedOutright || named.length > 0 || kindOnly || byName ? [] : (r?.conceptMatches ?? []).map((d) => d.ref);
    const described = concept.length > 0 ? concept : clear;
    const ids = [...named.map((s) => s.id), ...described].filter((id, i, all) => all.indexOf(id) === i);
    const known = new Map(named.map((s) => [s.id, s]));
    const rest = await deps.catalog.getSeriesMany(ids.filter((id) => !known.has(id)), { signal });
    // Found by description means its description matched: a series with none (an import's
    // bare record) matched on its name or genre words alone, which the title search already
    // judged ("Quantum Samurai Bakery volume 2" is not Ju-On Volume 2).
    for (const s of rest) if (s.synopsis || s.synopsisJa) known.set(s.id, s);
    return ids.map((id) => known.get(id)).filter((s): s is Series => s !== undefined).slice(0, wantOne ? 1 : SEARCH_SHOWN);
  });
  if (!found.ok) {
    fellBack(g, 'catalog');
    return;
  }
  // The series the customer named is one they may not see: no card, no other match in its place.
  // (A weaker match after a reference to an earlier series is that series' turn, as above.)
  const top = hits[0];
  const namedTop = top && top.score >= NAMED_SERIES_SCORE && !(referenced && top.score < STRONG_TITLE_SCORE) ? top.series : undefined;
  // An author's works asked ("what else did Hiroya Oku write?", 「山本英夫の作品は？」) name no 18+ title:
  // the works this customer may see are shown; when there are none, the 18+ rule is said without
  // naming the title the customer never named.
  const authorAsked = top?.matchedOn === 'author';
  if (namedTop && !visible(namedTop, customer) && !ageGate.generic?.has(namedTop.id) && !(authorAsked && found.value.some((s) => visible(s, customer)))) {
    ageGate.withheldNamed = true;
    ageGate.series = authorAsked ? undefined : namedTop;
    return;
  }
  // 「ジョジョ4部」: the part asked for by its number, not the part the title search found first.
  const asked = await withPartAsked(lk, found.value, text);
  const shown = withoutSpinOffsOfShown(asked.filter((s) => visible(s, customer)), hits);
  g.series = await withProducts(lk, g, shown, ['search']);
}

// Words of a description: what a story is about, where it is set, who is in it.
const DESCRIBES = /\b(?:about|where|whose|which|who|that|with|set in|story|plot|features?|starring|involving|called|named)\b|話|物語|ストーリー|主人公|舞台|描いた|出てくる|漫画で|マンガで|作品で/i;

/**
 * Whether the message asks for a title by its name rather than describing a story: the words it
 * asks about are quoted ('Midnight Bakery Cat', 「…」), or are two or more capitalised words
 * ("The Lighthouse Keeper's Cat") in a message with no words of a description.
 */
export function asksByName(text: string, query: string): boolean {
  if (/['"‘“「『][^'"’”」』]{3,}['"’”」』]/.test(text) && !DESCRIBES.test(text)) return true;
  const words = query.split(/\s+/).filter((w) => /^\p{Script=Latin}/u.test(w));
  if (words.length < 2 || words.length !== query.split(/\s+/).filter(Boolean).length) return false;
  const written = words.map((w) => text.match(new RegExp(`(?<![\\p{L}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'iu'))?.[0] ?? w);
  return written.every((w) => /^\p{Lu}/u.test(w)) && !DESCRIBES.test(text);
}

/**
 * The author a title search found works of, when the best match is on an author's name
 * (「浦沢直樹の作品」, "Rumiko Takahashi's series"): the author every one of the best
 * author-matched hits shares, as the catalog writes it. Undefined when a title matched best.
 */
export function authorOfHits(hits: SeriesHit[], minScore = NAMED_SERIES_SCORE): string | undefined {
  const top = hits[0];
  if (!top || top.matchedOn !== 'author' || top.score < minScore) return undefined;
  const byAuthor = hits.filter((h) => h.matchedOn === 'author' && h.score >= minScore);
  // Co-authored works (Pluto: Urasawa and Tezuka) name two: the one most of the hits share.
  const count = (a: string) => byAuthor.filter((h) => h.series.authors.includes(a)).length;
  return [...top.series.authors].sort((a, b) => count(b) - count(a))[0];
}

/** What a question about one author's works narrows them by: status, volume limits, the shortest or longest. */
function narrowingOf(lk: Lookup, text: string, language: Language): { status?: 'finished' | 'publishing'; maxVolumes?: number; minVolumes?: number; superlative?: 'shortest' | 'longest' } | undefined {
  const { status, maxVolumes, minVolumes } = lk.deps.extractEntities(text, language);
  const superlative = extractSuperlative(text);
  if (!status && maxVolumes === undefined && minVolumes === undefined && !superlative) return undefined;
  return { status, maxVolumes, minVolumes, superlative };
}

/**
 * One author's works the message narrows ("浦沢直樹の作品でいちばん短いのは？", "Fujimoto's finished
 * series", "Inio Asano's shortest"): all of them the catalog has, filtered and ordered as asked
 * (the shortest or longest alone). Undefined when the message names no author or narrows nothing.
 */
async function authorWorksAsked(lk: Lookup, hits: SeriesHit[], text: string, language: Language): Promise<Series[] | undefined> {
  const { deps, guard, visible, ctx, customer } = lk;
  const narrowing = narrowingOf(lk, text, language);
  const author = narrowing ? authorOfHits(hits) : undefined;
  if (!narrowing || !author) return undefined;
  const more = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(author, { signal, limit: AUTHOR_WORKS }));
  const works = [...hits, ...(more.ok ? more.value : [])]
    .map((h) => h.series)
    .filter((s, i, all) => s.authors.includes(author) && all.findIndex((x) => x.id === s.id) === i && visible(s, customer));
  const { status, maxVolumes, minVolumes, superlative } = narrowing;
  const limited = maxVolumes !== undefined || minVolumes !== undefined || superlative !== undefined;
  const fit = works.filter(
    (s) =>
      (!status || s.status === status) &&
      (!limited || s.volumeCount !== undefined) &&
      (maxVolumes === undefined || (s.volumeCount ?? Infinity) <= maxVolumes) &&
      (minVolumes === undefined || (s.volumeCount ?? 0) >= minVolumes),
  );
  if (fit.length === 0) return undefined;
  if (!superlative) return fit;
  const sign = superlative === 'shortest' ? 1 : -1;
  return [...fit].sort((a, b) => sign * ((a.volumeCount ?? 0) - (b.volumeCount ?? 0))).slice(0, 1);
}

/**
 * The series found without the spin-offs, sequels and side stories of another one found ("To
 * Love Ru" lists To Love Ru, not also To Love Ru Darkness beside it as if it were another work;
 * "Jujutsu Kaisen" is not also Jujutsu Kaisen 0) — unless the title search matched the spin-off
 * better than its parent: then it is what was asked for ("Jujutsu Kaisen 0", 「東京喰種:re」), without the parent.
 */
function withoutSpinOffsOfShown(series: Series[], hits: SeriesHit[]): Series[] {
  const score = new Map(hits.map((h) => [h.series.id, h.score]));
  const ids = new Set(series.map((s) => s.id));
  const better = (a: string, b: string) => (score.get(a) ?? 0) > (score.get(b) ?? 0);
  // A spin-off matched better than its parent is what was asked for ("東京喰種:re"): the parent goes instead.
  const parentsOut = new Set(series.filter((s) => s.parentId && ids.has(s.parentId) && better(s.id, s.parentId)).map((s) => s.parentId!));
  return series.filter((s) => !parentsOut.has(s.id) && !(s.parentId && ids.has(s.parentId) && !parentsOut.has(s.parentId)));
}

/** Live prices and stock of the series found (prices are never cached). */
export async function withProducts(lk: Lookup, g: Grounding, series: Series[], reasons: string[]): Promise<SeriesWithProducts[]> {
  const { deps, guard, fellBack, ctx } = lk;
  if (series.length === 0) return [];
  const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => Promise.all(series.map((s) => deps.catalog.getProducts(s.id, { signal }))), { segment: 'products' });
  // Series without live prices: shown without volumes (a price is never guessed), reported.
  if (!r.ok) fellBack(g, 'catalog');
  return series.map((s, i) => ({ series: s, products: r.ok ? r.value[i] : [], reasons }));
}

/** Tier 3: reviews and promotions of the series found. Their failure changes nothing visible. */
export async function enrich(lk: Lookup, g: Grounding): Promise<void> {
  const { deps, guard, now, ctx } = lk;
  const top = g.series[0].series.id;
  const ids = g.series.map((s) => s.series.id);
  const [reviews, promotions] = await Promise.all([
    callDependency(guard('reviews'), deps.deadlines.reviews, ctx, (signal) => deps.reviews.summary(top, { signal, language: g.language })),
    callDependency(guard('promotions'), deps.deadlines.promotions, ctx, (signal) => deps.promotions.active({ signal, now: now(), seriesIds: ids })),
  ]);
  if (reviews.ok && reviews.value) g.reviews = [reviews.value as ReviewSummary];
  if (promotions.ok) g.promotions = promotions.value;
  // Invisible to the customer by design (not in `degraded`), but counted for operators.
  if (!reviews.ok) deps.onFallback?.('reviews');
  if (!promotions.ok) deps.onFallback?.('promotions');
}

/** The series with this id; undefined when the catalog does not know it or fails. */
export async function seriesNamed(lk: Lookup, id: string): Promise<Series | undefined> {
  const { deps, guard, ctx } = lk;
  const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeries(id, { signal }));
  return r.ok ? r.value : undefined;
}

/** Series by id, in the order given (a catalog failure: none). */
export async function seriesByIds(lk: Lookup, ids: string[]): Promise<Series[]> {
  const { deps, guard, ctx } = lk;
  if (ids.length === 0) return [];
  const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeriesMany(ids, { signal }));
  if (!r.ok) return [];
  const byId = new Map(r.value.map((s) => [s.id, s]));
  return ids.map((id) => byId.get(id)).filter((s): s is Series => s !== undefined);
}

/** A series' title as the customer reads it: the Japanese title in Japanese, else the English one. */
export function localTitle(s: Series, language: Language): string {
  return language === 'ja' ? (s.titleJa ?? s.title) : (s.titleEn ?? s.title);
}

/** A name folded for containment: width, case, spaces and punctuation dropped. */
export function foldName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}
