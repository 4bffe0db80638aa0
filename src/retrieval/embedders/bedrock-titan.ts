/**
 * Embedder for Amazon Titan Text Embeddings V2 on Bedrock: InvokeModel on
 * `amazon.titan-embed-text-v2:0` through the AWS SDK v3 (SigV4 signing and Bedrock's error
 * shapes come from the SDK). Titan embeds one text per call, so a batch is many calls, at most
 * `maxConnections` in flight over one keep-alive pool. Retries are the guard's, never the SDK's.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { BedrockRuntimeClient, BedrockRuntimeServiceException, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Embedder, EmbedOptions } from '../types.ts';
import { EmbeddingError, type EmbeddingErrorKind } from './errors.ts';
import { clip, inGroups, isBlank, requestSlots, toUnitVector } from './vectors.ts';

/** The vector sizes Titan Text Embeddings V2 offers. */
export const TITAN_V2_DIMENSIONS = [256, 512, 1024] as const;

/** Options of {@link createBedrockTitanEmbedder}. */
export interface BedrockTitanEmbedderOptions {
  /** @default 'amazon.titan-embed-text-v2:0' */
  model?: string;
  region: string;
  /** Endpoint override: a VPC endpoint, or a local fake in tests. */
  endpoint?: string;
  /** Static credentials (tests); without them the SDK's default chain is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** 256, 512 or 1024. @default 1024 */
  dimensions?: (typeof TITAN_V2_DIMENSIONS)[number];
  /** Calls in flight at once, and the keep-alive sockets kept for them. @default 8 */
  maxConnections?: number;
  /** Longest wait for one response, ms; past it the call fails with `timeout`. @default 30000 */
  timeoutMs?: number;
  /** Longest wait for a TCP/TLS connection, ms. @default 2000 */
  connectTimeoutMs?: number;
  /** DNS lookup of the sockets (the service's 60 s cache); node's default when absent. */
  lookup?: LookupFunction;
  /** Characters of a text sent at most (Titan takes up to 50,000 characters / 8,192 tokens). @default 4000 */
  maxChars?: number;
}

const PROVIDER = 'bedrock';
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);

/** An Embedder over Bedrock Titan Text Embeddings V2; `close()` ends its connection pool. */
export function createBedrockTitanEmbedder(opts: BedrockTitanEmbedderOptions): Embedder & { close(): Promise<void> } {
  const model = opts.model ?? 'amazon.titan-embed-text-v2:0';
  const dimensions = opts.dimensions ?? 1024;
  if (!TITAN_V2_DIMENSIONS.includes(dimensions)) throw new RangeError(`Titan Text Embeddings V2 offers ${TITAN_V2_DIMENSIONS.join(', ')} dimensions, not ${dimensions}`);
  const maxConnections = opts.maxConnections ?? 8;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxChars = opts.maxChars ?? 4000;
  const agentOptions = { keepAlive: true, maxSockets: maxConnections, lookup: opts.lookup };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  const client = new BedrockRuntimeClient({
    region: opts.region,
    endpoint: opts.endpoint,
    credentials: opts.credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent, httpsAgent, connectionTimeout: opts.connectTimeoutMs ?? 2000, requestTimeout: timeoutMs }),
  });
  const slots = requestSlots(PROVIDER, maxConnections);

  async function embedOne(text: string, signal: AbortSignal): Promise<Float32Array> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const abortSignal = AbortSignal.any([signal, deadline]);
    let body: string;
    try {
      const out = await client.send(
        new InvokeModelCommand({
          modelId: model,
          contentType: 'application/json',
          accept: 'application/json',
          body: JSON.stringify({ inputText: text, dimensions, normalize: true }),
        }),
        { abortSignal },
      );
      body = out.body.transformToString();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (deadline.aborted) throw new EmbeddingError(PROVIDER, 'timeout', `${PROVIDER}: no response within ${timeoutMs} ms`, { cause: error });
      throw toEmbeddingError(error);
    }
    let parsed: { embedding?: unknown; embeddingsByType?: { float?: unknown } };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch (error) {
      throw new EmbeddingError(PROVIDER, 'bad_response', `${PROVIDER}: the response is not JSON`, { cause: error });
    }
    // `embeddingsByType.float` when embeddingTypes was asked for; `embedding` always otherwise.
    return toUnitVector(parsed?.embedding ?? parsed?.embeddingsByType?.float, dimensions, PROVIDER);
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
      const vectors = await inGroups(sent, 1, slots, callOpts?.signal, async ([s], signal) => [await embedOne(s.text, signal)]);
      sent.forEach((s, k) => (out[s.at] = vectors[k]));
      return out;
    },
    async close() {
      client.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function toEmbeddingError(err: unknown): EmbeddingError {
  if (err instanceof EmbeddingError) return err;
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? 'Error';
  const make = (kind: EmbeddingErrorKind) => new EmbeddingError(PROVIDER, kind, `${PROVIDER} ${name}${status ? ` (${status})` : ''}: ${e.message ?? String(err)}`, { cause: err, status });
  // The socket's own code first: the HTTP handler names a reset socket a TimeoutError ("socket hang up").
  if (e.code && BROKEN.has(e.code)) return make('disconnected');
  if (e.code && UNREACHABLE.has(e.code)) return make('unavailable');
  if (e.code === 'ETIMEDOUT') return make('timeout');
  switch (name) {
    case 'ThrottlingException':
      return make('throttled');
    case 'ServiceUnavailableException':
    case 'InternalServerException':
    case 'ModelNotReadyException':
    case 'ModelErrorException':
      return make('unavailable');
    case 'ModelTimeoutException':
    case 'TimeoutError':
      return make('timeout');
    case 'ValidationException':
    case 'AccessDeniedException':
    case 'ResourceNotFoundException':
    case 'UnrecognizedClientException':
    case 'ServiceQuotaExceededException':
    case 'CredentialsProviderError':
      return make('rejected');
  }
  if (status !== undefined) {
    if (status === 429) return make('throttled');
    if (status === 408) return make('timeout');
    if (status >= 500) return make('unavailable');
    if (status >= 400) return make('rejected');
  }
  if (err instanceof BedrockRuntimeServiceException || e.$fault) return make(e.$fault === 'client' ? 'rejected' : 'unavailable');
  return make(status !== undefined && status < 300 ? 'disconnected' : 'unavailable');
}
