import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { scrapeMetrics, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, type ChatClient, type Frame } from '../helpers/ws-client.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

// BUS_BACKEND=redis: two service nodes sharing a real redis-server (the fleet's bus) and one
// DATA_DIR (the stores, until they are DynamoDB tables), as two machines behind a load balancer
// would. An operator's reply through one node reaches the customer's chat on the other, live and
// once; admin faults and data-change events posted to one node apply on both, and on a node
// started later; metrics stay per node; after a Redis restart the bus carries all of it again.

const OPS_TOKEN = 'fleet-e2e-ops-credential-0123456789';
const ADMIN_TOKEN = 'fleet-e2e-admin-credential-0123456789';
const SECRET = 'fleet-e2e-shared-jwt-secret-0123456789abcdef';

interface Report {
  pid: number;
  node?: string;
  faults: Record<string, unknown>;
}

async function call(node: TestServer, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${node.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  assert.equal(res.status, 200, `${method} ${path}: ${text}`);
  return JSON.parse(text);
}
const ops = (node: TestServer, method: string, path: string, body?: unknown) => call(node, OPS_TOKEN, method, path, body);
const admin = (node: TestServer, method: string, path: string, body?: unknown) => call(node, ADMIN_TOKEN, method, path, body);

async function chat(node: TestServer, text: string): Promise<{ degraded: string[]; products: { seriesId: string; format?: string }[] }> {
  const res = await fetch(`${node.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { degraded: string[]; products: { seriesId: string; format?: string }[] };
}

let asked = 0;
/** A customer asks for a human on `node`; resolves with the chat and the ticket it opened. */
async function askForHuman(node: TestServer, token: string): Promise<{ customer: ChatClient; ticketId: string }> {
  const customer = await connectChat(node.wsUrl, { token });
  const frames = await customer.ask('I want to talk to a human', `fleet-${++asked}`);
  const ticketId = (frames.find((f) => f.type === 'end')?.handoff as { ticketId?: string } | undefined)?.ticketId;
  assert.ok(ticketId, `a ticket was opened: ${JSON.stringify(frames.at(-1))}`);
  return { customer, ticketId };
}

/**
 * The staff frames of a reply the chat got, counted once the reply answered (every node has
 * handled it then) and a message of the chat's own has been answered after it (frames of one
 * socket arrive in order: anything sent before is in by then).
 */
async function staffFramesOf(customer: ChatClient, messageId: string): Promise<Frame[]> {
  await customer.ask('thanks', `fleet-${++asked}`);
  return customer.frames.filter((f) => f.type === 'agent_message' && f.messageId === messageId);
}

function counter(text: string, name: string): number {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

describe('BUS_BACKEND=redis: two nodes sharing Redis and the stores', () => {
  let redis: TestRedis;
  let shared: string;
  let a: TestServer;
  let b: TestServer;
  const config = () => ({ BUS_BACKEND: 'redis', REDIS_URL: redis.url, BUS_HEARTBEAT_MS: '200', OPS_TOKEN, ADMIN_TOKEN, AUTH_JWT_SECRET: SECRET, CATALOG_REFRESH_INTERVAL_MS: '0', DATA_DIR: shared });

  before(async () => {
    redis = await startRedis();
    shared = mkdtempSync(join(tmpdir(), 'manga-assist-fleet-bus-'));
    // Two nodes in one test process: the default name (hostname:pid) would be one for both.
    a = await startTestServer({ ...config(), NODE_ID: 'node-a' });
    b = await startTestServer({ ...config(), NODE_ID: 'node-b' });
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
    rmSync(shared, { recursive: true, force: true });
  });

  test('an operator reply through node A reaches the customer connected to node B live, once; the ticket says delivered', async () => {
    const token = await a.app.signToken({ sub: 'cust-fleet-1', tier: 'member', name: 'Hanako' });
    const { customer, ticketId } = await askForHuman(b, token);
    try {
      const detail = await ops(a, 'GET', `/v1/ops/tickets/${ticketId}`);
      assert.equal(detail.connected, 1, 'node A sees the chat node B holds');
      const from = customer.frames.length;
      const replied = await ops(a, 'POST', `/v1/ops/tickets/${ticketId}/reply`, { text: 'Hello Hanako, Sato from support here.', operator: 'Sato' });
      assert.equal(replied.delivered, true);
      const line = replied.ticket.messages.at(-1);
      assert.equal(line.delivered, true);
      const live = await customer.next((f) => f.type === 'agent_message', from);
      assert.equal(live.text, 'Hello Hanako, Sato from support here.');
      assert.equal((await staffFramesOf(customer, line.id)).length, 1, 'shown once');
      const stored = (await ops(b, 'GET', `/v1/ops/tickets/${ticketId}`)).ticket.messages as { id: string; delivered?: boolean }[];
      assert.equal(stored.find((m) => m.id === line.id)?.delivered, true);
    } finally {
      await customer.close();
    }
  });

  test('four customers, two on each node, answered through either node: 4 of 4 delivered live, each once', async () => {
    const placed = [a, b, a, b];
    const customers = await Promise.all(placed.map(async (node, i) => askForHuman(node, await a.app.signToken({ sub: `cust-fleet-4-${i}`, tier: 'member' }))));
    try {
      let live = 0;
      for (const [i, { customer, ticketId }] of customers.entries()) {
        // Through the node the customer is NOT on, and through the one it is on.
        const via = i < 2 ? (placed[i] === a ? b : a) : placed[i];
        const replied = await ops(via, 'POST', `/v1/ops/tickets/${ticketId}/reply`, { text: `Reply ${i}`, operator: 'Ito' });
        const frames = await staffFramesOf(customer, replied.ticket.messages.at(-1).id);
        assert.equal(frames.length, 1, `customer ${i}: ${JSON.stringify(frames)}`);
        if (replied.delivered) live++;
      }
      assert.equal(live, 4);
    } finally {
      await Promise.all(customers.map((c) => c.customer.close()));
    }
  });

  test('a customer connected to no node gets the reply when they come back, on the other node', async () => {
    const token = await a.app.signToken({ sub: 'cust-fleet-2', tier: 'member' });
    const { customer, ticketId } = await askForHuman(a, token);
    await customer.close();
    const replied = await ops(b, 'POST', `/v1/ops/tickets/${ticketId}/reply`, { text: 'We refunded the order.', operator: 'Sato' });
    assert.equal(replied.delivered, false);
    assert.equal((await ops(b, 'GET', `/v1/ops/tickets/${ticketId}`)).connected, 0);
    const back = await connectChat(b.wsUrl, { token, session: customer.sessionId, resume: customer.resumeToken });
    try {
      const missed = await back.next((f) => f.type === 'agent_message');
      assert.equal(missed.text, 'We refunded the order.');
      assert.equal((await staffFramesOf(back, replied.ticket.messages.at(-1).id)).length, 1);
    } finally {
      await back.close();
    }
  });

  test('a fault set through node A is in force on node B; cleared through B, it is gone from A; the report names both nodes', async () => {
    assert.deepEqual((await admin(a, 'PUT', '/v1/admin/faults/catalog', { down: true })).faults, { catalog: { down: true } });
    const report = (await admin(b, 'GET', '/v1/admin/faults')) as { faults: unknown; processes: Report[] };
    assert.deepEqual(report.faults, { catalog: { down: true } });
    assert.deepEqual(report.processes.map((p) => p.node), ['node-a', 'node-b']);
    for (const p of report.processes) assert.deepEqual(p.faults, { catalog: { down: true } }, p.node);
    assert.ok((await chat(b, 'Do you have One Piece?')).degraded.includes('catalog'), 'B\'s messages meet the fault');

    assert.deepEqual((await admin(b, 'DELETE', '/v1/admin/faults/catalog')).faults, {});
    assert.deepEqual((await admin(a, 'GET', '/v1/admin/faults')).faults, {});
    assert.deepEqual((await chat(a, 'Do you have One Piece?')).degraded, []);
  });

  test('a node started later starts with the fleet\'s faults', async () => {
    await admin(b, 'PUT', '/v1/admin/faults/recommendations', { down: true });
    await admin(a, 'PUT', '/v1/admin/faults/promotions', { latencyMs: 20 });
    await admin(a, 'DELETE', '/v1/admin/faults/promotions');
    const c = await startTestServer({ ...config(), NODE_ID: 'node-c' });
    try {
      assert.deepEqual((await admin(c, 'GET', '/v1/admin/faults')).processes.map((p: Report) => [p.node, p.faults]), [
        ['node-a', { recommendations: { down: true } }],
        ['node-b', { recommendations: { down: true } }],
        ['node-c', { recommendations: { down: true } }],
      ]);
      await admin(c, 'DELETE', '/v1/admin/faults');
    } finally {
      await c.close();
    }
    // C left the bus: A and B are not kept waiting for it.
    assert.deepEqual((await admin(a, 'GET', '/v1/admin/faults')).processes.map((p: Report) => [p.node, p.faults]), [['node-a', {}], ['node-b', {}]]);
  });

  test('a data-change event posted to node B drops node A\'s cached data', async () => {
    const first = await chat(a, 'Do you have Frieren?');
    const seriesId = first.products[0].seriesId;
    assert.ok(first.products.every((p) => p.format === 'tankobon'), JSON.stringify(first.products));
    const db = new DatabaseSync(join(shared, 'catalog.sqlite'));
    db.exec('PRAGMA busy_timeout = 5000');
    db.prepare('UPDATE catalog_products SET format = ? WHERE series_id = ?').run('collector box', seriesId);
    db.close();
    assert.ok((await chat(a, 'Do you have Frieren?')).products.every((p) => p.format === 'tankobon'), 'A answers from its cache');
    const event = await admin(b, 'POST', '/v1/admin/events', { type: 'catalog.changed', seriesIds: [seriesId] });
    assert.ok((event.invalidated as string[]).includes(`series:${seriesId}`));
    const now = await chat(a, 'Do you have Frieren?');
    assert.ok(now.products.length > 0 && now.products.every((p) => p.format === 'collector box'), JSON.stringify(now.products));
  });

  test('metrics stay per node: messages answered by B are not in A\'s /metrics', async () => {
    const before = await Promise.all([a, b].map(async (n) => counter(await scrapeMetrics(n.url), 'mangaassist_messages_total')));
    for (let i = 0; i < 3; i++) await chat(b, 'hello');
    const after = await Promise.all([a, b].map(async (n) => counter(await scrapeMetrics(n.url), 'mangaassist_messages_total')));
    assert.equal(after[0], before[0], 'A counted none');
    assert.equal(after[1], before[1] + 3, 'B counted its 3');
  });

  test('Redis restarted (empty): both nodes re-sync, the faults set before are still in force everywhere, replies cross nodes again', async () => {
    await admin(a, 'PUT', '/v1/admin/faults/reviews', { errorRate: 0.5 });
    await redis.restart();
    // Until both nodes noticed, reconnected and re-synced, a report fails (503: not in sync, or
    // Redis unreachable) or lacks a node (its presence is not in the empty Redis yet).
    const deadline = Date.now() + 20_000;
    let report: { processes: Report[] } | undefined;
    for (;;) {
      const res = await fetch(`${b.url}/v1/admin/faults`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      report = res.status === 200 ? ((await res.json()) as { processes: Report[] }) : undefined;
      if (report?.processes.length === 2) break;
      assert.ok(Date.now() < deadline, `both nodes back on the bus: ${res.status} ${JSON.stringify(report)}`);
      await sleep(100);
    }
    assert.deepEqual(report.processes.map((p) => [p.node, p.faults]), [['node-a', { reviews: { errorRate: 0.5 } }], ['node-b', { reviews: { errorRate: 0.5 } }]]);
    for (const node of [a, b]) assert.equal((await admin(node, 'GET', '/v1/admin/resilience')).bus.inSync, true);
    const token = await a.app.signToken({ sub: 'cust-fleet-3', tier: 'member' });
    const { customer, ticketId } = await askForHuman(a, token);
    try {
      const replied = await ops(b, 'POST', `/v1/ops/tickets/${ticketId}/reply`, { text: 'Back online.', operator: 'Sato' });
      assert.equal(replied.delivered, true);
      assert.equal((await staffFramesOf(customer, replied.ticket.messages.at(-1).id)).length, 1);
    } finally {
      await customer.close();
    }
    await admin(a, 'DELETE', '/v1/admin/faults');
  });
});
