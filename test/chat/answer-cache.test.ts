import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { scrapeMetrics, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, replyText, type Frame } from '../helpers/ws-client.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

// The semantic answer cache through the real server: what is replayed, how it streams, what is
// never cached, how a data-change event drops it, and that a Redis outage costs nothing visible.

const ADMIN_TOKEN = 'admin-test-token-0123456789abcdef';

/** Counts of mangaassist_semantic_cache_total by result. */
async function semantic(server: TestServer): Promise<Record<string, number>> {
  const text = await scrapeMetrics(server.url);
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^mangaassist_semantic_cache_total\{result="([a-z_]+)"\} (\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** Asks in a fresh session (nothing in memory), returning the reply's frames. */
async function askFresh(server: TestServer, text: string, token?: string): Promise<Frame[]> {
  const chat = await connectChat(server.wsUrl, token ? { token } : {});
  try {
    return await chat.ask(text);
  } finally {
    await chat.close();
  }
}

/** Waits until the background write of an answer has landed (it is fire-and-forget). */
async function stored(server: TestServer, count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (((await semantic(server)).stored ?? 0) >= count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`answer not stored: ${JSON.stringify(await semantic(server))}`);
}

const tokens = (frames: Frame[]) => frames.filter((f) => f.type === 'token').length;

describe('semantic answer cache (in-process)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ADMIN_TOKEN, SEMANTIC_CACHE_THRESHOLD: '0.95' });
  });
  after(() => server.close());

  test('a policy question asked again is replayed from the cache as the same token stream', async () => {
    const first = await askFresh(server, 'What is your return policy?');
    await stored(server, 1);
    const before = await semantic(server);
    const second = await askFresh(server, 'what is your return policy');
    const after = await semantic(server);
    assert.equal((after.hit ?? 0) - (before.hit ?? 0), 1, 'second ask is a hit');
    assert.equal(replyText(second), replyText(first));
    // Streamed token by token like a fresh answer, not as one block.
    assert.equal(tokens(second), tokens(first));
    assert.ok(tokens(second) > 5);
    assert.deepEqual(second.map((f) => f.type).filter((t) => t !== 'token'), ['start', 'end']);
    assert.ok(typeof (second.at(-1)!.timings as Record<string, number>).answerCacheMs === 'number');
  });

  test('the same words in the other language, or about another policy, are not a hit', async () => {
    await askFresh(server, 'How long does shipping take?');
    await stored(server, 2);
    const before = await semantic(server);
    const ja = await askFresh(server, '返品ポリシーを教えてください');
    assert.equal(ja[0].language, 'ja');
    await askFresh(server, 'Do you ship to Canada?');
    const after = await semantic(server);
    assert.equal((after.hit ?? 0) - (before.hit ?? 0), 0);
  });

  test('price and stock questions never reach the cache', async () => {
    const before = await semantic(server);
    for (let i = 0; i < 2; i++) {
      const frames = await askFresh(server, 'How much is One Piece volume 3?');
      assert.equal(frames[0].intent, 'price_availability');
    }
    const after = await semantic(server);
    assert.equal((after.hit ?? 0) + (after.miss ?? 0), (before.hit ?? 0) + (before.miss ?? 0), 'no lookup for a price question');
  });

  test('a question resolved from the conversation is not cached: its words alone do not say what it is about', async () => {
    const chat = await connectChat(server.wsUrl);
    try {
      await chat.ask('Who wrote One Piece?');
      const before = await semantic(server);
      const followUp = await chat.ask('Is it finished?');
      assert.equal(followUp[0].intent, 'product_question');
      const after = await semantic(server);
      assert.equal((after.hit ?? 0) + (after.miss ?? 0), (before.hit ?? 0) + (before.miss ?? 0));
    } finally {
      await chat.close();
    }
  });

  test('order questions of a signed-in customer never reach the cache', async () => {
    const token = await server.app.signToken({ sub: 'cust-0001', tier: 'member' });
    const before = await semantic(server);
    for (let i = 0; i < 2; i++) {
      const frames = await askFresh(server, 'Where is my order?', token);
      assert.equal(frames[0].intent, 'order_status');
    }
    const after = await semantic(server);
    assert.equal((after.hit ?? 0) + (after.miss ?? 0), (before.hit ?? 0) + (before.miss ?? 0));
  });

  test('a series answer is replayed, and a catalog change event for that series drops it', async () => {
    const s0 = await semantic(server);
    const first = await askFresh(server, 'Who wrote Vagabond?');
    assert.equal(first[0].intent, 'product_question');
    await stored(server, (s0.stored ?? 0) + 1);
    const hitBefore = (await semantic(server)).hit ?? 0;
    const again = await askFresh(server, 'Who wrote Vagabond?');
    assert.equal(((await semantic(server)).hit ?? 0) - hitBefore, 1);
    assert.equal(replyText(again), replyText(first));

    const r = await fetch(`${server.url}/v1/admin/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'catalog.changed', seriesIds: ['vagabond'] }),
    });
    assert.equal(r.status, 200);
    assert.deepEqual(((await r.json()) as { invalidated: string[] }).invalidated, ['catalog', 'series:vagabond']);
    // The bus delivers asynchronously; the drop has happened by the next turn of the loop.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = await semantic(server);
    await askFresh(server, 'Who wrote Vagabond?');
    const after = await semantic(server);
    assert.equal((after.hit ?? 0) - (before.hit ?? 0), 0, 'dropped by the event');
    assert.equal((after.miss ?? 0) - (before.miss ?? 0), 1);
  });

  test('the events endpoint refuses a malformed event and a missing credential with the stable codes', async () => {
    const bad = await fetch(`${server.url}/v1/admin/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'catalog.exploded' }),
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { code: string }).code, 'bad_request');
    const anonymous = await fetch(`${server.url}/v1/admin/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'kb.changed' }) });
    assert.equal(anonymous.status, 401);
  });
});

describe('semantic answer cache off', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ SEMANTIC_CACHE: 'false' });
  });
  after(() => server.close());

  test('answers are never looked up or stored', async () => {
    await askFresh(server, 'What is your return policy?');
    await askFresh(server, 'What is your return policy?');
    assert.deepEqual(await semantic(server), {});
  });
});

describe('semantic answer cache in Redis, shared by two nodes', () => {
  let redis: TestRedis;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    redis = await startRedis();
    const env = { CACHE_BACKEND: 'redis', REDIS_URL: redis.url, SEMANTIC_CACHE_THRESHOLD: '0.95', ADMIN_TOKEN };
    a = await startTestServer(env);
    b = await startTestServer(env);
  });
  after(async () => {
    await a.close();
    await b.close();
    await redis.stop();
  });

  test('an answer given on one node is replayed by the other', async () => {
    const first = await askFresh(a, 'What is your privacy policy?');
    await stored(a, 1);
    const second = await askFresh(b, 'What is your privacy policy?');
    assert.equal((await semantic(b)).hit, 1);
    assert.equal(replyText(second), replyText(first));
  });

  test('with Redis down every message is still answered (by the engine), and the failures are only counted', async () => {
    await redis.stop();
    try {
      for (const text of ['What is your privacy policy?', 'Who wrote Vagabond?', 'How much is One Piece volume 3?']) {
        const frames = await askFresh(a, text);
        assert.equal(frames.at(-1)!.type, 'end', `${text}: ${JSON.stringify(frames.at(-1))}`);
        assert.ok(replyText(frames).length > 20);
      }
      const counts = await semantic(a);
      assert.ok((counts.error ?? 0) >= 1, JSON.stringify(counts));
    } finally {
      await redis.restart();
    }
  });
});
