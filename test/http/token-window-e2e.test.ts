// A paced model over both streaming transports with the token window on (the default) and off:
// the same reply text, the frame order of the contract (start, token+, products?, end), and no
// frame lost. Frame counts depend on timing, so they are not asserted here (frame-batch.test.ts
// checks the window itself with a clock it moves by hand).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, replyText, type Frame } from '../helpers/ws-client.ts';

// The sim engine streams the local engine's answer token by token on timers, as a model does.
const PACED = { LLM_PROVIDER: 'sim', SIM_LLM_TTFT_MS: '0', SIM_LLM_SMALL_TTFT_MS: '0', SIM_LLM_TOKENS_PER_SEC: '400', SIM_LLM_SMALL_TOKENS_PER_SEC: '400', SIM_LLM_JITTER: '0' };
const QUESTIONS = ['Do you have One Piece?', '送料はいくらですか？'];

let windowed: TestServer;
let unwindowed: TestServer;
before(async () => {
  windowed = await startTestServer({ ...PACED, TOKEN_FRAME_WINDOW_MS: '16' });
  unwindowed = await startTestServer({ ...PACED, TOKEN_FRAME_WINDOW_MS: '0' });
});
after(async () => {
  await windowed?.close();
  await unwindowed?.close();
});

function assertOrder(frames: Frame[]): void {
  const types = frames.map((f) => f.type);
  assert.equal(types[0], 'start');
  assert.equal(types.at(-1), 'end', `end last: ${types.join(',')}`);
  const lastToken = types.lastIndexOf('token');
  assert.ok(lastToken > 0, 'tokens');
  assert.ok(types.slice(lastToken + 1, -1).every((t) => t === 'products'), `no token after products/end: ${types.join(',')}`);
}

async function overWebSocket(server: TestServer, text: string): Promise<Frame[]> {
  const chat = await connectChat(server.wsUrl);
  const frames = await chat.ask(text);
  await chat.close();
  return frames;
}

async function overSse(server: TestServer, text: string): Promise<Frame[]> {
  const res = await fetch(`${server.url}/v1/chat/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  assert.equal(res.status, 200);
  const events = (await res.text()).trim().split('\n\n').map((block) => JSON.parse(/^data: (.+)$/m.exec(block)![1]!) as Frame);
  assert.equal(events[0]!.type, 'session');
  return events.slice(1);
}

test('WebSocket and SSE, window 16 ms and 0: the same text, in the contract\'s order', async () => {
  for (const question of QUESTIONS) {
    const replies = [await overWebSocket(windowed, question), await overSse(windowed, question), await overWebSocket(unwindowed, question), await overSse(unwindowed, question)];
    for (const frames of replies) assertOrder(frames);
    const texts = replies.map(replyText);
    assert.ok(texts[0]!.length > 20, question);
    for (const t of texts.slice(1)) assert.equal(t, texts[0], question);
  }
});
