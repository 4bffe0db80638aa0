import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { rawConnect } from '../helpers/raw-http.ts';
import { addressGroup } from '../../src/http/connection-limit.ts';
import { loadConfig } from '../../src/config.ts';

// The cap on open connections per client address, through the real server. Loopback has many
// addresses: 127.0.0.1 plays an exempt load generator, 127.0.0.2 and 127.0.0.3 customers.

const CAP = 3;

/** Opens a chat WebSocket from `localAddress`: 'open' (after the session frame), or the refusal's HTTP status. */
function openChat(server: TestServer, localAddress: string): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/v1/chat/ws`, { localAddress });
    ws.once('message', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      res.resume();
    });
    ws.once('error', reject);
  });
}

/** Asks on an open chat and resolves with the last frame's type. */
function ask(ws: WebSocket, id: string): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const f = JSON.parse(String(data)) as { type: string; replyTo?: string };
      if (f.replyTo === id && (f.type === 'end' || f.type === 'error')) {
        ws.off('message', onMessage);
        resolve(f.type);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'user_message', id, text: 'hello' }));
  });
}

/** GET /healthz on a new connection from `localAddress`: status, headers and body. */
function healthz(server: TestServer, localAddress: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${server.url}/healthz`, { localAddress, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function closeAll(sockets: (WebSocket | undefined)[]): Promise<void[]> {
  return Promise.all(sockets.map((ws) => new Promise<void>((resolve) => (!ws || ws.readyState === ws.CLOSED ? resolve() : (ws.once('close', () => resolve()), ws.close())))));
}

describe('beyond the cap, an address is refused at once', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ CONNECTIONS_PER_ADDRESS: String(CAP), CONNECTIONS_PER_ADDRESS_EXEMPT: '127.0.0.1' });
  });
  after(() => server.close());

  test('the fourth connection from one address gets 429 rate_limited; others are not affected; a closed one frees its slot', async () => {
    const held = [];
    for (let i = 0; i < CAP; i++) {
      const r = await openChat(server, '127.0.0.2');
      assert.ok(r.ws, `connection ${i} opened`);
      held.push(r.ws);
    }
    assert.equal((await openChat(server, '127.0.0.2')).status, 429, 'a fourth WebSocket is refused');
    const refused = await healthz(server, '127.0.0.2');
    assert.equal(refused.status, 429, 'and so is plain HTTP on a new connection');
    assert.equal(refused.headers['retry-after'], '5');
    assert.equal(refused.headers.connection, 'close');
    assert.equal(JSON.parse(refused.body).code, 'rate_limited');

    // Another customer's address, and the exempt load generator's, are not capped.
    const other = await openChat(server, '127.0.0.3');
    assert.ok(other.ws);
    const generator = [];
    for (let i = 0; i < 3 * CAP; i++) generator.push((await openChat(server, '127.0.0.1')).ws);
    assert.ok(generator.every(Boolean), 'the exempt address opened 9');

    // The held connections keep working.
    assert.equal(await ask(held[0]!, 'held-1'), 'end');

    // Closing one frees a slot (the server counts it down when it sees the close).
    await closeAll([held.pop()]);
    let reopened: WebSocket | undefined;
    for (let attempt = 0; attempt < 50 && !reopened; attempt++) {
      reopened = (await openChat(server, '127.0.0.2')).ws;
      if (!reopened) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(reopened, 'a slot came free after a close');
    await closeAll([...held, reopened, other.ws, ...generator]);
  });

  test('a refused connection is answered and closed by the server without sending anything', async () => {
    const held = [];
    for (let i = 0; i < CAP; i++) held.push(await rawConnect(server.url, { localAddress: '127.0.0.2' }));
    const refused = await rawConnect(server.url, { localAddress: '127.0.0.2' });
    const received = await refused.closed;
    assert.match(received, /^HTTP\/1\.1 429 Too Many Requests\r\n/);
    assert.match(received, /"code":"rate_limited"/);
    for (const c of held) c.socket.destroy();
  });
});

describe('who is not counted', () => {
  const servers: TestServer[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));

  async function opened(server: TestServer, localAddress: string, n: number): Promise<number> {
    const results = [];
    for (let i = 0; i < n; i++) results.push(await openChat(server, localAddress));
    await closeAll(results.map((r) => r.ws));
    return results.filter((r) => r.ws).length;
  }

  test('by default loopback is exempt (a load generator on this machine holds thousands of chats)', async () => {
    const server = await startTestServer({ CONNECTIONS_PER_ADDRESS: String(CAP) });
    servers.push(server);
    assert.equal(await opened(server, '127.0.0.2', 2 * CAP), 2 * CAP);
  });

  test('behind load balancers counted by hops, every peer is taken for a balancer: no cap on socket addresses', async () => {
    const server = await startTestServer({ CONNECTIONS_PER_ADDRESS: String(CAP), CONNECTIONS_PER_ADDRESS_EXEMPT: '192.0.2.1', TRUST_PROXY: '1' });
    servers.push(server);
    assert.equal(await opened(server, '127.0.0.2', 2 * CAP), 2 * CAP);
  });

  test('with proxy addresses, the listed proxies are exempt and anyone else is capped', async () => {
    const server = await startTestServer({ CONNECTIONS_PER_ADDRESS: String(CAP), CONNECTIONS_PER_ADDRESS_EXEMPT: '192.0.2.1', TRUST_PROXY: '127.0.0.2' });
    servers.push(server);
    assert.equal(await opened(server, '127.0.0.2', 2 * CAP), 2 * CAP);
    assert.equal(await opened(server, '127.0.0.3', 2 * CAP), CAP);
  });
});

test('IPv6 clients are counted by /64, IPv4-mapped addresses as IPv4', () => {
  assert.equal(addressGroup('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), addressGroup('2001:db8:1:2::1'));
  assert.equal(addressGroup('2001:DB8:1:2::1'), '2001:db8:1:2::/64');
  assert.notEqual(addressGroup('2001:db8:1:3::1'), addressGroup('2001:db8:1:2::1'));
  assert.equal(addressGroup('::1'), '0:0:0:0::/64');
  assert.equal(addressGroup('::ffff:203.0.113.5'), '203.0.113.5');
  assert.equal(addressGroup('203.0.113.5'), '203.0.113.5');
  assert.equal(addressGroup('64:ff9b::203.0.113.5'), '64:ff9b:0:0::/64');
});

test('connection cap options: defaults and a bad exempt entry named at start-up', () => {
  const c = loadConfig({});
  assert.equal(c.CONNECTIONS_PER_ADDRESS, 1000);
  assert.equal(c.CONNECTIONS_PER_ADDRESS_EXEMPT, 'loopback');
  assert.throws(() => loadConfig({ CONNECTIONS_PER_ADDRESS_EXEMPT: 'loopback, not-an-address' }), /CONNECTIONS_PER_ADDRESS_EXEMPT/);
});
