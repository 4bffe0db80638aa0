import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat } from '../helpers/ws-client.ts';
import { createTokenSource } from '../../src/loadgen/credentials.ts';

// Customer tokens through the real server: `exp` required, lifetime capped, no `iat` in the
// future, issuer and audience enforced for HS256 when configured; every refusal is a 401
// `unauthorized` (HTTP) or an `error` frame and close 4401 (WebSocket).

const SECRET = 'token-claims-e2e-secret-of-32-bytes-or-more';
const KEY = new TextEncoder().encode(SECRET);
const ISSUER = 'https://id.manga-store.example/';
const AUDIENCE = 'manga-assist';
const now = () => Math.floor(Date.now() / 1000);

/** An HS256 token signed with the service's secret and exactly these claims. */
function token(claims: { iss?: string; aud?: string; iat?: number; exp?: number }): Promise<string> {
  return new SignJWT({ tier: 'member', ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('cust-1001').sign(KEY);
}

async function chatStatus(server: TestServer, jwt: string): Promise<{ status: number; code?: string }> {
  const r = await fetch(`${server.url}/v1/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
    body: JSON.stringify({ text: 'hello' }),
  });
  const body = (await r.json()) as { code?: string };
  return { status: r.status, code: body.code };
}

/** What the WebSocket says to a token: the `session` frame's customer, or the error frame's code and the close code. */
function wsVerdict(server: TestServer, jwt: string): Promise<{ customer?: string; code?: string; close?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/v1/chat/ws?token=${encodeURIComponent(jwt)}`);
    let verdict: { customer?: string; code?: string; close?: number } = {};
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; customer?: string; code?: string };
      if (f.type === 'session') {
        verdict = { customer: f.customer };
        ws.close();
      } else if (f.type === 'error') verdict = { code: f.code };
    });
    ws.on('close', (code) => resolve({ ...verdict, ...(verdict.code ? { close: code } : {}) }));
    ws.on('error', reject);
  });
}

describe('with issuer and audience configured', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, DEV_LOGIN: 'true' });
  });
  after(() => server.close());

  test('a token with the right iss, aud and a short life is a signed-in customer on HTTP and WebSocket', async () => {
    const good = await token({ iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 3600 });
    assert.equal((await chatStatus(server, good)).status, 200);
    assert.deepEqual(await wsVerdict(server, good), { customer: 'member' });
  });

  test('the service\'s own signer and the demo sign-in carry the configured iss and aud', async () => {
    const own = await server.app.signToken({ sub: 'cust-1002', tier: 'prime' });
    assert.deepEqual(await wsVerdict(server, own), { customer: 'prime' });
    const r = await fetch(`${server.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId: 'cust-1002' }) });
    assert.equal(r.status, 200);
    const demo = ((await r.json()) as { token: string }).token;
    assert.equal((await chatStatus(server, demo)).status, 200);
  });

  for (const [what, claims] of [
    ['no iss', () => ({ aud: AUDIENCE, iat: now(), exp: now() + 3600 })],
    ['another issuer', () => ({ iss: 'https://evil.example/', aud: AUDIENCE, iat: now(), exp: now() + 3600 })],
    ['no aud', () => ({ iss: ISSUER, iat: now(), exp: now() + 3600 })],
    ['another audience', () => ({ iss: ISSUER, aud: 'other-app', iat: now(), exp: now() + 3600 })],
    ['no exp', () => ({ iss: ISSUER, aud: AUDIENCE, iat: now() })],
    ['exp ten years away', () => ({ iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 10 * 365 * 86_400 })],
    ['exp two days away and no iat', () => ({ iss: ISSUER, aud: AUDIENCE, exp: now() + 2 * 86_400 })],
    ['iat an hour in the future', () => ({ iss: ISSUER, aud: AUDIENCE, iat: now() + 3600, exp: now() + 7200 })],
  ] as const) {
    test(`refused: ${what} (401 unauthorized; WebSocket error frame and close 4401)`, async () => {
      const jwt = await token(claims());
      assert.deepEqual(await chatStatus(server, jwt), { status: 401, code: 'unauthorized' });
      assert.deepEqual(await wsVerdict(server, jwt), { code: 'unauthorized', close: 4401 });
    });
  }
});

describe('at the defaults (no issuer or audience)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ AUTH_JWT_SECRET: SECRET });
  });
  after(() => server.close());

  test('the load generator\'s 12-hour tokens and the demo signer\'s 2-hour tokens are accepted', async () => {
    const loadgen = await createTokenSource(KEY)({ id: 'lg-1', tier: 'member', ageVerified: false, orders: [] });
    assert.deepEqual(await wsVerdict(server, loadgen), { customer: 'member' });
    const chat = await connectChat(server.wsUrl, { token: await server.app.signToken({ sub: 'cust-1001', tier: 'member' }) });
    assert.equal(chat.frames[0].customer, 'member');
    await chat.close();
  });

  test('a token valid for more than a day, or without exp, is refused', async () => {
    assert.deepEqual(await chatStatus(server, await token({ iat: now(), exp: now() + 25 * 3600 })), { status: 401, code: 'unauthorized' });
    assert.deepEqual(await chatStatus(server, await token({ iat: now() })), { status: 401, code: 'unauthorized' });
  });

  test('an iat within the clock tolerance (30 s) is accepted, beyond it refused', async () => {
    assert.equal((await chatStatus(server, await token({ iat: now() + 10, exp: now() + 3600 }))).status, 200);
    assert.equal((await chatStatus(server, await token({ iat: now() + 120, exp: now() + 3600 }))).status, 401);
  });
});
