// The fleet through its load balancer, started by the same code as `npm run fleet`: redis-server,
// dynalite, three service nodes and HAProxy with sticky sessions. A conversation survives its
// node being SIGKILLed and another node being drained (every acknowledged turn is still there,
// the next message is answered on another node); an operator's reply through one node reaches a
// customer on another live; a guest's burst is one budget across the nodes; a shared link opened by
// hundreds at once costs the store a read or so per node, and its revocation holds on every node.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import WebSocket from 'ws';
import { startFleet, stickTo, type Fleet } from '../../src/fleet/fleet.ts';
import { waitUntil } from '../../src/fleet/processes.ts';
import { signCustomerToken } from '../../src/admission/auth.ts';
import { connectChat, replyText, type ChatClient, type Frame } from '../helpers/ws-client.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient } from '../../src/store/dynamodb.ts';
import { dynamoTableNames } from '../../src/composition/stores.ts';

// Replies streamed at a model's pace (~50 tokens at 15/s: ~3.5 s), so a node can be killed or
// drained in the middle of one; no answer cache, which would answer a repeated question at once.
// Signed-in customers are not limited here; guests are, to 5 messages (refilled 1 a minute).
const ENV = {
  LOG_LEVEL: 'info',
  READING_DICTIONARY: 'off',
  WS_PING_INTERVAL_MS: '0',
  LLM_PROVIDER: 'sim',
  SIM_LLM_TTFT_MS: '100',
  SIM_LLM_SMALL_TTFT_MS: '100',
  SIM_LLM_TOKENS_PER_SEC: '15',
  SIM_LLM_SMALL_TOKENS_PER_SEC: '15',
  SEMANTIC_CACHE: 'false',
  RATE_CUSTOMER_PER_MIN: '1000000',
  RATE_CUSTOMER_BURST: '1000000',
  RATE_GUEST_PER_MIN: '1',
  RATE_GUEST_BURST: '5',
  // Latency is not under test here: three nodes, dynalite, Redis and HAProxy share 2 cores. At
  // load 16 a guest's 5th message found dynalite slower than the 250 ms memory deadline
  // ('unavailable' where the limits test expected an answer), and a Redis decision slower than
  // 50 ms is made locally by design (tested in test/admission/redis-backend-e2e.test.ts).
  MEMORY_TIMEOUT_MS: '3000',
  MESSAGE_BUDGET_MS: '10000',
  RATE_LIMIT_REDIS_TIMEOUT_MS: '5000',
  GUEST_SESSIONS_PER_ADDRESS_PER_MIN: '1000000',
  GUEST_SESSIONS_PER_ADDRESS_BURST: '1000000',
  // A busy 2-core machine running three nodes is not what the brownout is for.
  BROWNOUT_LAG_MS: '0',
  // A killed node leaves the bus after 3 missed heartbeats: operator replies stop waiting for it sooner.
  BUS_HEARTBEAT_MS: '250',
  DRAIN_TIMEOUT_MS: '20000',
};
const QUESTION = 'Do you have One Piece?';
const FOLLOW_UP = 'how much is volume 2 of it?';

let fleet: Fleet;
let customers = 0;

/** A signed-in customer's token, signed with the fleet's shared secret. */
function customerToken(): Promise<string> {
  return signCustomerToken(new TextEncoder().encode(fleet.secrets.AUTH_JWT_SECRET), { sub: `fleet-customer-${++customers}`, tier: 'member' });
}

/** The node the load balancer sent this chat to. */
function servedBy(chat: ChatClient): string {
  return String(chat.upgradeHeaders['x-served-by']);
}

function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

/** Every frame of the reply to `id`, once its end (or error) has arrived. */
async function reply(chat: ChatClient, id: string): Promise<Frame[]> {
  await chat.next((f) => f.replyTo === id && (f.type === 'end' || f.type === 'error'), 0, 30_000);
  return chat.frames.filter((f) => f.replyTo === id);
}

interface Turn {
  id: string;
  text: string;
  answer: string;
}

/** Asks and checks the answer was acknowledged (`end`). */
async function acknowledged(chat: ChatClient, text: string, id: string): Promise<Turn> {
  const frames = await chat.ask(text, id);
  assert.equal(frames.at(-1)?.type, 'end', `${id}: ${JSON.stringify(frames.at(-1))}`);
  return { id, text, answer: replyText(frames) };
}

/** Zero acknowledged turns lost: each id sent again is replayed from the store with the same answer. */
async function assertStored(chat: ChatClient, turns: Turn[]): Promise<void> {
  for (const turn of turns) {
    const frames = await chat.ask(turn.text, turn.id);
    const end = frames.at(-1);
    assert.equal(end?.type, 'end', `${turn.id}: ${JSON.stringify(end)}`);
    assert.equal(end?.replayed, true, `${turn.id} was answered anew: the turn had not been stored`);
    assert.equal(replyText(frames), turn.answer, `${turn.id} replayed another answer`);
  }
}

async function ops(method: string, path: string, via: string, body?: unknown): Promise<{ status: number; servedBy: string | null; json: any }> {
  const res = await fetch(`${fleet.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${fleet.secrets.OPS_TOKEN}`, cookie: stickTo(via), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, servedBy: res.headers.get('x-served-by'), json: await res.json() };
}

describe('a fleet of three nodes behind HAProxy', () => {
  before(async () => {
    fleet = await startFleet({ nodes: 3, env: ENV });
  });
  after(async () => {
    await fleet?.stop();
    if (fleet) rmSync(fleet.dir, { recursive: true, force: true });
  });

  test('sticky sessions: a chat lands on the node its cookie names, and the load balancer says which', async () => {
    for (const node of ['node1', 'node2', 'node3']) {
      const chat = await connectChat(fleet.wsUrl, {}, { headers: { cookie: stickTo(node) } });
      assert.equal(servedBy(chat), node);
      await chat.close();
    }
    // Without a cookie the load balancer picks one and names it in the cookie it sets.
    const chat = await connectChat(fleet.wsUrl);
    assert.match(String(chat.upgradeHeaders['set-cookie']), new RegExp(`MANGA_NODE=${servedBy(chat)}`));
    await chat.close();
  });

  test('an operator reply through one node reaches the customer connected to another, live', async () => {
    const token = await customerToken();
    const customer = await connectChat(fleet.wsUrl, { token }, { headers: { cookie: stickTo('node1') } });
    try {
      assert.equal(servedBy(customer), 'node1');
      const frames = await customer.ask('I want to talk to a human', 'handoff-1');
      const ticketId = (frames.at(-1)?.handoff as { ticketId?: string } | undefined)?.ticketId;
      assert.ok(ticketId, `a ticket was opened: ${JSON.stringify(frames.at(-1))}`);
      const from = customer.frames.length;
      const replied = await ops('POST', `/v1/ops/tickets/${ticketId}/reply`, 'node2', { text: 'Hello, Sato from support here.', operator: 'Sato' });
      assert.equal(replied.status, 200, JSON.stringify(replied.json));
      assert.equal(replied.servedBy, 'node2');
      assert.equal(replied.json.delivered, true);
      const live = await customer.next((f) => f.type === 'agent_message', from, 10_000);
      assert.equal(live.text, 'Hello, Sato from support here.');
    } finally {
      await customer.close();
    }
  });

  test('limits are shared: a guest\'s burst of 5 is one budget on every node', async () => {
    const first = await connectChat(fleet.wsUrl, {}, { headers: { cookie: stickTo('node1') } });
    const outcomes: string[] = [];
    for (let i = 1; i <= 3; i++) outcomes.push(String((await first.ask('hello', `g${i}`)).at(-1)?.code ?? 'end'));
    await first.close();
    const second = await connectChat(fleet.wsUrl, { session: first.sessionId, resume: first.resumeToken }, { headers: { cookie: stickTo('node2') } });
    assert.equal(second.sessionId, first.sessionId);
    for (let i = 4; i <= 6; i++) outcomes.push(String((await second.ask('hello', `g${i}`)).at(-1)?.code ?? 'end'));
    await second.close();
    const third = await connectChat(fleet.wsUrl, { session: first.sessionId, resume: first.resumeToken }, { headers: { cookie: stickTo('node3') } });
    outcomes.push(String((await third.ask('hello', 'g7')).at(-1)?.code ?? 'end'));
    await third.close();
    assert.deepEqual([servedBy(first), servedBy(second), servedBy(third)], ['node1', 'node2', 'node3']);
    assert.deepEqual(outcomes, ['end', 'end', 'end', 'end', 'end', 'rate_limited', 'rate_limited']);
  });

  test('the same message id sent to two nodes at once is answered once', async () => {
    const token = await customerToken();
    const a = await connectChat(fleet.wsUrl, { token }, { headers: { cookie: stickTo('node1') } });
    // A conversation is recorded with its first message: before it, the session is nobody's.
    assert.equal((await a.ask('hello', 'dup-0')).at(-1)?.type, 'end');
    const b = await connectChat(fleet.wsUrl, { token, session: a.sessionId }, { headers: { cookie: stickTo('node2') } });
    try {
      assert.deepEqual([servedBy(a), servedBy(b)], ['node1', 'node2']);
      assert.equal(b.sessionId, a.sessionId);
      const [fa, fb] = await Promise.all([a.ask(QUESTION, 'dup-1'), b.ask(QUESTION, 'dup-1')]);
      assert.deepEqual([fa.at(-1)?.type, fb.at(-1)?.type], ['end', 'end'], JSON.stringify([fa.at(-1), fb.at(-1)]));
      assert.equal([fa, fb].filter((f) => f.at(-1)?.replayed === true).length, 1, 'one node answered, the other replayed its answer');
      assert.equal(replyText(fa), replyText(fb));
      const client = createDynamoClient({ region: 'local', endpoint: fleet.dynamoEndpoint });
      try {
        const { Item } = await client.doc.send(new GetCommand({ TableName: dynamoTableNames('manga-assist-').memory, Key: { sessionId: a.sessionId }, ConsistentRead: true }));
        const asked = (Item?.messages as { role: string; text: string }[]).filter((m) => m.role === 'user' && m.text === QUESTION);
        assert.equal(asked.length, 1, `stored once: ${JSON.stringify(asked)}`);
      } finally {
        client.destroy();
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('a shared link read by many through the load balancer: a handful of store reads for the fleet, revoked on every node at once', async () => {
    const metric = async (node: string, label: string) => {
      const res = await fetch(`${fleet.node(node).url}/metrics`, { headers: { authorization: `Bearer ${fleet.secrets.METRICS_TOKEN}` } });
      return (await res.text()).split('\n').filter((l) => l.startsWith('mangaassist_cache_origin_loads_total{') && l.includes(label)).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    };
    const storeReads = async () => (await Promise.all(fleet.nodes.map((n) => metric(n.name, 'cache="shared"')))).reduce((a, b) => a + b, 0);
    const token = await customerToken();
    const owner = { 'content-type': 'application/json', authorization: `Bearer ${token}`, cookie: stickTo('node1') };
    const chat = await fetch(`${fleet.url}/v1/chat`, { method: 'POST', headers: owner, body: JSON.stringify({ text: QUESTION }) });
    assert.equal(chat.status, 200);
    const { sessionId } = (await chat.json()) as { sessionId: string };
    const made = await fetch(`${fleet.url}/v1/shares`, { method: 'POST', headers: owner, body: JSON.stringify({ sessionId }) });
    assert.equal(made.status, 201);
    const { shareId, url } = (await made.json()) as { shareId: string; url: string };
    assert.equal(url, `${fleet.url}/s/${shareId}`, 'the link is the load balancer\'s address');
    const opens = (n: number) => Promise.all(Array.from({ length: n }, async () => {
      const res = await fetch(`${fleet.url}/v1/shared/${shareId}`);
      await res.arrayBuffer();
      return { status: res.status, node: res.headers.get('x-served-by') };
    }));
    const before = await storeReads();
    const read = await opens(900);
    assert.deepEqual([...new Set(read.map((r) => r.status))], [200]);
    const nodes = new Set(read.map((r) => r.node));
    assert.ok(nodes.size >= 2, `spread over the nodes: ${[...nodes].join(', ')}`);
    const reads = (await storeReads()) - before;
    assert.ok(reads >= 1 && reads <= nodes.size, `${reads} store reads for 900 opens on ${nodes.size} nodes`);
    const del = await fetch(`${fleet.url}/v1/shares/${shareId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, cookie: stickTo('node2') } });
    assert.equal(del.status, 200);
    const gone = await opens(90);
    assert.deepEqual([...new Set(gone.map((r) => r.status))], [404]);
  });

  test('SIGKILL of the node holding a conversation mid-reply: the client reconnects through the load balancer to another node, resumes, loses no acknowledged turn, and the cut message is answered there', async (t) => {
    const token = await customerToken();
    const chat = await connectChat(fleet.wsUrl, { token }, { headers: { cookie: stickTo('node1') } });
    const victim = servedBy(chat);
    assert.equal(victim, 'node1');
    const turns = [await acknowledged(chat, QUESTION, 'kill-1'), await acknowledged(chat, FOLLOW_UP, 'kill-2')];

    const closed = closeCode(chat.socket);
    chat.send({ type: 'user_message', id: 'kill-3', text: 'is volume 3 of it in stock?' });
    await chat.next((f) => f.replyTo === 'kill-3' && f.type === 'token', 0, 30_000);
    await fleet.kill(victim);
    assert.equal(await closed, 1006, 'the connection died with its node');
    assert.equal(chat.frames.some((f) => f.replyTo === 'kill-3' && f.type === 'end'), false);

    // The browser still holds the dead node's cookie: the load balancer sends it elsewhere.
    const t0 = performance.now();
    const back = await connectChat(fleet.wsUrl, { token, session: chat.sessionId }, { headers: { cookie: stickTo(victim) } });
    const reconnectMs = performance.now() - t0;
    try {
      assert.notEqual(servedBy(back), victim);
      assert.equal(back.sessionId, chat.sessionId, 'the conversation resumed');
      assert.ok(reconnectMs < 5000, `reconnected in ${Math.round(reconnectMs)} ms`);
      t.diagnostic(`reconnected through the load balancer to ${servedBy(back)} in ${Math.round(reconnectMs)} ms after the kill`);
      // The message cut off by the kill, sent again with its id, is answered on the new node.
      const cut = await acknowledged(back, 'is volume 3 of it in stock?', 'kill-3');
      assert.match(cut.answer, /\S/);
      await assertStored(back, turns);
      // The next message is answered on the other node, in the same conversation.
      const next = await back.ask('and volume 4 of it?', 'kill-4');
      assert.equal(next.at(-1)?.type, 'end', JSON.stringify(next.at(-1)));
      const cards = next.find((f) => f.type === 'products')?.items as { seriesId: string }[] | undefined;
      assert.equal(cards?.[0]?.seriesId, 'one-piece', `the follow-up knew the conversation: ${replyText(next)}`);
    } finally {
      await back.close();
    }
    await fleet.waitForState(victim, 'DOWN');
  });

  test('SIGTERM of the node holding a conversation mid-reply: readiness fails, the reply finishes, 1012, and the client resumes on another node', async (t) => {
    const live = fleet.nodes.filter((n) => n.process?.running()).map((n) => n.name);
    assert.ok(live.length >= 2, `two nodes still up: ${live}`);
    const target = live[0];
    const token = await customerToken();
    const chat = await connectChat(fleet.wsUrl, { token }, { headers: { cookie: stickTo(target) } });
    assert.equal(servedBy(chat), target);
    const turns = [await acknowledged(chat, QUESTION, 'drain-1')];

    const closed = closeCode(chat.socket);
    chat.send({ type: 'user_message', id: 'drain-2', text: FOLLOW_UP });
    await chat.next((f) => f.replyTo === 'drain-2' && f.type === 'token', 0, 30_000);
    const signalled = performance.now();
    const exited = fleet.drain(target).then((exit) => ({ exit, tookMs: performance.now() - signalled }));
    const node = fleet.node(target);
    await waitUntil('readyz 503', async () => (await fetch(`${node.url}/readyz`)).status === 503, { timeoutMs: 5000 });
    // A new chat asking for the draining node goes elsewhere: refused there with 503 and retried by
    // the load balancer on another node, or not sent there at all once its health check failed.
    const probe = await connectChat(fleet.wsUrl, {}, { headers: { cookie: stickTo(target) } });
    assert.notEqual(servedBy(probe), target);
    await probe.close();
    // The load balancer's health check takes it out within ~2 checks.
    await fleet.waitForState(target, 'DOWN', 5000);

    const frames = await reply(chat, 'drain-2');
    assert.equal(frames.at(-1)?.type, 'end', `the reply in flight finished: ${JSON.stringify(frames.at(-1))}`);
    turns.push({ id: 'drain-2', text: FOLLOW_UP, answer: replyText(frames) });
    assert.equal(await closed, 1012, 'then the node asked the client to reconnect');

    const back = await connectChat(fleet.wsUrl, { token, session: chat.sessionId }, { headers: { cookie: stickTo(target) } });
    try {
      assert.notEqual(servedBy(back), target);
      assert.equal(back.sessionId, chat.sessionId);
      await assertStored(back, turns);
      const next = await back.ask('and volume 5 of it?', 'drain-3');
      assert.equal(next.at(-1)?.type, 'end', JSON.stringify(next.at(-1)));
      const cards = next.find((f) => f.type === 'products')?.items as { seriesId: string }[] | undefined;
      assert.equal(cards?.[0]?.seriesId, 'one-piece', `the follow-up knew the conversation: ${replyText(next)}`);
    } finally {
      await back.close();
    }
    const { exit, tookMs } = await exited;
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(tookMs < Number(ENV.DRAIN_TIMEOUT_MS), `drained in ${Math.round(tookMs)} ms`);
    t.diagnostic(`${target} drained and exited ${Math.round(tookMs)} ms after SIGTERM`);
  });
});
