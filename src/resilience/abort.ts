/** Waits `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles like `work`, or rejects with `signal.reason` when the signal aborts first. `work` keeps
 * running: this only stops the caller from waiting for a callee that ignores its signal.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {}); // its later rejection must not become an unhandled one
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Never settles on its own: rejects with `signal.reason` when the signal aborts. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

/**
 * The reason a controller aborted without one gets (`abort()`), made once: for controllers
 * aborted on every message when their work is simply no longer wanted. A DOMException per
 * abort (with its stack) was ~1-2 % of the service's CPU.
 */
export const ABORTED = new DOMException('This operation was aborted', 'AbortError');

/**
 * Runs `work` with a signal that aborts after `ms` (a TimeoutError, as AbortSignal.timeout's
 * does), and clears the timer as soon as `work` settles. AbortSignal.timeout's timer runs out
 * and builds its DOMException even when the work finished long before.
 */
export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  // Like AbortSignal.timeout's: the deadline alone never keeps the process alive.
  timer.unref();
  try {
    return await work(ctl.signal);
  } finally {
    clearTimeout(timer);
  }
}
