// Replies the guardrails decide (a refusal, the 18+ explanation, whether a title suits a reader,
// the calm reply to an insult): fixed text in the customer's language, no model; the cards, the
// series and what it was about kept for the next turn.
import type { Series } from '../catalog/types.ts';
import { ageAspects, ageClaim, asksWhy, ratingLabel, saysConfirmed, sexualContentWord, suitabilitySubjects } from '../guardrails/age-dialogue.ts';
import { withheldReply } from '../guardrails/age-replies.ts';
import { acknowledgement, blockedCategory, cardAside, frustrated, inputRefusal } from '../guardrails/remediation.ts';
import { splitForStreaming } from '../llm/stream-text.ts';
import type { MessageTrace } from '../observability/tracing.ts';
import type { TurnAbout } from '../understanding/types.ts';
import { suitabilityAnswer } from './grounding/age.ts';
import type { Lookup } from './grounding/lookup.ts';
import { localTitle } from './grounding/series.ts';
import type { ProductCard, ReplyFrame } from './protocol.ts';
import { storeTurn } from './replay.ts';
import { round } from './stopwatch.ts';
import type { ChatRequest, ReplyOutcome } from './types.ts';
import type { Understood } from './understand.ts';

/** The message being answered, as the steps that write its reply see it. */
export interface Answering {
  lk: Lookup;
  req: ChatRequest;
  m: Understood;
  trace: MessageTrace;
  /** Reports a failure the customer does not see, with the message's trace id. */
  bg: (what: string) => (error: unknown) => void;
}

/** A reply of fixed text: its body, the guardrail category that blocked the request, what it was about. */
export interface FixedReply {
  body: string;
  blocked?: string;
  extras?: { about?: TurnAbout; seriesIds?: string[]; cards?: ProductCard[] };
}

/**
 * The reply the guardrails decide before any lookup, if they decide it: a request blocked before
 * any lookup or model, a title the customer may not see, whether a title suits a reader.
 */
export async function guardrailReply(a: Answering): Promise<FixedReply | undefined> {
  const { req, m } = a;
  const { inputVerdict, minorQuestion, ageTurn, language, text } = m;
  const adultOnly = inputVerdict !== undefined && !inputVerdict.ok && blockedCategory(inputVerdict) === 'adult';
  // A question about one title's rating ("is Berserk adults only?", 「ベルセルクって18禁ですか？」)
  // says the label words of an adult request; the title found, it is answered about that title
  // (an 18+ one withheld as usual). Explicit words ("is it hentai?") stay refused.
  // So does a question whether one title has sexual content ("is it lewd?", 「エロい？」 about the
  // series in play): answered from its tags, an 18+ one withheld.
  const sexualQuestion = ageTurn?.kind === 'suits' && ageTurn.reader.content?.includes('sexual') === true;
  const ratingQuestion = adultOnly && ageTurn?.kind === 'suits' && inputVerdict.findings.every((f) => f.category !== 'adult' || ratingLabel(req.text.slice(f.start, f.end)) || (sexualQuestion && sexualContentWord(req.text.slice(f.start, f.end)))) && asksAboutTitle(req.text, ageTurn.series);
  // Card data sent with a question that is not a payment ("my card … was charged twice for order X, why?"):
  // masked, and the question answered after the warning (answer.ts privacyNotice), not refused whole.
  if (inputVerdict && !inputVerdict.ok && !(adultOnly && (minorQuestion || ageTurn?.kind === 'withheld' || ratingQuestion)) && !cardAside(inputVerdict, text)) {
    // Blocked before any lookup or model: injection, threats, card data (never repeated), adult
    // requests (remembered as an 18+ refusal: "why not?" next is answered about it).
    const category = blockedCategory(inputVerdict);
    return { body: inputRefusal(inputVerdict, language), blocked: category, extras: category === 'adult' ? { about: { withheld: [] } } : {} };
  }
  // A title the customer may not see, or whether a title suits a reader: answered by the
  // audience rule, never "not found" and never an unrelated card.
  if (ageTurn?.kind === 'withheld') {
    const titles = ageTurn.series.map((s) => localTitle(s, language));
    const body = withheldReply({ language, asker: req.customer, titles, turn: ageTurn.turn, claim: ageTurn.claim, aspects: ageAspects(text, userTexts(m.history)), saysConfirmed: saysConfirmed(text) });
    return { body: (frustrated(inputVerdict) ? acknowledgement(language) : '') + body, blocked: 'age_restricted', extras: { about: { withheld: ageTurn.series.map((s) => s.id) }, seriesIds: ageTurn.series.map((s) => s.id) } };
  }
  if (ageTurn?.kind === 'suits') {
    const answer = await suitabilityAnswer(a.lk, ageTurn.series, ageTurn.reader, language);
    return { body: answer.text, blocked: answer.withheld ? 'age_restricted' : undefined, extras: answer.withheld ? { about: { withheld: [ageTurn.series.id] }, seriesIds: [ageTurn.series.id] } : { about: { focus: ageTurn.series.id }, seriesIds: [ageTurn.series.id], cards: answer.cards } };
  }
  return undefined;
}

/** Folded for finding a name in a message: lower case, letters and digits only. */
function folded(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The rating question names the series (or asks about the one in play: "is it adults only?"),
 * not only a kind: "any adults only manga?" is a request for adult titles, whatever series a
 * search for "any" would find.
 */
function asksAboutTitle(text: string, series: Series): boolean {
  const subject = suitabilitySubjects(text)[0];
  if (subject === '') return true;
  const message = folded(text);
  return [series.title, series.titleEn, series.titleJa, ...(series.aliases ?? [])].some((name) => {
    const f = name ? folded(name) : '';
    return f.length >= 2 && message.includes(f);
  });
}

/** The title the customer named is sold 18+ and they may not see it: told why and how, never "not found". */
export function withheldNamedReply(a: Answering, named: Series | undefined): FixedReply {
  const { req, m } = a;
  const { language, text } = m;
  const series = named ? [named] : [];
  const aspects = ageAspects(text, userTexts(m.history));
  const body = withheldReply({ language, asker: req.customer, titles: series.map((s) => localTitle(s, language)), turn: asksWhy(text) ? 'why' : 'named', claim: ageClaim(text), aspects, saysConfirmed: saysConfirmed(text) });
  return { body, blocked: 'age_restricted', extras: { about: { withheld: series.map((s) => s.id) }, seriesIds: series.map((s) => s.id) } };
}

/** What the customer said earlier in the conversation. */
function userTexts(history: Understood['history']): string[] {
  return history.filter((x) => x.role === 'user').map((x) => x.text);
}

/** Sends a fixed reply as a stream, stores the turn and ends it. */
export async function* fixedReply(a: Answering, { body, blocked, extras = {} }: FixedReply): AsyncGenerator<ReplyFrame> {
  const { lk, req, m, trace, bg } = a;
  const { deps } = lk;
  const stopwatch = lk.ctx.stopwatch;
  const { text, nlu, language, languageAsked } = m;
  m.speculation.abort();
  const receivedAt = Date.now();
  const firstTokenMs = stopwatch.elapsed();
  for (const t of splitForStreaming(body)) yield { type: 'token', text: t };
  if (req.signal.aborted) return;
  const cards = extras.cards ?? [];
  if (cards.length > 0) yield { type: 'products', items: cards };
  const about: TurnAbout = { ...(languageAsked ? { replyLanguage: languageAsked } : {}), ...extras.about };
  await storeTurn(deps, req, [
    { role: 'user', text, messageId: req.messageId, intent: nlu.intent, language, at: receivedAt },
    {
      role: 'assistant',
      text: body,
      messageId: req.messageId,
      intent: nlu.intent,
      language,
      ...(extras.seriesIds?.length ? { seriesIds: extras.seriesIds } : {}),
      ...(cards.length > 0 ? { cards, productIds: cards.filter((c) => c.volume !== null).map((c) => c.id) } : {}),
      ...(Object.keys(about).length > 0 ? { about } : {}),
      at: Date.now(),
    },
  ], stopwatch, bg);
  const timings = { ...stopwatch.segments(), firstTokenMs: round(firstTokenMs), totalMs: round(stopwatch.elapsed()) };
  const outcome: ReplyOutcome = blocked ? 'blocked' : 'answered';
  trace.set({ outcome, ...(blocked ? { 'guardrail.blocked': blocked } : {}) });
  deps.onReply?.({ intent: nlu.intent, language, customer: req.customer.kind, firstTokenMs, totalMs: timings.totalMs, interrupted: false, outcome, timings, degraded: [], traceId: trace.traceId, handoffOpened: false });
  yield { type: 'end', timings, traceId: trace.traceId, ...(blocked ? { guardrail: { blocked } } : {}) };
}
