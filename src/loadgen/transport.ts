import type { Target } from './targets.ts';

/** What happened to one message, with clock times in ms (`performance.now()`). */
export interface ReplyOutcome {
  sentAt: number;
  firstTokenAt?: number;
  /** Arrival time of every `token` frame, for inter-token gaps. */
  tokenAt: number[];
  endAt?: number;
  /** When the outcome was settled: `end`, the error frame, the timeout or the drop. */
  finishedAt?: number;
  /** The server's `start.intent`. */
  serverIntent?: string;
  /** The server's `end.timings` (ms per pipeline segment). */
  timings?: Record<string, number>;
  /** The server's `end.degraded`: dependencies whose fallback shaped the reply. */
  degraded?: string[];
  /** The server's `end.interrupted`: the model's stream broke after the first token. */
  interrupted?: boolean;
  /**
   * Why the message failed: a protocol code, `timeout` (no `end` in time), `dropped` (connection
   * lost mid-reply) or `aborted` (the generator itself stopped; not the server's fault).
   */
  error?: string;
}

/** One customer's chat connection. */
export interface ChatConnection {
  /** Sends one message and resolves when its reply ended, failed or timed out (never rejects). */
  ask(id: string, text: string, timeoutMs: number): Promise<ReplyOutcome>;
  close(): void;
}

/** Refused or failed connection; `code` is `connect_failed` or the server's refusal code. */
export class ConnectError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Port: how sessions talk to the service (WebSocket or SSE). */
export interface ChatTransport {
  /** Opens a chat; rejects with ConnectError. */
  connect(target: Target, token: string | undefined, signal: AbortSignal, timeoutMs: number): Promise<ChatConnection>;
}
