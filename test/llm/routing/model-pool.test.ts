import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModelPool, type ModelPoolEvent } from '../../../src/llm/routing/model-pool.ts';
import { PoolRejectedError, type Lease, type Priority } from '../../../src/llm/routing/types.ts';

/** Lets pending promise callbacks run. */
const flush = () => new Promise<void>((r) => setImmediate(r));

const rejectedWith = (priority: Priority, reason: 'queue_full' | 'wait_timeout') => (e: unknown) =>
  e instanceof PoolRejectedError && e.pool === 'large' && e.priority === priority && e.reason === reason;

const big = { 1: 1000, 2: 1000 };

test('a freed slot goes to P0, then P1, then P2, whatever the arrival order; FIFO within a priority', async () => {
  const pool = createModelPool({ name: 'large', size: 1, queueLimit: big });
  const holder = await pool.acquire(2);
  const order: string[] = [];
  const arrivals: [string, Priority][] = [['g1', 2], ['m1', 1], ['g2', 2], ['p1', 0], ['m2', 1], ['p2', 0], ['g3', 2], ['m3', 1]];
  const waits = arrivals.map(([label, p]) =>
    pool.acquire(p).then((lease) => {
      order.push(label);
      assert.equal(pool.inUse(), 1);
      lease.release(); // hands the slot to the next waiter
    }),
  );
  assert.equal(pool.queued(), 8);
  assert.deepEqual([pool.queued(0), pool.queued(1), pool.queued(2)], [2, 3, 3]);
  holder.release();
  await Promise.all(waits);
  assert.deepEqual(order, ['p1', 'p2', 'm1', 'm2', 'm3', 'g1', 'g2', 'g3']);
  assert.equal(pool.inUse(), 0);
  assert.equal(pool.queued(), 0);
});

test('FIFO within one priority', async () => {
  const pool = createModelPool({ name: 'large', size: 2, queueLimit: big });
  const held = [await pool.acquire(1), await pool.acquire(1)];
  const order: number[] = [];
  const waits: Promise<Lease>[] = [];
  for (let i = 0; i < 6; i++) waits.push(pool.acquire(1).then((l) => (order.push(i), l)));
  for (const h of held) h.release();
  for (let i = 0; i < 6; i++) (await waits[i]).release();
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
});

test('P0 is never refused, past both queue limits', async () => {
  const pool = createModelPool({ name: 'large', size: 1, queueLimit: { 1: 0, 2: 0 }, maxWaitMs: { 1: 1, 2: 1 } });
  const holder = await pool.acquire(0);
  await assert.rejects(pool.acquire(1), rejectedWith(1, 'queue_full'));
  await assert.rejects(pool.acquire(2), rejectedWith(2, 'queue_full'));
  const prime = Array.from({ length: 200 }, () => pool.acquire(0));
  assert.equal(pool.queued(0), 200);
  holder.release();
  for (const p of prime) (await p).release();
  assert.equal(pool.inUse(), 0);
});

test('P1 and P2 are refused with queue_full past their own limits', async () => {
  const events: ModelPoolEvent[] = [];
  const pool = createModelPool({ name: 'large', size: 1, queueLimit: { 1: 2, 2: 1 }, events: (e) => events.push(e) });
  const holder = await pool.acquire(1);
  const queued = [pool.acquire(1), pool.acquire(1), pool.acquire(2)];
  await assert.rejects(pool.acquire(1), rejectedWith(1, 'queue_full'));
  await assert.rejects(pool.acquire(2), rejectedWith(2, 'queue_full'));
  assert.equal(pool.queued(), 3, 'the refused ones did not queue');
  assert.deepEqual(
    events.filter((e) => e.type === 'rejected'),
    [
      { type: 'rejected', priority: 1, reason: 'queue_full' },
      { type: 'rejected', priority: 2, reason: 'queue_full' },
    ],
  );
  holder.release();
  for (const q of queued) (await q).release();
});

test('wait limits: P2 and P1 leave with wait_timeout, P0 waits on', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const events: ModelPoolEvent[] = [];
  const pool = createModelPool({ name: 'large', size: 1, queueLimit: big, maxWaitMs: { 1: 100, 2: 50 }, events: (e) => events.push(e) });
  const holder = await pool.acquire(1);
  const settled: string[] = [];
  const p2 = pool.acquire(2).catch((e) => (settled.push('p2'), e));
  const p1 = pool.acquire(1).catch((e) => (settled.push('p1'), e));
  const p0 = pool.acquire(0);
  t.mock.timers.tick(49);
  await flush();
  assert.deepEqual(settled, []);
  t.mock.timers.tick(1);
  assert.ok(rejectedWith(2, 'wait_timeout')(await p2));
  assert.equal(pool.queued(), 2);
  t.mock.timers.tick(50);
  assert.ok(rejectedWith(1, 'wait_timeout')(await p1));
  t.mock.timers.tick(1_000_000);
  await flush();
  assert.equal(pool.queued(0), 1, 'P0 has no wait limit');
  holder.release();
  (await p0).release();
  assert.deepEqual(
    events.filter((e) => e.type === 'rejected'),
    [
      { type: 'rejected', priority: 2, reason: 'wait_timeout' },
      { type: 'rejected', priority: 1, reason: 'wait_timeout' },
    ],
  );
});

test('a granted waiter’s wait timer is cancelled', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const pool = createModelPool({ name: 'large', size: 1, queueLimit: big, maxWaitMs: { 1: 100 } });
  const holder = await pool.acquire(1);
  const waiting = pool.acquire(1);
  holder.release();
  const lease = await waiting;
  t.mock.timers.tick(1000);
  await flush();
  assert.equal(pool.inUse(), 1, 'the lease is still held, no late rejection');
  lease.release();
});

test('abort while waiting: rejects with the signal reason and leaves the queue; abort after the grant changes nothing', async () => {
  const pool = createModelPool({ name: 'large', size: 1, queueLimit: { 1: 1, 2: 1 } });
  const holder = await pool.acquire(0);
  const ac = new AbortController();
  const aborted = pool.acquire(1, ac.signal);
  const next = pool.acquire(2);
  assert.equal(pool.queued(1), 1);
  const reason = new Error('client went away');
  ac.abort(reason);
  await assert.rejects(aborted, (e) => e === reason);
  assert.equal(pool.queued(1), 0);
  assert.equal(pool.queued(), 1);
  // The P1 queue place is free again.
  const again = new AbortController();
  const p1 = pool.acquire(1, again.signal);
  holder.release();
  const lease = await p1;
  again.abort(new Error('too late'));
  await flush();
  assert.equal(pool.inUse(), 1);
  lease.release();
  (await next).release();
  assert.equal(pool.inUse(), 0);
  // Already aborted: refused at once, no slot taken.
  const gone = AbortSignal.abort(new Error('already gone'));
  await assert.rejects(pool.acquire(0, gone), /already gone/);
  assert.equal(pool.inUse(), 0);
});

test('many aborted waiters are skipped and compacted; the live ones keep their order', async () => {
  const pool = createModelPool({ name: 'large', size: 1, queueLimit: big });
  const holder = await pool.acquire(0);
  const order: number[] = [];
  const live: Promise<Lease>[] = [];
  const aborted: Promise<unknown>[] = [];
  for (let i = 0; i < 5000; i++) {
    const ac = new AbortController();
    aborted.push(pool.acquire(0, ac.signal).catch(() => 'aborted'));
    ac.abort();
    if (i % 1000 === 0) live.push(pool.acquire(0).then((l) => (order.push(i), l)));
  }
  assert.equal(pool.queued(0), 5);
  assert.ok((await Promise.all(aborted)).every((r) => r === 'aborted'));
  holder.release();
  for (const l of live) (await l).release();
  assert.deepEqual(order, [0, 1000, 2000, 3000, 4000]);
  assert.equal(pool.inUse(), 0);
});

test('release is idempotent', async () => {
  const pool = createModelPool({ name: 'large', size: 2, queueLimit: big });
  const a = await pool.acquire(1);
  const b = await pool.acquire(1);
  const waiter = pool.acquire(1);
  a.release();
  a.release();
  await waiter;
  assert.equal(pool.inUse(), 2);
  b.release();
  b.release();
  assert.equal(pool.inUse(), 1);
});

test('a released slot goes straight to the waiter: a newcomer in the same tick queues behind it', async () => {
  const pool = createModelPool({ name: 'large', size: 1, queueLimit: big });
  const holder = await pool.acquire(2);
  const waiter = pool.acquire(2);
  holder.release();
  assert.equal(pool.inUse(), 1, 'the slot is taken again before anyone else runs');
  const newcomer = pool.acquire(0);
  assert.equal(pool.queued(0), 1, 'even a P0 newcomer waits: the slot was handed over');
  (await waiter).release();
  (await newcomer).release();
});

test('underPressure: every slot taken and at least pressureQueue waiting', async () => {
  const pool = createModelPool({ name: 'large', size: 2, queueLimit: big, pressureQueue: 3 });
  const held = [await pool.acquire(1)];
  const w: Promise<Lease>[] = [];
  w.push(pool.acquire(1), pool.acquire(1), pool.acquire(2));
  assert.equal(pool.underPressure(), false, '2 slots taken, 2 waiting');
  w.push(pool.acquire(0));
  assert.equal(pool.underPressure(), true);
  held[0].release();
  assert.equal(pool.underPressure(), false, 'one waiter got the slot: 2 waiting');
  const d = createModelPool({ name: 'large', size: 1, queueLimit: big });
  const dh = await d.acquire(1);
  const dw = Array.from({ length: 10 }, () => d.acquire(1));
  assert.equal(d.underPressure(), true, 'default pressureQueue is 10');
  dh.release();
  assert.equal(d.underPressure(), false);
  for (const x of dw) (await x).release();
  for (const x of w) (await x).release();
});

test('events: checkouts carry their wait from the injected clock', async () => {
  let clock = 1000;
  const events: ModelPoolEvent[] = [];
  const pool = createModelPool({ name: 'large', size: 1, queueLimit: big, now: () => clock, events: (e) => events.push(e) });
  const a = await pool.acquire(0);
  assert.equal(a.waitedMs, 0);
  const b = pool.acquire(2);
  clock += 250;
  a.release();
  const lease = await b;
  assert.equal(lease.waitedMs, 250);
  lease.release();
  assert.deepEqual(events, [
    { type: 'checkout', priority: 0, waitedMs: 0 },
    { type: 'checkout', priority: 2, waitedMs: 250 },
  ]);
});

test('bad options are refused', () => {
  assert.throws(() => createModelPool({ name: 'x', size: 0, queueLimit: big }), RangeError);
  assert.throws(() => createModelPool({ name: 'x', size: 1, queueLimit: { 1: -1, 2: 0 } }), RangeError);
  assert.throws(() => createModelPool({ name: 'x', size: 1, queueLimit: big, maxWaitMs: { 2: -5 } }), RangeError);
});
