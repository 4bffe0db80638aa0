/**
 * A shared link opened on two nodes that share DynamoDB (dynalite, behind a counting proxy) and
 * Redis (CACHE_BACKEND=redis: each node's in-process tier plus the shared one; BUS_BACKEND=redis:
 * the fleet bus), as two machines behind a load balancer would: the store sees about one read for
 * the whole fleet, and a revocation on one node is in force on both before DELETE answers.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, scrapeMetrics, type TestServer } from '../helpers/server.ts';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.ts';
import { startThrottleProxy, type ThrottleProxy } from '../helpers/dynamo-throttle-proxy.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { dynamoTableNames } from '../../src/composition/stores.ts';

const PREFIX = `share-fleet-${process.pid}-`;
const SHARES = dynamoTableNames(PREFIX).shares;

function counter(text: string, name: string, label: string): number {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) && l.includes(label)).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

async function opens(node: TestServer, shareId: string, n: number): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, async () => (await fetch(`${node.url}/v1/shared/${shareId}`)).status));
}

describe('a shared link on two nodes sharing Redis and DynamoDB', () => {
  let dynamo: TestDynamo;
  let proxy: ThrottleProxy;
  let redis: TestRedis;
  let a: TestServer;
  let b: TestServer;
  const reads = () => proxy.seen('GetItem', SHARES);

  before(async () => {
    dynamo = await startDynalite();
    proxy = await startThrottleProxy(dynamo.endpoint);
    redis = await startRedis();
    const env = {
      STORE_BACKEND: 'dynamodb',
      DYNAMODB_ENDPOINT: proxy.endpoint,
      DYNAMODB_CREATE_TABLES: 'true',
      DYNAMODB_TABLE_PREFIX: PREFIX,
      CACHE_BACKEND: 'redis',
      BUS_BACKEND: 'redis',
      BUS_HEARTBEAT_MS: '200',
      REDIS_URL: redis.url,
      SESSION_SECRET: 'share-fleet-session-secret-0123456789abcdef',
      AUTH_JWT_SECRET: 'share-fleet-jwt-secret-0123456789abcdef0123',
      CATALOG_REFRESH_INTERVAL_MS: '0',
    };
    a = await startTestServer({ ...env, NODE_ID: 'node-a' });
    b = await startTestServer({ ...env, NODE_ID: 'node-b' });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
    await proxy?.close();
    await dynamo?.stop();
  });

  /** A guest chats on node A and shares it there. */
  async function shared(): Promise<{ shareId: string; resumeToken: string }> {
    const res = await fetch(`${a.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Do you have Frieren?' }) });
    const c = (await res.json()) as { sessionId: string; resumeToken: string };
    const made = await fetch(`${a.url}/v1/shares`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: c.sessionId, resumeToken: c.resumeToken }) });
    assert.equal(made.status, 201);
    return { shareId: ((await made.json()) as { shareId: string }).shareId, resumeToken: c.resumeToken };
  }

  test('1,000 opens at once, half on each node: at most one store read per node, then none', async () => {
    const { shareId } = await shared();
    const before = reads();
    const [onA, onB] = await Promise.all([opens(a, shareId, 500), opens(b, shareId, 500)]);
    assert.deepEqual([...new Set([...onA, ...onB])], [200]);
    const first = reads() - before;
    assert.ok(first >= 1 && first <= 2, `${first} reads: each node's own read, or one node's copy from Redis`);
    for (let wave = 0; wave < 3; wave++) {
      const [wa, wb] = await Promise.all([opens(a, shareId, 200), opens(b, shareId, 200)]);
      assert.ok([...wa, ...wb].every((s) => s === 200));
    }
    assert.equal(reads() - before, first, 'no more reads for the waves');
  });

  test('a node that has not read the link gets it from Redis: one store read for the fleet', async () => {
    const { shareId } = await shared();
    const before = reads();
    const writesBefore = counter(await scrapeMetrics(a.url), 'mangaassist_cache_l2_operations_total', 'op="write",outcome="ok"');
    assert.deepEqual(await opens(a, shareId, 1), [200]);
    // Node A writes the copy to Redis in the background, off the open's path: wait until it has.
    for (let i = 0; counter(await scrapeMetrics(a.url), 'mangaassist_cache_l2_operations_total', 'op="write",outcome="ok"') === writesBefore; i++) {
      assert.ok(i < 200, 'node A wrote its copy to Redis');
      await sleep(10);
    }
    // B's first open finds A's copy in Redis (one at a time here: with a burst of a thousand the
    // first read can miss its Redis deadline on a busy event loop and read the store itself, the
    // previous test's case); the thousand after it share B's copy.
    const l2HitsBefore = counter(await scrapeMetrics(b.url), 'mangaassist_cache_lookups_total', 'cache="shared",result="l2_hit"');
    assert.deepEqual(await opens(b, shareId, 1), [200]);
    assert.equal(counter(await scrapeMetrics(b.url), 'mangaassist_cache_lookups_total', 'cache="shared",result="l2_hit"') - l2HitsBefore, 1);
    const onB = await opens(b, shareId, 1000);
    assert.deepEqual([...new Set(onB)], [200]);
    assert.equal(reads() - before, 1, 'one GetItem for 1,002 opens on two nodes');
  });

  test('revoked on node A: gone on both nodes when DELETE answers', async () => {
    const { shareId, resumeToken } = await shared();
    const [onA, onB] = await Promise.all([opens(a, shareId, 100), opens(b, shareId, 100)]);
    assert.ok([...onA, ...onB].every((s) => s === 200), 'both nodes hold a copy');
    const del = await fetch(`${a.url}/v1/shares/${shareId}`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resumeToken }) });
    assert.equal(del.status, 200);
    const [afterA, afterB] = await Promise.all([opens(a, shareId, 100), opens(b, shareId, 100)]);
    assert.deepEqual([...new Set([...afterA, ...afterB])], [404]);
  });
});
