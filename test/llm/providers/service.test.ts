// The real service wired to each vendor (through its fake): the composition root builds the
// provider from configuration, the routed engine sends the grounded prompt, the answer streams
// to a WebSocket client, and failures before/after the first token end the way the design says.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { scrapeMetrics, startTestServer, type TestServer } from '../../helpers/server.ts';
import { connectChat, type Frame } from '../../helpers/ws-client.ts';
import { startFakeBedrock, type FakeBedrock } from './fake-bedrock.ts';
import { startFakeAnthropic } from './fake-anthropic.ts';
import { startFakeOpenAI } from './fake-openai.ts';
import type { FakeVendor } from './fake-vendor.ts';

const LARGE = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const SMALL = 'anthropic.claude-3-haiku-20240307-v1:0';
const text = (frames: Frame[]) => frames.filter((f) => f.type === 'token').map((f) => f.text as string).join('');
const endOf = (frames: Frame[]) => frames.at(-1) as Frame & { route?: { route: string; model: string; reason: string; failedOver?: string[] }; interrupted?: boolean; degraded?: string[] };
const bodyOf = (fake: FakeVendor) => fake.requests.at(-1)!.body as { system: { text: string }[]; messages: { role: string; content: { text: string }[] }[] };

describe('service on Bedrock (fake): routing, grounded prompt, fallback, clear ending', () => {
  let fake: FakeBedrock;
  let server: TestServer;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  before(async () => {
    fake = await startFakeBedrock();
    // The service takes credentials from the SDK's default chain, as it would on AWS.
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    server = await startTestServer({ LLM_PROVIDER: 'bedrock', BEDROCK_ENDPOINT: fake.url, SEMANTIC_CACHE: 'false', LLM_TIMEOUT_MS: '3000', MESSAGE_BUDGET_MS: '3000', LLM_ATTEMPT_TIMEOUT_MS: '1000' });
  });
  after(async () => {
    await server.close();
    await fake.close();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  it('a recommendation goes to the large model with the grounded prompt; the model\'s tokens stream to the customer', async () => {
    fake.next({ pieces: ['Frieren ', 'is a ', 'gentle fantasy.'] });
    const chat = await connectChat(server.wsUrl);
    const frames = await chat.ask('recommend me a fantasy manga');
    await chat.close();
    assert.equal(text(frames), 'Frieren is a gentle fantasy.');
    assert.deepEqual([endOf(frames).route?.route, endOf(frames).route?.model], ['large', LARGE]);
    assert.ok(fake.requests.at(-1)!.path.includes(encodeURIComponent(LARGE)) || fake.requests.at(-1)!.path.includes(LARGE));
    const body = bodyOf(fake);
    assert.match(body.system[0].text, /Never invent a title/);
    assert.match(body.system[0].text, /FACTS\nINTENT: recommendation/);
    assert.equal(body.messages.at(-1)!.content[0].text, 'recommend me a fantasy manga');
  });

  it('greetings are answered from templates: the model is not called', async () => {
    const before = fake.requests.length;
    const chat = await connectChat(server.wsUrl);
    const frames = await chat.ask('hello!');
    await chat.close();
    assert.ok(text(frames).length > 0);
    assert.equal(endOf(frames).route?.route, 'template');
    assert.equal(fake.requests.length, before);
  });

  it('the large model throttled (429): the small model answers the same message', async () => {
    fake.next({ pieces: [], fail: 'throttle' });
    fake.next({ pieces: ['Small ', 'model ', 'answer.'] });
    const chat = await connectChat(server.wsUrl);
    const frames = await chat.ask('recommend me a fantasy manga');
    await chat.close();
    assert.equal(text(frames), 'Small model answer.');
    const route = endOf(frames).route!;
    assert.deepEqual([route.route, route.model, route.reason, route.failedOver], ['small', SMALL, 'fallback', [LARGE]]);
    const metrics = await scrapeMetrics(server.url);
    assert.match(metrics, new RegExp(`mangaassist_llm_calls_total\\{model="${LARGE.replaceAll('.', '\\.')}",priority="P2",outcome="throttled"\\} 1`));
  });

  it('a disconnect after the first tokens: the reply ends with a notice and end.interrupted, not silently', async () => {
    fake.next({ pieces: ['One ', 'two ', 'three ', 'four'], fail: 'disconnect_mid', failAfter: 2 });
    const chat = await connectChat(server.wsUrl);
    const frames = await chat.ask('recommend me a fantasy manga');
    await chat.close();
    assert.match(text(frames), /^One two \n\n\(Sorry, this answer was cut off\. Please ask again\.\)$/);
    assert.equal(endOf(frames).type, 'end');
    assert.equal(endOf(frames).interrupted, true);
  });

  it('token usage is counted by model and priority', async () => {
    fake.next({ pieces: ['ok'], usage: { inputTokens: 1234, outputTokens: 56 } });
    const chat = await connectChat(server.wsUrl);
    await chat.ask('recommend me a fantasy manga');
    await chat.close();
    const metrics = await scrapeMetrics(server.url);
    const input = metrics.match(new RegExp(`mangaassist_llm_tokens_total\\{model="${LARGE.replaceAll('.', '\\.')}",priority="P2",direction="input"\\} (\\d+)`));
    assert.ok(input && Number(input[1]) >= 1234, 'input tokens counted');
  });
});

for (const vendor of ['anthropic', 'openai'] as const) {
  describe(`service on ${vendor} (fake)`, () => {
    let fake: FakeVendor;
    let server: TestServer;
    before(async () => {
      fake = vendor === 'anthropic' ? await startFakeAnthropic() : await startFakeOpenAI();
      const env: Record<string, string> = vendor === 'anthropic'
        ? { LLM_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.url }
        : { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: fake.url, LLM_LARGE_MODEL: 'qwen-72b', LLM_SMALL_MODEL: 'qwen-7b' };
      server = await startTestServer({ ...env, SEMANTIC_CACHE: 'false', LLM_TIMEOUT_MS: '3000', MESSAGE_BUDGET_MS: '3000' });
    });
    after(async () => {
      await server.close();
      await fake.close();
    });

    it('answers in Japanese through the vendor, with the customer\'s message last in the conversation', async () => {
      fake.next({ pieces: ['返品は', '未開封なら', '可能です。'] });
      const chat = await connectChat(server.wsUrl);
      const frames = await chat.ask('開封した本は返品できますか');
      await chat.close();
      assert.equal(text(frames), '返品は未開封なら可能です。');
      const body = fake.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
      const last = body.messages.at(-1)!;
      assert.equal(last.role, 'user');
      assert.match(JSON.stringify(last.content), /開封した本は返品できますか/);
      assert.match(JSON.stringify(body), /polite Japanese/);
    });
  });
}
