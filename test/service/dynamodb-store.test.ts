// The real service with STORE_BACKEND=dynamodb against dynalite: a conversation, its owner and its
// handoff ticket live in the tables, so a service started afresh (another DATA_DIR, nothing on
// disk) continues them; readiness checks the tables; throttles are retried and counted on /metrics.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, scrapeMetrics, type TestServer, opsRequest } from '../helpers/server.ts';
import { connectChat, replyText, type Frame } from '../helpers/ws-client.ts';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.ts';
import { startThrottleProxy, type ThrottleProxy } from '../helpers/dynamo-throttle-proxy.ts';

const OPS_TOKEN = 'ops-credential-for-dynamodb-tests-0123';
const cardsOf = (frames: Frame[]) => (frames.find((f) => f.type === 'products')?.items as { seriesId: string; volume: number | null }[] | undefined) ?? [];
let prefixes = 0;

/** A request to `server`'s ops API with this file's credential. */
const ops = (server: TestServer, method: string, path: string, body?: unknown) => opsRequest(server, OPS_TOKEN, method, path, body);

describe('STORE_BACKEND=dynamodb, end to end', () => {
  let dynamo: TestDynamo;
  let proxy: ThrottleProxy;
  before(async () => {
    dynamo = await startDynalite();
    proxy = await startThrottleProxy(dynamo.endpoint);
  });
  after(async () => {
    await proxy.close();
    await dynamo.stop();
  });
  const env = (over: Record<string, string> = {}) => ({
    STORE_BACKEND: 'dynamodb',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    DYNAMODB_CREATE_TABLES: 'true',
    OPS_TOKEN,
    ...over,
  });

  test('a conversation, its owner and its ticket survive a restart onto an empty DATA_DIR', async () => {
    const prefix = `e2e-${process.pid}-${++prefixes}-`;
    const first = await startTestServer(env({ DYNAMODB_TABLE_PREFIX: prefix }));
    let session: { sessionId: string; resumeToken: string; answer: string; shown: { seriesId: string }[]; ticketId: string };
    try {
      const ready = await fetch(`${first.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.equal((await ready.json()).checks.store, 'dynamodb');

      const chat = await connectChat(first.wsUrl);
      const frames = await chat.ask('Do you have Frieren?', 'd-1');
      const shown = cardsOf(frames);
      assert.ok(shown.length > 0, replyText(frames));
      const human = await chat.ask('I want to talk to a human please', 'd-2');
      const ticketId = (human.find((f) => f.type === 'end')!.handoff as { ticketId: string }).ticketId;
      session = { sessionId: chat.sessionId, resumeToken: chat.resumeToken, answer: replyText(frames), shown, ticketId };
      await chat.close();
      // The customer is gone: the reply waits in the ticket store for their return.
      const reply = await ops(first, 'POST', `/v1/ops/tickets/${ticketId}/reply`, { text: 'こんにちは、サポートの佐藤です。', operator: 'Sato' });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.delivered, false);
    } finally {
      await first.close();
    }

    const second = await startTestServer(env({ DYNAMODB_TABLE_PREFIX: prefix }));
    try {
      const back = await connectChat(second.wsUrl, { session: session.sessionId, resume: session.resumeToken });
      assert.equal(back.sessionId, session.sessionId, 'the owner is known to the new process');
      assert.equal(back.frames[0].resumed, true);
      const missed = await back.next((f) => f.type === 'agent_message');
      assert.equal(missed.text, 'こんにちは、サポートの佐藤です。', "the operator's reply is delivered on return");
      const again = await back.ask('Do you have Frieren?', 'd-1');
      assert.equal(again.at(-1)?.replayed, true, 'the stored turn is replayed, not answered twice');
      assert.equal(replyText(again), session.answer);
      assert.deepEqual(cardsOf(again), session.shown);
      const vol2 = cardsOf(await back.ask('how much is vol 2 of it?', 'd-3'));
      assert.deepEqual([vol2[0]?.seriesId, vol2[0]?.volume], [session.shown[0].seriesId, 2], 'context from before the restart');
      await back.close();
      // Its status and thread move in the background as the customer talks on (back to open,
      // their lines added), so only what the restart must keep is asserted.
      const listed = await ops(second, 'GET', '/v1/ops/tickets');
      assert.deepEqual(listed.body.tickets.map((t: { id: string }) => t.id), [session.ticketId]);
      const ticket = await ops(second, 'GET', `/v1/ops/tickets/${session.ticketId}`);
      assert.deepEqual(ticket.body.ticket.messages.slice(0, 2).map((m: { from: string; delivered?: boolean }) => [m.from, m.delivered ?? null]), [['customer', null], ['operator', true]], 'the request, then the reply, delivered on return');
      assert.ok(ticket.body.conversation.length >= 4, 'the conversation beside the ticket comes from the table');
    } finally {
      await second.close();
    }
  });

  test('readiness checks the configured tables: missing ones make the service not ready', async () => {
    const server = await startTestServer(env({ DYNAMODB_TABLE_PREFIX: `absent-${process.pid}-`, DYNAMODB_CREATE_TABLES: 'false' }));
    try {
      const res = await fetch(`${server.url}/readyz`);
      assert.equal(res.status, 503);
      const body = await res.json();
      assert.equal(body.checks.memory, false);
      assert.equal(body.checks.store, 'dynamodb');
    } finally {
      await server.close();
    }
  });

  test('throttled store calls are retried, the message answered, and every throttled attempt counted on /metrics', async () => {
    const prefix = `throttled-${process.pid}-${++prefixes}-`;
    // The memory deadline (250 ms) is not under test here: on a busy machine one throttled read
    // (100-150 ms) plus three round trips could pass it.
    const server = await startTestServer(env({ DYNAMODB_TABLE_PREFIX: prefix, DYNAMODB_ENDPOINT: proxy.endpoint, MEMORY_TIMEOUT_MS: '2000' }));
    try {
      // One throttled read and two throttled writes of the conversation.
      proxy.throttle({ operation: 'GetItem', table: `${prefix}conversations`, count: 1 });
      proxy.throttle({ operation: 'PutItem', table: `${prefix}conversations`, count: 2 });
      const chat = await connectChat(server.wsUrl);
      const frames = await chat.ask('Do you have Frieren?');
      assert.equal(frames.at(-1)?.type, 'end', JSON.stringify(frames.at(-1)));
      await chat.close();
      const metrics = await scrapeMetrics(server.url);
      assert.match(metrics, /mangaassist_store_throttles_total\{store="memory"\} 3\b/);
      assert.match(metrics, /mangaassist_store_throttles_total\{store="sessions"\} 0\b/, 'every store has its series from the start');
    } finally {
      await server.close();
    }
  });
});
