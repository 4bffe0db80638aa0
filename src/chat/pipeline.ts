import { ChatError } from '../errors.ts';
import type { CatalogService, Series } from '../catalog/types.ts';
import type { RecommendationService, Recommendation } from '../recommendations/types.ts';
import type { Order, OrderService } from '../orders/types.ts';
import { isLate, newestFirst, orderInPlay, orderTitleQuery, ordersNamed, saysLate, speaksOfOwnOrder, type OrderItem } from '../orders/order-match.ts';
import { continuesPromotions, promotionTitleQuery } from '../promotions/promotion-match.ts';
import type { Promotion, PromotionService } from '../promotions/types.ts';
import type { ReviewService, ReviewSummary } from '../reviews/types.ts';
import type { ConversationMemory, StoredMessage } from '../memory/types.ts';
import type { IndexedDoc, Retriever, RetrievalResult, ScoredDoc } from '../retrieval/types.ts';
import { amountIn, asksPolicy, createPolicySections, earlierQuestions, isElliptical, orderPolicyQuestion, promotionKindsFor, topicInPlay, type PolicySections } from '../retrieval/policy-sections.ts';
import { splitQuestions } from './questions.ts';
import type { AnswerEngine, Grounding, SeriesWithProducts } from '../llm/types.ts';
import type { Entities, Intent, IntentClassifier, IntentResult, Language, ReferenceResolver, TurnContext } from '../understanding/types.ts';
import { conversationLanguage, languageRequest, preferredLanguage } from '../understanding/language.ts';
import { asksAboutAssistant } from '../understanding/small-talk.ts';
import { aboutTopic, topicMatcher } from '../understanding/topics.ts';
import { Stopwatch } from './stopwatch.ts';
import { callDependency, type CallContext } from './dependency-call.ts';
import type { DependencyGuard } from '../resilience/types.ts';
import type { FallbackLists } from '../recommendations/fallback-lists.ts';
import type { AnswerChunk } from '../llm/types.ts';
import { cardsFor, productCard } from './product-cards.ts';
import { titleQuery, titleSearch } from './title-query.ts';
import type { HeldClaim, MessageClaimer } from './message-claim.ts';
import { constrained, fits, queryOf, relaxations, wishFrom, type Relaxation } from './recommendation-request.ts';
import { picked, stateAfter } from './dialogue-state.ts';
import { comparisonAspects, comparisonParts, type ComparisonPart } from '../understanding/comparison.ts';
import { latestVolume } from '../llm/compose/context.ts';
import { storeDate } from '../llm/compose/index.ts';
import type { RecommendationAsk } from '../llm/types.ts';
import type { RecommendationWish, ResolvedReference, TurnAbout } from '../understanding/types.ts';
import type { ProductCard, ReplyFrame } from './protocol.ts';
import type { AnswerAnchor, SemanticCache } from '../cache/semantic/semantic-cache.ts';
import { splitForStreaming } from '../llm/stream-text.ts';
import type { RouteInfo } from '../llm/types.ts';
import type { Audience, Guardrails, Verdict } from '../guardrails/types.ts';
import { createStreamCheck, type StreamCheck } from '../guardrails/stream-check.ts';
import { acknowledgement, blockedCategory, calmReply, frustrated, inputRefusal, safeReplacement } from '../guardrails/remediation.ts';
import { adultBySelf, ageAllowed, namesOf } from '../guardrails/audience.ts';
import { ageAspects, ageClaim, asksForPerson, asksSimilar, asksWhy, insists, minorOnAccount, saysConfirmed, pushbackOnly, requestsTitles, suitabilityQuestion, suitabilitySubjects, type AgeClaim, type SuitabilityQuestion } from '../guardrails/age-dialogue.ts';
import { aspectNotice, suitabilityReply, withheldNotice, withheldReply, type WithheldTurn } from '../guardrails/age-replies.ts';
import { isChildSafe, isTeenSafe } from '../recommendations/filters.ts';
import { NO_TRACE, type MessageTrace, type Tracing } from '../observability/tracing.ts';

/** Who is asking: guests have a session only; members and Prime customers are signed in. */
export type Customer = Grounding['customer'];

/** One accepted customer message. */
export interface ChatRequest {
  sessionId: string;
  /** Client-chosen id; a repeated id in the same session is not answered twice. */
  messageId: string;
  text: string;
  customer: Customer;
  /** Aborts when the customer goes away (socket closed, HTTP request aborted). */
  signal: AbortSignal;
}

/** Deadlines of the downstream calls, in ms (config: *_TIMEOUT_MS). */
export interface Deadlines {
  budget: number;
  memory: number;
  retrieval: number;
  catalog: number;
  recommendations: number;
  orders: number;
  promotions: number;
  reviews: number;
  /** First token of the answer engine. */
  llm: number;
  /** Opening a human handoff ticket. */
  handoff: number;
}

/** Names of the guarded dependencies the pipeline calls (one guard each). */
export const PIPELINE_DEPENDENCIES = ['memory', 'retrieval', 'catalog', 'recommendations', 'orders', 'promotions', 'reviews', 'llm', 'handoff'] as const;

/** Everything the pipeline talks to: ports only, wired by the composition root. */
export interface PipelineDeps {
  classifier: IntentClassifier;
  detectLanguage: (text: string) => Language;
  extractEntities: (text: string, language: Language) => Entities;
  references: ReferenceResolver;
  retriever: Retriever;
  catalog: CatalogService;
  recommendations: RecommendationService;
  orders: OrderService;
  promotions: PromotionService;
  reviews: ReviewService;
  memory: ConversationMemory;
  engine: AnswerEngine;
  /** One guard per dependency (breaker, pool, retries, faults): every downstream call goes through it. */
  guards: { get(dependency: string): DependencyGuard };
  /** Trending/popular lists kept from the recommendation engine, for when it is down. */
  fallbackLists: Pick<FallbackLists, 'pick'>;
  /** Overload state: tier-3 calls are skipped under brownout; messages in flight are counted. */
  brownout?: { skipsTier3(): boolean; enter(): () => void; skipped(dependency: 'promotions' | 'reviews'): void };
  /** Told when a design fallback is served, by the dependency it covers. */
  onFallback?: (dependency: string) => void;
  links: { search: (query: string) => string; orderTracking: string; support: string };
  deadlines: Deadlines;
  maxMessageChars: number;
  /** Retrieval score a series found by description needs to be shown (scale of the reranker in use). */
  minDescribedScore: number;
  /**
   * The knowledge base's sections (the documents retrieval indexes): a policy question is answered
   * from the section that matches it. Absent: only the sections retrieval returned are ranked.
   */
  knowledgeBase?: IndexedDoc[];
  /** Semantic answer cache: answers that depend on nobody and nothing live, replayed instead of asking the engine again. */
  answerCache?: SemanticCache;
  /** Claims each message id across processes (workers, nodes) so it is answered once; absent: one process answers each session. */
  claimer?: MessageClaimer;
  /** Told about failures the customer does not see (tier 3, memory writes). */
  onBackgroundError?: (what: string, error: unknown, traceId?: string) => void;
  /**
   * Content filters on the customer's message (before any model sees it) and on the answer
   * while it streams. Absent: no filtering.
   */
  guardrails?: Guardrails;
  /** Intents whose answer is checked before it is sent (high risk: orders, payments); the rest stream first and are revised if a late check fails. */
  guardrailSyncIntents?: ReadonlySet<Intent>;
  /** Characters of answer per streaming check. */
  guardrailChunkChars?: number;
  /** Told every guardrail decision (metrics). */
  onGuardrail?: (e: GuardrailEvent) => void;
  /** Told at the end of every reply that was sent to its end (metrics, slow-message logs). */
  onReply?: (e: ReplyEvent) => void;
  /** Told when a message ends in an error instead of a reply (the segments it went through, its trace). */
  onReplyFailed?: (e: { timings: Record<string, number>; traceId: string; error: unknown }) => void;
  /** One trace per message (OpenTelemetry); absent: no spans, an all-zero trace id. */
  tracing?: Pick<Tracing, 'startMessage'>;
  /**
   * Human handoff: the `escalation` intent opens a ticket (or joins the session's open one), and
   * later messages of a session with an open ticket are added to its thread for the operator.
   */
  handoff?: {
    open(req: { sessionId: string; customer: Customer; language: Language; text: string }, opts: { signal: AbortSignal }): Promise<{ ticketId: string; created: boolean }>;
    customerSaid(sessionId: string, text: string): Promise<void>;
  };
  now?: () => Date;
}

/** How a reply that reached its end turned out (metrics label `outcome`). */
export type ReplyOutcome = 'answered' | 'degraded' | 'unanswered' | 'blocked' | 'revised' | 'interrupted' | 'replayed';

/** A reply that reached its `end` frame. */
export interface ReplyEvent {
  intent: Intent;
  language: Language;
  customer: Customer['kind'];
  route?: RouteInfo;
  firstTokenMs: number;
  totalMs: number;
  interrupted: boolean;
  outcome: ReplyOutcome;
  /** Every segment's duration (the `end` frame's timings). */
  timings: Record<string, number>;
  degraded: string[];
  traceId: string;
  /** A handoff ticket was opened by this message (not joined). */
  handoffOpened: boolean;
}

/** One guardrail decision: a message checked, an answer chunk checked, a block or a revision. */
export type GuardrailEvent =
  | { type: 'input'; verdict: Verdict; blocked: boolean; redacted: boolean }
  | { type: 'chunk'; ms: number; chars: number; mode: 'sync' | 'async' }
  | { type: 'output'; verdict: Verdict; revised: boolean };

/** The chat pipeline: one message in, the frames of its reply out. */
export interface ChatPipeline {
  reply(req: ChatRequest): AsyncGenerator<ReplyFrame>;
  /** The checks a message's text must pass (empty, too long), for transports to run before admission. */
  validate(text: string): string;
  /** Intent and language only (POST /v1/nlu/intent). */
  understand(text: string): IntentResult;
}

/** Scheduling priority by customer tier (the model pools' P0/P1/P2). */
const PRIORITY: Record<Customer['kind'], string> = { prime: 'P0', member: 'P1', guest: 'P2' };

/** Intents whose answer rests on the catalog. */
const CATALOG_INTENTS = new Set<Intent>(['product_search', 'product_question', 'price_availability']);
/** Intents whose answer rests on knowledge-base passages. */
const PASSAGE_INTENTS = new Set<Intent>(['faq', 'escalation', 'product_question']);
/** How many series a discovery answer shows. */
const SEARCH_SHOWN = 4;
/** A catalog title match this good is taken as the series the customer named. */
const NAMED_SERIES_SCORE = 0.55;
/** Orders an order question looks through for the title named (a customer's history). */
const ORDER_HISTORY = 50;
/** Orders shown when none is named: the latest and a short list of the others. */
const RECENT_ORDERS = 3;
/** A title match this good is taken without the message spelling out one of the series' names. */
const SURE_TITLE_SCORE = 0.9;
/** Words that point back at what the last answer was about ("on it", 「それって」). */
const PRONOUN = /\b(?:it|that|this|them|these|those|that one|this one)\b|それ|その|これ|この|あれ/i;
/** A title match this good names a series whose name the message writes out (a promotion or points question). */
const SAID_TITLE_SCORE = 0.3;
/** A title match this good overrides a reference to an earlier turn. */
const STRONG_TITLE_SCORE = 0.8;
/** Intents a comparison of named series may come as ("Naruto or Bleach?" reads as anything from small talk to a recommendation). */
const COMPARABLE_INTENTS = new Set<Intent>(['product_search', 'product_question', 'price_availability', 'recommendation', 'chitchat', 'out_of_scope']);
/** A part of a comparison names a series only with a match this good (a stray word must not pull in a stray title). */
const COMPARED_TITLE_SCORE = 0.7;
/** Intents a question about the assistant ("are you human or AI?") may be misread as: it is small talk. */
const SMALL_TALK_OR_MISREAD = new Set<Intent>(['chitchat', 'out_of_scope', 'product_search', 'product_question', 'recommendation']);
/** How many recommendations an answer shows. */
const RECOMMENDED = 5;
/** Questions of one message answered besides the main one ("…, and how many volumes does it have?"). */
const MAX_OTHER_QUESTIONS = 2;

/** Builds the pipeline over its ports. */
export function createChatPipeline(deps: PipelineDeps): ChatPipeline {
  // Messages being answered, by session and id: a retry of one waits for its end.
  const inFlight = new Map<string, Promise<void>>();
  const now = deps.now ?? (() => new Date());
  const policySections = deps.knowledgeBase ? createPolicySections(deps.knowledgeBase) : undefined;
  const background = (what: string) => (error: unknown) => deps.onBackgroundError?.(what, error);
  const guard = (name: (typeof PIPELINE_DEPENDENCIES)[number]) => deps.guards.get(name);
  /**
   * The card gate: adult titles (flagged, adult genres, fan-service for older readers, their
   * spin-offs) only for signed-in customers who confirmed their age — the guardrails' audience
   * rule, the one answer text is checked by; without guardrails, the catalog's own flags.
   */
  const visible = (series: Series, customer: Customer): boolean => {
    const audience: Audience = { language: 'en', kind: customer.kind, ageConfirmed: customer.ageConfirmed };
    return deps.guardrails ? deps.guardrails.mayShow(series, audience) : ageAllowed(audience) || !adultBySelf(series);
  };
  const fellBack = (g: Grounding, dependency: string) => {
    g.degraded.push(dependency);
    deps.onFallback?.(dependency);
  };

  function validate(text: string): string {
    const trimmed = text.trim();
    if (trimmed.length === 0) throw new ChatError('bad_request', 'The message text is empty.');
    if ([...trimmed].length > deps.maxMessageChars) {
      throw new ChatError('payload_too_large', `Messages are limited to ${deps.maxMessageChars} characters.`);
    }
    return trimmed;
  }

  function understand(text: string): IntentResult {
    const language = deps.detectLanguage(text);
    return deps.classifier.classify(text, language);
  }

  async function* reply(req: ChatRequest): AsyncGenerator<ReplyFrame> {
    const raw = validate(req.text);
    const audienceOf = (language: Language): Audience => ({
      language,
      kind: req.customer.kind,
      ageConfirmed: req.customer.ageConfirmed,
      own: [req.customer.name, req.customer.customerId].filter((x): x is string => !!x),
    });
    // A retry of a message still being answered (the client reconnected mid-reply) waits for
    // that attempt: its stored turn is then replayed, or, if it stored none, it is answered anew.
    const key = `${req.sessionId}\u0000${req.messageId}`;
    for (let earlier = inFlight.get(key); earlier; earlier = inFlight.get(key)) await untilSettledOrAborted(earlier, req.signal);
    req.signal.throwIfAborted();
    let attemptDone!: () => void;
    inFlight.set(key, new Promise<void>((resolve) => (attemptDone = resolve)));
    // Across processes (workers, nodes) the id is claimed in the store: a second process waits for
    // the first, then replays its stored turn (or answers anew if the first died without one).
    // The wait is not part of the message's time budget, which starts once the id is ours.
    let held: HeldClaim | undefined;
    let claimMs = 0;
    if (deps.claimer) {
      const claimStarted = performance.now();
      try {
        held = await deps.claimer.acquire(req.sessionId, req.messageId, req.signal);
      } catch (error) {
        inFlight.delete(key);
        attemptDone();
        throw error;
      }
      claimMs = performance.now() - claimStarted;
    }
    const leave = deps.brownout?.enter();
    // One trace per message: its segments are the stopwatch's, its id goes out in the `end` frame.
    const trace: MessageTrace = deps.tracing?.startMessage({ 'session.id': req.sessionId, 'message.id': req.messageId, 'customer.kind': req.customer.kind, priority: PRIORITY[req.customer.kind] }) ?? NO_TRACE;
    const bg = (what: string) => (error: unknown) => deps.onBackgroundError?.(what, error, trace.traceId);
    let failure: unknown;
    const stopwatch = new Stopwatch(undefined, trace);
    try {
      const ctx: CallContext = { signal: req.signal, stopwatch, budgetMs: deps.deadlines.budget };
      if (held) stopwatch.record('claim', claimMs);

      // 1. Memory, retrieval and understanding at once. Retrieval starts speculatively before
      //    the intent is known: most intents need it, and it is the slowest of the three.
      // The language of the customer's words (a title they typed aside) reads the message; the reply
      // may be asked for in the other one (below, once the conversation is loaded).
      const messageLanguage = stopwatch.measure('language', () => deps.detectLanguage(raw));
      // Checked before any model sees the message; personal data typed in (a card number, a My
      // Number) is masked before it is stored, sent to a model or used as a cache key.
      const inputVerdict = deps.guardrails ? stopwatch.measure('guardrailInput', () => deps.guardrails!.checkInput(raw, audienceOf(messageLanguage))) : undefined;
      const text = deps.guardrails ? deps.guardrails.redact(raw) : raw;
      if (inputVerdict) deps.onGuardrail?.({ type: 'input', verdict: inputVerdict, blocked: !inputVerdict.ok, redacted: text !== raw });
      const memoryCall = callDependency(guard('memory'), deps.deadlines.memory, ctx, async (signal) => {
        // After waiting for another process's claim, its turn may be newer than any cached copy here.
        const history = await deps.memory.load(req.sessionId, { signal, fresh: held?.waited });
        // A repeated id is an answer, not a failure: returned, so it is neither retried nor counted against the breaker.
        const answered = storedTurn(history, req.messageId);
        if (answered) return { history, answered };
        // Accepted long ago, its answer no longer in the window: known, but it cannot be replayed.
        if (await deps.memory.hasMessage(req.sessionId, req.messageId, { signal })) return 'duplicate' as const;
        return { history, answered: undefined };
      });
      // Speculative: requested before the intent is known, cancelled if the intent turns out not
      // to need it. The embedded retriever is CPU-bound, so its work waits one turn of the event
      // loop: by then classification (microseconds) has decided whether to cancel, and the memory
      // read has finished, so no segment's timing absorbs another's CPU.
      // Only while its circuit is closed: a half-open circuit's single probe must not be a call
      // that may be cancelled (a cancelled probe re-opens a healthy circuit for another 30 s).
      const speculation = new AbortController();
      const searchRetrieval = (signal: AbortSignal) =>
        callDependency(guard('retrieval'), deps.deadlines.retrieval, { ...ctx, signal }, async (attempt) => {
          await new Promise((resolve) => setImmediate(resolve));
          attempt.throwIfAborted();
          return deps.retriever.search({ text, language: messageLanguage, topK: 8 }, { signal: attempt });
        });
      const speculative = guard('retrieval').circuit() === 'closed';
      let retrievalCall = speculative ? searchRetrieval(AbortSignal.any([req.signal, speculation.signal])) : undefined;
      let nlu = stopwatch.measure('understand', () => deps.classifier.classify(text, messageLanguage));
      trace.set({ intent: nlu.intent, language: messageLanguage, 'intent.confidence': round(nlu.confidence) });
      const needsRetrieval = CATALOG_INTENTS.has(nlu.intent) || PASSAGE_INTENTS.has(nlu.intent);
      if (!needsRetrieval) speculation.abort();
      else retrievalCall ??= searchRetrieval(req.signal);

      // 2. Conversation context. Memory is tier 1: without it the reply could contradict the
      //    conversation, so its failure is a clear error rather than a guess. It is awaited before
      //    `start` because it also tells a retried message id, which is refused instead of answered.
      const memory = await memoryCall;
      if (!memory.ok) throw new ChatError('unavailable', 'Conversation memory is unavailable right now; please try again shortly.', { retryAfterMs: 2000 });
      if (memory.value === 'duplicate') throw new ChatError('duplicate_message');
      // Answered in the language asked for ("can you answer in Japanese from now on?", 「英語で答えて」),
      // which every answer after the request records for the next turns; else in the customer's.
      const languageAsked = languageRequest(text) ?? preferredLanguage(memory.value.history);
      const language = languageAsked ?? conversationLanguage(text, messageLanguage, memory.value.history);
      if (memory.value.answered) {
        // Stored, so acknowledged once already (or its `end` was lost on the way): the same answer again, never a second one.
        speculation.abort();
        yield* replayTurn(memory.value.answered, nlu.confidence, stopwatch, trace.traceId);
        deps.onReply?.({ intent: nlu.intent, language, customer: req.customer.kind, firstTokenMs: 0, totalMs: round(stopwatch.elapsed()), interrupted: false, outcome: 'replayed', timings: stopwatch.segments(), degraded: [], traceId: trace.traceId, handoffOpened: false });
        return;
      }
      const history = memory.value.history;
      // What the message refers to in the conversation. A follow-up the classifier could not read
      // alone gets the conversation's intent ("the second one" after a list is not out of scope,
      // "only finished ones please" after recommendations narrows them).
      const entities = stopwatch.measure('entities', () => deps.extractEntities(text, messageLanguage));
      const reference = stopwatch.measure('references', () => deps.references.resolve(text, messageLanguage, turnsOf(history), nlu.intent));
      // A question about the assistant ("who made you?") is small talk whatever series is in play;
      // a request to be answered in another language, with nothing else asked, is small talk too.
      const smallTalk = (asksAboutAssistant(text) && SMALL_TALK_OR_MISREAD.has(nlu.intent)) || (languageRequest(text) !== undefined && (nlu.intent === 'out_of_scope' || nlu.intent === 'faq'));
      if (smallTalk) nlu = { ...nlu, intent: 'chitchat' };
      else if (reference.intent && reference.intent !== nlu.intent) {
        nlu = { ...nlu, intent: reference.intent };
        trace.set({ intent: nlu.intent });
      }
      // "Anything for Slam Dunk specifically?", "any on sports manga?" right after the promotions: still promotions.
      if (continuesPromotions(text, history, nlu.intent)) {
        nlu = { ...nlu, intent: 'promotion' };
        trace.set({ intent: nlu.intent });
      }
      // Read as out of scope but asking a store topic a knowledge-base section clearly answers
      // ("I live in Germany, can you send me 18+ manga?", "what about bitcoin?"): a policy question.
      if (nlu.intent === 'out_of_scope' && policySections && asksPolicy(text, true) && policySections.rank({ text, language, context: earlierQuestions(history) }, 1).length > 0) {
        nlu = { ...nlu, intent: 'faq' };
        trace.set({ intent: nlu.intent });
      }
      // The store's 18+ rule, before any lookup: a title the customer may not see, named anywhere in
      // the message or asked about again ("why not?", "I'm 25, trust me"); "is it ok for my 12 year
      // old?"; a minor on a parent's account (a policy question, whatever adult words it uses).
      const adultNamed = deps.guardrails ? deps.guardrails.restrictedNamed(text) : { named: [], generic: [] };
      const ageTurn = deps.guardrails ? await stopwatch.time('ageGate', () => ageTurnOf(text, adultNamed.named, language, nlu.intent, reference, history, req.customer, ctx)) : undefined;
      const minorQuestion = deps.guardrails !== undefined && minorOnAccount(text);
      if ((ageTurn?.kind === 'withheld' && ageTurn.turn !== 'named') || (minorQuestion && needsRetrieval)) nlu = { ...nlu, intent: 'faq' };
      else if (ageTurn?.kind === 'suits') nlu = { ...nlu, intent: 'product_question' };
      else if (ageTurn?.kind === 'similar') nlu = { ...nlu, intent: 'recommendation' };
      yield { type: 'start', intent: nlu.intent, language, confidence: round(nlu.confidence) };
      // A reply the guardrails decide (a refusal, the card warning, the calm reply to an insult,
      // the 18+ explanation, whether a title suits a reader): fixed text in the customer's
      // language, no model; the cards, the series and what it was about kept for the next turn.
      async function* fixedReply(body: string, blocked: string | undefined, extras: { about?: TurnAbout; seriesIds?: string[]; cards?: ProductCard[] } = {}): AsyncGenerator<ReplyFrame> {
        speculation.abort();
        const receivedAt = Date.now();
        const firstTokenMs = stopwatch.elapsed();
        for (const t of splitForStreaming(body)) yield { type: 'token', text: t };
        if (req.signal.aborted) return;
        const cards = extras.cards ?? [];
        if (cards.length > 0) yield { type: 'products', items: cards };
        const about: TurnAbout = { ...(languageAsked ? { replyLanguage: languageAsked } : {}), ...extras.about };
        await storeTurn(req, [
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
      const adultOnly = inputVerdict !== undefined && !inputVerdict.ok && blockedCategory(inputVerdict) === 'adult';
      if (inputVerdict && !inputVerdict.ok && !(adultOnly && (minorQuestion || ageTurn?.kind === 'withheld'))) {
        // Blocked before any lookup or model: injection, threats, card data (never repeated), adult
        // requests (remembered as an 18+ refusal: "why not?" next is answered about it).
        const category = blockedCategory(inputVerdict);
        yield* fixedReply(inputRefusal(inputVerdict, language), category, category === 'adult' ? { about: { withheld: [] } } : {});
        return;
      }
      // A title the customer may not see, or whether a title suits a reader: answered by the
      // audience rule, never "not found" and never an unrelated card.
      if (ageTurn?.kind === 'withheld') {
        const titles = ageTurn.series.map((s) => localTitle(s, language));
        const body = withheldReply({ language, asker: req.customer, titles, turn: ageTurn.turn, claim: ageTurn.claim, aspects: ageAspects(text), saysConfirmed: saysConfirmed(text) });
        yield* fixedReply((frustrated(inputVerdict) ? acknowledgement(language) : '') + body, 'age_restricted', { about: { withheld: ageTurn.series.map((s) => s.id) }, seriesIds: ageTurn.series.map((s) => s.id) });
        return;
      }
      if (ageTurn?.kind === 'suits') {
        const answer = await suitabilityAnswer(ageTurn.series, ageTurn.reader, language, req.customer, ctx);
        yield* fixedReply(answer.text, answer.withheld ? 'age_restricted' : undefined, answer.withheld ? { about: { withheld: [ageTurn.series.id] }, seriesIds: [ageTurn.series.id] } : { about: { focus: ageTurn.series.id }, seriesIds: [ageTurn.series.id], cards: answer.cards });
        return;
      }
      // An insult is answered, not refused: a message that is nothing but one gets a calm reply
      // offering help or a person; a request that comes with one is answered after an apology.
      const upset = frustrated(inputVerdict);
      if (upset && (nlu.intent === 'chitchat' || nlu.intent === 'out_of_scope')) {
        if (deps.handoff) void deps.handoff.customerSaid(req.sessionId, text).catch(bg('handoff.customerSaid'));
        yield* fixedReply(calmReply(language), undefined);
        return;
      }
      // A customer already handed over to a human: what they say next is added to the ticket's thread.
      if (deps.handoff && nlu.intent !== 'escalation') void deps.handoff.customerSaid(req.sessionId, text).catch(bg('handoff.customerSaid'));

      // 3. Only the services this intent needs, in parallel, each under its own deadline.
      const gatherStarted = performance.now();
      const grounding: Grounding = {
        intent: nlu.intent,
        language,
        text,
        history,
        customer: req.customer,
        series: [],
        requestedVolume: reference.volume ?? entities.volume,
        ...((reference.volumes ?? entities.volumes) ? { requestedVolumes: reference.volumes ?? entities.volumes } : {}),
        passages: [],
        orders: [],
        promotions: [],
        reviews: [],
        degraded: [],
        links: { search: deps.links.search(searchQuery(nlu.intent, text, entities)), orderTracking: deps.links.orderTracking, support: deps.links.support },
      };
      const lookups: Promise<void>[] = [];
      const retrieval = needsRetrieval
        ? retrievalCall!.then((r) => {
            if (!r.ok) fellBack(grounding, 'retrieval');
            // Reranker down, slow or open: retrieval already answered with the raw vector top 3.
            else if (r.value.rerankSkipped) fellBack(grounding, 'reranker');
            return r.ok ? r.value : undefined;
          })
        : Promise.resolve(undefined);

      const ageGate: AgeGate = { withheldNamed: false, generic: new Set(adultNamed.generic) };
      // A comparison ("Naruto or Bleach?", 「AとBどっち？」) is about every series it names, in order;
      // a follow-up that names no title ("how much is volume 1?") is about the series the
      // conversation is on, whatever a title search would match. Both resolve before the rest.
      // A message that asks several things: the title lookup reads its questions about titles, not the policy beside them.
      const questions = splitQuestions(text);
      const catalogText = questions.length > 1 ? questions.filter((q) => !asksPolicy(q, true)).join(' ') || text : text;
      const compared = COMPARABLE_INTENTS.has(nlu.intent) ? await compare(grounding, text, reference, ctx, req.customer) : false;
      const followingUp = !compared && CATALOG_INTENTS.has(nlu.intent) && reference.titleFree === true && reference.seriesId !== undefined;
      if (followingUp) lookups.push(followUp(grounding, reference, ctx, req.customer, ageGate));
      // ...and one about no series in particular ("when does the next volume come out?" to start with) asks which.
      else if (!compared && CATALOG_INTENTS.has(nlu.intent) && reference.titleFree === true) grounding.askWhich = true;
      else if (!compared && CATALOG_INTENTS.has(nlu.intent)) {
        // An 18+ title this customer may see, named in the message, stands in when the title search finds nothing better.
        const namedAdult = ageTurn?.kind === 'notice' && !ageTurn.withheld ? ageTurn.series[0]?.id : undefined;
        lookups.push(findSeries(grounding, catalogText, reference.seriesId ?? namedAdult, retrieval, ctx, req.customer, ageGate));
      }
      let wish: RecommendationWish | undefined;
      if (!compared && nlu.intent === 'recommendation') {
        // "Something similar I can buy" after an 18+ title was withheld: seeded by it (never named).
        const seeded = ageTurn?.kind === 'similar' && ageTurn.series[0] ? { ...reference, seriesId: ageTurn.series[0].id, narrows: undefined } : reference;
        wish = wishFrom(entities, seeded.narrows);
        lookups.push(recommend(grounding, text, entities, wish, seeded, ctx, req.customer));
      }
      // An order question that names no order ("tracking number?") is about the order in play.
      if (nlu.intent === 'order_status') lookups.push(findOrders(grounding, reference.orderId && !entities.orderId ? { ...entities, orderId: reference.orderId } : entities, text, ctx, req.customer));
      // A policy question about the customer's own order ("did my Berserk return get refunded?",
      // "can I still cancel it?" with an order in play) is answered with that order, when it names one.
      const inPlayOrder = req.customer.kind !== 'guest' ? orderInPlay(history) : undefined;
      const ownOrder = nlu.intent === 'faq' && req.customer.kind !== 'guest' ? speaksOfOwnOrder(text, inPlayOrder !== undefined) : undefined;
      // With their orders in play, a volume of theirs named ("and the Frieren 15?", 「ワンピースの113巻も同じ注文？」)
      // is asked about as the item they ordered, not as a product.
      const orderedItem = CATALOG_INTENTS.has(nlu.intent) && inPlayOrder !== undefined;
      if (ownOrder) lookups.push(findOrders(grounding, entities, text, ctx, req.customer, { namedOnly: true, inPlay: ownOrder === 'own' ? inPlayOrder : undefined }));
      // Asking for a human opens a handoff ticket (operators are alerted); the answer says staff will reply here.
      let handoffOpened = false;
      if (nlu.intent === 'escalation' && deps.handoff) {
        const handoff = deps.handoff;
        lookups.push(
          (async () => {
            // About one of their orders (named, the one the conversation is on, or the late one
            // complained about): the ticket carries it, and the answer says it was handed over.
            if (req.customer.kind !== 'guest') await findOrders(grounding, entities, text, ctx, req.customer, { namedOnly: true, inPlay: orderInPlay(history) });
            const order = grounding.orders[0];
            const note = order ? `${text}\n[${order.id}: ${order.status}${order.estimatedDelivery ? `, estimated delivery ${order.estimatedDelivery.slice(0, 10)}` : ''}]` : text;
            const r = await callDependency(guard('handoff'), deps.deadlines.handoff, ctx, (signal) => handoff.open({ sessionId: req.sessionId, customer: req.customer, language, text: note }, { signal }));
            if (r.ok) {
              grounding.handoff = { ticketId: r.value.ticketId };
              handoffOpened = r.value.created;
              trace.set({ 'handoff.ticket': r.value.ticketId });
            } else fellBack(grounding, 'handoff');
          })(),
        );
      }
      // Tier 3 (promotions, reviews) is the first thing brownout gives up. What it gives up is
      // counted (brownout_skipped_total) and served as that dependency's fallback, as a failure is.
      const tier3 = !(deps.brownout?.skipsTier3() ?? false);
      const shed = (dependency: 'promotions' | 'reviews') => {
        deps.brownout?.skipped(dependency);
        return { ok: false as const, reason: 'shed' as const };
      };
      if (nlu.intent === 'promotion') {
        lookups.push(
          (tier3 ? callDependency(guard('promotions'), deps.deadlines.promotions, ctx, (signal) => deps.promotions.active({ signal, now: now() })) : Promise.resolve(shed('promotions'))).then((r) => {
            if (r.ok) grounding.promotions = r.value;
            else fellBack(grounding, 'promotions');
          }),
        );
        // "Any promotions on it?", 「それってキャンペーン対象？」: the series the last answer was about, when the resolver left it open.
        const lastFocus = PRONOUN.test(text) ? history.filter((m) => m.role === 'assistant').at(-1)?.seriesIds?.[0] : undefined;
        if (tier3) lookups.push(promotionSeries(grounding, text, reference.seriesId ?? lastFocus, ctx, req.customer));
      }
      if (PASSAGE_INTENTS.has(nlu.intent)) {
        lookups.push(
          retrieval.then(async (r) => {
            // Not asked of retrieval (the message read as another intent at first, then as a policy
            // question): the knowledge base's sections are ranked without its hits.
            const asked = r ?? (needsRetrieval ? undefined : { hits: [], timings: { lexicalMs: 0, vectorMs: 0, rerankMs: 0 } });
            grounding.passages = nlu.intent === 'faq' ? policyPassagesFor(asked, { text, language, context: earlierQuestions(history) }, policySections) : passagesFor(r, language);
            // A fee or points answer while a campaign changes it ("free shipping on every order until
            // Christmas"): the running store-wide promotions of that kind go with it (tier 3).
            const kinds = nlu.intent === 'faq' && grounding.passages[0] ? promotionKindsFor(grounding.passages[0].doc, text) : [];
            if (kinds.length > 0 && tier3) {
              // A points question about one series ("how many points on Frieren?"): its own campaign too, first.
              const [promos, series] = await Promise.all([
                callDependency(guard('promotions'), deps.deadlines.promotions, ctx, (signal) => deps.promotions.active({ signal, now: now() })),
                kinds.includes('points_multiplier') ? seriesSaidIn(text, ctx) : Promise.resolve(undefined),
              ]);
              const forSeries = (p: Promotion) => series !== undefined && visible(series, req.customer) && p.seriesIds.includes(series.id);
              if (promos.ok) grounding.promotions = promos.value.filter((p) => kinds.includes(p.kind) && (p.seriesIds.length === 0 || forSeries(p))).sort((a, b) => Number(forSeries(b)) - Number(forSeries(a)));
              else deps.onFallback?.('promotions');
            } else if (kinds.length > 0) {
              shed('promotions');
              deps.onFallback?.('promotions');
            }
          }),
        );
      }
      await Promise.all(lookups);
      // With their orders in play, the item asked about is the series the catalog lookup found, in the volume named.
      if (orderedItem && grounding.series.length > 0) {
        await findOrders(grounding, entities, text, ctx, req.customer, { namedOnly: true, item: { series: grounding.series.map((s) => s.series.id), volume: reference.volume ?? entities.volume, ordered: speaksOfOwnOrder(text, true) !== undefined } });
      }
      // The question was about an order of theirs it named: answered as an order question, the
      // policy read for that order's status, no product cards.
      if ((ownOrder || orderedItem) && grounding.orders.length > 0) {
        grounding.intent = 'order_status';
        grounding.passages = orderPolicy(text, grounding.orders[0], language);
        grounding.promotions = [];
        grounding.series = [];
        grounding.reviews = [];
      }
      // A message that asks several things ("how much is shipping, and how many volumes does One
      // Piece have?"): each question answered from its own section or lookup.
      if (!grounding.comparison && questions.length > 1) await otherQuestions(grounding, questions, language, history, ctx, req.customer);
      // The card gate: every series the model sees, and so every card, passes the audience rule
      // the answer text is checked by, whichever lookup put it there.
      grounding.series = grounding.series.filter((s) => visible(s.series, req.customer));
      // "The next volume", 「最終巻」: a volume by its place in the series found.
      const volumeRef = reference.volumeRef ?? entities.volumeRef;
      if (volumeRef && CATALOG_INTENTS.has(nlu.intent) && !compared) volumeAsked(grounding, volumeRef, reference.previousVolume);
      if (!grounding.requestedFormat && (reference.format ?? entities.format)) grounding.requestedFormat = reference.format ?? entities.format;
      if (grounding.requestedFormat && grounding.requestedVolume === undefined && CATALOG_INTENTS.has(nlu.intent)) formatAsked(grounding);
      // "How much for all of them?", 「全巻でいくら？」: every volume at once.
      if (entities.wholeSeries && CATALOG_INTENTS.has(nlu.intent) && grounding.requestedVolume === undefined) grounding.wholeSeries = true;
      // Tier 3 extras that depend on the series found: promotions and reviews for them.
      if (grounding.series.length > 0 && nlu.intent !== 'recommendation') {
        if (tier3) await enrich(grounding, ctx);
        else {
          // Invisible to the customer, as when they fail (see enrich), but counted.
          for (const dependency of ['reviews', 'promotions'] as const) {
            shed(dependency);
            deps.onFallback?.(dependency);
          }
        }
      }
      stopwatch.record('gather', performance.now() - gatherStarted);
      // The title the customer named is sold 18+ and they may not see it: told why and how, never "not found".
      if (ageGate.withheldNamed) {
        const series = ageGate.series ? [ageGate.series] : [];
        const body = withheldReply({ language, asker: req.customer, titles: series.map((s) => localTitle(s, language)), turn: asksWhy(text) ? 'why' : 'named', claim: ageClaim(text), aspects: ageAspects(text), saysConfirmed: saysConfirmed(text) });
        yield* fixedReply(body, 'age_restricted', { about: { withheld: series.map((s) => s.id) }, seriesIds: series.map((s) => s.id) });
        return;
      }

      // 4. Compose and stream. The turn is stored after the answer is complete and before `end`:
      //    an acknowledged turn is a stored one.
      const cards = grounding.requestedVolumes ? volumeCards(grounding, now()) : cardsFor(grounding.series, grounding.requestedVolume, now(), grounding.requestedFormat);
      for (const other of grounding.also ?? []) cards.push(...cardsFor(other.series, other.requestedVolume, now()));
      const generateStarted = performance.now();
      let firstTokenMs: number | undefined;
      let answer = '';
      const receivedAt = Date.now();
      // Every piece of text the customer is sent goes through here.
      const sent = (piece: string): ReplyFrame => {
        if (firstTokenMs === undefined) firstTokenMs = stopwatch.elapsed();
        answer += piece;
        return { type: 'token', text: piece };
      };
      // The answer is checked in chunks while it streams: first and revised if a late check
      // fails, or (high-risk intents) each chunk checked before it is sent.
      const mode = syncCheck(grounding, deps.guardrailSyncIntents) ? 'sync' : 'async';
      const check: StreamCheck | undefined = deps.guardrails
        ? createStreamCheck({
            guardrails: deps.guardrails,
            audience: audienceOf(language),
            mode,
            chunkChars: deps.guardrailChunkChars,
            onChunk: (ms, chars) => deps.onGuardrail?.({ type: 'chunk', ms, chars, mode }),
          })
        : undefined;
      let violation: Verdict | undefined;
      let interrupted = false;
      let route: RouteInfo | undefined;
      // The answer engine is tier 1 and goes through its guard up to the first token: that is
      // the part a deadline or the breaker can act on. Once tokens flow, the stream is the
      // customer's and only their leaving stops it. The engine routes and falls back between
      // models itself, so the guard does not retry it.
      // An answer that depends on nobody and nothing live may already have been given to a
      // question that means the same: replayed as a stream, without asking the engine again.
      // A request that came with an insult: the frustration is acknowledged before the answer
      // (a handoff's answer is that acknowledgement already: a person will take it from here).
      if (upset && nlu.intent !== 'escalation') yield sent(acknowledgement(language));
      // An 18+ title named beside the question answered (withheld from this customer, or not
      // shipped to them abroad): said first.
      const notice = ageTurn?.kind === 'notice' || ageTurn?.kind === 'similar' ? ageTurn.notice : undefined;
      if (notice) yield sent(notice);
      // An answer that opens with an apology for an insult is this conversation's, not one to replay.
      const anchor = deps.answerCache && !upset && !notice ? answerAnchor(grounding, reference.seriesId !== undefined || reference.volume !== undefined) : undefined;
      const cached = anchor ? await stopwatch.time('answerCache', () => deps.answerCache!.lookup(anchor, text, { signal: req.signal })) : undefined;
      if (anchor) trace.set({ 'cache.answer_hit': cached !== undefined });
      const opened = cached
        ? { ok: true as const, value: replay(cached.answer) }
        : await callDependency(guard('llm'), deps.deadlines.llm, ctx, (signal) => firstToken(grounding, signal, req.signal), { segment: 'generateFirstToken', idempotent: false });
      if (opened.ok && opened.value.first) {
        const { stream, first } = opened.value;
        route = opened.value.route;
        if (route) trace.set({ 'llm.route': route.route, 'llm.model': route.model, 'llm.reason': route.reason, 'llm.queue_ms': route.queueMs, ...(route.failedOver?.length ? { 'llm.failed_over': route.failedOver } : {}) });
        try {
          for (let chunk: AnswerChunk | undefined = first; chunk; ) {
            if (chunk.type === 'token') {
              const step = check ? check.push(chunk.text) : { send: chunk.text };
              if (step.send) yield sent(step.send);
              if (step.violation) {
                violation = step.violation;
                break;
              }
            }
            const next = await stream.next();
            chunk = next.done ? undefined : next.value;
          }
          if (check && !violation && !req.signal.aborted) {
            const step = check.finish();
            if (step.send) yield sent(step.send);
            violation = step.violation;
          }
          // A complete answer from the engine that passed every check: kept for the next question that means the same.
          if (anchor && !cached && !violation && !req.signal.aborted) {
            deps.answerCache!.remember(anchor, text, answer, { personal: [req.customer.name, req.customer.customerId].filter((x): x is string => !!x) });
          }
        } catch (error) {
          if (req.signal.aborted) return;
          // The model broke off after the first token: the customer gets a clear ending, never a silent stop.
          bg('engine.stream')(error);
          fellBack(grounding, 'llm');
          interrupted = true;
          yield sent(CUT_NOTICE[language]);
        } finally {
          opened.value.release();
          void stream.return?.(undefined)?.catch(() => undefined);
        }
        if (violation && !req.signal.aborted) {
          // What was sent is replaced: kept up to the last sentence that passed, plus a notice.
          const replacement = safeReplacement(check!.passed, violation, language);
          if (replacement.startsWith(answer)) {
            const rest = replacement.slice(answer.length);
            if (rest) yield sent(rest);
          } else {
            answer = replacement;
            yield { type: 'revise', text: replacement, reason: violation.findings[0]?.category ?? 'blocked' };
          }
        }
        if (check) deps.onGuardrail?.({ type: 'output', verdict: violation ?? { ok: true, findings: [], filtersRun: 0, ms: 0 }, revised: violation !== undefined });
      } else if (!req.signal.aborted) {
        // Answer engine down or past its deadline before the first token: a brief unavailable message (design fallback).
        if (!opened.ok) bg('engine')(opened.error ?? opened.reason);
        fellBack(grounding, 'llm');
        yield sent(BRIEF_UNAVAILABLE[language]);
      }
      // The customer left before the answer was complete: nothing is acknowledged, nothing stored
      // (a retry of this id is answered in full, not replayed half-written).
      if (req.signal.aborted) return;
      stopwatch.record('generate', performance.now() - generateStarted);

      if (cards.length > 0) yield { type: 'products', items: cards };
      await storeTurn(req, [
        { role: 'user', text, messageId: req.messageId, intent: nlu.intent, language, at: receivedAt },
        {
          role: 'assistant',
          text: answer,
          messageId: req.messageId,
          intent: nlu.intent,
          language,
          seriesIds: [...grounding.series.map((s) => s.series.id), ...(grounding.promotionFor ? [grounding.promotionFor.seriesId] : [])],
          productIds: cards.filter((c) => c.volume !== null).map((c) => c.id),
          about: {
            ...stateAfter(grounding, reference, wish),
            ...(languageAsked ? { replyLanguage: languageAsked } : {}),
            ...((ageTurn?.kind === 'notice' && ageTurn.withheld) || (ageTurn?.kind === 'similar' && ageTurn.notice) ? { withheld: ageTurn.series.map((s) => s.id) } : {}),
          },
          ...(cards.length > 0 ? { cards } : {}),
          at: Date.now(),
        },
      ], stopwatch, bg);
      const timings = { ...stopwatch.segments(), firstTokenMs: round(firstTokenMs ?? stopwatch.elapsed()), totalMs: round(stopwatch.elapsed()) };
      const degraded = [...new Set(grounding.degraded)];
      const outcome: ReplyOutcome = violation ? 'revised' : interrupted ? 'interrupted' : !opened.ok || !opened.value.first ? 'unanswered' : degraded.length > 0 ? 'degraded' : 'answered';
      trace.set({ outcome, ...(degraded.length > 0 ? { degraded } : {}) });
      deps.onReply?.({ intent: nlu.intent, language, customer: req.customer.kind, route, firstTokenMs: timings.firstTokenMs, totalMs: timings.totalMs, interrupted, outcome, timings, degraded, traceId: trace.traceId, handoffOpened });
      yield {
        type: 'end',
        timings,
        traceId: trace.traceId,
        ...(grounding.degraded.length > 0 ? { degraded } : {}),
        ...(grounding.handoff ? { handoff: grounding.handoff } : {}),
        ...(route ? { route } : {}),
        ...(violation ? { guardrail: { revised: violation.findings[0]?.category ?? 'blocked' } } : {}),
        ...(interrupted ? { interrupted: true as const } : {}),
      };
    } catch (error) {
      failure = error;
      // A refused or failed message still spent its time somewhere: operators see those segments too.
      deps.onReplyFailed?.({ timings: stopwatch.segments(), traceId: trace.traceId, error });
      throw error;
    } finally {
      trace.end(failure);
      leave?.();
      held?.release();
      inFlight.delete(key);
      attemptDone();
    }
  }

  /**
   * Stores a complete turn (question and answer, one transaction) before its `end` goes out.
   * Appends are group-committed: every turn finishing in one turn of the event loop shares one
   * commit, and each of their `end` frames waits for it. Not idempotent, so never retried: the
   * guard still applies the breaker, pool and faults. It is not cut short when the customer
   * leaves: a turn whose commit was already queued may still be stored (a retry then replays
   * it). A turn that cannot be stored is not acknowledged: the customer is told to send it
   * again, and that retry is answered anew.
   */
  async function storeTurn(req: ChatRequest, turn: StoredMessage[], stopwatch: Stopwatch, bg: (what: string) => (error: unknown) => void): Promise<void> {
    try {
      await stopwatch.time('store', () => guard('memory').call((signal) => deps.memory.append(req.sessionId, turn, { signal }), { deadlineMs: deps.deadlines.memory * 4, idempotent: false }));
    } catch (error) {
      bg('memory.append')(error);
      throw new ChatError('unavailable', 'Your message was answered but could not be saved; please send it again.', { retryAfterMs: 1000 });
    }
  }

  /** The series a catalog question is about: the one referred to, else title search plus retrieval. */
  async function findSeries(g: Grounding, text: string, referenced: string | undefined, retrieval: Promise<RetrievalResult | undefined>, ctx: CallContext, customer: Customer, ageGate: AgeGate): Promise<void> {
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
    const hits = searched.value;
    const found = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, async (signal) => {
      // A title named in this message beats a reference to an earlier one ("who wrote Vagabond,
      // is it finished?" is about Vagabond even right after talking about another series).
      const strong = hits.filter((h) => h.score >= STRONG_TITLE_SCORE);
      if (referenced && strong.length === 0) {
        const s = await deps.catalog.getSeries(referenced, { signal });
        if (s) return [s];
      }
      const named = hits.filter((h) => h.score >= NAMED_SERIES_SCORE).map((h) => h.series);
      if (wantOne && named.length > 0) return named.slice(0, 1);
      // Descriptions ("the manga about a pharmacist in the palace") reach the catalog through
      // retrieval, but only clear matches: a weak one would answer an unknown title with an
      // unrelated series instead of saying it is not found.
      // A title or author named outright is what was asked for: a description match beside it is
      // a stray word of the message (井上雄彦の漫画 asks for his works, not for a manga about manga).
      const namedOutright = hits.some((h) => h.score >= STRONG_TITLE_SCORE);
      const described = namedOutright ? [] : (r?.hits ?? []).filter((h) => h.doc.kind === 'series' && h.score >= deps.minDescribedScore).map((h) => h.doc.ref);
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
    if (namedTop && !visible(namedTop, customer) && !ageGate.generic?.has(namedTop.id)) {
      ageGate.withheldNamed = true;
      ageGate.series = namedTop;
      return;
    }
    const shown = found.value.filter((s) => visible(s, customer));
    g.series = await withProducts(g, shown, ['search'], ctx);
  }

  /**
   * Recommendations for what was asked — genres, volume limits, status, audience, "like X",
   * "not Y", "by the same author" — filtered by the engine. When nothing fits: no cards, and the
   * nearest request that does fit is named instead. When the engine is down: the trending (else
   * popular) list kept from it, filtered by the same rules (design fallback).
   */
  async function recommend(g: Grounding, text: string, entities: Entities, wish: RecommendationWish, reference: ResolvedReference, ctx: CallContext, customer: Customer): Promise<void> {
    const excludeAgeRestricted = !customer.ageConfirmed;
    // The series the request names: the one it is like and the ones ruled out.
    const [liked, ruledOut, authorsOut] = await Promise.all([
      entities.likeQuery ? namedSeries([entities.likeQuery], ctx) : Promise.resolve([]),
      entities.excludeQueries?.length ? namedSeries(entities.excludeQueries, ctx) : Promise.resolve([]),
      entities.excludeAuthorQueries?.length ? namedAuthors(entities.excludeAuthorQueries, ctx) : Promise.resolve([]),
    ]);
    if (authorsOut.length > 0) wish.excludeAuthors = [...new Set([...(wish.excludeAuthors ?? []), ...authorsOut])];
    if (liked.length > 0) wish.seedSeriesIds = liked.map((s) => s.id);
    else if (reference.seriesId && !reference.narrows) wish.seedSeriesIds = [reference.seriesId];
    else if (!reference.narrows && wish.seedSeriesIds.length === 0 && !constrained(wish)) {
      // "Recommend something for a One Piece fan": a title named without "like", when it is a clear match.
      const query = titleQuery(text);
      const hits = query ? await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(query, { signal, limit: 1 })) : undefined;
      if (hits?.ok && hits.value[0] && hits.value[0].score >= STRONG_TITLE_SCORE) wish.seedSeriesIds = [hits.value[0].series.id];
    }
    if (reference.via === 'same-author') wish.sameAuthor = true;
    for (const s of ruledOut) if (!wish.excludeSeriesIds.includes(s.id) && !wish.seedSeriesIds.includes(s.id)) wish.excludeSeriesIds.push(s.id);
    // Topics ruled out that no tag says ("sports, but no basketball or volleyball"): more are asked
    // for, and those about the topics left out.
    const topics = entities.excludeTopics ? topicMatcher(entities.excludeTopics) : undefined;

    const recs = await callDependency(guard('recommendations'), deps.deadlines.recommendations, ctx, (signal) =>
      deps.recommendations.recommend(queryOf(wish, excludeAgeRestricted, topics ? RECOMMENDED * 4 : RECOMMENDED), { signal }),
    );
    // Engine down: the trending (else popular) list kept from it while it was up, with the request's rules applied here.
    const picked: Recommendation[] = recs.ok ? recs.value : deps.fallbackLists.pick(40, excludeAgeRestricted);
    if (!recs.ok) fellBack(g, 'recommendations');
    const nearest = recs.ok && picked.length === 0 ? await nearestFit(wish, excludeAgeRestricted, ctx) : undefined;
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
    let chosen = picked.map((r) => byId.get(r.seriesId)).filter((s): s is Series => s !== undefined && canSee(s, customer));
    if (!recs.ok) chosen = chosen.filter((s) => fits(s, wish, maxVolumes, excludeAgeRestricted));
    if (topics) chosen = chosen.filter((s) => !aboutTopic(s, topics));
    chosen = chosen.slice(0, RECOMMENDED);
    const reasons = new Map(picked.map((r) => [r.seriesId, r.reasons]));
    g.series = (await withProducts(g, chosen, [], ctx)).map((s) => ({ ...s, reasons: reasons.get(s.series.id) ?? [] }));
    const ask: RecommendationAsk = {
      genres: wish.genres,
      themes: wish.themes,
      ...(wish.demographic ? { demographic: wish.demographic } : {}),
      ...(maxVolumes !== undefined ? { maxVolumes } : {}),
      ...(wish.minVolumes !== undefined ? { minVolumes: wish.minVolumes } : {}),
      ...(wish.excludeAuthors?.length ? { excludedAuthors: wish.excludeAuthors } : {}),
      ...(wish.status ? { status: wish.status } : {}),
      ...(wish.audience ? { audience: wish.audience } : {}),
      // A series liked that the customer may not see (an 18+ title withheld a turn ago) still seeds
      // the picks, but is not named to them: the gate keeps it out of the answer and the grounding.
      like: like.filter((s) => canSee(s, customer)),
      ...(wish.sameAuthor ? { sameAuthor: true } : {}),
      ...(wish.shorter ? { shorter: true } : {}),
      excluded: wish.excludeSeriesIds.map((id) => byId.get(id)).filter((s): s is Series => s !== undefined),
      excludedTags: wish.excludeTags,
      ...(chosen.length === 0 && (recs.ok || constrained(wish)) ? { nothingFits: true } : {}),
      ...(nearest ? { nearest: { without: nearest.without, series: nearest.ids.map((id) => byId.get(id)).filter((s): s is Series => s !== undefined && canSee(s, customer)) } } : {}),
    };
    g.recommendation = ask;
  }

  /** Nothing fits the request: the nearest one that does, leaving out one constraint (a few series, named, not carded). */
  async function nearestFit(wish: RecommendationWish, excludeAgeRestricted: boolean, ctx: CallContext): Promise<{ without: Relaxation; ids: string[] } | undefined> {
    for (const r of relaxations(wish)) {
      const recs = await callDependency(guard('recommendations'), deps.deadlines.recommendations, ctx, (signal) => deps.recommendations.recommend(queryOf(r.wish, excludeAgeRestricted, 3), { signal }));
      if (!recs.ok) return undefined;
      if (recs.value.length > 0) return { without: r.without, ids: recs.value.map((x) => x.seriesId) };
    }
    return undefined;
  }

  /** The series each phrase names, when it clearly names one ("berserk" in "like Berserk but shorter"). */
  async function namedSeries(phrases: string[], ctx: CallContext): Promise<Series[]> {
    const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) =>
      Promise.all(phrases.map((p) => deps.catalog.searchSeries(titleQuery(p) || p, { signal, limit: 1 }))),
    );
    if (!r.ok) return [];
    return r.value.flatMap((hits) => (hits[0] && hits[0].score >= COMPARED_TITLE_SCORE ? [hits[0].series] : []));
  }

  /** The authors each phrase names ("ai yazawa" in "not by Ai Yazawa"), as the catalog writes them. */
  async function namedAuthors(phrases: string[], ctx: CallContext): Promise<string[]> {
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

  /**
   * A comparison: every series the message names, in order ("compare One Piece, Naruto and
   * Bleach"), or those compared last ("which one is longer?"). False when fewer than two are
   * found: the message is then answered as the usual question about one series.
   */
  async function compare(g: Grounding, text: string, reference: ResolvedReference, ctx: CallContext, customer: Customer): Promise<boolean> {
    let ids: string[];
    let missing: string[] = [];
    if (reference.comparing && reference.seriesIds) ids = reference.seriesIds;
    else {
      const parts = comparisonParts(text);
      if (!parts) return false;
      const found = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => seriesNamedIn(parts, signal));
      if (!found.ok) return false;
      ids = found.value.ids;
      missing = found.value.missing;
    }
    // One of them found, the rest not in the catalog ("Naruto or Quantum Samurai Bakery?"): said so, with the one found.
    if (ids.length < 2 && !(ids.length === 1 && missing.length > 0)) return false;
    const series = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeriesMany(ids, { signal }));
    if (!series.ok) return false;
    const shown = series.value.filter((s) => canSee(s, customer));
    if (shown.length === 0 || (shown.length < 2 && missing.length === 0)) return false;
    g.series = await withProducts(g, shown, [], ctx);
    g.comparison = { aspects: comparisonAspects(text), ...(missing.length > 0 ? { missing } : {}) };
    return true;
  }

  /** The series each part of a comparison names, in order; a part naming none is tried joined to the next ("Spice" + " and " + "Wolf"). */
  async function seriesNamedIn(parts: ComparisonPart[], signal: AbortSignal): Promise<{ ids: string[]; missing: string[] }> {
    const best = async (phrase: string): Promise<string | undefined> => {
      const hits = await deps.catalog.searchSeries(titleQuery(phrase) || phrase, { signal, limit: 1 });
      return hits[0] && hits[0].score >= COMPARED_TITLE_SCORE ? hits[0].series.id : undefined;
    };
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
    const ids: string[] = [];
    const missing: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      let id = single[i];
      if (!id && i + 1 < parts.length) {
        // Joined, the two name one title ("spice" + " and " + "wolf") — unless that is just the next part's own match.
        const joined = await best(`${parts[i].text}${parts[i].joiner}${parts[i + 1].text}`);
        if (joined && joined !== single[i + 1]) {
          id = joined;
          i++;
        }
      }
      if (id && !ids.includes(id)) ids.push(id);
      else if (!id) missing.push(parts[i].text);
    }
    return { ids, missing };
  }

  /** A follow-up that names no title: about the series the conversation is on, never a new title search. */
  async function followUp(g: Grounding, reference: ResolvedReference, ctx: CallContext, customer: Customer, ageGate: AgeGate): Promise<void> {
    const ids = reference.seriesIds ?? (reference.seriesId ? [reference.seriesId] : []);
    const found = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeriesMany(ids, { signal }));
    if (!found.ok) {
      fellBack(g, 'catalog');
      return;
    }
    const shown = found.value.filter((s) => canSee(s, customer));
    // "How much is volume 1?" after an 18+ title was withheld: withheld again, not "not found".
    if (shown.length === 0 && found.value.length > 0) {
      ageGate.withheldNamed = true;
      ageGate.series = found.value[0];
      return;
    }
    g.series = await withProducts(g, shown, [], ctx);
    // "The shorter one" after a comparison: the one series the facts pick.
    if (reference.pick && g.series.length > 1) g.series = [picked(g.series, reference.pick, storeDate(now()))];
  }

  /**
   * "The next volume" and 「最終巻」 resolved against the products of the series found: the next
   * one after the volume the conversation was on (else after the latest released), or none —
   * a finished series has no next volume, a running one may not have it announced yet.
   */
  function volumeAsked(g: Grounding, ref: 'next' | 'last', previous: number | undefined): void {
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

  /** A format asked for without a volume ("鬼滅の刃のBOXセットはいくら？"): its first volume in that format, the latest one for digital. */
  function formatAsked(g: Grounding): void {
    const top = g.series[0];
    const inFormat = top?.products.filter((p) => p.format === g.requestedFormat) ?? [];
    if (inFormat.length === 0) return;
    const today = storeDate(now());
    g.requestedVolume = g.requestedFormat === 'digital' ? latestVolume(inFormat, today) : Math.min(...inFormat.map((p) => p.volume));
    // 「ハイキューのBOXセットはありますか」: every box set of the series, each by its number.
    const boxes = g.requestedFormat === 'box_set' ? [...new Set(inFormat.map((p) => p.volume))].sort((a, b) => a - b) : [];
    if (boxes.length > 1 && boxes.length <= 10) g.requestedVolumes = boxes;
  }

  /** The card gate for the lookups above: the rule every card passes. */
  function canSee(series: Series, customer: Customer): boolean {
    return visible(series, customer);
  }

  /** What the 18+ rule makes of a message before any lookup (AgeTurn); undefined: the usual answer. */
  async function ageTurnOf(text: string, namedIds: string[], language: Language, intent: Intent, reference: ResolvedReference, history: StoredMessage[], customer: Customer, ctx: CallContext): Promise<AgeTurn | undefined> {
    const allowed = ageAllowed({ kind: customer.kind, ageConfirmed: customer.ageConfirmed });
    const suits = requestsTitles(text) ? undefined : suitabilityQuestion(text);
    const aspects = ageAspects(text);
    const claim = ageClaim(text);
    const named = namedIds.length > 0 ? await seriesByIds(namedIds, ctx) : [];
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
      return { kind: 'withheld', series: named, turn: 'named', claim };
    }
    // The answer before withheld an 18+ title (or refused an adult request): "why not?", "I'm 25,
    // trust me", 「大人です」 are about that refusal — explained, never complied with, never a ticket
    // (unless a person is asked for).
    const withheld = withheldBefore(history);
    if (withheld && withheld.length > 0 && !allowed && asksSimilar(text) && !asksForPerson(text)) return { kind: 'similar', series: await seriesByIds(withheld, ctx), notice: '' };
    if (withheld && !allowed && !asksForPerson(text) && pushbackOnly(text)) {
      const turn: WithheldTurn | undefined = claim ? 'claim' : asksWhy(text) ? 'why' : insists(text) ? 'insist' : undefined;
      if (turn) return { kind: 'withheld', series: await seriesByIds(withheld, ctx), turn, claim };
    }
    if (suits) {
      const subject = await suitabilitySubject(text, reference.seriesId ?? seriesInPlay(history), ctx);
      if (subject) return { kind: 'suits', series: subject, reader: suits };
    }
    return undefined;
  }

  /** Series by id, in the order given (a catalog failure: none). */
  async function seriesByIds(ids: string[], ctx: CallContext): Promise<Series[]> {
    if (ids.length === 0) return [];
    const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeriesMany(ids, { signal }));
    if (!r.ok) return [];
    const byId = new Map(r.value.map((s) => [s.id, s]));
    return ids.map((id) => byId.get(id)).filter((s): s is Series => s !== undefined);
  }

  /**
   * The series a suitability question is about: the title it names (a sure match: a wrong one
   * would answer about a series nobody asked about), else, when it names none ("is it ok for a
   * 12 year old though?"), the one the conversation is on.
   */
  async function suitabilitySubject(text: string, inPlay: string | undefined, ctx: CallContext): Promise<Series | undefined> {
    const folded = foldName(text);
    const said = (s: Series) => namesOf(s).some((n) => foldName(n).length >= 2 && folded.includes(foldName(n)));
    for (const subject of suitabilitySubjects(text)) {
      if (!subject) return inPlay ? seriesNamed(inPlay, ctx) : undefined;
      const query = titleQuery(subject) || subject;
      const hits = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(query, { signal, limit: 3 }));
      if (!hits.ok) return undefined;
      const hit = hits.value.find((h) => h.score >= NAMED_SERIES_SCORE && (said(h.series) || h.score >= STRONG_TITLE_SCORE));
      if (hit) return hit.series;
    }
    return inPlay && /\b(?:it|this|that|these|they)\b|これ|それ|この|その/i.test(text) ? seriesNamed(inPlay, ctx) : undefined;
  }

  /**
   * Whether a title suits the reader asked about, from its catalog data (the audience rule,
   * demographic, genres, themes) — with its cards when the customer may see it, and all-ages
   * titles like it for that reader named when it does not suit them. A title the customer may
   * not see is withheld as usual, the reader answered too.
   */
  async function suitabilityAnswer(series: Series, reader: SuitabilityQuestion, language: Language, customer: Customer, ctx: CallContext): Promise<{ text: string; cards: ProductCard[]; withheld: boolean }> {
    const adult = !deps.guardrails!.mayShow(series, { language, kind: 'guest' });
    const childSafe = isChildSafe(series);
    const teenSafe = isTeenSafe(series);
    const suits = reader.audience === 'child' ? childSafe : reader.audience === 'teen' ? teenSafe : true;
    const alternatives = adult || !suits || reader.audience === 'teen' ? await alternativesFor(series, reader, language, ctx) : [];
    if (!visible(series, customer)) {
      return { text: withheldReply({ language, asker: customer, titles: [localTitle(series, language)], turn: 'named', reader, alternatives }), cards: [], withheld: true };
    }
    const facts = { title: localTitle(series, language), demographic: series.demographic, genres: series.genres, themes: series.themes ?? [], adult, childSafe, teenSafe };
    const text = suitabilityReply(language, facts, reader, alternatives);
    if (adult) return { text, cards: [], withheld: false };
    const products = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getProducts(series.id, { signal }), { segment: 'products' });
    return { text, cards: cardsFor([{ series, products: products.ok ? products.value : [], reasons: [] }], undefined, now()), withheld: false };
  }

  /** All-ages titles like `series` for the reader asked about (a teenager when none is said), as the customer reads them. */
  async function alternativesFor(series: Series, reader: SuitabilityQuestion, language: Language, ctx: CallContext): Promise<string[]> {
    const audience = reader.audience === 'child' ? 'child' : 'teen';
    const recs = await callDependency(guard('recommendations'), deps.deadlines.recommendations, ctx, (signal) =>
      deps.recommendations.recommend({ seedSeriesIds: [series.id], excludeSeriesIds: [series.id], audience, excludeAgeRestricted: true, limit: 3 }, { signal }),
    );
    if (!recs.ok) return [];
    const found = await seriesByIds(recs.value.map((r) => r.seriesId), ctx);
    return found.filter((s) => deps.guardrails!.mayShow(s, { language, kind: 'guest' })).map((s) => localTitle(s, language));
  }

  /**
   * Order data is only ever shown to its owner: guests are asked to sign in. An order number
   * wins; a series named ("the Vinland Saga order", 「ドラゴンボールの注文」) shows the orders of
   * theirs that hold it — or says none does; otherwise their latest orders.
   */
  async function findOrders(g: Grounding, entities: Entities, text: string, ctx: CallContext, customer: Customer, opts: { namedOnly?: boolean; inPlay?: string; item?: { series: string[]; volume?: number; ordered: boolean } } = {}): Promise<void> {
    const customerId = customer.customerId;
    if (opts.namedOnly && !customerId) return;
    if (customer.kind === 'guest' || !customerId) {
      g.needsSignIn = true;
      // No order to show, but the policy they asked about ("can I still cancel if it has not shipped?") is everyone's.
      const question = policySections ? orderPolicyQuestion(text) : undefined;
      if (question) g.passages = policySections!.rank({ text: question, language: g.language }, 2);
      return;
    }
    const r = await callDependency(guard('orders'), deps.deadlines.orders, ctx, async (signal) => {
      if (entities.orderId) {
        const one = await deps.orders.getForCustomer(customerId, entities.orderId, { signal });
        if (one) return { orders: [one], unknown: undefined };
        return { orders: await deps.orders.listForCustomer(customerId, { signal, limit: RECENT_ORDERS }), unknown: entities.orderId };
      }
      return { orders: await deps.orders.listForCustomer(customerId, { signal, limit: ORDER_HISTORY }), unknown: undefined };
    });
    if (!r.ok) {
      fellBack(g, 'orders');
      return;
    }
    g.unknownOrderId = r.value.unknown;
    const items = await orderItems(r.value.orders, ctx);
    if (entities.orderId) {
      g.orders = withItems(r.value.orders, items);
      if (!g.unknownOrderId && g.orders[0]) g.passages = orderPolicy(text, g.orders[0], g.language);
      return;
    }
    const mine = newestFirst(r.value.orders);
    let named = ordersNamed(text, mine, items);
    if (opts.item) {
      // An item of theirs asked about while their orders are in play (「フリーレンの15巻の方は？」): the
      // series the catalog lookup found for the message...
      named = ordersNamed(text, mine, items, opts.item.series);
      // ...only the orders holding that very volume, or any holding the series when the message speaks of an order.
      const volume = opts.item.volume;
      const holds = (o: Order) => o.lines.some((l) => { const it = items.get(l.productId); return it !== undefined && named.seriesIds.includes(it.seriesId) && it.volume === volume; });
      named = { ...named, orders: volume !== undefined ? named.orders.filter(holds) : opts.item.ordered ? named.orders : [] };
    }
    if (opts.namedOnly) {
      // Only an order the message is about: named by title, the one in play, or — for "it's late" —
      // the ones past their estimated date. Nothing else: the question stays a policy question.
      const inPlay = mine.find((o) => o.id === opts.inPlay);
      const late = saysLate(text) ? mine.filter((o) => isLate(o, storeDate(now()))) : [];
      const orders = named.orders.length > 0 ? named.orders : inPlay ? [inPlay] : late;
      if (orders.length === 0) return;
      g.orders = withItems(orders, items);
      if (named.orders.length > 0) {
        const series = named.seriesIds[0] ? await seriesNamed(named.seriesIds[0], ctx) : undefined;
        g.orderNamed = { title: series ? localTitle(series, g.language) : orderTitleQuery(text), found: true, ...(series ? { seriesId: series.id } : {}) };
      }
      return;
    }
    // Not named word for word: a fuzzy title search (typos, kana spellings) over the catalog.
    let searchedTop: Series | undefined;
    const query = named.orders.length === 0 ? orderTitleQuery(text) : '';
    if (query) {
      const hits = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(query, { signal, limit: 3 }));
      if (hits.ok) {
        const found = hits.value.filter((h) => h.score >= NAMED_SERIES_SCORE);
        named = ordersNamed(text, mine, items, found.map((h) => h.series.id));
        if (hits.value[0] && hits.value[0].score >= STRONG_TITLE_SCORE) searchedTop = hits.value[0].series;
      }
    }
    if (named.orders.length > 0) {
      g.orders = withItems(named.orders, items);
      const series = named.seriesIds[0] ? await seriesNamed(named.seriesIds[0], ctx) : undefined;
      g.orderNamed = { title: series ? localTitle(series, g.language) : orderTitleQuery(text), found: true, ...(series ? { seriesId: series.id } : {}) };
      g.passages = orderPolicy(text, g.orders[0], g.language);
      return;
    }
    g.orders = withItems(mine.slice(0, RECENT_ORDERS), items);
    // A real series they named that none of their orders holds: said so, never another order in its place.
    if (searchedTop && visible(searchedTop, customer)) g.orderNamed = { title: localTitle(searchedTop, g.language), found: false };
    else if (g.orders[0]) g.passages = orderPolicy(text, g.orders[0], g.language);
  }

  /**
   * The questions of a message that asked several, beyond the one the main answer covers: each
   * policy question from its own knowledge-base section (when the message is a policy question,
   * the first of them is the main answer's), each question about a title from a catalog lookup of
   * its own when the main answer is not about titles. A question the main answer already covers
   * (same intent, same section) is not answered twice.
   */
  async function otherQuestions(g: Grounding, questions: string[], language: Language, history: StoredMessage[], ctx: CallContext, customer: Customer): Promise<void> {
    if (!policySections) return;
    const earlier = earlierQuestions(history);
    // Sections the main answer quotes: an order answer's policy part (a policy answer's are chosen below).
    const answered = new Set(g.intent === 'order_status' ? g.passages.slice(0, 1).map((p) => p.doc.id) : []);
    let mainAnswered = g.intent !== 'faq';
    const also: Grounding[] = [];
    const base = (intent: Intent, q: string, context: string[]): Grounding => ({
      intent, language, text: q, history: g.history, customer: g.customer, series: [], passages: [], orders: [], promotions: [], reviews: [], degraded: [], links: g.links, question: { text: q, context },
    });
    for (const [i, q] of questions.entries()) {
      const context = [...questions.slice(0, i).reverse(), ...earlier];
      const intent = deps.classifier.classify(q, language).intent;
      // Covered by the main answer: the same kind of question (unless a title question asks a store topic too).
      if (intent === g.intent && intent !== 'faq' && !(CATALOG_INTENTS.has(intent) && asksPolicy(q, true))) continue;
      // Read as a title question but asking a store topic ("and how much is shipping?"): a policy question.
      if (CATALOG_INTENTS.has(intent) && !asksPolicy(q, true)) {
        if (CATALOG_INTENTS.has(g.intent) || g.intent === 'recommendation') continue;
        const sub = base(intent, q, context);
        sub.requestedVolume = deps.extractEntities(q, language).volume;
        await findSeries(sub, q, undefined, Promise.resolve(undefined), ctx, customer, { withheldNamed: false });
        if (sub.series.length > 0) also.push(sub);
        continue;
      }
      // A policy question: asked as one (the classifier says so), or a question about a store topic.
      if (intent !== 'faq' && !asksPolicy(q)) continue;
      const passages = policySections.rank({ text: q, language, context });
      const top = passages[0]?.doc.id;
      if (!top || answered.has(top)) continue;
      answered.add(top);
      if (!mainAnswered) {
        g.passages = passages;
        g.question = { text: q, context };
        mainAnswered = true;
      } else also.push({ ...base('faq', q, context), passages });
    }
    if (also.length > 0) g.also = also.slice(0, MAX_OTHER_QUESTIONS);
    // A campaign that changes one of these answers (free shipping for the shipping question) goes
    // with it; the ones found for the whole message were for its first section.
    if (g.question) g.promotions = [];
    const policies = [...(g.question ? [g] : []), ...(g.also ?? [])].filter((x) => x.intent === 'faq' && x.passages[0]);
    const kinds = (x: Grounding) => promotionKindsFor(x.passages[0].doc, x.text);
    if (policies.some((x) => kinds(x).length > 0) && !(deps.brownout?.skipsTier3() ?? false)) {
      // ...a series' own campaign too when the message asks about that series ("Frieren vol 14 price? and how many points?").
      const named = new Set([g, ...(g.also ?? [])].flatMap((x) => x.series.map((s) => s.series.id)));
      const promos = await callDependency(guard('promotions'), deps.deadlines.promotions, ctx, (signal) => deps.promotions.active({ signal, now: now() }));
      const applies = (p: Promotion) => p.seriesIds.length === 0 || p.seriesIds.some((id) => named.has(id));
      if (promos.ok) for (const x of policies) x.promotions = promos.value.filter((p) => applies(p) && kinds(x).includes(p.kind)).sort((a, b) => a.seriesIds.length === 0 ? 1 : b.seriesIds.length === 0 ? -1 : 0);
      else deps.onFallback?.('promotions');
    }
  }

  /** The policy an order question also asks about ("can I still cancel it?"), read for the order's status. */
  function orderPolicy(text: string, order: Order, language: Language): ScoredDoc[] {
    const question = policySections ? orderPolicyQuestion(text, order.status) : undefined;
    return question ? policySections!.rank({ text: question, language }, 2) : [];
  }

  /** What each line of these orders is in the catalog (series, names, volume, format); best effort: empty when the catalog fails. */
  async function orderItems(orders: Order[], ctx: CallContext): Promise<Map<string, OrderItem>> {
    const ids = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.productId)))];
    if (ids.length === 0) return new Map();
    const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, async (signal) => {
      const products = (await Promise.all(ids.map((id) => deps.catalog.getProduct(id, { signal })))).filter((p) => p !== undefined);
      const series = await deps.catalog.getSeriesMany([...new Set(products.map((p) => p.seriesId))], { signal });
      return { products, series: new Map(series.map((s) => [s.id, s])) };
    }, { segment: 'orderItems' });
    const out = new Map<string, OrderItem>();
    if (!r.ok) return out;
    for (const p of r.value.products) {
      const s = r.value.series.get(p.seriesId);
      if (!s) continue;
      const names = [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])].filter((n): n is string => !!n);
      out.set(p.id, { seriesId: s.id, volume: p.volume, format: p.format, names, titleJa: s.titleJa });
    }
    return out;
  }

  async function seriesNamed(id: string, ctx: CallContext): Promise<Series | undefined> {
    const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeries(id, { signal }));
    return r.ok ? r.value : undefined;
  }

  /**
   * The series a promotion question is about ("any deals on Slam Dunk?", "any promotions on it?"
   * after Haikyuu): named in the message, else the one the conversation is on. Only a sure match:
   * a wrong one would answer "no promotion for it" about a series nobody asked about.
   */
  async function promotionSeries(g: Grounding, text: string, referenced: string | undefined, ctx: CallContext, customer: Customer): Promise<void> {
    const query = promotionTitleQuery(text);
    let series: Series | undefined;
    if (query) series = await seriesSaidIn(text, ctx);
    // No title found in the message: the one it refers to.
    if (!series && referenced) {
      const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeries(referenced, { signal }));
      if (r.ok) series = r.value;
    }
    // The card gate's rule: a promotion answer names the series, so an 18+ one (spin-offs too) only for those who may see it.
    if (series && visible(series, customer)) g.promotionFor = { seriesId: series.id, title: localTitle(series, g.language) };
  }

  /** The series a promotion or points question names, when the match is sure (its name is in the message, or a near-exact title match). */
  async function seriesSaidIn(text: string, ctx: CallContext): Promise<Series | undefined> {
    const folded = foldName(text);
    // A name as customers shorten it: the head before a subtitle ("Frieren"), the last part of a
    // Japanese title after の (フリーレン of 葬送のフリーレン).
    const shortNames = (n: string) => [n, n.split(/\s*[:：]\s*|\s+-\s+/)[0], ...n.split('の').slice(1).filter((p) => [...p].length >= 3)];
    const said = (s: Series) => [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])].some((n) => n && shortNames(n).some((x) => foldName(x).length >= 2 && folded.includes(foldName(x))));
    // The promotion words dropped, else the title as a title question reads it (「フリーレン買ったらポイントどれくらい付く？」).
    for (const query of [...new Set([promotionTitleQuery(text), titleQuery(text)])].filter(Boolean)) {
      const hits = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(query, { signal, limit: 3 }));
      // A name written out in the message is the series even when the rest of the sentence lowers the match.
      const found = hits.ok ? hits.value.find((h) => (h.score >= SAID_TITLE_SCORE && said(h.series)) || h.score >= SURE_TITLE_SCORE)?.series : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** Live prices and stock of the series found (prices are never cached). */
  async function withProducts(g: Grounding, series: Series[], reasons: string[], ctx: CallContext): Promise<SeriesWithProducts[]> {
    if (series.length === 0) return [];
    const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => Promise.all(series.map((s) => deps.catalog.getProducts(s.id, { signal }))), { segment: 'products' });
    // Series without live prices: shown without volumes (a price is never guessed), reported.
    if (!r.ok) fellBack(g, 'catalog');
    return series.map((s, i) => ({ series: s, products: r.ok ? r.value[i] : [], reasons }));
  }

  /** Tier 3: reviews and promotions of the series found. Their failure changes nothing visible. */
  async function enrich(g: Grounding, ctx: CallContext): Promise<void> {
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

  /**
   * Opens the answer stream and waits for its first token. The stream gets its own signal: the
   * attempt's signal (deadline) may cancel it only until the first token is in; after that the
   * customer's signal alone decides.
   */
  async function firstToken(g: Grounding, attempt: AbortSignal, customer: AbortSignal): Promise<Opening> {
    const ctl = new AbortController();
    const cancel = () => ctl.abort(attempt.reason);
    const leave = () => ctl.abort(customer.reason);
    attempt.addEventListener('abort', cancel, { once: true });
    // The customer's signal may be a whole connection's: the listener goes when this answer ends.
    customer.addEventListener('abort', leave, { once: true });
    const release = () => customer.removeEventListener('abort', leave);
    const stream = deps.engine.stream(g, { signal: ctl.signal })[Symbol.asyncIterator]();
    let route: RouteInfo | undefined;
    try {
      for (;;) {
        const next = await stream.next();
        if (next.done) {
          release();
          return { stream, release, route };
        }
        if (next.value.type === 'route') {
          const { type: _, ...info } = next.value;
          route = info;
        }
        if (next.value.type !== 'token') continue;
        // Too late: the guard has already given up on this attempt, nobody will read this stream.
        if (attempt.aborted) throw attempt.reason;
        return { stream, first: next.value, release, route };
      }
    } catch (error) {
      release();
      ctl.abort(error);
      void stream.return?.(undefined)?.catch(() => undefined);
      throw error;
    } finally {
      attempt.removeEventListener('abort', cancel);
    }
  }

  return { reply, understand, validate };
}

/**
 * Where an answer may be cached, or undefined when it may not: only store-policy answers
 * (grounded on one knowledge-base topic) and general answers about one series, and only when
 * nothing in them depends on who asks or on live data — no earlier turn resolved the question,
 * no volume asked about (price and stock territory), no age-restricted title, nothing degraded
 * (a fallback answer is not the answer). Promotions the answer saw become part of its key.
 */
export function answerAnchor(g: Grounding, usedHistory: boolean): AnswerAnchor | undefined {
  if (g.degraded.length > 0 || g.orders.length > 0 || g.needsSignIn) return undefined;
  if (g.intent === 'faq') {
    // Keyed by the section answered, not its page: "how much is shipping?" and "shipping to the
    // US?" are close questions with different answers. A follow-up that leans on the question
    // before it ("and for Prime?") is this conversation's answer, not one to replay.
    if (isElliptical(g.text) && g.history.some((m) => m.role === 'user')) return undefined;
    // A campaign running now is part of this answer, and ends: not one to replay. Nor is an
    // answer to the customer's own figures ("I'm buying ¥1,200"): ¥3,000 reads the same to the
    // cache's embedder and has another answer.
    if (g.promotions.length > 0 || amountIn(g.text) !== undefined) return undefined;
    // Nor one read in the topic the conversation is on ("cash on delivery?" while preordering), nor
    // the answer to a message that asked several things.
    if (topicInPlay(g.text, earlierQuestions(g.history)).length > 0 || g.question || g.also) return undefined;
    const topic = g.passages[0]?.doc.id;
    return topic ? { kind: 'faq', language: g.language, topic, audience: g.customer.kind } : undefined;
  }
  if (g.intent === 'product_question') {
    if (usedHistory || g.requestedVolume !== undefined || g.series.length !== 1) return undefined;
    const series = g.series[0].series;
    return series.ageRestricted ? undefined : { kind: 'pq', language: g.language, seriesId: series.id, promotions: g.promotions.map((p) => p.id), audience: g.customer.kind };
  }
  return undefined;
}

/** The stored question and answer of message `messageId`, when both are still in the window. */
export function storedTurn(history: StoredMessage[], messageId: string): { user: StoredMessage; assistant: StoredMessage } | undefined {
  const user = history.find((m) => m.role === 'user' && m.messageId === messageId);
  const assistant = history.find((m) => m.role === 'assistant' && m.messageId === messageId);
  return user && assistant ? { user, assistant } : undefined;
}

/** A stored turn sent again as the frames of a reply, its `end` marked `replayed`. */
function* replayTurn(turn: { user: StoredMessage; assistant: StoredMessage }, confidence: number, stopwatch: Stopwatch, traceId: string): Generator<ReplyFrame> {
  const language: Language = turn.assistant.language ?? turn.user.language ?? 'en';
  yield { type: 'start', intent: (turn.user.intent ?? 'chitchat') as Intent, language, confidence: round(confidence) };
  const firstTokenMs = stopwatch.elapsed();
  for (const piece of splitForStreaming(turn.assistant.text)) yield { type: 'token', text: piece };
  if (turn.assistant.cards && turn.assistant.cards.length > 0) yield { type: 'products', items: turn.assistant.cards };
  yield { type: 'end', timings: { ...stopwatch.segments(), firstTokenMs: round(firstTokenMs), totalMs: round(stopwatch.elapsed()) }, traceId, replayed: true };
}

/** Resolves when `p` settles or `signal` aborts, whichever comes first (never rejects). */
function untilSettledOrAborted(p: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    p.then(done, done);
  });
}

/** An answer stream whose first token is in (or that ended without one). */
interface Opening {
  stream: AsyncIterator<AnswerChunk>;
  first?: AnswerChunk;
  release: () => void;
  route?: RouteInfo;
}

/** The brief message when no answer can be written (design fallback for the answer engine). */
const BRIEF_UNAVAILABLE: Record<Language, string> = {
  ja: '申し訳ございません。ただいま回答を作成できません。少し時間をおいてもう一度お試しください。',
  en: "Sorry, I can't put an answer together right now. Please try again in a moment.",
};

/** Appended when the model's stream breaks after the first token: the customer knows the answer is incomplete. */
const CUT_NOTICE: Record<Language, string> = {
  ja: '\n\n（申し訳ございません。回答が途中で途切れました。もう一度お試しください。）',
  en: '\n\n(Sorry, this answer was cut off. Please ask again.)',
};

/** Payment topics are high risk like orders: their answers are checked before they are sent. */
const PAYMENT_TOPIC = /payment|支払/i;

/** True when the answer is checked chunk by chunk before it is sent (orders, payments). */
function syncCheck(g: Grounding, syncIntents: ReadonlySet<Intent> | undefined): boolean {
  if (syncIntents?.has(g.intent)) return true;
  const topic = g.passages[0]?.doc;
  return g.intent === 'faq' && topic !== undefined && (PAYMENT_TOPIC.test(topic.ref) || PAYMENT_TOPIC.test(topic.title));
}

/** A cached answer as a stream of the same tokens the engine would send. */
function replay(answer: string): Opening {
  const tokens = splitForStreaming(answer);
  let i = 1;
  const stream: AsyncIterator<AnswerChunk> = {
    next: async () => (i < tokens.length ? { done: false, value: { type: 'token', text: tokens[i++] } } : { done: true, value: undefined }),
  };
  return { stream, first: tokens.length > 0 ? { type: 'token', text: tokens[0] } : undefined, release: () => {} };
}

/** Set by the catalog lookup when the series the customer named is one they may not see (18+). */
interface AgeGate {
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
type AgeTurn =
  | { kind: 'withheld'; series: Series[]; turn: WithheldTurn; claim?: AgeClaim }
  | { kind: 'notice'; series: Series[]; notice: string; withheld: boolean }
  | { kind: 'suits'; series: Series; reader: SuitabilityQuestion }
  /** "Something like <18+ title>", or "something similar I can buy" after it was withheld: all-ages picks seeded by it (after a notice when it is named). */
  | { kind: 'similar'; series: Series[]; notice: string };

/**
 * What the last answers withheld, when the last one was an 18+ refusal: the series of that run of
 * refusals ("do you have Prison School?", "any other lewd manga then?", "ok, something similar I
 * can buy?" is still about Prison School); undefined when the last answer was no refusal.
 */
function withheldBefore(history: StoredMessage[]): string[] | undefined {
  let out: string[] | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i];
    if (m.role !== 'assistant') continue;
    if (!m.about?.withheld) break;
    out = [...(out ?? []), ...m.about.withheld.filter((id) => !out?.includes(id))];
  }
  return out;
}

/** The one series the last answer with series was about ("is it ok for a 12 year old?" after a price), if there was one. */
function seriesInPlay(history: StoredMessage[]): string | undefined {
  const last = history.findLast((m) => m.role === 'assistant' && ((m.seriesIds?.length ?? 0) > 0 || m.about?.focus));
  return last?.about?.focus ?? (last?.seriesIds?.length === 1 ? last.seriesIds[0] : undefined);
}

/** Intents answered without the title named (a policy, promotions, orders, a person): a withheld title is a notice before that answer. */
const NOTICE_INTENTS = new Set<Intent>(['faq', 'promotion', 'order_status', 'escalation']);

/**
 * Knowledge-base passages, the customer's language first, grouped by topic: the topic most of
 * the top hits agree on comes first. One stray section that mentions "returns" inside the
 * preorder policy must not outrank the returns policy whose sections fill the rest of the list.
 */
export function passagesFor(r: RetrievalResult | undefined, language: Language): ScoredDoc[] {
  const kb = (r?.hits ?? []).filter((h) => h.doc.kind === 'kb');
  const mine = kb.filter((h) => h.doc.language === language);
  const pool = mine.length > 0 ? mine : kb;
  const byTopic = new Map<string, ScoredDoc[]>();
  for (const h of pool) byTopic.set(h.doc.ref, [...(byTopic.get(h.doc.ref) ?? []), h]);
  const weight = (hits: ScoredDoc[]) => hits.slice(0, 3).reduce((sum, h) => sum + h.score, 0);
  const topics = [...byTopic.values()].sort((a, b) => weight(b) - weight(a));
  return topics.flat().slice(0, 5);
}

/**
 * The knowledge-base sections for a policy question, the one that answers it first (the local
 * engine quotes it; a model is told to answer from it first). Ranked over the whole knowledge base
 * when it is known, with retrieval's hits as a nudge; else over the hits alone. Nothing when
 * retrieval failed: the answer then comes from built-in knowledge, honestly labelled.
 */
export function policyPassagesFor(r: RetrievalResult | undefined, q: { text: string; language: Language; context: string[] }, sections?: PolicySections): ScoredDoc[] {
  if (!r) return [];
  const retrieved = r.hits.filter((h) => h.doc.kind === 'kb');
  const ranker = sections ?? createPolicySections(retrieved.map((h) => h.doc));
  const ranked = ranker.rank({ text: q.text, language: q.language, context: q.context, retrieved });
  // Over the whole knowledge base, nothing ranked means no section answers: said so, never a stray hit.
  return ranked.length > 0 || sections ? ranked : passagesFor(r, q.language);
}

/**
 * What the store's search page is asked for in a fallback link: the title asked about, or for a
 * recommendation the genres and themes asked for ("recommend me some manga" must not search "some").
 */
function searchQuery(intent: Intent, text: string, entities: Entities): string {
  if (intent === 'recommendation') return [...entities.genres, ...entities.themes, ...(entities.demographic ? [entities.demographic] : [])].join(' ');
  return titleQuery(text) || text;
}

/** The cards of several volumes asked at once: each volume the store sells, in the format asked (else print). */
function volumeCards(g: Grounding, now: Date): ReturnType<typeof cardsFor> {
  const top = g.series[0];
  if (!top) return [];
  const today = now.toISOString().slice(0, 10);
  const order = [g.requestedFormat, 'tankobon', 'kanzenban', 'digital'];
  // Box sets only when asked for: box set 2 is no edition of volume 2.
  const edition = top.products.filter((x) => (x.format === 'box_set') === (g.requestedFormat === 'box_set'));
  return (g.requestedVolumes ?? []).flatMap((v) => {
    const p = edition.filter((x) => x.volume === v).sort((a, b) => order.indexOf(a.format) - order.indexOf(b.format))[0];
    return p ? [productCard(top.series, p, today)] : [];
  });
}

/** Memory turns as the reference resolver sees them. */
function turnsOf(history: StoredMessage[]): TurnContext[] {
  return history.map((m) => ({ role: m.role, text: m.text, seriesIds: m.seriesIds, productIds: m.productIds, about: m.about }));
}

/** Order lines with what the catalog says they are (for a Japanese customer's titles); the stored order is not changed. */
function withItems(orders: Order[], items: ReadonlyMap<string, OrderItem>): Order[] {
  return orders.map((o) => ({
    ...o,
    lines: o.lines.map((l) => {
      const item = items.get(l.productId);
      return item ? { ...l, item: { seriesId: item.seriesId, titleJa: item.titleJa, volume: item.volume, format: item.format } } : l;
    }),
  }));
}

/** A name folded for containment: width, case, spaces and punctuation dropped. */
function foldName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** A series' title as the customer reads it: the Japanese title in Japanese, else the English one. */
function localTitle(s: Series, language: Language): string {
  return language === 'ja' ? (s.titleJa ?? s.title) : (s.titleEn ?? s.title);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
