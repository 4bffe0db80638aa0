// The Titan Text Embeddings V2 embedder (the real AWS SDK: SigV4, REST-JSON errors) against the
// Bedrock InvokeModel fake: the remote contract, then the wire format only Bedrock has.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createBedrockTitanEmbedder, type BedrockTitanEmbedderOptions } from '../../../src/retrieval/embedders/bedrock-titan.ts';
import { EmbeddingError } from '../../../src/retrieval/embedders/errors.ts';
import { remoteEmbedderContract, type RemoteEmbedder } from './remote-embedder.contract.ts';
import { startFakeBedrockEmbeddings, TITAN_V2 } from './fake-bedrock-embeddings.ts';
import { fakeVector } from './fake-model.ts';
import type { EmbeddingFake } from './fake-embedding-server.ts';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const base = { region: 'ap-northeast-1', credentials, dimensions: 512 as const };

remoteEmbedderContract('bedrock titan v2 embedder', {
  startFake: startFakeBedrockEmbeddings,
  embedder: (url, o) => createBedrockTitanEmbedder({ ...base, endpoint: url, timeoutMs: o.timeoutMs, maxConnections: o.maxConnections }),
});

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe('bedrock titan v2 embedder: the wire', () => {
  let fake: EmbeddingFake;
  const made: RemoteEmbedder[] = [];
  const make = (o: Partial<BedrockTitanEmbedderOptions> = {}) => {
    const e = createBedrockTitanEmbedder({ ...base, endpoint: fake.url, ...o });
    made.push(e);
    return e;
  };
  before(async () => {
    fake = await startFakeBedrockEmbeddings();
  });
  after(async () => {
    await Promise.all(made.map((e) => e.close()));
    await fake.close();
  });

  it('InvokeModel on the Titan V2 model id, SigV4-signed for bedrock in the region, one text per request', async () => {
    const sent = fake.requests.length;
    const out = await make().embed(['One Piece', '進撃の巨人', 'Vinland Saga']);
    const reqs = fake.requests.slice(sent);
    assert.equal(reqs.length, 3);
    for (const r of reqs) {
      assert.equal(decodeURIComponent(r.path), `/model/${TITAN_V2}/invoke`);
      assert.match(String(r.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/ap-northeast-1\/bedrock\/aws4_request, /);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers.accept, 'application/json');
    }
    assert.deepEqual(reqs.map((r) => r.body).sort((a, b) => String(a.inputText).localeCompare(String(b.inputText))), [
      { inputText: 'One Piece', dimensions: 512, normalize: true },
      { inputText: 'Vinland Saga', dimensions: 512, normalize: true },
      { inputText: '進撃の巨人', dimensions: 512, normalize: true },
    ]);
    // In the order asked, whatever order the concurrent requests came back in.
    for (const [i, t] of ['One Piece', '進撃の巨人', 'Vinland Saga'].entries()) assert.ok(dot(out[i], await fakeVector(t, 512)) > 0.9999, t);
  });

  it('every size Titan offers; another is refused before any request', async () => {
    for (const dimensions of [256, 1024] as const) {
      const [v] = await make({ dimensions }).embed(['Berserk']);
      assert.equal(v.length, dimensions);
      assert.equal(fake.requests.at(-1)!.body.dimensions, dimensions);
    }
    assert.throws(() => createBedrockTitanEmbedder({ ...base, dimensions: 384 as 512 }), RangeError);
  });

  it('an unknown model id is `rejected` (ValidationException, 400)', async () => {
    await assert.rejects(make({ model: 'amazon.titan-embed-text-v9:0' }).embed(['x']), (err: unknown) => err instanceof EmbeddingError && err.kind === 'rejected' && err.status === 400 && /model identifier is invalid/.test(err.message));
  });

  it('a Titan model configured at another size than it returns is a bad_response', async () => {
    fake.next({ fail: 'wrong_dimensions' });
    await assert.rejects(make().embed(['Dorohedoro']), (err: unknown) => err instanceof EmbeddingError && err.kind === 'bad_response' && /511 dimensions, 512 expected/.test(err.message));
  });
});
