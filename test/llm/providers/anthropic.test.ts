import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createAnthropicClient } from '../../../src/llm/providers/anthropic.ts';
import type { ConnectionOptions, ModelClient } from '../../../src/llm/providers/types.ts';
import { richGrounding } from '../fixtures.ts';
import { modelClientContract, runModel, textOf } from './model-client.contract.ts';
import { startFakeAnthropic } from './fake-anthropic.ts';
import type { SseFake } from './sse-fake.ts';

const CONN = { maxConnections: 4, idleTimeoutMs: 1000, connectTimeoutMs: 1000 };

function clientFor(url: string, conn: Partial<ConnectionOptions> = {}, extra: { version?: string } = {}): ModelClient {
  return createAnthropicClient({ ...CONN, ...conn, baseUrl: url, model: 'claude-test', apiKey: 'sk-ant-test', ...extra });
}

type Block = string | { type?: string; text: string }[];
const textOfBlock = (b: Block) => (typeof b === 'string' ? b : b.map((p) => p.text).join(''));

modelClientContract('anthropic', {
  startFake: startFakeAnthropic,
  client: (fake, conn) => clientFor(fake.url, conn),
  promptOf(body) {
    const b = body as { system: Block; messages: { role: string; content: Block }[]; max_tokens: number };
    return { system: textOfBlock(b.system), messages: b.messages.map((m) => ({ role: m.role, content: textOfBlock(m.content) })), maxTokens: b.max_tokens };
  },
});

const request = () => ({
  prompt: { system: 'sys', messages: [{ role: 'user' as const, content: 'One Piece 110?' }], maxTokens: 64, temperature: 0.2 },
  grounding: richGrounding('price_availability', 'en'),
});

const run = (client: ModelClient) => runModel(client, request());


describe('Anthropic adapter', () => {
  let fake: SseFake;
  let client: ModelClient;
  before(async () => {
    fake = await startFakeAnthropic();
    client = clientFor(fake.url);
  });
  after(async () => {
    await client.close?.();
    await fake.close();
  });

  it('sends the API key, anthropic-version and the Messages API body', async () => {
    await run(client);
    const sent = fake.requests.at(-1)!;
    assert.equal(sent.path, '/v1/messages');
    // @anthropic-ai/sdk 1.x sends the key as a bearer token; 0.x sent x-api-key.
    assert.ok(sent.headers['x-api-key'] === 'sk-ant-test' || sent.headers.authorization === 'Bearer sk-ant-test', JSON.stringify(sent.headers));
    assert.match(String(sent.headers['anthropic-version']), /^\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(sent.body, {
      model: 'claude-test',
      system: 'sys',
      messages: [{ role: 'user', content: 'One Piece 110?' }],
      max_tokens: 64,
      temperature: 0.2,
      stream: true,
    });
  });

  it('sends the configured anthropic-version', async () => {
    const versioned = clientFor(fake.url, {}, { version: '2024-01-01' });
    await run(versioned);
    assert.equal(fake.requests.at(-1)!.headers['anthropic-version'], '2024-01-01');
    await versioned.close?.();
  });

  it('an in-stream overloaded_error event is `unavailable`, after the pieces that arrived', async () => {
    fake.next({ pieces: ['a', 'b', 'c'], streamError: true, failAfter: 2 });
    const { chunks, error } = await run(client);
    assert.equal(error?.kind, 'unavailable');
    assert.equal(textOf(chunks), 'ab');
    assert.ok(!chunks.some((c) => c.type === 'usage'));
  });

  it('529 overloaded is `unavailable` with its status', async () => {
    fake.next({ pieces: [], fail: 'server_error', errorStatus: 529 });
    const { error } = await run(client);
    assert.equal(error?.kind, 'unavailable');
    assert.equal(error?.status, 529);
  });

  it('a bad request carries status 400; a missing key (401) is `rejected`', async () => {
    fake.next({ pieces: [], fail: 'bad_request' });
    assert.equal((await run(client)).error?.status, 400);
    const keyless = createAnthropicClient({ ...CONN, baseUrl: fake.url, model: 'claude-test', apiKey: '' });
    const { error } = await run(keyless);
    // The SDK may refuse locally or the fake answers 401: either way nothing to retry.
    if (error) assert.equal(error.kind, 'rejected');
    await keyless.close?.();
  });

  it('a stream that ends cleanly without message_stop is `disconnected`', async () => {
    fake.next({ pieces: ['x', 'y'], truncate: true });
    const { chunks, error } = await run(client);
    assert.equal(error?.kind, 'disconnected');
    assert.equal(textOf(chunks), 'xy');
  });

  it('a consumer that stops reading closes the response', async () => {
    fake.next({ pieces: Array.from({ length: 20 }, (_, i) => `p${i}`), pieceDelayMs: 20 });
    for await (const c of client.stream(request(), {})) if (c.type === 'text') break;
    const end = Date.now() + 2000;
    while (fake.openResponses() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fake.openResponses(), 0);
  });

  it('connection refused is `unavailable`', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const refused = clientFor(`http://127.0.0.1:${port}`);
    const { error } = await run(refused);
    assert.equal(error?.kind, 'unavailable');
    await refused.close?.();
  });
});
