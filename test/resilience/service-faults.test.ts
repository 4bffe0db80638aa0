import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFaultInjector, parseFaults } from '../../src/resilience/faults.ts';
import { shareFaults } from '../../src/resilience/service-faults.ts';
import { createInProcessMessageBus } from '../../src/messaging/in-process-bus.ts';

// Fault changes for the whole service: injectors joined on one bus stand for the processes here
// (test/service/workers-admin.test.ts runs it across real workers).

test('a change made through one process is applied by every process before it answers', async () => {
  const bus = createInProcessMessageBus();
  const [a, b] = [createFaultInjector(), createFaultInjector()];
  const sa = shareFaults(a, bus);
  shareFaults(b, bus);
  await sa.set('catalog', { down: true });
  assert.deepEqual(b.list(), { catalog: { down: true } });
  await sa.set('orders', { errorRate: 0.5 });
  await sa.clear('catalog');
  assert.deepEqual(b.list(), { orders: { errorRate: 0.5 } });
  await sa.clear();
  assert.deepEqual([a.list(), b.list()], [{}, {}]);
  assert.equal((await sa.processes()).length, 2);
  await bus.close();
});

test('a process that joins later replays the changes in order and starts with the service\'s faults', async () => {
  const bus = createInProcessMessageBus();
  const first = shareFaults(createFaultInjector(), bus);
  await first.set('catalog', { down: true });
  await first.set('reviews', { latencyMs: 5 });
  await first.clear();
  await first.set('orders', { errorRate: 0.25 });
  await first.set('catalog', { latencyMs: 10 });
  await first.clear('reviews');
  // Started with FAULTS of its own, as every worker is; the service's later changes win.
  const late = createFaultInjector();
  for (const [dependency, spec] of Object.entries(parseFaults('reviews:down;memory:timeout=0.1'))) late.set(dependency, spec);
  shareFaults(late, bus);
  assert.deepEqual(late.list(), { orders: { errorRate: 0.25 }, catalog: { latencyMs: 10 } });
  assert.deepEqual(late.list(), first.list());
  await bus.close();
});

test('each process reports its own faults and the attempts that met them', async () => {
  const bus = createInProcessMessageBus();
  const a = createFaultInjector();
  const sa = shareFaults(a, bus);
  await sa.set('catalog', { errorRate: 1 });
  await assert.rejects(a.apply('catalog', new AbortController().signal), /injected fault/);
  await a.apply('orders', new AbortController().signal);
  const [report] = await sa.processes();
  assert.deepEqual(report, { pid: process.pid, faults: { catalog: { errorRate: 1 } }, injected: { catalog: 1 } });
  await bus.close();
});
