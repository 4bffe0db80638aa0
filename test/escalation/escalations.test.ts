import { describe, it, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEscalations } from '../../src/escalation/escalations.ts';
import { createInProcessTicketStore } from '../../src/escalation/in-process-ticket-store.ts';
import { createSessionHub } from '../../src/escalation/session-hub.ts';
import type { AgentMessageFrame, Escalations, TicketStore } from '../../src/escalation/types.ts';
import { createWebhookNotifier, type Notifier } from '../../src/observability/webhook.ts';

// The handoff service over the in-process store and hub, alerting a real webhook receiver.

const T0 = 1_800_000_000_000;
const OPS_URL = 'https://shop.example/ops';

/** A chat-ops receiver on 127.0.0.1 that records every JSON body posted to it. */
let receiver: Server;
let webhookUrl: string;
let posts: Record<string, unknown>[] = [];

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
after(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

interface Rig {
  escalations: Escalations;
  store: TicketStore;
  notifier: Notifier;
  events: string[];
  advance: (ms: number) => void;
}

let rig: Rig;
beforeEach(() => {
  posts = [];
  let t = T0;
  let n = 0;
  const store = createInProcessTicketStore();
  const notifier = createWebhookNotifier({ url: webhookUrl, timeoutMs: 5000, attempts: 1 });
  const events: string[] = [];
  const escalations = createEscalations({
    store,
    hub: createSessionHub(),
    notify: (m) => notifier.notify(m),
    opsUrl: OPS_URL,
    now: () => t,
    ids: () => `id${++n}`,
    onEvent: (e) => events.push(e),
  });
  rig = { escalations, store, notifier, events, advance: (ms) => { t += ms; } };
});
afterEach(async () => {
  await rig.notifier.close();
  rig.store.close();
});

const member = { kind: 'member' as const, customerId: 'c-42' };

/** A chat tab: records the frames it gets; `open` false plays a socket that has closed. */
function tab(): { send: (f: AgentMessageFrame) => boolean; frames: AgentMessageFrame[]; open: boolean } {
  const t = {
    frames: [] as AgentMessageFrame[],
    open: true,
    send: (f: AgentMessageFrame) => {
      if (!t.open) return false;
      t.frames.push(f);
      return true;
    },
  };
  return t;
}

describe('escalations', () => {
  it('opens a ticket and alerts the webhook exactly once, a second request joins it silently', async () => {
    const long = `人と話したい${'あ'.repeat(300)}`;
    const first = await rig.escalations.open({ sessionId: 's1', customer: member, language: 'ja', text: long });
    assert.equal(first.created, true);
    assert.equal(first.ticket.status, 'open');
    assert.deepEqual(first.ticket.messages, [{ id: 'id2', from: 'customer', text: long, at: T0 }]);

    rig.advance(1000);
    const second = await rig.escalations.open({ sessionId: 's1', customer: member, language: 'ja', text: 'まだですか？' });
    assert.equal(second.created, false);
    assert.equal(second.ticket.id, first.ticket.id);
    assert.deepEqual(second.ticket.messages.map((m) => m.text), [long, 'まだですか？']);

    await rig.notifier.flush();
    assert.equal(posts.length, 1, 'one alert per new ticket');
    const body = posts[0] as { text: string; mangaassist: { kind: string; severity: string; fields: Record<string, string>; link: string } };
    assert.equal(body.mangaassist.kind, 'escalation');
    assert.equal(body.mangaassist.severity, 'warning');
    assert.deepEqual(body.mangaassist.fields, { ticket: first.ticket.id, customer: 'member', language: 'ja', session: 's1' });
    assert.equal(body.mangaassist.link, `${OPS_URL}#ticket=${first.ticket.id}`);
    assert.equal(body.text, `Customer asks for a human: "${[...long].slice(0, 200).join('')}" <${OPS_URL}#ticket=${first.ticket.id}|open>`);
    assert.deepEqual(rig.events, ['opened']);
  });

  it('keeps only kind, id and name of the customer on the ticket', async () => {
    const customer = { kind: 'prime' as const, customerId: 'c-1', name: 'Aoi', ageConfirmed: true };
    const { ticket } = await rig.escalations.open({ sessionId: 's1', customer, language: 'en', text: 'human please' });
    assert.deepEqual(ticket.customer, { kind: 'prime', customerId: 'c-1', name: 'Aoi' });
    assert.deepEqual((await rig.store.get(ticket.id))!.customer, { kind: 'prime', customerId: 'c-1', name: 'Aoi' });
  });

  it('two requests at once from two tabs make one ticket and one alert', async () => {
    const results = await Promise.all([
      rig.escalations.open({ sessionId: 's1', customer: member, language: 'en', text: 'a human please' }),
      rig.escalations.open({ sessionId: 's1', customer: member, language: 'en', text: 'an agent please' }),
    ]);
    assert.deepEqual(results.map((r) => r.created).sort(), [false, true]);
    assert.equal(results[0].ticket.id, results[1].ticket.id);
    await rig.notifier.flush();
    assert.equal(posts.length, 1);
  });

  it('delivers a reply live to every attached tab and marks it delivered', async () => {
    const { ticket } = await rig.escalations.open({ sessionId: 's1', customer: member, language: 'en', text: 'human please' });
    const a = tab();
    const b = tab();
    rig.escalations.hub.attach('s1', a.send);
    rig.escalations.hub.attach('s1', b.send);
    rig.advance(5000);
    const result = await rig.escalations.reply(ticket.id, { text: '  Hello, this is Sato.  ', operator: ' Sato ' });
    assert.equal(result.delivered, true);
    assert.equal(result.ticket.status, 'answered');
    const line = result.ticket.messages.at(-1)!;
    assert.deepEqual(line, { id: line.id, from: 'operator', text: 'Hello, this is Sato.', operator: 'Sato', at: T0 + 5000, delivered: true });
    const frame: AgentMessageFrame = { type: 'agent_message', ticketId: ticket.id, messageId: line.id, text: 'Hello, this is Sato.', operator: 'Sato', at: T0 + 5000 };
    assert.deepEqual(a.frames, [frame]);
    assert.deepEqual(b.frames, [frame]);
    assert.deepEqual(await rig.store.undelivered('s1'), []);
    assert.deepEqual(rig.events, ['opened', 'operator_reply']);
  });

  it('keeps a reply for an offline customer and sends it, in order, when they connect', async () => {
    const { ticket } = await rig.escalations.open({ sessionId: 's1', customer: member, language: 'en', text: 'human please' });
    const gone = tab();
    rig.escalations.hub.attach('s1', gone.send);
    gone.open = false; // the socket closed, its close event not handled yet
    const r1 = await rig.escalations.reply(ticket.id, { text: 'first', operator: 'Sato' });
    rig.advance(1);
    const r2 = await rig.escalations.reply(ticket.id, { text: 'second', operator: 'Ito' });
    assert.equal(r1.delivered, false);
    assert.equal(r2.delivered, false);
    assert.equal(rig.escalations.hub.connected('s1'), 0, 'the dead tab was detached');
    assert.equal(r2.ticket.messages.at(-1)!.delivered, false);

    // Reconnect: the first send fails (the socket died again) — nothing is marked delivered.
    await rig.escalations.onConnect('s1', () => false);
    assert.equal((await rig.store.undelivered('s1')).length, 2);

    const back = tab();
    await rig.escalations.onConnect('s1', back.send);
    assert.deepEqual(back.frames.map((f) => [f.text, f.operator, f.ticketId]), [['first', 'Sato', ticket.id], ['second', 'Ito', ticket.id]]);
    assert.deepEqual(await rig.store.undelivered('s1'), []);
    assert.ok((await rig.escalations.get(ticket.id))!.messages.filter((m) => m.from === 'operator').every((m) => m.delivered === true));

    const again = tab();
    await rig.escalations.onConnect('s1', again.send);
    assert.deepEqual(again.frames, [], 'nothing is sent twice');
  });

  it('a socket that dies part-way through onConnect keeps the rest for next time', async () => {
    const { ticket } = await rig.escalations.open({ sessionId: 's1', customer: member, language: 'en', text: 'human please' });
    for (const text of ['one', 'two', 'three']) await rig.escalations.reply(ticket.id, { text, operator: 'Sato' });
    let budget = 1;
    await rig.escalations.onConnect('s1', () => budget-- > 0);
    assert.deepEqual((await rig.store.undelivered('s1')).map((p) => p.message.text), ['two', 'three']);
  });

  it('refuses bad replies: empty, too long, unknown ticket, closed ticket', async () => {
    const { ticket } = await rig.escalations.open({ sessionId: 's1', customer: member, language: 'en', text: 'human please' });
    await assert.rejects(rig.escalations.reply(ticket.id, { text: '   ', operator: 'Sato' }), { code: 'bad_request' });
    await assert.rejects(rig.escalations.reply(ticket.id, { text: 'x'.repeat(2001), operator: 'Sato' }), { code: 'bad_request' });
    await rig.escalations.reply(ticket.id, { text: 'あ'.repeat(2000), operator: 'Sato' }); // 2,000 characters, 6,000 bytes: fine
    await assert.rejects(rig.escalations.reply(ticket.id, { text: 'hi', operator: ' ' }), { code: 'bad_request' });
    await assert.rejects(rig.escalations.reply('nope', { text: 'hi', operator: 'Sato' }), { code: 'not_found' });

    const closed = await rig.escalations.close(ticket.id);
    assert.equal(closed.status, 'closed');
    await assert.rejects(rig.escalations.reply(ticket.id, { text: 'hi', operator: 'Sato' }), { code: 'conflict' });
    assert.equal((await rig.escalations.close(ticket.id)).status, 'closed', 'closing twice is harmless');
    await assert.rejects(rig.escalations.close('nope'), { code: 'not_found' });
    assert.deepEqual(rig.events, ['opened', 'operator_reply', 'closed']);
  });

  it('customerSaid adds to the open ticket (back to open after an answer) and does nothing otherwise', async () => {
    await rig.escalations.customerSaid('s1', 'no ticket yet');
    assert.deepEqual(await rig.escalations.list({ limit: 10 }), []);

    const { ticket } = await rig.escalations.open({ sessionId: 's1', customer: member, language: 'en', text: 'human please' });
    await rig.escalations.reply(ticket.id, { text: 'How can I help?', operator: 'Sato' });
    assert.equal((await rig.escalations.get(ticket.id))!.status, 'answered');
    rig.advance(10);
    await rig.escalations.customerSaid('s1', 'My order 123 is late');
    const after = (await rig.escalations.get(ticket.id))!;
    assert.equal(after.status, 'open', 'waiting for an operator again');
    assert.deepEqual(after.messages.map((m) => `${m.from}:${m.text}`), ['customer:human please', 'operator:How can I help?', 'customer:My order 123 is late']);
    assert.equal(after.updatedAt, T0 + 10);

    await rig.escalations.close(ticket.id);
    await rig.escalations.customerSaid('s1', 'after closing');
    assert.equal((await rig.escalations.get(ticket.id))!.messages.length, 3, 'a closed ticket takes no more lines');

    const next = await rig.escalations.open({ sessionId: 's1', customer: member, language: 'en', text: 'human again' });
    assert.equal(next.created, true, 'after closing, a new request opens a new ticket');
    await rig.notifier.flush();
    assert.equal(posts.length, 2);
  });

  it('a failing webhook or notifier never fails the ticket', async () => {
    const store = createInProcessTicketStore();
    const escalations = createEscalations({ store, hub: createSessionHub(), notify: () => { throw new Error('notifier down'); } });
    const { created, ticket } = await escalations.open({ sessionId: 's9', customer: { kind: 'guest' }, language: 'en', text: 'human' });
    assert.equal(created, true);
    assert.equal((await store.get(ticket.id))?.status, 'open');
    store.close();
  });
});

describe('session hub', () => {
  it('counts tabs, detaches on request, on a false send and on a throwing send', () => {
    const hub = createSessionHub();
    const frame: AgentMessageFrame = { type: 'agent_message', ticketId: 't', messageId: 'm', text: 'hi', operator: 'Sato', at: T0 };
    assert.equal(hub.deliver('s1', frame), false, 'nobody connected');
    const a = tab();
    const b = tab();
    const detachA = hub.attach('s1', a.send);
    hub.attach('s1', b.send);
    hub.attach('s1', () => { throw new Error('socket gone'); });
    hub.attach('s2', tab().send);
    assert.equal(hub.connected('s1'), 3);
    assert.equal(hub.deliver('s1', frame), true);
    assert.equal(hub.connected('s1'), 2, 'the throwing sender was detached');
    detachA();
    detachA();
    assert.equal(hub.connected('s1'), 1);
    b.open = false;
    assert.equal(hub.deliver('s1', frame), false);
    assert.equal(hub.connected('s1'), 0);
    assert.equal(hub.connected('s2'), 1, 'sessions are isolated');
    assert.equal(a.frames.length, 1);
    assert.equal(b.frames.length, 1);
  });

  it('the same function attached twice counts as two tabs', () => {
    const hub = createSessionHub();
    const a = tab();
    const d1 = hub.attach('s1', a.send);
    hub.attach('s1', a.send);
    assert.equal(hub.connected('s1'), 2);
    d1();
    assert.equal(hub.connected('s1'), 1);
  });
});
