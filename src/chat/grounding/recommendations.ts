// Recommendations for what the customer asked for, from the engine (or its kept lists when it is
// down), and the nearest request that fits when nothing does.
import type { Series } from '../../catalog/types.ts';
import type { Grounding, RecommendationAsk } from '../../llm/types.ts';
import type { Recommendation } from '../../recommendations/types.ts';
import type { Entities, RecommendationWish, ResolvedReference } from '../../understanding/types.ts';
import { aboutTopic, topicMatcher } from '../../understanding/topics.ts';
import { youngReader } from '../../understanding/young-reader.ts';
import { callDependency } from '../dependency-call.ts';
import { BRIGHT_TAGS, constrained, fits, fitsBeyondEngine, queryOf, relaxations, saidIn, type Relaxation } from '../recommendation-request.ts';
import { titleQuery, titleSearch } from '../title-query.ts';
import { asksFromPurchases } from '../../understanding/constraints.ts';
import type { Lookup } from './lookup.ts';
import { COMPARED_TITLE_SCORE, STRONG_TITLE_SCORE, authorOfHits, withProducts } from './series.ts';

/** Words that ask for picks outright ("recommend a detective manga", 「おすすめは？」): a recommendation, whatever it describes. */
const ASKS_FOR_PICKS = /\b(?:recommend\w*|suggest\w*|recs?|picks?|any good|what should i read|something (?:good|new|else))\b|おすすめ|オススメ|お勧め|お薦め/i;

/** How many recommendations an answer shows. */
const RECOMMENDED = 5;

/**
 * Recommendations for what was asked — genres, volume limits, status, audience, "like X",
 * "not Y", "by the same author" — filtered by the engine. When nothing fits: no cards, and the
 * nearest request that does fit is named instead. When the engine is down: the trending (else
 * popular) list kept from it, filtered by the same rules (design fallback).
 */
export async function recommend(lk: Lookup, g: Grounding, text: string, entities: Entities, wish: RecommendationWish, reference: ResolvedReference): Promise<void> {
  const { deps, guard, fellBack, visible, ctx, customer } = lk;
  // "A manga about people risking their lives for heliocentrism" read as a request for picks: a
  // description of the few series that mention its rare story concept is a search for them.
  if (!constrained(wish) && wish.seedSeriesIds.length === 0 && !reference.seriesId && !entities.likeQuery && !ASKS_FOR_PICKS.test(text) && (await describedSeries(lk, g, text))) return;
  const excludeAgeRestricted = !customer.ageConfirmed;
  // The series the request names: the one it is like and the ones ruled out.
  const [liked, ruledOut, authorsOut] = await Promise.all([
    entities.likeQuery ? likedSeries(lk, entities.likeQuery) : Promise.resolve([]),
    entities.excludeQueries?.length ? namedSeries(lk, entities.excludeQueries) : Promise.resolve([]),
    entities.excludeAuthorQueries?.length ? namedAuthors(lk, entities.excludeAuthorQueries) : Promise.resolve([]),
  ]);
  if (authorsOut.length > 0) wish.excludeAuthors = [...new Set([...(wish.excludeAuthors ?? []), ...authorsOut])];
  // "Based on my past orders", 「今まで買ったものに似た漫画」: the series they bought here are what the picks are like
  // (not the series in play; a guest has none, and gets the picks the rest of the request gives).
  const fromOrders = liked.length === 0 && asksFromPurchases(text);
  const bought = fromOrders ? await seriesBought(lk) : [];
  if (liked.length > 0) wish.seedSeriesIds = liked.map((s) => s.id);
  else if (bought.length > 0) {
    wish.seedSeriesIds = bought.slice(0, BOUGHT_SEEDS);
    for (const id of bought) if (!wish.excludeSeriesIds.includes(id)) wish.excludeSeriesIds.push(id);
  }
  else if (reference.seriesId && !reference.narrows && !fromOrders) wish.seedSeriesIds = [reference.seriesId];
  else if (!reference.narrows && wish.seedSeriesIds.length === 0 && !constrained(wish)) {
    // "Recommend something for a One Piece fan": a title named without "like", when it is a clear match.
    const query = titleQuery(text);
    const hits = query ? await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(query, { signal, limit: 1 })) : undefined;
    if (hits?.ok && hits.value[0] && hits.value[0].score >= STRONG_TITLE_SCORE) wish.seedSeriesIds = [hits.value[0].series.id];
  }
  if (reference.via === 'same-author') wish.sameAuthor = true;
  // "Rumiko Takahashi's finished series under 20 volumes": an author named outright is whose works
  // to pick from (not a series to resemble).
  if (liked.length === 0 && !wish.sameAuthor && !(reference.seriesId && !reference.narrows)) {
    const author = await authorNamed(lk, text);
    // "Not by Ai Yazawa" names her to rule her out.
    if (author && !wish.excludeAuthors?.includes(author)) {
      wish.authors = [author];
      wish.seedSeriesIds = [];
    }
  }
  for (const s of ruledOut) if (!wish.excludeSeriesIds.includes(s.id) && !wish.seedSeriesIds.includes(s.id)) wish.excludeSeriesIds.push(s.id);
  // Topics ruled out that no tag says ("sports, but no basketball or volleyball"): more are asked
  // for, and those about the topics left out.
  const topics = entities.excludeTopics ? topicMatcher(entities.excludeTopics) : undefined;

  // A young child (ten or under, 小学生, 幼稚園): series written for children (Kids) first, and more
  // asked for, since dark supernatural action is left out of the rest (below).
  const young = wish.audience === 'child' && !wish.demographic && youngReader(text);
  // A demographic ruled out or the years a series began ("not shoujo", "from the 2010s") are applied to the
  // engine's picks here: many more are asked for, so five that fit remain.
  const beyond = (wish.excludeDemographics?.length ?? 0) > 0 || wish.startedFrom !== undefined || wish.startedTo !== undefined;
  const [recs, kids] = await Promise.all([
    callDependency(guard('recommendations'), deps.deadlines.recommendations, ctx, (signal) =>
      deps.recommendations.recommend(queryOf(wish, excludeAgeRestricted, beyond ? RECOMMENDED * 12 : topics || young || wish.lighter ? RECOMMENDED * 4 : RECOMMENDED), { signal }),
    ),
    young ? callDependency(guard('recommendations'), deps.deadlines.recommendations, ctx, (signal) => deps.recommendations.recommend({ ...queryOf(wish, excludeAgeRestricted, RECOMMENDED), demographic: KIDS }, { signal })) : undefined,
  ]);
  // Engine down: the trending (else popular) list kept from it while it was up, with the request's rules applied here.
  const found: Recommendation[] = recs.ok ? recs.value : deps.fallbackLists.pick(40, excludeAgeRestricted);
  // (The series liked or ruled out are never picks: "she loves Pokemon" is not answered with Pokemon.)
  const kidsPicks = kids?.ok ? kids.value.filter((k) => !wish.seedSeriesIds.includes(k.seriesId) && !wish.excludeSeriesIds.includes(k.seriesId)) : [];
  const picked = [...kidsPicks, ...found.filter((r) => !kidsPicks.some((k) => k.seriesId === r.seriesId))];
  if (!recs.ok) fellBack(g, 'recommendations');
  const nearest = recs.ok && picked.length === 0 ? await nearestFit(lk, wish, excludeAgeRestricted, saidIn(entities)) : undefined;
  const named = [...new Set([...wish.seedSeriesIds, ...wish.excludeSeriesIds, ...(nearest?.ids ?? [])])];
  const series = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeriesMany([...picked.map((r) => r.seriesId), ...named], { signal }));
  if (!series.ok) {
    fellBack(g, 'catalog');
    return;
  }
  const byId = new Map(series.value.map((s) => [s.id, s]));
  const like = wish.seedSeriesIds.map((id) => byId.get(id)).filter((s): s is Series => s !== undefined);
  // "Shorter" as a number, for the answer to say what it honoured.
  const seedVolumes = like.map((s) => s.volumeCount).filter((v): v is number => v !== undefined);
  const maxVolumes = wish.maxVolumes ?? (wish.shorter ? (seedVolumes.length > 0 ? Math.min(...seedVolumes) - 1 : queryOf(wish, excludeAgeRestricted, 1).maxVolumes) : undefined);
  let chosen = picked.map((r) => byId.get(r.seriesId)).filter((s): s is Series => s !== undefined && visible(s, customer));
  if (!recs.ok) chosen = chosen.filter((s) => fits(s, wish, maxVolumes, excludeAgeRestricted));
  if (topics) chosen = chosen.filter((s) => !aboutTopic(s, topics));
  if (beyond) chosen = chosen.filter((s) => fitsBeyondEngine(s, wish));
  if (young) chosen = chosen.filter((s) => (isKids(s) || !darkAction(s)) && !namedIn(s, text));
  // A lighter tone: the light, cheerful stories (comedy, slice of life) first, in the engine's order otherwise.
  if (wish.lighter) chosen = [...chosen.filter(bright), ...chosen.filter((s) => !bright(s))];
  chosen = chosen.slice(0, RECOMMENDED);
  const reasons = new Map(picked.map((r) => [r.seriesId, r.reasons]));
  g.series = (await withProducts(lk, g, chosen, [])).map((s) => ({ ...s, reasons: reasons.get(s.series.id) ?? [] }));
  const ask: RecommendationAsk = {
    genres: wish.genres,
    themes: wish.themes,
    ...(wish.demographic ? { demographic: wish.demographic } : {}),
    ...(maxVolumes !== undefined ? { maxVolumes } : {}),
    ...(wish.minVolumes !== undefined ? { minVolumes: wish.minVolumes } : {}),
    ...(wish.excludeDemographics?.length ? { excludedDemographics: wish.excludeDemographics } : {}),
    ...(wish.startedFrom !== undefined || wish.startedTo !== undefined ? { started: { from: wish.startedFrom, to: wish.startedTo } } : {}),
    ...(wish.excludeAuthors?.length ? { excludedAuthors: wish.excludeAuthors } : {}),
    ...(wish.authors?.length ? { authors: wish.authors } : {}),
    ...(wish.status ? { status: wish.status } : {}),
    ...(wish.audience ? { audience: wish.audience } : {}),
    // A series liked that the customer may not see (an 18+ title withheld a turn ago) still seeds
    // the picks, but is not named to them: the gate keeps it out of the answer and the grounding.
    like: like.filter((s) => visible(s, customer)),
    ...(wish.sameAuthor ? { sameAuthor: true } : {}),
    ...(wish.shorter ? { shorter: true } : {}),
    ...(wish.lighter ? { lighter: true } : {}),
    excluded: wish.excludeSeriesIds.map((id) => byId.get(id)).filter((s): s is Series => s !== undefined),
    excludedTags: wish.excludeTags,
    ...(chosen.length === 0 && (recs.ok || constrained(wish)) ? { nothingFits: true } : {}),
    ...(nearest ? { nearest: { without: nearest.without, series: nearest.ids.map((id) => byId.get(id)).filter((s): s is Series => s !== undefined && visible(s, customer)) } } : {}),
  };
  g.recommendation = ask;
}

/** Orders read for the series a customer bought, and how many of those series (newest first) the picks are like (all of them are left out). */
const ORDERS_READ = 20;
const BOUGHT_SEEDS = 5;

/** The series a signed-in customer bought here (not cancelled or returned), newest first; none for a guest or without the order service. */
async function seriesBought(lk: Lookup): Promise<string[]> {
  const { deps, guard, ctx, customer } = lk;
  if (customer.kind === 'guest' || !customer.customerId) return [];
  const customerId = customer.customerId;
  const orders = await callDependency(guard('orders'), deps.deadlines.orders, ctx, (signal) => deps.orders.listForCustomer(customerId, { signal, limit: ORDERS_READ }));
  if (!orders.ok) return [];
  const lines = [...orders.value]
    .sort((a, b) => b.placedAt.localeCompare(a.placedAt))
    .filter((o) => o.status !== 'cancelled' && o.status !== 'returned')
    .flatMap((o) => o.lines.map((l) => l.productId));
  const products = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => Promise.all([...new Set(lines)].map((id) => deps.catalog.getProduct(id, { signal }))));
  if (!products.ok) return [];
  return [...new Set(products.value.flatMap((p) => (p ? [p.seriesId] : [])))];
}

/** Folded for finding a name in a message: accents, case and punctuation dropped (Pokémon is pokemon). */
function plain(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The message names the series, whole or by its first word ("my daughter loves Pokemon" names Pokémon Adventures): not a pick for it. */
function namedIn(s: Series, text: string): boolean {
  const message = ` ${plain(text)} `;
  return [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])].some((name) => {
    const n = name ? plain(name) : '';
    const head = n.split(' ')[0] ?? '';
    return (n.length >= 3 && message.includes(` ${n} `)) || (head.length >= 5 && message.includes(` ${head} `)) || (name !== undefined && /[\u3040-\u30ff\u3400-\u9fff]/.test(name) && name.length >= 2 && text.includes(name));
  });
}

/** A light, cheerful story by its tags (comedy, slice of life, iyashikei). */
function bright(s: Series): boolean {
  return [...s.genres, ...s.themes].some((t) => BRIGHT_TAGS.includes(t));
}

/** The catalog's name for MyAnimeList's Kids demographic (the shipped catalog writes Kids; both resolve to it). */
const KIDS = 'Kodomomuke';

/** Written for children (Kids / Kodomomuke). */
function isKids(s: Series): boolean {
  return /^(?:kids|kodomomuke)$/i.test(s.demographic ?? '');
}

/**
 * Supernatural action — demons, curses, monsters fought (Jujutsu Kaisen, Demon Slayer, Bleach) — or
 * dark themes: all-ages, but not what a parent of a child of ten or under asks for.
 */
function darkAction(s: Series): boolean {
  const tags = [...s.genres, ...s.themes].map((t) => t.toLowerCase());
  return (tags.includes('action') && tags.includes('supernatural')) || tags.some((t) => t === 'horror' || t === 'gore' || t === 'psychological' || t === 'suspense');
}

/**
 * The series whose stories the text tells, by the rare story concepts the retriever matches ("a
 * manga about people risking their lives for heliocentrism"): found, they are the answer, a search.
 */
export async function describedSeries(lk: Lookup, g: Grounding, text: string): Promise<boolean> {
  const { deps, guard, visible, ctx, customer } = lk;
  const r = await callDependency(guard('retrieval'), deps.deadlines.retrieval, ctx, (signal) => deps.retriever.search({ text, language: g.language, topK: 3 }, { signal }));
  const matches = r.ok ? (r.value.conceptMatches ?? []) : [];
  const found = matches.length > 0 ? await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeriesMany(matches.map((d) => d.ref), { signal })) : undefined;
  const described = found?.ok ? found.value.filter((s) => (s.synopsis || s.synopsisJa) && visible(s, customer)) : [];
  if (described.length === 0) return false;
  g.intent = 'product_search';
  g.series = await withProducts(lk, g, described, ['search']);
  return true;
}

/** Nothing fits the request: the nearest one that does, leaving out one constraint (a few series, named, not carded). */
async function nearestFit(lk: Lookup, wish: RecommendationWish, excludeAgeRestricted: boolean, said: ReadonlySet<Relaxation>): Promise<{ without: Relaxation; ids: string[] } | undefined> {
  const { deps, guard, ctx } = lk;
  for (const r of relaxations(wish, said)) {
    const recs = await callDependency(guard('recommendations'), deps.deadlines.recommendations, ctx, (signal) => deps.recommendations.recommend(queryOf(r.wish, excludeAgeRestricted, 3), { signal }));
    if (!recs.ok) return undefined;
    if (recs.value.length > 0) return { without: r.without, ids: recs.value.map((x) => x.seriesId) };
  }
  return undefined;
}

/**
 * The series a "like" phrase names: each of the titles it lists ("monster and pluto", 「モンスターとプルート」)
 * when every one is a title, else the phrase as one title ("Spice and Wolf", "Honey and Clover"); none
 * when they are no titles (「将棋とか囲碁」).
 */
async function likedSeries(lk: Lookup, phrase: string): Promise<Series[]> {
  const parts = phrase.split(/\s*(?:,|、|\band\b|\bor\b|&|とか|と|や)\s*/u).map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length > 1 && parts.every((p) => p.length >= 2)) {
    const each = await namedSeries(lk, parts, STRONG_TITLE_SCORE);
    if (each.length === parts.length && new Set(each.map((s) => s.id)).size === each.length) return each;
  }
  return namedSeries(lk, [phrase]);
}

/** The series each phrase names, when it clearly names one ("berserk" in "like Berserk but shorter"). */
async function namedSeries(lk: Lookup, phrases: string[], minScore = COMPARED_TITLE_SCORE): Promise<Series[]> {
  const { deps, guard, ctx } = lk;
  const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) =>
    Promise.all(phrases.map((p) => deps.catalog.searchSeries(titleQuery(p) || p, { signal, limit: 1 }))),
  );
  if (!r.ok) return [];
  return r.value.flatMap((hits) => (hits[0] && hits[0].score >= minScore ? [hits[0].series] : []));
}

/** The author a request names outright (「浦沢直樹の完結作品」), as the catalog writes them; undefined when it names a title or nobody. */
async function authorNamed(lk: Lookup, text: string): Promise<string | undefined> {
  const { deps, guard, ctx } = lk;
  const { query, context } = titleSearch(text);
  if (!query) return undefined;
  const hits = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(query, { signal, limit: 5, context }));
  return hits.ok ? authorOfHits(hits.value, STRONG_TITLE_SCORE) : undefined;
}

/** The authors each phrase names ("ai yazawa" in "not by Ai Yazawa"), as the catalog writes them. */
async function namedAuthors(lk: Lookup, phrases: string[]): Promise<string[]> {
  const { deps, guard, ctx } = lk;
  const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) =>
    Promise.all(phrases.map((p) => deps.catalog.searchSeries(p, { signal, limit: 1 }))),
  );
  if (!r.ok) return [];
  return r.value.flatMap((hits, i) => {
    const hit = hits[0];
    if (!hit || hit.score < COMPARED_TITLE_SCORE) return [];
    // The author whose name the phrase holds (either name order, or the Japanese name); else the first.
    const words = phrases[i].toLowerCase().split(/\s+/);
    const s = hit.series;
    const named = s.authors.filter((a, k) => a.toLowerCase().split(/\s+/).some((w) => words.includes(w)) || (s.authorsJa?.[k] !== undefined && phrases[i].includes(s.authorsJa[k])));
    return named.length > 0 ? named : s.authors.slice(0, 1);
  });
}
