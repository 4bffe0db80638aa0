import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poolSize, poolThroughput } from '../../../src/llm/routing/pool-sizing.ts';

test("the flash-sale review's numbers: 2,200 req/s, 95% need a model, 500 ms, 50% headroom, 40 tasks", () => {
  // 2,200 × (85% large + 10% small) = 2,090 calls/s × 0.5 s = 1,045 connections; × 1.5 = 1,568.
  assert.equal(poolSize({ peakRps: 2200, modelShare: 0.95, latencyMs: 500, headroom: 0 }), 1045);
  assert.equal(poolSize({ peakRps: 2200, modelShare: 0.95, latencyMs: 500 }), 1568);
  assert.equal(poolSize({ peakRps: 2200, modelShare: 0.95, latencyMs: 500, tasks: 40 }), 40);
});

test('the pre-incident pool: 10 per task × 8 tasks at 500 ms carries 160 calls/s', () => {
  assert.equal(poolThroughput({ size: 10, tasks: 8, latencyMs: 500 }), 160);
  assert.equal(poolSize({ peakRps: 160, modelShare: 1, latencyMs: 500, headroom: 0, tasks: 8 }), 10);
  // The normal mix already needed 150 of those 160 calls/s (500 req/s × 30% large): no headroom left.
  assert.equal(poolSize({ peakRps: 500, modelShare: 0.3, latencyMs: 500, tasks: 8 }), 15);
});

test('rounds up, at least 1, and refuses nonsense', () => {
  assert.equal(poolSize({ peakRps: 1, modelShare: 0.1, latencyMs: 10 }), 1);
  assert.equal(poolSize({ peakRps: 0, modelShare: 1, latencyMs: 500 }), 1);
  assert.equal(poolSize({ peakRps: 275, modelShare: 0.85, latencyMs: 500 }), 176); // 175.3
  assert.throws(() => poolSize({ peakRps: 100, modelShare: 1.5, latencyMs: 500 }), RangeError);
  assert.throws(() => poolSize({ peakRps: 100, modelShare: 1, latencyMs: 500, tasks: 0 }), RangeError);
  assert.throws(() => poolSize({ peakRps: Number.NaN, modelShare: 1, latencyMs: 500 }), RangeError);
});
