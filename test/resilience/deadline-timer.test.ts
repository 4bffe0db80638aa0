import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDeadline } from '../../src/resilience/deadline-timer.ts';

test('a deadline still running after the turn it started in fires, once', async () => {
  let fired = 0;
  const done = new Promise<void>((resolve) => startDeadline(5, () => { fired++; resolve(); }));
  await done;
  await sleep(20);
  assert.equal(fired, 1);
});

test('a deadline cleared in the turn it started in, or after its timer was armed, never fires', async () => {
  let fired = 0;
  startDeadline(1, () => fired++).clear();
  const later = startDeadline(10, () => fired++);
  await new Promise((resolve) => setImmediate(resolve));
  later.clear();
  await sleep(30);
  assert.equal(fired, 0);
});

test('a turn longer than the deadline: it fires right after that turn', async () => {
  let fired = false;
  const started = performance.now();
  startDeadline(5, () => { fired = true; });
  while (performance.now() - started < 15) { /* a long synchronous turn */ }
  // The deadline is armed when the loop turns (its setImmediate, queued before ours), for the time
  // left: none, so it fires with the first timers due after that, before a timer set after it.
  // (Waiting sleep(5) from here raced: a process descheduled for 5 ms at that point ran the
  // sleep's timer in the timers phase before the check phase armed the deadline; seen once in
  // npm test, 2026-12-07.)
  await new Promise((resolve) => setImmediate(resolve));
  await sleep(1);
  assert.equal(fired, true);
});
