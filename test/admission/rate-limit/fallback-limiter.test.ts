import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { createFallbackLimiter, LimiterTimeoutError, type LimiterMode } from '../../../src/admission/rate-limit/fallback-limiter.ts';
import { createInProcessLimiter } from '../../../src/admission/rate-limit/in-process-limiter.ts';
import { createRedisLimiter } from '../../../src/admission/rate-limit/redis-limiter.ts';
import type { BucketRule, Decision, RateLimiter, TakeRequest } from '../../../src/admission/rate-limit/types.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { manualClock } from './limiter-contract.ts';

const rule: BucketRule = { capacity: 3, refillPerSec: 0.001 };
const req: TakeRequest = { key: 'k', rule };

/** A primary whose behaviour the test switches: answer, fail, or hang. */
function scriptedPrimary(): RateLimiter & { behaviour: 'ok' | 'fail' | 'hang'; calls: number } {
  return {
    name: 'scripted',
    behaviour: 'ok',
    calls: 0,
    async take(requests: TakeRequest[]): Promise<Decision> {
      this.calls++;
      if (this.behaviour === 'fail') throw new Error('connection refused');
      if (this.behaviour === 'hang') return new Promise(() => {});
      return { allowed: true, retryAfterMs: 0, remaining: requests.map(() => 42) };
    },
    async close() {},
  };
}

function setup(over: { timeoutMs?: number; localRule?: (r: TakeRequest) => TakeRequest } = {}) {
  const clock = manualClock();
  const primary = scriptedPrimary();
  const changes: Array<[LimiterMode, unknown]> = [];
  const limiter = createFallbackLimiter({
    primary,
    local: createInProcessLimiter({ now: clock.now }),
    timeoutMs: over.timeoutMs ?? 1000,
    retryPrimaryAfterMs: 5000,
    localRule: over.localRule,
    onModeChange: (mode, error) => changes.push([mode, error]),
    now: clock.now,
  });
  return { clock, primary, changes, limiter };
}

/** Decisions of `n` takes of `req`: allowed or refused. */
async function allowedOf(limiter: RateLimiter, n: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push((await limiter.take([req])).allowed);
  return out;
}

describe('fallback limiter', () => {
  it('uses the primary while it answers', async () => {
    const { limiter, primary, changes } = setup();
    assert.deepEqual((await limiter.take([req])).remaining, [42]);
    assert.equal(limiter.mode(), 'primary');
    assert.equal(primary.calls, 1);
    assert.equal(limiter.fallbackDecisions(), 0);
    assert.deepEqual(changes, []);
  });

  it('decides locally when the primary fails: limited, neither allow-all nor refuse-all', async () => {
    const { limiter, primary, changes } = setup();
    primary.behaviour = 'fail';
    assert.deepEqual(await allowedOf(limiter, 5), [true, true, true, false, false]);
    assert.equal(limiter.mode(), 'fallback');
    assert.equal(limiter.fallbackDecisions(), 5);
    assert.equal(changes.length, 1, 'one change, not one per decision');
    assert.equal(changes[0][0], 'fallback');
    assert.match(String(changes[0][1]), /connection refused/);
    assert.equal(primary.calls, 1, 'the primary is skipped after the failure');
  });

  it('probes the primary once after retryPrimaryAfterMs and goes back to it', async () => {
    const { limiter, primary, changes, clock } = setup();
    primary.behaviour = 'fail';
    await limiter.take([req]);
    primary.behaviour = 'ok';
    clock.advance(4999);
    await limiter.take([req]);
    assert.equal(primary.calls, 1, 'not before retryPrimaryAfterMs');
    clock.advance(1);
    assert.deepEqual((await limiter.take([req])).remaining, [42]);
    assert.equal(limiter.mode(), 'primary');
    assert.deepEqual(changes.map(([mode]) => mode), ['fallback', 'primary']);
  });

  it('a failed probe keeps the fallback and waits another retryPrimaryAfterMs', async () => {
    const { limiter, primary, changes, clock } = setup();
    primary.behaviour = 'fail';
    await limiter.take([req]);
    clock.advance(5000);
    await limiter.take([req]);
    assert.equal(primary.calls, 2);
    clock.advance(4999);
    await limiter.take([req]);
    assert.equal(primary.calls, 2);
    assert.equal(limiter.mode(), 'fallback');
    assert.equal(changes.length, 1);
  });

  it('sends only one probe while it is pending; the others decide locally', async () => {
    const { limiter, primary, clock } = setup({ timeoutMs: 50 });
    primary.behaviour = 'fail';
    await limiter.take([req]);
    clock.advance(5000);
    primary.behaviour = 'hang';
    const probe = limiter.take([req]);
    await limiter.take([req]);
    await limiter.take([req]);
    assert.equal(primary.calls, 2, 'one probe');
    await probe;
    assert.equal(limiter.mode(), 'fallback');
  });

  it('a late answer to a request sent before the failure does not end the pause', async () => {
    const clock = manualClock();
    const changes: LimiterMode[] = [];
    let answerSlow: (d: Decision) => void = () => {};
    let call = 0;
    const primary: RateLimiter = {
      name: 'racy',
      take: () => (++call === 1 ? new Promise<Decision>((resolve) => { answerSlow = resolve; }) : Promise.reject(new Error('down'))),
      close: async () => {},
    };
    const limiter = createFallbackLimiter({
      primary, local: createInProcessLimiter({ now: clock.now }), timeoutMs: 1000, retryPrimaryAfterMs: 5000,
      onModeChange: (mode) => changes.push(mode), now: clock.now,
    });
    const slow = limiter.take([req]);
    await limiter.take([req]);
    answerSlow({ allowed: true, retryAfterMs: 0, remaining: [42] });
    assert.deepEqual((await slow).remaining, [42]);
    assert.equal(limiter.mode(), 'fallback');
    assert.deepEqual(changes, ['fallback']);
  });

  it('falls back when the primary hangs longer than timeoutMs', async () => {
    const { limiter, primary, changes } = setup({ timeoutMs: 20 });
    primary.behaviour = 'hang';
    const decision = await limiter.take([req]);
    assert.equal(decision.allowed, true);
    assert.equal(limiter.mode(), 'fallback');
    assert.ok(changes[0][1] instanceof LimiterTimeoutError);
  });

  it('applies localRule to each request decided locally', async () => {
    const { limiter, primary } = setup({ localRule: (r) => ({ ...r, rule: { ...r.rule, capacity: 1 } }) });
    primary.behaviour = 'fail';
    assert.deepEqual(await allowedOf(limiter, 3), [true, false, false]);
  });

  it('a caller that gives up is not a primary failure', async () => {
    const { limiter, primary, changes } = setup();
    primary.behaviour = 'hang';
    const controller = new AbortController();
    const pending = limiter.take([req], { signal: controller.signal });
    const reason = new Error('customer left');
    controller.abort(reason);
    await assert.rejects(pending, (e) => e === reason);
    assert.equal(limiter.mode(), 'primary');
    assert.deepEqual(changes, []);
  });
});

describe('fallback limiter over a real Redis', () => {
  let server: TestRedis;
  let redis: Redis;
  before(async () => {
    server = await startRedis();
    // Fail fast while Redis is down instead of queueing; reconnect quickly when it is back.
    redis = new Redis(server.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 20 });
    await once(redis, 'ready');
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('decides locally while Redis is down and returns to Redis once it is back', async () => {
    const clock = manualClock();
    const changes: LimiterMode[] = [];
    const limiter = createFallbackLimiter({
      primary: createRedisLimiter({ redis, now: clock.now }),
      local: createInProcessLimiter({ now: clock.now }),
      timeoutMs: 1000,
      retryPrimaryAfterMs: 5000,
      onModeChange: (mode) => changes.push(mode),
      now: clock.now,
    });
    assert.equal((await limiter.take([req])).allowed, true);
    assert.equal(limiter.mode(), 'primary');

    await server.stop();
    assert.deepEqual(await allowedOf(limiter, 5), [true, true, true, false, false], 'the local limiter still limits');
    assert.equal(limiter.mode(), 'fallback');
    assert.deepEqual(changes, ['fallback']);
    assert.equal(limiter.fallbackDecisions(), 5);

    await server.restart();
    if (redis.status !== 'ready') await once(redis, 'ready');
    clock.advance(5000);
    const back = await limiter.take([req]);
    assert.equal(back.allowed, true);
    assert.equal(limiter.mode(), 'primary');
    assert.deepEqual(changes, ['fallback', 'primary']);
    assert.equal(limiter.fallbackDecisions(), 5);
  });

  it('falls back at once when Redis was never reachable', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    probe.close();
    await once(probe, 'close');
    const offline = new Redis(port, '127.0.0.1', {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    const clock = manualClock();
    const limiter = createFallbackLimiter({
      primary: createRedisLimiter({ redis: offline, now: clock.now }),
      local: createInProcessLimiter({ now: clock.now }),
      timeoutMs: 1000,
      retryPrimaryAfterMs: 5000,
      now: clock.now,
    });
    try {
      assert.deepEqual(await allowedOf(limiter, 4), [true, true, true, false]);
      assert.equal(limiter.mode(), 'fallback');
    } finally {
      offline.disconnect();
    }
  });
});
