/**
 * Splits answer text into the pieces a model would stream, and estimates token counts.
 * Shared by the local engine (which has no model tokenizer) and the sim engine.
 */

// Japanese script plus CJK punctuation and full-width forms: streamed as short character runs.
const JA_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3000-\\u303F\\u30FC\\uFF00-\\uFFEF';
// A Japanese run, a word with its trailing spaces (punctuation sticks to the word), or bare spaces.
const PIECE = new RegExp(`[${JA_CLASS}]+|[^\\s${JA_CLASS}]+\\s*|\\s+`, 'gu');
const JA_CHAR = new RegExp(`[${JA_CLASS}]`, 'u');
// Model tokenizers emit uneven Japanese pieces; a fixed cycle of 1-3 looks alike and stays deterministic.
const JA_RUN_LENGTHS = [2, 1, 3, 2, 3, 1, 2];

/** Splits text into streaming tokens: English words with trailing space/punctuation, Japanese runs of 1-3 characters. */
export function splitForStreaming(text: string): string[] {
  const out: string[] = [];
  let cycle = 0;
  for (const match of text.matchAll(PIECE)) {
    const piece = match[0];
    // Pieces are homogeneous: a Japanese run never mixes with other characters.
    if (!JA_CHAR.test(piece)) {
      out.push(piece);
      continue;
    }
    // Walk by code point so a surrogate pair (rare kanji) is never split.
    let i = 0;
    while (i < piece.length) {
      const want = JA_RUN_LENGTHS[cycle++ % JA_RUN_LENGTHS.length];
      let end = i;
      for (let n = 0; n < want && end < piece.length; n++) {
        const cp = piece.codePointAt(end)!;
        end += cp > 0xffff ? 2 : 1;
      }
      out.push(piece.slice(i, end));
      i = end;
    }
  }
  return out;
}

/**
 * Rough token count of a text as a BPE tokenizer would see it: about four ASCII characters per
 * token, about one token per Japanese (or other non-ASCII) character.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) ascii++;
    else if (c < 0xdc00 || c > 0xdfff) other++; // a low surrogate belongs to the character before it
  }
  return Math.ceil(ascii / 4) + other;
}

/**
 * An async iterator that may also hand out, without a promise, a result it already has.
 * `ready()` returns the result next() would settle with when it is there now (consuming it, as
 * next() would), or undefined when next() would have to wait (nothing is consumed then); it
 * throws what next() would reject with. A reply is ~70 tokens and each layer between the model
 * and the socket (engine, model client, routed engine, the answer loop) cost a promise and
 * microtask hops per token; a chunk that is ready goes through all of them as plain calls.
 */
export interface ReadyIterator<T> extends AsyncIterator<T> {
  ready?(): IteratorResult<T> | undefined;
}

/**
 * next() of a ReadyIterator: what `ready()` has now, as a settled promise (its throw as a
 * rejection), else `wait()` for the next result.
 */
export function nextOf<T>(ready: () => IteratorResult<T> | undefined, wait: () => Promise<IteratorResult<T>>): Promise<IteratorResult<T>> {
  let r: IteratorResult<T> | undefined;
  try {
    r = ready();
  } catch (error) {
    return Promise.reject(error);
  }
  return r ? Promise.resolve(r) : wait();
}

/**
 * An async iterator over chunks that are ready at once: `step` gives the next chunk, or undefined
 * at the end. It behaves like the async generator that would yield them (each next() settles
 * with one chunk, a throw from `step` rejects that next() and ends the stream, return() ends it),
 * at the cost of one settled promise per chunk instead of a generator's suspend-and-resume
 * machinery (several promises and microtask hops per chunk, and a reply is ~70 chunks); its
 * `ready()` gives the same chunks with no promise at all.
 */
export function syncStream<T>(step: () => T | undefined): AsyncIterableIterator<T> & { ready(): IteratorResult<T> } {
  let done = false;
  const end = (): IteratorResult<T> => {
    done = true;
    return { done: true, value: undefined };
  };
  const ready = (): IteratorResult<T> => {
    if (done) return end();
    try {
      const value = step();
      return value === undefined ? end() : { done: false, value };
    } catch (error) {
      done = true;
      throw error;
    }
  };
  const it: AsyncIterableIterator<T> & { ready(): IteratorResult<T> } = {
    next() {
      try {
        return Promise.resolve(ready());
      } catch (error) {
        return Promise.reject(error);
      }
    },
    ready,
    return(value?: unknown) {
      done = true;
      return Promise.resolve({ done: true, value: value as T });
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
