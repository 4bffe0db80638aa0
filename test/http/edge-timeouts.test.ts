import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat } from '../helpers/ws-client.ts';
import { dribble, rawConnect } from '../helpers/raw-http.ts';
import { loadConfig } from '../../src/config.ts';

// The HTTP edge's deadlines through the real server, shrunk so a test sees them act: slow or
// silent clients are reaped (408 or closed), while replies that take longer than every one of
// these deadlines (the `sim` engine paced at 15 tokens/s, answer cache off: ~3 s) and idle WebSockets live on.

const HEADERS_MS = 300;
const REQUEST_MS = 600;
const KEEP_ALIVE_MS = 300; // Node adds a 1 s buffer before it closes
const IDLE_MS = 1500;
const SLOW_ANSWERS = { LLM_PROVIDER: 'sim', SIM_LLM_TTFT_MS: '100', SIM_LLM_SMALL_TTFT_MS: '100', SIM_LLM_TOKENS_PER_SEC: '15', SIM_LLM_SMALL_TOKENS_PER_SEC: '15', SIM_LLM_JITTER: '0', SEMANTIC_CACHE: 'false' };
const SHORT_DEADLINES = { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS), HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS) };
/** A question the sim engine answers in about 3 s. */
const SLOW_QUESTION = 'What is the shipping cost?';

function post(server: TestServer, path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('slow or silent clients are reaped', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ...SHORT_DEADLINES, HTTP_IDLE_TIMEOUT_MS: String(IDLE_MS), ...SLOW_ANSWERS });
  });
  after(() => server.close());

  test('a connection that never sends a byte gets 408 and is closed', async () => {
    const conn = await rawConnect(server.url);
    assert.match(await conn.closed, /^HTTP\/1\.1 408 /);
  });

  test('headers dribbled a line every 100 ms (slowloris) get 408 at the header deadline', async () => {
    const conn = await rawConnect(server.url);
    const lines = ['GET /healthz HTTP/1.1\r\n', 'Host: x\r\n', ...Array.from({ length: 200 }, (_, i) => `X-Slow-${i}: y\r\n`)];
    const { received, sent } = await dribble(conn, lines, 100);
    assert.match(received, /^HTTP\/1\.1 408 /);
    // Each line kept the socket busy, so it was the header deadline that ended it, not idleness.
    assert.ok(sent < lines.length, 'closed while still sending headers');
  });

  test('a body dribbled a byte every 100 ms gets 408 at the request deadline', async () => {
    const conn = await rawConnect(server.url);
    conn.socket.write('POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n');
    const { received, sent } = await dribble(conn, Array.from({ length: 200 }, () => ' '), 100);
    assert.match(received, /^HTTP\/1\.1 408 /);
    assert.ok(sent < 200, 'closed while the body was still coming');
  });

  test('an idle keep-alive connection is closed after its last response', async () => {
    const conn = await rawConnect(server.url);
    conn.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const received = await conn.closed;
    assert.match(received, /^HTTP\/1\.1 200 /);
    assert.match(received, /keep-alive: timeout=0/i, 'the advertised keep-alive (seconds, rounded down)');
    assert.equal(received.match(/HTTP\/1\.1 /g)?.length, 1, 'closed without another response');
  });

  test('an idle WebSocket outlives every deadline, then chats; a slow reply on it completes', async () => {
    const chat = await connectChat(server.wsUrl);
    // Longer than the header, request, keep-alive (+1 s) and idle deadlines together.
    await sleep(HEADERS_MS + REQUEST_MS + KEEP_ALIVE_MS + 1000 + IDLE_MS);
    assert.equal(chat.socket.readyState, chat.socket.OPEN);
    const started = Date.now();
    const frames = await chat.ask(SLOW_QUESTION);
    assert.equal(frames.at(-1)!.type, 'end');
    assert.ok(Date.now() - started > REQUEST_MS + KEEP_ALIVE_MS + 1000, 'the reply took longer than the deadlines it must not trip');
    await chat.close();
  });

  test('a streamed (SSE) reply longer than the request and keep-alive deadlines completes', async () => {
    const started = Date.now();
    const r = await post(server, '/v1/chat/stream', { text: SLOW_QUESTION });
    assert.equal(r.status, 200);
    const body = await r.text();
    assert.match(body, /event: end/);
    assert.ok(Date.now() - started > REQUEST_MS + KEEP_ALIVE_MS + 1000, 'the stream outlasted the deadlines');
  });

  test('HTTP_IDLE_TIMEOUT_MS is the one deadline on answering: a JSON reply silent for longer is cut', async () => {
    // Why its default (60 s) is far above the longest reply: POST /v1/chat is silent until done.
    await assert.rejects(post(server, '/v1/chat', { text: SLOW_QUESTION }).then((r) => r.json()));
  });
});

describe('at the default idle deadline', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ...SHORT_DEADLINES, ...SLOW_ANSWERS });
  });
  after(() => server.close());

  test('a JSON reply longer than the header, request and keep-alive deadlines completes', async () => {
    const started = Date.now();
    const r = await post(server, '/v1/chat', { text: SLOW_QUESTION });
    assert.equal(r.status, 200);
    assert.ok(((await r.json()) as { text: string }).text.length > 0);
    assert.ok(Date.now() - started > REQUEST_MS + KEEP_ALIVE_MS + 1000, 'the reply outlasted the deadlines');
  });
});

test('deadline options: defaults, and a header deadline past the request deadline is refused', () => {
  const c = loadConfig({});
  assert.deepEqual(
    [c.HTTP_HEADERS_TIMEOUT_MS, c.HTTP_REQUEST_TIMEOUT_MS, c.HTTP_KEEP_ALIVE_TIMEOUT_MS, c.HTTP_IDLE_TIMEOUT_MS],
    [10_000, 30_000, 72_000, 60_000],
  );
  assert.throws(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000' }), /HTTP_HEADERS_TIMEOUT_MS/);
  assert.equal(loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '0' }).HTTP_REQUEST_TIMEOUT_MS, 0);
});
