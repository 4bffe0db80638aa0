/**
 * Store throttling: the design's "any DynamoDB throttle event" alarm. Durable stores answer
 * "too busy" in their own words: SQLite's SQLITE_BUSY / SQLITE_LOCKED (a writer held the lock
 * past busy_timeout), DynamoDB's throughput and request-limit exceptions.
 */
export function isStoreThrottle(error: unknown): boolean {
  const e = error as { code?: unknown; errcode?: unknown; name?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  // SQLite primary result codes 5 (BUSY) and 6 (LOCKED); extended codes keep them in the low byte.
  if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number' && [5, 6].includes(e.errcode & 0xff)) return true;
  if (typeof e.name === 'string' && DYNAMODB_THROTTLES.has(e.name)) return true;
  return false;
}

const DYNAMODB_THROTTLES = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

const COUNTED = Symbol('store-throttle.counted');

/**
 * Marks a throttle as already counted by the adapter that retried it (it counts every throttled
 * attempt itself, the last one included), so countThrottles does not count it a second time.
 */
export function markThrottleCounted<E>(error: E): E {
  if (error && typeof error === 'object') Object.defineProperty(error, COUNTED, { value: true });
  return error;
}

/**
 * Wraps every method of a store port so a throttle it throws is counted (then rethrown
 * unchanged): the count is the alarm's input, the caller still sees the failure. A throttle an
 * adapter already counted (markThrottleCounted: DynamoDB adapters count each retried attempt)
 * is not counted again. Synchronous and asynchronous methods alike; non-function properties
 * pass through.
 */
export function countThrottles<T extends object>(port: T, onThrottle: () => void): T {
  const seen = (error: unknown) => {
    if (isStoreThrottle(error) && !(error as { [COUNTED]?: boolean })[COUNTED]) onThrottle();
    throw error;
  };
  // One wrapper per method, made on first use: the store methods are on the request path.
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(port, {
    get(target, key, receiver) {
      // A method's wrapper first: one Map lookup per store call (a port's methods are not replaced).
      const made = wrapped.get(key);
      if (made !== undefined) return made;
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const wrapper = function (this: unknown, ...args: unknown[]) {
        try {
          const out = value.apply(target, args);
          return out instanceof Promise ? out.catch(seen) : out;
        } catch (error) {
          return seen(error);
        }
      };
      wrapped.set(key, wrapper);
      return wrapper;
    },
  });
}
