import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createMetricsHistory } from '../../src/observability/history.ts';
import { ALARM_RULES } from '../../src/observability/alarm-table.ts';
import { createAlarmEvaluator } from '../../src/observability/alarms.ts';
import { buildOpsSummary } from '../../src/observability/ops-summary.ts';

const T0 = 1_700_000_000_000;

function setup() {
  const metrics = createMetrics({ defaultMetrics: false });
  const clock = { t: T0 };
  const history = createMetricsHistory({ registry: metrics.registry, retentionMs: 3_600_000, now: () => clock.t });
  const sampleAt = async (t: number) => {
    clock.t = t;
    await history.sample();
  };
  return { metrics, history, sampleAt };
}

function near(actual: number | null | undefined, expected: number, what = '') {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) < 1e-9, `${what} ${actual} ≈ ${expected}`);
}

test('no samples: empty series, null figures, zero gauges', () => {
  const { history } = setup();
  const s = buildOpsSummary(history, [], { at: T0 });
  assert.equal(s.at, T0);
  assert.equal(s.stepMs, 0);
  assert.equal(s.windowMs, 60_000);
  assert.deepEqual(s.series.times, []);
  assert.deepEqual(s.series.firstTokenMs, { p50: [], p95: [], p99: [] });
  assert.deepEqual(s.now, {
    messagesPerSec: null,
    errorRatio: null,
    escalationRatio: null,
    firstTokenMs: { p50: null, p95: null, p99: null },
    intents: {},
    outcomes: {},
    errorsByCode: {},
    segments: [],
    tokens: [],
    breakers: [],
    caches: [],
    pools: [],
    openChats: 0,
    openChatsCapacity: 0,
    guardrail: { checks: 0, blocked: 0, revised: 0 },
  });
  assert.deepEqual(s.alarms, []);
});

test('one sample: one chart point of nulls (nothing to compare it with), gauges read', async () => {
  const { metrics, history, sampleAt } = setup();
  metrics.messages.inc({ intent: 'faq', outcome: 'answered' }, 50);
  metrics.readConnections(() => ({ openChats: 7, byTransport: { ws: 7 } }));
  await sampleAt(T0);
  const s = buildOpsSummary(history, []);
  assert.deepEqual(s.series.times, [T0]);
  assert.deepEqual(s.series.messagesPerSec, [null]);
  assert.deepEqual(s.series.errorRatio, [null]);
  assert.deepEqual(s.series.openChats, [7]);
  assert.equal(s.now.messagesPerSec, null, 'the 50 were counted before the history began');
  assert.deepEqual(s.now.intents, {});
  assert.equal(s.now.openChats, 7);
});

test('a traffic step then a quiet step: rates, ratios, percentiles, segments slowest first, caches, breakers, pools, tokens', async () => {
  const { metrics, history, sampleAt } = setup();
  for (const [dependency, state] of [['search', 3], ['catalog', 0], ['reviews', 2], ['orders', 0]] as const) metrics.circuitState.set({ dependency }, state);
  metrics.openChatsCapacity.set(200);
  metrics.readConnections(() => ({ openChats: 42, byTransport: { ws: 40, sse: 2 } }));
  metrics.readLlmPools(() => [
    { pool: 'small', size: 20, inUse: 1, queued: [0, 0, 0] },
    { pool: 'large', size: 10, inUse: 4, queued: [1, 2, 3] },
  ]);
  metrics.segmentSeconds.observe({ segment: 'catalog' }, 0.05); // seen, but before the window
  await sampleAt(T0);

  // Step 1: 28 messages.
  metrics.messages.inc({ intent: 'faq', outcome: 'answered' }, 20);
  metrics.messages.inc({ intent: 'order', outcome: 'failed' }, 5);
  metrics.messages.inc({ intent: 'faq', outcome: 'blocked' }, 3);
  metrics.errors.inc({ code: 'internal' }, 5);
  metrics.escalations.inc({ event: 'opened' }, 2);
  metrics.escalations.inc({ event: 'closed' }, 9);
  for (let i = 0; i < 28; i++) {
    metrics.firstTokenSeconds.observe({ priority: 'P1', route: 'small' }, 0.2);
    metrics.replySeconds.observe({ intent: 'faq' }, 1.5);
  }
  for (let i = 0; i < 10; i++) {
    metrics.segmentSeconds.observe({ segment: 'understand' }, 0.004);
    metrics.segmentSeconds.observe({ segment: 'retrieval' }, 0.3);
  }
  metrics.llmTokens.inc({ model: 'large', priority: 'P1', direction: 'input' }, 1000);
  metrics.llmTokens.inc({ model: 'large', priority: 'P0', direction: 'output' }, 300);
  metrics.llmTokens.inc({ model: 'small', priority: 'P2', direction: 'input' }, 200);
  metrics.llmTokens.inc({ model: 'small', priority: 'P2', direction: 'output' }, 50);
  for (const [result, n] of [['hit', 6], ['stale', 1], ['l2_hit', 1], ['coalesced', 1], ['miss', 1]] as const) metrics.cacheLookups.inc({ cache: 'catalog', result }, n);
  metrics.cacheLookups.inc({ cache: 'reviews', result: 'miss' }, 4);
  for (const [result, n] of [['hit', 1], ['miss', 3], ['stored', 2], ['refused', 5]] as const) metrics.semanticCache.inc({ result }, n);
  metrics.guardrailChecks.inc({ stage: 'input', result: 'pass' }, 25);
  metrics.guardrailChecks.inc({ stage: 'input', result: 'blocked' }, 3);
  metrics.guardrailChecks.inc({ stage: 'output', result: 'pass' }, 24);
  metrics.guardrailChecks.inc({ stage: 'output', result: 'revised' }, 1);
  metrics.circuitState.set({ dependency: 'catalog' }, 1);
  await sampleAt(T0 + 15_000);
  // Step 2: quiet.
  await sampleAt(T0 + 30_000);

  const clock = { t: T0 + 30_000 };
  const evaluator = createAlarmEvaluator({ history, rules: ALARM_RULES, now: () => clock.t });
  const alarms = evaluator.evaluate();
  const s = buildOpsSummary(history, alarms);

  assert.equal(s.at, T0 + 30_000);
  assert.equal(s.stepMs, 15_000);
  const { series } = s;
  assert.deepEqual(series.times, [T0, T0 + 15_000, T0 + 30_000]);
  for (const [name, values] of Object.entries({ ...series, ...series.firstTokenMs, ...series.tokensPerSec })) {
    if (Array.isArray(values) && name !== 'times') assert.equal(values.length, 3, name);
  }
  assert.equal(series.messagesPerSec[0], null);
  near(series.messagesPerSec[1], 28 / 15);
  assert.equal(series.messagesPerSec[2], 0, 'a quiet step is a rate of 0');
  assert.deepEqual([series.errorRatio[0], series.errorRatio[2]], [null, null], 'a ratio without messages is a gap, not 0');
  near(series.errorRatio[1], 5 / 28);
  near(series.escalationRatio[1], 2 / 28);
  // 28 first tokens in (0.1, 0.25]: p50 = 0.1 + 0.15 × 14/28.
  near(series.firstTokenMs.p50[1], 175);
  assert.equal(series.firstTokenMs.p99[2], null);
  near(series.replyMs.p95[1], (1 + 1 * 0.95) * 1000);
  assert.deepEqual(Object.keys(series.segmentP95Ms), ['catalog', 'retrieval', 'understand']);
  near(series.segmentP95Ms.retrieval[1], (0.25 + 0.25 * 0.95) * 1000);
  assert.deepEqual([series.segmentP95Ms.catalog[1], series.segmentP95Ms.retrieval[2]], [null, null]);
  near(series.tokensPerSec.input[1], 1200 / 15);
  near(series.tokensPerSec.output[1], 350 / 15);
  assert.equal(series.tokensPerSec.output[2], 0);
  assert.deepEqual(series.openChats, [42, 42, 42]);

  const { now } = s;
  near(now.messagesPerSec, 28 / 30);
  near(now.errorRatio, 5 / 28);
  near(now.escalationRatio, 2 / 28);
  near(now.firstTokenMs.p50, 175);
  assert.deepEqual(now.intents, { faq: 23, order: 5 });
  assert.deepEqual(now.outcomes, { answered: 20, failed: 5, blocked: 3 });
  assert.deepEqual(now.errorsByCode, { internal: 5 });
  assert.deepEqual(
    now.segments.map((x) => [x.segment, x.count]),
    [['retrieval', 10], ['understand', 10], ['catalog', 0]],
    'slowest p95 first, a segment without observations last',
  );
  near(now.segments[1].p95Ms, (0.0025 + 0.0025 * 0.95) * 1000);
  assert.deepEqual([now.segments[2].p50Ms, now.segments[2].p95Ms, now.segments[2].p99Ms], [null, null, null]);
  assert.deepEqual(now.tokens, [
    { model: 'large', input: 1000, output: 300 },
    { model: 'small', input: 200, output: 50 },
  ]);
  assert.deepEqual(now.breakers, [
    { dependency: 'catalog', state: 'open' },
    { dependency: 'orders', state: 'closed' },
    { dependency: 'reviews', state: 'half_open' },
    { dependency: 'search', state: 'isolated' },
  ]);
  assert.deepEqual(now.caches, [
    { cache: 'catalog', lookups: 10, hitRatio: 0.9 },
    { cache: 'reviews', lookups: 4, hitRatio: 0 },
    { cache: 'semantic', lookups: 4, hitRatio: 0.25 },
  ]);
  assert.deepEqual(now.pools, [
    { pool: 'large', size: 10, inUse: 4, queued: 6 },
    { pool: 'small', size: 20, inUse: 1, queued: 0 },
  ]);
  assert.equal(now.openChats, 42);
  assert.equal(now.openChatsCapacity, 200);
  assert.deepEqual(now.guardrail, { checks: 28, blocked: 3, revised: 1 });
  assert.equal(s.alarms.length, ALARM_RULES.length);
  assert.equal(s.alarms.find((a) => a.name === 'CircuitBreakerOpen')?.state, 'firing');
  assert.deepEqual(s.alarms.find((a) => a.name === 'CircuitBreakerOpen')?.subjects, ['catalog', 'reviews'], 'open and half-open (not yet recovered)');

  // An earlier `at`, a shorter window and fewer points.
  const earlier = buildOpsSummary(history, [], { at: T0 + 20_000, windowMs: 15_000, points: 1 });
  assert.deepEqual(earlier.series.times, [T0 + 15_000]);
  near(earlier.series.messagesPerSec[0], 28 / 15, 'the point still uses the sample before it');
  near(earlier.now.messagesPerSec, 28 / 15);
  const quiet = buildOpsSummary(history, [], { windowMs: 15_000 });
  assert.equal(quiet.now.messagesPerSec, 0);
  assert.equal(quiet.now.errorRatio, null);
  assert.deepEqual(quiet.now.intents, {});
  assert.deepEqual(quiet.now.firstTokenMs, { p50: null, p95: null, p99: null });
});

test('chart points are capped and each spans its own step', async () => {
  const { metrics, history, sampleAt } = setup();
  for (let i = 0; i < 200; i++) {
    metrics.messages.inc({ intent: 'faq', outcome: 'answered' }, i);
    await sampleAt(T0 + i * 5000);
  }
  const s = buildOpsSummary(history, []);
  assert.equal(s.series.times.length, 120);
  assert.equal(s.series.times[0], T0 + 80 * 5000);
  assert.equal(s.stepMs, 5000);
  s.series.messagesPerSec.forEach((r, k) => near(r, (80 + k) / 5, `point ${k}`));
  assert.ok(JSON.stringify(s).length < 50_000);
});

test('the enclosing segments (gather, generate) rank after the single steps, so the top row names the step at fault', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  let t = 1_000_000;
  const history = createMetricsHistory({ registry: metrics.registry, retentionMs: 3_600_000, now: () => t });
  await history.sample();
  for (let i = 0; i < 10; i++) {
    metrics.segmentSeconds.observe({ segment: 'generate' }, 2);
    metrics.segmentSeconds.observe({ segment: 'gather' }, 0.3);
    metrics.segmentSeconds.observe({ segment: 'catalog' }, 0.25);
    metrics.segmentSeconds.observe({ segment: 'understand' }, 0.001);
  }
  t += 10_000;
  await history.sample();
  const s = buildOpsSummary(history, [], { windowMs: 60_000 });
  assert.deepEqual(s.now.segments.map((x) => x.segment), ['catalog', 'understand', 'generate', 'gather']);
});
