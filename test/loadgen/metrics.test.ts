import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyHistogram } from '../../src/loadgen/histogram.ts';
import { MetricsCollector } from '../../src/loadgen/metrics.ts';
import { evaluateSlos } from '../../src/loadgen/slo.ts';

test('HDR summary: percentiles within 0.1% on known values, sub-millisecond kept', () => {
  const h = new LatencyHistogram();
  for (let i = 1; i <= 1000; i++) h.record(i);
  const s = h.summary();
  assert.equal(s.count, 1000);
  assert.equal(s.min, 1);
  for (const [got, want] of [[s.p50, 500], [s.p90, 900], [s.p99, 990], [s.p999, 999], [s.max, 1000]]) assert.ok(Math.abs(got - want) <= want * 0.001, `${got} vs ${want}`);
  const small = new LatencyHistogram();
  small.record(0.25);
  assert.ok(Math.abs(small.summary().p50 - 0.25) < 0.001);
  const buckets = h.buckets();
  assert.equal(buckets.reduce((n, [, c]) => n + c, 0), 1000);
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i][0] > buckets[i - 1][0]);
});

test('corrected latency counts from the intended send time, uncorrected from the actual one', () => {
  const m = new MetricsCollector(0, true);
  // Due at 100, sent late at 600 (the generator was waiting), first token 620, end 700.
  m.record({ intent: 'faq', peak: false, intendedAt: 100, outcome: { sentAt: 600, firstTokenAt: 620, tokenAt: [620, 650, 700], endAt: 700, serverIntent: 'faq', timings: { totalMs: 95 } } });
  m.record({ intent: 'faq', peak: true, intendedAt: 1000, outcome: { sentAt: 1000, tokenAt: [], error: 'rate_limited', serverIntent: undefined } });
  m.record({ intent: 'faq', peak: false, intendedAt: 1100, outcome: { sentAt: 1100, tokenAt: [], error: 'aborted' } });
  const s = m.snapshot();
  assert.ok(Math.abs(s.overall.ttft.p50 - 520) < 1);
  assert.ok(Math.abs(s.ttftUncorrected.p50 - 20) < 0.1);
  assert.ok(Math.abs(s.overall.ttlt.p50 - 600) < 1);
  assert.equal(s.overall.interToken.count, 2);
  assert.equal(s.overall.messages, 2, 'aborted messages are not the server\'s doing and are not counted');
  assert.deepEqual(s.overall.errors, { rate_limited: 1 });
  assert.deepEqual(s.serverIntents, { faq: { faq: 1 } });
  assert.equal(s.serverTimings.totalMs.count, 1);
  assert.equal(s.ttftPeak.count, 0);
  assert.equal(s.ttftNormal.count, 1);
  // Timeline: second 0 holds the first message (completed at 700 ms), second 1 the refusal.
  assert.equal(s.timeline[0].messages, 1);
  assert.equal(s.timeline[1].errors, 1);

  const closed = new MetricsCollector(0, false);
  closed.record({ intent: 'faq', peak: false, intendedAt: 100, outcome: { sentAt: 600, firstTokenAt: 620, tokenAt: [620], endAt: 620 } });
  assert.ok(Math.abs(closed.snapshot().overall.ttft.p50 - 20) < 0.1);
});

test('SLO verdicts: normal and peak p99, error rate; no messages is a failure', () => {
  const lat = (p99: number, count = 10) => ({ count, min: 1, mean: 1, p50: 1, p90: 1, p99, p999: p99, max: p99 });
  const stats = (messages: number, errors: Record<string, number>) => ({ messages, ttft: lat(1), interToken: lat(1), ttlt: lat(1), errors });
  const t = { p99TtftMs: 1500, peakP99TtftMs: 3000, errorRate: 0.01 };
  const ok = evaluateSlos(t, stats(1000, { rate_limited: 9 }), lat(1400), lat(2900));
  assert.deepEqual(ok.map((v) => [v.name, v.held]), [['p99_ttft', true], ['peak_p99_ttft', true], ['error_rate', true]]);
  const bad = evaluateSlos(t, stats(1000, { rate_limited: 10 }), lat(1500), lat(1, 0));
  assert.deepEqual(bad.map((v) => [v.name, v.held]), [['p99_ttft', false], ['error_rate', false]]);
  assert.equal(evaluateSlos(t, stats(0, {}), lat(0, 0), lat(0, 0)).at(-1)!.held, false);
});
