import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLatencyWindow } from '../../src/resilience/latency-window.ts';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('p99 of a known distribution, within the histogram resolution', () => {
  const c = clock();
  const w = createLatencyWindow({ windowMs: 30_000, now: c.now });
  assert.equal(w.p99(), 0);
  for (let ms = 1; ms <= 1000; ms++) w.record(ms);
  assert.equal(w.count(), 1000);
  const p99 = w.p99();
  assert.ok(Math.abs(p99 - 990) / 990 < 0.25, `p99 ${p99}`);
  for (let i = 0; i < 1000; i++) w.record(5);
  const p99b = w.p99();
  assert.ok(p99b > 900, `1 % of 2000 samples at ~1 s still sets the p99, got ${p99b}`);
});

test('tiny, huge and odd durations land in the end bins', () => {
  const w = createLatencyWindow({ windowMs: 1000, now: () => 0 });
  w.record(0);
  w.record(-3);
  w.record(Number.NaN);
  assert.ok(w.p99() <= 0.1);
  w.reset();
  w.record(5 * 60_000);
  assert.ok(w.p99() <= 60_000 && w.p99() > 40_000, `${w.p99()}`);
});

test('samples leave after the window; reset forgets at once', () => {
  const c = clock();
  const w = createLatencyWindow({ windowMs: 10_000, now: c.now });
  for (let i = 0; i < 50; i++) w.record(800);
  c.advance(5_000);
  assert.equal(w.count(), 50);
  c.advance(6_000);
  assert.equal(w.count(), 0);
  assert.equal(w.p99(), 0);
  w.record(10);
  w.reset();
  assert.equal(w.count(), 0);
});

test('sustainedAbove: slow throughout the window, not a burst inside it', () => {
  const c = clock();
  const w = createLatencyWindow({ windowMs: 30_000, now: c.now });
  // A 3 s burst of slow calls among fast ones: the window's p99 is above 500 ms for ~30 s...
  for (let t = 0; t < 40_000; t += 250) {
    w.record(t < 3_000 ? 900 : 40);
    if (t < 30_000 && t >= 3_000) assert.ok(w.p99() > 500);
    // ...but it was never slow throughout.
    assert.equal(w.sustainedAbove(500), false, `at ${t} ms`);
    c.advance(250);
  }
  w.reset();
  let trippedAt = -1;
  for (let t = 0; t < 40_000 && trippedAt < 0; t += 250) {
    w.record(t % 1000 === 0 ? 900 : 40); // 25 % slow: p99 slow in every slice
    if (w.sustainedAbove(500)) trippedAt = t;
    c.advance(250);
  }
  // Never before a whole window of slowness; at most two 3 s slices later.
  assert.ok(trippedAt >= 30_000 && trippedAt <= 36_000, `tripped at ${trippedAt}`);
});

test('a gap without calls breaks "sustained"', () => {
  const c = clock();
  const w = createLatencyWindow({ windowMs: 10_000, now: c.now });
  for (let t = 0; t < 10_000; t += 100) {
    if (t < 4_000 || t >= 6_000) w.record(900);
    c.advance(100);
  }
  assert.equal(w.sustainedAbove(500), false);
});
