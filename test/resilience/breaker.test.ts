import { test, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { NotCounted, createBreaker, type CircuitChange } from '../../src/resilience/breaker.ts';
import { DependencyError } from '../../src/resilience/types.ts';

beforeEach(() => mock.timers.enable({ apis: ['Date'], now: 5_000_000 }));
afterEach(() => mock.timers.reset());

const options = { dependency: 'reranker', failureRatio: 0.5, windowMs: 10_000, minimumRps: 0.5, openMs: 1000, latencyP99Ms: 500, latencyWindowMs: 30_000, latencyMinSamples: 20 };
const ok = async () => ({ value: 'ok', durationMs: 10 });
const boom = async (): Promise<{ value: string; durationMs: number }> => {
  throw new Error('boom');
};

async function open(b: ReturnType<typeof createBreaker>) {
  for (let i = 0; i < 5; i++) await b.execute(boom).catch(() => {}); // minimumRps 0.5 over 10 s: 5 calls
  assert.equal(b.state(), 'open');
}

test('NotCounted outcomes are rethrown unwrapped and never open the circuit', async () => {
  const b = createBreaker(options);
  const inner = new Error('no slot');
  for (let i = 0; i < 20; i++) {
    await assert.rejects(b.execute(async () => { throw new NotCounted(inner); }), (e) => e === inner);
  }
  assert.equal(b.state(), 'closed');
});

test('a half-open probe that ends NotCounted re-opens instead of closing', async () => {
  // cockatiel counts an unhandled error in half-open as a success ("task failed successfully"):
  // a probe that never reached the dependency must not close the circuit.
  const b = createBreaker(options);
  await open(b);
  mock.timers.tick(1000);
  await assert.rejects(b.execute(async () => { throw new NotCounted(new Error('pool full')); }), /pool full/);
  assert.equal(b.state(), 'open');
});

test('an open circuit refuses with breaker_open; state changes are reported with their cause', async () => {
  const b = createBreaker(options);
  const changes: CircuitChange[] = [];
  b.onStateChange((c) => changes.push(c));
  await open(b);
  await assert.rejects(b.execute(ok), (e) => e instanceof DependencyError && e.reason === 'breaker_open' && e.dependency === 'reranker');
  assert.equal(b.openedAt(), Date.now());
  mock.timers.tick(1000);
  assert.equal(await b.execute(ok), 'ok');
  assert.deepEqual(changes, [{ state: 'open', openedBy: 'failures' }, { state: 'half_open' }, { state: 'closed' }]);
  assert.equal(b.openedBy(), 'failures', 'the last cause is kept after recovery, for the status page');
});

test('invalid failure ratios are refused up front', () => {
  assert.throws(() => createBreaker({ ...options, failureRatio: 1 }), RangeError);
});
