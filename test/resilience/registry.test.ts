import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFaultInjector } from '../../src/resilience/faults.ts';
import type { GuardEvent } from '../../src/resilience/guard.ts';
import { createGuards, type GuardDefaults } from '../../src/resilience/registry.ts';

const defaults: GuardDefaults = {
  faults: createFaultInjector(),
  retry: { maxRetries: 2, baseMs: 20, maxMs: 200, budget: { ratio: 0.2, minPerSec: 5, windowMs: 10_000 } },
  breaker: { failureRatio: 0.5, windowMs: 10_000, minimumRps: 2, openMs: 30_000, latencyWindowMs: 30_000, latencyMinSamples: 20 },
  bulkhead: { concurrency: 256, queue: 1024, checkoutTimeoutMs: 100 },
};

test('one guard per name, overrides per dependency, unknown names refused', () => {
  const guards = createGuards(['catalog', 'llm'] as const, defaults, { llm: { bulkhead: { concurrency: 1024 }, retry: { budget: { ratio: 0 } } } });
  assert.equal(guards.get('catalog').dependency, 'catalog');
  assert.deepEqual(guards.all().map((g) => g.dependency), ['catalog', 'llm']);
  const [catalog, llm] = guards.statuses();
  assert.equal(catalog.concurrency, 256);
  assert.equal(llm.concurrency, 1024);
  assert.equal(llm.queueLimit, 1024, 'fields not overridden keep their default');
  assert.equal(catalog.retryBudgetLeft, 50);
  assert.equal(llm.retryBudgetLeft, 50, 'budget override merged field by field: minPerSec kept');
  assert.throws(() => guards.get('orders'), /No guard for dependency "orders"/);
  assert.throws(() => createGuards(['catalog'], defaults, { catlog: {} } as never), /unknown dependency "catlog"/);
  assert.throws(() => createGuards(['catalog', 'catalog'], defaults), /twice/);
});

test('options may be a function of the name; guards are independent', async () => {
  const seen: string[] = [];
  const guards = createGuards(['memory', 'orders'], (dependency) => ({
    ...defaults,
    dependency,
    bulkhead: { ...defaults.bulkhead, concurrency: dependency === 'memory' ? 1 : 2, queue: 0 },
    events: (e: GuardEvent) => seen.push(`${e.dependency}:${e.type}`),
  }));
  let release!: () => void;
  const held = guards.get('memory').call(() => new Promise<void>((r) => (release = r)), { deadlineMs: 1000, idempotent: true });
  await assert.rejects(guards.get('memory').call(async () => 1, { deadlineMs: 1000, idempotent: true }), /memory/);
  assert.equal(await guards.get('orders').call(async () => 2, { deadlineMs: 1000, idempotent: true }), 2, "memory's full pool is not orders'");
  release();
  await held;
  assert.deepEqual(seen, ['memory:failure', 'orders:success', 'memory:success']);
  assert.throws(() => createGuards(['memory'], () => ({ ...defaults, dependency: 'orders' })), /name another dependency/);
});
