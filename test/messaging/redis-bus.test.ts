import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis, type RedisOptions } from 'ioredis';
import { createRedisMessageBus, type FleetBus, type RedisMessageBusOptions } from '../../src/messaging/redis-bus.ts';
import { BusError } from '../../src/messaging/types.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { startCutProxy } from '../helpers/cut-proxy.ts';
import { messageBusContract } from './message-bus.contract.ts';

// The Redis adapter against a real redis-server: the contract from one node's side, then a fleet
// of nodes on one Redis: fan-out and answers, one order for every node, retained state for a node
// started later, nodes that fail, hang, leave or vanish, a node cut off from Redis (it is told,
// and catches up with the retained state), and a Redis that comes back empty.

let server: TestRedis;
let prefixes = 0;
const nextPrefix = () => `test:bus:${process.pid}:${++prefixes}`;

before(async () => {
  server = await startRedis();
});
after(async () => {
  await server.stop();
});

/** A node: its two connections to `url` and its bus; reconnecting fast so outages stay short. */
async function node(url: string, opts: Partial<RedisMessageBusOptions> & { prefix: string; nodeId: string }, redisOptions: RedisOptions = {}): Promise<{ bus: FleetBus; publisher: Redis; subscriber: Redis; close(): Promise<void>; kill(): void }> {
  const options: RedisOptions = { retryStrategy: () => 50, ...redisOptions };
  const publisher = new Redis(url, { ...options, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectionName: `${opts.nodeId}-pub` });
  const subscriber = new Redis(url, { ...options, connectionName: `${opts.nodeId}-sub` });
  publisher.on('error', () => {});
  subscriber.on('error', () => {});
  const bus = await createRedisMessageBus({ publisher, subscriber, onError: () => {}, ...opts });
  let gone = false;
  return {
    bus,
    publisher,
    subscriber,
    async close() {
      if (gone) return;
      gone = true;
      await bus.close();
      publisher.disconnect();
      subscriber.disconnect();
    },
    /** Like a SIGKILL: the connections drop, no goodbye. */
    kill() {
      gone = true;
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

messageBusContract('redis (one node)', async ({ timeoutMs }) => {
  const n = await node(server.url, { prefix: nextPrefix(), nodeId: 'contract', timeoutMs });
  return { bus: n.bus, cleanup: () => n.close() };
});

describe('redis bus across nodes', () => {
  const nodes: Awaited<ReturnType<typeof node>>[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
  });
  const fleet = async (ids: string[], opts: Partial<RedisMessageBusOptions> = {}, url = server.url) => {
    const prefix = opts.prefix ?? nextPrefix();
    const made = [];
    for (const nodeId of ids) {
      const n = await node(url, { heartbeatMs: 100, ...opts, prefix, nodeId });
      nodes.push(n);
      made.push(n);
    }
    return { prefix, made };
  };

  it('a publish reaches every node, the publisher\'s own included, and resolves with each one\'s answer', async () => {
    const { made } = await fleet(['a', 'b', 'c']);
    for (const n of made) n.bus.subscribe('echo', (m) => ({ node: n.bus.nodeId, m }));
    assert.deepEqual((await made[0].bus.members()).sort(), ['a', 'b', 'c']);
    const answers = (await made[1].bus.publish('echo', { hello: 'fleet' })) as { node: string }[];
    assert.deepEqual(answers.sort((x, y) => x.node.localeCompare(y.node)), ['a', 'b', 'c'].map((node) => ({ node, m: { hello: 'fleet' } })));
  });

  it('every node handles one topic\'s messages in the same order, with two nodes publishing at once', async () => {
    const { made } = await fleet(['a', 'b', 'c']);
    const orders = new Map(made.map((n) => [n.bus.nodeId, [] as unknown[]]));
    for (const n of made) {
      n.bus.subscribe('order', async (m) => {
        // Handlers that take different times must not reorder anything.
        if ((m as string).endsWith('0')) await sleep(5);
        orders.get(n.bus.nodeId)!.push(m);
      });
    }
    await Promise.all(made.slice(0, 2).flatMap((n) => Array.from({ length: 25 }, (_, i) => n.bus.publish('order', `${n.bus.nodeId}:${i}`))));
    const reference = orders.get('a')!;
    assert.equal(reference.length, 50);
    for (const [id, order] of orders) assert.deepEqual(order, reference, `node ${id}`);
    for (const publisher of ['a', 'b']) {
      assert.deepEqual(reference.filter((m) => (m as string).startsWith(`${publisher}:`)), Array.from({ length: 25 }, (_, i) => `${publisher}:${i}`));
    }
  });

  it('a node started later is handed the latest retained message of each key, in order, before it subscribes', async () => {
    const { prefix, made: [a] } = await fleet(['a']);
    await a.bus.publish('state', { key: 'catalog', down: true }, { retain: 'catalog' });
    await a.bus.publish('state', { key: 'orders', errorRate: 0.5 }, { retain: 'orders' });
    await a.bus.publish('state', { note: 'not retained' });
    await a.bus.publish('state', { key: 'catalog', down: false }, { retain: 'catalog' });
    await a.close();
    // A rolling restart: nobody is left on the bus while the next node starts.
    const { made: [late] } = await fleet(['late'], { prefix });
    const seen: unknown[] = [];
    late.bus.subscribe('state', (m) => {
      seen.push(m);
    });
    assert.deepEqual(seen, [{ key: 'orders', errorRate: 0.5 }, { key: 'catalog', down: false }]);
  });

  it('a failing handler on another node rejects the publish naming the node; every other handler ran', async () => {
    const { made: [a, b, c] } = await fleet(['a', 'b', 'c']);
    const ran: string[] = [];
    a.bus.subscribe('fail', () => void ran.push('a'));
    b.bus.subscribe('fail', () => {
      throw new Error('failing on purpose');
    });
    c.bus.subscribe('fail', () => void ran.push('c'));
    await assert.rejects(a.bus.publish('fail', 1), (err: unknown) => err instanceof BusError && err.failures.length === 1 && err.failures[0] === 'failing on purpose (node b)');
    assert.deepEqual(ran.sort(), ['a', 'c']);
  });

  it('a node that does not answer in time fails the publish, named; one that closes is not waited for', async () => {
    const { made: [a, b, c] } = await fleet(['a', 'b', 'c'], { timeoutMs: 600 });
    b.bus.subscribe('hang', () => new Promise(() => {}));
    await assert.rejects(a.bus.publish('hang', 1), (err: unknown) => err instanceof BusError && /no answer within 600 ms from node b$/.test(err.message));
    // C is closing while A's message is on its way: A stops waiting for it when it leaves.
    let release = () => {};
    c.bus.subscribe('slow', () => new Promise<void>((r) => (release = r)));
    const pending = a.bus.publish('slow', 1);
    await sleep(50);
    await c.close();
    release();
    assert.deepEqual(await pending, []);
    assert.deepEqual((await a.bus.members()).sort(), ['a', 'b']);
  });

  it('a node that vanishes without leaving is no longer waited for once its presence expired', async () => {
    const { made: [a, b] } = await fleet(['a', 'b'], { timeoutMs: 5000 });
    b.bus.subscribe('t', () => new Promise(() => {}));
    const pending = a.bus.publish('t', 'to the dying');
    await sleep(20);
    b.kill();
    // Resolves without B's answer (rather than a BusError after 5 s): B's heartbeat stopped 3 periods ago.
    assert.deepEqual(await pending, []);
    assert.deepEqual(await a.bus.members(), ['a']);
  });

  it('a node cut off from Redis misses messages, is told once it is back, and catches up with the retained state', async () => {
    const proxy = await startCutProxy({ host: '127.0.0.1', port: server.port });
    try {
      const { prefix, made: [a] } = await fleet(['a']);
      const b = await node(proxy.url, { prefix, nodeId: 'b', heartbeatMs: 100 });
      nodes.push(b);
      const seenByB: unknown[] = [];
      b.bus.subscribe('faults', (m) => {
        seenByB.push(m);
        return 'b';
      });
      b.bus.subscribe('events', (m) => {
        seenByB.push(m);
      });
      let gaps = 0;
      b.bus.onGap(() => gaps++);
      await a.bus.publish('faults', { catalog: 'down' }, { retain: 'catalog' });
      assert.deepEqual(seenByB, [{ catalog: 'down' }]);

      proxy.cut();
      while (b.bus.inSync()) await sleep(10); // B hears its connection close
      await assert.rejects(b.bus.publish('events', 'from the island'), (err: unknown) => err instanceof BusError && /not in sync/.test(err.message));
      // A waits for B until B's presence expires, then goes on without it.
      await a.bus.publish('faults', { catalog: 'up' }, { retain: 'catalog' });
      await a.bus.publish('faults', { orders: 'slow' }, { retain: 'orders' });
      await a.bus.publish('faults', { orders: 'down' }, { retain: 'orders' });
      await a.bus.publish('events', 'missed: not retained');
      assert.deepEqual(await a.bus.members(), ['a']);
      assert.equal(gaps, 0);

      const told = new Promise<void>((resolve) => b.bus.onGap(resolve));
      proxy.restore();
      await told;
      assert.equal(gaps, 1);
      assert.equal(b.bus.inSync(), true);
      // The latest of each retained key it missed, in publication order; nothing not retained.
      assert.deepEqual(seenByB, [{ catalog: 'down' }, { catalog: 'up' }, { orders: 'down' }]);
      // Present and answering again.
      assert.deepEqual(await a.bus.publish('faults', { reviews: 'down' }, { retain: 'reviews' }), ['b']);
      assert.deepEqual((await a.bus.members()).sort(), ['a', 'b']);
      assert.deepEqual(seenByB.at(-1), { reviews: 'down' });
      await sleep(300);
      assert.equal(gaps, 1, 'one gap for one outage');
    } finally {
      await proxy.close();
    }
  });

  it('closes at once while Redis is unreachable (nothing waits for an outage to end)', async () => {
    const proxy = await startCutProxy({ host: '127.0.0.1', port: server.port });
    try {
      const { prefix, made: [a] } = await fleet(['a']);
      // As the service configures it: the subscriber keeps commands queued until Redis is back.
      const b = await node(proxy.url, { prefix, nodeId: 'b', heartbeatMs: 100 }, { maxRetriesPerRequest: null });
      proxy.cut();
      while (b.bus.inSync()) await sleep(10);
      await b.close();
      // A does not wait for B either: B's presence expires.
      assert.deepEqual(await a.bus.publish('t', 1), []);
    } finally {
      await proxy.close();
    }
  });

  it('a Redis that comes back empty gets the retained state back from the nodes; a node started afterwards has it', async () => {
    const own = await startRedis();
    try {
      const { prefix, made: [a, b] } = await fleet(['a', 'b'], {}, own.url);
      await a.bus.publish('faults', { catalog: 'down' }, { retain: 'catalog' });
      await b.bus.publish('faults', { orders: 'slow' }, { retain: 'orders' });
      const gaps = [a, b].map((n) => new Promise<void>((resolve) => n.bus.onGap(resolve)));
      await own.restart();
      await Promise.all(gaps);
      const { made: [c] } = await fleet(['c'], { prefix }, own.url);
      const seen: unknown[] = [];
      c.bus.subscribe('faults', (m) => void seen.push(m));
      assert.deepEqual(seen, [{ catalog: 'down' }, { orders: 'slow' }]);
      // And the three of them are one bus again.
      for (const n of [a, b, c]) n.bus.subscribe('who', () => n.bus.nodeId);
      assert.deepEqual(((await c.bus.publish('who', null)) as string[]).sort(), ['a', 'b', 'c']);
    } finally {
      for (const n of nodes.splice(0)) await n.close();
      await own.stop();
    }
  });

  it('a node that starts while Redis is down goes on without it and syncs (a gap) once Redis answers', async () => {
    const proxy = await startCutProxy({ host: '127.0.0.1', port: server.port });
    try {
      const { prefix, made: [a] } = await fleet(['a']);
      await a.bus.publish('faults', { catalog: 'down' }, { retain: 'catalog' });
      proxy.cut();
      const b = await node(proxy.url, { prefix, nodeId: 'b', heartbeatMs: 100, startupWaitMs: 200 });
      nodes.push(b);
      assert.equal(b.bus.inSync(), false);
      const seen: unknown[] = [];
      b.bus.subscribe('faults', (m) => void seen.push(m));
      assert.deepEqual(seen, []);
      const told = new Promise<void>((resolve) => b.bus.onGap(resolve));
      proxy.restore();
      await told;
      assert.deepEqual(seen, [{ catalog: 'down' }]);
      assert.deepEqual((await b.bus.members()).sort(), ['a', 'b']);
    } finally {
      await proxy.close();
    }
  });
});
