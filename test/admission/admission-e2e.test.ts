import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHIPPED_LIMITS, scrapeMetrics, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, type Frame } from '../helpers/ws-client.ts';

// Admission over the real server: token buckets at their shipped defaults, refusals on all three
// transports with an accurate retry time, the cap on new guest sessions, tiers under pressure.

const DEFAULT_LIMITS = SHIPPED_LIMITS;

async function post(url: string, path: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

describe('rate limits at their defaults', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(DEFAULT_LIMITS);
  });
  after(() => server.close());

  test('a guest session gets 10 messages at once, the 11th is rate_limited with retryAfterMs ≈ 6 s (10/min refill)', async () => {
    const chat = await connectChat(server.wsUrl);
    for (let i = 0; i < 10; i++) {
      const frames = await chat.ask('hello', `g-${i}`);
      assert.equal(frames.at(-1)!.type, 'end', `message ${i} answered`);
    }
    const refused = await chat.ask('hello', 'g-10');
    assert.equal(refused.length, 1);
    const e = refused[0];
    assert.equal(e.type, 'error');
    assert.equal(e.code, 'rate_limited');
    assert.equal(e.replyTo, 'g-10');
    // One token refills in 6 s; some of it has passed while the ten were answered.
    assert.ok(typeof e.retryAfterMs === 'number' && e.retryAfterMs > 3000 && e.retryAfterMs <= 6000, `retryAfterMs ${e.retryAfterMs}`);
    // The socket stays usable, and a refusal is not charged: still refused, not a longer wait.
    const again = await chat.ask('hello', 'g-11');
    assert.equal(again[0].code, 'rate_limited');
    assert.ok((again[0].retryAfterMs as number) <= (e.retryAfterMs as number));
    await chat.close();
  });

  test('a signed-in customer gets 30 at once; the limit follows the customer across connections', async () => {
    const token = await server.app.signToken({ sub: 'cust-rl-1', tier: 'member' });
    const a = await connectChat(server.wsUrl, { token });
    for (let i = 0; i < 20; i++) assert.equal((await a.ask('hi', `m-${i}`)).at(-1)!.type, 'end');
    const b = await connectChat(server.wsUrl, { token });
    for (let i = 20; i < 30; i++) assert.equal((await b.ask('hi', `m-${i}`)).at(-1)!.type, 'end');
    const refused = await b.ask('hi', 'm-30');
    assert.equal(refused[0].code, 'rate_limited');
    assert.ok((refused[0].retryAfterMs as number) <= 2000, 'one token per 2 s at 30/min');
    await Promise.all([a.close(), b.close()]);
  });

  test('JSON and SSE refusals are HTTP 429 with Retry-After (seconds) and retryAfterMs in the body', async () => {
    const first = await post(server.url, '/v1/chat', { text: 'hello' });
    const { sessionId, resumeToken } = (await first.json()) as { sessionId: string; resumeToken: string };
    for (let i = 1; i < 10; i++) {
      const r = await post(server.url, '/v1/chat', { text: 'hello', sessionId, resumeToken });
      assert.equal(r.status, 200, `message ${i}`);
      await r.json();
    }
    for (const path of ['/v1/chat', '/v1/chat/stream']) {
      const r = await post(server.url, path, { text: 'hello', sessionId, resumeToken });
      assert.equal(r.status, 429, path);
      const retryAfter = Number(r.headers.get('retry-after'));
      const body = (await r.json()) as { code: string; retryAfterMs: number };
      assert.equal(body.code, 'rate_limited');
      assert.ok(body.retryAfterMs > 0 && body.retryAfterMs <= 6000);
      assert.equal(retryAfter, Math.ceil(body.retryAfterMs / 1000), 'Retry-After is retryAfterMs rounded up to seconds');
    }
  });

  test('a guest cannot escape the limit by opening new sessions: new sessions per address are capped', async () => {
    // 20 at once is the burst (some already spent by the tests above on this address).
    let refusedAt = -1;
    for (let i = 0; i < 25; i++) {
      const chat = await connectChat(server.wsUrl);
      const frames = await chat.ask('hello', `s-${i}`);
      await chat.close();
      if (frames[0].type === 'error') {
        assert.equal(frames[0].code, 'rate_limited');
        assert.match(String(frames[0].message), /new chats/);
        refusedAt = i;
        break;
      }
    }
    assert.ok(refusedAt >= 0 && refusedAt <= 20, `refused at ${refusedAt}`);
    // Naming a session id that nobody owns is a new session too, and capped like one.
    const denied = await post(server.url, '/v1/chat', { text: 'hi', sessionId: 'rl-http-session-2' });
    assert.equal(denied.status, 429);
  });

  test('refused messages are not stored: the conversation has only answered turns', async () => {
    const token = await server.app.signToken({ sub: 'cust-rl-2', tier: 'prime' });
    const chat = await connectChat(server.wsUrl, { token });
    const frames: Frame[][] = [];
    for (let i = 0; i < 31; i++) frames.push(await chat.ask('hello', `p-${i}`));
    assert.equal(frames.filter((f) => f.at(-1)!.type === 'end').length, 30);
    assert.equal(frames[30][0].code, 'rate_limited');
    await chat.close();
  });
});

describe('the global LLM limit refuses guests first, then members, never Prime while tokens last', () => {
  let server: TestServer;
  before(async () => {
    // 10 tokens, no refill to speak of; guests may not touch the last 5, members the last 2.
    server = await startTestServer({ LLM_RATE_PER_SEC: '0.001', LLM_BURST: '10', LLM_RESERVE_GUEST: '0.5', LLM_RESERVE_MEMBER: '0.2' });
  });
  after(() => server.close());

  test('order of refusal: guest at 5 left, member at 2 left, Prime until empty', async () => {
    const guest = await connectChat(server.wsUrl);
    const member = await connectChat(server.wsUrl, { token: await server.app.signToken({ sub: 'llm-m', tier: 'member' }) });
    const prime = await connectChat(server.wsUrl, { token: await server.app.signToken({ sub: 'llm-p', tier: 'prime' }) });
    let answered = 0;
    for (let i = 0; i < 5; i++) if ((await guest.ask('hi', `g${i}`)).at(-1)!.type === 'end') answered++;
    assert.equal(answered, 5);
    assert.equal((await guest.ask('hi', 'g5'))[0].code, 'rate_limited', 'guest refused with 5 left');
    for (let i = 0; i < 3; i++) assert.equal((await member.ask('hi', `m${i}`)).at(-1)!.type, 'end');
    assert.equal((await member.ask('hi', 'm3'))[0].code, 'rate_limited', 'member refused with 2 left');
    for (let i = 0; i < 2; i++) assert.equal((await prime.ask('hi', `p${i}`)).at(-1)!.type, 'end');
    assert.equal((await prime.ask('hi', 'p2'))[0].code, 'rate_limited', 'Prime refused when empty');
    await Promise.all([guest.close(), member.close(), prime.close()]);
  });
});

describe('brownout sheds guests before members, members before Prime', () => {
  let server: TestServer;
  before(async () => {
    // Ten messages in flight is "full"; slow first tokens keep them in flight.
    server = await startTestServer({ MAX_INFLIGHT_MESSAGES: '10', LLM_PROVIDER: 'sim', SIM_LLM_TTFT_MS: '1200', SIM_LLM_JITTER: '0', SIM_LLM_TOKENS_PER_SEC: '0' });
  });
  after(() => server.close());

  test('at 80% in flight guests are refused (unavailable, retryAfterMs), at 95% members; Prime still answered', async () => {
    const primeToken = await server.app.signToken({ sub: 'bo-p', tier: 'prime' });
    const holders = await Promise.all(Array.from({ length: 8 }, () => connectChat(server.wsUrl, { token: primeToken })));
    // Greetings are answered from templates (no model, no wait): the holders ask for recommendations, which wait on the slow model.
    const held = holders.map((c, i) => c.ask('recommend me a fantasy manga', `hold-${i}`));
    await new Promise((r) => setTimeout(r, 200));
    const guest = await connectChat(server.wsUrl);
    const g = await guest.ask('hi', 'guest-1');
    assert.equal(g[0].type, 'error');
    assert.equal(g[0].code, 'unavailable');
    assert.ok((g[0].retryAfterMs as number) >= 1000);
    const member = await connectChat(server.wsUrl, { token: await server.app.signToken({ sub: 'bo-m', tier: 'member' }) });
    const firstMember = member.ask('recommend me a fantasy manga', 'member-1');
    await new Promise((r) => setTimeout(r, 100));
    const extra = await connectChat(server.wsUrl, { token: primeToken });
    const heldExtra = extra.ask('recommend me a fantasy manga', 'hold-9');
    await new Promise((r) => setTimeout(r, 100));
    const member2 = await connectChat(server.wsUrl, { token: await server.app.signToken({ sub: 'bo-m2', tier: 'member' }) });
    const m2 = await member2.ask('hi', 'member-2');
    assert.equal(m2[0].code, 'unavailable', 'members shed at 10/10 in flight');
    const prime = await connectChat(server.wsUrl, { token: primeToken });
    const p = await prime.ask('hi', 'prime-1');
    assert.equal(p.at(-1)!.type, 'end', 'Prime is never shed');
    assert.equal((await firstMember).at(-1)!.type, 'end', 'the member admitted at 8/10 is answered');
    for (const r of [...(await Promise.all(held)), await heldExtra]) assert.equal(r.at(-1)!.type, 'end');
    const metrics = await scrapeMetrics(server.url);
    assert.match(metrics, /mangaassist_shed_total\{tier="guest"\} 1/);
    assert.match(metrics, /mangaassist_shed_total\{tier="member"\} 1/);
    await Promise.all([...holders, guest, member, extra, member2, prime].map((c) => c.close()));
  });
});
