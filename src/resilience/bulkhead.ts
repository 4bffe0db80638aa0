import { DependencyError } from './types.ts';

/** Options of a bulkhead (one dependency's connection pool). */
export interface BulkheadOptions {
  /** Dependency name, for the errors. */
  dependency: string;
  /** Calls in flight at once (pool size). */
  concurrency: number;
  /** Calls that may wait for a slot; more are refused at once. */
  queue: number;
  /** Longest wait for a slot (checkout timeout), ms; Infinity waits for ever. */
  checkoutTimeoutMs: number;
  /** Starts a timer and returns its cancel function. @default setTimeout */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

/** Bounded concurrency with a bounded FIFO wait queue. */
export interface Bulkhead {
  /** Runs `fn` once it holds a slot; the slot is given back when `fn` settles. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Waits for a slot; call the returned function (once is enough) to give it back. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Slots taken. */
  inUse(): number;
  /** Calls waiting for a slot. */
  queued(): number;
  readonly concurrency: number;
  readonly queueLimit: number;
}

interface Waiter {
  grant(): void;
}

const realTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/**
 * A pool-like bulkhead. Hand-written because cockatiel's BulkheadPolicy keeps a cancelled waiter
 * in its queue (taking a queue place) until the waiter reaches the head, and has no checkout
 * timeout: during a pool exhaustion (seed 004, scenario 2: 10/10 active, 45 waiting, 4.8 s
 * checkout wait) the queue would fill with callers long gone. Here a waiter whose signal aborts
 * or whose checkout timeout passes leaves the queue at once.
 */
export function createBulkhead(opts: BulkheadOptions): Bulkhead {
  const { dependency, concurrency, queue: queueLimit, checkoutTimeoutMs } = opts;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`bulkhead concurrency must be an integer >= 1, got ${concurrency}`);
  if (!Number.isInteger(queueLimit) || queueLimit < 0) throw new RangeError(`bulkhead queue must be an integer >= 0, got ${queueLimit}`);
  if (!(checkoutTimeoutMs >= 0)) throw new RangeError(`bulkhead checkoutTimeoutMs must be >= 0, got ${checkoutTimeoutMs}`);
  const setTimer = opts.setTimer ?? realTimer;
  let active = 0;
  // A Set is a FIFO with O(1) removal from the middle, which leaving waiters need.
  const waiters = new Set<Waiter>();

  const releaser = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active--;
      const next = waiters.values().next();
      if (!next.done) {
        waiters.delete(next.value);
        next.value.grant(); // the slot passes straight on, so nobody can jump the queue
      }
    };
  };

  const acquire = (signal?: AbortSignal): Promise<() => void> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (active < concurrency && waiters.size === 0) {
      active++;
      return Promise.resolve(releaser());
    }
    if (waiters.size >= queueLimit) {
      return Promise.reject(new DependencyError(dependency, 'bulkhead_full', { message: `${dependency}: all ${concurrency} slots in use and ${waiters.size} calls waiting` }));
    }
    return new Promise((resolve, reject) => {
      let cancelTimer = () => {};
      const onAbort = () => {
        waiters.delete(waiter);
        cancelTimer();
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant() {
          cancelTimer();
          signal?.removeEventListener('abort', onAbort);
          active++;
          resolve(releaser());
        },
      };
      waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (Number.isFinite(checkoutTimeoutMs)) {
        cancelTimer = setTimer(() => {
          if (!waiters.delete(waiter)) return;
          signal?.removeEventListener('abort', onAbort);
          reject(new DependencyError(dependency, 'bulkhead_full', { message: `${dependency}: no slot within the ${checkoutTimeoutMs} ms checkout timeout` }));
        }, checkoutTimeoutMs);
      }
    });
  };

  return {
    concurrency,
    queueLimit,
    acquire,
    async run(fn, signal) {
      const release = await acquire(signal);
      try {
        return await fn();
      } finally {
        release();
      }
    },
    inUse: () => active,
    queued: () => waiters.size,
  };
}
