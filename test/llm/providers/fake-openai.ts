/**
 * OpenAI-compatible chat-completions fake: POST /v1/chat/completions answered with
 * `chat.completion.chunk` SSE lines, a finish_reason chunk, a usage chunk when the request asks
 * for it (stream_options.include_usage), then `data: [DONE]`; errors carry OpenAI's JSON error body.
 */
import { sseFrame, startSseFake, type SseDialect, type SseFake, type StreamContext } from './sse-fake.ts';

/** How the fake server behaves beyond its scripts. */
export interface FakeOpenAIOptions {
  /** false: like servers that ignore stream_options, never send a usage chunk. Default true. */
  usage?: boolean;
}

const ERRORS: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
  503: { type: 'server_error', code: null },
};

function dialect(options: FakeOpenAIOptions): SseDialect {
  const wantsUsage = (ctx: StreamContext) =>
    options.usage !== false && (ctx.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  // Every chunk carries the same envelope; OpenAI sends `usage: null` on each while include_usage is on.
  const chunk = (ctx: StreamContext, choices: unknown[], usage?: unknown) =>
    sseFrame(undefined, {
      id: `chatcmpl-${ctx.id}`,
      object: 'chat.completion.chunk',
      created: 1_790_000_000,
      model: ctx.body.model,
      choices,
      ...(wantsUsage(ctx) ? { usage: usage ?? null } : {}),
    });
  return {
    path: '/v1/chat/completions',
    validate() {
      return undefined;
    },
    error(kind, status) {
      const code = status ?? { throttle: 429, server_error: 500, bad_request: 400 }[kind];
      const e = ERRORS[code] ?? { type: code >= 500 ? 'server_error' : 'invalid_request_error', code: null };
      return {
        status: code,
        headers: code === 429 ? { 'retry-after': '1' } : undefined,
        body: { error: { message: `fake ${e.type}`, type: e.type, param: null, code: e.code } },
      };
    },
    open(ctx) {
      return chunk(ctx, [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
    },
    piece(text, ctx) {
      return chunk(ctx, [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }]);
    },
    close(ctx) {
      const { inputTokens, outputTokens } = ctx.usage;
      return (
        chunk(ctx, [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]) +
        (wantsUsage(ctx)
          ? chunk(ctx, [], { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens })
          : '') +
        sseFrame(undefined, '[DONE]')
      );
    },
    streamError() {
      // vLLM's shape for an error after the stream started.
      return sseFrame(undefined, { error: { object: 'error', message: 'fake engine overloaded', type: 'ServiceUnavailableError', param: null, code: 503 } });
    },
  };
}

/** Starts an OpenAI-compatible chat-completions fake on 127.0.0.1. */
export function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<SseFake> {
  return startSseFake(dialect(options));
}
