// The chat pipeline: one customer message in, the frames of its reply out. `reply` below is the
// whole request path, top to bottom, as named steps:
//
//   admit the id → understand (language, input guardrail, intent; memory and retrieval at once)
//   → replay a stored turn → read the message in its conversation → `start` → a reply the
//   guardrails decide → gather the grounding → answer (cache or engine, checked as it streams)
//   → store the turn → `end`.
//
// Each step lives in its own file: understand.ts, replay.ts, fixed-reply.ts, grounding/gather.ts
// (with one file per lookup capability in grounding/), answer.ts.
import { ChatError } from '../errors.ts';
import type { Series } from '../catalog/types.ts';
import type { Audience } from '../guardrails/types.ts';
import { adultBySelf, ageAllowed } from '../guardrails/audience.ts';
import { calmReply, frustrated } from '../guardrails/remediation.ts';
import type { Grounding } from '../llm/types.ts';
import type { StoredMessage } from '../memory/types.ts';
import { NO_TRACE, type MessageTrace } from '../observability/tracing.ts';
import { createPolicySections } from '../retrieval/policy-sections.ts';
import type { IntentResult, RecommendationWish } from '../understanding/types.ts';
import { conversationLanguage, languageRequest, preferredLanguage } from '../understanding/language.ts';
import { streamAnswer, type Answered } from './answer.ts';
import type { CallContext } from './dependency-call.ts';
import { stateAfter } from './dialogue-state.ts';
import { fixedReply, guardrailReply, withheldNamedReply, type Answering } from './fixed-reply.ts';
import { gather } from './grounding/gather.ts';
import type { Lookup } from './grounding/lookup.ts';
import { cardsFor, volumeCards } from './product-cards.ts';
import type { ProductCard, ReplyFrame } from './protocol.ts';
import { Attempts, replayTurn, storeTurn } from './replay.ts';
import { Stopwatch, round } from './stopwatch.ts';
import type { ChatPipeline, ChatRequest, Customer, PipelineDeps, ReplyOutcome } from './types.ts';
import { hear, inContext, type Understood } from './understand.ts';

export { PIPELINE_DEPENDENCIES } from './types.ts';
export type { ChatPipeline, ChatRequest, Customer, Deadlines, GuardrailEvent, PipelineDependency, PipelineDeps, ReplyEvent, ReplyOutcome } from './types.ts';
export { answerAnchor } from './answer.ts';
export { passagesFor, policyPassagesFor } from './grounding/policies.ts';
export { storedTurn } from './replay.ts';

/** Scheduling priority by customer tier (the model pools' P0/P1/P2). */
const PRIORITY: Record<Customer['kind'], string> = { prime: 'P0', member: 'P1', guest: 'P2' };

/** Builds the pipeline over its ports. */
export function createChatPipeline(deps: PipelineDeps): ChatPipeline {
  const attempts = new Attempts();
  const now = deps.now ?? (() => new Date());
  const policySections = deps.knowledgeBase ? createPolicySections(deps.knowledgeBase) : undefined;
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
  const lookupBase: Omit<Lookup, 'ctx' | 'customer'> = { deps, guard: (name) => deps.guards.get(name), fellBack, visible, now, policySections };

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
    // Admit the id: a retry waits for the attempt at it still in flight (here, or across processes by its claim).
    const attempt = await attempts.admit(req, deps.claimer);
    const leave = deps.brownout?.enter();
    // One trace per message: its segments are the stopwatch's, its id goes out in the `end` frame.
    const trace: MessageTrace = deps.tracing?.startMessage({ 'session.id': req.sessionId, 'message.id': req.messageId, 'customer.kind': req.customer.kind, priority: PRIORITY[req.customer.kind] }) ?? NO_TRACE;
    const bg = (what: string) => (error: unknown) => deps.onBackgroundError?.(what, error, trace.traceId);
    let failure: unknown;
    const stopwatch = new Stopwatch(undefined, trace);
    try {
      const ctx: CallContext = { signal: req.signal, stopwatch, budgetMs: deps.deadlines.budget };
      const lk: Lookup = { ...lookupBase, ctx, customer: req.customer };
      if (attempt.held) stopwatch.record('claim', attempt.claimMs);

      // 1. Understand the message on its own; memory and (speculatively) retrieval start at once.
      const heard = hear(lk, req, raw, attempt.held, trace);

      // 2. Conversation context. Memory is tier 1: without it the reply could contradict the
      //    conversation, so its failure is a clear error rather than a guess. It is awaited before
      //    `start` because it also tells a retried message id, which is refused instead of answered.
      const memory = await heard.memory;
      if (!memory.ok) throw new ChatError('unavailable', 'Conversation memory is unavailable right now; please try again shortly.', { retryAfterMs: 2000 });
      if (memory.value === 'duplicate') throw new ChatError('duplicate_message');
      // Answered in the language asked for ("can you answer in Japanese from now on?", 「英語で答えて」),
      // which every answer after the request records for the next turns; else in the customer's.
      const languageAsked = languageRequest(heard.text) ?? preferredLanguage(memory.value.history);
      const language = languageAsked ?? conversationLanguage(heard.text, heard.messageLanguage, memory.value.history);
      if (memory.value.answered) {
        // Stored, so acknowledged once already (or its `end` was lost on the way): the same answer again, never a second one.
        heard.speculation.abort();
        yield* replayTurn(memory.value.answered, heard.nlu.confidence, stopwatch, trace.traceId);
        deps.onReply?.({ intent: heard.nlu.intent, language, customer: req.customer.kind, firstTokenMs: 0, totalMs: round(stopwatch.elapsed()), interrupted: false, outcome: 'replayed', timings: stopwatch.segments(), degraded: [], traceId: trace.traceId, handoffOpened: false });
        return;
      }
      // What the message refers to in the conversation, the intent that follows, the store's 18+ rule.
      const m = await inContext(lk, heard, memory.value.history, language, languageAsked, trace);
      const { nlu, text } = m;
      yield { type: 'start', intent: nlu.intent, language, confidence: round(nlu.confidence) };
      const a: Answering = { lk, req, m, trace, bg };
      // A reply the guardrails decide before any lookup (a refusal, the 18+ explanation, whether a title suits a reader).
      const decided = await guardrailReply(a);
      if (decided) {
        yield* fixedReply(a, decided);
        return;
      }
      // An insult is answered, not refused: a message that is nothing but one gets a calm reply
      // offering help or a person; a request that comes with one is answered after an apology.
      const upset = frustrated(m.inputVerdict) || m.angry;
      if ((upset || m.outburst) && (nlu.intent === 'chitchat' || nlu.intent === 'out_of_scope')) {
        if (deps.handoff) void deps.handoff.customerSaid(req.sessionId, text).catch(bg('handoff.customerSaid'));
        yield* fixedReply(a, { body: calmReply(language) });
        return;
      }
      // A customer already handed over to a human: what they say next is added to the ticket's thread.
      if (deps.handoff && nlu.intent !== 'escalation') void deps.handoff.customerSaid(req.sessionId, text).catch(bg('handoff.customerSaid'));

      // 3. Gather the grounding: only the services this intent needs, in parallel, each under its own deadline.
      const { grounding, ageGate, wish, handoffOpened } = await gather(lk, req, m, trace);
      // The title the customer named is sold 18+ and they may not see it: told why and how, never "not found".
      if (ageGate.withheldNamed) {
        yield* fixedReply(a, withheldNamedReply(a, ageGate.series));
        return;
      }

      // 4. Compose and stream. The turn is stored after the answer is complete and before `end`:
      //    an acknowledged turn is a stored one.
      const cards = grounding.requestedVolumes ? volumeCards(grounding, now()) : cardsFor(grounding.series, grounding.requestedVolume, now(), grounding.requestedFormat);
      for (const other of grounding.also ?? []) cards.push(...(other.requestedVolumes ? volumeCards(other, now()) : cardsFor(other.series, other.requestedVolume, now(), other.requestedFormat)));
      const generateStarted = performance.now();
      const receivedAt = Date.now();
      const answered = yield* streamAnswer(a, grounding, upset);
      // The customer left before the answer was complete: nothing is acknowledged, nothing stored
      // (a retry of this id is answered in full, not replayed half-written).
      if (!answered || req.signal.aborted) return;
      stopwatch.record('generate', performance.now() - generateStarted);

      // 5. Store the turn, then end.
      if (cards.length > 0) yield { type: 'products', items: cards };
      await storeTurn(deps, req, answeredTurn(req, m, grounding, answered, cards, wish, receivedAt), stopwatch, bg);
      const { violation, interrupted, route } = answered;
      const timings = { ...stopwatch.segments(), firstTokenMs: round(answered.firstTokenMs ?? stopwatch.elapsed()), totalMs: round(stopwatch.elapsed()) };
      const degraded = [...new Set(grounding.degraded)];
      const outcome: ReplyOutcome = violation ? 'revised' : interrupted ? 'interrupted' : answered.unanswered ? 'unanswered' : degraded.length > 0 ? 'degraded' : 'answered';
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
      attempt.end();
    }
  }

  return { reply, understand, validate };
}

/** The series the message's other questions were answered about that its main answer did not show. */
function alsoShown(grounding: Grounding): string[] {
  const main = new Set(grounding.series.map((s) => s.series.id));
  return [...new Set((grounding.also ?? []).flatMap((a) => a.series.map((s) => s.series.id)))].filter((id) => !main.has(id));
}

/** The question and the answer as stored: what the answer was about is kept for the next turn. */
function answeredTurn(req: ChatRequest, m: Understood, grounding: Grounding, answered: Answered, cards: ProductCard[], wish: RecommendationWish | undefined, receivedAt: number): StoredMessage[] {
  const { text, nlu, language, languageAsked, reference, ageTurn } = m;
  // An 18+ title named beside a policy question, to a customer who may see it (「殺し屋1って海外に送れる？」):
  // the series in play for what follows (「電子版はある？」, 「1巻いくら？」), as a title answered would be.
  // ...and so is the title an anime question named (its anime declined: m.aside).
  const noticed = grounding.series.length > 0 ? [] : ageTurn?.kind === 'notice' && !ageTurn.withheld ? ageTurn.series.map((s) => s.id) : m.aside ? [m.aside] : [];
  return [
    { role: 'user', text, messageId: req.messageId, intent: nlu.intent, language, at: receivedAt },
    {
      role: 'assistant',
      text: answered.text,
      messageId: req.messageId,
      intent: nlu.intent,
      language,
      // (The series the message's other questions were answered about count as shown too: "sakamoto days vol 3 and kaiju no 8
      // vol 3?", then "how about the kaiju one volume 4" picks Kaiju No. 8 among them.)
      seriesIds: [...grounding.series.map((s) => s.series.id), ...(grounding.promotionFor ? [grounding.promotionFor.seriesId] : []), ...noticed, ...alsoShown(grounding)],
      productIds: cards.filter((c) => c.volume !== null).map((c) => c.id),
      about: {
        ...stateAfter(grounding, reference, wish),
        ...(languageAsked ? { replyLanguage: languageAsked } : {}),
        ...((ageTurn?.kind === 'notice' && ageTurn.withheld) || (ageTurn?.kind === 'similar' && ageTurn.notice) ? { withheld: ageTurn.series.map((s) => s.id) } : {}),
        ...(noticed.length === 1 ? { focus: noticed[0] } : {}),
      },
      ...(cards.length > 0 ? { cards } : {}),
      at: Date.now(),
    },
  ];
}
