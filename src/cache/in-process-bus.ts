import type { InvalidationBus } from './types.ts';

export interface InProcessBusOptions {
  /** Told when a listener throws. @default a process warning */
  onError?: (err: unknown) => void;
}

/**
 * The invalidation bus of a single node: publish reaches this node's subscribers and nothing
 * else, and never misses a message, so `onGap` never fires.
 *
 * Delivery is asynchronous (a microtask), as it is over Redis: a caller must not come to rely on
 * listeners having run inside `publish`, or on running before a listener re-enters the cache.
 * Being a microtask, it has still happened by the time `await publish()` resumes.
 */
export function createInProcessBus(opts: InProcessBusOptions = {}): InvalidationBus {
  const onError = opts.onError ?? warnInvalidationError;
  const listeners = new Set<(tags: string[]) => void>();

  return {
    name: 'in-process',
    async publish(tags) {
      if (tags.length === 0) return;
      // A copy: the caller may reuse its array before delivery; frozen: listeners share it.
      const message = Object.freeze([...tags]) as string[];
      queueMicrotask(() => deliver(listeners, message, onError));
    },
    subscribe(listener) {
      // A wrapper per subscription, so subscribing one function twice gives two subscriptions.
      const entry = (tags: string[]) => listener(tags);
      listeners.add(entry);
      return () => { listeners.delete(entry); };
    },
    onGap() {
      return () => {};
    },
    async close() {
      listeners.clear();
    },
  };
}

/** Calls every listener, so that one that throws does not keep the others from invalidating. */
export function deliver(listeners: Iterable<(tags: string[]) => void>, tags: string[], onError: (err: unknown) => void): void {
  for (const listener of [...listeners]) {
    try {
      listener(tags);
    } catch (err) {
      onError(err);
    }
  }
}

/** Where listener errors go when the caller gave no `onError`: visible, without crashing the node. */
export function warnInvalidationError(err: unknown): void {
  process.emitWarning(`invalidation bus: ${err instanceof Error ? err.stack ?? err.message : String(err)}`, 'CacheInvalidationWarning');
}
