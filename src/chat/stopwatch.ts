import { NO_TRACE, type MessageTrace } from '../observability/tracing.ts';

/**
 * Times the segments of one message. Every segment lands in the `end` frame's `timings` as
 * `<name>Ms`, so an operator can see where a slow reply spent its time (the design documents
 * found every incident this way).
 */
export class Stopwatch {
  readonly startedAt: number;
  /** The message's trace: every recorded segment is also a span of it. */
  readonly trace: MessageTrace;
  readonly #segments: Record<string, number> = {};

  constructor(now = performance.now(), messageTrace: MessageTrace = NO_TRACE) {
    this.startedAt = now;
    this.trace = messageTrace;
  }

  /** Milliseconds since the message arrived. */
  elapsed(): number {
    return performance.now() - this.startedAt;
  }

  /**
   * Records a segment's duration (the longest wins when a segment runs more than once) and its
   * span, ending now. `span: false` when the caller traced it itself (downstream calls).
   */
  record(name: string, ms: number, opts: { span?: boolean } = {}): void {
    if (opts.span !== false) {
      const end = performance.now();
      this.trace.segment(name, end - ms, end);
    }
    const key = keyOf(name);
    const rounded = Math.round(ms * 1000) / 1000;
    this.#segments[key] = Math.max(this.#segments[key] ?? 0, rounded);
  }

  /** Runs a synchronous step and records its duration. */
  measure<T>(name: string, fn: () => T): T {
    const t = performance.now();
    try {
      return fn();
    } finally {
      this.record(name, performance.now() - t);
    }
  }

  /** Awaits an asynchronous step and records its duration, success or failure. */
  async time<T>(name: string, p: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await p();
    } finally {
      this.record(name, performance.now() - t);
    }
  }

  /** The recorded segments. */
  segments(): Record<string, number> {
    return { ...this.#segments };
  }
}

// Each segment's `<name>Ms` key, made once per name for the process: a new string per record, used
// as a property key (hashed and looked up as a fresh string each time), was nearly all of record()'s
// cost in a profile (~1 % of a message's CPU). The names are the pipeline's own literals, a few dozen.
const KEYS = new Map<string, string>();
function keyOf(name: string): string {
  let key = KEYS.get(name);
  if (key === undefined) KEYS.set(name, (key = `${name}Ms`));
  return key;
}

/** Milliseconds (or a confidence) to two decimals, as frames and traces carry them. */
export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
