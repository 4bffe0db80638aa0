// The store's 18+ rule in conversation, before any lookup: a title the customer may not see
// (named, or asked about again), a notice beside another answer, whether a title suits a reader
// and all-ages titles like it.
import type { Series } from '../../catalog/types.ts';
import type { StoredMessage } from '../../memory/types.ts';
import { ageAllowed, namesOf } from '../../guardrails/audience.ts';
import { aboutWithheldOnly, ageAspects, ageClaim, asksForPerson, asksHowToGet, asksSimilar, asksWhy, insists, minorOnAccount, pushbackOnly, requestsTitles, suitabilityQuestion, suitabilitySubjects, type AgeClaim, type SuitabilityQuestion } from '../../guardrails/age-dialogue.ts';
import { aspectNotice, suitabilityReply, withheldNotice, withheldReply, type WithheldTurn } from '../../guardrails/age-replies.ts';
import { isChildSafe, isTeenSafe } from '../../recommendations/filters.ts';
import { MESSAGES } from '../../llm/compose/messages.ts';
import type { Intent, Language, ResolvedReference } from '../../understanding/types.ts';
import { comparisonParts } from '../../understanding/comparison.ts';
import { COMPARABLE_INTENTS } from './comparisons.ts';
import { callDependency } from '../dependency-call.ts';
import { cardsFor } from '../product-cards.ts';
import type { ProductCard } from '../protocol.ts';
import { titleQuery } from '../title-query.ts';
import { leftoverOf } from '../../understanding/follow-up-words.ts';
import type { Lookup } from './lookup.ts';
import { NAMED_SERIES_SCORE, STRONG_TITLE_SCORE, foldName, localTitle, seriesByIds, seriesNamed } from './series.ts';

/** Intents answered without the title named (a policy, promotions, orders, a person): a withheld title is a notice before that answer. */
const NOTICE_INTENTS = new Set<Intent>(['faq', 'promotion', 'order_status', 'escalation']);

/** Set by the catalog lookup when the series the customer named is one they may not see (18+). */
export interface AgeGate {
  withheldNamed: boolean;
  /** That series. */
  series?: Series;
  /** 18+ series the message names only as a kind of manga ("monster girl manga"): no request for them. */
  generic?: ReadonlySet<string>;
}

/**
 * What the 18+ rule makes of a message before any lookup: a title the customer may not see,
 * named or asked about again (answered with why and how, never "not found"); a notice before
 * the answer to the rest of the message (a policy question asked with such a title; a customer
 * abroad who may see it: 18+ titles are not shipped abroad); a question whether a title suits
 * a reader.
 */
export type AgeTurn =
  | { kind: 'withheld'; series: Series[]; turn: WithheldTurn; claim?: AgeClaim }
  | { kind: 'notice'; series: Series[]; notice: string; withheld: boolean }
  | { kind: 'suits'; series: Series; reader: SuitabilityQuestion }
  /** "Something like <18+ title>", or "something similar I can buy" after it was withheld: all-ages picks seeded by it (after a notice when it is named). */
  | { kind: 'similar'; series: Series[]; notice: string };

/** What the 18+ rule makes of a message before any lookup (AgeTurn); undefined: the usual answer. */
export async function ageTurnOf(lk: Lookup, text: string, namedIds: string[], language: Language, intent: Intent, reference: ResolvedReference, history: StoredMessage[]): Promise<AgeTurn | undefined> {
  const { customer } = lk;
  const allowed = ageAllowed({ kind: customer.kind, ageConfirmed: customer.ageConfirmed });
  const suits = requestsTitles(text) ? undefined : suitabilityQuestion(text);
  const aspects = ageAspects(text, history.filter((m) => m.role === 'user').map((m) => m.text));
  const claim = ageClaim(text);
  const named = namedIds.length > 0 ? await seriesByIds(lk, namedIds) : [];
  if (named.length > 0) {
    if (suits) return { kind: 'suits', series: named[0], reader: suits };
    const titles = named.map((s) => localTitle(s, language));
    if (allowed) return { kind: 'notice', series: named, notice: aspectNotice(language, titles, aspects), withheld: false };
    // "Why can't I see Gantz?", "I'm 25, show me Gantz": about the refusal, whatever the classifier made of it.
    if (asksWhy(text) || claim?.adult) return { kind: 'withheld', series: named, turn: asksWhy(text) ? 'why' : 'named', claim };
    // A request for titles like it: withheld, and all-ages picks like it.
    if (intent === 'recommendation' && (requestsTitles(text) || asksSimilar(text))) return { kind: 'similar', series: named, notice: withheldNotice(language, customer, titles, aspects, claim) };
    // Asked beside a question answered without it (a policy, an order, promotions): withheld first, then that answer.
    if (minorOnAccount(text) || NOTICE_INTENTS.has(intent)) return { kind: 'notice', series: named, notice: withheldNotice(language, customer, titles, aspects, claim), withheld: true };
    // "Berserk or Gantz, which is longer?": withheld first, then the comparison goes on with the titles this customer may see.
    if (COMPARABLE_INTENTS.has(intent) && comparisonParts(text)) return { kind: 'notice', series: named, notice: withheldNotice(language, customer, titles, aspects, claim), withheld: true };
    return { kind: 'withheld', series: named, turn: 'named', claim };
  }
  // An 18+ rule asked of the 18+ series in play without naming it again ("will it come in a plain
  // box?", 「電子版はありますか」 after Ichi the Killer): as if named — the rule first (no e-book, not
  // shipped abroad…), then the answer. A title of its own named ("and One Piece digital?") is not the one in play.
  if (allowed && aspects.length > 0) {
    const inPlayId = reference.titleFree ? reference.seriesId : reference.seriesId === undefined ? seriesInPlay(history) : undefined;
    const inPlay = inPlayId ? await seriesNamed(lk, inPlayId) : undefined;
    if (inPlay && !lk.deps.guardrails!.mayShow(inPlay, { language, kind: 'guest' }) && !(await namesOtherTitle(lk, text, inPlay))) return { kind: 'notice', series: [inPlay], notice: aspectNotice(language, [localTitle(inPlay, language)], aspects), withheld: false };
  }
  // The answer before withheld an 18+ title (or refused an adult request): "why not?", "I'm 25,
  // trust me", 「大人です」 are about that refusal — explained, never complied with, never a ticket
  // (unless a person is asked for).
  const withheld = withheldBefore(history);
  // "Recommend something similar I can buy now" a turn or two later (after how to confirm one's age):
  // still like the title withheld, as long as nothing else was shown since.
  const similarTo = withheld ?? (allowed ? undefined : withheldBefore(history, 2));
  if (similarTo && similarTo.length > 0 && !allowed && asksSimilar(text) && !asksForPerson(text)) return { kind: 'similar', series: await seriesByIds(lk, similarTo), notice: '' };
  // So are "how can I buy it?", 「ログインしたら買えるの？」 and a claim asked with a question about that title
  // ("I'm 25, trust me. how much is vol 1?"): why, and how age is confirmed — never the title itself.
  const howToGet = asksHowToGet(text);
  if (withheld && !allowed && !asksForPerson(text) && (pushbackOnly(text) || ((claim !== undefined || howToGet || asksWhy(text)) && aboutWithheldOnly(text)))) {
    const turn: WithheldTurn | undefined = claim ? 'claim' : asksWhy(text) || howToGet ? 'why' : insists(text) ? 'insist' : undefined;
    if (turn) return { kind: 'withheld', series: await seriesByIds(lk, withheld), turn, claim };
  }
  if (suits) {
    // "Is the first one scary?", 「一つ目のってグロい？」: the series the reference picked from the conversation (a list's first), no title to search.
    const referred = (reference.titleFree || reference.via === 'ordinal') && reference.seriesId ? await seriesNamed(lk, reference.seriesId) : undefined;
    const subject = referred ?? (await suitabilitySubject(lk, text, reference.seriesId ?? seriesInPlay(history)));
    if (subject) return { kind: 'suits', series: subject, reader: suits };
  }
  return undefined;
}

/**
 * The series a suitability question is about: the title it names (a sure match: a wrong one
 * would answer about a series nobody asked about), else, when it names none ("is it ok for a
 * 12 year old though?"), the one the conversation is on.
 */
async function suitabilitySubject(lk: Lookup, text: string, inPlay: string | undefined): Promise<Series | undefined> {
  const { deps, guard, ctx } = lk;
  const folded = foldName(text);
  const said = (s: Series) => namesOf(s).some((n) => foldName(n).length >= 2 && folded.includes(foldName(n)));
  for (const subject of suitabilitySubjects(text)) {
    if (!subject) return inPlay ? seriesNamed(lk, inPlay) : undefined;
    const query = titleQuery(subject) || subject;
    const hits = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(query, { signal, limit: 3 }));
    if (!hits.ok) return undefined;
    const hit = hits.value.find((h) => h.score >= NAMED_SERIES_SCORE && (said(h.series) || h.score >= STRONG_TITLE_SCORE));
    if (hit) return hit.series;
  }
  return inPlay && /\b(?:it|this|that|these|they)\b|これ|それ|この|その/i.test(text) ? seriesNamed(lk, inPlay) : undefined;
}

/**
 * Whether a title suits the reader asked about, from its catalog data (the audience rule,
 * demographic, genres, themes) — with its cards when the customer may see it, and all-ages
 * titles like it for that reader named when it does not suit them. A title the customer may
 * not see is withheld as usual, the reader answered too.
 */
export async function suitabilityAnswer(lk: Lookup, series: Series, reader: SuitabilityQuestion, language: Language): Promise<{ text: string; cards: ProductCard[]; withheld: boolean }> {
  const { deps, guard, visible, now, ctx, customer } = lk;
  const adult = !deps.guardrails!.mayShow(series, { language, kind: 'guest' });
  const childSafe = isChildSafe(series);
  const teenSafe = isTeenSafe(series);
  const suits = reader.audience === 'child' ? childSafe : reader.audience === 'teen' ? teenSafe : true;
  const alternatives = adult || !suits || reader.audience === 'teen' ? await alternativesFor(lk, series, reader, language) : [];
  if (!visible(series, customer)) {
    return { text: withheldReply({ language, asker: customer, titles: [localTitle(series, language)], turn: 'named', reader, alternatives }), cards: [], withheld: true };
  }
  // A content question ("is it gory?") lists what the title is, in the customer's language.
  const label = MESSAGES[language].label;
  const tagsShown = [...series.genres, ...(series.themes ?? [])].map((t) => label(t));
  const facts = { title: localTitle(series, language), demographic: series.demographic, genres: series.genres, themes: series.themes ?? [], adult, childSafe, teenSafe, tagsShown };
  const text = suitabilityReply(language, facts, reader, alternatives);
  if (adult) return { text, cards: [], withheld: false };
  const products = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getProducts(series.id, { signal }), { segment: 'products' });
  return { text, cards: cardsFor([{ series, products: products.ok ? products.value : [], reasons: [] }], undefined, now()), withheld: false };
}

/** All-ages titles like `series` for the reader asked about (a teenager when none is said), as the customer reads them. */
async function alternativesFor(lk: Lookup, series: Series, reader: SuitabilityQuestion, language: Language): Promise<string[]> {
  const { deps, guard, ctx } = lk;
  const audience = reader.audience === 'child' ? 'child' : 'teen';
  const recs = await callDependency(guard('recommendations'), deps.deadlines.recommendations, ctx, (signal) =>
    deps.recommendations.recommend({ seedSeriesIds: [series.id], excludeSeriesIds: [series.id], audience, excludeAgeRestricted: true, limit: 3 }, { signal }),
  );
  if (!recs.ok) return [];
  const found = await seriesByIds(lk, recs.value.map((r) => r.seriesId));
  return found.filter((s) => deps.guardrails!.mayShow(s, { language, kind: 'guest' })).map((s) => localTitle(s, language));
}

/**
 * What the last answers withheld, when the last one was an 18+ refusal: the series of that run of
 * refusals ("do you have Prison School?", "any other lewd manga then?", "ok, something similar I
 * can buy?" is still about Prison School); undefined when the last answer was no refusal — or,
 * with `through`, when more than that many answers that showed nothing stand after the refusal.
 */
function withheldBefore(history: StoredMessage[], through = 0): string[] | undefined {
  let out: string[] | undefined;
  let skipped = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i];
    if (m.role !== 'assistant') continue;
    // `through` answers that showed no series nor order (a policy answer) may stand between.
    if (!m.about?.withheld && out === undefined && skipped < through && (m.seriesIds?.length ?? 0) === 0 && !m.about?.focus && !m.about?.orderId) {
      skipped++;
      continue;
    }
    if (!m.about?.withheld) break;
    out = [...(out ?? []), ...m.about.withheld.filter((id) => !out?.includes(id))];
  }
  return out;
}

/**
 * True when the message names a title of its own, not `inPlay` ("and can I get One Piece as an
 * ebook?"): words no follow-up word explains, searched alone and as the title query, a series
 * whose name the message holds whole (or found outright).
 */
async function namesOtherTitle(lk: Lookup, text: string, inPlay: Series): Promise<boolean> {
  const left = leftoverOf(text);
  if (left.kind !== 'title') return false;
  const queries = [...new Set([left.words.join(' '), titleQuery(text)])].filter((q) => q.replace(/[^\p{L}\p{N}]+/gu, '').length >= 2);
  if (queries.length === 0) return false;
  const found = await callDependency(lk.guard('catalog'), lk.deps.deadlines.catalog, lk.ctx, (signal) => Promise.all(queries.map((q) => lk.deps.catalog.searchSeries(q, { signal, limit: 3, context: text }))));
  if (!found.ok) return false;
  const folded = foldName(text);
  const said = (s: Series) => namesOf(s).some((n) => foldName(n).length >= 2 && folded.includes(foldName(n)));
  return found.value.flat().some((h) => h.series.id !== inPlay.id && h.score >= NAMED_SERIES_SCORE && (said(h.series) || h.score >= STRONG_TITLE_SCORE));
}

/** The one series the last answer with series was about ("is it ok for a 12 year old?" after a price), if there was one. */
function seriesInPlay(history: StoredMessage[]): string | undefined {
  const last = history.findLast((m) => m.role === 'assistant' && ((m.seriesIds?.length ?? 0) > 0 || m.about?.focus));
  return last?.about?.focus ?? (last?.seriesIds?.length === 1 ? last.seriesIds[0] : undefined);
}
