import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRetryBudget } from '../../src/resilience/retry-budget.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function spend(budget: { tryRetry(): boolean }): number {
  let n = 0;
  while (n < 100_000 && budget.tryRetry()) n++;
  return n;
}

test('a quiet dependency may still retry minPerSec x window', () => {
  const c = clock();
  const budget = createRetryBudget({ ratio: 0, minPerSec: 5, windowMs: 10_000, now: c.now });
  assert.equal(budget.left(), 50);
  assert.equal(spend(budget), 50);
  assert.equal(budget.left(), 0);
  assert.equal(budget.tryRetry(), false);
});

test('each request earns `ratio` retries', () => {
  const c = clock();
  const budget = createRetryBudget({ ratio: 0.2, minPerSec: 0, windowMs: 10_000, now: c.now });
  for (let i = 0; i < 100; i++) budget.recordRequest();
  assert.equal(budget.left(), 20);
  assert.equal(spend(budget), 20);
  budget.recordRequest();
  budget.recordRequest();
  budget.recordRequest();
  budget.recordRequest();
  assert.equal(budget.left(), 0, '4 more requests earn 0.8 of a retry: not a whole one');
  budget.recordRequest();
  assert.equal(budget.tryRetry(), true);
});

test('during an outage retries add at most `ratio` to the load', () => {
  const c = clock();
  const budget = createRetryBudget({ ratio: 0.1, minPerSec: 1, windowMs: 10_000, now: c.now });
  let retries = 0;
  // 1000 calls over 10 s, every attempt fails, each call wants 2 retries.
  for (let i = 0; i < 1000; i++) {
    budget.recordRequest();
    for (let r = 0; r < 2; r++) if (budget.tryRetry()) retries++;
    c.advance(10);
  }
  assert.ok(retries <= 10 + 0.1 * 1000, `retries ${retries}`);
  assert.ok(retries >= 100, `budget should still allow its share, got ${retries}`);
});

test('the window slides: old requests and retries stop counting', () => {
  const c = clock();
  const budget = createRetryBudget({ ratio: 0.5, minPerSec: 0, windowMs: 10_000, now: c.now });
  for (let i = 0; i < 10; i++) budget.recordRequest();
  assert.equal(spend(budget), 5);
  c.advance(5_000);
  assert.equal(budget.left(), 0, 'half a window later both requests and retries still count');
  c.advance(5_001);
  assert.equal(budget.left(), 0, 'the earned retries left with their requests');
  for (let i = 0; i < 4; i++) budget.recordRequest();
  assert.equal(budget.left(), 2, 'the old retries no longer weigh on the new requests');
});
