/**
 * Port: one hosted (or self-hosted) model, streaming. Adapters: Bedrock ConverseStream, the
 * Anthropic Messages API, OpenAI-compatible chat completions; `sim` and `local` for load tests
 * and the embedded default. Routing, priority and fallback live above this port
 * (`src/llm/routing/`); an adapter only talks to its vendor.
 */
import type { Grounding } from '../types.ts';

/** One turn of the conversation as a model sees it. */
export interface ModelMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** What a model is asked: a grounded system prompt and the conversation ending with the customer's message. */
export interface Prompt {
  system: string;
  /** Oldest first; alternates user/assistant and ends with the customer's message. */
  messages: ModelMessage[];
  maxTokens: number;
  temperature?: number;
}

/** One piece of a model's stream. */
export type ModelChunk =
  | { type: 'text'; text: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number };

/** What one call carries: the vendor prompt, and the grounding it was built from (for `local`/`sim`, which compose instead of asking a model). */
export interface ModelRequest {
  prompt: Prompt;
  grounding: Grounding;
}

/** Vendors the service speaks. */
export type ProviderName = 'bedrock' | 'anthropic' | 'openai' | 'sim' | 'local';

/** A model adapter. */
export interface ModelClient {
  readonly provider: ProviderName;
  /** The vendor's model id (configuration), as it appears in usage metrics. */
  readonly model: string;
  /**
   * Streams the answer: text chunks, then one usage chunk when the vendor reports it. Stops
   * promptly and quietly when `signal` aborts (the connection is closed, nothing more is
   * yielded). Failures are thrown as ModelError, before or after the first chunk.
   */
  stream(request: ModelRequest, opts: { signal?: AbortSignal }): AsyncIterable<ModelChunk>;
  /** Closes pooled connections. */
  close?(): Promise<void>;
}

/** Why a model call failed. Stable strings: they label metrics and drive fallback and downgrade. */
export type ModelErrorKind =
  | 'throttled' // 429 / ThrottlingException (a 503 ServiceUnavailable is `unavailable`)
  | 'timeout' // no chunk within the idle timeout, or connect timeout
  | 'disconnected' // the stream ended without the vendor's end marker, or the socket closed
  | 'unavailable' // 5xx, connection refused, DNS failure
  | 'rejected'; // 4xx other than 429: bad request, auth, model not found (not retryable)

/** Thrown by adapters. `status` is the HTTP status when there was one. */
export class ModelError extends Error {
  readonly kind: ModelErrorKind;
  readonly provider: ProviderName;
  readonly status?: number;
  constructor(provider: ProviderName, kind: ModelErrorKind, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, { cause: options?.cause });
    this.name = 'ModelError';
    this.provider = provider;
    this.kind = kind;
    this.status = options?.status;
  }
}

/** Connection settings every network adapter takes. */
export interface ConnectionOptions {
  /** Base URL or endpoint of the vendor (fakes in tests, a VPC endpoint, a self-hosted server). */
  baseUrl?: string;
  /** Sockets this model may hold open at once (its connection pool size). */
  maxConnections: number;
  /** DNS lookup used by the sockets (the 60 s cache); node's default when absent. */
  lookup?: import('node:net').LookupFunction;
  /** Longest wait for the next chunk (and for the response head), ms; past it the call fails with `timeout`. */
  idleTimeoutMs: number;
  /** Longest wait for a TCP/TLS connection, ms. */
  connectTimeoutMs: number;
}
