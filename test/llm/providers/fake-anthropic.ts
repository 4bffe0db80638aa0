/**
 * Anthropic Messages API fake: POST /v1/messages answered with the real SSE event sequence
 * (message_start, content_block_start, ping, content_block_delta, content_block_stop,
 * message_delta, message_stop) and Anthropic's real JSON error bodies, so @anthropic-ai/sdk runs.
 * A request without an API key or without `anthropic-version` is refused as the API would.
 */
import { sseFrame, startSseFake, type SseDialect, type SseFake, type StreamContext } from './sse-fake.ts';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

function errorBody(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

const anthropic: SseDialect = {
  path: '/v1/messages',
  validate(req) {
    // @anthropic-ai/sdk 0.x sent the key as x-api-key; 1.x sends it as `Authorization: Bearer`. Both are the API's.
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1]?.trim();
    if (!req.headers['x-api-key'] && !bearer) return { status: 401, body: errorBody('authentication_error', 'an API key is required (x-api-key or Authorization: Bearer)') };
    if (!req.headers['anthropic-version']) return { status: 400, body: errorBody('invalid_request_error', 'anthropic-version header is required') };
    return undefined;
  },
  error(kind, status) {
    const code = status ?? { throttle: 429, server_error: 500, bad_request: 400 }[kind];
    const type = ERROR_TYPES[code] ?? (code >= 500 ? 'api_error' : 'invalid_request_error');
    return {
      status: code,
      headers: code === 429 ? { 'retry-after': '1' } : undefined,
      body: errorBody(type, `fake ${type}`),
    };
  },
  open(ctx: StreamContext) {
    return (
      sseFrame('message_start', {
        type: 'message_start',
        message: {
          id: `msg_${ctx.id}`,
          type: 'message',
          role: 'assistant',
          content: [],
          model: ctx.body.model,
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: ctx.usage.inputTokens, output_tokens: 1 },
        },
      }) +
      sseFrame('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
      sseFrame('ping', { type: 'ping' })
    );
  },
  piece(text) {
    return sseFrame('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
  },
  close(ctx) {
    return (
      sseFrame('content_block_stop', { type: 'content_block_stop', index: 0 }) +
      sseFrame('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: ctx.usage.outputTokens } }) +
      sseFrame('message_stop', { type: 'message_stop' })
    );
  },
  streamError() {
    return sseFrame('error', errorBody('overloaded_error', 'Overloaded'));
  },
};

/** Starts an Anthropic Messages API fake on 127.0.0.1. */
export function startFakeAnthropic(): Promise<SseFake> {
  return startSseFake(anthropic);
}
