import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { ChatError, isChatError } from '../../src/errors.ts';
import { registerOpsApi } from '../../src/http/ops-api.ts';
import { bearerGuard } from '../../src/http/bearer.ts';
import { createEscalations } from '../../src/escalation/escalations.ts';
import { createInProcessTicketStore } from '../../src/escalation/in-process-ticket-store.ts';
import { createSessionHub } from '../../src/escalation/session-hub.ts';
import type { AgentMessageFrame, Escalations, Ticket, TicketStore } from '../../src/escalation/types.ts';
import type { AlarmStatus, OpsSummary } from '../../src/observability/summary-types.ts';

// The operations API on a real Fastify instance (app.inject), with the same error contract as
// the service's server: ChatError → {code, message}, Fastify's own 400s → bad_request.

const TOKEN = 'ops-test-token-0123456789abcdef';
const T0 = 1_800_000_000_000;

const alarm: AlarmStatus = { name: 'FirstTokenP99High', severity: 'SEV-2', action: 'Check the model pools.', summary: 'p99 first token > 3 s for 5 min', state: 'ok', value: 812, threshold: 3000, since: T0 };

function summaryFor(windowMs: number): OpsSummary {
  return {
    at: T0,
    stepMs: 10_000,
    windowMs,
    series: {
      times: [], messagesPerSec: [], errorRatio: [], firstTokenMs: { p50: [], p95: [], p99: [] }, replyMs: { p50: [], p95: [], p99: [] },
      segmentP95Ms: {}, tokensPerSec: { input: [], output: [] }, escalationRatio: [], openChats: [],
    },
    now: {
      messagesPerSec: null, errorRatio: null, escalationRatio: null, firstTokenMs: { p50: null, p95: null, p99: null }, intents: {}, outcomes: {},
      errorsByCode: {}, segments: [], tokens: [], breakers: [], caches: [], pools: [], openChats: 0, openChatsCapacity: 100, guardrail: { checks: 0, blocked: 0, revised: 0 },
    },
    alarms: [alarm],
  };
}

let app: FastifyInstance;
let escalations: Escalations;
let store: TicketStore;
const summaryWindows: number[] = [];

before(async () => {
  store = createInProcessTicketStore();
  let t = T0;
  escalations = createEscalations({ store, hub: createSessionHub(), now: () => ++t });
  app = Fastify();
  app.setErrorHandler((error: unknown, _req, reply) => {
    const e = isChatError(error) ? error : (error as { statusCode?: number }).statusCode === 400 ? new ChatError('bad_request') : new ChatError('internal');
    reply.status(e.status).send({ code: e.code, message: e.message });
  });
  registerOpsApi(app, {
    token: TOKEN,
    summary: async (windowMs) => {
      summaryWindows.push(windowMs);
      return summaryFor(windowMs);
    },
    escalations,
    conversation: async (sessionId) => [
      { role: 'user', text: `hello from ${sessionId}`, at: T0 - 2 },
      { role: 'assistant', text: 'I can connect you with our staff.', at: T0 - 1 },
    ],
  });
  await app.ready();
});
after(async () => {
  await app.close();
  store.close();
});

async function call(method: 'GET' | 'POST', url: string, opts: { token?: string | null; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await app.inject({ method, url, headers, payload });
  return { status: res.statusCode, body: res.json() as Record<string, unknown>, headers: res.headers };
}

async function newTicket(sessionId: string, text = 'I want to talk to a person'): Promise<Ticket> {
  return (await escalations.open({ sessionId, customer: { kind: 'prime', customerId: 'c-7' }, language: 'en', text })).ticket;
}

describe('ops API: credential', () => {
  const routes: ['GET' | 'POST', string][] = [
    ['GET', '/v1/ops/summary'],
    ['GET', '/v1/ops/alarms'],
    ['GET', '/v1/ops/tickets'],
    ['GET', '/v1/ops/tickets/any'],
    ['POST', '/v1/ops/tickets/any/reply'],
    ['POST', '/v1/ops/tickets/any/close'],
  ];
  for (const [method, url] of routes) {
    for (const [what, token] of [['no Authorization', null], ['a wrong bearer', 'not-the-ops-token-at-all'], ['a bearer prefix of the token', TOKEN.slice(0, 10)]] as const) {
      it(`${method} ${url} with ${what} → 401 unauthorized`, async () => {
        const r = await call(method, url, { token, body: method === 'POST' ? { text: 'hi', operator: 'Sato' } : undefined });
        assert.equal(r.status, 401);
        assert.equal(r.body.code, 'unauthorized');
        assert.match(String(r.body.message), /Operator credential/);
      });
    }
  }

  it('a Basic header carrying the token is refused too', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/ops/alarms', headers: { authorization: `Basic ${TOKEN}` } });
    assert.equal(res.statusCode, 401);
  });

  it('bearerGuard refuses to be built with an empty credential', () => {
    assert.throws(() => bearerGuard('', 'Operator'), RangeError);
  });
});

describe('ops API: summary and alarms', () => {
  it('GET /v1/ops/summary defaults to a 60 s window and honours windowMs', async () => {
    const r = await call('GET', '/v1/ops/summary');
    assert.equal(r.status, 200);
    assert.equal(r.body.windowMs, 60_000);
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal((await call('GET', '/v1/ops/summary?windowMs=10000')).body.windowMs, 10_000);
    assert.equal((await call('GET', '/v1/ops/summary?windowMs=3600000')).body.windowMs, 3_600_000);
  });

  for (const bad of ['9999', '3600001', 'abc', '1.5e4.2', '15000.5', '']) {
    it(`GET /v1/ops/summary?windowMs=${bad} → 400 bad_request`, async () => {
      const before = summaryWindows.length;
      const r = await call('GET', `/v1/ops/summary?windowMs=${bad}`);
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 'bad_request');
      assert.match(String(r.body.message), /windowMs/);
      assert.equal(summaryWindows.length, before, 'the summary was not computed');
    });
  }

  it('GET /v1/ops/alarms → the alarm table', async () => {
    const r = await call('GET', '/v1/ops/alarms');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { alarms: [alarm] });
  });
});

describe('ops API: tickets', () => {
  it('lists newest first, filters by status, honours the limit; refuses a bad status or limit', async () => {
    const a = await newTicket('list-a');
    const b = await newTicket('list-b');
    const c = await newTicket('list-c');
    await escalations.reply(b.id, { text: 'hi', operator: 'Sato' });
    await escalations.close(c.id);
    const ids = async (query: string) => {
      const r = await call('GET', `/v1/ops/tickets${query}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (r.body.tickets as Ticket[]).filter((t) => t.sessionId.startsWith('list-')).map((t) => t.id);
    };
    assert.deepEqual(await ids(''), [c.id, b.id, a.id]);
    assert.deepEqual(await ids('?status=open,answered'), [b.id, a.id]);
    assert.deepEqual(await ids('?status=open&status=closed'), [c.id, a.id]);
    assert.deepEqual(await ids('?status=closed'), [c.id]);
    assert.equal((await ids('?limit=1')).length, 1);
    for (const bad of ['?status=pending', '?status=open,nope', '?limit=0', '?limit=201', '?limit=x']) {
      const r = await call('GET', `/v1/ops/tickets${bad}`);
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.code, 'bad_request', bad);
    }
  });

  it('GET /v1/ops/tickets/:id → the ticket, the conversation and whether the customer is connected', async () => {
    const ticket = await newTicket('detail');
    const r = await call('GET', `/v1/ops/tickets/${ticket.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.ticket, ticket);
    assert.deepEqual(r.body.conversation, [
      { role: 'user', text: 'hello from detail', at: T0 - 2 },
      { role: 'assistant', text: 'I can connect you with our staff.', at: T0 - 1 },
    ]);
    assert.equal(r.body.connected, 0);
    const detach = escalations.hub.attach('detail', () => true);
    assert.equal((await call('GET', `/v1/ops/tickets/${ticket.id}`)).body.connected, 1);
    detach();
    const missing = await call('GET', '/v1/ops/tickets/no-such-ticket');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'not_found');
  });

  it('POST reply stores the line, delivers it to the open chat, answers {ticket, delivered}', async () => {
    const ticket = await newTicket('reply');
    const frames: AgentMessageFrame[] = [];
    const detach = escalations.hub.attach('reply', (f) => (frames.push(f), true));
    const r = await call('POST', `/v1/ops/tickets/${ticket.id}/reply`, { body: { text: 'Hello <b>there</b>', operator: 'Sato' } });
    detach();
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.delivered, true);
    const got = r.body.ticket as Ticket;
    assert.equal(got.status, 'answered');
    assert.deepEqual(got.messages.at(-1), { id: frames[0].messageId, from: 'operator', text: 'Hello <b>there</b>', operator: 'Sato', at: frames[0].at, delivered: true });
    assert.equal(frames.length, 1);

    const offline = await call('POST', `/v1/ops/tickets/${ticket.id}/reply`, { body: { text: 'Are you still there?', operator: 'Sato' } });
    assert.equal(offline.status, 200);
    assert.equal(offline.body.delivered, false);
  });

  it('POST reply refuses malformed bodies with 400, an unknown ticket with 404, a closed one with 409', async () => {
    const ticket = await newTicket('reply-bad');
    const url = `/v1/ops/tickets/${ticket.id}/reply`;
    for (const body of [
      {},
      { text: 'hi' },
      { operator: 'Sato' },
      { text: 42, operator: 'Sato' },
      { text: '   ', operator: 'Sato' },
      { text: 'x'.repeat(2001), operator: 'Sato' },
      { text: 'hi', operator: '' },
      { text: 'hi', operator: 'x'.repeat(61) },
    ]) {
      const r = await call('POST', url, { body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.code, 'bad_request');
    }
    const notJson = await call('POST', url, { raw: '{"text": ' });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.code, 'bad_request');
    assert.equal((await escalations.get(ticket.id))!.messages.length, 1, 'nothing was stored');

    const missing = await call('POST', '/v1/ops/tickets/no-such-ticket/reply', { body: { text: 'hi', operator: 'Sato' } });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'not_found');

    const closed = await call('POST', `/v1/ops/tickets/${ticket.id}/close`);
    assert.equal(closed.status, 200);
    assert.equal((closed.body.ticket as Ticket).status, 'closed');
    const late = await call('POST', url, { body: { text: 'hi', operator: 'Sato' } });
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'conflict');
  });

  it('POST close → {ticket}; an unknown ticket → 404', async () => {
    const ticket = await newTicket('close');
    const r = await call('POST', `/v1/ops/tickets/${ticket.id}/close`);
    assert.equal(r.status, 200);
    assert.equal((r.body.ticket as Ticket).status, 'closed');
    assert.equal((await escalations.get(ticket.id))!.status, 'closed');
    const missing = await call('POST', '/v1/ops/tickets/no-such-ticket/close');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'not_found');
  });
});
