import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { dribble, rawConnect } from '../helpers/raw-http.ts';

// Log lines of the real server. What a client can make it log: broken frames, garbage on the
// upgrade, slow or greedy connections and malformed requests are the client's faults, at most a
// warning without a stack, never an error line (which pages someone and which a client could
// otherwise fill at will). The start-up line shows where the operator credential is; the brownout
// line has one `level`.

interface LogLine { level: number; msg: string; [key: string]: unknown }

function capture(): { lines: LogLine[]; raw: string[]; destination: Writable } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) {
        raw.push(l);
        lines.push(JSON.parse(l) as LogLine);
      }
      done();
    },
  });
  return { lines, raw, destination };
}

/** Opens a chat WebSocket, runs `abuse` on it once the session frame is in, resolves with the close code. */
function abuseSocket(server: TestServer, abuse: (ws: WebSocket) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/v1/chat/ws`);
    ws.once('message', () => abuse(ws));
    ws.once('close', (code) => resolve(code));
    ws.once('error', () => undefined);
    ws.once('unexpected-response', () => reject(new Error('upgrade refused')));
  });
}

/** Writes raw bytes on an upgraded socket: a frame no conforming client would send. */
const raw = (bytes: number[]) => (ws: WebSocket) => (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.from(bytes));

describe('client faults are warnings without stacks, never errors', () => {
  let server: TestServer;
  const { lines, destination } = capture();
  before(async () => {
    server = await startTestServer(
      { LOG_LEVEL: 'debug', HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '600', CONNECTIONS_PER_ADDRESS: '2', CONNECTIONS_PER_ADDRESS_EXEMPT: '127.0.0.1' },
      { logDestination: destination },
    );
  });
  after(() => server.close());

  test('invalid WebSocket frames close the connection with the right code and log one warning each', async () => {
    const closes = {
      // Over ws's maxPayload (1 MiB at the default MAX_FRAME_BYTES).
      tooLarge: await abuseSocket(server, (ws) => ws.send(Buffer.alloc(2 << 20, 0x61))),
      invalidUtf8: await abuseSocket(server, (ws) => ws.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false })),
      badOpcode: await abuseSocket(server, raw([0x83, 0x80, 0, 0, 0, 0])),
      unmasked: await abuseSocket(server, raw([0x81, 0x01, 0x61])),
      rsv1: await abuseSocket(server, raw([0xc1, 0x80, 0, 0, 0, 0])),
    };
    assert.deepEqual(closes, { tooLarge: 1009, invalidUtf8: 1007, badOpcode: 1002, unmasked: 1002, rsv1: 1002 });
    // A binary frame is refused with an error frame and the chat stays usable: no log at all.
    const binary = await abuseSocket(server, (ws) => {
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
      ws.once('message', (data) => {
        assert.equal(JSON.parse(String(data)).code, 'bad_request');
        ws.close(1000);
      });
    });
    assert.equal(binary, 1000);
    await new Promise((r) => setTimeout(r, 100));
    const warned = lines.filter((l) => l.msg === 'websocket client sent an invalid frame; connection closed').map((l) => [l.level, l.wsError]);
    assert.deepEqual(warned.sort(), [
      [40, 'WS_ERR_EXPECTED_MASK'],
      [40, 'WS_ERR_INVALID_OPCODE'],
      [40, 'WS_ERR_INVALID_UTF8'],
      [40, 'WS_ERR_UNEXPECTED_RSV_1'],
      [40, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'],
    ]);
  });

  test('garbage on the HTTP upgrade and in HTTP requests is answered without an error line', async () => {
    const answers: string[] = [];
    const send = async (bytes: string) => {
      const conn = await rawConnect(server.url);
      conn.socket.write(bytes);
      answers.push((await conn.closed).split('\r\n')[0]);
    };
    const upgrade = 'GET /v1/chat/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n';
    await send(`${upgrade}\r\n`); // no Sec-WebSocket-Key
    await send(`${upgrade.replace('13', '99')}Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n`); // unknown version
    await send('\x16\x03\x01\x02\x00 not http at all\r\n\r\n'); // a TLS hello on the plain port
    await send(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`); // headers over Node's 16 KiB
    await send('POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{"te"'); // broken JSON
    await send(`POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n${'x'.repeat(100_000)}`); // over the body limit
    const slow = await rawConnect(server.url);
    answers.push((await dribble(slow, ['GET / HTTP/1.1\r\n', ...Array.from({ length: 50 }, (_, i) => `X-${i}: y\r\n`)], 100)).received.split('\r\n')[0]);
    assert.deepEqual(answers, [
      'HTTP/1.1 400 Bad Request',
      'HTTP/1.1 400 Bad Request',
      'HTTP/1.1 400 Bad Request',
      'HTTP/1.1 431 Request Header Fields Too Large',
      'HTTP/1.1 400 Bad Request',
      'HTTP/1.1 413 Payload Too Large',
      'HTTP/1.1 408 Request Timeout',
    ]);
  });

  test('connections over the per-address cap are refused without an error line', async () => {
    const held = [await rawConnect(server.url, { localAddress: '127.0.0.2' }), await rawConnect(server.url, { localAddress: '127.0.0.2' })];
    for (let i = 0; i < 5; i++) {
      const refused = await rawConnect(server.url, { localAddress: '127.0.0.2' });
      assert.match(await refused.closed, /^HTTP\/1\.1 429 /);
    }
    for (const c of held) c.socket.destroy();
  });

  test('a chat the client abandons mid-reply leaves no error line', async () => {
    const ctl = new AbortController();
    const r = await fetch(`${server.url}/v1/chat/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Recommend me something like Berserk' }), signal: ctl.signal });
    ctl.abort();
    await r.body?.cancel().catch(() => undefined);
    const chat = await abuseSocket(server, (ws) => {
      ws.send(JSON.stringify({ type: 'user_message', id: 'gone', text: 'Recommend me something like Berserk' }));
      ws.terminate();
    });
    assert.equal(chat, 1006);
    await new Promise((r) => setTimeout(r, 300));
  });

  test('after all of the above: no line at error level or above, and no stack in any line', () => {
    const errors = lines.filter((l) => l.level >= 50);
    assert.deepEqual(errors, []);
    const withStack = lines.filter((l) => JSON.stringify(l).includes('"stack"'));
    assert.deepEqual(withStack, []);
  });
});

describe('the start-up line', () => {
  test('shows where the generated operator credential is kept, and never the credential', async () => {
    const { lines, destination } = capture();
    const server = await startTestServer({ LOG_LEVEL: 'info' }, { logDestination: destination });
    try {
      const ready = lines.find((l) => l.msg === 'MangaAssist ready');
      assert.ok(ready);
      assert.equal(ready.opsSignIn, join(server.dataDir, 'ops-token'));
      assert.ok(existsSync(String(ready.opsSignIn)));
    } finally {
      await server.close();
    }
  });

  test('names OPS_TOKEN when the credential comes from the environment; its value is in no line', async () => {
    const { lines, destination } = capture();
    const token = 'ops-credential-from-the-environment-0123';
    const server = await startTestServer({ LOG_LEVEL: 'info', OPS_TOKEN: token }, { logDestination: destination });
    try {
      assert.equal(lines.find((l) => l.msg === 'MangaAssist ready')?.opsSignIn, 'OPS_TOKEN');
      assert.ok(!lines.some((l) => JSON.stringify(l).includes(token)));
    } finally {
      await server.close();
    }
  });
});

test('the brownout line carries one level (pino\'s) and the brownout level under its own name', async () => {
  const { lines, raw, destination } = capture();
  // Two messages in flight out of 2 is level 3; answers paced slowly so both are in flight at once.
  // No dwell time: the level steps down as they finish, so the last line is level 0.
  const server = await startTestServer(
    { LOG_LEVEL: 'info', MAX_INFLIGHT_MESSAGES: '2', BROWNOUT_MIN_DWELL_MS: '0', LLM_PROVIDER: 'sim', SIM_LLM_TOKENS_PER_SEC: '30', SIM_LLM_SMALL_TOKENS_PER_SEC: '30', SEMANTIC_CACHE: 'false' },
    { logDestination: destination },
  );
  try {
    const token = await server.app.signToken({ sub: 'cust-1002', tier: 'prime' });
    const ask = (text: string) => fetch(`${server.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ text }) }).then((r) => r.json());
    await Promise.all([ask('Recommend me something like Berserk'), ask('What is the shipping cost?')]);
    const changes = raw.filter((l) => l.includes('"brownout level changed"'));
    assert.ok(changes.length >= 2, `level changes logged: ${changes.length}`);
    for (const l of changes) assert.equal(l.match(/"level":/g)?.length, 1, l);
    const levels = lines.filter((l) => l.msg === 'brownout level changed').map((l) => [l.level, l.brownoutLevel]);
    assert.deepEqual(levels[0], [40, 3]);
    assert.deepEqual(levels.at(-1), [40, 0]);
  } finally {
    await server.close();
  }
});
