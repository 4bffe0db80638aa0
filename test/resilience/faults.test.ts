import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InjectedFault, createFaultInjector, faultSpecSchema, parseFaults } from '../../src/resilience/faults.ts';
import { flush } from './helpers.ts';

const never = new AbortController().signal;

function sequence(...values: number[]) {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error('random() called more often than expected');
    return values[i++];
  };
}

test('no fault: apply resolves without waiting or drawing', async () => {
  const f = createFaultInjector({ random: sequence(), sleep: async () => assert.fail('slept') });
  await f.apply('catalog', never);
});

test('down fails at once, before any injected latency', async () => {
  const f = createFaultInjector({ sleep: async () => assert.fail('slept') });
  f.set('orders', { down: true, latencyMs: 5000 });
  await assert.rejects(f.apply('orders', never), (e) => e instanceof InjectedFault && e.kind === 'down' && e.dependency === 'orders');
  await f.apply('catalog', never);
});

test('latency waits the given time, and the wait is cut by the signal', async () => {
  const waits: number[] = [];
  const f = createFaultInjector({ sleep: async (ms) => void waits.push(ms) });
  f.set('catalog', { latencyMs: 2000 });
  await f.apply('catalog', never);
  assert.deepEqual(waits, [2000]);

  const real = createFaultInjector(); // real timer: a minute, cut short by the abort
  real.set('catalog', { latencyMs: 60_000 });
  const ac = new AbortController();
  const pending = real.apply('catalog', ac.signal);
  const reason = new Error('deadline');
  ac.abort(reason);
  await assert.rejects(pending, (e) => e === reason);
});

test('timeoutRate: the attempt hangs until its signal aborts', async () => {
  const f = createFaultInjector({ random: sequence(0.05, 0.5) });
  f.set('memory', { timeoutRate: 0.1 });
  const ac = new AbortController();
  let settled = false;
  const pending = f.apply('memory', ac.signal).finally(() => (settled = true));
  pending.catch(() => {});
  await flush();
  assert.equal(settled, false, 'still hanging');
  ac.abort(new Error('deadline'));
  await assert.rejects(pending, /deadline/);
  await f.apply('memory', never); // 0.5 >= 0.1: goes through
});

test('errorRate: fails when the draw is under the rate', async () => {
  const f = createFaultInjector({ random: sequence(0.3, 0.7) });
  f.set('orders', { errorRate: 0.5 });
  await assert.rejects(f.apply('orders', never), (e) => e instanceof InjectedFault && e.kind === 'error');
  await f.apply('orders', never);
});

test('set/get/list/clear, and set refuses nonsense', () => {
  const f = createFaultInjector();
  f.set('catalog', { latencyMs: 10 });
  f.set('orders', { errorRate: 1 });
  assert.deepEqual(f.list(), { catalog: { latencyMs: 10 }, orders: { errorRate: 1 } });
  f.get('catalog')!.latencyMs = 99; // a copy: the injector is not changed through it
  assert.deepEqual(f.get('catalog'), { latencyMs: 10 });
  f.clear('catalog');
  assert.equal(f.get('catalog'), undefined);
  f.clear();
  assert.deepEqual(f.list(), {});
  assert.throws(() => f.set('orders', { errorRate: 2 }), /errorRate/);
});

test('parseFaults reads the FAULTS setting', () => {
  assert.deepEqual(parseFaults('catalog:latency=2000;orders:error=0.5;reranker:down;memory:timeout=0.1,latency=50'), {
    catalog: { latencyMs: 2000 },
    orders: { errorRate: 0.5 },
    reranker: { down: true },
    memory: { timeoutRate: 0.1, latencyMs: 50 },
  });
  assert.deepEqual(parseFaults(''), {});
  assert.deepEqual(parseFaults(' catalog : down=false ; '), { catalog: { down: false } });
});

test('parseFaults names what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['catalog', /expected <dependency>:<setting>/],
    ['catalog:slow=3', /unknown setting "slow"/],
    ['catalog:latency=fast', /"latency" needs a number/],
    ['catalog:latency', /"latency" needs a number/],
    ['orders:error=1.5', /orders:error=1.5.*errorRate/],
    ['catalog:latency=-1', /latencyMs/],
    ['catalog:latency=60001', /latencyMs/],
    ['catalog:down=yes', /down takes no value/],
    ['catalog:down;catalog:latency=5', /given twice/],
    ['catalog:latency=1,latency=2', /given twice/],
    [':down', /not a dependency name/],
  ];
  for (const [text, message] of cases) assert.throws(() => parseFaults(text), message, text);
  // Names and settings that are also Object.prototype keys are plain names, nothing more.
  assert.deepEqual(parseFaults('constructor:down'), { constructor: { down: true } });
  assert.throws(() => parseFaults('catalog:toString=1'), /unknown setting "toString"/);
});

test('faultSpecSchema: admin body bounds, unknown keys refused', () => {
  assert.equal(faultSpecSchema.safeParse({ latencyMs: 60_000, errorRate: 0, timeoutRate: 1, down: false }).success, true);
  assert.equal(faultSpecSchema.safeParse({}).success, true);
  for (const bad of [{ latencyMs: 60_001 }, { errorRate: -0.1 }, { timeoutRate: 1.01 }, { down: 'yes' }, { latency: 5 }, { errorRate: '0.5' }]) {
    assert.equal(faultSpecSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});
