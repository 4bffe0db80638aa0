// Store throttling is counted for the alarm: a real SQLite lock held past busy_timeout, and
// DynamoDB's throttle exceptions by name; other failures are not throttles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { countThrottles, isStoreThrottle, markThrottleCounted } from '../../src/observability/store-throttle.ts';

test('a write blocked by another connection\'s lock is a throttle, counted and rethrown unchanged', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'throttle-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'x.sqlite');
  const holder = new DatabaseSync(file);
  holder.exec('PRAGMA journal_mode=WAL; CREATE TABLE t(x)');
  holder.exec('BEGIN IMMEDIATE');
  const writer = new DatabaseSync(file);
  writer.exec('PRAGMA busy_timeout=10');
  let throttles = 0;
  const store = countThrottles({ add: (x: number) => writer.prepare('INSERT INTO t VALUES (?)').run(x), async addLater(x: number) { return writer.prepare('INSERT INTO t VALUES (?)').run(x); } }, () => throttles++);
  assert.throws(() => store.add(1), (e: unknown) => isStoreThrottle(e));
  return assert.rejects(store.addLater(2), (e: unknown) => isStoreThrottle(e)).then(() => {
    assert.equal(throttles, 2);
    holder.exec('COMMIT');
    store.add(3);
    assert.equal(throttles, 2, 'a write that succeeds counts nothing');
    assert.equal(store.add, store.add, 'one wrapper per method');
    holder.close();
    writer.close();
  });
});

test('DynamoDB throttle exceptions are throttles; other errors are not', () => {
  for (const name of ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']) assert.equal(isStoreThrottle(Object.assign(new Error('x'), { name })), true, name);
  assert.equal(isStoreThrottle(Object.assign(new Error('constraint'), { code: 'ERR_SQLITE_ERROR', errcode: 19 })), false);
  assert.equal(isStoreThrottle(new Error('database is locked')), false, 'decided by code, not by message text');
  assert.equal(isStoreThrottle(undefined), false);
  let counted = 0;
  const store = countThrottles({ fail: () => { throw new Error('boom'); } }, () => counted++);
  assert.throws(() => store.fail(), /boom/);
  assert.equal(counted, 0);
});

test('a throttle the adapter already counted (each retried attempt) is not counted again, and is still a throttle', async () => {
  let counted = 0;
  const throttle = () => Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
  const store = countThrottles({ async counted() { throw markThrottleCounted(throttle()); }, async uncounted() { throw throttle(); } }, () => counted++);
  await assert.rejects(store.counted(), (e: unknown) => isStoreThrottle(e) && (e as Error).message === 'slow down');
  assert.equal(counted, 0);
  await assert.rejects(store.uncounted());
  assert.equal(counted, 1);
});
