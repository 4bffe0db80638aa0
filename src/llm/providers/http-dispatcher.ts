/**
 * HTTP plumbing shared by the SDK-based adapters (Anthropic, OpenAI-compatible): one undici
 * connection pool per model, the per-call idle watchdog, and the reading of transport errors.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import { ModelError, type ConnectionOptions, type ProviderName } from './types.ts';

/** How long an idle kept-alive socket is held when the server sends no `Keep-Alive: timeout` hint. */
const KEEP_ALIVE_MS = 10_000;

/** A pooled dispatcher and the fetch that goes with it (the SDKs' `fetch` and `fetchOptions.dispatcher`). */
export interface HttpPool {
  readonly dispatcher: Agent;
  /** undici's own fetch: a `dispatcher` only works with the fetch of the same undici copy, not Node's built-in one. */
  readonly fetch: typeof globalThis.fetch;
  close(): Promise<void>;
}

/** Builds the pool one model's client uses: at most `maxConnections` kept-alive sockets, hosts resolved through `lookup`. */
export function createHttpPool(opts: ConnectionOptions): HttpPool {
  const dispatcher = new Agent({
    connections: opts.maxConnections,
    keepAliveTimeout: KEEP_ALIVE_MS,
    // One request per socket at a time: pipelining a second stream behind a long answer would stall it.
    pipelining: 1,
    connect: { timeout: opts.connectTimeoutMs, ...(opts.lookup ? { lookup: opts.lookup } : {}) },
  });
  let closed: Promise<void> | undefined;
  return {
    dispatcher,
    // The SDKs type `fetch` as the DOM fetch; undici's is the same function with its own Request/Response classes.
    fetch: undiciFetch as unknown as typeof globalThis.fetch,
    close() {
      // A stream still open when the service shuts down must not hold close() for minutes.
      closed ??= dispatcher.close().catch(() => dispatcher.destroy()).then(() => undefined);
      return closed;
    },
  };
}

/**
 * One call's abort controller: aborted by the caller's signal, or by the idle watchdog when no
 * chunk (nor the response head) arrives within `idleMs`. The SDKs end a stream quietly when its
 * request is aborted, so the adapter asks `timedOut` / `callerAborted` which of the two it was.
 */
export class CallGuard {
  readonly controller = new AbortController();
  timedOut = false;
  readonly #idleMs: number;
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort = () => this.controller.abort();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(idleMs: number, caller: AbortSignal | undefined) {
    this.#idleMs = idleMs;
    this.#caller = caller;
    caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  /** The signal handed to the SDK call. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the caller cancelled: the adapter then stops without an error. */
  get callerAborted(): boolean {
    return this.#caller?.aborted === true;
  }

  /** (Re)starts the idle timer: called when the request starts and on every event received. */
  arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.#idleMs);
  }

  /** Stops the timer and closes the request if it is still open (a consumer that stopped reading). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
    this.controller.abort();
  }

  /** The `timeout` error this call fails with once the watchdog fired. */
  timeoutError(provider: ProviderName, cause?: unknown): ModelError {
    return new ModelError(provider, 'timeout', `no response from the model within ${this.#idleMs} ms`, { cause });
  }
}

const CONNECT_TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * Reads a transport failure (no HTTP status) by the error codes in its `cause` chain: a connect
 * timeout is `timeout`, a host that cannot be reached is `unavailable`, and anything else (the
 * socket closed or reset under a request) is `disconnected`.
 */
export function transportErrorKind(error: unknown): 'timeout' | 'unavailable' | 'disconnected' {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (CONNECT_TIMEOUT_CODES.has(code)) return 'timeout';
    if (UNREACHABLE_CODES.has(code)) return 'unavailable';
  }
  return 'disconnected';
}

/** Maps an HTTP error status to the error kind the router acts on. */
export function statusErrorKind(status: number): 'throttled' | 'unavailable' | 'rejected' {
  if (status === 429) return 'throttled';
  if (status >= 500) return 'unavailable';
  return 'rejected';
}
