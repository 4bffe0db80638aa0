import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchFresh, startClusterService, type ClusterService } from '../helpers/cluster-service.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { connectChat, type ChatClient } from '../helpers/ws-client.ts';

// With WORKERS=2 a customer's chat lives on one worker and the operator's reply lands on
// whichever worker took the /v1/ops request: the reply goes over the message bus and the worker
// holding the chat delivers it (it used to reach the chat only when both were the same worker:
// 2 of 4). Then the same machine as one node of a fleet on Redis, beside a second node: each
// worker is a member of the fleet's bus.

const OPS_TOKEN = 'workers-handoff-ops-credential-0123';
const ADMIN_TOKEN = 'workers-handoff-admin-credential-01';

let asked = 0;

async function ops(url: string, method: string, path: string, body?: unknown, token = OPS_TOKEN): Promise<any> {
  const res = await fetchFresh(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  assert.equal(res.status, 200, `${method} ${path}: ${text}`);
  return JSON.parse(text);
}

async function askForHuman(wsUrl: string): Promise<{ customer: ChatClient; ticketId: string }> {
  const customer = await connectChat(wsUrl);
  const frames = await customer.ask('I want to talk to a human', `handoff-${process.pid}-${++asked}`);
  const ticketId = (frames.find((f) => f.type === 'end')?.handoff as { ticketId?: string } | undefined)?.ticketId;
  assert.ok(ticketId, `a ticket was opened: ${JSON.stringify(frames.at(-1))}`);
  return { customer, ticketId };
}

/**
 * Replies to each customer's ticket through `via(i)` (after `first(i)`); resolves with how many
 * were delivered live, checking each chat got its reply once, or not at all when not delivered.
 */
async function replyToAll(customers: { customer: ChatClient; ticketId: string }[], via: (i: number) => string, first: (i: number) => Promise<unknown> = async () => {}): Promise<number> {
  let live = 0;
  for (const [i, { customer, ticketId }] of customers.entries()) {
    await first(i);
    const replied = await ops(via(i), 'POST', `/v1/ops/tickets/${ticketId}/reply`, { text: `Reply ${i}`, operator: 'Sato' });
    const id = replied.ticket.messages.at(-1).id;
    // A message of the chat's own answered after the reply: anything sent before has arrived.
    await customer.ask('thanks', `handoff-${process.pid}-${++asked}`);
    const frames = customer.frames.filter((f) => f.type === 'agent_message' && f.messageId === id);
    assert.equal(frames.length, replied.delivered ? 1 : 0, `customer ${i}: delivered ${replied.delivered}, ${frames.length} frames`);
    if (replied.delivered) live++;
  }
  return live;
}

/** Host websocket URL of an http URL. */
const ws = (url: string) => url.replace(/^http/, 'ws');

describe('WORKERS=2: operator replies reach the worker holding the chat', () => {
  let service: ClusterService;
  before(async () => {
    service = await startClusterService({ OPS_TOKEN });
  });
  after(async () => {
    const code = await service.stop();
    assert.ok(code === 0 || code === 'SIGTERM', `exit ${code}: ${service.output().slice(-2000)}`);
  });

  test('four customers (new connections alternate between the workers), four replies through either: 4 of 4 live, each once', async () => {
    const customers = [];
    for (let i = 0; i < 4; i++) customers.push(await askForHuman(ws(service.url)));
    try {
      // node:cluster hands each new connection to the next worker: customers land on workers
      // 0,1,0,1 (up to a shift), and with a throwaway connection before replies 1 and 3 the
      // replies land on 0,0,1,1: two on the worker holding the chat, two on the other.
      const shuffle = async (i: number) => i % 2 === 1 && (await (await fetchFresh(`${service.url}/readyz`)).text());
      assert.equal(await replyToAll(customers, () => service.url, shuffle), 4);
      // And the operators' page sees each chat, whichever worker answers it.
      for (const { ticketId } of customers) assert.equal((await ops(service.url, 'GET', `/v1/ops/tickets/${ticketId}`)).connected, 1);
    } finally {
      await Promise.all(customers.map((c) => c.customer.close()));
    }
  });
});

describe('WORKERS=2 with BUS_BACKEND=redis beside a second node', () => {
  let redis: TestRedis;
  let shared: string;
  let machine: ClusterService;
  let other: TestServer;
  before(async () => {
    redis = await startRedis();
    shared = mkdtempSync(join(tmpdir(), 'manga-assist-workers-fleet-'));
    const common = { BUS_BACKEND: 'redis', REDIS_URL: redis.url, OPS_TOKEN, ADMIN_TOKEN, DATA_DIR: shared };
    // The cluster's primary prepares the shared DATA_DIR; the second node opens it after.
    machine = await startClusterService({ ...common, NODE_ID: 'machine-1' });
    other = await startTestServer({ ...common, NODE_ID: 'machine-2' });
  });
  after(async () => {
    await other?.close();
    await machine?.stop();
    await redis?.stop();
    rmSync(shared, { recursive: true, force: true });
  });

  test('every worker is on the fleet bus: replies through the other node reach chats on both workers, and back', async () => {
    const report = await ops(other.url, 'GET', '/v1/admin/faults', undefined, ADMIN_TOKEN);
    const nodes = (report.processes as { node: string }[]).map((p) => p.node);
    assert.equal(nodes.length, 3, JSON.stringify(nodes));
    assert.equal(nodes.filter((n) => /^machine-1:\d+$/.test(n)).length, 2, 'each worker by its pid');
    assert.ok(nodes.includes('machine-2'));

    const onMachine = [];
    for (let i = 0; i < 4; i++) onMachine.push(await askForHuman(ws(machine.url)));
    const onOther = [await askForHuman(other.wsUrl), await askForHuman(other.wsUrl)];
    try {
      assert.equal(await replyToAll(onMachine, () => other.url), 4);
      assert.equal(await replyToAll(onOther, () => machine.url), 2);
    } finally {
      await Promise.all([...onMachine, ...onOther].map((c) => c.customer.close()));
    }
  });
});
