/**
 * Amazon Bedrock adapter: ConverseStream through the AWS SDK v3 (SigV4 signing, the binary
 * event-stream decoder and Bedrock's error shapes come from the SDK; this file only configures
 * the connection pool, enforces our timeouts and maps the stream and errors onto the port).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  BedrockRuntimeClient,
  BedrockRuntimeServiceException,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ModelError, type ConnectionOptions, type ModelChunk, type ModelClient, type ModelErrorKind, type ModelRequest } from './types.ts';

/** Static AWS credentials (tests, or keys from configuration); without them the SDK's default chain is used. */
export interface BedrockCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What a Bedrock model needs: the connection settings, the model id and its region. */
export type BedrockClientOptions = ConnectionOptions & {
  model: string;
  region: string;
  credentials?: BedrockCredentials;
};

const PROVIDER = 'bedrock';

// Network failures where no request reached the vendor: the endpoint is down or unreachable.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);
// Failures of a connection that was up: the vendor or the network dropped it.
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * Maps an SDK or network error onto a ModelError kind. `streaming` is true once the response's
 * first event arrived: a broken connection there lost part of an answer ('disconnected').
 */
function toModelError(err: unknown, streaming: boolean): ModelError {
  if (err instanceof ModelError) return err;
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? 'Error';
  const make = (kind: ModelErrorKind) =>
    new ModelError(PROVIDER, kind, `bedrock ${name}${status ? ` (${status})` : ''}: ${e.message ?? String(err)}`, { cause: err, status });

  switch (name) {
    case 'ThrottlingException':
      return make('throttled');
    case 'ServiceUnavailableException':
    case 'InternalServerException':
      return make('unavailable');
    // Bedrock's "an error occurred while streaming the response": the answer broke off part-way,
    // which the router treats like a dropped connection (retryable, the partial text is discarded).
    case 'ModelStreamErrorException':
      return make('disconnected');
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
  if (e.code && UNREACHABLE.has(e.code)) return make('unavailable');
  if (e.code === 'ETIMEDOUT') return make('timeout');
  // Resets, "aborted", premature close, a truncated event message: the connection broke, be it
  // mid-stream or after a 200 head whose first event never came (the SDK reads that one in send()).
  const broke = streaming || (status !== undefined && status < 300) || (e.code !== undefined && BROKEN.has(e.code));
  return make(broke ? 'disconnected' : 'unavailable');
}

// Bedrock versions that model exceptions as union members of the stream (instead of throwing).
const STREAM_EXCEPTIONS = {
  throttlingException: 'ThrottlingException',
  modelStreamErrorException: 'ModelStreamErrorException',
  serviceUnavailableException: 'ServiceUnavailableException',
  internalServerException: 'InternalServerException',
  validationException: 'ValidationException',
} as const;

/** Builds the Bedrock ConverseStream adapter (provider 'bedrock'). */
export function createBedrockClient(opts: BedrockClientOptions): ModelClient {
  const agentOptions = { keepAlive: true, maxSockets: opts.maxConnections, lookup: opts.lookup };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  const client = new BedrockRuntimeClient({
    region: opts.region,
    endpoint: opts.baseUrl,
    credentials: opts.credentials,
    // Retrying and falling back are the router's decisions, made with the whole pool in view.
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpAgent,
      httpsAgent,
      connectionTimeout: opts.connectTimeoutMs,
      // A backstop only: the idle timer below decides. It is longer because the socket also sits
      // idle while a slow consumer holds back reading, which the idle timer does not count.
      socketTimeout: opts.idleTimeoutMs * 2,
    }),
  });

  async function* stream(request: ModelRequest, { signal }: { signal?: AbortSignal }): AsyncGenerator<ModelChunk> {
    if (signal?.aborted) return;
    const { prompt } = request;
    const command = new ConverseStreamCommand({
      modelId: opts.model,
      system: [{ text: prompt.system }],
      messages: prompt.messages.map((m) => ({ role: m.role, content: [{ text: m.content }] })),
      inferenceConfig: { maxTokens: prompt.maxTokens, temperature: prompt.temperature },
    });

    // One controller ends the request for either reason; `why` remembers which, so an abort
    // by the caller ends quietly and one by the idle timer fails with 'timeout'.
    const ac = new AbortController();
    let why: 'caller' | 'idle' | undefined;
    const stop = (reason: 'caller' | 'idle') => {
      why ??= reason;
      ac.abort();
    };
    const aborted = new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true }));
    aborted.catch(() => {});
    const onCallerAbort = () => stop('caller');
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    // The idle timer runs only while we wait on Bedrock (not while our consumer handles a chunk),
    // and races every wait, so a stall fails on time whatever the HTTP handler does.
    let timer: NodeJS.Timeout | undefined;
    const wait = async <T>(p: Promise<T>): Promise<T> => {
      timer = setTimeout(() => stop('idle'), opts.idleTimeoutMs);
      try {
        return await Promise.race([p, aborted]);
      } finally {
        clearTimeout(timer);
      }
    };
    const idleError = () => new ModelError(PROVIDER, 'timeout', `bedrock: nothing received for ${opts.idleTimeoutMs} ms`);

    let iterator: AsyncIterator<ConverseStreamOutput> | undefined;
    let finished = false;
    let streaming = false;
    try {
      let output;
      try {
        output = await wait(client.send(command, { abortSignal: ac.signal }));
      } catch (err) {
        if (why === 'caller') return;
        if (why === 'idle') throw idleError();
        throw toModelError(err, false);
      }
      if (!output.stream) throw new ModelError(PROVIDER, 'disconnected', 'bedrock: response without an event stream');
      iterator = output.stream[Symbol.asyncIterator]();
      streaming = true;
      let stopped = false;
      let usage: ModelChunk | undefined;
      while (true) {
        let next: IteratorResult<ConverseStreamOutput>;
        try {
          next = await wait(iterator.next());
        } catch (err) {
          if (why === 'caller') return;
          if (why === 'idle') throw idleError();
          // The answer is whole once messageStop came; a failure after it only loses the usage.
          if (stopped) break;
          throw toModelError(err, streaming);
        }
        if (next.done) break;
        const event = next.value;
        for (const [member, name] of Object.entries(STREAM_EXCEPTIONS)) {
          const ex = (event as unknown as Record<string, { message?: string } | undefined>)[member];
          if (ex) throw toModelError(Object.assign(new Error(ex.message ?? name), { name }), streaming);
        }
        const text = event.contentBlockDelta?.delta?.text;
        if (text) {
          yield { type: 'text', text };
          if (signal?.aborted) return;
        }
        if (event.messageStop) stopped = true;
        const u = event.metadata?.usage;
        if (u) usage = { type: 'usage', inputTokens: u.inputTokens ?? 0, outputTokens: u.outputTokens ?? 0 };
      }
      if (!stopped) throw new ModelError(PROVIDER, 'disconnected', 'bedrock: the stream ended without messageStop');
      finished = true;
      // Bedrock reports usage in `metadata`, after messageStop: it is always the last chunk.
      if (usage) yield usage;
    } finally {
      signal?.removeEventListener('abort', onCallerAbort);
      clearTimeout(timer);
      if (!finished) {
        // Ends the HTTP request (the socket is destroyed, not returned to the pool half-read).
        ac.abort();
        iterator?.return?.().catch(() => {});
      }
    }
  }

  return {
    provider: PROVIDER,
    model: opts.model,
    stream,
    async close() {
      client.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
