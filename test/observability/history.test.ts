import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Registry } from 'prom-client';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createMetricsHistory, histogramQuantile } from '../../src/observability/history.ts';

function setup(opts: { retentionMs?: number; maxSamples?: number } = {}) {
  const metrics = createMetrics({ defaultMetrics: false });
  const clock = { t: 1_000_000 };
  const history = createMetricsHistory({ registry: metrics.registry, retentionMs: opts.retentionMs ?? 3_600_000, maxSamples: opts.maxSamples, now: () => clock.t });
  /** Moves the clock to `t` and samples. */
  const sampleAt = async (t: number) => {
    clock.t = t;
    await history.sample();
  };
  return { metrics, history, clock, sampleAt };
}

const T0 = 1_000_000;
const MSG = 'mangaassist_messages_total';
const FT = 'mangaassist_first_token_seconds';

test('increase handles counter resets like Prometheus and documents its window edges', async () => {
  const { metrics, history, sampleAt } = setup();
  const c = metrics.messages;
  c.inc({ intent: 'faq', outcome: 'answered' }, 5);
  await sampleAt(T0);
  assert.equal(history.increase(MSG, { windowMs: 60_000 }).size, 0, 'one sample spans nothing');
  c.inc({ intent: 'faq', outcome: 'answered' }, 3); // 8
  await sampleAt(T0 + 15_000);
  metrics.registry.resetMetrics(); // a restart: the series vanishes and comes back lower
  c.inc({ intent: 'faq', outcome: 'answered' }, 2); // 2
  await sampleAt(T0 + 30_000);
  c.inc({ intent: 'faq', outcome: 'answered' }, 4); // 6
  await sampleAt(T0 + 45_000);

  // 5 → 8 → 2 → 6: 3 + 2 (drop counts from 0) + 4.
  assert.deepEqual([...history.increase(MSG, { windowMs: 60_000 })], [['', 9]]);
  // Newest sample at or before at - windowMs: 45 - 15 = 30 → 30..45.
  assert.equal(history.increase(MSG, { windowMs: 15_000 }).get(''), 4);
  // 45 - 20 = 25 → the sample at 15.
  assert.equal(history.increase(MSG, { windowMs: 20_000 }).get(''), 6);
  assert.deepEqual(history.window({ windowMs: 20_000 }), { from: T0 + 15_000, to: T0 + 45_000 });
  // Longer than the history: from the oldest sample.
  assert.equal(history.increase(MSG, { windowMs: 3_600_000 }).get(''), 9);
  // Ending earlier.
  assert.equal(history.increase(MSG, { windowMs: 15_000, at: T0 + 20_000 }).get(''), 3);
  // Before the first sample: nothing.
  assert.equal(history.increase(MSG, { windowMs: 15_000, at: T0 - 1 }).size, 0);
  assert.equal(history.window({ windowMs: 1, at: T0 }), null);
  assert.throws(() => history.increase(MSG, {}), /windowMs or from/);
});

test('increase groups by labels, matches exactly and by anchored RegExp, and counts series born inside the window from 0', async () => {
  const { metrics, history, sampleAt } = setup();
  const c = metrics.messages;
  c.inc({ intent: 'faq', outcome: 'answered' }, 10);
  c.inc({ intent: 'order', outcome: 'failed' }, 1);
  await sampleAt(T0);
  c.inc({ intent: 'faq', outcome: 'answered' }, 7);
  c.inc({ intent: 'faq', outcome: 'unanswered' }, 2); // born here
  c.inc({ intent: 'order', outcome: 'failed' }, 3);
  await sampleAt(T0 + 10_000);

  const w = { windowMs: 10_000 };
  assert.deepEqual(Object.fromEntries(history.increase(MSG, { ...w, by: ['intent'] })), { faq: 9, order: 3 });
  assert.deepEqual(Object.fromEntries(history.increase(MSG, { ...w, by: ['intent', 'outcome'] })), { 'faq,answered': 7, 'order,failed': 3, 'faq,unanswered': 2 });
  assert.equal(history.increase(MSG, { ...w, match: { outcome: /failed|unanswered/ } }).get(''), 5);
  assert.equal(history.increase(MSG, { ...w, match: { outcome: /fail/ } }).size, 0, 'anchored like PromQL =~');
  assert.equal(history.increase(MSG, { ...w, match: { intent: 'order' } }).get(''), 3);
  assert.equal(history.increase(MSG, { ...w, match: { missing: '' } }).get(''), 12, 'an absent label reads as ""');
  assert.equal(history.increase('mangaassist_nothing_total', w).size, 0);
  // Explicit from: the chart points use consecutive samples.
  assert.equal(history.increase(MSG, { from: T0, at: T0 + 10_000 }).get(''), 12);
  assert.deepEqual(history.labelValues(MSG, 'outcome'), ['answered', 'failed', 'unanswered']);
});

test('gauge reads the newest sample at or before at, summed or maxed per group', async () => {
  const { metrics, history, sampleAt } = setup();
  metrics.circuitState.set({ dependency: 'catalog' }, 0);
  metrics.circuitState.set({ dependency: 'orders' }, 1);
  let queued: [number, number, number] = [1, 2, 3];
  metrics.readLlmPools(() => [{ pool: 'large', size: 10, inUse: 4, queued }]);
  await sampleAt(T0);
  metrics.circuitState.set({ dependency: 'catalog' }, 2);
  queued = [0, 0, 5];
  await sampleAt(T0 + 15_000);

  assert.deepEqual(Object.fromEntries(history.gauge('mangaassist_circuit_state', { by: ['dependency'] })), { catalog: 2, orders: 1 });
  assert.deepEqual(Object.fromEntries(history.gauge('mangaassist_circuit_state', { by: ['dependency'], at: T0 + 14_999 })), { catalog: 0, orders: 1 });
  assert.equal(history.gauge('mangaassist_circuit_state', { agg: 'max' }).get(''), 2);
  assert.equal(history.gauge('mangaassist_llm_pool_queued', { by: ['pool'] }).get('large'), 5);
  assert.equal(history.gauge('mangaassist_llm_pool_queued', { by: ['pool'], at: T0 }).get('large'), 6);
  assert.equal(history.gauge('mangaassist_llm_pool_size').get(''), 10);
  assert.equal(history.gauge('mangaassist_llm_pool_size', { at: T0 - 1 }).size, 0);
});

test('quantile matches hand-computed histogram_quantile over the window only, summed over label sets', async () => {
  const { metrics, history, sampleAt } = setup();
  const h = metrics.firstTokenSeconds;
  // Before the window: would drag every quantile up if counted.
  for (let i = 0; i < 50; i++) h.observe({ priority: 'P0', route: 'large' }, 4);
  await sampleAt(T0);
  assert.equal(history.quantile(0.5, FT, { windowMs: 60_000 }), null, 'one sample: no window');
  // 100 observations: 50 in (0.25, 0.5], 40 in (0.5, 0.75], 9 in (2, 3], 1 above 5 (+Inf), over two label sets.
  for (let i = 0; i < 50; i++) h.observe({ priority: 'P0', route: 'small' }, 0.3);
  for (let i = 0; i < 40; i++) h.observe({ priority: 'P1', route: 'small' }, 0.6);
  for (let i = 0; i < 9; i++) h.observe({ priority: 'P1', route: 'large' }, 2.5);
  h.observe({ priority: 'P2', route: 'large' }, 10);
  await sampleAt(T0 + 60_000);

  const w = { windowMs: 60_000 };
  const close = (actual: number | null, expected: number) => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≈ ${expected}`);
  close(history.quantile(0.25, FT, w), 0.25 + 0.25 * (25 / 50));
  close(history.quantile(0.5, FT, w), 0.5);
  close(history.quantile(0.9, FT, w), 0.75);
  close(history.quantile(0.95, FT, w), 2 + 1 * (5 / 9));
  close(history.quantile(0.99, FT, w), 3);
  close(history.quantile(0.995, FT, w), 5); // rank in +Inf: the highest finite bound
  // P1 alone: 40 in (0.5, 0.75] and 9 in (2, 3]; rank 24.5.
  close(history.quantile(0.5, FT, { ...w, match: { priority: 'P1' } }), 0.5 + 0.25 * (24.5 / 40));
  const byPriority = history.quantileBy(0.5, FT, { ...w, by: ['priority'] });
  close(byPriority.get('P0')!, 0.25 + 0.25 * (25 / 50));
  close(byPriority.get('P2')!, 5);
  // Nothing observed in the next window.
  await sampleAt(T0 + 120_000);
  assert.equal(history.quantile(0.5, FT, w), null);
  assert.equal(history.quantileBy(0.5, FT, { ...w, by: ['priority'] }).get('P0'), null);
});

test('histogramQuantile edge cases follow Prometheus', () => {
  const b = (pairs: [number, number][]) => new Map(pairs);
  assert.equal(histogramQuantile(0.5, b([[1, 0], [Infinity, 0]])), null);
  assert.equal(histogramQuantile(0.5, b([[1, 3]])), null, 'no +Inf bucket');
  assert.equal(histogramQuantile(0.5, b([[1, 10], [2, 20], [Infinity, 20]])), 1, 'rank 10 sits at the top of the first bucket');
  assert.equal(histogramQuantile(0.75, b([[1, 10], [2, 20], [Infinity, 20]])), 1.5);
  assert.equal(histogramQuantile(-1, b([[1, 1], [Infinity, 1]])), -Infinity);
  assert.equal(histogramQuantile(2, b([[1, 1], [Infinity, 1]])), Infinity);
  // A non-monotonic input (summed across a reset) is evened out instead of answering nonsense.
  assert.equal(histogramQuantile(0.5, b([[1, 10], [2, 8], [Infinity, 20]])), 1);
});

test('retention drops old samples, the count is capped, and series gone from every kept sample are compacted away', async () => {
  const { metrics, history, sampleAt } = setup({ retentionMs: 60_000, maxSamples: 5 });
  metrics.connections.set({ transport: 'ws' }, 1);
  for (let i = 0; i <= 3; i++) await sampleAt(T0 + i * 30_000);
  assert.deepEqual(history.times(), [T0 + 30_000, T0 + 60_000, T0 + 90_000], 'older than 60 s before the latest: dropped');
  for (let i = 4; i <= 12; i++) await sampleAt(T0 + i * 10_000);
  assert.equal(history.stats().samples, 5);
  assert.equal(history.latest(), T0 + 120_000);

  const before = history.stats().series;
  metrics.connections.remove({ transport: 'ws' });
  assert.equal(history.gauge('mangaassist_connections', { by: ['transport'] }).get('ws'), 1);
  for (let i = 13; i <= 18; i++) await sampleAt(T0 + i * 10_000);
  assert.equal(history.stats().series, before - 1);
  assert.equal(history.gauge('mangaassist_connections', { by: ['transport'] }).size, 0);
  // Values of the surviving series are still where they were after the re-indexing.
  assert.equal(history.gauge('mangaassist_brownout_level').get(''), 0);
  metrics.messages.inc({ intent: 'faq', outcome: 'answered' }, 4);
  await sampleAt(T0 + 190_000);
  assert.equal(history.increase(MSG, { windowMs: 10_000 }).get(''), 4);

  // A clock that does not move replaces the last sample rather than adding a zero-length step.
  const n = history.stats().samples;
  await sampleAt(T0 + 190_000);
  assert.equal(history.stats().samples, n);
});

test('memory stays bounded: 800 samples of ~2,000 series keep 720 samples of one Float64Array each', async () => {
  const { metrics, history, sampleAt } = setup({ retentionMs: 24 * 3_600_000 });
  for (let i = 0; i < 2000; i++) metrics.dependencyCalls.inc({ dependency: `dep-${i}`, outcome: 'ok' });
  for (let i = 0; i < 800; i++) {
    metrics.dependencyCalls.inc({ dependency: `dep-${i}`, outcome: 'ok' });
    await sampleAt(T0 + i * 5000);
  }
  const s = history.stats();
  assert.equal(s.samples, 720);
  assert.ok(s.series >= 2000 && s.series < 2100, `series ${s.series}`);
  assert.equal(s.bytes, 720 * s.series * 8);
  assert.equal(history.times()[0], T0 + 80 * 5000);
  assert.equal(history.increase('mangaassist_dependency_calls_total', { windowMs: 5000, match: { dependency: 'dep-799' } }).get(''), 1);
});

test('start() keeps sampling after a failing read, stop() ends it', async () => {
  let calls = 0;
  const errors: unknown[] = [];
  const metrics = createMetrics({ defaultMetrics: false });
  const registry = {
    async getMetricsAsJSON() {
      calls++;
      if (calls === 1) throw new Error('collect hook failed');
      return metrics.registry.getMetricsAsJSON();
    },
  } as unknown as Registry;
  let t = T0;
  const history = createMetricsHistory({ registry, retentionMs: 60_000, now: () => (t += 1000), onError: (e) => errors.push(e) });
  history.start(5);
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (history.stats().samples >= 2) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  history.stop();
  const after = calls;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(calls, after, 'no reads after stop()');
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /collect hook failed/);
});
