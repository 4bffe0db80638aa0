import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { createDnsCache, type DnsCacheEvent, type DnsCacheOptions } from '../../src/llm/dns-cache.ts';

const HOST = 'bedrock.example.test';
const V4 = { address: '10.0.0.1', family: 4 };
const V4B = { address: '10.0.0.2', family: 4 };
const V6 = { address: 'fd00::1', family: 6 };

function setup(opts: Partial<DnsCacheOptions> & { answers?: () => Promise<LookupAddress[]> } = {}) {
  let clock = 0;
  const events: DnsCacheEvent[] = [];
  const calls: string[] = [];
  let answers = opts.answers ?? (async () => [V4]);
  const cache = createDnsCache({
    ttlMs: 60_000,
    now: () => clock,
    onEvent: (e) => events.push(e),
    resolve: (h) => {
      calls.push(h);
      return answers();
    },
    ...opts,
  });
  /** One lookup, as a promise of (address, family) or (addresses). */
  const lookup = (options: LookupOptions = {}, host = HOST) =>
    new Promise<{ address: string | LookupAddress[]; family?: number }>((resolve, reject) =>
      cache.lookup(host, options, (err, address, family) => (err ? reject(err) : resolve({ address, family }))),
    );
  return {
    cache,
    lookup,
    events,
    calls,
    advance: (ms: number) => void (clock += ms),
    setAnswers: (fn: () => Promise<LookupAddress[]>) => void (answers = fn),
  };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

test('one resolver call for many lookups within the TTL', async () => {
  const s = setup();
  for (let i = 0; i < 50; i++) {
    assert.deepEqual(await s.lookup(), { address: '10.0.0.1', family: 4 });
    s.advance(1000); // 50 lookups over 50 s
  }
  assert.equal(s.calls.length, 1);
  assert.deepEqual(s.events, ['miss', ...Array(49).fill('hit')]);
});

test('concurrent lookups of one host share one resolution', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const s = setup({ answers: async () => (await gate, [V4]) });
  const all = Array.from({ length: 20 }, () => s.lookup());
  await flush();
  assert.equal(s.calls.length, 1);
  release();
  for (const r of await Promise.all(all)) assert.equal(r.address, '10.0.0.1');
  assert.equal(s.calls.length, 1);
  // Another hostname is its own flight.
  await s.lookup({}, 'other.example.test');
  assert.deepEqual(s.calls, [HOST, 'other.example.test']);
});

test('after the TTL the old answer is served while one refresh runs; the next lookup has the new one', async () => {
  const s = setup();
  await s.lookup();
  s.advance(60_000);
  s.setAnswers(async () => [V4B]);
  const [a, b] = await Promise.all([s.lookup(), s.lookup()]);
  assert.equal(a.address, '10.0.0.1', 'no wait for the resolver (its blips were slow answers)');
  assert.equal(b.address, '10.0.0.1');
  await flush();
  assert.equal(s.calls.length, 2, 'one refresh for both');
  assert.equal((await s.lookup()).address, '10.0.0.2');
  assert.deepEqual(s.events, ['miss', 'stale', 'stale', 'hit']);
});

test('the resolver fails: the cached answer is served up to staleMs past its TTL, then the error', async () => {
  const s = setup({ staleMs: 120_000 });
  await s.lookup();
  const down = Object.assign(new Error('queryA ETIMEOUT bedrock.example.test'), { code: 'ETIMEOUT' });
  s.setAnswers(async () => {
    throw down;
  });
  s.advance(61_000);
  for (let i = 0; i < 10; i++) {
    assert.equal((await s.lookup()).address, '10.0.0.1');
    await flush();
  }
  assert.equal(s.calls.length, 2, 'a failed refresh is not retried on every lookup');
  s.advance(5_000);
  assert.equal((await s.lookup()).address, '10.0.0.1');
  await flush();
  assert.equal(s.calls.length, 3, 'retried after 5 s');
  assert.equal(s.events.filter((e) => e === 'error').length, 2);
  s.advance(60_000 + 120_000); // past TTL + staleMs
  await assert.rejects(s.lookup(), (e) => e === down);
  // Resolver back: a fresh answer.
  s.setAnswers(async () => [V4B]);
  assert.equal((await s.lookup()).address, '10.0.0.2');
});

test('no cached answer and the resolver fails: the error, and the next lookup asks again', async () => {
  const s = setup({ answers: async () => Promise.reject(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' })) });
  await assert.rejects(s.lookup(), { code: 'EAI_AGAIN' });
  await assert.rejects(s.lookup(), { code: 'EAI_AGAIN' });
  assert.equal(s.calls.length, 2);
  s.setAnswers(async () => []);
  await assert.rejects(s.lookup(), { code: 'ENOTFOUND', hostname: HOST });
});

test('all:true gives every address; a single lookup the first; family filters', async () => {
  const s = setup({ answers: async () => [V6, V4, V4B] });
  assert.deepEqual(await s.lookup({ all: true }), { address: [V6, V4, V4B], family: undefined });
  assert.deepEqual(await s.lookup(), { address: 'fd00::1', family: 6 });
  assert.deepEqual(await s.lookup({ family: 4 }), { address: '10.0.0.1', family: 4 });
  assert.deepEqual(await s.lookup({ family: 4, all: true }), { address: [V4, V4B], family: undefined });
  assert.deepEqual(await s.lookup({ family: 'IPv6', all: true }), { address: [V6], family: undefined });
  assert.equal(s.calls.length, 1);
  const only4 = setup();
  await assert.rejects(only4.lookup({ family: 6 }), { code: 'ENOTFOUND' });
  // Callers get copies: changing one does not change the cache.
  const r = await s.lookup({ all: true });
  (r.address as LookupAddress[])[0].address = 'mutated';
  assert.equal((await s.lookup()).address, 'fd00::1');
});

test('IP literals and localhost bypass the cache and the resolver', async () => {
  const s = setup();
  assert.deepEqual(await s.lookup({}, '127.0.0.1'), { address: '127.0.0.1', family: 4 });
  assert.deepEqual(await s.lookup({ all: true }, '::1'), { address: [{ address: '::1', family: 6 }], family: undefined });
  const local = await s.lookup({ all: true }, 'localhost');
  assert.ok(Array.isArray(local.address) && local.address.length > 0);
  assert.deepEqual(s.calls, []);
  assert.deepEqual(s.events, []);
});

test('clear() forgets the answers', async () => {
  const s = setup();
  await s.lookup();
  s.cache.clear();
  await s.lookup();
  assert.equal(s.calls.length, 2);
});

test('a real request through http.Agent({ lookup }) to a made-up hostname', async (t) => {
  const server = http.createServer((req, res) => res.end(`hello ${req.headers.host}`));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const resolved: string[] = [];
  const cache = createDnsCache({
    resolve: async (hostname) => {
      resolved.push(hostname);
      if (hostname !== 'models.manga-assist.test') throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return [{ address: '127.0.0.1', family: 4 }];
    },
  });
  const agent = new http.Agent({ lookup: cache.lookup, keepAlive: false });
  t.after(() => {
    agent.destroy();
    server.close();
  });
  const get = () =>
    new Promise<string>((resolve, reject) => {
      const req = http.request({ host: 'models.manga-assist.test', port, path: '/', agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  assert.equal(await get(), `hello models.manga-assist.test:${port}`);
  assert.equal(await get(), `hello models.manga-assist.test:${port}`);
  assert.deepEqual(resolved, ['models.manga-assist.test'], 'the second request used the cache');
});
