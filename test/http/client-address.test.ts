import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { loadConfig } from '../../src/config.ts';

// Which address the cap on new guest sessions per address counts, through the real server, with
// spoofed multi-entry X-Forwarded-For headers. Behind one load balancer only the entry it
// appended (the last) is the client; everything before it is the client's to write.

const BURST = 3;
const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function start(trustProxy: string): Promise<TestServer> {
  const s = await startTestServer({ TRUST_PROXY: trustProxy, GUEST_SESSIONS_PER_ADDRESS_PER_MIN: '1', GUEST_SESSIONS_PER_ADDRESS_BURST: String(BURST) });
  servers.push(s);
  return s;
}

/** A new guest chat (no sessionId) over HTTP with this X-Forwarded-For; its status (429 once the address's new chats run out). */
async function newChat(server: TestServer, xff?: string): Promise<number> {
  const r = await fetch(`${server.url}/v1/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(xff ? { 'x-forwarded-for': xff } : {}) },
    body: JSON.stringify({ text: 'hello' }),
  });
  const body = (await r.json()) as { code?: string; message?: string };
  if (r.status === 429) assert.match(String(body.message), /new chats/, 'refused by the per-address cap');
  return r.status;
}

let spoof = 0;
/** A different forged first entry every time: an attacker varying what it controls. */
const forged = () => `198.51.100.${++spoof % 250}, 192.0.2.${spoof % 250}`;

describe('TRUST_PROXY as a hop count', () => {
  test('1 (one load balancer): the last entry is the client; forged earlier entries do not escape the cap', async () => {
    const server = await start('1');
    const statuses = [];
    for (let i = 0; i <= BURST; i++) statuses.push(await newChat(server, `${forged()}, 203.0.113.7`));
    assert.deepEqual(statuses, [...Array(BURST).fill(200), 429]);
    // Another client behind the same load balancer has its own allowance.
    assert.equal(await newChat(server, `203.0.113.7, 203.0.113.8`), 200);
  });

  test('`true` keeps meaning one hop', async () => {
    const server = await start('true');
    const statuses = [];
    for (let i = 0; i <= BURST; i++) statuses.push(await newChat(server, `${forged()}, 203.0.113.9`));
    assert.deepEqual(statuses, [...Array(BURST).fill(200), 429]);
    assert.equal(await newChat(server, `203.0.113.9, 203.0.113.11`), 200, 'another client is not capped');
  });

  test('2 (CDN then load balancer): the second entry from the right is the client', async () => {
    const server = await start('2');
    const statuses = [];
    // The last entry is the CDN's edge address, different per request; the client is before it.
    for (let i = 0; i <= BURST; i++) statuses.push(await newChat(server, `${forged()}, 203.0.113.10, 100.64.0.${i + 1}`));
    assert.deepEqual(statuses, [...Array(BURST).fill(200), 429]);
    assert.equal(await newChat(server, `203.0.113.10, 203.0.113.12, 100.64.0.1`), 200, 'another client is not capped');
  });

  test('`false`: X-Forwarded-For is ignored, the socket address counts', async () => {
    const server = await start('false');
    const statuses = [];
    for (let i = 0; i <= BURST; i++) statuses.push(await newChat(server, `203.0.113.${20 + i}`));
    assert.deepEqual(statuses, [...Array(BURST).fill(200), 429]);
  });

  test('the WebSocket counts the same address as HTTP', async () => {
    const server = await start('1');
    const open = (xff: string) =>
      new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(`${server.wsUrl}/v1/chat/ws`, { headers: { 'x-forwarded-for': xff } });
        ws.on('message', (data) => {
          const f = JSON.parse(String(data)) as { type: string; code?: string; replyTo?: string };
          if (f.type === 'session') ws.send(JSON.stringify({ type: 'user_message', id: 'm1', text: 'hello' }));
          else if (f.replyTo === 'm1' && (f.type === 'end' || f.type === 'error')) {
            ws.close();
            resolve(f.type === 'end' ? 'end' : String(f.code));
          }
        });
        ws.on('error', reject);
      });
    const outcomes = [];
    for (let i = 0; i < BURST; i++) outcomes.push(await open(`${forged()}, 203.0.113.30`));
    outcomes.push(String(await newChat(server, `${forged()}, 203.0.113.30`)));
    assert.deepEqual(outcomes, [...Array(BURST).fill('end'), '429']);
    assert.equal(await open(`203.0.113.30, 203.0.113.31`), 'end', 'another client is not capped');
  });
});

describe('TRUST_PROXY as proxy addresses', () => {
  test('the walk stops at the first untrusted address; entries before it are ignored', async () => {
    // The socket is 127.0.0.1 (trusted), then a trusted internal hop, then the client.
    const server = await start('loopback, 10.0.0.0/8');
    const statuses = [];
    for (let i = 0; i <= BURST; i++) statuses.push(await newChat(server, `${forged()}, 203.0.113.40, 10.1.2.${i + 1}`));
    assert.deepEqual(statuses, [...Array(BURST).fill(200), 429]);
    assert.equal(await newChat(server, `203.0.113.40, 203.0.113.41, 10.1.2.1`), 200, 'another client is not capped');
  });
});

test('TRUST_PROXY parses booleans, hop counts and address lists, and refuses anything else', () => {
  assert.equal(loadConfig({}).TRUST_PROXY, 0);
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY, 1);
  assert.equal(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY, 0);
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY, 2);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback,::1' }).TRUST_PROXY, ['10.0.0.0/8', 'loopback', '::1']);
  assert.throws(() => loadConfig({ TRUST_PROXY: 'maybe' }), /TRUST_PROXY/);
  assert.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' }), /TRUST_PROXY/);
  assert.throws(() => loadConfig({ TRUST_PROXY: '-1' }), /TRUST_PROXY/);
});
