import type { Redis } from 'ioredis';
import { deliver, warnInvalidationError } from './in-process-bus.ts';
import type { InvalidationBus } from './types.ts';
import { followSubscription } from '../messaging/redis-subscription.ts';

/** Options of the Redis pub/sub invalidation bus. */
export interface RedisBusOptions {
  /** How long start-up waits for the first subscription before going on without it (Redis down). @default 1000 */
  startupWaitMs?: number;
  /** Any client; owned by the caller. */
  publisher: Redis;
  /**
   * A dedicated client: a subscribed connection can run no other command. Owned by the caller.
   * One bus per channel on it: closing a bus unsubscribes the channel for the whole connection.
   */
  subscriber: Redis;
  /** @default 'mangaassist:invalidate' */
  channel?: string;
  /**
   * Told about malformed messages and throwing listeners (@default a process warning), and, only
   * when given, about the subscriber connection's errors (else ioredis reports them as it does).
   */
  onError?: (err: unknown) => void;
}

/**
 * Invalidations over Redis pub/sub: every node's subscriber, this one's included, gets every
 * message published while it is connected. Pub/sub keeps nothing for a subscriber that is away,
 * so when the subscriber's connection comes back after a loss the bus reports a gap, and the
 * node drops its whole in-process tier rather than serve entries whose invalidation it missed.
 */
export async function createRedisBus(opts: RedisBusOptions): Promise<InvalidationBus> {
  const { publisher, subscriber } = opts;
  const channel = opts.channel ?? 'mangaassist:invalidate';
  const onError = opts.onError ?? warnInvalidationError;
  const listeners = new Set<(tags: string[]) => void>();
  const gapListeners = new Set<() => void>();

  const onMessage = (from: string, message: string) => {
    if (from !== channel) return;
    let tags: unknown;
    try {
      tags = (JSON.parse(message) as { tags?: unknown }).tags;
    } catch (err) {
      onError(err);
      return;
    }
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) {
      onError(new Error(`malformed invalidation message: ${message.slice(0, 200)}`));
      return;
    }
    deliver(listeners, Object.freeze(tags) as string[], onError);
  };
  const onConnectionError = (err: unknown) => onError(err);

  subscriber.on('message', onMessage);
  if (opts.onError) subscriber.on('error', onConnectionError);
  // Reported as a gap once the channel is subscribed again (followSubscription says why only
  // then); a start-up while Redis is down counts as a loss too: the node may cache things
  // meanwhile whose invalidation it cannot hear.
  const followed = await followSubscription({
    subscriber,
    channels: [channel],
    onRestored: () => deliver(gapListeners, [], onError),
    onError,
    startupWaitMs: opts.startupWaitMs,
  });

  return {
    name: 'redis',
    async publish(tags) {
      if (tags.length === 0) return;
      await publisher.publish(channel, JSON.stringify({ tags }));
    },
    subscribe(listener) {
      const entry = (tags: string[]) => listener(tags);
      listeners.add(entry);
      return () => { listeners.delete(entry); };
    },
    onGap(listener) {
      const entry = () => listener();
      gapListeners.add(entry);
      return () => { gapListeners.delete(entry); };
    },
    async close() {
      subscriber.off('message', onMessage);
      subscriber.off('error', onConnectionError);
      listeners.clear();
      gapListeners.clear();
      // A connection its owner already ended has no subscription left to drop.
      await followed.stop();
    },
  };
}
