import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { createInProcessMessageBus } from '../messaging/in-process-bus.ts';
import { createRedisMessageBus, type FleetBus } from '../messaging/redis-bus.ts';
import type { MessageBus } from '../messaging/types.ts';

/** The message buses of one service process (BUS_BACKEND). */
export interface Messaging {
  /**
   * This machine: this process, or every worker of it (WORKERS > 1, through the primary). Metrics
   * scrapes add up its processes and never a fleet's: Prometheus scrapes each node and is the
   * fleet's view.
   */
  machine: MessageBus;
  /**
   * Every process of the service, on every node: admin fault changes, data-change events,
   * operator replies. With BUS_BACKEND=local it is `machine`.
   */
  fleet: MessageBus;
  /** This process's name on the fleet bus and in the admin fault report. */
  nodeId: string;
  /** Called when the fleet bus may have missed messages (Redis was unreachable); never with BUS_BACKEND=local. */
  onGap(listener: () => void): () => void;
  /** For /v1/admin/resilience. */
  status(): { backend: Config['BUS_BACKEND']; node: string; inSync: boolean };
  close(): Promise<void>;
}

/**
 * The node's name: NODE_ID, or hostname:pid. Every worker of a machine is a member of the fleet
 * bus of its own, so with WORKERS > 1 a configured NODE_ID gets the worker's pid too.
 */
export function nodeIdOf(config: Config): string {
  if (!config.NODE_ID) return `${hostname()}:${process.pid}`;
  return config.WORKERS > 1 ? `${config.NODE_ID}:${process.pid}` : config.NODE_ID;
}

/**
 * Builds the buses. `workerBus` is this worker's link to its machine's primary (main.ts, WORKERS
 * > 1); without it the machine is this one process. BUS_BACKEND=redis adds the fleet bus over
 * REDIS_URL, with its own two connections; a node starts without it when Redis does not answer in
 * time, and syncs (a gap) once it does.
 */
export async function createMessaging(config: Config, ctx: { logger: Logger; workerBus?: MessageBus }): Promise<Messaging> {
  const { logger, workerBus } = ctx;
  const nodeId = nodeIdOf(config);
  const onError = (err: unknown) => logger.warn({ err }, 'message bus');
  const local = workerBus ?? createInProcessMessageBus({ timeoutMs: config.BUS_TIMEOUT_MS, onError });
  const closeLocal = async () => {
    if (!workerBus) await local.close();
  };

  if (config.BUS_BACKEND === 'local') {
    return {
      machine: local,
      fleet: local,
      nodeId,
      onGap: () => () => {},
      status: () => ({ backend: 'local', node: nodeId, inSync: true }),
      close: closeLocal,
    };
  }

  // ioredis is loaded only when Redis is configured: importing it cost ~45 ms of every start (issue 16: cold start).
  const { Redis } = await import('ioredis');
  const client = (role: string, offlineQueue: boolean) => {
    const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: offlineQueue, maxRetriesPerRequest: offlineQueue ? null : 0, connectionName: `mangaassist-bus-${role}` });
    redis.on('error', (err) => logger.debug({ err, role }, 'bus redis error'));
    return redis;
  };
  // Scripts and answers fail fast while Redis is away (a publish says so at once); the subscriber
  // queues its SUBSCRIBE until connected, so a node started during an outage joins once Redis is back.
  const publisher = client('publish', false);
  const subscriber = client('subscribe', true);
  let bus: FleetBus;
  try {
    bus = await createRedisMessageBus({
      publisher,
      subscriber,
      nodeId,
      prefix: config.BUS_PREFIX,
      timeoutMs: config.BUS_TIMEOUT_MS,
      heartbeatMs: config.BUS_HEARTBEAT_MS,
      stateTtlMs: config.BUS_STATE_TTL_MS,
      onError,
    });
  } catch (err) {
    publisher.disconnect();
    subscriber.disconnect();
    await closeLocal();
    throw err;
  }
  if (!bus.inSync()) logger.warn({ node: nodeId }, 'message bus: Redis did not answer in time; going on without the fleet\'s faults and pushes until it does');
  bus.onGap(() => logger.warn({ node: nodeId }, 'message bus back after a gap: retained state re-synced, caches and undelivered replies being caught up'));
  return {
    machine: local,
    fleet: bus,
    nodeId,
    onGap: (listener) => bus.onGap(listener),
    status: () => ({ backend: 'redis', node: nodeId, inSync: bus.inSync() }),
    async close() {
      await bus.close();
      publisher.disconnect();
      subscriber.disconnect();
      await closeLocal();
    },
  };
}
