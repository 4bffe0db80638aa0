/**
 * The frames of one connection produced in one turn of the event loop, handed out together when
 * the loop turns, with the tokens of one reply joined into `token` frames of up to JOINED_TOKEN_CHARS characters;
 * and, with a token window, the later tokens of a reply that a paced model streams over time held
 * for at most that window and joined too.
 *
 * protocol.md: a reply's `token` frames are "one or more; concatenated in order they are the reply
 * text", so a client cannot tell one frame of three tokens from three frames. An unpaced engine (a
 * cached answer, the local engine, a replayed turn, a fixed reply) produces a whole reply in one
 * turn: ~70 tokens that each cost a JSON string and a frame on both ends. Joined, they are a handful of
 * frames. A paced model's tokens arrive in separate turns (a timer or a socket read each, ~400 a
 * second): one write per token was ~70 socket writes a reply (~7-10 µs each, plus their frame
 * objects; 12-14 % of a paced message's CPU). So (the lead's decision, step 9):
 *
 * - the FIRST token of a reply, and every other frame (`start`, `products`, `revise`, `end`,
 *   `error`, a staff message), go out when the loop turns, as before: the customer's first token
 *   is not held;
 * - a later token of the same reply, coming when nothing is queued, opens a window of `windowMs`;
 *   the tokens that come inside it are joined (same 64-character frames) and go out when it ends,
 *   or at once with the next other frame (which goes after them) or a flush;
 * - `windowMs` 0: every turn's tokens go out when the loop turns (one frame per turn when paced).
 *
 * So a token waits at most one window (16 ms by default, one display frame: the page's text grows
 * no less smoothly), a paced reply is ~10 writes instead of ~70, and order is kept exactly: any
 * other frame closes the token being joined first, so a token never moves past the frame written
 * after it (`end` never before the last token), and tokens of two replies are never joined.
 *
 * A joined frame stops growing at {@link JOINED_TOKEN_CHARS} characters: a reply produced at once
 * still reaches the customer as a short stream of frames (the chat page shows it growing, as it
 * does for a model), at a tenth of the frames.
 */
/** A token frame joins tokens until it holds this many characters (~10 words, a phrase); the next token starts a new one. */
export const JOINED_TOKEN_CHARS = 64;

export interface FrameBatch {
  /** Queues one frame, already serialised for the transport. */
  frame(serialised: string): void;
  /** Queues a token of the reply to `replyTo` (its JSON string literal): joined to the token queued just before it if that one is of the same reply. */
  token(replyTo: string, text: string): void;
  /** Hands out what is queued now, held tokens included, and ends their window (before a close, which must come after the frames sent before it; and when the connection is gone, so no timer outlives it). */
  flush(): void;
}

/** Timers of a batch (the global ones; tests pass their own clock). */
export interface BatchTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const GLOBAL_TIMERS: BatchTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

/**
 * A batch handing its frames to `out` once per turn of the event loop, a reply's later tokens
 * once per `windowMs` (0: once per turn); `tokenFrame` serialises a joined token (`replyTo` is a
 * JSON string literal, `text` the joined texts).
 */
export function createFrameBatch(out: (frames: string[]) => void, tokenFrame: (replyTo: string, text: string) => string, windowMs = 0, timers: BatchTimers = GLOBAL_TIMERS): FrameBatch {
  let queued: string[] = [];
  let scheduled = false;
  // The token window open now (its timer), and the reply whose token was handed out or queued last
  // with no other frame since: a token of that reply is a later one, and may wait for the window.
  let window: unknown;
  let streaming: string | undefined;
  // The token being joined: the reply it belongs to and its text so far.
  let tokenOf: string | undefined;
  let tokenText = '';
  const closeToken = () => {
    if (tokenOf === undefined) return;
    queued.push(tokenFrame(tokenOf, tokenText));
    tokenOf = undefined;
    tokenText = '';
  };
  const flush = () => {
    scheduled = false;
    if (window !== undefined) {
      timers.clearTimeout(window);
      window = undefined;
    }
    closeToken();
    if (queued.length === 0) return;
    const frames = queued;
    queued = [];
    out(frames);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  return {
    frame(serialised) {
      // Held tokens go first, with this frame, when the loop turns (a window is not waited out).
      closeToken();
      queued.push(serialised);
      streaming = undefined;
      schedule();
    },
    token(replyTo, text) {
      if (tokenOf !== replyTo || tokenText.length >= JOINED_TOKEN_CHARS) {
        closeToken();
        tokenOf = replyTo;
      }
      tokenText += text;
      const later = streaming === replyTo;
      streaming = replyTo;
      // Going out when the loop turns anyway (the first token, or another frame, queued this turn).
      if (scheduled) return;
      // A later token: out when the window ends (opened by the first one held).
      if (later && windowMs > 0) {
        window ??= timers.setTimeout(flush, windowMs);
        return;
      }
      // The first token of a reply: out when the loop turns, with anything held before it.
      schedule();
    },
    flush,
  };
}

/** A WebSocket `token` frame, as `JSON.stringify({ type: 'token', text, replyTo })` writes it; `replyTo` is a JSON string literal. */
export function tokenJson(replyTo: string, text: string): string {
  return `{"type":"token","text":${JSON.stringify(text)},"replyTo":${replyTo}}`;
}
