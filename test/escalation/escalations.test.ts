import { describe, it, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEscalations } from '../../src/escalation/escalations.ts';
import { createInProcessTicketStore } from '../../src/escalation/in-process-ticket-store.ts';
import { createSessionHub } from '../../src/escalation/session-hub.ts';
import type { AgentMessageFrame, Escalations, TicketStore } from '../../src/escalation/types.ts';
import { createWebhookNotifier, type Notifier } from '../../src/observability/webhook.ts';
import { createInProcessMessageBus } from '../../src/messaging/in-process-bus.ts';
import type { MessageBus } from '../../src/messaging/types.ts';

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

/** A promise and the function that settles it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('escalations across processes (a shared store and bus)', () => {
  // Two processes of the service: one ticket store (the shared SQLite file or DynamoDB tables),
  // one bus (cluster IPC or Redis), a hub each. A chat is open on one of them only.
  let store: TicketStore;
  let bus: MessageBus;
  let a: Escalations;
  let b: Escalations;
  let n = 0;
  const make = (opts: { bus?: MessageBus; store?: TicketStore; onPushError?: (err: unknown) => void } = {}) =>
    createEscalations({ store: opts.store ?? store, hub: createSessionHub(), bus: opts.bus ?? bus, ids: () => `x${++n}`, onPushError: opts.onPushError });
  beforeEach(() => {
    store = createInProcessTicketStore();
    bus = createInProcessMessageBus();
    a = make();
    b = make();
  });
  afterEach(async () => {
    a.stop();
    b.stop();
    await bus.close();
    store.close();
  });

  it('a reply stored through one process reaches the chat open on the other, once, and is marked delivered there', async () => {
    const { ticket } = await a.open({ sessionId: 's1', customer: member, language: 'en', text: 'human please' });
    const chat = tab();
    await b.connect('s1', chat.send).caughtUp;
    assert.equal(await a.connected('s1'), 1, 'A counts the chat B holds');
    const r = await a.reply(ticket.id, { text: 'Hello from the desk', operator: 'Sato' });
    assert.equal(r.delivered, true);
    assert.equal(r.ticket.messages.at(-1)!.delivered, true);
    assert.deepEqual(chat.frames.map((f) => f.text), ['Hello from the desk']);
    assert.equal(a.hub.connected('s1'), 0, 'A holds no chat of the session');
    assert.deepEqual(await store.undelivered('s1'), []);
    // A reconnect elsewhere gets nothing again.
    const other = tab();
    await a.connect('s1', other.send).caughtUp;
    assert.deepEqual(other.frames, []);
  });

  it('tabs on both processes each get it once; nobody connected: not delivered, and sent on reconnect', async () => {
    const { ticket } = await a.open({ sessionId: 's1', customer: member, language: 'en', text: 'human please' });
    const onA = tab();
    const onB = tab();
    const chatA = a.connect('s1', onA.send);
    const chatB = b.connect('s1', onB.send);
    await Promise.all([chatA.caughtUp, chatB.caughtUp]);
    assert.equal(await b.connected('s1'), 2);
    assert.equal((await a.reply(ticket.id, { text: 'one', operator: 'Sato' })).delivered, true);
    assert.deepEqual([onA.frames.map((f) => f.text), onB.frames.map((f) => f.text)], [['one'], ['one']]);

    chatA.close();
    chatB.close();
    assert.equal(await a.connected('s1'), 0);
    const offline = await b.reply(ticket.id, { text: 'two', operator: 'Sato' });
    assert.equal(offline.delivered, false);
    const back = tab();
    await a.connect('s1', back.send).caughtUp;
    assert.deepEqual(back.frames.map((f) => f.text), ['two']);
    assert.deepEqual(await store.undelivered('s1'), []);
  });

  it('a reply stored while the chat connects comes both live and as missed: the chat gets it once', async () => {
    // The connecting chat reads its missed replies after the reply is stored but before the live
    // delivery marked it: both paths have it.
    const readStart = gate();
    const markStart = gate();
    const slow: TicketStore = {
      ...store,
      undelivered: async (sessionId, opts) => {
        await readStart.wait;
        return store.undelivered(sessionId, opts);
      },
      markDelivered: async (ticketId, ids, opts) => {
        await markStart.wait;
        return store.markDelivered(ticketId, ids, opts);
      },
    };
    const c = make({ store: slow });
    try {
      const { ticket } = await c.open({ sessionId: 's1', customer: member, language: 'en', text: 'human please' });
      const chat = tab();
      const connecting = c.connect('s1', chat.send);
      const replying = c.reply(ticket.id, { text: 'just in time', operator: 'Sato' });
      while (chat.frames.length === 0) await new Promise((r) => setImmediate(r));
      readStart.open();
      await new Promise((r) => setImmediate(r));
      markStart.open();
      await Promise.all([connecting.caughtUp, replying]);
      assert.deepEqual(chat.frames.map((f) => f.text), ['just in time']);
      assert.equal((await replying).delivered, true);
    } finally {
      c.stop();
    }
  });

  it('after a gap, resync sends the chats open here what their session is still owed', async () => {
    const { ticket } = await a.open({ sessionId: 's1', customer: member, language: 'en', text: 'human please' });
    const chat = tab();
    await b.connect('s1', chat.send).caughtUp;
    // The reply was stored, but the bus never carried it to B (B was cut off from Redis).
    await store.addMessage(ticket.id, { id: 'missed-1', from: 'operator', text: 'while you were away', operator: 'Sato', at: T0, delivered: false });
    await a.resync();
    assert.equal(chat.frames.length, 0, 'A holds no chat of the session');
    await b.resync();
    await b.resync();
    assert.deepEqual(chat.frames.map((f) => f.messageId), ['missed-1'], 'sent once, marked');
    assert.deepEqual(await store.undelivered('s1'), []);
  });

  it('a bus that cannot carry the reply: told, and this process\'s own chats still get it', async () => {
    const errors: unknown[] = [];
    const broken: MessageBus = { ...bus, publish: async () => { throw new Error('redis down'); } };
    const c = make({ bus: broken, onPushError: (err) => errors.push(err) });
    try {
      const { ticket } = await c.open({ sessionId: 's2', customer: member, language: 'en', text: 'human please' });
      const chat = tab();
      await c.connect('s2', chat.send).caughtUp;
      const r = await c.reply(ticket.id, { text: 'still here', operator: 'Sato' });
      assert.equal(r.delivered, true);
      assert.deepEqual(chat.frames.map((f) => f.text), ['still here']);
      assert.match(String(errors[0]), /redis down/);
      assert.equal(await c.connected('s2'), 1, 'its own count when the others cannot be asked');
    } finally {
      c.stop();
    }
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
