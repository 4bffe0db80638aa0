/**
 * The frames of one connection produced in one turn of the event loop, handed out together when
 * the loop turns, with the tokens of one reply joined into `token` frames of up to JOINED_TOKEN_CHARS characters.
 *
 * protocol.md: a reply's `token` frames are "one or more; concatenated in order they are the reply
 * text", so a client cannot tell one frame of three tokens from three frames. An unpaced engine (a
 * cached answer, the local engine, a replayed turn, a fixed reply) produces a whole reply in one
 * turn: ~70 tokens that each cost a JSON string and a frame on both ends. Joined, they are a handful of
 * frames. A paced model's tokens arrive in separate turns (a timer or a socket read each), so they
 * still go out one frame per turn as they come: streaming stays real, and nothing waits longer
 * than it did (the hand-out is the same `setImmediate` the frames were already gathered by).
 *
 * A joined frame stops growing at {@link JOINED_TOKEN_CHARS} characters: a reply produced at once
 * still reaches the customer as a short stream of frames (the chat page shows it growing, as it
 * does for a model), at a tenth of the frames.
 *
 * Order is kept exactly: any other frame (`start`, `products`, `revise`, `end`, `error`, a staff
 * message) closes the token being joined first, so a token never moves past the frame written
 * after it, and tokens of two replies are never joined.
 */
/** A token frame joins tokens until it holds this many characters (~10 words, a phrase); the next token starts a new one. */
export const JOINED_TOKEN_CHARS = 64;

export interface FrameBatch {
  /** Queues one frame, already serialised for the transport. */
  frame(serialised: string): void;
  /** Queues a token of the reply to `replyTo` (its JSON string literal): joined to the token queued just before it if that one is of the same reply. */
  token(replyTo: string, text: string): void;
  /** Hands out what is queued now (before a close, which must come after the frames sent before it). */
  flush(): void;
}

/**
 * A batch handing its frames to `out` once per turn of the event loop; `tokenFrame` serialises a
 * joined token (`replyTo` is a JSON string literal, `text` the joined texts).
 */
export function createFrameBatch(out: (frames: string[]) => void, tokenFrame: (replyTo: string, text: string) => string): FrameBatch {
  let queued: string[] = [];
  let scheduled = false;
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
      closeToken();
      queued.push(serialised);
      schedule();
    },
    token(replyTo, text) {
      if (tokenOf !== replyTo || tokenText.length >= JOINED_TOKEN_CHARS) {
        closeToken();
        tokenOf = replyTo;
      }
      tokenText += text;
      schedule();
    },
    flush,
  };
}

/** A WebSocket `token` frame, as `JSON.stringify({ type: 'token', text, replyTo })` writes it; `replyTo` is a JSON string literal. */
export function tokenJson(replyTo: string, text: string): string {
  return `{"type":"token","text":${JSON.stringify(text)},"replyTo":${replyTo}}`;
}
