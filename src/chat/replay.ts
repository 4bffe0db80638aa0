// Each message id is answered once. A retry of a message still being answered waits for that
// attempt (in this process by the in-flight map, across processes by the store's claim); a turn
// is stored before its `end` goes out, and a retry of a stored turn gets that turn replayed.
import { ChatError } from '../errors.ts';
import type { StoredMessage } from '../memory/types.ts';
import type { Intent, Language } from '../understanding/types.ts';
import { splitForStreaming } from '../llm/stream-text.ts';
import type { HeldClaim, MessageClaimer } from './message-claim.ts';
import type { ReplyFrame } from './protocol.ts';
import { round, type Stopwatch } from './stopwatch.ts';
import type { ChatRequest, PipelineDeps } from './types.ts';

/** A question and its answer, as stored. */
export type StoredTurn = { user: StoredMessage; assistant: StoredMessage };

/** One attempt at answering a message id, admitted: end it (once) when its reply is over. */
export interface Attempt {
  /** The store's claim on the id, when ids are claimed across processes. */
  held?: HeldClaim;
  /** Time spent waiting for the claim (not part of the message's time budget). */
  claimMs: number;
  /** Gives the id up: the claim released, and a retry waiting in this process let through. */
  end(): void;
}

/** The attempts being answered in this process, by session and message id. */
export class Attempts {
  // Messages being answered, by session and id: a retry of one waits for its end.
  readonly #inFlight = new Map<string, Promise<void>>();

  /**
   * Admits an attempt at `req`'s id: after any attempt at it still in flight here, and (with a
   * claimer) once this process holds the id's claim. Throws when the customer leaves first or
   * the claim cannot be taken.
   */
  async admit(req: ChatRequest, claimer: MessageClaimer | undefined): Promise<Attempt> {
    // A retry of a message still being answered (the client reconnected mid-reply) waits for
    // that attempt: its stored turn is then replayed, or, if it stored none, it is answered anew.
    const key = `${req.sessionId}\u0000${req.messageId}`;
    for (let earlier = this.#inFlight.get(key); earlier; earlier = this.#inFlight.get(key)) await untilSettledOrAborted(earlier, req.signal);
    req.signal.throwIfAborted();
    let attemptDone!: () => void;
    this.#inFlight.set(key, new Promise<void>((resolve) => (attemptDone = resolve)));
    // Across processes (workers, nodes) the id is claimed in the store: a second process waits for
    // the first, then replays its stored turn (or answers anew if the first died without one).
    // The wait is not part of the message's time budget, which starts once the id is ours.
    let held: HeldClaim | undefined;
    let claimMs = 0;
    if (claimer) {
      const claimStarted = performance.now();
      try {
        held = await claimer.acquire(req.sessionId, req.messageId, req.signal);
      } catch (error) {
        this.#inFlight.delete(key);
        attemptDone();
        throw error;
      }
      claimMs = performance.now() - claimStarted;
    }
    return {
      held,
      claimMs,
      end: () => {
        held?.release();
        this.#inFlight.delete(key);
        attemptDone();
      },
    };
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
export async function storeTurn(deps: PipelineDeps, req: ChatRequest, turn: StoredMessage[], stopwatch: Stopwatch, bg: (what: string) => (error: unknown) => void): Promise<void> {
  try {
    await stopwatch.time('store', () => deps.guards.get('memory').call((signal) => deps.memory.append(req.sessionId, turn, { signal }), { deadlineMs: deps.deadlines.memory * 4, idempotent: false }));
  } catch (error) {
    bg('memory.append')(error);
    throw new ChatError('unavailable', 'Your message was answered but could not be saved; please send it again.', { retryAfterMs: 1000 });
  }
}

/** The stored question and answer of message `messageId`, when both are still in the window. */
export function storedTurn(history: StoredMessage[], messageId: string): StoredTurn | undefined {
  const user = history.find((m) => m.role === 'user' && m.messageId === messageId);
  const assistant = history.find((m) => m.role === 'assistant' && m.messageId === messageId);
  return user && assistant ? { user, assistant } : undefined;
}

/** A stored turn sent again as the frames of a reply, its `end` marked `replayed`. */
export function* replayTurn(turn: StoredTurn, confidence: number, stopwatch: Stopwatch, traceId: string): Generator<ReplyFrame> {
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
