import cluster, { type Worker } from 'node:cluster';
import { asJson, createDispatcher, type Handled, type Retained } from './dispatcher.ts';
import { BUS_TIMEOUT_MS, warnBusError, type BusOptions } from './in-process-bus.ts';
import { BusError, type MessageBus } from './types.ts';

// The bus over node:cluster IPC. The primary is the hub: a worker's publish goes to it, it numbers
// the message, keeps it if retained, hands it to every worker on the bus (the publisher too) and
// to its own subscribers, and answers the publisher once all of them have handled it. One hub
// means one order: every process sees a topic's messages in the order the hub sent them.
//
// Wire messages (JSON, tagged so other IPC users such as prom-client's are left alone):
//   worker → primary: hello | publish {id, topic, message, retain} | ack {seq, answers, errors}
//   primary → worker: welcome {retained} | deliver {seq, topic, message, retain} | published {id, answers, errors}

const TAG = 'mangaassist.bus';

type Wire =
  | { bus: typeof TAG; kind: 'hello' }
  | { bus: typeof TAG; kind: 'welcome'; retained: Retained[] }
  | { bus: typeof TAG; kind: 'publish'; id: number; topic: string; message: unknown; retain?: string }
  | { bus: typeof TAG; kind: 'published'; id: number; answers: unknown[]; errors: string[] }
  | { bus: typeof TAG; kind: 'deliver'; seq: number; topic: string; message: unknown; retain?: string }
  | { bus: typeof TAG; kind: 'ack'; seq: number; answers: unknown[]; errors: string[] };

function isWire(m: unknown): m is Wire {
  return typeof m === 'object' && m !== null && (m as { bus?: unknown }).bus === TAG;
}

/** The primary's side of the cluster bus; also a bus for the primary's own publishes and subscriptions. */
export interface ClusterHub extends MessageBus {
  /** Pids of the workers on the bus (joined, not exited). */
  members(): number[];
}

interface Flight {
  /** Worker id → pid of the workers that have not answered yet. */
  waiting: Map<number, number>;
  /** True until the primary's own subscribers have handled it. */
  local: boolean;
  handled: Handled;
  finish(): void;
}

/**
 * Starts the hub in the primary; create it before forking, so no worker's hello is missed.
 * Workers join with `connectClusterBus()`.
 */
export function createClusterHub(opts: BusOptions = {}): ClusterHub {
  if (!cluster.isPrimary) throw new Error('createClusterHub runs in the cluster primary');
  const timeoutMs = opts.timeoutMs ?? BUS_TIMEOUT_MS;
  const dispatcher = createDispatcher(opts.onError ?? warnBusError);
  const members = new Map<number, Worker>();
  // Messages on their way, by sequence number.
  const flights = new Map<number, Flight>();
  let seq = 0;
  let closed = false;

  function send(worker: Worker, message: Wire): boolean {
    if (!worker.isConnected()) return false;
    try {
      // The callback takes a failed write (the worker just died) off the error event.
      worker.send(message, undefined, () => {});
      return true;
    } catch {
      return false;
    }
  }

  function settle(flight: Flight): void {
    if (!flight.local && flight.waiting.size === 0) flight.finish();
  }

  function gone(worker: Worker): void {
    if (!members.delete(worker.id)) return;
    for (const flight of [...flights.values()]) {
      if (flight.waiting.delete(worker.id)) settle(flight);
    }
  }

  /** One message to every process on the bus; resolves with what they made of it. */
  function fanOut(topic: string, message: unknown, retain: string | undefined): Promise<Handled> {
    if (closed) return Promise.resolve({ answers: [], errors: ['the bus is closed'] });
    const n = ++seq;
    return new Promise<Handled>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const flight: Flight = {
        waiting: new Map(),
        local: true,
        handled: { answers: [], errors: [] },
        finish() {
          if (!flights.delete(n)) return;
          clearTimeout(timer);
          resolve(flight.handled);
        },
      };
      flights.set(n, flight);
      for (const [id, worker] of members) {
        if (send(worker, { bus: TAG, kind: 'deliver', seq: n, topic, message, retain })) flight.waiting.set(id, worker.process.pid ?? -1);
      }
      timer = setTimeout(() => {
        const missing = [...flight.waiting.values()].map((pid) => `worker ${pid}`);
        if (flight.local) missing.unshift('the primary');
        flight.handled.errors.push(`no answer within ${timeoutMs} ms from ${missing.join(', ')}`);
        flight.finish();
      }, timeoutMs);
      // The primary's own subscribers (and its authoritative copy of the retained messages).
      void dispatcher.deliver(topic, message, retain).then((mine) => {
        flight.handled.errors.push(...mine.errors);
        try {
          flight.handled.answers.push(...mine.answers.map(asJson));
        } catch (err) {
          flight.handled.errors.push(`answer not serialisable: ${(err as Error).message}`);
        }
        flight.local = false;
        settle(flight);
      });
    });
  }

  const onMessage = (worker: Worker, message: unknown) => {
    if (!isWire(message) || closed) return;
    if (message.kind === 'hello') {
      // Joined and handed the retained messages in one step: every later message reaches it.
      members.set(worker.id, worker);
      send(worker, { bus: TAG, kind: 'welcome', retained: dispatcher.retained() });
    } else if (message.kind === 'ack') {
      const flight = flights.get(message.seq);
      if (!flight || !flight.waiting.delete(worker.id)) return;
      flight.handled.answers.push(...message.answers);
      flight.handled.errors.push(...message.errors);
      settle(flight);
    } else if (message.kind === 'publish') {
      const { id } = message;
      void fanOut(message.topic, message.message, message.retain).then((handled) => {
        send(worker, { bus: TAG, kind: 'published', id, answers: handled.answers, errors: handled.errors });
      });
    }
  };
  const onGone = (worker: Worker) => gone(worker);
  cluster.on('message', onMessage);
  cluster.on('exit', onGone);
  cluster.on('disconnect', onGone);

  return {
    async publish(topic, message, publishOpts) {
      const handled = await fanOut(topic, asJson(message), publishOpts?.retain);
      if (handled.errors.length) throw new BusError(topic, handled.errors);
      return handled.answers;
    },
    subscribe: (topic, handler) => dispatcher.subscribe(topic, handler),
    members: () => [...members.values()].map((w) => w.process.pid ?? -1),
    async close() {
      closed = true;
      cluster.off('message', onMessage);
      cluster.off('exit', onGone);
      cluster.off('disconnect', onGone);
      for (const flight of [...flights.values()]) {
        flight.handled.errors.push('the bus is closed');
        flight.finish();
      }
      dispatcher.clear();
    },
  };
}

/**
 * Joins the primary's hub from a cluster worker; resolves once the hub has handed over the
 * retained messages, so what this worker subscribes to next starts from the service's state.
 */
export async function connectClusterBus(opts: BusOptions = {}): Promise<MessageBus> {
  if (!cluster.isWorker || !process.send) throw new Error('connectClusterBus runs in a cluster worker');
  const timeoutMs = opts.timeoutMs ?? BUS_TIMEOUT_MS;
  const dispatcher = createDispatcher(opts.onError ?? warnBusError);
  const calls = new Map<number, { topic: string; resolve(h: Handled): void }>();
  let nextId = 0;
  let closed = false;
  let welcomed: (() => void) | undefined;

  const send = (message: Wire): boolean => {
    if (!process.connected) return false;
    try {
      process.send!(message, undefined, {}, () => {});
      return true;
    } catch {
      return false;
    }
  };

  const onMessage = (message: unknown) => {
    if (!isWire(message) || closed) return;
    if (message.kind === 'welcome') {
      dispatcher.restore(message.retained);
      welcomed?.();
    } else if (message.kind === 'deliver') {
      const { seq } = message;
      void dispatcher.deliver(message.topic, message.message, message.retain).then((handled) => {
        // Answers go back as JSON; one that cannot be serialised is this handler's error, not a lost ack.
        let answers: unknown[];
        try {
          answers = handled.answers.map(asJson);
        } catch (err) {
          answers = [];
          handled.errors.push(`answer not serialisable: ${(err as Error).message}`);
        }
        send({ bus: TAG, kind: 'ack', seq, answers, errors: handled.errors });
      });
    } else if (message.kind === 'published') {
      const call = calls.get(message.id);
      calls.delete(message.id);
      call?.resolve({ answers: message.answers, errors: message.errors });
    }
  };
  process.on('message', onMessage);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message bus hub answered in the primary within ${timeoutMs} ms`)), timeoutMs);
    welcomed = () => {
      clearTimeout(timer);
      resolve();
    };
    if (!send({ bus: TAG, kind: 'hello' })) {
      clearTimeout(timer);
      reject(new Error('the IPC channel to the primary is closed'));
    }
  }).catch((err) => {
    process.off('message', onMessage);
    throw err;
  });

  return {
    async publish(topic, message, publishOpts) {
      if (closed) throw new BusError(topic, ['the bus is closed']);
      const id = ++nextId;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const handled = await new Promise<Handled>((resolve) => {
        calls.set(id, { topic, resolve });
        // The hub times out its own waits first; this covers a hub that is gone.
        timer = setTimeout(() => {
          calls.delete(id);
          resolve({ answers: [], errors: [`the primary did not answer within ${timeoutMs * 2} ms`] });
        }, timeoutMs * 2);
        if (!send({ bus: TAG, kind: 'publish', id, topic, message: asJson(message), retain: publishOpts?.retain })) {
          calls.delete(id);
          resolve({ answers: [], errors: ['the IPC channel to the primary is closed'] });
        }
      }).finally(() => clearTimeout(timer));
      if (handled.errors.length) throw new BusError(topic, handled.errors);
      return handled.answers;
    },
    subscribe: (topic, handler) => dispatcher.subscribe(topic, handler),
    async close() {
      closed = true;
      process.off('message', onMessage);
      for (const [id, call] of calls) {
        calls.delete(id);
        call.resolve({ answers: [], errors: ['the bus is closed'] });
      }
      dispatcher.clear();
    },
  };
}
