import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis, type RedisOptions } from 'ioredis';
import { createRedisStore } from '../../src/cache/redis-store.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startSlowProxy } from '../helpers/slow-proxy.ts';
import { cacheStoreContract, CONTRACT_MAX_ENTRY_BYTES, entryAt, manualClock } from './cache-store-contract.ts';

let server: TestRedis;
let client: Redis;
let writer: Redis;
let prefixes = 0;
const nextPrefix = () => `test${++prefixes}:`;
const extraClients: Redis[] = [];
const newClient = (url = server.url, opts: RedisOptions = {}) => {
  const redis = new Redis(url, opts);
  redis.on('error', () => {}); // the tests that expect failures assert on the commands instead
  extraClients.push(redis);
  return redis;
};

before(async () => {
  server = await startRedis();
  client = new Redis(server.url);
  writer = new Redis(server.url);
});
after(async () => {
  for (const c of extraClients) c.disconnect();
  client.disconnect();
  writer.disconnect();
  await server.stop();
});

cacheStoreContract('redis', async (now) => ({
  store: createRedisStore({ redis: client, writer, prefix: nextPrefix(), maxEntryBytes: CONTRACT_MAX_ENTRY_BYTES, now }),
  cleanup: async () => {},
}));

/** Server-side calls of the script commands so far. */
async function scriptCalls(): Promise<number> {
  const info = await client.info('commandstats');
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_(eval|evalsha):calls=(\d+)/gm)) calls += Number(m[2]);
  return calls;
}

/** Records the name of every command the client sends. */
function recordCommands(redis: Redis): string[] {
  const sent: string[] = [];
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command, ...rest) => {
    sent.push(command.name);
    return send(command, ...rest);
  }) as typeof redis.sendCommand;
  return sent;
}

describe('redis store', () => {
  it('stores an entry in one round trip (one script), and reads in one, each on its own connection', async () => {
    const reader = newClient();
    const writes = newClient();
    const clock = manualClock();
    const store = createRedisStore({ redis: reader, writer: writes, prefix: nextPrefix(), maxEntryBytes: 1024, now: clock.now });
    await store.set('warm', entryAt(clock.now(), 0, ['t'])); // the first call on a connection may send the script body
    const readsSent = recordCommands(reader);
    const writesSent = recordCommands(writes);
    const before = await scriptCalls();
    for (let i = 0; i < 5; i++) await store.set(`k${i}`, entryAt(clock.now(), i, ['series:a', 'series:b', 'price']));
    assert.deepEqual(writesSent, ['evalsha', 'evalsha', 'evalsha', 'evalsha', 'evalsha']);
    assert.equal((await scriptCalls()) - before, 5, 'the server ran one script per set');
    assert.equal((await store.getMany(['k0', 'k1', 'k2', 'k3', 'k4', 'none'])).filter(Boolean).length, 5);
    await store.get('k0');
    assert.deepEqual(readsSent, ['mget', 'get']);
    await store.invalidateTags(['series:a']);
    await store.delete(['k0']);
    assert.deepEqual(writesSent.slice(5), ['evalsha', 'unlink'], 'invalidation is one script too');
    assert.equal(readsSent.length, 2, 'no write went over the read connection');
  });

  it('uses the default prefix for entries and tag sets', async () => {
    const clock = manualClock();
    const store = createRedisStore({ redis: client, maxEntryBytes: 1024, now: clock.now });
    try {
      await store.set('k', entryAt(clock.now(), 'v', ['t']));
      assert.equal(await client.exists('mangaassist:cache:k'), 1);
      assert.deepEqual(await client.smembers('mangaassist:cache:tag:t'), ['mangaassist:cache:k']);
    } finally {
      await client.unlink('mangaassist:cache:k', 'mangaassist:cache:tag:t');
    }
  });

  it('sets the physical TTL to staleUntil - now, by the injected clock', async () => {
    const prefix = nextPrefix();
    const clock = manualClock();
    const store = createRedisStore({ redis: client, prefix, maxEntryBytes: 1024, now: clock.now });
    await store.set('k', entryAt(clock.now(), 'v', [], { staleUntil: clock.now() + 90_000 }));
    const pttl = await client.pttl(`${prefix}k`);
    assert.ok(pttl > 89_000 && pttl <= 90_000, `pttl=${pttl}`);
    clock.advance(30_000);
    await store.set('k2', entryAt(clock.now() - 30_000, 'v', [], { staleUntil: clock.now() + 45_000.2 }));
    const pttl2 = await client.pttl(`${prefix}k2`);
    assert.ok(pttl2 > 44_000 && pttl2 <= 45_001, `pttl=${pttl2} (fractions round up)`);
  });

  it('raises a tag set\'s TTL to its longest-lived entry and never lowers it', async () => {
    const prefix = nextPrefix();
    const clock = manualClock();
    const store = createRedisStore({ redis: client, prefix, maxEntryBytes: 1024, now: clock.now });
    const withTtl = (ms: number) => entryAt(clock.now(), 'v', ['t'], { staleUntil: clock.now() + ms });
    const tagTtl = () => client.pttl(`${prefix}tag:t`);
    await store.set('a', withTtl(60_000));
    assert.ok((await tagTtl()) > 59_000);
    await store.set('b', withTtl(10_000));
    assert.ok((await tagTtl()) > 59_000, 'a shorter entry does not shorten it');
    await store.set('c', withTtl(120_000));
    const ttl = await tagTtl();
    assert.ok(ttl > 119_000 && ttl <= 120_000, `pttl=${ttl}`);
    assert.ok(ttl >= (await client.pttl(`${prefix}c`)));
  });

  it('expires entries and tag sets physically (a real wait, the injected clock standing still)', async () => {
    const prefix = nextPrefix();
    const clock = manualClock();
    const store = createRedisStore({ redis: client, prefix, maxEntryBytes: 1024, now: clock.now });
    await store.set('k', entryAt(clock.now(), 'v', ['t'], { freshUntil: clock.now() + 10, staleUntil: clock.now() + 30 }));
    assert.ok(await store.get('k'));
    await sleep(80);
    assert.equal(await store.get('k'), undefined, 'gone although the injected clock says it is alive');
    assert.equal(await client.exists(`${prefix}k`, `${prefix}tag:t`), 0);
  });

  it('over-invalidates after an overwrite: the old tag still removes the new value (documented)', async () => {
    const clock = manualClock();
    const store = createRedisStore({ redis: client, prefix: nextPrefix(), maxEntryBytes: 1024, now: clock.now });
    await store.set('k', entryAt(clock.now(), 'old', ['old-tag']));
    await store.set('k', entryAt(clock.now(), 'new', ['new-tag']));
    await store.invalidateTags(['old-tag']);
    assert.equal(await store.get('k'), undefined);
  });

  it('prunes members of expired entries from a tag set as it writes to it', async () => {
    const prefix = nextPrefix();
    const clock = manualClock();
    const store = createRedisStore({ redis: client, prefix, maxEntryBytes: 1024, now: clock.now });
    await store.set('live', entryAt(clock.now(), 'v', ['t']));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`dead${i}`, entryAt(clock.now(), i, ['t'], { staleUntil: clock.now() + 20 }))));
    assert.equal(await client.scard(`${prefix}tag:t`), 21);
    await sleep(60);
    // With one live member and the written key skipped, every sample of two holds a dead one.
    for (let i = 0; i < 25; i++) await store.set('live', entryAt(clock.now(), 'v', ['t']));
    assert.deepEqual(await client.smembers(`${prefix}tag:t`), [`${prefix}live`]);
  });

  it('invalidates a tag of more keys than one UNLINK call takes in the script', async () => {
    const prefix = nextPrefix();
    const clock = manualClock();
    const store = createRedisStore({ redis: client, prefix, maxEntryBytes: 1024, now: clock.now });
    const keys = Array.from({ length: 1_201 }, (_, i) => `k${i}`);
    await Promise.all(keys.map((k) => store.set(k, entryAt(clock.now(), 1, ['big']))));
    await store.set('other', entryAt(clock.now(), 1, ['small']));
    await store.invalidateTags(['big']);
    assert.ok((await store.getMany(keys)).every((e) => e === undefined));
    assert.equal(await client.exists(`${prefix}tag:big`), 0);
    assert.ok(await store.get('other'));
  });

  it('keeps serving reads while the write connection is stuck', async () => {
    const proxy = await startSlowProxy({ target: { host: '127.0.0.1', port: server.port }, delayMs: 0 });
    try {
      const slowWriter = newClient(proxy.url);
      const clock = manualClock();
      const prefix = nextPrefix();
      const store = createRedisStore({ redis: client, writer: slowWriter, prefix, maxEntryBytes: 1024, now: clock.now });
      await store.set('k', entryAt(clock.now(), 'cached'));
      proxy.setDelay(400);
      let written = false;
      const write = store.set('k2', entryAt(clock.now(), 'slow')).then(() => { written = true; });
      const start = performance.now();
      assert.equal((await store.get('k'))?.value, '"cached"');
      assert.equal((await store.getMany(['k', 'k2'])).length, 2);
      const readMs = performance.now() - start;
      assert.equal(written, false, 'the write is still held');
      assert.ok(readMs < 200, `reads took ${readMs.toFixed(1)} ms`);
      await write;

      // The contrast: one connection for both, and a read waits behind the write.
      const single = createRedisStore({ redis: slowWriter, prefix, maxEntryBytes: 1024, now: clock.now });
      const queued = single.set('k3', entryAt(clock.now(), 'slow'));
      const t0 = performance.now();
      await single.get('k');
      assert.ok(performance.now() - t0 >= 390, 'a read behind a write on the same connection waits for it');
      await queued;
    } finally {
      await proxy.close();
    }
  });

  it('throws errors to the caller', async () => {
    const dead = newClient('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const store = createRedisStore({ redis: dead, prefix: nextPrefix(), maxEntryBytes: 1024 });
    const e = entryAt(Date.now(), 'v', ['t']);
    await assert.rejects(store.get('k'));
    await assert.rejects(store.getMany(['k']));
    await assert.rejects(store.set('k', e));
    await assert.rejects(store.delete(['k']));
    await assert.rejects(store.invalidateTags(['t']));
  });

  it('rejects with the signal\'s reason when aborted', async () => {
    const store = createRedisStore({ redis: client, prefix: nextPrefix(), maxEntryBytes: 1024 });
    const reason = new Error('deadline');
    await assert.rejects(store.get('k', { signal: AbortSignal.abort(reason) }), (e) => e === reason);
    await assert.rejects(store.getMany(['k'], { signal: AbortSignal.abort(reason) }), (e) => e === reason);
  });

  it('reads an entry of an unknown format version as a miss', async () => {
    const prefix = nextPrefix();
    const store = createRedisStore({ redis: client, prefix, maxEntryBytes: 1024 });
    await client.set(`${prefix}k`, '[2,"whatever"]\n"v"');
    assert.equal(await store.get('k'), undefined);
  });

  it('keeps working after SCRIPT FLUSH (the script is sent again)', async () => {
    const clock = manualClock();
    const store = createRedisStore({ redis: client, writer, prefix: nextPrefix(), maxEntryBytes: 1024, now: clock.now });
    await store.set('a', entryAt(clock.now(), 1, ['t']));
    await client.script('FLUSH');
    assert.equal(await store.set('b', entryAt(clock.now(), 2, ['t'])), true);
    await client.script('FLUSH');
    await store.invalidateTags(['t']);
    assert.deepEqual(await store.getMany(['a', 'b']), [undefined, undefined]);
  });

  it('close() leaves the injected clients open', async () => {
    const store = createRedisStore({ redis: client, writer, prefix: nextPrefix(), maxEntryBytes: 1024 });
    await store.close();
    assert.equal(await client.ping(), 'PONG');
    assert.equal(await writer.ping(), 'PONG');
  });
});
