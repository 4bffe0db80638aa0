/**
 * A local Bedrock Runtime serving Titan Text Embeddings V2 on `POST /model/{modelId}/invoke`:
 * one `{inputText, dimensions, normalize, embeddingTypes?}` per request, answered
 * `{embedding, embeddingsByType?, inputTextTokenCount}` with Bedrock's response headers, and
 * Bedrock's REST-JSON errors (`x-amzn-errortype` plus a `{message}` body). The real
 * @aws-sdk/client-bedrock-runtime runs unchanged against it (SigV4 signing, error deserializer).
 */
import { randomUUID } from 'node:crypto';
import { fakeVector } from './fake-model.ts';
import { startEmbeddingFake, type DialectResponse, type EmbeddingDialect, type EmbeddingFake } from './fake-embedding-server.ts';

/** The model id the fake serves. */
export const TITAN_V2 = 'amazon.titan-embed-text-v2:0';

const KEYS = new Set(['inputText', 'dimensions', 'normalize', 'embeddingTypes']);

function bedrockError(status: number, type: string, message: string): DialectResponse {
  return {
    status,
    headers: { 'x-amzn-requestid': randomUUID(), 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    body: { message },
  };
}

const malformed = (detail: string) => bedrockError(400, 'ValidationException', `Malformed input request: ${detail}, please reformat your input and try again.`);

const dialect: EmbeddingDialect = {
  error(kind) {
    if (kind === 'throttle') return bedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
    if (kind === 'server_error') return bedrockError(500, 'InternalServerException', 'The server encountered an error processing your request. Try your request again.');
    if (kind === 'unavailable') return bedrockError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.');
    return malformed('#/inputText: expected maxLength: 50000');
  },
  async answer(req, script) {
    const match = /^\/model\/([^/]+)\/invoke$/.exec(req.path.split('?')[0]);
    if (req.method !== 'POST' || !match) return bedrockError(404, 'UnknownOperationException', 'Unknown operation');
    if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/bedrock\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/.test(String(req.headers.authorization))) {
      return bedrockError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (decodeURIComponent(match[1]) !== TITAN_V2) return bedrockError(400, 'ValidationException', 'The provided model identifier is invalid.');
    const body = req.body;
    for (const key of Object.keys(body)) if (!KEYS.has(key)) return malformed(`#: extraneous key [${key}] is not permitted`);
    const { inputText, dimensions = 1024, normalize = true, embeddingTypes } = body as { inputText?: unknown; dimensions?: unknown; normalize?: unknown; embeddingTypes?: unknown };
    if (typeof inputText !== 'string') return malformed('#: required key [inputText] not found');
    if (inputText.length === 0) return malformed('#/inputText: expected minLength: 1, actual: 0');
    if (dimensions !== 256 && dimensions !== 512 && dimensions !== 1024) return malformed(`#/dimensions: ${String(dimensions)} is not a valid enum value`);
    if (typeof normalize !== 'boolean') return malformed('#/normalize: expected type: Boolean');
    const size = dimensions - (script.fail === 'wrong_dimensions' ? 1 : 0);
    const embedding = await fakeVector(inputText, size, normalize ? 1 : 4.5);
    const tokens = Math.ceil(inputText.length / 4);
    const byType = Array.isArray(embeddingTypes) ? { embeddingsByType: Object.fromEntries((embeddingTypes as string[]).map((t) => [t, t === 'binary' ? embedding.map((x) => (x > 0 ? 1 : 0)) : embedding])) } : {};
    return {
      status: 200,
      headers: { 'x-amzn-requestid': randomUUID(), 'x-amzn-bedrock-invocation-latency': '12', 'x-amzn-bedrock-input-token-count': String(tokens) },
      body: { embedding, ...byType, inputTextTokenCount: tokens },
    };
  },
};

/** Starts the Bedrock Titan Text Embeddings V2 fake on 127.0.0.1. */
export function startFakeBedrockEmbeddings(): Promise<EmbeddingFake> {
  return startEmbeddingFake(dialect, (body) => (typeof body.inputText === 'string' ? [body.inputText] : []));
}
