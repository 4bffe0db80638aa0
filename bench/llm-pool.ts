// Model connection pools in a flash sale: one task of the cluster, timers only (no network, no
// model). Reproduces the flash-sale review's pool exhaustion and compares it with pools sized
// by poolSize() (src/llm/routing/pool-sizing.ts).
//
//   ./node_modules/.bin/node bench/llm-pool.ts [--normal-s 10] [--ramp-s 30] [--peak-s 15] [--seed 1]
//
// Load (per task; the cluster's numbers divided by its 8 tasks): Poisson arrivals at 62.5 req/s
// with the normal mix (40% cache hit / 30% small / 30% large) for --normal-s, then the flash
// sale: a linear ramp 62.5 -> 275 req/s (500 -> 2,200 cluster-wide) with the flash-sale mix
// (5% / 10% / 85%), then --peak-s at 275 req/s. The review's ramp took 10 minutes; here it
// takes --ramp-s (default 30 s, time scaled 1/20) so the run stays under a minute. Only the ramp
// is compressed: rates and model latencies are the real ones, so the queueing at a given rate is
// real; what the compression hides is how long the pool stayed exhausted (20x longer in the
// incident).
//
// Each request draws a priority (P0/P1/P2 = 20/40/40 %), a cache hit needs no model; the others
// check out a connection of their tier's pool (P1: queue limit 100, wait limit 5,000 ms; P2: 50
// and 2,000 ms; P0: never refused, no wait limit), hold it for the model latency (large 500 ms,
// small 200 ms, +/- 20% uniform jitter) and release it. No routing between tiers: a request
// stays on its tier, so the numbers show the pools alone (the router's pressure move of guests
// to the small pool is not modelled).
//
// Configurations, run side by side on the same arrivals (same seed, one event loop):
//   (a) incident: 10 connections per task for each model (8 tasks x 10 at 500 ms = 160 calls/s
//       of large-model capacity; the normal mix already needs 150);
//   (b) sized:    poolSize() per tier for the highest per-task demand of any phase, 50% headroom.
// At the end of the run, requests still waiting are aborted and counted as "left waiting".
import os from 'node:os';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createModelPool } from '../src/llm/routing/model-pool.ts';
import { poolSize } from '../src/llm/routing/pool-sizing.ts';
import { PoolRejectedError, type ModelPool, type ModelTier, type Priority } from '../src/llm/routing/types.ts';
import { createRng } from '../src/loadgen/random.ts';

const { values: args } = parseArgs({
  options: {
    'normal-s': { type: 'string', default: '10' },
    'ramp-s': { type: 'string', default: '30' },
    'peak-s': { type: 'string', default: '15' },
    seed: { type: 'string', default: '1' },
  },
});

const TASKS = 8;
const CLUSTER_NORMAL_RPS = 500;
const CLUSTER_PEAK_RPS = 2200;
const NORMAL_RPS = CLUSTER_NORMAL_RPS / TASKS; // 62.5
const PEAK_RPS = CLUSTER_PEAK_RPS / TASKS; // 275
const REAL_RAMP_S = 600;
const LATENCY_MS: Record<ModelTier, number> = { large: 500, small: 200 };
const JITTER = 0.2;
type Kind = 'cache' | ModelTier;
const NORMAL_MIX: Record<Kind, number> = { cache: 0.4, small: 0.3, large: 0.3 };
const FLASH_MIX: Record<Kind, number> = { cache: 0.05, small: 0.1, large: 0.85 };
const PRIORITY_SHARE = { '0': 0.2, '1': 0.4, '2': 0.4 };
const QUEUE_LIMIT = { 1: 100, 2: 50 };
const MAX_WAIT_MS = { 1: 5000, 2: 2000 };
const PRIORITIES: Priority[] = [0, 1, 2];
const TIERS: ModelTier[] = ['large', 'small'];

const normalS = Number(args['normal-s']);
const rampS = Number(args['ramp-s']);
const peakS = Number(args['peak-s']);
const PHASES = ['normal', 'ramp', 'peak'] as const;
type Phase = (typeof PHASES)[number];

/** Arrival rate (req/s per task), mix and phase at `t` seconds from the start. */
function load(t: number): { rps: number; mix: Record<Kind, number>; phase: Phase } {
  if (t < normalS) return { rps: NORMAL_RPS, mix: NORMAL_MIX, phase: 'normal' };
  if (t < normalS + rampS) return { rps: NORMAL_RPS + ((PEAK_RPS - NORMAL_RPS) * (t - normalS)) / rampS, mix: FLASH_MIX, phase: 'ramp' };
  return { rps: PEAK_RPS, mix: FLASH_MIX, phase: 'peak' };
}

// (b): size each tier for its highest demand: normal phase at 62.5 req/s or the flash-sale peak.
const sized: Record<ModelTier, number> = {
  large: Math.max(...[[NORMAL_RPS, NORMAL_MIX], [PEAK_RPS, FLASH_MIX]].map(([rps, mix]) => poolSize({ peakRps: rps as number, modelShare: (mix as Record<Kind, number>).large, latencyMs: LATENCY_MS.large }))),
  small: Math.max(...[[NORMAL_RPS, NORMAL_MIX], [PEAK_RPS, FLASH_MIX]].map(([rps, mix]) => poolSize({ peakRps: rps as number, modelShare: (mix as Record<Kind, number>).small, latencyMs: LATENCY_MS.small }))),
};
const CONFIGS: { name: string; sizes: Record<ModelTier, number> }[] = [
  { name: '(a) incident: 10 per task per model', sizes: { large: 10, small: 10 } },
  { name: `(b) poolSize(): large ${sized.large}, small ${sized.small} per task`, sizes: sized },
];

interface PoolPhaseStats {
  samples: number;
  utilSum: number;
  queueSum: number;
  queueMax: number;
}
interface PrioStats {
  waits: number[];
  queueFull: number;
  waitTimeout: number;
  leftWaiting: number;
}
interface Run {
  name: string;
  pools: Record<ModelTier, ModelPool>;
  pool: Record<ModelTier, Record<Phase, PoolPhaseStats>>;
  prio: Record<ModelTier, Record<Phase, PrioStats[]>>;
  cacheHits: Record<Phase, number>;
}

const newRun = (name: string, sizes: Record<ModelTier, number>): Run => {
  const per = <T>(f: () => T) => Object.fromEntries(PHASES.map((p) => [p, f()])) as Record<Phase, T>;
  const tiers = <T>(f: (tier: ModelTier) => T) => ({ large: f('large'), small: f('small') });
  return {
    name,
    pools: tiers((tier) => createModelPool({ name: tier, size: sizes[tier], queueLimit: QUEUE_LIMIT, maxWaitMs: MAX_WAIT_MS })),
    pool: tiers(() => per(() => ({ samples: 0, utilSum: 0, queueSum: 0, queueMax: 0 }))),
    prio: tiers(() => per(() => PRIORITIES.map(() => ({ waits: [], queueFull: 0, waitTimeout: 0, leftWaiting: 0 })))),
    cacheHits: per(() => 0),
  };
};

const rng = createRng(Number(args.seed));
const runs = CONFIGS.map((c) => newRun(c.name, c.sizes));
const endOfRun = new AbortController();
const inFlight = new Set<Promise<void>>();

async function request(run: Run, tier: ModelTier, priority: Priority, phase: Phase, holdMs: number) {
  const stats = run.prio[tier][phase][priority];
  try {
    const lease = await run.pools[tier].acquire(priority, endOfRun.signal);
    stats.waits.push(lease.waitedMs);
    await sleep(holdMs);
    lease.release();
  } catch (err) {
    if (err instanceof PoolRejectedError) {
      if (err.reason === 'queue_full') stats.queueFull++;
      else stats.waitTimeout++;
    } else if (endOfRun.signal.aborted) {
      stats.leftWaiting++;
    } else {
      throw err;
    }
  }
}

/** Knuth's Poisson draw; lambda is ~1.4 per 5 ms tick at the peak. */
function poisson(lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.float();
  while (p > limit) {
    k++;
    p *= rng.float();
  }
  return k;
}

const totalS = normalS + rampS + peakS;
const start = performance.now();
let last = start;
let currentPhase: Phase = 'normal';

const arrivals = setInterval(() => {
  const now = performance.now();
  const t = (now - start) / 1000;
  if (t >= totalS) return;
  const { rps, mix, phase } = load(t);
  currentPhase = phase;
  const n = poisson((rps * (now - last)) / 1000);
  last = now;
  for (let i = 0; i < n; i++) {
    const kind = rng.weighted(mix);
    const priority = Number(rng.weighted(PRIORITY_SHARE)) as Priority;
    if (kind === 'cache') {
      for (const run of runs) run.cacheHits[phase]++;
      continue;
    }
    const holdMs = LATENCY_MS[kind] * (1 - JITTER + 2 * JITTER * rng.float());
    for (const run of runs) {
      const p = request(run, kind, priority, phase, holdMs);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  }
}, 5);

const sampler = setInterval(() => {
  for (const run of runs) {
    for (const tier of TIERS) {
      const pool = run.pools[tier];
      const s = run.pool[tier][currentPhase];
      const q = pool.queued();
      s.samples++;
      s.utilSum += pool.inUse() / pool.size;
      s.queueSum += q;
      s.queueMax = Math.max(s.queueMax, q);
    }
  }
}, 10);

const progress = setInterval(() => {
  const t = (performance.now() - start) / 1000;
  const a = runs[0].pools.large;
  process.stderr.write(`  t=${t.toFixed(0)}s ${currentPhase} rps=${load(t).rps.toFixed(0)} (a) large in use ${a.inUse()}/${a.size}, waiting ${a.queued()}\n`);
}, 5000);

await sleep(totalS * 1000);
clearInterval(arrivals);
await sleep(LATENCY_MS.large * (1 + JITTER) + 50); // the last holds finish
clearInterval(sampler);
clearInterval(progress);
endOfRun.abort(new Error('end of run'));
await Promise.all(inFlight);
const wallS = (performance.now() - start) / 1000;

// ---- report
const pct = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
const ms = (x: number) => (Number.isNaN(x) ? '-' : x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const pad = (s: string | number, n: number) => String(s).padStart(n);

const cpus = os.cpus();
console.log(`# Model pools in a flash sale (bench/llm-pool.ts)`);
console.log(`machine: ${cpus[0]?.model ?? 'unknown'} x${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}`);
console.log(`node ${process.version}, ${new Date().toISOString()}, seed ${args.seed}, wall ${wallS.toFixed(1)} s`);
console.log(
  `per task: normal ${normalS} s at ${NORMAL_RPS} req/s (mix cache/small/large 40/30/30), ramp ${NORMAL_RPS} -> ${PEAK_RPS} req/s in ${rampS} s ` +
    `(the review's ${REAL_RAMP_S / 60} min scaled 1/${(REAL_RAMP_S / rampS).toFixed(0)}; mix 5/10/85), peak ${peakS} s at ${PEAK_RPS} req/s`,
);
console.log(`latency large 500 / small 200 ms +/-20%; P0/P1/P2 20/40/40%; P1 queue 100, wait 5,000 ms; P2 queue 50, wait 2,000 ms; P0 unbounded`);
console.log('');

for (const run of runs) {
  console.log(`## ${run.name}`);
  for (const tier of TIERS) {
    console.log(`${tier} pool (${run.pools[tier].size} connections)`);
    console.log(
      `  ${'phase'.padEnd(7)}${pad('util', 6)}${pad('q mean', 8)}${pad('q max', 7)} | prio${pad('served', 8)}${pad('p50', 8)}${pad('p95', 8)}${pad('p99', 8)}${pad('mean', 8)} ms | ${pad('q_full', 7)}${pad('timeout', 8)}${pad('left', 6)}`,
    );
    for (const phase of PHASES) {
      const s = run.pool[tier][phase];
      PRIORITIES.forEach((p, i) => {
        const st = run.prio[tier][phase][p];
        const sorted = [...st.waits].sort((a, b) => a - b);
        const head = i === 0 ? `  ${phase.padEnd(7)}${pad(`${Math.round((100 * s.utilSum) / Math.max(1, s.samples))}%`, 6)}${pad(ms(s.queueSum / Math.max(1, s.samples)), 8)}${pad(s.queueMax, 7)}` : `  ${''.padEnd(7 + 6 + 8 + 7)}`;
        console.log(
          `${head} |   P${p}${pad(sorted.length, 8)}${pad(ms(pct(sorted, 0.5)), 8)}${pad(ms(pct(sorted, 0.95)), 8)}${pad(ms(pct(sorted, 0.99)), 8)}${pad(ms(mean(sorted)), 8)}    | ${pad(st.queueFull, 7)}${pad(st.waitTimeout, 8)}${pad(st.leftWaiting, 6)}`,
        );
      });
    }
  }
  const flash = (['ramp', 'peak'] as const).flatMap((ph) => PRIORITIES.flatMap((p) => run.prio.large[ph][p].waits));
  const fs = (['ramp', 'peak'] as const).map((ph) => run.pool.large[ph]);
  const qMean = fs.reduce((a, s) => a + s.queueSum, 0) / Math.max(1, fs.reduce((a, s) => a + s.samples, 0));
  let refused = 0;
  for (const ph of ['ramp', 'peak'] as const) for (const p of PRIORITIES) refused += run.prio.large[ph][p].queueFull + run.prio.large[ph][p].waitTimeout;
  console.log(
    `  large pool, flash sale (ramp+peak): mean checkout wait ${ms(mean(flash))} ms over ${flash.length} checkouts (review: 4,800 ms), ` +
      `mean queue depth ${ms(qMean)} (review: 45), ${refused} refused`,
  );
  console.log('');
}
console.log(`util = mean of inUse/size sampled every 10 ms; q = waiting checkouts (all priorities); waits are checkout waits of served requests,`);
console.log(`by arrival phase; q_full/timeout = PoolRejectedError reasons; left = still waiting when the run ended (aborted).`);
