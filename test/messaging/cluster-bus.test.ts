import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { createClusterHub, type ClusterHub } from '../../src/messaging/cluster-bus.ts';
import { BusError } from '../../src/messaging/types.ts';
import { messageBusContract } from './message-bus.contract.ts';

// The cluster IPC adapter: the contract from the primary's side (its own subscribers), then the
// service's case with real forked workers: fan-out and answers, one order for every process,
// retained state for a worker started later, a worker that dies or hangs mid-delivery.

messageBusContract('cluster hub (primary, no workers)', async ({ timeoutMs }) => {
  const bus = createClusterHub({ timeoutMs });
  return { bus, cleanup: () => bus.close() };
});

const WORKER = fileURLToPath(new URL('./fixtures/bus-worker.ts', import.meta.url));
// Long enough for a worker on a busy machine; only the hanging-worker case waits for it.
const HUB_TIMEOUT_MS = 4000;

describe('cluster bus across real workers', () => {
  let hub: ClusterHub;
  const workers: Worker[] = [];

  /** Forks a fixture worker and resolves once it is on the bus (it has been welcomed and subscribed). */
  async function fork(): Promise<Worker> {
    const worker = cluster.fork({ BUS_TIMEOUT_MS: String(HUB_TIMEOUT_MS) });
    workers.push(worker);
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m) => {
        if ((m as { ready?: number }).ready) resolve();
      });
      worker.once('exit', (code) => reject(new Error(`worker exited (${code}) before joining`)));
    });
    return worker;
  }

  const pidOf = (w: Worker) => w.process.pid!;
  const live = () => workers.filter((w) => w.isConnected());
  const byPid = <T extends { pid: number }>(answers: unknown[]) => (answers as T[]).sort((a, b) => a.pid - b.pid);

  before(async () => {
    // The test runner's flags must not reach the workers.
    cluster.setupPrimary({ exec: WORKER, execArgv: [], silent: false });
    hub = createClusterHub({ timeoutMs: HUB_TIMEOUT_MS });
    await Promise.all([fork(), fork()]);
  });

  after(async () => {
    for (const w of workers) if (!w.isDead()) w.kill('SIGKILL');
    await hub.close();
  });

  it('a publish from the primary reaches every worker and answers with each one\'s answer', async () => {
    assert.deepEqual(hub.members().sort(), live().map(pidOf).sort());
    const answers = byPid<{ pid: number; m: unknown }>(await hub.publish('echo', { hello: 'workers' }));
    assert.deepEqual(answers, live().map(pidOf).sort((a, b) => a - b).map((pid) => ({ pid, m: { hello: 'workers' } })));
  });

  it('a worker\'s publish reaches every worker (itself included) and the primary, and answers the publisher with all of it', async () => {
    const seenByPrimary: unknown[] = [];
    const off = hub.subscribe('echo', (m) => {
      seenByPrimary.push(m);
      return { pid: process.pid, m };
    });
    try {
      const [publisher] = live();
      const [relayed] = (await hub.publish('relay', { pid: pidOf(publisher), topic: 'echo', message: { from: 'a worker' } })) as { pid: number; answers: unknown[] }[];
      assert.equal(relayed.pid, pidOf(publisher));
      const pids = [process.pid, ...live().map(pidOf)].sort((a, b) => a - b);
      assert.deepEqual(byPid<{ pid: number }>(relayed.answers).map((a) => a.pid), pids);
      assert.deepEqual(seenByPrimary, [{ from: 'a worker' }]);
    } finally {
      off();
    }
  });

  it('every process handles one topic\'s messages in the same order, even when two workers publish at once', async () => {
    const primaryOrder: unknown[] = [];
    const off = hub.subscribe('order', (m) => {
      primaryOrder.push(m);
    });
    try {
      const sent = await Promise.all(live().map((w) => hub.publish('burst', { pid: pidOf(w), count: 25 })));
      assert.equal(sent.flat().length, 2);
      const orders = (await hub.publish('order.get', null)) as { pid: number; order: unknown[] }[];
      assert.equal(orders.length, 2);
      for (const o of orders) assert.deepEqual(o.order.slice(-50), primaryOrder.slice(-50), `worker ${o.pid}`);
      assert.equal(primaryOrder.length, 50);
      // Both publishers' messages are there, each publisher's in the order it sent them.
      for (const w of live()) {
        const mine = primaryOrder.filter((m) => String(m).startsWith(`${pidOf(w)}:`));
        assert.deepEqual(mine, Array.from({ length: 25 }, (_, i) => `${pidOf(w)}:${i}`));
      }
    } finally {
      off();
    }
  });

  it('a worker started later is handed the retained state before it subscribes', async () => {
    await hub.publish('state', { key: 'catalog', value: { down: true } }, { retain: 'catalog' });
    await hub.publish('state', { key: 'orders', value: { errorRate: 0.5 } }, { retain: 'orders' });
    await hub.publish('state', { key: 'catalog', value: null }, { retain: 'catalog' });
    const late = await fork();
    const states = byPid<{ pid: number; state: unknown }>(await hub.publish('state.get', null));
    assert.equal(states.length, 3);
    for (const s of states) assert.deepEqual(s.state, { orders: { errorRate: 0.5 } }, `worker ${s.pid}${s.pid === pidOf(late) ? ' (started later)' : ''}`);
  });

  it('a failing handler in one worker rejects the publish with its error; the primary\'s handler still ran', async () => {
    const [failing] = live();
    const seen: unknown[] = [];
    const off = hub.subscribe('fail', () => {
      seen.push('primary');
    });
    try {
      await assert.rejects(hub.publish('fail', { pid: pidOf(failing) }), (err: unknown) => err instanceof BusError && err.message.includes(`worker ${pidOf(failing)} failing on purpose`));
      assert.deepEqual(seen, ['primary']);
    } finally {
      off();
    }
  });

  it('a worker that hangs makes the publish fail after the timeout, naming it', async () => {
    const [hanging] = live();
    await assert.rejects(hub.publish('hang', { pid: pidOf(hanging) }), (err: unknown) => err instanceof BusError && err.message.includes(`no answer within ${HUB_TIMEOUT_MS} ms from worker ${pidOf(hanging)}`));
    // Its 'hang' topic stays blocked, but the worker and its other topics are fine.
    assert.equal((await hub.publish('echo', 'still there')).length, live().length);
    hanging.kill('SIGKILL');
    await new Promise((r) => hanging.once('exit', r));
  });

  it('a worker that dies while handling a message is not waited for', async () => {
    const before = live();
    assert.ok(before.length >= 2, `${before.length} workers`);
    const [dying] = before;
    const exited = new Promise((r) => dying.once('exit', r));
    const answers = await hub.publish('crash', { pid: pidOf(dying) });
    assert.deepEqual(answers, []);
    await exited;
    assert.ok(!hub.members().includes(pidOf(dying)));
    assert.equal((await hub.publish('echo', 'after the crash')).length, before.length - 1);
  });
});
