/**
 * ModelClient adapter for any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp
 * server, Ollama, OpenAI itself), through the official `openai` package. The SDK does the HTTP
 * and the SSE parsing; this file maps its chunks and failures, enforces the idle timeout and owns
 * the pool.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { estimateTokens } from '../stream-text.ts';
import { CallGuard, createHttpPool, statusErrorKind, transportErrorKind } from './http-dispatcher.ts';
import { ModelError, type ConnectionOptions, type ModelChunk, type ModelClient, type ModelErrorKind, type ModelRequest } from './types.ts';

/** Options of the OpenAI-compatible adapter. */
export interface OpenAICompatibleClientOptions extends ConnectionOptions {
  /** Model id as the server knows it (e.g. `Qwen/Qwen2.5-7B-Instruct` on vLLM, `llama3.1` on Ollama). */
  model: string;
  /** Bearer key; self-hosted servers usually need none. */
  apiKey?: string;
}

/**
 * The SDK refuses to build a client without a key, yet vLLM, llama.cpp and Ollama run without
 * one by default and ignore the Authorization header. An explicit placeholder also keeps the
 * SDK from picking up OPENAI_API_KEY from the environment and sending it to a self-hosted server.
 */
const NO_KEY = 'unused';

/**
 * The SDK appends `/chat/completions` to its baseURL, which by convention ends in `/v1`
 * (`https://api.openai.com/v1`, `http://host:8000/v1`). A bare origin (`http://host:8000`) gets
 * `/v1` added; a URL with a path is used as given (a proxy mounting the API elsewhere).
 */
export function openAIBaseUrl(baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined;
  const url = new URL(baseUrl);
  if (url.pathname === '/' || url.pathname === '') return `${url.origin}/v1`;
  return baseUrl.replace(/\/+$/, '');
}

/** Builds the OpenAI-compatible chat-completions adapter (provider `openai`). */
export function createOpenAICompatibleClient(opts: OpenAICompatibleClientOptions): ModelClient {
  const pool = createHttpPool(opts);
  const sdk = new OpenAI({
    apiKey: opts.apiKey || NO_KEY,
    baseURL: openAIBaseUrl(opts.baseUrl),
    // Never read from the environment: these headers would go to whatever server baseUrl names.
    organization: null,
    project: null,
    // Retries and fallback are the router's decision; an SDK retry would hide a 429 from it.
    maxRetries: 0,
    // The SDK's timeout only covers the wait for the response head; the guard below covers the stream.
    timeout: opts.idleTimeoutMs,
    fetch: pool.fetch,
    fetchOptions: { dispatcher: pool.dispatcher },
  });

  async function* stream(request: ModelRequest, { signal }: { signal?: AbortSignal }): AsyncGenerator<ModelChunk> {
    if (signal?.aborted) return;
    const { prompt } = request;
    const guard = new CallGuard(opts.idleTimeoutMs, signal);
    const fail = (error: unknown): ModelError => toModelError(error, guard);
    try {
      guard.arm();
      let chunks;
      try {
        chunks = await sdk.chat.completions.create(
          {
            model: opts.model,
            messages: [{ role: 'system', content: prompt.system }, ...prompt.messages.map((m) => ({ role: m.role, content: m.content }))],
            // `max_tokens`, not `max_completion_tokens`: the name every self-hosted server understands.
            max_tokens: prompt.maxTokens,
            ...(prompt.temperature === undefined ? {} : { temperature: prompt.temperature }),
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: guard.signal },
        );
      } catch (error) {
        if (guard.callerAborted) return;
        throw fail(error);
      }

      let usage: { inputTokens: number; outputTokens: number } | undefined;
      let finished = false;
      let text = '';
      try {
        for await (const chunk of chunks) {
          guard.arm();
          // Chunks already parsed when the caller aborted must not reach it.
          if (guard.callerAborted) return;
          if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          if (choice.finish_reason) finished = true;
          const piece = choice.delta?.content;
          if (piece) {
            text += piece;
            yield { type: 'text', text: piece };
          }
        }
      } catch (error) {
        if (guard.callerAborted) return;
        throw fail(error);
      }
      // The SDK ends its iterator quietly when the request is aborted: the watchdog's abort included.
      if (guard.callerAborted) return;
      if (guard.timedOut) throw guard.timeoutError('openai');
      // The SDK consumes `data: [DONE]` itself and ends the same way whether it came or not, so the
      // end marker visible here is the finish_reason every server sends on the last choice chunk.
      if (!finished) throw new ModelError('openai', 'disconnected', 'the stream ended without a finish_reason');
      // Servers that ignore stream_options send no usage: estimated so cost metrics still count the call.
      usage ??= {
        inputTokens: estimateTokens([prompt.system, ...prompt.messages.map((m) => m.content)].join('\n')),
        outputTokens: estimateTokens(text),
      };
      yield { type: 'usage', ...usage };
    } finally {
      guard.dispose();
    }
  }

  return {
    provider: 'openai',
    model: opts.model,
    stream,
    close: () => pool.close(),
  };
}

function toModelError(error: unknown, guard: CallGuard): ModelError {
  if (error instanceof ModelError) return error;
  if (guard.timedOut || error instanceof APIConnectionTimeoutError) return guard.timeoutError('openai', error);
  // Aborted neither by the caller nor by the watchdog: nothing else aborts, but never report it as success.
  if (error instanceof APIUserAbortError) return new ModelError('openai', 'disconnected', error.message, { cause: error });
  if (error instanceof APIConnectionError) return transportError(error.cause ?? error);
  if (error instanceof APIError) {
    if (typeof error.status === 'number') return new ModelError('openai', statusErrorKind(error.status), error.message, { cause: error, status: error.status });
    // An error object inside a 200 stream (vLLM sends `data: {"error": {...}}`): no status, maybe a numeric code.
    return new ModelError('openai', streamErrorKind(error.code, error.type), error.message, { cause: error });
  }
  // A body read that failed under the SDK (undici's "terminated"): the socket went away mid-stream.
  return transportError(error);
}

function transportError(error: unknown): ModelError {
  const kind = transportErrorKind(error);
  return new ModelError('openai', kind, `connection failed: ${String((error as Error)?.message ?? error)}`, { cause: error });
}

function streamErrorKind(code: unknown, type: string | null | undefined): ModelErrorKind {
  const status = Number(code);
  if (Number.isInteger(status) && status >= 400) return statusErrorKind(status);
  if (type && /rate.?limit/i.test(type)) return 'throttled';
  return 'unavailable';
}
