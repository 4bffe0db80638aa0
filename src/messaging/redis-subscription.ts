import type { Redis } from 'ioredis';

/** Options of followSubscription. */
export interface FollowOptions {
  /** A dedicated connection (a subscribed connection runs no other command), with its offline queue on. */
  subscriber: Redis;
  channels: string[];
  /** The connection dropped: from now on messages may be missed until `onRestored`. */
  onLost?: () => void;
  /** Subscribed again after a loss (or after a start-up that did not get through in time). */
  onRestored: () => void;
  onError: (err: unknown) => void;
  /** How long start-up waits for the first subscription before going on without it (Redis down). @default 1000 */
  startupWaitMs?: number;
}

/** A followed subscription: whether the first SUBSCRIBE got through in time, and how to stop following. */
export interface Followed {
  subscribedAtStart: boolean;
  /** Stops reporting and unsubscribes the channels when connected (a connection that is down or ended is its owner's to close). */
  stop(): Promise<void>;
}

/**
 * Subscribes `channels` on a Redis connection and reports every outage that may have lost
 * messages. Pub/sub keeps nothing for a subscriber that is away, so a user of it must hear when
 * its connection came back (the cache drops its in-process tier, the message bus re-syncs its
 * retained state). Shared by the cache invalidation bus and the message bus.
 *
 * ioredis has written its automatic SUBSCRIBE by the time 'ready' is emitted, but the server may
 * not have run it: a loss reported as over then could let the user re-sync while a message
 * published meanwhile still misses it. The reply to a SUBSCRIBE of our own, queued behind
 * ioredis's, proves the channels are subscribed again (subscribing twice is harmless: one
 * subscription, one delivery). It costs one round trip per outage.
 */
export async function followSubscription(opts: FollowOptions): Promise<Followed> {
  const { subscriber, channels, onError } = opts;
  let lost = false;
  let stopped = false;
  const onClose = () => {
    if (lost) return;
    lost = true;
    opts.onLost?.();
  };
  const onReady = () => {
    if (!lost || stopped) return;
    lost = false;
    subscriber.subscribe(...channels).then(
      () => opts.onRestored(),
      (err: unknown) => onError(err), // the connection dropped again: the next 'ready' retries
    );
  };
  subscriber.on('close', onClose);
  subscriber.on('ready', onReady);
  // A node must start while Redis is down: wait a moment for the subscription, then go on as if
  // the connection had been lost, so its arrival is reported like any other return.
  const first = subscriber.subscribe(...channels).then(() => true, (err: unknown) => (onError(err), false));
  const subscribedAtStart = await Promise.race([first, new Promise<false>((resolve) => setTimeout(resolve, opts.startupWaitMs ?? 1000, false).unref())]);
  if (!subscribedAtStart) {
    onClose();
    // A slow first reply on a connection that was up all along brings no 'ready' to wait for.
    void first.then((ok) => {
      if (!ok || !lost || stopped || subscriber.status !== 'ready') return;
      lost = false;
      opts.onRestored();
    });
  }
  return {
    subscribedAtStart,
    async stop() {
      stopped = true;
      subscriber.off('close', onClose);
      subscriber.off('ready', onReady);
      // Waiting for an UNSUBSCRIBE queued on a connection that is down would hang a shutdown
      // during an outage (a subscriber's offline queue keeps it until Redis is back).
      if (subscriber.status === 'ready') await subscriber.unsubscribe(...channels).catch(onError);
    },
  };
}
