import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInProcessLimiter } from '../../../src/admission/rate-limit/in-process-limiter.ts';
import type { BucketRule } from '../../../src/admission/rate-limit/types.ts';
import { assertTokens, limiterContract, manualClock } from './limiter-contract.ts';

limiterContract('in-process', async (now) => {
  const limiter = createInProcessLimiter({ now });
  return { limiter, cleanup: () => limiter.close() };
});

describe('in-process limiter', () => {
  const rule: BucketRule = { capacity: 10, refillPerSec: 1, idleTtlMs: 1000 };

  it('sweeps idle buckets away as decisions go by', async () => {
    const clock = manualClock();
    const limiter = createInProcessLimiter({ now: clock.now });
    for (let i = 0; i < 10; i++) await limiter.take([{ key: `k${i}`, rule }]);
    assert.equal(limiter.size(), 10);
    clock.advance(1000);
    await limiter.take([{ key: 'z', rule }]);
    await limiter.take([{ key: 'z', rule }]);
    assert.equal(limiter.size(), 1, 'only the live bucket is left');
  });

  it('does not sweep live buckets', async () => {
    const clock = manualClock();
    const limiter = createInProcessLimiter({ now: clock.now });
    for (let i = 0; i < 10; i++) await limiter.take([{ key: `k${i}`, rule }]);
    clock.advance(999);
    for (let i = 0; i < 5; i++) await limiter.take([{ key: 'z', rule }]);
    assert.equal(limiter.size(), 11);
  });

  it('caps the number of buckets, forgetting the least recently charged one', async () => {
    const limiter = createInProcessLimiter({ now: manualClock().now, maxBuckets: 3 });
    await limiter.take([{ key: 'a', rule }]);
    await limiter.take([{ key: 'b', rule }]);
    await limiter.take([{ key: 'c', rule }]);
    await limiter.take([{ key: 'a', rule }]);
    await limiter.take([{ key: 'd', rule }]);
    assert.equal(limiter.size(), 3);
    assertTokens((await limiter.take([{ key: 'b', rule }])).remaining[0], 9, 'b was evicted: full again');
    assertTokens((await limiter.take([{ key: 'a', rule }])).remaining[0], 7, 'a was kept');
  });

  it('a refused decision creates no bucket', async () => {
    const limiter = createInProcessLimiter({ now: manualClock().now });
    const tiny: BucketRule = { capacity: 1, refillPerSec: 1 };
    await limiter.take([{ key: 'full', rule: tiny }]);
    const refused = await limiter.take([{ key: 'new', rule }, { key: 'full', rule: tiny }]);
    assert.equal(refused.allowed, false);
    assert.equal(limiter.size(), 1);
  });

  it('reuses the slots of forgotten buckets', async () => {
    const clock = manualClock();
    const limiter = createInProcessLimiter({ now: clock.now });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2000; i++) await limiter.take([{ key: `r${round}:${i}`, rule }]);
      clock.advance(1000);
    }
    for (let i = 0; i < 1000; i++) await limiter.take([{ key: 'z', rule: { capacity: 1e9, refillPerSec: 1 } }]);
    assert.equal(limiter.size(), 1);
    assertTokens((await limiter.take([{ key: 'r0:0', rule }])).remaining[0], 9, 'old keys are new again');
  });

  it('rejects a rule that would make the math meaningless', async () => {
    const limiter = createInProcessLimiter();
    await assert.rejects(limiter.take([{ key: 'k', rule: { capacity: 0, refillPerSec: 1 } }]), RangeError);
    await assert.rejects(limiter.take([{ key: 'k', rule: { capacity: 1, refillPerSec: 0 } }]), RangeError);
    await assert.rejects(limiter.take([{ key: 'k', rule, cost: -1 }]), RangeError);
  });
});
