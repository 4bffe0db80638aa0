// What the DynamoDB conversation memory adds to the contract: durability across processes, no
// lost turn when two nodes append to one conversation at once, the TTL attribute, real deletes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDynamoMemory, MEMORY_TABLE } from '../../src/memory/dynamodb-memory.ts';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.ts';
import { assistant, manualClock, user } from './memory.contract.ts';

const TTL = 30 * 60_000;

describe('dynamodb memory', () => {
  let dynamo: TestDynamo;
  before(async () => { dynamo = await startDynalite(); });
  after(() => dynamo.stop());

  it('survives a restart: another process on the same table reads every field back', async () => {
    const table = dynamo.table(MEMORY_TABLE);
    const clock = manualClock();
    const first = createDynamoMemory(table, { idleTtlMs: TTL, now: clock.now });
    const turn = [user('m1', 'ワンピースの最新巻は？', 1), { ...assistant('m1', ['one-piece'], 2), about: { focus: 'one-piece', volume: 107 } }];
    await first.append('s1', turn);
    first.close();
    const second = createDynamoMemory(table, { idleTtlMs: TTL, now: clock.now });
    assert.deepEqual(await second.load('s1'), turn);
    assert.equal(await second.hasMessage('s1', 'm1'), true);
    second.close();
  });

  it('two nodes appending to one conversation at once lose no turn (each write is conditional on the revision it read)', async () => {
    const table = dynamo.table(MEMORY_TABLE);
    const a = createDynamoMemory(table, { idleTtlMs: TTL, window: 50 });
    const b = createDynamoMemory(table, { idleTtlMs: TTL, window: 50 });
    // Both have read the conversation, so both hold the same revision when they write.
    await a.append('s1', [user('m0')]);
    await Promise.all([a.load('s1'), b.load('s1')]);
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? b : a).append('s1', [user(`m${i + 1}`), assistant(`m${i + 1}`)])));
    const loaded = await a.load('s1');
    assert.equal(loaded.length, 17);
    assert.deepEqual(new Set(loaded.filter((m) => m.role === 'user').map((m) => m.messageId)), new Set(Array.from({ length: 9 }, (_, i) => `m${i}`)));
    for (let i = 1; i <= 8; i++) {
      const at = loaded.findIndex((m) => m.messageId === `m${i}`);
      assert.deepEqual([loaded[at].role, loaded[at + 1].role, loaded[at + 1].messageId], ['user', 'assistant', `m${i}`], 'a turn is never split');
    }
    a.close();
    b.close();
  });

  it('writes the TTL attribute DynamoDB deletes by: the end of the idle time, in epoch seconds, moved by every append', async () => {
    const table = dynamo.table(MEMORY_TABLE);
    const clock = manualClock(1_800_000_000_500);
    const memory = createDynamoMemory(table, { idleTtlMs: TTL, now: clock.now });
    await memory.append('s1', [user('m1')]);
    const item = async () => (await table.get({ Key: { sessionId: 's1' }, ConsistentRead: true })).Item!;
    assert.equal((await item()).expiresAt, Math.ceil((1_800_000_000_500 + TTL) / 1000));
    clock.advance(60_000);
    await memory.append('s1', [user('m2')]);
    assert.equal((await item()).expiresAt, Math.ceil((1_800_000_060_500 + TTL) / 1000));
    memory.close();
  });

  it('expire() deletes the items, not just hides them', async () => {
    const table = dynamo.table(MEMORY_TABLE);
    const clock = manualClock();
    const memory = createDynamoMemory(table, { idleTtlMs: 1000, now: clock.now });
    await memory.append('s1', [user('m1'), assistant('m1')]);
    await memory.append('s2', [user('m2')]);
    clock.advance(1001);
    assert.equal(await memory.expire(), 2);
    assert.deepEqual((await table.scan({})).Items, []);
    memory.close();
  });
});
