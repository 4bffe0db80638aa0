// Operations end to end on the real service: a customer asks for a human (ticket, webhook alert,
// the answer says staff will reply here), an operator answers from the ops API into the
// customer's open chat and into a chat that reconnects later; the exported metrics count it;
// an injected outage opens a breaker, the in-service alarm fires to the webhook and resolves
// after recovery.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { scrapeMetrics, startTestServer, type TestServer, opsRequest } from '../helpers/server.ts';
import { connectChat } from '../helpers/ws-client.ts';
import { ticketNumber } from '../../src/escalation/ticket-number.ts';

const OPS_TOKEN = 'ops-credential-for-tests-0123456789';
const ADMIN_TOKEN = 'admin-credential-for-tests-0123456789';

/** A chat-ops channel: records the JSON bodies posted to it. */
async function startWebhook(): Promise<{ url: string; bodies: Record<string, any>[]; close(): Promise<void> }> {
  const bodies: Record<string, any>[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A request to `server`'s ops API with this file's credential. */
const ops = (server: TestServer, method: string, path: string, body?: unknown) => opsRequest(server, OPS_TOKEN, method, path, body);

async function metric(server: TestServer, line: RegExp): Promise<number | undefined> {
  const text = await scrapeMetrics(server.url);
  const m = text.split('\n').find((l) => line.test(l));
  return m ? Number(m.split(' ').pop()) : undefined;
}

describe('human handoff', () => {
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  let server: TestServer;

  before(async () => {
    webhook = await startWebhook();
    server = await startTestServer({ OPS_TOKEN, ESCALATION_WEBHOOK_URL: webhook.url, PUBLIC_URL: 'https://assist.example' });
  });
  after(async () => {
    await server.close();
    await webhook.close();
  });

  test('asking for a human opens a ticket, alerts the operators and says staff will reply here', async () => {
    const token = await server.app.signToken({ sub: 'c-1001', tier: 'member', name: 'Hanako' });
    const customer = await connectChat(server.wsUrl, { token });
    const frames = await customer.ask('I want to talk to a human', 'm-1');
    const start = frames.find((f) => f.type === 'start')!;
    assert.equal(start.intent, 'escalation');
    const end = frames.find((f) => f.type === 'end')!;
    const ticketId = (end.handoff as { ticketId: string } | undefined)?.ticketId;
    assert.ok(ticketId, `end frame names the ticket: ${JSON.stringify(end)}`);
    const text = frames.filter((f) => f.type === 'token').map((f) => f.text).join('');
    assert.ok(text.includes(ticketNumber(ticketId)), `the answer gives the ticket number: ${text}`);
    assert.ok(!text.includes(ticketId), 'not the raw id');

    const alert = await until('the escalation webhook', () => webhook.bodies.find((b) => b.mangaassist?.kind === 'escalation'));
    assert.match(alert.text, /human/i);
    assert.match(alert.text, new RegExp(`https://assist.example/ops#ticket=${ticketId}`));
    assert.equal(await metric(server, /^mangaassist_escalations_total\{event="opened"\}/), 1);

    // A second request in the same conversation joins the ticket: no second alert.
    const again = await customer.ask('can I speak to a real person please', 'm-2');
    assert.equal((again.find((f) => f.type === 'end')!.handoff as { ticketId: string }).ticketId, ticketId);

    // The operator sees it and answers into the open chat.
    const list = await ops(server, 'GET', '/v1/ops/tickets?status=open,answered');
    assert.equal(list.status, 200);
    assert.ok(list.body.tickets.some((t: { id: string }) => t.id === ticketId));
    const detail = await ops(server, 'GET', `/v1/ops/tickets/${ticketId}`);
    assert.equal(detail.body.connected, 1);
    assert.ok(detail.body.conversation.some((m: { text: string }) => m.text === 'I want to talk to a human'));
    const from = customer.frames.length;
    const replied = await ops(server, 'POST', `/v1/ops/tickets/${ticketId}/reply`, { text: 'Hello Hanako, this is Sato from support.', operator: 'Sato' });
    assert.equal(replied.status, 200);
    assert.equal(replied.body.delivered, true);
    const live = await customer.next((f) => f.type === 'agent_message', from);
    assert.equal(live.text, 'Hello Hanako, this is Sato from support.');
    assert.equal(live.operator, 'Sato');
    assert.equal(webhook.bodies.filter((b) => b.mangaassist?.kind === 'escalation').length, 1);

    // Offline: the reply waits and arrives when the customer comes back to the session.
    await customer.close();
    const offline = await ops(server, 'POST', `/v1/ops/tickets/${ticketId}/reply`, { text: 'We refunded the order.', operator: 'Sato' });
    assert.equal(offline.body.delivered, false);
    const back = await connectChat(server.wsUrl, { token, session: customer.sessionId, resume: customer.resumeToken });
    const missed = await back.next((f) => f.type === 'agent_message');
    assert.equal(missed.text, 'We refunded the order.');
    await back.close();
    assert.equal(await metric(server, /^mangaassist_escalations_total\{event="operator_reply"\}/), 2);
  });

  test('the ops API refuses callers without the operator credential', async () => {
    const res = await fetch(`${server.url}/v1/ops/summary`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { code: string }).code, 'unauthorized');
    const wrong = await fetch(`${server.url}/v1/ops/summary`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(wrong.status, 401);
  });
});

describe('metrics, alarms and recovery', () => {
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  let server: TestServer;

  before(async () => {
    webhook = await startWebhook();
    server = await startTestServer({
      OPS_TOKEN,
      ADMIN_TOKEN,
      ALARM_WEBHOOK_URL: webhook.url,
      ALARM_EVAL_INTERVAL_MS: '200',
      ALARM_TIME_SCALE: '0.05',
      BREAKER_OPEN_MS: '1000',
      BREAKER_MIN_RPS: '0.5',
      OPEN_CHATS_CAPACITY: '100',
    });
  });
  after(async () => {
    await server.close();
    await webhook.close();
  });

  test('/metrics counts messages by intent and outcome, segments, errors by code and open chats', async () => {
    const chat = await connectChat(server.wsUrl);
    await chat.ask('Do you ship to Okinawa?', 'a-1');
    await chat.ask('recommend me a dark fantasy manga', 'a-2');
    chat.send({ type: 'user_message', id: 'a-3', text: '' });
    await chat.next((f) => f.type === 'error' && f.replyTo === 'a-3');
    assert.ok(((await metric(server, /^mangaassist_messages_total\{intent="faq",outcome="(answered|degraded)"\}/)) ?? 0) >= 1);
    assert.ok(((await metric(server, /^mangaassist_messages_total\{intent="recommendation",outcome="(answered|degraded)"\}/)) ?? 0) >= 1);
    assert.equal(await metric(server, /^mangaassist_errors_total\{code="bad_request"\}/), 1);
    assert.equal(await metric(server, /^mangaassist_messages_total\{intent="unknown",outcome="refused"\}/), 1);
    assert.ok(((await metric(server, /^mangaassist_segment_seconds_count\{segment="understand"\}/)) ?? 0) >= 2);
    assert.ok(((await metric(server, /^mangaassist_segment_seconds_count\{segment="memory"\}/)) ?? 0) >= 2);
    assert.ok(((await metric(server, /^mangaassist_reply_seconds_count\{intent="faq"\}/)) ?? 0) >= 1);
    assert.equal(await metric(server, /^mangaassist_open_chats /), 1);
    assert.equal(await metric(server, /^mangaassist_connections\{transport="ws"\}/), 1);
    assert.equal(await metric(server, /^mangaassist_open_chats_capacity /), 100);
    await chat.close();
    await until('the chat to be closed', async () => (await metric(server, /^mangaassist_open_chats /)) === 0);
  });

  test('an outage opens a breaker: the alarm fires to the webhook, shows on /ops, and resolves after recovery', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const put = await fetch(`${server.url}/v1/admin/faults/recommendations`, { method: 'PUT', headers: admin, body: JSON.stringify({ down: true }) });
    assert.equal(put.status, 200);
    const chat = await connectChat(server.wsUrl);
    let n = 0;
    const open = await until('the recommendations circuit to open', async () => {
      await chat.ask('recommend me a dark fantasy manga', `r-${n++}`);
      return (await metric(server, /^mangaassist_circuit_state\{dependency="recommendations"\}/)) === 1 || undefined;
    });
    assert.ok(open);
    const fired = await until('the breaker alarm on the webhook', () => webhook.bodies.find((b) => b.mangaassist?.kind === 'alarm' && /CircuitBreakerOpen/.test(b.text) && /firing/i.test(b.text)));
    assert.equal(fired.mangaassist.severity, 'warning');
    assert.match(JSON.stringify(fired.mangaassist.fields), /recommendations/);
    const summary = await ops(server, 'GET', '/v1/ops/summary');
    const row = summary.body.alarms.find((a: { name: string }) => a.name === 'CircuitBreakerOpen');
    assert.equal(row.state, 'firing');
    assert.deepEqual(row.subjects, ['recommendations']);
    assert.equal(summary.body.now.breakers.find((b: { dependency: string }) => b.dependency === 'recommendations').state, 'open');
    assert.equal(await metric(server, /^mangaassist_alarm_state\{alarm="CircuitBreakerOpen"\}/), 2);

    // Recovery: the fault is cleared, the half-open probe succeeds, the circuit closes, the alarm resolves.
    await fetch(`${server.url}/v1/admin/faults/recommendations`, { method: 'DELETE', headers: { authorization: admin.authorization } });
    await until('the circuit to close', async () => {
      await chat.ask('recommend me a dark fantasy manga', `r-${n++}`);
      return (await metric(server, /^mangaassist_circuit_state\{dependency="recommendations"\}/)) === 0 || undefined;
    });
    const resolved = await until('the resolved message', () => webhook.bodies.find((b) => b.mangaassist?.kind === 'alarm' && /CircuitBreakerOpen/.test(b.text) && b.mangaassist.severity === 'resolved'));
    assert.ok(resolved);
    assert.equal(await until('alarm_state 0', async () => ((await metric(server, /^mangaassist_alarm_state\{alarm="CircuitBreakerOpen"\}/)) === 0 ? true : undefined)), true);
    await chat.close();
  });
});
