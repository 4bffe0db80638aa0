/**
 * Every refusal the service sends carries one of these stable codes (protocol.md).
 * The HTTP status is what JSON and SSE endpoints answer before the stream starts.
 */
export const ERROR_CODES = {
  bad_request: { status: 400, message: 'The request is malformed.' },
  payload_too_large: { status: 413, message: 'The message is too long.' },
  not_found: { status: 404, message: 'Not found.' },
  unauthorized: { status: 401, message: 'The sign-in token is invalid or expired.' },
  rate_limited: { status: 429, message: 'Too many messages; please wait a moment.' },
  duplicate_message: { status: 409, message: 'This message id was already answered.' },
  conflict: { status: 409, message: 'The request conflicts with the current state (e.g. the ticket is closed).' },
  unavailable: { status: 503, message: 'The assistant is temporarily unavailable.' },
  not_ready: { status: 503, message: 'The service is starting up.' },
  internal: { status: 500, message: 'Something went wrong on our side.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable code, safe to show to the customer. */
export class ChatError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterMs?: number;
  constructor(code: ErrorCode, message?: string, extra?: { retryAfterMs?: number; cause?: unknown }) {
    // A refusal by code is control flow, not a fault: its stack says nothing its code does not,
    // and under overload every shed message builds one (V8's stack capture was ~3 % of a
    // saturated service's CPU). Only `internal`, which stands for a bug, keeps its stack.
    const limit = Error.stackTraceLimit;
    if (code !== 'internal') Error.stackTraceLimit = 0;
    super(message ?? ERROR_CODES[code].message, { cause: extra?.cause });
    Error.stackTraceLimit = limit;
    this.name = 'ChatError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.retryAfterMs = extra?.retryAfterMs;
  }
}

export function isChatError(e: unknown): e is ChatError {
  return e instanceof ChatError;
}
