import { PoolRejectedError, type Lease, type ModelPool, type Priority } from './types.ts';

/** What a model pool reports: each checkout (with its wait) and each refusal. */
export type ModelPoolEvent =
  | { type: 'checkout'; priority: Priority; waitedMs: number }
  | { type: 'rejected'; priority: Priority; reason: 'queue_full' | 'wait_timeout' };

/** Options of one model's connection pool. */
export interface ModelPoolOptions {
  /** Pool name, for errors and metrics ('large', 'small'). */
  name: string;
  /** Connections (slots) of this task. */
  size: number;
  /** Max waiting per priority; P0 is never refused. */
  queueLimit: { 1: number; 2: number };
  /** Longest wait per priority before PoolRejectedError('wait_timeout'); P0 has none: only the caller's signal ends its wait. */
  maxWaitMs?: { 1?: number; 2?: number };
  /** Saturated when all slots are taken and at least this many wait. @default 10 */
  pressureQueue?: number;
  /** Called synchronously on each checkout and refusal (metrics). */
  events?: (e: ModelPoolEvent) => void;
  /** Clock for the waits, ms. @default performance.now */
  now?: () => number;
}

interface Waiter {
  readonly priority: Priority;
  readonly since: number;
  /** Set when the waiter left (abort, wait limit) or got its slot: the queues skip it. */
  done: boolean;
  grant(): void;
}

/**
 * FIFO of waiters with O(1) push/shift (array plus head index) and O(1) removal by marking:
 * a waiter that leaves is flagged and skipped when it reaches the head. A Set (as in the
 * bulkhead) would also do, but marking keeps the head scan cheap and lets the queue count
 * only live waiters; dead entries are compacted once they outnumber the live ones, so a burst
 * of aborts cannot grow the array without bound (amortised O(1) per abort).
 */
class WaiterQueue {
  private items: Waiter[] = [];
  private head = 0;
  /** Live (not done) waiters. */
  live = 0;
  private dead = 0;

  push(w: Waiter): void {
    this.items.push(w);
    this.live++;
  }

  /** Removes and returns the oldest live waiter. */
  shift(): Waiter | undefined {
    while (this.head < this.items.length) {
      const w = this.items[this.head];
      this.items[this.head++] = undefined as unknown as Waiter; // let it be collected
      if (w.done) {
        this.dead--;
        continue;
      }
      this.live--;
      this.trimHead();
      return w;
    }
    this.trimHead();
    return undefined;
  }

  /** Called after `w.done` was set by someone leaving the queue. */
  left(): void {
    this.live--;
    this.dead++;
    if (this.dead > 64 && this.dead > this.live) {
      this.items = this.items.slice(this.head).filter((w) => !w.done);
      this.head = 0;
      this.dead = 0;
    }
  }

  private trimHead(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * A model connection pool with three FIFO queues in front (P0 Prime, P1 members, P2 guests).
 * Hand-written rather than built on the FIFO bulkhead (src/resilience/bulkhead.ts) or
 * cockatiel because neither has priorities: a freed slot must go to the oldest P0 waiter
 * before any P1 or P2 one.
 *
 * Starvation is by design: under sustained P0/P1 load P2 (guest) waiters may never get a slot
 * and leave through their wait limit or queue limit; guests are best effort, and the router
 * moves them to the small model while this pool is under pressure. P1 can likewise starve
 * under sustained P0 load, which only happens when the pool is far too small for Prime alone.
 */
export function createModelPool(opts: ModelPoolOptions): ModelPool {
  const { name, size, queueLimit } = opts;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`model pool ${name}: size must be an integer >= 1, got ${size}`);
  for (const p of [1, 2] as const) {
    const q = queueLimit[p];
    if (!Number.isInteger(q) || q < 0) throw new RangeError(`model pool ${name}: queueLimit[${p}] must be an integer >= 0, got ${q}`);
    const w = opts.maxWaitMs?.[p];
    if (w !== undefined && !(w >= 0)) throw new RangeError(`model pool ${name}: maxWaitMs[${p}] must be >= 0, got ${w}`);
  }
  const pressureQueue = opts.pressureQueue ?? 10;
  const now = opts.now ?? (() => performance.now());
  const emit = opts.events ?? (() => {});
  const queues: [WaiterQueue, WaiterQueue, WaiterQueue] = [new WaiterQueue(), new WaiterQueue(), new WaiterQueue()];
  let active = 0;

  const waiting = () => queues[0].live + queues[1].live + queues[2].live;

  const lease = (priority: Priority, waitedMs: number): Lease => {
    active++;
    emit({ type: 'checkout', priority, waitedMs });
    let released = false;
    return {
      waitedMs,
      release() {
        if (released) return;
        released = true;
        active--;
        // Handed over synchronously: the slot is taken again before any other code runs, so a
        // newcomer calling acquire() in between sees a full pool and queues behind the waiters.
        const next = queues[0].shift() ?? queues[1].shift() ?? queues[2].shift();
        next?.grant();
      },
    };
  };

  const acquire = (priority: Priority, signal?: AbortSignal): Promise<Lease> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (active < size && waiting() === 0) return Promise.resolve(lease(priority, 0));
    const queue = queues[priority];
    if (priority !== 0 && queue.live >= queueLimit[priority]) {
      emit({ type: 'rejected', priority, reason: 'queue_full' });
      return Promise.reject(new PoolRejectedError(name, priority, 'queue_full'));
    }
    return new Promise<Lease>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        if (waiter.done) return;
        waiter.done = true;
        queue.left();
        if (timer) clearTimeout(timer);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        priority,
        since: now(),
        done: false,
        grant() {
          waiter.done = true;
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(lease(priority, Math.max(0, now() - waiter.since)));
        },
      };
      queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      const maxWait = priority === 0 ? undefined : opts.maxWaitMs?.[priority];
      if (maxWait !== undefined && Number.isFinite(maxWait)) {
        timer = setTimeout(() => {
          if (waiter.done) return;
          waiter.done = true;
          queue.left();
          signal?.removeEventListener('abort', onAbort);
          emit({ type: 'rejected', priority, reason: 'wait_timeout' });
          reject(new PoolRejectedError(name, priority, 'wait_timeout'));
        }, maxWait);
      }
    });
  };

  return {
    name,
    size,
    acquire,
    inUse: () => active,
    queued: (priority?: Priority) => (priority === undefined ? waiting() : queues[priority].live),
    underPressure: () => active >= size && waiting() >= pressureQueue,
  };
}
