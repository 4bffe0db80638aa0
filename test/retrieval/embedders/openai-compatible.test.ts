// The OpenAI-compatible embedder (the official `openai` package) against the /v1/embeddings fake:
// the remote contract, then the wire format only this vendor has.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAICompatibleEmbedder, type OpenAICompatibleEmbedderOptions } from '../../../src/retrieval/embedders/openai-compatible.ts';
import { EmbeddingError } from '../../../src/retrieval/embedders/errors.ts';
import { remoteEmbedderContract, type RemoteEmbedder } from './remote-embedder.contract.ts';
import { startFakeOpenAIEmbeddings } from './fake-openai-embeddings.ts';
import { fakeVector } from './fake-model.ts';
import type { EmbeddingFake } from './fake-embedding-server.ts';

const base = { model: 'fake-embed', dimensions: 384, batchSize: 32 };

remoteEmbedderContract('openai-compatible embedder', {
  startFake: () => startFakeOpenAIEmbeddings(),
  embedder: (url, o) => createOpenAICompatibleEmbedder({ ...base, baseUrl: url, timeoutMs: o.timeoutMs, maxConnections: o.maxConnections }),
});

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe('openai-compatible embedder: the wire', () => {
  let fake: EmbeddingFake;
  const made: RemoteEmbedder[] = [];
  const make = (o: Partial<OpenAICompatibleEmbedderOptions> = {}) => {
    const e = createOpenAICompatibleEmbedder({ ...base, baseUrl: fake.url, ...o });
    made.push(e);
    return e;
  };
  before(async () => {
    fake = await startFakeOpenAIEmbeddings({ apiKey: 'sk-test' });
  });
  after(async () => {
    await Promise.all(made.map((e) => e.close()));
    await fake.close();
  });

  it('POSTs {model, input[], encoding_format: float} to {base}/v1/embeddings with the bearer key, no dimensions unless asked', async () => {
    // A bare origin gets /v1, as the chat adapter does.
    await make({ apiKey: 'sk-test' }).embed(['One Piece', '進撃の巨人']);
    const req = fake.requests.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/v1/embeddings');
    assert.equal(req.headers.authorization, 'Bearer sk-test');
    assert.deepEqual(req.body, { model: 'fake-embed', input: ['One Piece', '進撃の巨人'], encoding_format: 'float' });
  });

  it('vectors follow `index`, not the array order (the fake answers in reverse), and are normalised', async () => {
    const texts = ['Naruto', 'Bleach', 'Monster'];
    const out = await make({ apiKey: 'sk-test' }).embed(texts);
    for (let i = 0; i < texts.length; i++) {
      const raw = await fakeVector(texts[i], 384);
      assert.ok(dot(out[i], raw) > 0.9999, texts[i]);
      assert.ok(Math.abs(dot(out[i], out[i]) - 1) < 1e-5);
    }
  });

  it('splits a call into requests of batchSize texts', async () => {
    const sent = fake.requests.length;
    await make({ apiKey: 'sk-test', batchSize: 4 }).embed(Array.from({ length: 10 }, (_, i) => `t${i}`));
    const sizes = fake.requests.slice(sent).map((r) => (r.body.input as string[]).length);
    assert.deepEqual(sizes.sort(), [2, 4, 4]);
  });

  it('base64 encoding: asked on the wire, decoded to the same vectors', async () => {
    const [b64] = await make({ apiKey: 'sk-test', encoding: 'base64' }).embed(['Haikyuu!!']);
    assert.equal(fake.requests.at(-1)!.body.encoding_format, 'base64');
    const [flt] = await make({ apiKey: 'sk-test' }).embed(['Haikyuu!!']);
    assert.ok(dot(b64, flt) > 0.99999);
  });

  it('requestDimensions sends `dimensions` and gets vectors of that size', async () => {
    const e = make({ apiKey: 'sk-test', dimensions: 256, requestDimensions: true });
    const [v] = await e.embed(['Chainsaw Man']);
    assert.equal(fake.requests.at(-1)!.body.dimensions, 256);
    assert.equal(v.length, 256);
  });

  it('a server that ignores encoding_format=base64 and sends floats still gives whole vectors', async () => {
    const lax = await startFakeOpenAIEmbeddings({ ignoresEncoding: true });
    try {
      const e = createOpenAICompatibleEmbedder({ ...base, baseUrl: lax.url, encoding: 'base64' });
      made.push(e);
      const [v] = await e.embed(['Frieren']);
      assert.equal(v.length, 384);
    } finally {
      await lax.close();
    }
  });

  it('a model of another size than configured is a bad_response, never a truncated vector', async () => {
    await assert.rejects(make({ apiKey: 'sk-test', dimensions: 768 }).embed(['Dorohedoro']), (err: unknown) => err instanceof EmbeddingError && err.kind === 'bad_response' && /384 dimensions, 768 expected/.test(err.message));
  });

  it('a wrong key (401) and an unknown model (404) are `rejected` with the status', async () => {
    await assert.rejects(make({ apiKey: 'wrong' }).embed(['x']), (err: unknown) => err instanceof EmbeddingError && err.kind === 'rejected' && err.status === 401);
    await assert.rejects(make({ apiKey: 'sk-test', model: 'nope' }).embed(['x']), (err: unknown) => err instanceof EmbeddingError && err.kind === 'rejected' && err.status === 404);
  });

  it('long texts are cut to maxChars before they are sent (servers refuse inputs past the model limit)', async () => {
    await make({ apiKey: 'sk-test', maxChars: 10 }).embed(['x'.repeat(50)]);
    assert.deepEqual(fake.requests.at(-1)!.body.input, ['x'.repeat(10)]);
  });
});
