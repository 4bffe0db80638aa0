import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createRedisLimiter } from '../../../src/admission/rate-limit/redis-limiter.ts';
import type { BucketRule } from '../../../src/admission/rate-limit/types.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { assertTokens, limiterContract, manualClock } from './limiter-contract.ts';

let server: TestRedis;
let client: Redis;
let prefixes = 0;
const nextPrefix = () => `test${++prefixes}:`;

before(async () => {
  server = await startRedis();
  client = new Redis(server.url);
});
after(async () => {
  client.disconnect();
  await server.stop();
});

limiterContract('redis', async (now) => ({
  limiter: createRedisLimiter({ redis: client, prefix: nextPrefix(), now }),
  cleanup: async () => {},
}));

/** Server-side calls of the script commands so far. */
async function scriptCalls(): Promise<number> {
  const info = await client.info('commandstats');
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_(eval|evalsha):calls=(\d+)/gm)) calls += Number(m[2]);
  return calls;
}

/** NOSCRIPT errors the server has answered so far. */
async function noscriptErrors(): Promise<number> {
  const info = await client.info('errorstats');
  return Number(/^errorstat_NOSCRIPT:count=(\d+)/m.exec(info)?.[1] ?? 0);
}

describe('redis limiter', () => {
  const rule: BucketRule = { capacity: 10, refillPerSec: 1 };

  it('makes exactly one round trip per decision', async () => {
    const redis = new Redis(server.url);
    try {
      const sent: string[] = [];
      const send = redis.sendCommand.bind(redis);
      redis.sendCommand = ((command, ...rest) => {
        sent.push(command.name);
        return send(command, ...rest);
      }) as typeof redis.sendCommand;
      const limiter = createRedisLimiter({ redis, prefix: nextPrefix(), now: manualClock().now });
      await limiter.take([{ key: 'warm', rule }]); // the first call on a connection sends the script body
      sent.length = 0;
      const before = await scriptCalls();
      for (let i = 0; i < 5; i++) {
        await limiter.take([{ key: 'g:s1', rule }, { key: 'a:ip', rule, onlyWhenNew: 'g:s1' }, { key: 'llm', rule, reserve: 2 }]);
      }
      assert.deepEqual(sent, ['evalsha', 'evalsha', 'evalsha', 'evalsha', 'evalsha']);
      assert.equal((await scriptCalls()) - before, 5, 'the server ran one script per decision');
    } finally {
      redis.disconnect();
    }
  });

  it('keeps working after SCRIPT FLUSH (NOSCRIPT: the script is sent again)', async () => {
    const limiter = createRedisLimiter({ redis: client, prefix: nextPrefix(), now: manualClock().now });
    assertTokens((await limiter.take([{ key: 'k', rule }])).remaining[0], 9);
    await client.script('FLUSH');
    const noscripts = await noscriptErrors();
    assertTokens((await limiter.take([{ key: 'k', rule }])).remaining[0], 8, 'state kept, script reloaded');
    assert.equal((await noscriptErrors()) - noscripts, 1, 'the reload path was taken');
    assertTokens((await limiter.take([{ key: 'k', rule }])).remaining[0], 7);
  });

  it('uses the Redis server clock when no clock is injected', async () => {
    const prefix = nextPrefix();
    const limiter = createRedisLimiter({ redis: client, prefix });
    const slow: BucketRule = { capacity: 1, refillPerSec: 1 };
    assert.equal((await limiter.take([{ key: 'k', rule: slow }])).allowed, true);
    const refused = await limiter.take([{ key: 'k', rule: slow }]);
    assert.equal(refused.allowed, false);
    assert.ok(refused.retryAfterMs >= 1 && refused.retryAfterMs <= 1000, `retryAfterMs=${refused.retryAfterMs}`);
    const [seconds] = await client.time();
    const stamped = Number(await client.hget(`${prefix}k`, 'u'));
    assert.ok(Math.abs(stamped - Number(seconds) * 1000) < 60_000, `last update ${stamped} is server time`);
    // Waiting longer than asked only refills more, so this cannot flake on a slow machine.
    await sleep(refused.retryAfterMs + 5);
    assert.equal((await limiter.take([{ key: 'k', rule: slow }])).allowed, true, 'refilled by real time');
  });

  it('sets a real TTL on each bucket, and none on a refusal', async () => {
    const prefix = nextPrefix();
    const limiter = createRedisLimiter({ redis: client, prefix, now: manualClock().now });
    await limiter.take([{ key: 'k', rule: { capacity: 2, refillPerSec: 1 } }]);
    const ttl = await client.pttl(`${prefix}k`);
    assert.ok(ttl > 0 && ttl <= 2000, `pttl=${ttl}`);
    await limiter.take([{ key: 'new', rule }, { key: 'k', rule: { capacity: 2, refillPerSec: 1 }, cost: 5 }]);
    assert.equal(await client.exists(`${prefix}new`), 0);
  });

  it('rejects with the reason when the signal aborts before the reply', async () => {
    const blocker = new Redis(server.url);
    try {
      const limiter = createRedisLimiter({ redis: blocker, prefix: nextPrefix(), now: manualClock().now });
      await limiter.take([{ key: 'warm', rule }]);
      // CLIENT PAUSE WRITE holds scripts (not UNPAUSE) back until the signal has aborted.
      await client.client('PAUSE', 10_000, 'WRITE');
      const controller = new AbortController();
      const pending = limiter.take([{ key: 'k', rule }], { signal: controller.signal });
      const reason = new Error('deadline');
      controller.abort(reason);
      await assert.rejects(pending, (e) => e === reason);
    } finally {
      await client.client('UNPAUSE');
      blocker.disconnect();
    }
  });
});
