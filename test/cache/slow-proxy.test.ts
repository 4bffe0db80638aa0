import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { isRedisWrite, startSlowProxy, type SlowProxy } from '../helpers/slow-proxy.ts';

const DELAY_MS = 250;

let server: TestRedis;
let proxy: SlowProxy;
const clients: Redis[] = [];
const client = async (url: string) => {
  const redis = new Redis(url);
  clients.push(redis);
  await redis.ping(); // connected and past the ready check before anything is timed
  return redis;
};
const timed = async <T>(work: Promise<T>): Promise<{ value: T; ms: number }> => {
  const start = performance.now();
  const value = await work;
  return { value, ms: performance.now() - start };
};

before(async () => {
  server = await startRedis();
  proxy = await startSlowProxy({ target: { host: '127.0.0.1', port: server.port }, delayMs: DELAY_MS });
});
after(async () => {
  for (const c of clients) c.disconnect();
  await proxy.close();
  await server.stop();
});

describe('slow proxy', () => {
  it('recognises write commands in RESP, not reads', () => {
    assert.equal(isRedisWrite(Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n')), true);
    assert.equal(isRedisWrite(Buffer.from('*3\r\n$7\r\nevalsha\r\n$40\r\n...')), true);
    assert.equal(isRedisWrite(Buffer.from('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n')), false);
    assert.equal(isRedisWrite(Buffer.from('*2\r\n$4\r\nMGET\r\n$3\r\nSET\r\n')), true, 'a key named SET is misjudged (documented)');
  });

  it('delays a SET by delayMs, not a GET on another connection', async () => {
    const writer = await client(proxy.url);
    const reader = await client(proxy.url);
    const set = timed(writer.set('k', 'v'));
    const get = await timed(reader.get('missing'));
    assert.ok(get.ms < DELAY_MS / 2, `get took ${get.ms.toFixed(1)} ms`);
    const { value, ms } = await set;
    assert.equal(value, 'OK');
    assert.ok(ms >= DELAY_MS - 2, `set took ${ms.toFixed(1)} ms`);
    assert.equal(await reader.get('k'), 'v', 'forwarded intact');
  });

  it('keeps order per connection: a GET behind a slow SET waits for it and sees its value', async () => {
    const redis = await client(proxy.url);
    const set = redis.set('order', 'written');
    const get = await timed(redis.get('order'));
    assert.equal(get.value, 'written');
    assert.ok(get.ms >= DELAY_MS - 2, `get took ${get.ms.toFixed(1)} ms`);
    await set;
  });

  it('setDelay(0) removes the delay', async () => {
    const redis = await client(proxy.url);
    proxy.setDelay(0);
    try {
      const { ms } = await timed(redis.set('fast', '1'));
      assert.ok(ms < DELAY_MS / 2, `set took ${ms.toFixed(1)} ms`);
    } finally {
      proxy.setDelay(DELAY_MS);
    }
  });
});
