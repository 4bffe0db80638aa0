/**
 * Model connection pool sizing (the flash-sale review's rule): connections = peak req/s × share
 * of requests that need this model × average model latency in seconds, plus headroom, split over
 * the tasks. Size for the peak, not the average: at the average the pool is already full when the
 * peak arrives, and the queue (not the model) sets the latency.
 */

/** Connections per task for a peak load: ceil(peakRps × modelShare × latencyMs/1000 × (1 + headroom) / tasks), at least 1. */
export function poolSize(opts: { peakRps: number; modelShare: number; latencyMs: number; headroom?: number; tasks?: number }): number {
  const { peakRps, modelShare, latencyMs } = opts;
  const headroom = opts.headroom ?? 0.5;
  const tasks = opts.tasks ?? 1;
  if (!(peakRps >= 0) || !(modelShare >= 0 && modelShare <= 1) || !(latencyMs >= 0) || !(headroom >= 0)) {
    throw new RangeError(`poolSize: bad input ${JSON.stringify(opts)}`);
  }
  if (!Number.isInteger(tasks) || tasks < 1) throw new RangeError(`poolSize: tasks must be an integer >= 1, got ${tasks}`);
  // Rounded to 1e-9 first so float noise (2200 × 0.95 = 2089.9999999999995) cannot add a connection.
  const exact = Math.round(((peakRps * modelShare * latencyMs) / 1000) * (1 + headroom) / tasks * 1e9) / 1e9;
  return Math.max(1, Math.ceil(exact));
}

/** Calls per second a pool can carry at full utilisation: connections per task × tasks / latency in seconds. */
export function poolThroughput(opts: { size: number; latencyMs: number; tasks?: number }): number {
  return (opts.size * (opts.tasks ?? 1) * 1000) / opts.latencyMs;
}
