/**
 * How a remote embedder fails. Stable strings: they label logs and decide what the background
 * indexer does (wait and try again, split a batch, or give a document up).
 */
export type EmbeddingErrorKind =
  | 'throttled' // 429 / ThrottlingException: try again later, more slowly
  | 'timeout' // no response within the request timeout, or a connect timeout
  | 'unavailable' // 5xx, connection refused, DNS failure
  | 'disconnected' // the connection broke before the whole response arrived
  | 'rejected' // 4xx other than 429: bad input, auth, unknown model (the same request fails again)
  | 'bad_response'; // a 200 whose vectors are missing, of the wrong size, or not numbers

/** Which remote embedder failed. */
export type EmbeddingProvider = 'openai' | 'bedrock';

/** Thrown by the remote embedders. `status` is the HTTP status when there was one. */
export class EmbeddingError extends Error {
  readonly kind: EmbeddingErrorKind;
  readonly provider: EmbeddingProvider;
  readonly status?: number;
  constructor(provider: EmbeddingProvider, kind: EmbeddingErrorKind, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, { cause: options?.cause });
    this.name = 'EmbeddingError';
    this.provider = provider;
    this.kind = kind;
    this.status = options?.status;
  }
}

/** The EmbeddingError inside an error chain (a guard wraps it in a DependencyError), if any. */
export function embeddingErrorOf(error: unknown): EmbeddingError | undefined {
  for (let e = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof EmbeddingError) return e;
  }
  return undefined;
}
