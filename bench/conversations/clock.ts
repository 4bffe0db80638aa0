// The suite measures the product as of one day: promotions end, preorders get released and
// "orders in the last 30 days" move with the calendar, so the same suite would score
// differently next month. The process clock is shifted to start at that day (it still runs).

/** The instant the suite's "now" starts at (the day the floor was first measured). */
export const SUITE_NOW = '2026-12-07T12:00:00+09:00';

/**
 * Shifts `Date.now()` and `new Date()` so that now is `iso` (and keeps ticking); returns the
 * undo. `new Date(x)` with an argument, `Date.parse` and `instanceof Date` are unchanged.
 */
export function pinClock(iso: string): () => void {
  const RealDate = globalThis.Date;
  const realNow = RealDate.now.bind(RealDate);
  const offset = Date.parse(iso) - realNow();
  const now = () => realNow() + offset;
  const Shifted = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget);
    },
    apply() {
      // Date() called as a function returns a string of the current time.
      return new RealDate(now()).toString();
    },
    get(target, prop, receiver) {
      if (prop === 'now') return now;
      return Reflect.get(target, prop, receiver);
    },
  });
  globalThis.Date = Shifted;
  return () => {
    globalThis.Date = RealDate;
  };
}
