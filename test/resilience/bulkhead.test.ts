import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BulkheadPolicy } from 'cockatiel';
import { createBulkhead } from '../../src/resilience/bulkhead.ts';
import { DependencyError } from '../../src/resilience/types.ts';
import { deferred, flush } from './helpers.ts';

/** Timers fired by hand. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let id = 0;
  return {
    setTimer(fn: () => void, ms: number) {
      const key = ++id;
      pending.set(key, { fn, ms });
      return () => pending.delete(key);
    },
    fireAll() {
      const due = [...pending.values()];
      pending.clear();
      for (const t of due) t.fn();
    },
    size: () => pending.size,
  };
}

const isFull = (e: unknown) => e instanceof DependencyError && e.reason === 'bulkhead_full' && e.dependency === 'catalog';

test('bounded concurrency and a bounded queue: one over is refused at once', async () => {
  const timers = manualTimers();
  const b = createBulkhead({ dependency: 'catalog', concurrency: 2, queue: 1, checkoutTimeoutMs: 100, setTimer: timers.setTimer });
  const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
  const runs = gates.map((g) => b.run(() => g.promise));
  await flush();
  assert.equal(b.inUse(), 2);
  assert.equal(b.queued(), 1);
  await assert.rejects(b.run(async () => 'x'), isFull);
  gates[0].resolve('a');
  assert.equal(await runs[0], 'a');
  await flush();
  assert.equal(b.inUse(), 2, 'the freed slot went straight to the waiter');
  assert.equal(b.queued(), 0);
  assert.equal(timers.size(), 0, 'its checkout timer was cancelled');
  gates[1].resolve('b');
  gates[2].resolve('c');
  assert.deepEqual(await Promise.all(runs), ['a', 'b', 'c']);
  assert.equal(b.inUse(), 0);
});

test('waiters get slots in arrival order', async () => {
  const b = createBulkhead({ dependency: 'catalog', concurrency: 1, queue: 10, checkoutTimeoutMs: Infinity });
  const order: number[] = [];
  const first = deferred<void>();
  const all = [b.run(() => first.promise)];
  for (let i = 1; i <= 5; i++) all.push(b.run(async () => void order.push(i)));
  first.resolve();
  await Promise.all(all);
  assert.deepEqual(order, [1, 2, 3, 4, 5]);
});

test('checkout timeout: the waiter leaves the queue with bulkhead_full', async () => {
  const timers = manualTimers();
  const b = createBulkhead({ dependency: 'catalog', concurrency: 1, queue: 5, checkoutTimeoutMs: 100, setTimer: timers.setTimer });
  const gate = deferred<void>();
  const holder = b.run(() => gate.promise);
  let ran = false;
  const waiter = b.run(async () => void (ran = true));
  assert.equal(b.queued(), 1);
  timers.fireAll();
  await assert.rejects(waiter, (e: unknown) => isFull(e) && /checkout timeout/.test((e as Error).message));
  assert.equal(b.queued(), 0);
  gate.resolve();
  await holder;
  assert.equal(ran, false);
  assert.equal(b.inUse(), 0, 'the slot was not handed to the waiter that had left');
});

test('an aborted waiter leaves the queue at once and frees its place', async () => {
  const b = createBulkhead({ dependency: 'catalog', concurrency: 1, queue: 1, checkoutTimeoutMs: Infinity });
  const gate = deferred<void>();
  const holder = b.run(() => gate.promise);
  const ac = new AbortController();
  const waiter = b.run(async () => 'never', ac.signal);
  assert.equal(b.queued(), 1);
  const reason = new Error('customer left');
  ac.abort(reason);
  assert.equal(b.queued(), 0, 'left synchronously, not when it would have reached the head');
  await assert.rejects(waiter, (e) => e === reason);
  const next = b.run(async () => 'next'); // the place is free again
  gate.resolve();
  await holder;
  assert.equal(await next, 'next');
});

test('contrast: cockatiel keeps an aborted waiter in its queue (the reason for our own)', async () => {
  const p = new BulkheadPolicy(1, 1);
  const gate = deferred<void>();
  const holder = p.execute(() => gate.promise);
  const ac = new AbortController();
  const waiter = p.execute(async () => 'never', ac.signal);
  waiter.catch(() => {});
  ac.abort();
  assert.equal(p.queueSlots, 0, 'cockatiel still counts the cancelled waiter');
  gate.resolve();
  await holder;
});

test('an already aborted signal never takes a slot; a throwing fn gives its slot back', async () => {
  const b = createBulkhead({ dependency: 'catalog', concurrency: 1, queue: 0, checkoutTimeoutMs: 10 });
  const ac = new AbortController();
  ac.abort(new Error('gone'));
  await assert.rejects(b.run(async () => 1, ac.signal), /gone/);
  await assert.rejects(b.run(async () => { throw new Error('boom'); }), /boom/);
  assert.equal(b.inUse(), 0);
  const release = await b.acquire();
  release();
  release();
  assert.equal(b.inUse(), 0, 'releasing twice gives back one slot');
});

test('invalid sizes are refused', () => {
  assert.throws(() => createBulkhead({ dependency: 'x', concurrency: 0, queue: 1, checkoutTimeoutMs: 1 }), RangeError);
  assert.throws(() => createBulkhead({ dependency: 'x', concurrency: 1, queue: -1, checkoutTimeoutMs: 1 }), RangeError);
});
