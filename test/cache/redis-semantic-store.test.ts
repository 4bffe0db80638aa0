import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createRedisSemanticStore, decodeEntry, encodeEntry, escapeGlob } from '../../src/cache/semantic/redis-semantic-store.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { basis, manualClock, randomUnit, semanticStoreContract } from './semantic-store-contract.ts';

let server: TestRedis;
let client: Redis;
let prefixes = 0;
const nextPrefix = () => `test${++prefixes}:sem:`;

before(async () => {
  server = await startRedis();
  client = new Redis(server.url);
});
after(async () => {
  client.disconnect();
  await server.stop();
});

semanticStoreContract('redis', async ({ ttlMs, maxPerPartition, now }) => ({
  store: createRedisSemanticStore({ redis: client, prefix: nextPrefix(), ttlMs, maxPerPartition, now }),
  cleanup: async () => {},
}));

/** Server-side calls of each command so far. */
async function commandCalls(): Promise<Map<string, number>> {
  const info = await client.info('commandstats');
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1], Number(m[2]));
  return calls;
}

/** Calls per command between two snapshots, leaving out the INFO used to take them. */
function callsBetween(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const diff: Record<string, number> = {};
  for (const [cmd, n] of after) {
    const d = n - (before.get(cmd) ?? 0);
    if (d > 0 && cmd !== 'info') diff[cmd] = d;
  }
  return diff;
}

/** A connected client that records the name of every command it sends from now on. */
async function recordingClient(): Promise<{ redis: Redis; sent: string[] }> {
  const redis = new Redis(server.url);
  const sent: string[] = [];
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command, ...rest) => {
    sent.push(command.name);
    return send(command, ...rest);
  }) as typeof redis.sendCommand;
  await redis.ping(); // past the connection handshake (CLIENT SETINFO, INFO), which is not ours to count
  sent.length = 0;
  return { redis, sent };
}

describe('redis semantic store', () => {
  const entry = (vector: Float32Array, question: string, storedAt: number) => ({ vector, question, answer: `answer: ${question}`, storedAt });

  it('makes one round trip per lookup and per add', async () => {
    const { redis, sent } = await recordingClient();
    try {
      const clock = manualClock();
      const store = createRedisSemanticStore({ redis, prefix: nextPrefix(), ttlMs: 60_000, maxPerPartition: 5, now: clock.now });
      await store.add('warm', entry(basis(0), 'warm', clock.now())); // the first call on a connection sends the script body
      sent.length = 0;

      let before = await commandCalls();
      for (let i = 0; i < 8; i++) await store.add('faq:en:returns', entry(randomUnit(i), `q${i}`, clock.now()));
      assert.deepEqual(sent, Array(8).fill('evalsha'));
      // Commands run by a script count in commandstats too: one script each, nothing else sent.
      assert.deepEqual(callsBetween(before, await commandCalls()), { evalsha: 8, lpush: 8, ltrim: 8, pexpire: 8 });

      sent.length = 0;
      before = await commandCalls();
      for (let i = 0; i < 8; i++) await store.nearest('faq:en:returns', randomUnit(i), 0.99);
      assert.deepEqual(sent, Array(8).fill('lrange'));
      assert.deepEqual(callsBetween(before, await commandCalls()), { lrange: 8 });
    } finally {
      redis.disconnect();
    }
  });

  it('adds over the writer and looks up over the reader', async () => {
    const reader = await recordingClient();
    const writer = await recordingClient();
    try {
      const clock = manualClock();
      const store = createRedisSemanticStore({ redis: reader.redis, writer: writer.redis, prefix: nextPrefix(), ttlMs: 60_000, maxPerPartition: 5, now: clock.now });
      await store.add('p', entry(basis(0), 'q', clock.now()));
      assert.ok(await store.nearest('p', basis(0), 0.9));
      await store.dropPartitions(['p']);
      assert.deepEqual(reader.sent, ['lrange']);
      // EVAL may precede EVALSHA on a connection that has not sent the script yet.
      assert.deepEqual(writer.sent.filter((c) => c !== 'eval'), ['evalsha', 'unlink', 'scan']);
    } finally {
      reader.redis.disconnect();
      writer.redis.disconnect();
    }
  });

  it('keeps one list per partition, trimmed to maxPerPartition, with a real TTL', async () => {
    const prefix = nextPrefix();
    const clock = manualClock();
    const store = createRedisSemanticStore({ redis: client, prefix, ttlMs: 30_000, maxPerPartition: 3, now: clock.now });
    for (let i = 0; i < 5; i++) await store.add('pq:en:naruto', entry(basis(i), `q${i}`, clock.now()));
    const key = `${prefix}pq:en:naruto`;
    assert.equal(await client.type(key), 'list');
    assert.equal(await client.llen(key), 3);
    const ttl = await client.pttl(key);
    assert.ok(ttl > 25_000 && ttl <= 30_000, `pttl=${ttl}`);
    assert.deepEqual(await client.keys(`${prefix}*`), [key]);
  });

  it('stores entries compactly (vector as base64 of its float32 bytes)', async () => {
    const prefix = nextPrefix();
    const clock = manualClock();
    const store = createRedisSemanticStore({ redis: client, prefix, ttlMs: 30_000, maxPerPartition: 3, now: clock.now });
    await store.add('p', entry(randomUnit(3), 'who wrote naruto?', clock.now()));
    const [raw] = await client.lrange(`${prefix}p`, 0, -1);
    // 512 floats are 2048 bytes, 2732 in base64; the rest is the question, answer and storedAt.
    assert.ok(raw.length < 2_900, `${raw.length} chars`);
  });

  it('escapes glob characters in the SCAN pattern of dropPartitions', async () => {
    assert.equal(escapeGlob('pq:en:a*b?c[d]e\\f'), 'pq:en:a\\*b\\?c\\[d\\]e\\\\f');
    const prefix = nextPrefix();
    const clock = manualClock();
    const store = createRedisSemanticStore({ redis: client, prefix, ttlMs: 30_000, maxPerPartition: 3, now: clock.now });
    for (const n of ['faq*', 'faq*:en', 'faq:en', 'faqs:en']) await store.add(n, entry(basis(0), n, clock.now()));
    await store.dropPartitions(['faq*']);
    assert.deepEqual((await client.keys(`${escapeGlob(prefix)}*`)).sort(), [`${prefix}faq:en`, `${prefix}faqs:en`]);
  });

  it('drops partitions spread over many SCAN pages', async () => {
    const prefix = nextPrefix();
    const clock = manualClock();
    const store = createRedisSemanticStore({ redis: client, prefix, ttlMs: 30_000, maxPerPartition: 1, now: clock.now });
    for (let i = 0; i < 2_500; i++) await store.add(`pq:en:s${i}`, entry(basis(0), 'q', clock.now()));
    await store.add('faq:en:returns', entry(basis(0), 'q', clock.now()));
    await store.dropPartitions(['pq']);
    assert.deepEqual(await client.keys(`${prefix}*`), [`${prefix}faq:en:returns`]);
  });

  it('skips elements it cannot read instead of failing the lookup', async () => {
    const prefix = nextPrefix();
    const clock = manualClock();
    const store = createRedisSemanticStore({ redis: client, prefix, ttlMs: 30_000, maxPerPartition: 10, now: clock.now });
    await store.add('p', entry(basis(0), 'good', clock.now()));
    await client.lpush(`${prefix}p`, 'not json', '[1,2,3]', JSON.stringify([clock.now(), 'abc', 'q', 'a']), '{"storedAt":1}');
    assert.equal((await store.nearest('p', basis(0), 0.9))?.entry.question, 'good');
    assert.equal(decodeEntry('[1,"AAAA","q"]'), undefined);
    assert.deepEqual(decodeEntry(encodeEntry({ vector: new Float32Array([0.5, -0.25]), question: 'q', answer: 'a', storedAt: 5 })), {
      vector: new Float32Array([0.5, -0.25]), question: 'q', answer: 'a', storedAt: 5,
    });
  });

  it('a lookup rejects with the reason when the signal aborts before the reply', async () => {
    const clock = manualClock();
    const store = createRedisSemanticStore({ redis: client, prefix: nextPrefix(), ttlMs: 30_000, maxPerPartition: 3, now: clock.now });
    await store.add('p', entry(basis(0), 'q', clock.now()));
    const controller = new AbortController();
    const pending = store.nearest('p', basis(0), 0.5, { signal: controller.signal });
    const reason = new Error('deadline');
    controller.abort(reason); // a reply cannot arrive before this synchronous abort
    await assert.rejects(pending, (e) => e === reason);
  });

  it('close() leaves the injected clients connected', async () => {
    const writer = new Redis(server.url);
    try {
      const store = createRedisSemanticStore({ redis: client, writer, prefix: nextPrefix(), ttlMs: 30_000, maxPerPartition: 3 });
      await store.close();
      assert.equal(await client.ping(), 'PONG');
      assert.equal(await writer.ping(), 'PONG');
    } finally {
      writer.disconnect();
    }
  });

  it('uses the real clock by default', async () => {
    const store = createRedisSemanticStore({ redis: client, prefix: nextPrefix(), ttlMs: 30_000, maxPerPartition: 3 });
    await store.add('p', entry(basis(0), 'now', Date.now()));
    await store.add('p', entry(basis(1), 'an hour ago', Date.now() - 3_600_000));
    assert.ok(await store.nearest('p', basis(0), 0.9));
    assert.equal(await store.nearest('p', basis(1), 0.9), undefined);
  });

  it('rejects nonsense options', () => {
    assert.throws(() => createRedisSemanticStore({ redis: client, ttlMs: -1, maxPerPartition: 1 }), RangeError);
    assert.throws(() => createRedisSemanticStore({ redis: client, ttlMs: 1, maxPerPartition: 1.5 }), RangeError);
  });
});
