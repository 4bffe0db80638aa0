import { ChatError } from '../errors.ts';
import type { Series } from '../catalog/types.ts';
import { orderInPlay, speaksOfOwnOrder } from '../orders/order-match.ts';
import { continuesPromotions } from '../promotions/promotion-match.ts';
import type { Promotion } from '../promotions/types.ts';
import type { StoredMessage } from '../memory/types.ts';
import { amountIn, asksPolicy, createPolicySections, earlierQuestions, isElliptical, promotionKindsFor, topicInPlay } from '../retrieval/policy-sections.ts';
import { splitQuestions } from './questions.ts';
import type { Grounding } from '../llm/types.ts';
import type { Entities, Intent, IntentResult, Language, TurnContext } from '../understanding/types.ts';
import { conversationLanguage, languageRequest, preferredLanguage } from '../understanding/language.ts';
import { asksAboutAssistant } from '../understanding/small-talk.ts';
import { Stopwatch } from './stopwatch.ts';
import { callDependency, type CallContext } from './dependency-call.ts';
import type { AnswerChunk } from '../llm/types.ts';
import { cardsFor, productCard } from './product-cards.ts';
import { titleQuery } from './title-query.ts';
import type { HeldClaim } from './message-claim.ts';
import { wishFrom } from './recommendation-request.ts';
import { stateAfter } from './dialogue-state.ts';
import type { RecommendationWish, TurnAbout } from '../understanding/types.ts';
import type { ProductCard, ReplyFrame } from './protocol.ts';
import type { AnswerAnchor } from '../cache/semantic/semantic-cache.ts';
import { splitForStreaming } from '../llm/stream-text.ts';
import type { RouteInfo } from '../llm/types.ts';
import type { Audience, Verdict } from '../guardrails/types.ts';
import { createStreamCheck, type StreamCheck } from '../guardrails/stream-check.ts';
import { acknowledgement, blockedCategory, calmReply, frustrated, inputRefusal, safeReplacement } from '../guardrails/remediation.ts';
import { adultBySelf, ageAllowed } from '../guardrails/audience.ts';
import { ageAspects, ageClaim, asksWhy, minorOnAccount, saysConfirmed } from '../guardrails/age-dialogue.ts';
import { withheldReply } from '../guardrails/age-replies.ts';
import { NO_TRACE, type MessageTrace } from '../observability/tracing.ts';
import type { ChatPipeline, ChatRequest, Customer, PipelineDependency, PipelineDeps, ReplyOutcome } from './types.ts';
import { ageTurnOf, suitabilityAnswer, type AgeGate } from './grounding/age.ts';
import { COMPARABLE_INTENTS, compare } from './grounding/comparisons.ts';
import { followUp, formatAsked, volumeAsked } from './grounding/follow-ups.ts';
import { CATALOG_INTENTS, PASSAGE_INTENTS, type Lookup } from './grounding/lookup.ts';
import { findOrders, orderPolicy } from './grounding/orders.ts';
import { otherQuestions } from './grounding/other-questions.ts';
import { passagesFor, policyPassagesFor } from './grounding/policies.ts';
import { promotionSeries, seriesSaidIn } from './grounding/promotions.ts';
import { recommend } from './grounding/recommendations.ts';
import { enrich, findSeries, localTitle } from './grounding/series.ts';

export { PIPELINE_DEPENDENCIES } from './types.ts';
export type { ChatPipeline, ChatRequest, Customer, Deadlines, GuardrailEvent, PipelineDependency, PipelineDeps, ReplyEvent, ReplyOutcome } from './types.ts';
export { passagesFor, policyPassagesFor } from './grounding/policies.ts';

/** Scheduling priority by customer tier (the model pools' P0/P1/P2). */
const PRIORITY: Record<Customer['kind'], string> = { prime: 'P0', member: 'P1', guest: 'P2' };

/** Words that point back at what the last answer was about ("on it", 「それって」). */
const PRONOUN = /\b(?:it|that|this|them|these|those|that one|this one)\b|それ|その|これ|この|あれ/i;
/** Intents a question about the assistant ("are you human or AI?") may be misread as: it is small talk. */
const SMALL_TALK_OR_MISREAD = new Set<Intent>(['chitchat', 'out_of_scope', 'product_search', 'product_question', 'recommendation']);

/** Builds the pipeline over its ports. */
export function createChatPipeline(deps: PipelineDeps): ChatPipeline {
  // Messages being answered, by session and id: a retry of one waits for its end.
  const inFlight = new Map<string, Promise<void>>();
  const now = deps.now ?? (() => new Date());
  const policySections = deps.knowledgeBase ? createPolicySections(deps.knowledgeBase) : undefined;
  const guard = (name: PipelineDependency) => deps.guards.get(name);
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
  // What every lookup works with; each message adds its call context and customer.
  const lookupBase: Omit<Lookup, 'ctx' | 'customer'> = { deps, guard, fellBack, visible, now, policySections };

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
      const lk: Lookup = { ...lookupBase, ctx, customer: req.customer };
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
      const ageTurn = deps.guardrails ? await stopwatch.time('ageGate', () => ageTurnOf(lk, text, adultNamed.named, language, nlu.intent, reference, history)) : undefined;
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
        const answer = await suitabilityAnswer(lk, ageTurn.series, ageTurn.reader, language);
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
      const compared = COMPARABLE_INTENTS.has(nlu.intent) ? await compare(lk, grounding, text, reference) : false;
      const followingUp = !compared && CATALOG_INTENTS.has(nlu.intent) && reference.titleFree === true && reference.seriesId !== undefined;
      if (followingUp) lookups.push(followUp(lk, grounding, reference, ageGate));
      // ...and one about no series in particular ("when does the next volume come out?" to start with) asks which.
      else if (!compared && CATALOG_INTENTS.has(nlu.intent) && reference.titleFree === true) grounding.askWhich = true;
      else if (!compared && CATALOG_INTENTS.has(nlu.intent)) {
        // An 18+ title this customer may see, named in the message, stands in when the title search finds nothing better.
        const namedAdult = ageTurn?.kind === 'notice' && !ageTurn.withheld ? ageTurn.series[0]?.id : undefined;
        lookups.push(findSeries(lk, grounding, catalogText, reference.seriesId ?? namedAdult, retrieval, ageGate));
      }
      let wish: RecommendationWish | undefined;
      if (!compared && nlu.intent === 'recommendation') {
        // "Something similar I can buy" after an 18+ title was withheld: seeded by it (never named).
        const seeded = ageTurn?.kind === 'similar' && ageTurn.series[0] ? { ...reference, seriesId: ageTurn.series[0].id, narrows: undefined } : reference;
        wish = wishFrom(entities, seeded.narrows);
        lookups.push(recommend(lk, grounding, text, entities, wish, seeded));
      }
      // An order question that names no order ("tracking number?") is about the order in play.
      if (nlu.intent === 'order_status') lookups.push(findOrders(lk, grounding, reference.orderId && !entities.orderId ? { ...entities, orderId: reference.orderId } : entities, text));
      // A policy question about the customer's own order ("did my Berserk return get refunded?",
      // "can I still cancel it?" with an order in play) is answered with that order, when it names one.
      const inPlayOrder = req.customer.kind !== 'guest' ? orderInPlay(history) : undefined;
      const ownOrder = nlu.intent === 'faq' && req.customer.kind !== 'guest' ? speaksOfOwnOrder(text, inPlayOrder !== undefined) : undefined;
      // With their orders in play, a volume of theirs named ("and the Frieren 15?", 「ワンピースの113巻も同じ注文？」)
      // is asked about as the item they ordered, not as a product.
      const orderedItem = CATALOG_INTENTS.has(nlu.intent) && inPlayOrder !== undefined;
      if (ownOrder) lookups.push(findOrders(lk, grounding, entities, text, { namedOnly: true, inPlay: ownOrder === 'own' ? inPlayOrder : undefined }));
      // Asking for a human opens a handoff ticket (operators are alerted); the answer says staff will reply here.
      let handoffOpened = false;
      if (nlu.intent === 'escalation' && deps.handoff) {
        const handoff = deps.handoff;
        lookups.push(
          (async () => {
            // About one of their orders (named, the one the conversation is on, or the late one
            // complained about): the ticket carries it, and the answer says it was handed over.
            if (req.customer.kind !== 'guest') await findOrders(lk, grounding, entities, text, { namedOnly: true, inPlay: orderInPlay(history) });
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
        if (tier3) lookups.push(promotionSeries(lk, grounding, text, reference.seriesId ?? lastFocus));
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
                kinds.includes('points_multiplier') ? seriesSaidIn(lk, text) : Promise.resolve(undefined),
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
        await findOrders(lk, grounding, entities, text, { namedOnly: true, item: { series: grounding.series.map((s) => s.series.id), volume: reference.volume ?? entities.volume, ordered: speaksOfOwnOrder(text, true) !== undefined } });
      }
      // The question was about an order of theirs it named: answered as an order question, the
      // policy read for that order's status, no product cards.
      if ((ownOrder || orderedItem) && grounding.orders.length > 0) {
        grounding.intent = 'order_status';
        grounding.passages = orderPolicy(lk, text, grounding.orders[0], language);
        grounding.promotions = [];
        grounding.series = [];
        grounding.reviews = [];
      }
      // A message that asks several things ("how much is shipping, and how many volumes does One
      // Piece have?"): each question answered from its own section or lookup.
      if (!grounding.comparison && questions.length > 1) await otherQuestions(lk, grounding, questions, language, history);
      // The card gate: every series the model sees, and so every card, passes the audience rule
      // the answer text is checked by, whichever lookup put it there.
      grounding.series = grounding.series.filter((s) => visible(s.series, req.customer));
      // "The next volume", 「最終巻」: a volume by its place in the series found.
      const volumeRef = reference.volumeRef ?? entities.volumeRef;
      if (volumeRef && CATALOG_INTENTS.has(nlu.intent) && !compared) volumeAsked(lk, grounding, volumeRef, reference.previousVolume);
      if (!grounding.requestedFormat && (reference.format ?? entities.format)) grounding.requestedFormat = reference.format ?? entities.format;
      if (grounding.requestedFormat && grounding.requestedVolume === undefined && CATALOG_INTENTS.has(nlu.intent)) formatAsked(lk, grounding);
      // "How much for all of them?", 「全巻でいくら？」: every volume at once.
      if (entities.wholeSeries && CATALOG_INTENTS.has(nlu.intent) && grounding.requestedVolume === undefined) grounding.wholeSeries = true;
      // Tier 3 extras that depend on the series found: promotions and reviews for them.
      if (grounding.series.length > 0 && nlu.intent !== 'recommendation') {
        if (tier3) await enrich(lk, grounding);
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

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
