// Graceful drain of the real service (`node src/main.ts` as a child process): SIGTERM while a
// reply streams. The reply finishes and its `end` arrives, then the socket closes with 1012; an
// idle chat closes with 1012 at once; /readyz answers 503 `draining`; new chats are refused; the
// process exits as soon as the replies are done, and within DRAIN_TIMEOUT_MS when they are not.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { freePort, spawnChild, waitUntil, type Child } from '../../src/fleet/processes.ts';
import { connectChat, replyText } from '../helpers/ws-client.ts';
import { startClusterService } from '../helpers/cluster-service.ts';
import { UNLIMITED } from '../helpers/server.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
// Stays in main.ts: what the stores get to close after the drain before the process ends anyway.
const CLOSE_GRACE_MS = 5000;
const QUESTION = 'Do you have One Piece?';

// The sim engine streams the local engine's grounded answer at a model's pace: ~50 tokens at
// 12/s is a reply of ~4 s, long enough to signal the process in the middle of it.
const SLOW_REPLIES = { LLM_PROVIDER: 'sim', SIM_LLM_TTFT_MS: '100', SIM_LLM_SMALL_TTFT_MS: '100', SIM_LLM_TOKENS_PER_SEC: '12', SIM_LLM_SMALL_TOKENS_PER_SEC: '12', SIM_LLM_JITTER: '0', SEMANTIC_CACHE: 'false' };

interface Service {
  url: string;
  wsUrl: string;
  child: Child;
}

async function startService(dataDir: string, env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnChild('service', process.execPath, [MAIN], {
    env: { ...process.env, ...UNLIMITED, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', WS_PING_INTERVAL_MS: '0', READING_DICTIONARY: 'off', ...env },
    logFile: join(dataDir, `service-${port}.log`),
  });
  await waitUntil('service ready', async () => (await fetch(`${url}/readyz`)).status === 200, { child, timeoutMs: 90_000, everyMs: 100 });
  return { url, wsUrl: url.replace('http', 'ws'), child };
}

/** Resolves with the close code of the socket. */
function closeCode(socket: WebSocket): Promise<number> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.reject(new Error('already closed: code unknown'));
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

/** Opens a WebSocket and resolves with the HTTP status of a refused upgrade (or 101). */
function upgradeStatus(wsUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}/v1/chat/ws`);
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(101);
      socket.terminate();
    });
    socket.once('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

describe('graceful drain of one process (SIGTERM)', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'manga-assist-drain-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('mid-reply: the reply (and one sent during the drain) completes with end, then 1012; idle chats close at once; /readyz 503; new chats refused; exit 0 once done', { timeout: 120_000 }, async () => {
    const service = await startService(dataDir, { ...SLOW_REPLIES, DRAIN_TIMEOUT_MS: '30000' });
    try {
      const busy = await connectChat(service.wsUrl);
      const idle = await connectChat(service.wsUrl);
      const idleClosed = closeCode(idle.socket);
      const busyClosed = closeCode(busy.socket);
      // An HTTP reply streaming (SSE) when the drain begins finishes too.
      const sse = fetch(`${service.url}/v1/chat/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: QUESTION, id: 'sse-1' }) }).then((r) => r.text());

      busy.send({ type: 'user_message', id: 'm1', text: QUESTION });
      await busy.next((f) => f.replyTo === 'm1' && f.type === 'token', 0, 30_000);
      const signalled = performance.now();
      service.child.signal('SIGTERM');

      // Readiness fails at once (the signal is delivered asynchronously: polled briefly).
      let ready: { status: number; body: { status?: string } } | undefined;
      await waitUntil('readyz 503', async () => {
        const res = await fetch(`${service.url}/readyz`);
        ready = { status: res.status, body: (await res.json()) as { status?: string } };
        return res.status === 503;
      }, { timeoutMs: 5000 });
      assert.equal(ready?.body.status, 'draining');
      // A chat with nothing in flight leaves at once, told to reconnect now.
      assert.equal(await idleClosed, 1012);
      // New chats are refused before the upgrade, and HTTP chat messages before their body is read.
      assert.equal(await upgradeStatus(service.wsUrl), 503);
      const refused = await fetch(`${service.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello' }) });
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal(((await refused.json()) as { code: string }).code, 'unavailable');

      // The busy chat is still open: a message it sends now is answered too (queued behind m1).
      assert.equal(busy.socket.readyState, WebSocket.OPEN, 'the busy chat stays open while its reply streams');
      busy.send({ type: 'user_message', id: 'm2', text: 'how much is volume 2 of it?' });
      await busy.next((f) => f.replyTo === 'm1' && (f.type === 'end' || f.type === 'error'), 0, 30_000);
      await busy.next((f) => f.replyTo === 'm2' && (f.type === 'end' || f.type === 'error'), 0, 30_000);
      const m1 = busy.frames.filter((f) => f.replyTo === 'm1');
      const m2 = busy.frames.filter((f) => f.replyTo === 'm2');
      assert.equal(m1.at(-1)?.type, 'end', JSON.stringify(m1.at(-1)));
      assert.equal(m2.at(-1)?.type, 'end', JSON.stringify(m2.at(-1)));
      assert.match(replyText(m1), /One Piece/);
      assert.equal(await busyClosed, 1012, 'closed with 1012 once its replies were done');

      const streamed = await sse;
      assert.match(streamed, /event: end/, 'the SSE reply in flight finished');

      const exit = await service.child.exited;
      const tookMs = performance.now() - signalled;
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.ok(tookMs < 30_000, `exited once the replies were done, not at the deadline: ${Math.round(tookMs)} ms`);
    } finally {
      await service.child.stop(1000);
    }
  });

  test('a reply longer than DRAIN_TIMEOUT_MS is cut at the deadline (1012, no end), the process exits within the bound, and the same id sent again is answered', { timeout: 120_000 }, async () => {
    const drainMs = 1500;
    // ~50 tokens at 3/s: a reply of ~15 s, far past the deadline.
    const service = await startService(dataDir, { ...SLOW_REPLIES, SIM_LLM_TOKENS_PER_SEC: '3', SIM_LLM_SMALL_TOKENS_PER_SEC: '3', DRAIN_TIMEOUT_MS: String(drainMs) });
    let next: Service | undefined;
    try {
      const chat = await connectChat(service.wsUrl);
      const closed = closeCode(chat.socket);
      chat.send({ type: 'user_message', id: 'long-1', text: QUESTION });
      await chat.next((f) => f.replyTo === 'long-1' && f.type === 'token', 0, 30_000);
      const signalled = performance.now();
      service.child.signal('SIGTERM');
      assert.equal(await closed, 1012);
      const exit = await service.child.exited;
      const tookMs = performance.now() - signalled;
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.ok(tookMs < drainMs + CLOSE_GRACE_MS, `exited within the drain's bound: ${Math.round(tookMs)} ms`);
      assert.equal(chat.frames.some((f) => f.replyTo === 'long-1' && f.type === 'end'), false, 'the cut reply was not acknowledged');

      // The client resends the cut-off message with the same id on its next connection (here: a
      // new process on the same DATA_DIR): it was never stored, so it is answered, not replayed.
      next = await startService(dataDir, { DRAIN_TIMEOUT_MS: String(drainMs) });
      const again = await connectChat(next.wsUrl, { session: chat.sessionId, resume: chat.resumeToken });
      assert.equal(again.sessionId, chat.sessionId);
      const frames = await again.ask(QUESTION, 'long-1');
      assert.equal(frames.at(-1)?.type, 'end', JSON.stringify(frames.at(-1)));
      assert.notEqual(frames.at(-1)?.replayed, true);
      await again.close();
    } finally {
      await service.child.stop(1000);
      await next?.child.stop(5000);
    }
  });
});

test('WORKERS=2: SIGTERM to the primary drains every worker — /readyz 503 from each, a reply in flight completes, then 1012 and exit 0', { timeout: 120_000 }, async () => {
  const service = await startClusterService({ ...SLOW_REPLIES, WORKERS: '2', DRAIN_TIMEOUT_MS: '30000', WS_PING_INTERVAL_MS: '0', READING_DICTIONARY: 'off' });
  const wsUrl = service.url.replace('http', 'ws');
  // Connections are handed to the workers round-robin: a few chats reach both.
  const chats = await Promise.all(Array.from({ length: 4 }, () => connectChat(wsUrl)));
  const closes = chats.map((c) => closeCode(c.socket));
  try {
    for (const [i, chat] of chats.entries()) chat.send({ type: 'user_message', id: `w${i}`, text: QUESTION });
    await Promise.all(chats.map((chat, i) => chat.next((f) => f.replyTo === `w${i}` && f.type === 'token', 0, 30_000)));
    const stopped = service.stop();
    // Each /readyz on a new connection may reach either worker: every one of several answers 503.
    await waitUntil('readyz 503', async () => (await fetch(`${service.url}/readyz`, { headers: { connection: 'close' } })).status === 503, { timeoutMs: 5000 });
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${service.url}/readyz`, { headers: { connection: 'close' } });
      assert.equal(res.status, 503, `readyz #${i}: ${await res.text()}`);
    }
    for (const [i, chat] of chats.entries()) {
      const end = await chat.next((f) => f.replyTo === `w${i}` && (f.type === 'end' || f.type === 'error'), 0, 30_000);
      assert.equal(end.type, 'end', `chat ${i}: ${JSON.stringify(end)}`);
    }
    assert.deepEqual(await Promise.all(closes), [1012, 1012, 1012, 1012]);
    assert.equal(await stopped, 0, service.output().slice(-2000));
  } finally {
    await service.stop();
    rmSync(service.dataDir, { recursive: true, force: true });
  }
});
