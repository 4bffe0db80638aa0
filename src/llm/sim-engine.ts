/** Wraps an answer engine with a latency model (time to first token, token rate) for load tests. */
import type { AnswerChunk, AnswerEngine, Grounding } from './types.ts';
import { nextOf, type ReadyIterator } from './stream-text.ts';

/** Waits `ms`, rejecting (and clearing its timer) as soon as `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Options of the sim engine. */
export interface SimEngineOptions {
  /** The engine whose answers are replayed with latency (normally the local engine). */
  inner: AnswerEngine;
  /** Mean time to first token in ms; 0 means none. */
  ttftMs: number;
  /** Mean stream rate after the first token; 0 or Infinity means no pacing. */
  tokensPerSec: number;
  /** Each delay is drawn uniformly from mean × [1 - jitter, 1 + jitter]. @default 0.1 */
  jitter?: number;
  /** Source of randomness in [0, 1), injectable for deterministic tests. @default Math.random */
  random?: () => number;
  /** Timer; must clear itself and reject when the signal aborts. @default a setTimeout per sleep, one abort listener per stream */
  sleep?: Sleep;
  /** Monotonic clock in ms, injectable together with `sleep` for tests. @default performance.now */
  now?: () => number;
}

/**
 * The default timer of one paced stream: a plain setTimeout, and one abort listener for the whole
 * answer (added at its first sleep, removed when the stream ends) that clears the pending timer and
 * rejects its sleep. A paced reply sleeps once per token (~70 times); node:timers/promises'
 * setTimeout with a signal cost 5-8 µs of CPU per call (a listener added and removed each time)
 * against ~1.5-2 µs for a bare timer (microbench, 40 streams of 1 ms sleeps): the latency model's
 * own cost, counted in the service's.
 */
function streamTimer(signal: AbortSignal | undefined): { sleep: Sleep; end(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let fail: ((reason: unknown) => void) | undefined;
  let listening = false;
  const abort = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    const reject = fail!;
    timer = fail = undefined;
    reject(signal!.reason);
  };
  return {
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        if (signal && !listening) {
          signal.addEventListener('abort', abort, { once: true });
          listening = true;
        }
        fail = reject;
        timer = setTimeout(() => {
          timer = fail = undefined;
          resolve();
        }, ms);
      }),
    end() {
      if (listening) signal!.removeEventListener('abort', abort);
      listening = false;
    },
  };
}

/** A delay around `mean` with uniform jitter, never negative. */
export function jittered(mean: number, jitter: number, random: () => number): number {
  return Math.max(0, mean * (1 + jitter * (2 * random() - 1)));
}

/** Creates the sim engine: the inner engine's answer, delayed like a hosted model would deliver it. */
export function createSimEngine(opts: SimEngineOptions): AnswerEngine {
  const { inner, ttftMs, tokensPerSec } = opts;
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.1));
  const random = opts.random ?? Math.random;
  const now = opts.now ?? (() => performance.now());
  const intervalMs = tokensPerSec > 0 && Number.isFinite(tokensPerSec) ? 1000 / tokensPerSec : 0;

  return {
    name: 'sim',
    stream(grounding: Grounding, { signal }: { signal?: AbortSignal } = {}): AsyncIterable<AnswerChunk> {
      // No first-token wait and no rate: nothing is ever slept, the inner engine's chunks pass as they come.
      return ttftMs > 0 || intervalMs > 0 ? paced(grounding, signal) : unpaced(inner, grounding, signal);
    },
  };

  /**
   * The latency model over the inner stream, as a plain iterator rather than an async generator
   * (a generator resumption and the for-await's promise per token, ~70 per reply): the same
   * chunks at the same times, the same abort checks, the inner stream returned whenever the
   * generator's for-await would have (a return on abort or on a failed sleep; not when the inner
   * stream itself threw), and calls made while one is running wait for it, as a generator's do.
   */
  function paced(grounding: Grounding, signal: AbortSignal | undefined): AsyncIterableIterator<AnswerChunk> {
    const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
    let source: ReadyIterator<AnswerChunk> | undefined;
    // Deadlines are kept on one timeline from the start, so timer overshoot does not add up
    // over a long answer and the measured rate stays at tokensPerSec.
    let start = 0;
    let due = 0;
    let first = true;
    let finished = false;
    let timer: ReturnType<typeof streamTimer> | undefined;
    let sleep: Sleep = opts.sleep ?? defaultNever;
    // next() calls in flight: one made while another runs waits for it, as a generator's does.
    let inFlight = 0;
    let current: Promise<IteratorResult<AnswerChunk>> = Promise.resolve(DONE);
    const end = () => {
      finished = true;
      timer?.end();
    };
    const close = async () => {
      end();
      await source?.return?.(undefined);
    };
    async function step(): Promise<IteratorResult<AnswerChunk>> {
      try {
        if (finished) return DONE;
        if (!source) {
          if (signal?.aborted) {
            end();
            return DONE;
          }
          start = now();
          due = ttftMs > 0 ? jittered(ttftMs, jitter, random) : 0;
          if (!opts.sleep) sleep = (timer = streamTimer(signal)).sleep;
          source = inner.stream(grounding, { signal })[Symbol.asyncIterator]();
        }
        let r: IteratorResult<AnswerChunk>;
        try {
          r = source.ready?.() ?? (await source.next());
        } catch (error) {
          end();
          throw error;
        }
        if (r.done) {
          end();
          return DONE;
        }
        const chunk = r.value;
        if (chunk.type === 'token') {
          if (!first && intervalMs > 0) due += jittered(intervalMs, jitter, random);
          first = false;
          // A loop, not one sleep: timers run on the event loop's cached clock and may fire up
          // to a millisecond early, and a latency model must never be faster than it says.
          for (let wait = start + due - now(); wait > 0; wait = start + due - now()) {
            try {
              await sleep(wait, signal);
            } catch (err) {
              await close();
              if (signal?.aborted) return DONE; // the customer left: stop quietly, the timer is already cleared
              throw err;
            }
          }
        }
        if (signal?.aborted) {
          await close();
          return DONE;
        }
        return { done: false, value: renamed(chunk) };
      } finally {
        inFlight--;
      }
    }
    const it: AsyncIterableIterator<AnswerChunk> = {
      next() {
        current = inFlight++ > 0 ? current.then(step, step) : step();
        return current;
      },
      async return(value?: unknown) {
        if (inFlight > 0) await current.catch(() => undefined);
        if (!finished) await close();
        return { done: true, value: value as AnswerChunk };
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }
}

/** Never called: the sleep of a stream that has not started (its timer is made when it starts). */
const defaultNever: Sleep = () => Promise.reject(new Error('sim: sleep before the stream started'));

/** A usage chunk names the sim in front of the inner engine's model. */
function renamed(chunk: AnswerChunk): AnswerChunk {
  return chunk.type === 'usage' ? { ...chunk, model: `sim:${chunk.model}` } : chunk;
}

/**
 * The paced generator with no delay to keep (it would never sleep), as a plain iterator: the same
 * chunks, the same abort checks (before the inner stream opens and on every chunk it gives, which
 * then ends the stream and returns the inner one), and a chunk the inner stream has ready passed
 * on by `ready()` without a promise (stream-text.ts) — no generator resumption per token.
 */
function unpaced(inner: AnswerEngine, grounding: Grounding, signal: AbortSignal | undefined): AsyncIterableIterator<AnswerChunk> & { ready(): IteratorResult<AnswerChunk> | undefined } {
  const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
  let source: ReadyIterator<AnswerChunk> | undefined;
  let finished = false;
  const open = (): ReadyIterator<AnswerChunk> | undefined => {
    if (finished) return undefined;
    if (!source && signal?.aborted) {
      finished = true;
      return undefined;
    }
    return (source ??= inner.stream(grounding, { signal })[Symbol.asyncIterator]());
  };
  // What the generator did with one result of the inner stream; `stop` returns the inner stream when the customer left.
  const map = (r: IteratorResult<AnswerChunk>, stop: () => void): IteratorResult<AnswerChunk> => {
    if (r.done) {
      finished = true;
      return DONE;
    }
    if (signal?.aborted) {
      finished = true;
      stop();
      return DONE;
    }
    return { done: false, value: renamed(r.value) };
  };
  // A chunk the inner stream does not have ready: waited for.
  const later = async (src: ReadyIterator<AnswerChunk>): Promise<IteratorResult<AnswerChunk>> => {
    let r: IteratorResult<AnswerChunk>;
    try {
      r = await src.next();
    } catch (error) {
      finished = true;
      throw error;
    }
    let stopping: Promise<unknown> | undefined;
    const out = map(r, () => (stopping = src.return?.(undefined)));
    if (stopping) await stopping;
    return out;
  };
  // Not ready (or the inner stream cannot say): open() has run, `source` is set unless done.
  const wait = () => (source && !finished ? later(source) : Promise.resolve(DONE));
  const it: AsyncIterableIterator<AnswerChunk> & { ready(): IteratorResult<AnswerChunk> | undefined } = {
    next: () => nextOf(it.ready, wait),
    ready() {
      const src = open();
      if (!src) return DONE;
      if (!src.ready) return undefined;
      let r: IteratorResult<AnswerChunk> | undefined;
      try {
        r = src.ready();
      } catch (error) {
        finished = true;
        throw error;
      }
      return r && map(r, () => void src.return?.(undefined)?.catch(() => undefined));
    },
    async return(value?: unknown) {
      if (!finished) {
        finished = true;
        await source?.return?.(undefined);
      }
      return { done: true, value: value as AnswerChunk };
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}
