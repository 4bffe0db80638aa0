import { test, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createFaultInjector, type FaultInjector } from '../../src/resilience/faults.ts';
import { createDependencyGuard, type GuardEvent, type GuardOptions } from '../../src/resilience/guard.ts';
import { DependencyError, type FailureReason } from '../../src/resilience/types.ts';
import { deferred, flush } from './helpers.ts';

// cockatiel's breaker reads Date.now, so Date is mocked and moved by hand: the open period and
// every duration below are exact. Real timers stay real; only the deadline tests use them.
beforeEach(() => mock.timers.enable({ apis: ['Date'], now: 1_000_000 }));
afterEach(() => mock.timers.reset());
const tick = (ms: number) => mock.timers.tick(ms);

function makeGuard(over: { retry?: Partial<GuardOptions['retry']>; breaker?: Partial<GuardOptions['breaker']>; bulkhead?: Partial<GuardOptions['bulkhead']>; faults?: FaultInjector } = {}) {
  const events: GuardEvent[] = [];
  const sleeps: number[] = [];
  const guard = createDependencyGuard({
    dependency: 'catalog',
    faults: over.faults ?? createFaultInjector({ random: () => 0.5 }),
    retry: { maxRetries: 2, baseMs: 20, maxMs: 200, budget: { ratio: 0.2, minPerSec: 100, windowMs: 10_000 }, ...over.retry },
    breaker: { failureRatio: 0.5, windowMs: 10_000, minimumRps: 1, openMs: 30_000, latencyWindowMs: 30_000, latencyMinSamples: 20, ...over.breaker },
    bulkhead: { concurrency: 10, queue: 10, checkoutTimeoutMs: 1000, ...over.bulkhead },
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    events: (e) => events.push(e),
  });
  return { guard, events, sleeps };
}

const failing = () => {
  const calls = { n: 0 };
  const run = async (): Promise<string> => {
    calls.n++;
    throw new Error('HTTP 503');
  };
  return { calls, run };
};

const reasonIs = (reason: FailureReason) => (e: unknown) => e instanceof DependencyError && e.reason === reason && e.dependency === 'catalog';
const idem = { deadlineMs: 1000, idempotent: true };

// ---- retries ----

test('an idempotent call is retried at most twice, with full-jitter delays', async () => {
  const { guard, events, sleeps } = makeGuard();
  const { calls, run } = failing();
  await assert.rejects(guard.call(run, idem), (e: unknown) => reasonIs('error')(e) && (e as Error).cause instanceof Error);
  assert.equal(calls.n, 3);
  assert.deepEqual(sleeps, [10, 20], 'random 0.5 of caps 20 and 40');
  assert.deepEqual(events.filter((e) => e.type !== 'circuit').map((e) => e.type), ['retry', 'retry', 'failure']);
});

test('a retry that succeeds returns the value', async () => {
  const { guard, events } = makeGuard();
  let n = 0;
  const value = await guard.call(async () => (++n === 1 ? Promise.reject(new Error('blip')) : 'ok'), idem);
  assert.equal(value, 'ok');
  assert.deepEqual(events.map((e) => e.type), ['retry', 'success']);
});

test('a non-idempotent call is never retried', async () => {
  const { guard } = makeGuard();
  const { calls, run } = failing();
  await assert.rejects(guard.call(run, { deadlineMs: 1000, idempotent: false }), reasonIs('error'));
  assert.equal(calls.n, 1);
});

test('no retry once the retry budget is spent', async () => {
  const { guard } = makeGuard({ retry: { budget: { ratio: 0, minPerSec: 0.2, windowMs: 10_000 } } }); // 2 retries per 10 s
  const { calls, run } = failing();
  await assert.rejects(guard.call(run, idem));
  assert.equal(calls.n, 3);
  assert.equal(guard.status().retryBudgetLeft, 0);
  await assert.rejects(guard.call(run, idem));
  assert.equal(calls.n, 4, 'the second call got no retry');
});

test('no retry when the backoff plus a useful attempt cannot fit before the deadline', async () => {
  const { guard, sleeps } = makeGuard({ retry: { minAttemptMs: 20 } });
  let n = 0;
  const slowFailure = async (): Promise<string> => {
    n++;
    tick(85); // 15 ms left of 100: the 10 ms delay fits, the 20 ms attempt after it does not
    throw new Error('HTTP 500');
  };
  await assert.rejects(guard.call(slowFailure, { deadlineMs: 100, idempotent: true }), reasonIs('error'));
  assert.equal(n, 1);
  assert.deepEqual(sleeps, []);
  const before = guard.status().retryBudgetLeft;
  n = 0;
  await assert.rejects(guard.call(slowFailure, { deadlineMs: 200, idempotent: true }));
  assert.equal(n, 2, 'with 200 ms the first retry fits, the second does not');
  assert.equal(guard.status().retryBudgetLeft, before - 1, 'a retry that did not happen spent no budget');
});

test('an open circuit and a full pool are not retried', async () => {
  const { guard } = makeGuard({ bulkhead: { concurrency: 1, queue: 0 } });
  const gate = deferred<string>();
  const holder = guard.call(() => gate.promise, idem);
  let n = 0;
  await assert.rejects(guard.call(async () => void n++, idem), reasonIs('bulkhead_full'));
  assert.equal(n, 0);
  gate.resolve('x');
  await holder;
});

test('injected faults are treated like the dependency\'s own errors, retries included', async () => {
  const faults = createFaultInjector();
  faults.set('catalog', { down: true });
  const { guard, events } = makeGuard({ faults });
  let called = 0;
  await assert.rejects(guard.call(async () => void called++, idem), (e: unknown) => reasonIs('error')(e) && /injected fault: down/.test((e as Error).message));
  assert.equal(called, 0);
  assert.equal(events.filter((e) => e.type === 'retry').length, 2);
});

test('a caller who leaves during the backoff gets its own reason at once, and no further attempt', async () => {
  const ac = new AbortController();
  const reason = new Error('customer left');
  const guard = createDependencyGuard({
    dependency: 'catalog',
    faults: createFaultInjector(),
    retry: { maxRetries: 2, baseMs: 20, maxMs: 200, budget: { ratio: 1, minPerSec: 10, windowMs: 10_000 } },
    breaker: { failureRatio: 0.5, windowMs: 10_000, minimumRps: 1, openMs: 30_000, latencyWindowMs: 30_000, latencyMinSamples: 20 },
    bulkhead: { concurrency: 1, queue: 0, checkoutTimeoutMs: 100 },
    random: () => 0.5,
    sleep: (_ms, signal) => {
      setImmediate(() => ac.abort(reason)); // the customer goes away while we wait
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    },
  });
  let n = 0;
  await assert.rejects(guard.call(async () => { n++; throw new Error('503'); }, { ...idem, signal: ac.signal }), (e) => e === reason);
  assert.equal(n, 1);
});

// ---- breaker ----

async function openByFailures(guard: ReturnType<typeof makeGuard>['guard']) {
  const { run } = failing();
  // minimumRps 1 over 10 s: 10 calls in the window before the ratio counts.
  for (let i = 0; i < 10; i++) {
    await assert.rejects(guard.call(run, { deadlineMs: 1000, idempotent: false }), reasonIs('error'));
    tick(100);
  }
}

test('sustained failures open the circuit; it then fails fast without calling', async () => {
  const { guard, events } = makeGuard();
  await openByFailures(guard);
  const status = guard.status();
  assert.equal(status.circuit, 'open');
  assert.equal(status.openedBy, 'failures');
  assert.equal(status.openedAt, Date.now() - 100);
  let called = false;
  await assert.rejects(guard.call(async () => void (called = true), idem), reasonIs('breaker_open'));
  assert.equal(called, false);
  assert.deepEqual(events.filter((e) => e.type === 'circuit').map((e) => e.state), ['open']);
  assert.equal(events.at(-1)!.reason, 'breaker_open');
});

test('fewer failures than the ratio keep it closed', async () => {
  const { guard } = makeGuard();
  for (let i = 0; i < 30; i++) {
    const fail = i % 3 === 0;
    await guard.call(async () => (fail ? Promise.reject(new Error('x')) : 'ok'), { deadlineMs: 1000, idempotent: false }).catch(() => {});
    tick(100);
  }
  assert.equal(guard.status().circuit, 'closed');
});

test('open for openMs, then one half-open probe; recovery closes it', async () => {
  const { guard, events } = makeGuard();
  await openByFailures(guard);
  tick(30_000 - 101);
  let calls = 0;
  await assert.rejects(guard.call(async () => void calls++, idem), reasonIs('breaker_open'));
  assert.equal(calls, 0, 'still open 1 ms before openMs');
  tick(1);
  const probeGate = deferred<string>();
  const probe = guard.call(async () => (calls++, probeGate.promise), idem);
  await flush();
  assert.equal(guard.status().circuit, 'half_open');
  // Everyone else fails fast while the probe is out: one call on the dependency, no pile-up.
  const others = await Promise.allSettled([1, 2, 3].map(() => guard.call(async () => void calls++, idem)));
  assert.ok(others.every((r) => r.status === 'rejected' && reasonIs('breaker_open')(r.reason)));
  assert.equal(calls, 1);
  probeGate.resolve('fresh');
  assert.equal(await probe, 'fresh');
  assert.equal(guard.status().circuit, 'closed');
  assert.equal(await guard.call(async () => 'normal', idem), 'normal');
  assert.deepEqual(events.filter((e) => e.type === 'circuit').map((e) => e.state), ['open', 'half_open', 'closed']);
});

test('a failed probe re-opens the circuit for another openMs', async () => {
  const { guard } = makeGuard();
  await openByFailures(guard);
  tick(30_000);
  const { calls, run } = failing();
  await assert.rejects(guard.call(run, idem), reasonIs('error'));
  assert.equal(calls.n, 1, 'a failed probe is not retried into the circuit it re-opened');
  assert.equal(guard.status().circuit, 'open');
  assert.equal(guard.status().openedAt, Date.now());
  tick(29_999);
  await assert.rejects(guard.call(run, idem), reasonIs('breaker_open'));
  assert.equal(calls.n, 1);
});

test('deadline timeouts count as failures for the breaker', async () => {
  const faults = createFaultInjector({ random: () => 0 });
  faults.set('catalog', { timeoutRate: 1 });
  const { guard } = makeGuard({ faults });
  for (let i = 0; i < 10; i++) {
    await assert.rejects(guard.call(async () => 'never reached', { deadlineMs: 5, idempotent: true }), reasonIs('timeout'));
  }
  assert.equal(guard.status().circuit, 'open');
  assert.equal(guard.status().openedBy, 'failures');
});

test('a full pool and a caller who left do not count against the dependency', async () => {
  const { guard } = makeGuard({ bulkhead: { concurrency: 1, queue: 0 } });
  const gate = deferred<string>();
  const holder = guard.call(() => gate.promise, idem);
  for (let i = 0; i < 20; i++) await assert.rejects(guard.call(async () => 'x', idem), reasonIs('bulkhead_full'));
  gate.resolve('ok');
  await holder;
  for (let i = 0; i < 20; i++) {
    const ac = new AbortController();
    const reason = new Error('customer closed the chat');
    const pending = guard.call(() => new Promise<string>(() => {}), { deadlineMs: 1000, idempotent: true, signal: ac.signal });
    ac.abort(reason);
    await assert.rejects(pending, (e) => e === reason, 'the caller gets its own reason back');
  }
  assert.equal(guard.status().circuit, 'closed');
});

test('calls of two guards under one caller signal: those still running when it aborts get its reason, one that settled before keeps its value', async () => {
  const { guard } = makeGuard();
  const { guard: other } = makeGuard();
  const ac = new AbortController();
  const reason = new Error('customer closed the chat');
  const seen: AbortSignal[] = [];
  const hang = (signal: AbortSignal) => ((seen.push(signal), new Promise<string>(() => {})));
  const opts = { deadlineMs: 1000, idempotent: true, signal: ac.signal };
  assert.equal(await guard.call(async () => 'early', opts), 'early');
  const pending = [guard.call(hang, opts), other.call(hang, opts), guard.call(hang, opts)];
  ac.abort(reason);
  for (const p of pending) await assert.rejects(p, (e) => e === reason, 'each caller gets its own reason back');
  assert.deepEqual(seen.map((s) => s.aborted), [true, true, true], "every attempt's signal was aborted");
  await assert.rejects(guard.call(async () => 'late', opts), (e) => e === reason, 'a call made after the abort is refused at once');
});

// ---- latency breaker ----

const latencyBreaker = { latencyP99Ms: 500, latencyWindowMs: 30_000, latencyMinSamples: 20 };

/** One call per second taking `ms` of (mocked) time. */
async function callsTaking(guard: ReturnType<typeof makeGuard>['guard'], ms: number, seconds: number, until?: () => boolean) {
  for (let s = 0; s < seconds; s++) {
    if (until?.()) return s;
    await guard
      .call(async () => {
        tick(ms);
        return 'ok';
      }, idem)
      .catch(() => {});
    tick(1000 - ms);
  }
  return seconds;
}

test('sustained slow successes open the circuit (p99 > 500 ms for 30 s); the caller still gets its value', async () => {
  const { guard, events } = makeGuard({ breaker: latencyBreaker });
  const opened = () => guard.status().circuit === 'open';
  const after = await callsTaking(guard, 900, 60, opened);
  assert.ok(opened(), 'opened');
  assert.ok(after >= 30 && after <= 37, `opened after ${after} s of slow calls`);
  assert.equal(guard.status().openedBy, 'latency');
  assert.ok(guard.status().p99Ms > 500);
  // The call that tripped it succeeded: a success event, not a failure.
  const lastCall = events.filter((e) => e.type === 'success' || e.type === 'failure').at(-1)!;
  assert.equal(lastCall.type, 'success');
});

test('a brief latency blip does not open it', async () => {
  const { guard } = makeGuard({ breaker: latencyBreaker });
  await callsTaking(guard, 40, 10);
  await callsTaking(guard, 900, 4); // 4 s blip; keeps the window's p99 high for ~30 s
  await callsTaking(guard, 40, 50);
  assert.equal(guard.status().circuit, 'closed');
});

test('latency breaker off when latencyP99Ms is unset', async () => {
  const { guard } = makeGuard({ breaker: { latencyWindowMs: 30_000, latencyMinSamples: 20 } });
  await callsTaking(guard, 900, 60);
  assert.equal(guard.status().circuit, 'closed');
  assert.ok(guard.status().p99Ms > 500, 'p99 is still reported');
});

test('a slow probe re-opens; a fast one closes and forgets the old slow samples', async () => {
  const { guard } = makeGuard({ breaker: latencyBreaker });
  await callsTaking(guard, 900, 60, () => guard.status().circuit === 'open');
  tick(30_000);
  const slowProbe = await guard.call(async () => (tick(600), 'late'), idem);
  assert.equal(slowProbe, 'late');
  assert.equal(guard.status().circuit, 'open');
  assert.equal(guard.status().openedBy, 'latency');
  tick(30_000);
  await guard.call(async () => (tick(50), 'quick'), idem);
  assert.equal(guard.status().circuit, 'closed');
  assert.ok(guard.status().p99Ms < 100, `window reset, p99 ${guard.status().p99Ms}`);
  await callsTaking(guard, 900, 3);
  assert.equal(guard.status().circuit, 'closed', 'a few slow calls after recovery do not re-open it');
});

// ---- deadline (real timers) ----

test('an adapter that ignores its signal still returns to the caller at the deadline', async () => {
  mock.timers.reset(); // real clock: the deadline is a real timer
  const { guard } = makeGuard({ bulkhead: { concurrency: 1, queue: 0 } });
  const stuck = deferred<string>();
  let seen: AbortSignal | undefined;
  await assert.rejects(
    guard.call((signal) => ((seen = signal), stuck.promise), { deadlineMs: 30, idempotent: true }),
    reasonIs('timeout'),
  );
  assert.equal(seen?.aborted, true, "the attempt's signal was aborted at the deadline");
  assert.equal(guard.status().inUse, 1, 'the pool slot stays taken while the adapter still runs');
  stuck.resolve('too late');
  await flush();
  assert.equal(guard.status().inUse, 0);
});

test('the deadline bounds the whole call, backoff included', async () => {
  mock.timers.reset();
  const events: GuardEvent[] = [];
  const guard = createDependencyGuard({
    dependency: 'catalog',
    faults: createFaultInjector(),
    retry: { maxRetries: 2, baseMs: 10_000, maxMs: 10_000, minAttemptMs: 0, budget: { ratio: 1, minPerSec: 100, windowMs: 10_000 } },
    breaker: { failureRatio: 0.5, windowMs: 10_000, minimumRps: 1, openMs: 30_000, latencyWindowMs: 30_000, latencyMinSamples: 20 },
    bulkhead: { concurrency: 1, queue: 0, checkoutTimeoutMs: 1000 },
    random: () => 0.001, // a 10 ms backoff: fits in 40 ms
    events: (e) => events.push(e),
  });
  let n = 0;
  const run = async (signal: AbortSignal) => {
    if (++n === 1) throw new Error('first fails');
    return new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted by signal'))));
  };
  await assert.rejects(guard.call(run, { deadlineMs: 40, idempotent: true }), reasonIs('timeout'));
  assert.equal(n, 2);
  assert.deepEqual(events.map((e) => e.type), ['retry', 'failure']);
});

test('a deadline of zero or less is refused as "budget" without calling', async () => {
  const { guard } = makeGuard();
  await assert.rejects(guard.call(async () => assert.fail('called'), { deadlineMs: 0, idempotent: true }), reasonIs('budget'));
});

test('status reports the pool, budget, fault and circuit', async () => {
  const faults = createFaultInjector();
  faults.set('catalog', { latencyMs: 5 });
  const { guard } = makeGuard({ faults, bulkhead: { concurrency: 3, queue: 7 } });
  assert.deepEqual(guard.status(), {
    dependency: 'catalog',
    circuit: 'closed',
    inUse: 0,
    queued: 0,
    concurrency: 3,
    queueLimit: 7,
    p99Ms: 0,
    retryBudgetLeft: 1000,
    fault: { latencyMs: 5 },
  });
});
