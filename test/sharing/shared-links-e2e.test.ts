/**
 * "Share this conversation" through the real service, STORE_BACKEND=dynamodb on dynalite behind a
 * proxy that counts (and can throttle) every DynamoDB request: what a shared link shows and hides,
 * what 1,000 concurrent opens of it cost the store, throttling on the read path, revocation.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, scrapeMetrics, type TestServer } from '../helpers/server.ts';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.ts';
import { startThrottleProxy, type ThrottleProxy } from '../helpers/dynamo-throttle-proxy.ts';
import { dynamoTableNames } from '../../src/composition/stores.ts';

const PREFIX = `share-e2e-${process.pid}-`;
const SHARES = dynamoTableNames(PREFIX).shares;

async function chat(server: TestServer, text: string, session: { sessionId?: string; resumeToken?: string; bearer?: string } = {}): Promise<{ sessionId: string; resumeToken: string; text: string }> {
  const res = await fetch(`${server.url}/v1/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(session.bearer ? { authorization: `Bearer ${session.bearer}` } : {}) },
    body: JSON.stringify({ text, sessionId: session.sessionId, resumeToken: session.resumeToken }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { sessionId: string; resumeToken: string; text: string };
}

async function share(server: TestServer, body: { sessionId: string; resumeToken?: string }, bearer?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/v1/shares`, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** `n` opens of a link at once: each one's status, Retry-After and body. */
async function openMany(server: TestServer, shareId: string, n: number): Promise<{ status: number; retryAfter: string | null; body: string }[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const res = await fetch(`${server.url}/v1/shared/${shareId}`);
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
    }),
  );
}

function counter(text: string, name: string, label: string): number {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) && l.includes(label)).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

describe('shared links on the real service (DynamoDB on dynalite)', () => {
  let dynamo: TestDynamo;
  let proxy: ThrottleProxy;
  let server: TestServer;
  const reads = () => proxy.seen('GetItem', SHARES);

  before(async () => {
    dynamo = await startDynalite();
    proxy = await startThrottleProxy(dynamo.endpoint);
    // Deadlines wide: these tests count store reads and retries, and at load 20 a read through the
    // proxy to dynalite, with its backoff, outlasted the 2 s SHARE_TIMEOUT_MS (one failure seen).
    // Retries are bounded by their count (3), not by the deadline, so the 503 case is unchanged.
    server = await startTestServer({ STORE_BACKEND: 'dynamodb', DYNAMODB_ENDPOINT: proxy.endpoint, DYNAMODB_CREATE_TABLES: 'true', DYNAMODB_TABLE_PREFIX: PREFIX, SHARE_TIMEOUT_MS: '15000', MEMORY_TIMEOUT_MS: '3000', MESSAGE_BUDGET_MS: '10000' });
  });
  after(async () => {
    await server?.close();
    await proxy?.close();
    await dynamo?.stop();
  });

  test('only the owner shares; the link carries a random id, nothing of the session', async () => {
    const c = await chat(server, 'Do you have Frieren?');
    assert.equal((await share(server, { sessionId: c.sessionId })).status, 404, 'the session id alone');
    assert.equal((await share(server, { sessionId: c.sessionId, resumeToken: 'A'.repeat(43) })).status, 404, 'a wrong token');
    const made = await share(server, { sessionId: c.sessionId, resumeToken: c.resumeToken });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.match(made.body.shareId, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(made.body.url, `${server.url}/s/${made.body.shareId}`);
    for (const secret of [c.sessionId, c.resumeToken]) assert.ok(!made.body.url.includes(secret));

    const res = await fetch(`${server.url}/v1/shared/${made.body.shareId}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /^public, max-age=\d+$/);
    const text = await res.text();
    for (const secret of [c.sessionId, c.resumeToken]) assert.ok(!text.includes(secret), 'no session id or token in the view');
    const view = JSON.parse(text);
    assert.deepEqual(view.messages.map((m: { role: string }) => m.role), ['user', 'assistant']);
    assert.equal(view.messages[0].text, 'Do you have Frieren?');
    assert.ok(!text.includes('priceJpy') && !text.includes('inStock'));

    const page = await fetch(`${server.url}/s/${made.body.shareId}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.match(await page.text(), /<script type="module" src="\/shared.js"><\/script>/);
  });

  test("a signed-in customer's shared chat has no orders and no name", async () => {
    const bearer = await server.app.signToken({ sub: 'cust-1001', tier: 'member', name: '佐藤 花子' });
    const first = await chat(server, 'Where is my order?', { bearer });
    assert.match(first.text, /MA-\d{8}-\d{4}/, 'the owner was told their order');
    await chat(server, 'Do you have Frieren? 佐藤花子です', { bearer, sessionId: first.sessionId });
    assert.equal((await share(server, { sessionId: first.sessionId })).status, 404, 'without the sign-in');
    const made = await share(server, { sessionId: first.sessionId }, bearer);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const text = await (await fetch(`${server.url}/v1/shared/${made.body.shareId}`)).text();
    const view = JSON.parse(text);
    assert.deepEqual(view.messages.map((m: { role: string; leftOut?: string }) => m.leftOut ?? m.role), ['orders', 'user', 'assistant']);
    for (const secret of ['MA-', '佐藤', '花子', 'cust-1001']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
  });

  test('1,000 concurrent opens of one link, then waves: the shares table sees one read', async () => {
    const c = await chat(server, 'Do you have Frieren?');
    const { shareId } = (await share(server, { sessionId: c.sessionId, resumeToken: c.resumeToken })).body;
    const before = reads();
    const burst = await openMany(server, shareId, 1000);
    assert.deepEqual([...new Set(burst.map((r) => r.status))], [200]);
    assert.equal(new Set(burst.map((r) => r.body)).size, 1, 'everyone sees the same copy');
    assert.equal(reads() - before, 1, 'one GetItem for 1,000 concurrent opens');
    for (let wave = 0; wave < 5; wave++) assert.ok((await openMany(server, shareId, 200)).every((r) => r.status === 200));
    assert.equal(reads() - before, 1, 'and none for 1,000 more in waves');
    const metrics = await scrapeMetrics(server.url);
    assert.ok(counter(metrics, 'mangaassist_cache_lookups_total', 'cache="shared",result="coalesced"') > 0);
  });

  test('throttled reads are retried with backoff and counted; past the retries everyone waiting gets 503 + Retry-After, once', async () => {
    const c = await chat(server, 'Do you have Frieren?');
    const throttlesBefore = counter(await scrapeMetrics(server.url), 'mangaassist_store_throttles_total', 'store="shares"');

    const retried = (await share(server, { sessionId: c.sessionId, resumeToken: c.resumeToken })).body.shareId;
    let before = reads();
    proxy.throttle({ count: 2, operation: 'GetItem', table: SHARES });
    const ok = await openMany(server, retried, 200);
    assert.deepEqual([...new Set(ok.map((r) => r.status))], [200], 'two throttles absorbed by the backoff');
    assert.equal(reads() - before, 3, 'one read, throttled twice, answered the third time');

    const failing = (await share(server, { sessionId: c.sessionId, resumeToken: c.resumeToken })).body.shareId;
    before = reads();
    proxy.throttle({ count: 4, operation: 'GetItem', table: SHARES });
    const refused = await openMany(server, failing, 200);
    assert.deepEqual([...new Set(refused.map((r) => r.status))], [503]);
    for (const r of refused) {
      assert.ok(['1', '2', '3'].includes(r.retryAfter ?? ''), `Retry-After ${r.retryAfter}`);
      assert.equal(JSON.parse(r.body).code, 'unavailable');
    }
    assert.equal(reads() - before, 4, 'the first try and three retries, for all 200 opens together');
    const throttles = counter(await scrapeMetrics(server.url), 'mangaassist_store_throttles_total', 'store="shares"') - throttlesBefore;
    assert.equal(throttles, 6, 'every throttled attempt counted (2 + 4)');
    // Once the store answers again, so does the link.
    assert.equal((await fetch(`${server.url}/v1/shared/${failing}`)).status, 200);
  });

  test('revocation: only by the owner; the link is gone at once and its later opens stay off the store', async () => {
    const c = await chat(server, 'Do you have Frieren?');
    const { shareId } = (await share(server, { sessionId: c.sessionId, resumeToken: c.resumeToken })).body;
    assert.equal((await openMany(server, shareId, 50)).filter((r) => r.status === 200).length, 50);
    const del = (body?: unknown) => fetch(`${server.url}/v1/shares/${shareId}`, { method: 'DELETE', ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
    assert.equal((await del()).status, 404, 'no credential');
    assert.equal((await del({ resumeToken: 'B'.repeat(43) })).status, 404, 'a wrong token');
    assert.equal((await fetch(`${server.url}/v1/shared/${shareId}`)).status, 200, 'still shared');
    assert.equal((await del({ resumeToken: c.resumeToken })).status, 200);
    const before = reads();
    const after = await openMany(server, shareId, 300);
    assert.deepEqual([...new Set(after.map((r) => r.status))], [404]);
    assert.equal(reads() - before, 1, 'one read finds it gone; the rest are answered from the cache');
    assert.equal((await del({ resumeToken: c.resumeToken })).status, 404, 'already revoked');
  });

  test('ids that are not share ids never reach the store', async () => {
    const before = reads();
    for (const id of ['x', 'A'.repeat(40), '..%2F..%2Fetc', 'AAAAAAAAAAAAAAAAAAAAA%3D']) assert.equal((await fetch(`${server.url}/v1/shared/${id}`)).status, 404);
    assert.equal(reads() - before, 0);
  });
});
