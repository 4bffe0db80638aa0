import type { CallOptions } from '../../shared/call.ts';
import type { Decision, RateLimiter, TakeRequest } from './types.ts';

/**
 * Float dust allowance: 0.1 + 0.2 tokens must pay for a cost of 0.3. The Redis script uses the
 * same value and the same arithmetic, so both adapters decide identically at the boundaries.
 */
export const TOKEN_EPSILON = 1e-9;

/** A request with every default filled in and checked; what both adapters compute with. */
export interface ResolvedRequest {
  key: string;
  capacity: number;
  refillPerSec: number;
  cost: number;
  reserve: number;
  /** Idle TTL in whole ms (PEXPIRE needs an integer). */
  ttlMs: number;
  onlyWhenNew?: string;
}

/** Fills in the defaults of one request and rejects rules that would make the math meaningless. */
export function resolveRequest(req: TakeRequest): ResolvedRequest {
  const { capacity, refillPerSec, idleTtlMs } = req.rule;
  const cost = req.cost ?? 1;
  const reserve = req.reserve ?? 0;
  if (!(capacity > 0) || !(refillPerSec > 0) || !(cost >= 0) || !(reserve >= 0) || (idleTtlMs !== undefined && !(idleTtlMs > 0))) {
    throw new RangeError(`rate limit: invalid rule or cost for bucket ${req.key}`);
  }
  // Default TTL: once a bucket has had time to refill to full, forgetting it changes nothing.
  const ttlMs = Math.max(1, Math.ceil(idleTtlMs ?? (capacity * 1000) / refillPerSec));
  return { key: req.key, capacity, refillPerSec, cost, reserve, ttlMs, onlyWhenNew: req.onlyWhenNew };
}

/** The one pass/refuse test; the Lua script has the same expression. */
function fits(tokens: number, r: ResolvedRequest): boolean {
  return tokens + TOKEN_EPSILON >= r.cost + r.reserve;
}

/** Tokens at `at` of a bucket holding `t` tokens at time `u`. The Lua script has the same expression. */
function tokensAt(t: number, u: number, at: number, r: ResolvedRequest): number {
  return Math.min(r.capacity, t + ((at - u) * r.refillPerSec) / 1000);
}

/**
 * Whole ms from `at` until a bucket holding `t` tokens at `u` passes `r`. The closed form is
 * nudged by one ms when float rounding put it on the wrong side, so that waiting exactly this
 * long passes and one ms less does not. A request that can never pass (cost + reserve >
 * capacity) gets the time until the bucket is full: nothing better will ever happen.
 * Always at least 1 ms, so a refused caller never retries in a busy loop.
 */
export function waitMs(t: number, u: number, at: number, r: ResolvedRequest): number {
  const now = tokensAt(t, u, at, r);
  if (r.cost + r.reserve > r.capacity + TOKEN_EPSILON) return Math.max(1, Math.ceil(((r.capacity - now) * 1000) / r.refillPerSec));
  let w = Math.max(1, Math.ceil(((r.cost + r.reserve - TOKEN_EPSILON - now) * 1000) / r.refillPerSec));
  if (!fits(tokensAt(t, u, at + w, r), r)) w += 1;
  else if (w > 1 && fits(tokensAt(t, u, at + w - 1, r), r)) w -= 1;
  return w;
}

/** Options of the in-process limiter. */
export interface InProcessLimiterOptions {
  /** Clock in epoch ms. @default Date.now */
  now?: () => number;
  /** Most buckets kept; beyond it the least recently charged is forgotten (it becomes full). @default 1_000_000 */
  maxBuckets?: number;
}

// Per bucket: tokens, last update (ms), expiry (ms). The expiry is stored rather than derived
// from the rule because an `onlyWhenNew` check must know whether a bucket is alive without
// knowing the rule it was charged under.
const FIELDS = 3;
// Entries the amortised sweep examines per decision: more than one decision can create, so
// the sweep outruns growth.
const SWEEP_STEP = 8;

/**
 * Token buckets in this process's memory. Buckets live in a Float64Array slab (24 bytes each, no
 * per-bucket object) indexed by a Map whose order is "least recently charged first", which makes
 * the `maxBuckets` eviction O(1). Idle buckets are reclaimed by a sweep amortised over decisions
 * rather than a timer: no timer to unref or stop, the work scales with the traffic that creates
 * buckets, and it follows an injected clock. Lookups check expiry themselves, so the sweep only
 * frees memory and never changes a decision.
 */
export function createInProcessLimiter(opts: InProcessLimiterOptions = {}): RateLimiter & { size(): number } {
  const clock = opts.now ?? Date.now;
  const maxBuckets = opts.maxBuckets ?? 1_000_000;
  const slots = new Map<string, number>();
  let data = new Float64Array(FIELDS * 1024);
  let highWater = 0;
  const freeSlots: number[] = [];
  let sweeper = slots.entries();

  function allocate(): number {
    const reused = freeSlots.pop();
    if (reused !== undefined) return reused;
    if ((highWater + 1) * FIELDS > data.length) {
      const grown = new Float64Array(data.length * 2);
      grown.set(data);
      data = grown;
    }
    return highWater++;
  }

  function forget(key: string, slot: number): void {
    slots.delete(key);
    freeSlots.push(slot);
  }

  /** The slot of a live bucket, or -1 when it does not exist or has expired. */
  function live(key: string, at: number): number {
    const slot = slots.get(key);
    if (slot === undefined) return -1;
    return data[slot * FIELDS + 2] > at ? slot : -1;
  }

  function sweep(at: number): void {
    for (let i = 0; i < SWEEP_STEP; i++) {
      const next = sweeper.next();
      if (next.done) {
        sweeper = slots.entries();
        return;
      }
      const [key, slot] = next.value;
      if (data[slot * FIELDS + 2] <= at) forget(key, slot);
    }
  }

  function decide(requests: ResolvedRequest[], at: number): Decision {
    // Judged before anything is charged: "new" means new before this decision.
    const applies = requests.map((r) => r.onlyWhenNew === undefined || live(r.onlyWhenNew, at) < 0);
    // Tokens after the earlier requests of this decision, for a key that appears twice.
    const working = new Map<string, number>();
    // What each bucket holds now (reported on refusal) and would hold if allowed.
    const current: number[] = [];
    const after: number[] = [];
    let allowed = true;
    let retryAfterMs = 0;
    let deniedKey: string | undefined;

    requests.forEach((r, i) => {
      if (!applies[i]) {
        current.push(r.capacity);
        after.push(r.capacity);
        return;
      }
      let t = r.capacity;
      let u = at;
      const slot = live(r.key, at);
      if (slot >= 0) {
        t = data[slot * FIELDS];
        u = data[slot * FIELDS + 1];
      }
      current.push(tokensAt(t, u, at, r));
      const earlier = working.get(r.key);
      if (earlier !== undefined) {
        t = earlier;
        u = at;
      }
      const tokens = tokensAt(t, u, at, r);
      if (fits(tokens, r)) {
        const left = Math.max(0, tokens - r.cost);
        working.set(r.key, left);
        after.push(left);
      } else {
        allowed = false;
        deniedKey ??= r.key;
        retryAfterMs = Math.max(retryAfterMs, waitMs(t, u, at, r));
        after.push(tokens);
      }
    });

    if (!allowed) return { allowed, retryAfterMs, deniedKey, remaining: current };

    requests.forEach((r, i) => {
      if (!applies[i]) return;
      let slot = slots.get(r.key);
      if (slot === undefined) slot = allocate();
      else slots.delete(r.key); // re-inserted below: moves it to the "recently charged" end
      slots.set(r.key, slot);
      data[slot * FIELDS] = working.get(r.key)!;
      data[slot * FIELDS + 1] = at;
      data[slot * FIELDS + 2] = at + r.ttlMs;
    });
    while (slots.size > maxBuckets) {
      const [oldestKey, oldestSlot] = slots.entries().next().value!;
      forget(oldestKey, oldestSlot);
    }
    return { allowed, retryAfterMs: 0, remaining: after };
  }

  return {
    name: 'in-process',
    async take(requests: TakeRequest[], callOpts?: CallOptions): Promise<Decision> {
      callOpts?.signal?.throwIfAborted();
      const resolved = requests.map(resolveRequest);
      const at = clock();
      sweep(at);
      return decide(resolved, at);
    },
    size: () => slots.size,
    async close() {
      slots.clear();
      freeSlots.length = 0;
      highWater = 0;
    },
  };
}
