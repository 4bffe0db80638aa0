// The design's scenario 4: a throttled DynamoDB request is retried after 100, 200 and 400 ms plus
// 0-50 ms of jitter, and every throttled attempt is counted, through a proxy that answers chosen
// requests with DynamoDB's own throttling errors.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDynamoClient, openTable, THROTTLE_BACKOFF_MS, THROTTLE_JITTER_MS, type DynamoClient, type TableOptions, type TableSpec } from '../../src/store/dynamodb.ts';
import { createDynamoMemory, MEMORY_TABLE } from '../../src/memory/dynamodb-memory.ts';
import { createDynamoOwnership, OWNERSHIP_TABLE } from '../../src/sessions/dynamodb-ownership.ts';
import { countThrottles, isStoreThrottle } from '../../src/observability/store-throttle.ts';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.ts';
import { startThrottleProxy, type ThrottleName, type ThrottleProxy } from '../helpers/dynamo-throttle-proxy.ts';
import { user, assistant } from '../memory/memory.contract.ts';

describe('DynamoDB throttling (scenario 4)', () => {
  let dynamo: TestDynamo;
  let proxy: ThrottleProxy;
  let client: DynamoClient;
  let tables = 0;
  before(async () => {
    dynamo = await startDynalite();
    proxy = await startThrottleProxy(dynamo.endpoint);
    client = createDynamoClient({ region: 'local', endpoint: proxy.endpoint });
  });
  after(async () => {
    client.destroy();
    await proxy.close();
    await dynamo.stop();
  });

  /** A table behind the proxy whose pauses are recorded instead of waited. */
  const table = async (spec: TableSpec, over: TableOptions = {}) => {
    const pauses: number[] = [];
    let throttles = 0;
    const name = `throttle-${++tables}`;
    const t = openTable(client, name, spec, { create: true, sleep: async (ms) => { pauses.push(ms); }, onThrottle: () => throttles++, ...over });
    await t.ready();
    return { table: t, name, pauses, throttles: () => throttles };
  };
  const inSchedule = (pauses: number[]) => pauses.every((ms, i) => ms >= THROTTLE_BACKOFF_MS[i] && ms < THROTTLE_BACKOFF_MS[i] + THROTTLE_JITTER_MS);

  it('a read throttled three times is answered by the fourth attempt, after 100/200/400 ms plus jitter, and counts three throttles', async () => {
    const { table: t, name, pauses, throttles } = await table(MEMORY_TABLE);
    const memory = createDynamoMemory(t, { idleTtlMs: 60_000 });
    await memory.append('s1', [user('m1', 'hello', 1), assistant('m1', ['one-piece'], 2)]);
    const before = proxy.seen('GetItem');
    proxy.throttle({ operation: 'GetItem', table: name, count: 3 });
    assert.deepEqual((await memory.load('s1')).map((m) => m.role), ['user', 'assistant']);
    assert.equal(proxy.seen('GetItem') - before, 4, 'three throttled attempts, then the one answered');
    assert.equal(throttles(), 3);
    assert.equal(pauses.length, 3);
    assert.ok(inSchedule(pauses), `pauses ${pauses.join(', ')} ms`);
    memory.close();
  });

  it('past three retries the throttle surfaces; every attempt is counted once, not again by the store proxy', async () => {
    const { table: t, name, pauses, throttles } = await table(OWNERSHIP_TABLE);
    let proxied = 0;
    const ownership = countThrottles(createDynamoOwnership(t, { ttlMs: 60_000 }), () => proxied++);
    proxy.throttle({ operation: 'PutItem', table: name, count: 4 });
    await assert.rejects(ownership.claim('s1', { kind: 'customer', customerId: 'c1' }), (e: Error) => e.name === 'ProvisionedThroughputExceededException' && isStoreThrottle(e));
    assert.equal(throttles(), 4, 'each of the four attempts');
    assert.equal(proxied, 0, 'the adapter counted them: the proxy does not count the last one twice');
    assert.ok(inSchedule(pauses) && pauses.length === 3, `pauses ${pauses.join(', ')} ms`);
    assert.equal(await ownership.ownerOf('s1'), undefined, 'a throttled write was not applied');
    assert.equal(await ownership.claim('s1', { kind: 'customer', customerId: 'c1' }), true, 'the next call goes through');
  });

  for (const error of ['ThrottlingException', 'RequestLimitExceeded'] as ThrottleName[]) {
    it(`${error} is retried and counted the same way`, async () => {
      const { table: t, name, throttles } = await table(OWNERSHIP_TABLE);
      const ownership = createDynamoOwnership(t, { ttlMs: 60_000 });
      proxy.throttle({ operation: 'PutItem', table: name, count: 2, error });
      assert.equal(await ownership.claim('s1', { kind: 'guest', tokenHash: 'a'.repeat(64) }), true);
      assert.equal(throttles(), 2);
    });
  }

  it('other errors are neither retried nor counted', async () => {
    const { table: t, throttles } = await table(OWNERSHIP_TABLE);
    const ownership = createDynamoOwnership(t, { ttlMs: 60_000 });
    await ownership.claim('s1', { kind: 'guest', tokenHash: 'a'.repeat(64) });
    const before = proxy.seen('PutItem');
    assert.equal(await ownership.claim('s1', { kind: 'guest', tokenHash: 'b'.repeat(64) }), false, 'a refused condition is an answer');
    assert.equal(proxy.seen('PutItem') - before, 1);
    await assert.rejects(t.get({ Key: { nope: 'x' } }), /ValidationException|key/i);
    assert.equal(throttles(), 0);
  });

  it("the caller's deadline ends the backoff: no attempt after it, the deadline's reason surfaces", async () => {
    const ac = new AbortController();
    const { table: t, name, throttles } = await table(MEMORY_TABLE, {
      sleep: (_ms, signal) => {
        ac.abort(new Error('memory deadline'));
        return Promise.reject(signal!.reason);
      },
    });
    const memory = createDynamoMemory(t, { idleTtlMs: 60_000 });
    proxy.throttle({ operation: 'GetItem', table: name, count: 1 });
    const before = proxy.seen('GetItem');
    await assert.rejects(memory.load('s1', { signal: ac.signal }), /memory deadline/);
    assert.equal(proxy.seen('GetItem') - before, 1);
    assert.equal(throttles(), 1);
  });

  it('with real timers, a throttled append waits out its backoff and is stored', async () => {
    const name = `throttle-real-${++tables}`;
    let throttles = 0;
    const t = openTable(client, name, MEMORY_TABLE, { create: true, onThrottle: () => throttles++ });
    await t.ready();
    const memory = createDynamoMemory(t, { idleTtlMs: 60_000 });
    proxy.throttle({ operation: 'PutItem', table: name, count: 2 });
    await memory.append('s1', [user('m1')]);
    assert.equal(throttles, 2);
    assert.deepEqual((await memory.load('s1')).map((m) => m.messageId), ['m1']);
  });
});
