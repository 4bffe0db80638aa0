// Step 4 of a reply: the answer, written by the answer engine (or replayed from the answer cache)
// and streamed token by token, checked by the guardrails as it goes and revised if a late check
// fails. The engine is guarded up to its first token; after that only the customer's leaving
// stops it.
import type { AnswerAnchor } from '../cache/semantic/semantic-cache.ts';
import { createStreamCheck, type StreamCheck } from '../guardrails/stream-check.ts';
import { acknowledgement, cardAside, privacyNotice, safeReplacement } from '../guardrails/remediation.ts';
import type { Verdict } from '../guardrails/types.ts';
import type { AnswerChunk, Grounding, RouteInfo } from '../llm/types.ts';
import { splitForStreaming, type ReadyIterator } from '../llm/stream-text.ts';
import { amountIn, earlierQuestions, isElliptical, topicInPlay } from '../retrieval/policy-sections.ts';
import type { Intent, Language } from '../understanding/types.ts';
import { callDependency } from './dependency-call.ts';
import type { Answering } from './fixed-reply.ts';
import type { ReplyFrame } from './protocol.ts';
import type { PipelineDeps } from './types.ts';
import { audienceOf } from './understand.ts';

/** How the answer went, for the stored turn, the `end` frame and the metrics. */
export interface Answered {
  /** The text the customer was sent (the replacement, when it was revised). */
  text: string;
  /** When the first piece of text went out (ms since the message arrived). */
  firstTokenMs?: number;
  /** The output check that failed, when the answer was revised. */
  violation?: Verdict;
  /** The engine's stream broke off after the first token. */
  interrupted: boolean;
  route?: RouteInfo;
  /** No answer came (engine down, past its deadline, or an empty stream): the brief unavailable message went out. */
  unanswered: boolean;
}

/**
 * Streams the answer to the message from its grounding: the acknowledgement of an insult and an
 * 18+ notice first, then the cached answer or the engine's. Returns undefined when the customer
 * left while the engine's stream was failing (nothing more is sent, nothing stored).
 */
export async function* streamAnswer(a: Answering, grounding: Grounding, upset: boolean): AsyncGenerator<ReplyFrame, Answered | undefined> {
  const { lk, req, m, trace, bg } = a;
  const { deps, guard, fellBack, ctx } = lk;
  const stopwatch = ctx.stopwatch;
  const { nlu, text, language, ageTurn, reference } = m;
  let firstTokenMs: number | undefined;
  let answer = '';
  // Every piece of text the customer is sent goes through here.
  const sent = (piece: string): ReplyFrame => {
    if (firstTokenMs === undefined) firstTokenMs = stopwatch.elapsed();
    answer += piece;
    return { type: 'token', text: piece };
  };
  // The engine's tokens go to the transport's writer when it gave one (types.ts ChatRequest.onToken):
  // no frame object and no suspension of this generator, the pipeline's and the transport's per token.
  const onToken = req.onToken;
  // The answer is checked in chunks while it streams: first and revised if a late check
  // fails, or (high-risk intents) each chunk checked before it is sent.
  const mode = syncCheck(grounding, deps.guardrailSyncIntents) ? 'sync' : 'async';
  const check: StreamCheck | undefined = deps.guardrails
    ? createStreamCheck({
        guardrails: deps.guardrails,
        audience: audienceOf(req.customer, language),
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
  // Personal data typed in (a phone number, an e-mail, an address; card data beside a question) was
  // masked before anything read it: said so first, whatever the answer.
  const privacy = privacyNotice(m.inputVerdict, language, cardAside(m.inputVerdict, text));
  if (privacy) yield sent(privacy);
  // An 18+ title named beside the question answered (withheld from this customer, or not
  // shipped to them abroad): said first.
  const notice = ageTurn?.kind === 'notice' || ageTurn?.kind === 'similar' ? ageTurn.notice : undefined;
  if (notice) yield sent(notice);
  // An answer that opens with an apology for an insult is this conversation's, not one to replay.
  const anchor = deps.answerCache && !upset && !notice && !privacy ? answerAnchor(grounding, reference.seriesId !== undefined || reference.volume !== undefined) : undefined;
  const cached = anchor ? await stopwatch.time('answerCache', () => deps.answerCache!.lookup(anchor, text, { signal: req.signal })) : undefined;
  if (anchor) trace.set({ 'cache.answer_hit': cached !== undefined });
  const opened = cached
    ? { ok: true as const, value: replayCached(cached.answer) }
    : await callDependency(guard('llm'), deps.deadlines.llm, ctx, (signal) => firstToken(deps, grounding, signal, req.signal), { segment: 'generateFirstToken', idempotent: false });
  if (opened.ok && opened.value.first) {
    const { stream, first } = opened.value;
    route = opened.value.route;
    // When the engine's first token came and nothing had been sent yet: if the output check holds it
    // (sync mode), the wait until the first text goes out is its own segment, `firstTokenHeldMs`.
    const heldFrom = firstTokenMs === undefined && !cached ? stopwatch.elapsed() : undefined;
    let held = false;
    if (route) trace.set({ 'llm.route': route.route, 'llm.model': route.model, 'llm.reason': route.reason, 'llm.queue_ms': route.queueMs, ...(route.failedOver?.length ? { 'llm.failed_over': route.failedOver } : {}) });
    try {
      for (let chunk: AnswerChunk | undefined = first; chunk; ) {
        if (chunk.type === 'token') {
          const step = check ? check.push(chunk.text) : { send: chunk.text };
          if (!step.send && firstTokenMs === undefined) held = true;
          if (step.send) {
            if (onToken) {
              sent(step.send);
              onToken(step.send);
            } else yield sent(step.send);
          }
          if (step.violation) {
            violation = step.violation;
            break;
          }
        }
        // A chunk the engine has ready comes without a promise (stream-text.ts ReadyIterator).
        const ready = stream.ready?.();
        const next = ready ?? (await stream.next());
        chunk = next.done ? undefined : next.value;
      }
      if (check && !violation && !req.signal.aborted) {
        const step = check.finish();
        if (step.send) {
          if (onToken) {
            sent(step.send);
            onToken(step.send);
          } else yield sent(step.send);
        }
        violation = step.violation;
      }
      // A complete answer from the engine that passed every check: kept for the next question that means the same.
      if (anchor && !cached && !violation && !req.signal.aborted) {
        deps.answerCache!.remember(anchor, text, answer, { personal: [req.customer.name, req.customer.customerId].filter((x): x is string => !!x) });
      }
    } catch (error) {
      if (req.signal.aborted) return undefined;
      // The model broke off after the first token: the customer gets a clear ending, never a silent stop.
      bg('engine.stream')(error);
      fellBack(grounding, 'llm');
      interrupted = true;
      yield sent(CUT_NOTICE[language]);
    } finally {
      opened.value.release();
      void stream.return?.(undefined)?.catch(() => undefined);
    }
    if (held && heldFrom !== undefined && firstTokenMs !== undefined) stopwatch.record('firstTokenHeld', firstTokenMs - heldFrom, { span: false });
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
  return { text: answer, firstTokenMs, violation, interrupted, route, unanswered: !opened.ok || !opened.value.first };
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
    // Nor the points a purchase earns: that series' live prices at this customer's rate.
    if (g.promotions.length > 0 || amountIn(g.text) !== undefined || g.pointsEstimate) return undefined;
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

/**
 * Opens the answer stream and waits for its first token. The stream gets its own signal: the
 * attempt's signal (deadline) may cancel it only until the first token is in; after that the
 * customer's signal alone decides.
 */
async function firstToken(deps: PipelineDeps, g: Grounding, attempt: AbortSignal, customer: AbortSignal): Promise<Opening> {
  const ctl = new AbortController();
  const cancel = () => ctl.abort(attempt.reason);
  const leave = () => ctl.abort(customer.reason);
  attempt.addEventListener('abort', cancel, { once: true });
  // The customer's signal may be a whole connection's: the listener goes when this answer ends.
  customer.addEventListener('abort', leave, { once: true });
  const release = () => customer.removeEventListener('abort', leave);
  const stream: ReadyIterator<AnswerChunk> = deps.engine.stream(g, { signal: ctl.signal })[Symbol.asyncIterator]();
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

/** An answer stream whose first token is in (or that ended without one). */
interface Opening {
  stream: ReadyIterator<AnswerChunk>;
  first?: AnswerChunk;
  release: () => void;
  route?: RouteInfo;
}

/** A cached answer as a stream of the same tokens the engine would send. */
function replayCached(answer: string): Opening {
  const tokens = splitForStreaming(answer);
  let i = 1;
  const ready = (): IteratorResult<AnswerChunk> => (i < tokens.length ? { done: false, value: { type: 'token', text: tokens[i++] } } : { done: true, value: undefined });
  const stream: ReadyIterator<AnswerChunk> = { next: async () => ready(), ready };
  return { stream, first: tokens.length > 0 ? { type: 'token', text: tokens[0] } : undefined, release: () => {} };
}

/** True when the answer is checked chunk by chunk before it is sent (orders, payments). */
function syncCheck(g: Grounding, syncIntents: ReadonlySet<Intent> | undefined): boolean {
  if (syncIntents?.has(g.intent)) return true;
  const topic = g.passages[0]?.doc;
  return g.intent === 'faq' && topic !== undefined && (PAYMENT_TOPIC.test(topic.ref) || PAYMENT_TOPIC.test(topic.title));
}

/** Payment topics are high risk like orders: their answers are checked before they are sent. */
const PAYMENT_TOPIC = /payment|支払/i;

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
