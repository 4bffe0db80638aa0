// The rate mode's --resume: chats that lose their connection mid-reply behave like the chat page
// (reconnect to the same session with its resume token, send the message again with the same id),
// against a small server that resumes sessions, cuts some replies, and answers an id once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { parseCommand } from '../../src/loadgen/options.ts';
import { runRate, type RateOptions } from '../../src/loadgen/rate.ts';
import { UsageError } from '../../src/loadgen/phases.ts';
import { testProfile } from './helpers.ts';

function rateOptions(args: string[]): RateOptions {
  const cmd = parseCommand([...args, '--quiet'], { profile: testProfile() });
  assert.equal(cmd.kind, 'rate');
  return (cmd as Extract<typeof cmd, { kind: 'rate' }>).options;
}

interface Seen {
  /** Times each message id arrived. */
  ids: Map<string, number>;
  /** Connections, and how many asked to resume a session with its right token. */
  connections: number;
  resumed: number;
  /** Resume attempts with a wrong token (they get a new session). */
  refused: number;
}

/**
 * Answers each message with a token and `end`, except the first time it sees every `cutEvery`-th
 * id: then it sends one token and closes the connection, with 1012 (`close`) or by destroying the
 * socket (`drop`). A session is resumed only with its resume token.
 */
async function startResumingServer(cutEvery: number, how: 'close' | 'drop'): Promise<{ url: string; seen: Seen; close(): Promise<void> }> {
  const seen: Seen = { ids: new Map(), connections: 0, resumed: 0, refused: 0 };
  const tokens = new Map<string, string>();
  let sessions = 0;
  let messages = 0;
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) => {
    seen.connections++;
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    let sessionId = q.get('session') ?? '';
    if (sessionId && tokens.get(sessionId) === q.get('resume')) seen.resumed++;
    else {
      if (sessionId) seen.refused++;
      sessionId = `s${++sessions}`;
      tokens.set(sessionId, `rt-${sessionId}`);
    }
    ws.send(JSON.stringify({ type: 'session', sessionId, resumeToken: tokens.get(sessionId) }));
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as { id: string };
      const n = (seen.ids.get(f.id) ?? 0) + 1;
      seen.ids.set(f.id, n);
      const cut = n === 1 && ++messages % cutEvery === 0;
      ws.send(JSON.stringify({ type: 'token', replyTo: f.id, text: 'Hi' }));
      if (cut) {
        if (how === 'close') ws.close(1012, 'service restart');
        else ws.terminate();
        return;
      }
      ws.send(JSON.stringify({ type: 'end', replyTo: f.id, timings: { firstTokenMs: 1 }, ...(n > 1 ? { replayed: true } : {}) }));
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      await new Promise((r) => http.close(r));
    },
  };
}

test('resume: a reply cut by close 1012 is sent again with the same id on the same session, and answered', async () => {
  const srv = await startResumingServer(5, 'close');
  try {
    const r = await runRate(rateOptions(['--mode', 'rate', '--targets', srv.url, '--rate', '50', '--duration', '1s', '--warmup', '0s', '--chats', '8', '--resume']));
    const f = r.rate;
    assert.deepEqual(f.errors, {}, 'no message fails: each cut one is answered after the reconnect');
    assert.equal(f.replies.answered, 50);
    const twice = [...srv.seen.ids.values()].filter((n) => n === 2).length;
    assert.equal(twice, 10, 'every fifth message was cut once and sent again, with its own id');
    assert.ok([...srv.seen.ids.values()].every((n) => n <= 2));
    assert.equal(f.resume?.resends, 10);
    assert.equal(f.resume?.replayed, 10);
    assert.equal(f.resume?.reconnects, 10);
    assert.equal(f.resume?.restartCloses, 10, 'a close with 1012 is a planned restart');
    assert.equal(f.resume?.reconnectMs.count, 10);
    assert.equal(f.resume?.sessionsChanged, 0);
    assert.equal(f.resume?.duplicateEnds, 0);
    assert.equal(srv.seen.resumed, 10, 'each reconnect resumed its session with its token');
    assert.equal(srv.seen.refused, 0);
    assert.equal(srv.seen.connections, 18);
  } finally {
    await srv.close();
  }
});

test('resume: a dropped connection reconnects after the backoff (at least 250 ms) and resends', async () => {
  const srv = await startResumingServer(10, 'drop');
  try {
    const r = await runRate(rateOptions(['--mode', 'rate', '--targets', srv.url, '--rate', '20', '--duration', '1s', '--warmup', '0s', '--chats', '8', '--resume']));
    assert.deepEqual(r.rate.errors, {});
    assert.equal(r.rate.replies.answered, 20);
    assert.equal(r.rate.resume?.resends, 2);
    assert.equal(r.rate.resume?.restartCloses, 0);
    assert.ok(r.rate.resume!.reconnectMs.min >= 250, `a dropped connection waits the page's backoff (min ${r.rate.resume!.reconnectMs.min} ms)`);
    assert.ok(r.rate.ttft.max >= 250, 'the first token of a message sent again counts from its slot, the reconnect included');
  } finally {
    await srv.close();
  }
});

test('without --resume a cut reply fails as dropped and the chat starts a new session', async () => {
  const srv = await startResumingServer(5, 'close');
  try {
    const r = await runRate(rateOptions(['--mode', 'rate', '--targets', srv.url, '--rate', '50', '--duration', '1s', '--warmup', '0s', '--chats', '8']));
    assert.equal(r.rate.errors.dropped, 10);
    assert.equal(r.rate.resume, undefined);
    assert.ok([...srv.seen.ids.values()].every((n) => n === 1), 'nothing is sent twice');
    assert.equal(srv.seen.resumed, 0);
  } finally {
    await srv.close();
  }
});

test('--resume is refused with --transport sse', () => {
  assert.throws(() => parseCommand(['--mode', 'rate', '--rate', '10', '--transport', 'sse', '--resume']), UsageError);
});
