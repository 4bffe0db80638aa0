// A conversation belongs to whoever started it (issue 14). Each test tries one way a stranger who
// knows a session id (from a shared link, a log line, a chat-ops alert) could cross into someone
// else's conversation, through the real server; on the code before step 7 every one of them
// crossed.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer, opsRequest } from '../helpers/server.ts';
import { connectChat, replyText, type Frame } from '../helpers/ws-client.ts';
import { startFakeOpenAI } from '../llm/providers/fake-openai.ts';
import type { SseFake } from '../llm/providers/sse-fake.ts';

const OPS_TOKEN = 'ops-credential-for-ownership-tests-0123';
// The owner's token with its last character changed — to another one: a token that already ended
// in 'A' was once "tampered" into itself (1 run in 16: the last of 43 base64url characters carries
// 4 bits), and the owner's real token then rightly resumed the conversation.
const tampered = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'Q' : 'A'}`;
const cardsOf = (frames: Frame[]) => (frames.find((f) => f.type === 'products')?.items as { seriesId: string; volume: number | null }[] | undefined) ?? [];

/** A request to `server`'s ops API with this file's credential. */
const ops = (server: TestServer, method: string, path: string, body?: unknown) => opsRequest(server, OPS_TOKEN, method, path, body);

async function chatHttp(server: TestServer, body: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(`${server.url}/v1/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

describe('a conversation belongs to whoever started it', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ OPS_TOKEN });
  });
  after(async () => {
    await server.close();
  });

  test('WebSocket: a guest who presents only the id gets a new session and none of the owner\'s context; the owner resumes with its token', async () => {
    const owner = await connectChat(server.wsUrl);
    assert.equal(cardsOf(await owner.ask('Do you have One Piece?'))[0].seriesId, 'one-piece');
    await owner.close();

    for (const resume of [undefined, 'x'.repeat(43), tampered(owner.resumeToken)]) {
      const intruder = await connectChat(server.wsUrl, { session: owner.sessionId, resume });
      const frames = await intruder.ask('how much is volume 3 of it?');
      assert.ok(!cardsOf(frames).some((c) => c.seriesId === 'one-piece'), `no context of the owner leaked: ${replyText(frames)}`);
      assert.notEqual(intruder.sessionId, owner.sessionId, `resume=${resume}`);
      assert.equal(intruder.frames[0].resumed, false);
      await intruder.close();
    }

    const back = await connectChat(server.wsUrl, { session: owner.sessionId, resume: owner.resumeToken });
    assert.equal(back.sessionId, owner.sessionId);
    assert.equal(back.frames[0].resumed, true);
    const vol3 = cardsOf(await back.ask('how much is volume 3 of it?'));
    assert.deepEqual([vol3[0].seriesId, vol3[0].volume], ['one-piece', 3]);
    await back.close();
  });

  test('HTTP: the same rule for sessionId in the body', async () => {
    const first = await chatHttp(server, { text: 'Do you have Frieren?' });
    const frierenId = first.products[0].seriesId;
    const intruder = await chatHttp(server, { text: 'how much is volume 2 of it?', sessionId: first.sessionId });
    assert.ok(!intruder.products.some((c: { seriesId: string }) => c.seriesId === frierenId), intruder.text);
    assert.notEqual(intruder.sessionId, first.sessionId);
    const owner = await chatHttp(server, { text: 'how much is volume 2 of it?', sessionId: first.sessionId, resumeToken: first.resumeToken });
    assert.equal(owner.sessionId, first.sessionId);
    assert.deepEqual([owner.products[0].seriesId, owner.products[0].volume], [frierenId, 2]);
  });

  test("a signed-in customer's conversation: another customer, or a guest with its token, gets a new session and never sees the orders", async () => {
    const alice = await server.app.signToken({ sub: 'cust-1001', tier: 'member', name: 'Hanako' });
    const bob = await server.app.signToken({ sub: 'cust-1002', tier: 'member' });
    const mine = await connectChat(server.wsUrl, { token: alice });
    const orders = replyText(await mine.ask('where is my order?'));
    assert.match(orders, /MA-2026/, 'the owner sees their orders');
    const orderIds = [...orders.matchAll(/MA-\d{8}-\d{4}/g)].map((m) => m[0]);
    await mine.close();

    for (const [who, params] of [['another customer', { token: bob, session: mine.sessionId }], ['a guest with the token', { session: mine.sessionId, resume: mine.resumeToken }]] as const) {
      const other = await connectChat(server.wsUrl, params);
      const text = replyText(await other.ask('and what was the total of that order?'));
      for (const id of orderIds) assert.ok(!text.includes(id), `${who} saw ${id}: ${text}`);
      assert.notEqual(other.sessionId, mine.sessionId, who);
      await other.close();
    }
    const back = await connectChat(server.wsUrl, { token: alice, session: mine.sessionId });
    assert.deepEqual([back.sessionId, back.frames[0].resumed], [mine.sessionId, true], 'the customer resumes by signing in alone');
    await back.close();
  });

  test('operator replies reach the owner only; what a stranger types never lands in the owner\'s ticket', async () => {
    const owner = await connectChat(server.wsUrl);
    const asked = await owner.ask('I want to talk to a human please');
    const ticketId = (asked.find((f) => f.type === 'end')!.handoff as { ticketId: string }).ticketId;
    await owner.close();

    const intruder = await connectChat(server.wsUrl, { session: owner.sessionId });
    await intruder.ask('this is the owner speaking, please send my refund to another card');
    const reply = await ops(server, 'POST', `/v1/ops/tickets/${ticketId}/reply`, { text: 'Hello, this is Sato from support.', operator: 'Sato' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.delivered, false, 'nobody who owns the conversation is connected');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!intruder.frames.some((f) => f.type === 'agent_message'), 'the stranger received the operator reply');
    await intruder.close();
    const ticket = await ops(server, 'GET', `/v1/ops/tickets/${ticketId}`);
    const customerLines = ticket.body.ticket.messages.filter((m: { from: string }) => m.from === 'customer').map((m: { text: string }) => m.text);
    assert.deepEqual(customerLines, ['I want to talk to a human please']);
    assert.notEqual(intruder.sessionId, owner.sessionId);

    const back = await connectChat(server.wsUrl, { session: owner.sessionId, resume: owner.resumeToken });
    const missed = await back.next((f) => f.type === 'agent_message');
    assert.equal(missed.text, 'Hello, this is Sato from support.');
    await back.close();
  });

  test('a guest who signs in may carry the guest conversation over; the guest token then opens nothing', async () => {
    const guest = await connectChat(server.wsUrl);
    await guest.ask('Do you have Vagabond?');
    await guest.close();
    const token = await server.app.signToken({ sub: 'cust-1003', tier: 'prime' });
    const signedIn = await connectChat(server.wsUrl, { token, session: guest.sessionId, resume: guest.resumeToken });
    assert.deepEqual([signedIn.sessionId, signedIn.frames[0].resumed, signedIn.frames[0].carriedOver, signedIn.frames[0].customer], [guest.sessionId, true, true, 'prime']);
    const vol2 = cardsOf(await signedIn.ask('how much is volume 2 of it?'));
    assert.deepEqual([vol2[0].seriesId, vol2[0].volume], ['vagabond', 2], 'the conversation came along');
    await signedIn.close();
    const oldToken = await connectChat(server.wsUrl, { session: guest.sessionId, resume: guest.resumeToken });
    assert.notEqual(oldToken.sessionId, guest.sessionId);
    await oldToken.close();
  });
});

describe('rate limits do not cross owners', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ RATE_GUEST_PER_MIN: '1', RATE_GUEST_BURST: '3' });
  });
  after(async () => {
    await server.close();
  });

  test("a stranger presenting a guest's session id does not spend that guest's allowance", async () => {
    const owner = await connectChat(server.wsUrl);
    assert.equal((await owner.ask('hello')).at(-1)!.type, 'end');
    for (let i = 0; i < 5; i++) {
      const intruder = await connectChat(server.wsUrl, { session: owner.sessionId });
      await intruder.ask('hello');
      await intruder.close();
    }
    assert.equal((await owner.ask('hello again')).at(-1)!.type, 'end');
    assert.equal((await owner.ask('and again')).at(-1)!.type, 'end');
    assert.equal((await owner.ask('one too many')).at(-1)!.code, 'rate_limited', 'the guest bucket is the owner\'s own');
    await owner.close();
  });
});

describe('what the model is shown belongs to the asker', () => {
  let fake: SseFake;
  let server: TestServer;
  before(async () => {
    fake = await startFakeOpenAI();
    server = await startTestServer({ LLM_PROVIDER: 'openai', OPENAI_BASE_URL: `${fake.url}/v1`, SEMANTIC_CACHE: 'false', LLM_TIMEOUT_MS: '3000', MESSAGE_BUDGET_MS: '3000' });
  });
  after(async () => {
    await server.close();
    await fake.close();
  });

  test("the owner's earlier answers (order numbers, totals) are not in the prompt built for someone else", async () => {
    const alice = await server.app.signToken({ sub: 'cust-1001', tier: 'member' });
    fake.next({ pieces: ['Your order MA-20261005-0003 ', 'was delivered on 2026-10-07, total ¥2,970.'] });
    const mine = await connectChat(server.wsUrl, { token: alice });
    await mine.ask('where is my order MA-20261005-0003?');
    await mine.close();

    fake.next({ pieces: ['I have no earlier order in this conversation.'] });
    const stranger = await connectChat(server.wsUrl, { session: mine.sessionId });
    await stranger.ask('what was the total of that order again?');
    await stranger.close();
    const prompt = JSON.stringify(fake.requests.at(-1)!.body);
    assert.match(prompt, /what was the total of that order again/);
    assert.doesNotMatch(prompt, /MA-20261005-0003|2,970|2970/, 'the owner\'s order leaked into the stranger\'s prompt');
  });
});
