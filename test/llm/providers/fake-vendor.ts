/** What every vendor fake (Bedrock, Anthropic, OpenAI-compatible) offers the provider contract suite. */

/** How the fake answers its next request. */
export interface FakeScript {
  /** Text pieces streamed in order (one vendor delta event each). */
  pieces: string[];
  /** Reported usage; the fake's default is a count derived from the request and the pieces. */
  usage?: { inputTokens: number; outputTokens: number };
  /** Delay before the response head, ms. */
  headDelayMs?: number;
  /** Delay between pieces, ms. */
  pieceDelayMs?: number;
  /**
   * Failure injected:
   * - `throttle`: the vendor's real throttling response (HTTP 429 with its error body)
   * - `server_error`: HTTP 500/503 with the vendor's error body
   * - `bad_request`: HTTP 400 with the vendor's error body
   * - `disconnect_before_first`: the socket is destroyed after the response head, before any piece
   * - `disconnect_mid`: the socket is destroyed after `failAfter` pieces (default 2)
   * - `stall_mid`: after `failAfter` pieces nothing more is sent (the client's idle timeout must fire)
   * - `stall_head`: the response head is never sent
   */
  fail?: 'throttle' | 'server_error' | 'bad_request' | 'disconnect_before_first' | 'disconnect_mid' | 'stall_mid' | 'stall_head';
  failAfter?: number;
}

/** One request the fake received. */
export interface FakeRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A vendor fake listening on 127.0.0.1. */
export interface FakeVendor {
  /** Base URL to give the adapter (`http://127.0.0.1:<port>`). */
  readonly url: string;
  /** Queues the script of the next request; without one queued the fake streams ['Hello', ' world'] . */
  next(script: FakeScript): void;
  /** Every request received, oldest first. */
  readonly requests: FakeRequest[];
  /** Responses still open (a cancelled stream must bring this back to 0). */
  openResponses(): number;
  /** TCP connections accepted so far (pool and keep-alive checks). */
  connections(): number;
  close(): Promise<void>;
}
