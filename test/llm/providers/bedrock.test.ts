/**
 * The Bedrock adapter against the Bedrock fake (real SDK, real SigV4, real binary event stream):
 * the shared provider contract, then what only Bedrock has (signing, the model id in the path,
 * exceptions sent inside a 200 event stream).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { createBedrockClient } from '../../../src/llm/providers/bedrock.ts';
import type { ConnectionOptions, ModelChunk, ModelClient } from '../../../src/llm/providers/types.ts';
import { modelClientContract, runModel, textOf } from './model-client.contract.ts';
import { startFakeBedrock, type FakeBedrock } from './fake-bedrock.ts';
import type { FakeVendor } from './fake-vendor.ts';
import { richGrounding } from '../fixtures.ts';

const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const defaults: ConnectionOptions = { maxConnections: 4, idleTimeoutMs: 1000, connectTimeoutMs: 1000 };

const clientFor = (fake: FakeVendor, conn: Partial<ConnectionOptions> = {}): ModelClient =>
  createBedrockClient({
    ...defaults,
    ...conn,
    baseUrl: fake.url,
    model: MODEL,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
  });

interface ConverseBody {
  system: { text: string }[];
  messages: { role: string; content: { text: string }[] }[];
  inferenceConfig: { maxTokens: number; temperature?: number };
}

modelClientContract('bedrock', {
  startFake: startFakeBedrock,
  client: clientFor,
  promptOf: (body) => {
    const b = body as ConverseBody;
    return {
      system: b.system.map((s) => s.text).join(''),
      messages: b.messages.map((m) => ({ role: m.role, content: m.content.map((c) => c.text).join('') })),
      maxTokens: b.inferenceConfig.maxTokens,
    };
  },
});

const request = () => ({
  prompt: { system: 'Answer from the facts.', messages: [{ role: 'user' as const, content: '110巻はいくら?' }], maxTokens: 100, temperature: 0.2 },
  grounding: richGrounding('price_availability', 'ja'),
});

const run = (client: ModelClient) => runModel(client, request());

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 200) assert.fail('condition not met in 2 s');
    await delay(10);
  }
}


describe('Bedrock adapter', () => {
  let fake: FakeBedrock;
  let client: ModelClient;
  before(async () => {
    fake = await startFakeBedrock();
    client = clientFor(fake);
  });
  after(async () => {
    await client.close?.();
    await fake.close();
  });

  it('signs with SigV4 for bedrock in the configured region and puts the model id in the path', async () => {
    fake.next({ pieces: ['ok'] });
    const { chunks, error } = await run(client);
    assert.equal(error, undefined);
    assert.equal(textOf(chunks), 'ok');
    const sent = fake.requests.at(-1)!;
    const auth = String(sent.headers.authorization);
    assert.match(auth, /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/ap-northeast-1\/bedrock\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/);
    assert.ok(sent.headers['x-amz-date'], 'x-amz-date is sent');
    assert.equal(decodeURIComponent(sent.path), `/model/${MODEL}/converse-stream`);
  });

  it('sends the temperature in inferenceConfig and the system prompt as a text block', async () => {
    fake.next({ pieces: ['ok'] });
    await run(client);
    const body = fake.requests.at(-1)!.body as ConverseBody;
    assert.deepEqual(body.inferenceConfig, { maxTokens: 100, temperature: 0.2 });
    assert.deepEqual(body.system, [{ text: 'Answer from the facts.' }]);
    assert.deepEqual(body.messages, [{ role: 'user', content: [{ text: '110巻はいくら?' }] }]);
  });

  it('reports the default usage the fake derives when none is scripted', async () => {
    fake.next({ pieces: ['a', 'b', 'c'] });
    const { chunks } = await run(client);
    const usage = chunks.at(-1);
    assert.equal(usage?.type, 'usage');
    assert.equal(usage.type === 'usage' && usage.outputTokens, 3);
    assert.ok(usage.type === 'usage' && usage.inputTokens > 0);
  });

  it('a throttlingException inside the event stream is `throttled`, after the pieces that came', async () => {
    fake.next({ pieces: ['one ', 'two ', 'three'], streamException: { type: 'throttlingException', after: 1, message: 'Too many tokens, please wait before trying again.' } });
    const { chunks, error } = await run(client);
    assert.equal(error?.kind, 'throttled');
    assert.equal(textOf(chunks), 'one ');
    assert.ok(!chunks.some((c) => c.type === 'usage'));
  });

  it('a throttlingException as the first event is `throttled` with no chunk', async () => {
    fake.next({ pieces: ['never'], streamException: { type: 'throttlingException', after: 0 } });
    const { chunks, error } = await run(client);
    assert.equal(error?.kind, 'throttled');
    assert.deepEqual(chunks, []);
  });

  it('a modelStreamErrorException mid-stream is `disconnected` (the answer broke off; the router may retry)', async () => {
    fake.next({ pieces: ['one ', 'two ', 'three'], streamException: { type: 'modelStreamErrorException', after: 2 } });
    const { chunks, error } = await run(client);
    assert.equal(error?.kind, 'disconnected');
    assert.equal(textOf(chunks), 'one two ');
  });

  it('serviceUnavailable and internalServer exceptions in the stream are `unavailable`', async () => {
    for (const type of ['serviceUnavailableException', 'internalServerException'] as const) {
      fake.next({ pieces: ['a', 'b'], streamException: { type, after: 1 } });
      const { error } = await run(client);
      assert.equal(error?.kind, 'unavailable', type);
    }
  });

  it('a stream that ends cleanly without messageStop is `disconnected`', async () => {
    fake.next({ pieces: ['a', 'b'], omitMessageStop: true });
    const { chunks, error } = await run(client);
    assert.equal(error?.kind, 'disconnected');
    assert.equal(textOf(chunks), 'ab');
  });

  it('the error carries the HTTP status and the SDK error as its cause', async () => {
    fake.next({ pieces: [], fail: 'bad_request' });
    const { error } = await run(client);
    assert.equal(error?.kind, 'rejected');
    assert.equal(error?.status, 400);
    assert.equal((error?.cause as Error).name, 'ValidationException');
  });

  it('a caller abort while waiting for the response head ends quietly and closes the response', async () => {
    fake.next({ pieces: ['x'], fail: 'stall_head' });
    const ac = new AbortController();
    const chunks: ModelChunk[] = [];
    const waiting = (async () => {
      for await (const c of client.stream(request(), { signal: ac.signal })) chunks.push(c);
    })();
    await until(() => fake.openResponses() === 1);
    ac.abort();
    await waiting;
    assert.deepEqual(chunks, []);
    await until(() => fake.openResponses() === 0);
  });

  it('the idle timer does not count time the consumer spends on a chunk', async () => {
    const slow = clientFor(fake, { idleTimeoutMs: 200 });
    fake.next({ pieces: ['a', 'b', 'c'] });
    const chunks: ModelChunk[] = [];
    for await (const c of slow.stream(request(), {})) {
      chunks.push(c);
      if (chunks.length === 1) await delay(400);
    }
    assert.equal(textOf(chunks), 'abc');
    await slow.close?.();
  });

  it('a refused connection is `unavailable`', async () => {
    const gone = await startFakeBedrock();
    const url = gone.url;
    await gone.close();
    const { error } = await run(clientFor({ ...gone, url }));
    assert.equal(error?.kind, 'unavailable');
  });
});
