import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../src/resilience/backoff.ts';
import { seededRandom } from './helpers.ts';

const opts = { baseMs: 20, maxMs: 200 };

test('the cap doubles per retry and stops at maxMs', () => {
  const almostOne = () => 0.999999;
  const caps = [1, 2, 3, 4, 5, 6, 50].map((n) => Math.round(backoffDelay(n, opts, almostOne)));
  assert.deepEqual(caps, [20, 40, 80, 160, 200, 200, 200]);
  assert.equal(backoffDelay(3, opts, () => 0), 0);
  assert.equal(backoffDelay(2000, opts, () => 0.5), 100, 'a huge attempt number must not overflow to NaN/Infinity');
});

test('full jitter: every delay within [0, cap], spread uniformly over it', () => {
  const random = seededRandom(42);
  const cap = 80; // attempt 3
  const bins = new Array(10).fill(0);
  const n = 20_000;
  for (let i = 0; i < n; i++) {
    const d = backoffDelay(3, opts, random);
    assert.ok(d >= 0 && d < cap, `delay ${d} outside [0, ${cap})`);
    bins[Math.floor((d / cap) * 10)]++;
  }
  // Chi-square with 9 degrees of freedom; 27.9 is the 0.1 % critical value. Half jitter or no
  // jitter would leave bins empty and land in the thousands.
  const expected = n / 10;
  const chi2 = bins.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
  assert.ok(chi2 < 27.9, `not uniform: chi2=${chi2.toFixed(1)} bins=${bins.join(',')}`);
});

test('attempt numbers start at 1', () => {
  assert.throws(() => backoffDelay(0, opts, Math.random), RangeError);
});
