import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createOpenAICompatibleClient, openAIBaseUrl } from '../../../src/llm/providers/openai-compatible.ts';
import type { ConnectionOptions, ModelClient } from '../../../src/llm/providers/types.ts';
import { estimateTokens } from '../../../src/llm/stream-text.ts';
import { richGrounding } from '../fixtures.ts';
import { modelClientContract, runModel, textOf } from './model-client.contract.ts';
import { startFakeOpenAI } from './fake-openai.ts';
import type { SseFake } from './sse-fake.ts';

const CONN = { maxConnections: 4, idleTimeoutMs: 1000, connectTimeoutMs: 1000 };

function clientFor(url: string, conn: Partial<ConnectionOptions> = {}, apiKey?: string): ModelClient {
  return createOpenAICompatibleClient({ ...CONN, ...conn, baseUrl: url, model: 'qwen-test', ...(apiKey ? { apiKey } : {}) });
}

modelClientContract('openai-compatible', {
  startFake: () => startFakeOpenAI(),
  client: (fake, conn) => clientFor(fake.url, conn, 'sk-test'),
  promptOf(body) {
    const b = body as { messages: { role: string; content: string }[]; max_tokens?: number; max_completion_tokens?: number };
    const [system, ...messages] = b.messages;
    assert.equal(system.role, 'system');
    return { system: system.content, messages, maxTokens: b.max_tokens ?? b.max_completion_tokens! };
  },
});

const PROMPT = { system: 'sys', messages: [{ role: 'user' as const, content: 'One Piece 110?' }], maxTokens: 64 };
const request = () => ({ prompt: PROMPT, grounding: richGrounding('price_availability', 'en') });

const run = (client: ModelClient) => runModel(client, request());


describe('OpenAI-compatible adapter', () => {
  let fake: SseFake;
  let client: ModelClient;
  before(async () => {
    fake = await startFakeOpenAI();
    client = clientFor(fake.url);
  });
  after(async () => {
    await client.close?.();
    await fake.close();
  });

  it('works without an apiKey (self-hosted servers): a placeholder bearer, never the environment', async () => {
    const { chunks, error } = await run(client);
    assert.equal(error, undefined);
    assert.equal(textOf(chunks), 'Hello world');
    assert.equal(fake.requests.at(-1)!.headers.authorization, 'Bearer unused');
  });

  it('sends the given apiKey, the system message first, max_tokens and include_usage', async () => {
    const keyed = clientFor(fake.url, {}, 'sk-real');
    await run(keyed);
    const sent = fake.requests.at(-1)!;
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.headers.authorization, 'Bearer sk-real');
    assert.deepEqual(sent.body, {
      model: 'qwen-test',
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'One Piece 110?' },
      ],
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
    await keyed.close?.();
  });

  it('a base URL with its own path is used as given', async () => {
    const withPath = clientFor(`${fake.url}/v1/`);
    assert.equal(textOf((await run(withPath)).chunks), 'Hello world');
    assert.equal(fake.requests.at(-1)!.path, '/v1/chat/completions');
    await withPath.close?.();
    assert.equal(openAIBaseUrl('http://gpu-1:8000'), 'http://gpu-1:8000/v1');
    assert.equal(openAIBaseUrl('http://gpu-1:8000/'), 'http://gpu-1:8000/v1');
    assert.equal(openAIBaseUrl('https://proxy.example/openai/v1/'), 'https://proxy.example/openai/v1');
    assert.equal(openAIBaseUrl(undefined), undefined);
  });

  it('an in-stream error object is `unavailable`, after the pieces that arrived', async () => {
    fake.next({ pieces: ['a', 'b', 'c'], streamError: true, failAfter: 2 });
    const { chunks, error } = await run(client);
    assert.equal(error?.kind, 'unavailable');
    assert.equal(textOf(chunks), 'ab');
  });

  it('a stream that ends cleanly without finish_reason and [DONE] is `disconnected`', async () => {
    fake.next({ pieces: ['x', 'y'], truncate: true });
    const { chunks, error } = await run(client);
    assert.equal(error?.kind, 'disconnected');
    assert.equal(textOf(chunks), 'xy');
  });

  it('a 503 is `unavailable` with its status', async () => {
    fake.next({ pieces: [], fail: 'server_error', errorStatus: 503 });
    const { error } = await run(client);
    assert.equal(error?.kind, 'unavailable');
    assert.equal(error?.status, 503);
  });
});

describe('OpenAI-compatible adapter against a server that sends no usage', () => {
  let fake: SseFake;
  before(async () => {
    fake = await startFakeOpenAI({ usage: false });
  });
  after(() => fake.close());

  it('estimates usage from the prompt and the answer', async () => {
    const client = clientFor(fake.url);
    fake.next({ pieces: ['ワンピース', '110巻は', '1,320円です。'] });
    const { chunks, error } = await run(client);
    assert.equal(error, undefined);
    assert.equal(textOf(chunks), 'ワンピース110巻は1,320円です。');
    assert.deepEqual(chunks.at(-1), {
      type: 'usage',
      inputTokens: estimateTokens('sys\nOne Piece 110?'),
      outputTokens: estimateTokens('ワンピース110巻は1,320円です。'),
    });
    assert.equal(chunks.filter((c) => c.type === 'usage').length, 1);
    await client.close?.();
  });
});
