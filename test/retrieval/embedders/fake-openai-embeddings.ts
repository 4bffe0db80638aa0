/**
 * An OpenAI-compatible embeddings server: `POST /v1/embeddings` with `{model, input, encoding_format,
 * dimensions}` answered `{object: "list", data: [{object: "embedding", index, embedding}], model,
 * usage}`; `encoding_format: "base64"` gets little-endian float32 in base64; errors carry OpenAI's
 * `{error: {message, type, param, code}}` body. What the official `openai` package talks to.
 */
import { fakeVector } from './fake-model.ts';
import { startEmbeddingFake, type EmbeddingDialect, type EmbeddingFake, type EmbeddingRequest } from './fake-embedding-server.ts';

/** How the fake server behaves beyond its scripts. */
export interface FakeOpenAIEmbeddingsOptions {
  /** The one model it serves. @default 'fake-embed' */
  model?: string;
  /** The model's own vector size (when the request sends no `dimensions`). @default 384 */
  dimensions?: number;
  /** Whether the model can shorten its vectors (`dimensions` in the request); others refuse the field, like vLLM. @default true */
  acceptsDimensions?: boolean;
  /** The bearer key it wants; none: no authentication, like a self-hosted server. */
  apiKey?: string;
  /** `reversed`: `data` in reverse order (the index says which is which). @default 'reversed' */
  order?: 'given' | 'reversed';
  /** Length of the vectors it returns (TEI and vLLM return what the model gives). @default 3 */
  scale?: number;
  /** Ignore `encoding_format` and always send floats (some servers do). @default false */
  ignoresEncoding?: boolean;
}

const error = (status: number, message: string, type: string, code: string | null = null, param: string | null = null) => ({
  status,
  headers: status === 429 ? { 'retry-after': '1' } : undefined,
  body: { error: { message, type, param, code } },
});

function dialect(o: Required<Omit<FakeOpenAIEmbeddingsOptions, 'apiKey'>> & { apiKey?: string }): EmbeddingDialect {
  return {
    error(kind) {
      if (kind === 'throttle') return error(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded');
      if (kind === 'server_error') return error(500, 'The server had an error while processing your request.', 'server_error');
      if (kind === 'unavailable') return error(503, 'The engine is currently overloaded, please try again later.', 'server_error');
      return error(400, "'$.input' is invalid. Please check the API reference.", 'invalid_request_error');
    },
    async answer(req: EmbeddingRequest, script) {
      if (req.method !== 'POST' || req.path.split('?')[0] !== '/v1/embeddings') return error(404, `Invalid URL (${req.method} ${req.path})`, 'invalid_request_error');
      if (o.apiKey && req.headers.authorization !== `Bearer ${o.apiKey}`) return error(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
      const { model, input, encoding_format: encoding, dimensions } = req.body as { model?: unknown; input?: unknown; encoding_format?: unknown; dimensions?: unknown };
      if (model !== o.model) return error(404, `The model \`${String(model)}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
      const texts = typeof input === 'string' ? [input] : input;
      if (!Array.isArray(texts) || texts.length === 0 || texts.some((t) => typeof t !== 'string' || t.length === 0)) {
        return error(400, "'$.input' is invalid. Please check the API reference.", 'invalid_request_error', null, 'input');
      }
      if (encoding !== undefined && encoding !== 'float' && encoding !== 'base64') return error(400, `Invalid value for 'encoding_format': '${String(encoding)}'.`, 'invalid_request_error', null, 'encoding_format');
      if (dimensions !== undefined && (!o.acceptsDimensions || typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > o.dimensions)) {
        return error(400, `This model does not support specifying dimensions (${String(dimensions)}).`, 'invalid_request_error', null, 'dimensions');
      }
      const size = (typeof dimensions === 'number' ? dimensions : o.dimensions) - (script.fail === 'wrong_dimensions' ? 1 : 0);
      const data = await Promise.all(
        (texts as string[]).map(async (text, index) => {
          const v = await fakeVector(text, size, o.scale);
          const embedding = encoding === 'base64' && !o.ignoresEncoding ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
          return { object: 'embedding', index, embedding };
        }),
      );
      if (o.order === 'reversed') data.reverse();
      const tokens = (texts as string[]).reduce((n, t) => n + Math.ceil(t.length / 4), 0);
      return { status: 200, body: { object: 'list', data, model: o.model, usage: { prompt_tokens: tokens, total_tokens: tokens } } };
    },
  };
}

/** Starts the OpenAI-compatible embeddings fake on 127.0.0.1. */
export function startFakeOpenAIEmbeddings(options: FakeOpenAIEmbeddingsOptions = {}): Promise<EmbeddingFake> {
  const o = {
    model: options.model ?? 'fake-embed',
    dimensions: options.dimensions ?? 384,
    acceptsDimensions: options.acceptsDimensions ?? true,
    apiKey: options.apiKey,
    order: options.order ?? 'reversed',
    scale: options.scale ?? 3,
    ignoresEncoding: options.ignoresEncoding ?? false,
  };
  return startEmbeddingFake(dialect(o), (body) => {
    const input = body.input;
    return typeof input === 'string' ? [input] : Array.isArray(input) ? (input as string[]) : [];
  });
}
