/**
 * ModelClient adapter for the Anthropic Messages API (streaming), through the official
 * `@anthropic-ai/sdk`. The SDK does the HTTP and the SSE parsing; this file maps its events to
 * chunks and its failures to ModelError kinds, enforces the idle timeout and owns the pool.
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { CallGuard, createHttpPool, statusErrorKind, transportErrorKind } from './http-dispatcher.ts';
import { ModelError, type ConnectionOptions, type ModelChunk, type ModelClient, type ModelErrorKind, type ModelRequest } from './types.ts';

/** Options of the Anthropic adapter. */
export interface AnthropicClientOptions extends ConnectionOptions {
  /** Model id, e.g. `claude-sonnet-4-5`. */
  model: string;
  apiKey: string;
  /** `anthropic-version` header; the SDK's own default when absent. */
  version?: string;
}

/** Anthropic's 529 (`overloaded_error`) is capacity, like a 5xx: the router falls back. */
const OVERLOADED = 529;

/** Builds the Anthropic Messages API adapter (provider `anthropic`). */
export function createAnthropicClient(opts: AnthropicClientOptions): ModelClient {
  const pool = createHttpPool(opts);
  const sdk = new Anthropic({
    apiKey: opts.apiKey,
    baseURL: opts.baseUrl,
    // Retries and fallback are the router's decision; an SDK retry would hide a 429 from it.
    maxRetries: 0,
    // The SDK's timeout only covers the wait for the response head; the guard below covers the stream.
    timeout: opts.idleTimeoutMs,
    fetch: pool.fetch,
    fetchOptions: { dispatcher: pool.dispatcher },
    ...(opts.version ? { defaultHeaders: { 'anthropic-version': opts.version } } : {}),
  });

  async function* stream(request: ModelRequest, { signal }: { signal?: AbortSignal }): AsyncGenerator<ModelChunk> {
    if (signal?.aborted) return;
    const { prompt } = request;
    const guard = new CallGuard(opts.idleTimeoutMs, signal);
    const fail = (error: unknown): ModelError => toModelError(error, guard);
    try {
      guard.arm();
      let events;
      try {
        events = await sdk.messages.create(
          {
            model: opts.model,
            system: prompt.system,
            messages: prompt.messages.map((m) => ({ role: m.role, content: m.content })),
            max_tokens: prompt.maxTokens,
            ...(prompt.temperature === undefined ? {} : { temperature: prompt.temperature }),
            stream: true,
          },
          { signal: guard.signal },
        );
      } catch (error) {
        if (guard.callerAborted) return;
        throw fail(error);
      }

      let inputTokens = 0;
      let outputTokens = 0;
      let stopped = false;
      try {
        for await (const event of events) {
          guard.arm();
          // Events already parsed when the caller aborted must not reach it.
          if (guard.callerAborted) return;
          switch (event.type) {
            case 'message_start':
              inputTokens = event.message.usage.input_tokens;
              outputTokens = event.message.usage.output_tokens;
              break;
            case 'content_block_delta':
              if (event.delta.type === 'text_delta' && event.delta.text) yield { type: 'text', text: event.delta.text };
              break;
            case 'message_delta':
              // Counts in message_delta are cumulative for the whole message.
              outputTokens = event.usage.output_tokens;
              if (typeof event.usage.input_tokens === 'number') inputTokens = event.usage.input_tokens;
              break;
            case 'message_stop':
              stopped = true;
              break;
          }
        }
      } catch (error) {
        if (guard.callerAborted) return;
        throw fail(error);
      }
      // The SDK ends its iterator quietly when the request is aborted: the watchdog's abort included.
      if (guard.callerAborted) return;
      if (guard.timedOut) throw guard.timeoutError('anthropic');
      if (!stopped) throw new ModelError('anthropic', 'disconnected', 'the stream ended without message_stop');
      yield { type: 'usage', inputTokens, outputTokens };
    } finally {
      guard.dispose();
    }
  }

  return {
    provider: 'anthropic',
    model: opts.model,
    stream,
    close: () => pool.close(),
  };
}

function toModelError(error: unknown, guard: CallGuard): ModelError {
  if (error instanceof ModelError) return error;
  if (guard.timedOut || error instanceof APIConnectionTimeoutError) return guard.timeoutError('anthropic', error);
  // Aborted neither by the caller nor by the watchdog: nothing else aborts, but never report it as success.
  if (error instanceof APIUserAbortError) return new ModelError('anthropic', 'disconnected', error.message, { cause: error });
  if (error instanceof APIConnectionError) return transportError(error.cause ?? error);
  if (error instanceof APIError) {
    if (typeof error.status === 'number') {
      const kind = error.status === OVERLOADED ? 'unavailable' : statusErrorKind(error.status);
      return new ModelError('anthropic', kind, error.message, { cause: error, status: error.status });
    }
    // An `event: error` inside a 200 stream: no status, only Anthropic's error type.
    return new ModelError('anthropic', streamErrorKind(error.type), error.message, { cause: error });
  }
  // A body read that failed under the SDK (undici's "terminated"): the socket went away mid-stream.
  return transportError(error);
}

function transportError(error: unknown): ModelError {
  const kind = transportErrorKind(error);
  return new ModelError('anthropic', kind, `connection failed: ${String((error as Error)?.message ?? error)}`, { cause: error });
}

function streamErrorKind(type: string | null | undefined): ModelErrorKind {
  switch (type) {
    case 'rate_limit_error':
      return 'throttled';
    case 'invalid_request_error':
    case 'authentication_error':
    case 'permission_error':
    case 'not_found_error':
    case 'request_too_large':
      return 'rejected';
    default:
      // overloaded_error, api_error and types added later: the vendor's side, so another model may answer.
      return 'unavailable';
  }
}
