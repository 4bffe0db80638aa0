import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat } from '../helpers/ws-client.ts';
import Fastify from 'fastify';
import { registerAdminRoutes } from '../../src/http/admin.ts';
import { ChatError } from '../../src/errors.ts';
import { BusError } from '../../src/messaging/types.ts';

// Admin endpoints over the real server: their own bearer credential, fault injection for drills,
// the live resilience state, and the stable refusal codes.

const ADMIN_TOKEN = 'admin-test-token-0123456789abcdef';

async function call(server: TestServer, method: string, path: string, opts: { token?: string; body?: unknown; rawBody?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

interface DependencyStatus {
  dependency: string;
  circuit: string;
  fault?: Record<string, unknown>;
}

async function statusOf(server: TestServer, dependency: string): Promise<DependencyStatus> {
  const r = await call(server, 'GET', '/v1/admin/resilience', { token: ADMIN_TOKEN });
  assert.equal(r.status, 200);
  const found = (r.body.dependencies as DependencyStatus[]).find((d) => d.dependency === dependency);
  assert.ok(found, `${dependency} in /v1/admin/resilience`);
  return found;
}

describe('without ADMIN_TOKEN the admin endpoints do not exist', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const [method, path, body] of [
    ['GET', '/v1/admin/resilience', undefined],
    ['GET', '/v1/admin/faults', undefined],
    ['PUT', '/v1/admin/faults/catalog', { down: true }],
    ['DELETE', '/v1/admin/faults/catalog', undefined],
    ['DELETE', '/v1/admin/faults', undefined],
  ] as const) {
    test(`${method} ${path} → 404 not_found, even with a bearer`, async () => {
      const r = await call(server, method, path, { token: ADMIN_TOKEN, body });
      assert.equal(r.status, 404);
      assert.equal(r.body.code, 'not_found');
    });
  }

  test('and nothing was injected', () => {
    assert.deepEqual(server.app.faults.list(), {});
  });
});

describe('with ADMIN_TOKEN', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ADMIN_TOKEN, FAULTS: 'reviews:latency=5;orders:error=0.5' });
  });
  after(() => server.close());

  test('faults configured at start-up (FAULTS) are listed and shown in the resilience state', async () => {
    const r = await call(server, 'GET', '/v1/admin/faults', { token: ADMIN_TOKEN });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.faults, { reviews: { latencyMs: 5 }, orders: { errorRate: 0.5 } });
    // One process here; each reports its own faults (test/service/workers-admin.test.ts has two).
    assert.deepEqual((r.body.processes as { pid: number; faults: unknown }[]).map((p) => [p.pid, p.faults]), [[process.pid, { reviews: { latencyMs: 5 }, orders: { errorRate: 0.5 } }]]);
    assert.deepEqual((await statusOf(server, 'orders')).fault, { errorRate: 0.5 });
    assert.deepEqual((await statusOf(server, 'reviews')).fault, { latencyMs: 5 });
  });

  for (const [what, headers] of [
    ['no Authorization header', undefined],
    ['a wrong bearer', 'not-the-admin-token-at-all'],
    ['the token with a different last character', `${ADMIN_TOKEN.slice(0, -1)}x`],
    ['a prefix of the token', ADMIN_TOKEN.slice(0, 16)],
  ] as const) {
    test(`401 unauthorized with ${what}, on every admin route`, async () => {
      for (const [method, path, body] of [
        ['GET', '/v1/admin/resilience', undefined],
        ['GET', '/v1/admin/faults', undefined],
        ['PUT', '/v1/admin/faults/catalog', { down: true }],
        ['DELETE', '/v1/admin/faults/orders', undefined],
        ['DELETE', '/v1/admin/faults', undefined],
      ] as const) {
        const r = await call(server, method, path, { token: headers, body });
        assert.equal(r.status, 401, `${method} ${path}`);
        assert.equal(r.body.code, 'unauthorized', `${method} ${path}`);
      }
      // The refused writes changed nothing.
      assert.deepEqual(Object.keys(server.app.faults.list()).sort(), ['orders', 'reviews']);
    });
  }

  test('401 unauthorized with a valid customer JWT (member and Prime)', async () => {
    for (const tier of ['member', 'prime'] as const) {
      const jwt = await server.app.signToken({ sub: 'cust-1002', tier });
      const r = await call(server, 'GET', '/v1/admin/faults', { token: jwt });
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'unauthorized');
      const put = await call(server, 'PUT', '/v1/admin/faults/catalog', { token: jwt, body: { down: true } });
      assert.equal(put.status, 401);
    }
    assert.equal(server.app.faults.get('catalog'), undefined);
  });

  test('the admin token is not a customer token: chat with it as token is refused', async () => {
    const chat = await connectChat(server.wsUrl, { token: ADMIN_TOKEN });
    // The socket sends one error frame and closes (4401).
    const err = await chat.next((f) => f.type === 'error');
    assert.equal(err.code, 'unauthorized');
    await chat.close();
  });

  test('PUT a fault: listed, visible in the resilience state, and it takes effect on chat', async () => {
    const r = await call(server, 'PUT', '/v1/admin/faults/catalog', { token: ADMIN_TOKEN, body: { down: true } });
    assert.equal(r.status, 200);
    assert.deepEqual((r.body.faults as Record<string, unknown>).catalog, { down: true });
    const list = await call(server, 'GET', '/v1/admin/faults', { token: ADMIN_TOKEN });
    assert.deepEqual((list.body.faults as Record<string, unknown>).catalog, { down: true });
    assert.deepEqual((await statusOf(server, 'catalog')).fault, { down: true });

    const chat = await connectChat(server.wsUrl);
    const frames = await chat.ask('Do you have One Piece?');
    await chat.close();
    assert.ok((frames.at(-1)!.degraded as string[]).includes('catalog'), 'the injected fault is applied to the next message');
    const report = await call(server, 'GET', '/v1/admin/faults', { token: ADMIN_TOKEN });
    const [me] = report.body.processes as { injected: Record<string, number> }[];
    assert.ok(me.injected.catalog >= 1, `attempts that met the fault are counted: ${JSON.stringify(me.injected)}`);

    // PUT replaces the whole spec of that dependency.
    const replaced = await call(server, 'PUT', '/v1/admin/faults/catalog', { token: ADMIN_TOKEN, body: { latencyMs: 10, errorRate: 0.25, timeoutRate: 0 } });
    assert.equal(replaced.status, 200);
    assert.deepEqual((await statusOf(server, 'catalog')).fault, { latencyMs: 10, errorRate: 0.25, timeoutRate: 0 });
  });

  test('the reranker (inside retrieval) is a dependency faults may be injected into', async () => {
    const r = await call(server, 'PUT', '/v1/admin/faults/reranker', { token: ADMIN_TOKEN, body: { down: true } });
    assert.equal(r.status, 200);
    assert.deepEqual((await statusOf(server, 'reranker')).fault, { down: true });
  });

  for (const [what, body] of [
    ['an unknown key', { down: true, lagMs: 5 }],
    ['a typo of a key', { latency: 100 }],
    ['errorRate 2', { errorRate: 2 }],
    ['timeoutRate -0.1', { timeoutRate: -0.1 }],
    ['a negative latency', { latencyMs: -1 }],
    ['a latency above a minute', { latencyMs: 60_001 }],
    ['a string latency', { latencyMs: '100' }],
    ['down as a string', { down: 'yes' }],
    ['an array', [1, 2]],
    ['null', null],
  ] as const) {
    test(`400 bad_request for ${what}, and the current fault is kept`, async () => {
      const before = server.app.faults.list();
      const r = await call(server, 'PUT', '/v1/admin/faults/orders', { token: ADMIN_TOKEN, body });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.code, 'bad_request');
      assert.equal(typeof r.body.message, 'string');
      assert.deepEqual(server.app.faults.list(), before);
    });
  }

  test('400 bad_request for a body that is not JSON', async () => {
    const r = await call(server, 'PUT', '/v1/admin/faults/orders', { token: ADMIN_TOKEN, rawBody: '{"down": tru' });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'bad_request');
  });

  test('404 not_found for an unknown dependency (PUT and DELETE), nothing added', async () => {
    const put = await call(server, 'PUT', '/v1/admin/faults/payments', { token: ADMIN_TOKEN, body: { down: true } });
    assert.equal(put.status, 404);
    assert.equal(put.body.code, 'not_found');
    assert.match(String(put.body.message), /payments/);
    const del = await call(server, 'DELETE', '/v1/admin/faults/payments', { token: ADMIN_TOKEN });
    assert.equal(del.status, 404);
    assert.equal(del.body.code, 'not_found');
    assert.equal(server.app.faults.get('payments'), undefined);
  });

  test('413 payload_too_large for a huge body', async () => {
    const r = await call(server, 'PUT', '/v1/admin/faults/orders', { token: ADMIN_TOKEN, rawBody: JSON.stringify({ down: true, pad: 'x'.repeat(64 * 1024) }) });
    assert.equal(r.status, 413);
    assert.equal(r.body.code, 'payload_too_large');
  });

  test('DELETE one fault removes only it; DELETE all removes the rest', async () => {
    await call(server, 'PUT', '/v1/admin/faults/promotions', { token: ADMIN_TOKEN, body: { down: true } });
    const before = Object.keys(server.app.faults.list()).sort();
    assert.ok(before.includes('promotions') && before.includes('orders') && before.length >= 3, before.join(','));

    const one = await call(server, 'DELETE', '/v1/admin/faults/promotions', { token: ADMIN_TOKEN });
    assert.equal(one.status, 200);
    assert.deepEqual(Object.keys(one.body.faults as object).sort(), before.filter((d) => d !== 'promotions'));
    assert.equal((await statusOf(server, 'promotions')).fault, undefined);
    // Deleting a known dependency without a fault is fine (idempotent).
    const again = await call(server, 'DELETE', '/v1/admin/faults/promotions', { token: ADMIN_TOKEN });
    assert.equal(again.status, 200);

    const all = await call(server, 'DELETE', '/v1/admin/faults', { token: ADMIN_TOKEN });
    assert.equal(all.status, 200);
    assert.deepEqual(all.body, { faults: {} });
    const list = await call(server, 'GET', '/v1/admin/faults', { token: ADMIN_TOKEN });
    assert.deepEqual(list.body.faults, {});
    assert.deepEqual((list.body.processes as { faults: unknown }[]).map((p) => p.faults), [{}]);
    const r = await call(server, 'GET', '/v1/admin/resilience', { token: ADMIN_TOKEN });
    for (const d of r.body.dependencies as DependencyStatus[]) assert.equal(d.fault, undefined, d.dependency);

    // Chat is healthy again.
    const chat = await connectChat(server.wsUrl);
    const frames = await chat.ask('Do you have One Piece?');
    await chat.close();
    assert.equal(frames.at(-1)!.degraded, undefined);
    assert.ok(frames.some((f) => f.type === 'products'));
  });

  test('GET /v1/admin/resilience reports every dependency, the limiter backend and brownout', async () => {
    const r = await call(server, 'GET', '/v1/admin/resilience', { token: ADMIN_TOKEN });
    assert.equal(r.status, 200);
    const names = (r.body.dependencies as DependencyStatus[]).map((d) => d.dependency).sort();
    assert.deepEqual(names, ['answer-cache', 'cache', 'cache-write', 'catalog', 'embedder', 'embedder-index', 'handoff', 'llm', 'llm-large', 'llm-small', 'memory', 'orders', 'promotions', 'recommendations', 'reranker', 'retrieval', 'reviews']);
    for (const d of r.body.dependencies as (DependencyStatus & Record<string, unknown>)[]) {
      assert.equal(d.circuit, 'closed', d.dependency);
      for (const key of ['inUse', 'queued', 'concurrency', 'queueLimit', 'p99Ms', 'retryBudgetLeft']) assert.equal(typeof d[key], 'number', `${d.dependency}.${key}`);
    }
    assert.deepEqual(r.body.rateLimiter, { backend: 'in-process' });
    const brownout = r.body.brownout as Record<string, unknown>;
    assert.equal(typeof brownout.level, 'number');
    assert.equal(typeof brownout.inFlight, 'number');
  });
});

describe('a write that does not reach every process of the service', () => {
  test('answers 503 unavailable saying which write and why; the bus failure is not a 500', async () => {
    const app = Fastify();
    app.setErrorHandler((error: ChatError, _req, reply) => {
      reply.status(error.status ?? 500).send({ code: error.code ?? 'internal', message: error.message });
    });
    const failing = () => Promise.reject(new BusError('faults.change', ['no answer within 5000 ms from worker 4242']));
    registerAdminRoutes(app, {
      token: ADMIN_TOKEN,
      dependencies: ['catalog'],
      resilience: () => ({ dependencies: [] }),
      faults: { set: failing, clear: failing, list: () => ({}), processes: failing, close() {} },
      dataChanged: failing,
    });
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    for (const [method, url, body] of [
      ['PUT', '/v1/admin/faults/catalog', { down: true }],
      ['DELETE', '/v1/admin/faults/catalog', undefined],
      ['DELETE', '/v1/admin/faults', undefined],
      ['GET', '/v1/admin/faults', undefined],
      ['POST', '/v1/admin/events', { type: 'kb.changed' }],
    ] as const) {
      const r = await app.inject({ method, url, headers: auth, ...(body ? { payload: body } : {}) });
      assert.equal(r.statusCode, 503, `${method} ${url}`);
      const json = r.json() as { code: string; message: string };
      assert.equal(json.code, 'unavailable');
      assert.match(json.message, /Not every service process answered \(.+\): .*worker 4242/);
    }
    await app.close();
  });
});
