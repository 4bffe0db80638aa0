/**
 * Embedder for any OpenAI-compatible `POST {base}/embeddings` (OpenAI, vLLM, Ollama, Hugging Face
 * TEI, llama.cpp), through the official `openai` package: the SDK builds the request and reads
 * the response and the error bodies; this file batches, bounds the requests in flight, owns the
 * keep-alive pool, checks and normalises the vectors and maps failures to EmbeddingError kinds.
 * Retries are the guard's (src/resilience), never the SDK's.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { LookupFunction } from 'node:net';
import { createHttpPool, statusErrorKind, transportErrorKind } from '../../llm/providers/http-dispatcher.ts';
import { openAIBaseUrl } from '../../llm/providers/openai-compatible.ts';
import type { Embedder, EmbedOptions } from '../types.ts';
import { EmbeddingError } from './errors.ts';
import { clip, inGroups, isBlank, requestSlots, toUnitVector } from './vectors.ts';

/** Options of {@link createOpenAICompatibleEmbedder}. */
export interface OpenAICompatibleEmbedderOptions {
  /** Server base URL: `https://api.openai.com/v1`, `http://vllm:8000/v1`; a bare origin gets `/v1`. */
  baseUrl: string;
  /** Model id as the server knows it (`text-embedding-3-small`, `intfloat/multilingual-e5-large`, `bge-m3`). */
  model: string;
  /** Bearer key; self-hosted servers usually need none. */
  apiKey?: string;
  /** Size of the vectors the model returns; every response is checked against it. */
  dimensions: number;
  /** Also send `dimensions` in the request, for models that shorten their vectors (text-embedding-3, Matryoshka models); others refuse it. @default false */
  requestDimensions?: boolean;
  /** `float` (every server) or `base64` (smaller bodies; OpenAI, vLLM, TEI). @default 'float' */
  encoding?: 'float' | 'base64';
  /** Texts per request (TEI refuses more than its --max-client-batch-size, 32 by default). @default 32 */
  batchSize?: number;
  /** Requests in flight at once, and the keep-alive sockets kept for them. @default 8 */
  maxConnections?: number;
  /** Longest wait for one response, ms; past it the request fails with `timeout`. @default 30000 */
  timeoutMs?: number;
  /** Longest wait for a TCP/TLS connection, ms. @default 2000 */
  connectTimeoutMs?: number;
  /** DNS lookup of the sockets (the service's 60 s cache); node's default when absent. */
  lookup?: LookupFunction;
  /** Characters of a text sent at most; the rest is cut (servers refuse inputs past the model's token limit). @default 4000 */
  maxChars?: number;
}

/** The SDK refuses to run without a key, and must never pick OPENAI_API_KEY from the environment for a self-hosted server. */
const NO_KEY = 'unused';
const PROVIDER = 'openai';

/** An Embedder over an OpenAI-compatible embeddings endpoint; `close()` ends its connection pool. */
export function createOpenAICompatibleEmbedder(opts: OpenAICompatibleEmbedderOptions): Embedder & { close(): Promise<void> } {
  const { dimensions, model } = opts;
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError('dimensions must be a positive integer');
  const batchSize = opts.batchSize ?? 32;
  const maxChars = opts.maxChars ?? 4000;
  const encoding = opts.encoding ?? 'float';
  const maxConnections = opts.maxConnections ?? 8;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const pool = createHttpPool({ maxConnections, lookup: opts.lookup, idleTimeoutMs: timeoutMs, connectTimeoutMs: opts.connectTimeoutMs ?? 2000 });
  const slots = requestSlots(PROVIDER, maxConnections);
  const sdk = new OpenAI({
    apiKey: opts.apiKey || NO_KEY,
    baseURL: openAIBaseUrl(opts.baseUrl),
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: timeoutMs,
    fetch: pool.fetch,
    fetchOptions: { dispatcher: pool.dispatcher },
  });

  async function request(texts: string[], signal: AbortSignal): Promise<Float32Array[]> {
    let res;
    try {
      res = await sdk.embeddings.create(
        {
          model,
          input: texts,
          // Always explicit: without it the SDK asks for base64 and decodes whatever comes back as
          // base64, and servers that ignore the field send floats (vectors a quarter of their size).
          encoding_format: encoding,
          ...(opts.requestDimensions ? { dimensions } : {}),
        },
        { signal },
      );
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toEmbeddingError(error);
    }
    const data = (res as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length !== texts.length) {
      throw new EmbeddingError(PROVIDER, 'bad_response', `${PROVIDER}: ${Array.isArray(data) ? data.length : 'no'} embeddings for ${texts.length} inputs`);
    }
    // The order is the one of `index`, which the API gives for exactly this: never trust the array order.
    const out: (Float32Array | undefined)[] = new Array(texts.length);
    for (const item of data as { index?: unknown; embedding?: unknown }[]) {
      const i = item?.index;
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= texts.length || out[i]) {
        throw new EmbeddingError(PROVIDER, 'bad_response', `${PROVIDER}: an embedding with index ${String(i)} for ${texts.length} inputs`);
      }
      const values = typeof item.embedding === 'string' ? decodeFloat32(item.embedding) : item.embedding;
      out[i] = toUnitVector(values, dimensions, PROVIDER);
    }
    return out as Float32Array[];
  }

  return {
    dimensions,
    async embed(texts: string[], callOpts?: EmbedOptions): Promise<Float32Array[]> {
      callOpts?.signal?.throwIfAborted();
      const out: Float32Array[] = new Array(texts.length);
      const sent: { at: number; text: string }[] = [];
      texts.forEach((text, at) => {
        if (isBlank(text)) out[at] = new Float32Array(dimensions);
        else sent.push({ at, text: clip(text, maxChars) });
      });
      const vectors = await inGroups(sent, batchSize, slots, callOpts?.signal, (group, signal) => request(group.map((s) => s.text), signal));
      sent.forEach((s, k) => (out[s.at] = vectors[k]));
      return out;
    },
    close: () => pool.close(),
  };
}

/** A base64 little-endian float32 array (what `encoding_format: base64` returns) as numbers. */
function decodeFloat32(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 4 !== 0) throw new EmbeddingError(PROVIDER, 'bad_response', `${PROVIDER}: a base64 embedding of ${bytes.length} bytes`);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

function toEmbeddingError(error: unknown): EmbeddingError {
  if (error instanceof EmbeddingError) return error;
  if (error instanceof APIConnectionTimeoutError) return new EmbeddingError(PROVIDER, 'timeout', `${PROVIDER}: no response in time`, { cause: error });
  // Nothing but the caller aborts requests (handled before): report it, never as a success.
  if (error instanceof APIUserAbortError) return new EmbeddingError(PROVIDER, 'disconnected', `${PROVIDER}: ${error.message}`, { cause: error });
  if (error instanceof APIConnectionError) {
    return new EmbeddingError(PROVIDER, transportErrorKind(error.cause ?? error), `${PROVIDER}: connection failed: ${String((error.cause as Error | undefined)?.message ?? error.message)}`, { cause: error });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const kind = error.status === 408 ? 'timeout' : statusErrorKind(error.status);
    return new EmbeddingError(PROVIDER, kind, `${PROVIDER} ${error.status}: ${error.message}`, { cause: error, status: error.status });
  }
  // A 200 whose body is not the JSON the SDK expects, or a body cut off while read.
  const message = String((error as Error)?.message ?? error);
  return new EmbeddingError(PROVIDER, error instanceof SyntaxError ? 'bad_response' : transportErrorKind(error), `${PROVIDER}: ${message}`, { cause: error });
}
