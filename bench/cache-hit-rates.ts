// Cache hit rates of the real service under the load generator's `default` profile.
//
//   node bench/cache-hit-rates.ts [--rate N --duration 90s] [--restart-seconds 60] [--seed 1]
//                                 [--ttft-ms 200] [--json out.json]
//   npm run bench:cache-hits
//
// Starts a redis-server (test/helpers/redis.ts) and the service as `node src/main.ts` with
// CACHE_BACKEND=redis, LLM_PROVIDER=sim (fixed first-token delay --ttft-ms, no jitter), a fresh
// DATA_DIR, admission limits and brownout off (every generated session comes from 127.0.0.1),
// RATE_LIMIT_BACKEND=memory. Then runs the load generator (`src/loadgen/cli.ts`, its own process)
// with the `default` profile: its own phases (ramp 0→10 sessions/s over 30 s, hold 10/s for 60 s,
// 3/s for 30 s) unless --rate/--duration are given. Scrapes /metrics before and after and reports,
// per cache, the hit rate ((hit + stale + l2_hit + coalesced) / lookups) and the L1-only hit rate
// ((hit + stale) / lookups), origin loads by reason, L2 operations, the semantic answer cache and
// the LLM calls it saved; the distinct keys each cache left in Redis (the cold-miss floor).
//
// With --restart-seconds > 0 the service is then restarted (same DATA_DIR, same Redis: a new node
// with an empty L1 and a warm L2) and driven again at 10 sessions/s for that long, seed + 1.
//
// The helpers are exported for bench/cache-slow-writes.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { LoadTestResult } from '../src/loadgen/result.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { fetchMetrics, METRICS_TOKEN } from './lib/service.ts';

// ---------------------------------------------------------------------------------------------
// Helpers shared with bench/cache-slow-writes.ts

const BIG = '1000000';
/** Admission limits off (every generated session comes from 127.0.0.1, six demo accounts), brownout off, rate limiter in-process. */
export const SERVICE_BASE_ENV: Record<string, string> = {
  PORT: '0',
  METRICS_TOKEN,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  FAULTS: '',
  RATE_LIMIT_BACKEND: 'memory',
  BROWNOUT_LAG_MS: '0',
  GUEST_SESSIONS_PER_ADDRESS_PER_MIN: BIG,
  GUEST_SESSIONS_PER_ADDRESS_BURST: BIG,
  RATE_GUEST_PER_MIN: BIG,
  RATE_GUEST_BURST: BIG,
  RATE_CUSTOMER_PER_MIN: BIG,
  RATE_CUSTOMER_BURST: BIG,
};

export interface Service {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `node src/main.ts` with `env` over this process's environment; resolves once /readyz answers 200. */
export async function startService(env: Record<string, string>): Promise<Service> {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...SERVICE_BASE_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`service exited (${code}) before listening: ${out.slice(-2000)}${err}`)));
  });
  for (;;) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.status === 200) break;
    await sleep(50);
  }
  return {
    url,
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
    },
  };
}

/** One sample of the service's Prometheus metrics: `name{labels}` → value. */
export type Metrics = Map<string, number>;

export async function scrape(url: string): Promise<Metrics> {
  const text = await fetchMetrics(url);
  const out: Metrics = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith('mangaassist_')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

/** Labels of a sample key `name{a="x",b="y"}`. */
function labelsOf(key: string): { name: string; labels: Record<string, string> } {
  const brace = key.indexOf('{');
  if (brace < 0) return { name: key, labels: {} };
  const labels: Record<string, string> = {};
  for (const m of key.slice(brace + 1, -1).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2];
  return { name: key.slice(0, brace), labels };
}

/** after − before of every sample of metric `name`, with its labels. */
export function deltas(before: Metrics, after: Metrics, name: string): { labels: Record<string, string>; value: number }[] {
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const [key, value] of after) {
    const { name: n, labels } = labelsOf(key);
    if (n !== name) continue;
    out.push({ labels, value: value - (before.get(key) ?? 0) });
  }
  return out;
}

/** Sum of the deltas of `name` whose labels match `where`. */
export function sumDelta(before: Metrics, after: Metrics, name: string, where: Record<string, string> = {}): number {
  return deltas(before, after, name)
    .filter((d) => Object.entries(where).every(([k, v]) => d.labels[k] === v))
    .reduce((s, d) => s + d.value, 0);
}

/** Quantiles of a Prometheus histogram's delta (linear inside a bucket), count and mean, for one label set. */
export function histogramDelta(before: Metrics, after: Metrics, name: string, where: Record<string, string>): { count: number; meanMs: number; p50Ms: number; p99Ms: number; buckets: [number, number][] } {
  const buckets = deltas(before, after, `${name}_bucket`)
    .filter((d) => Object.entries(where).every(([k, v]) => d.labels[k] === v))
    .map((d) => [d.labels.le === '+Inf' ? Infinity : Number(d.labels.le), d.value] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const count = sumDelta(before, after, `${name}_count`, where);
  const sum = sumDelta(before, after, `${name}_sum`, where);
  const q = (p: number) => {
    const rank = p * count;
    let prevLe = 0;
    let prevCum = 0;
    for (const [le, cum] of buckets) {
      if (cum >= rank) {
        if (le === Infinity) return prevLe;
        const inBucket = cum - prevCum;
        return inBucket > 0 ? prevLe + ((rank - prevCum) / inBucket) * (le - prevLe) : le;
      }
      prevLe = le;
      prevCum = cum;
    }
    return prevLe;
  };
  return { count, meanMs: count > 0 ? (sum / count) * 1000 : 0, p50Ms: q(0.5) * 1000, p99Ms: q(0.99) * 1000, buckets };
}

export type LoadResult = LoadTestResult & { warnings?: string[]; stoppedByHardCap?: boolean };

/**
 * Runs the load generator CLI (`main` of src/loadgen/cli.ts) in its own process; returns its JSON
 * result. The generator's summaries carry p50/p90/p99/p99.9 only: in that process its histogram's
 * summary() is wrapped to add p95 from the same HDR histogram (nothing else changes).
 */
export async function runLoadgen(url: string, dataDir: string, extra: string[]): Promise<LoadResult> {
  const histogram = new URL('../src/loadgen/histogram.ts', import.meta.url).href;
  const cli = new URL('../src/loadgen/cli.ts', import.meta.url).href;
  const script = [
    `import { LatencyHistogram } from ${JSON.stringify(histogram)};`,
    `import { main } from ${JSON.stringify(cli)};`,
    'const summary = LatencyHistogram.prototype.summary;',
    'LatencyHistogram.prototype.summary = function () { return { ...summary.call(this), p95: this.count ? Math.round(this.percentile(95) * 1000) / 1000 : 0 }; };',
    'process.exitCode = await main(process.argv.slice(1));',
  ].join('\n');
  const out = join(dataDir, `loadgen-${Date.now()}.json`);
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, '--', '--targets', url, '--data-dir', dataDir, '--out', out, '--quiet', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  // 1 = an SLO failed: still a result.
  if (code !== 0 && code !== 1) throw new Error(`loadgen exited ${code}:\n${stderr}\n${stdout}`);
  return JSON.parse(readFileSync(out, 'utf8')) as LoadResult;
}

/** p95 of a latency summary written by runLoadgen (see there). */
export function p95(summary: LoadResult['overall']['ttft'] | undefined): number {
  return (summary as { p95?: number } | undefined)?.p95 ?? NaN;
}

/** Samples the 1-minute load average and the service's CPU every 5 s while something runs. */
export function watchMachine(pid: number): { stop(): { loadMin: number; loadMax: number; serviceCpuPct: number } } {
  const loads: number[] = [loadavg()[0]];
  const cpu = () => {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, clock ticks (100 Hz)
    } catch {
      return 0;
    }
  };
  const cpu0 = cpu();
  const t0 = performance.now();
  const timer = setInterval(() => loads.push(loadavg()[0]), 5_000);
  return {
    stop() {
      clearInterval(timer);
      loads.push(loadavg()[0]);
      const seconds = (performance.now() - t0) / 1000;
      return { loadMin: Math.min(...loads), loadMax: Math.max(...loads), serviceCpuPct: Math.round(((cpu() - cpu0) / seconds) * 1000) / 10 };
    },
  };
}

const pct = (n: number, d: number) => (d > 0 ? `${((100 * n) / d).toFixed(1)} %` : '—');

// ---------------------------------------------------------------------------------------------
// The report of one run

const RESULTS = ['hit', 'stale', 'l2_hit', 'coalesced', 'miss'] as const;

interface CacheRow {
  cache: string;
  lookups: number;
  byResult: Record<string, number>;
  hitRate: number;
  l1HitRate: number;
  origin: Record<string, number>;
  keysInRedis?: number;
}

export interface RunReport {
  label: string;
  load: { messages: number; errors: Record<string, number>; sessions: LoadResult['sessions']; durationS: number; ttftP50: number; ttftP99: number };
  machine: { loadMin: number; loadMax: number; serviceCpuPct: number };
  caches: CacheRow[];
  l2: Record<string, number>;
  l2Seconds: Record<string, { count: number; meanMs: number; p50Ms: number; p99Ms: number }>;
  semantic: Record<string, number>;
  llmCalls: Record<string, number>;
  l1: { entries: number; bytes: number; evictions: number };
}

function report(label: string, before: Metrics, after: Metrics, load: LoadResult, machine: RunReport['machine'], keys: Map<string, number> | undefined): RunReport {
  const caches = new Map<string, CacheRow>();
  const row = (cache: string) => {
    let r = caches.get(cache);
    if (!r) caches.set(cache, (r = { cache, lookups: 0, byResult: {}, hitRate: 0, l1HitRate: 0, origin: {} }));
    return r;
  };
  for (const d of deltas(before, after, 'mangaassist_cache_lookups_total')) {
    if (d.value === 0) continue;
    const r = row(d.labels.cache);
    r.byResult[d.labels.result] = (r.byResult[d.labels.result] ?? 0) + d.value;
    r.lookups += d.value;
  }
  for (const d of deltas(before, after, 'mangaassist_cache_origin_loads_total')) {
    if (d.value === 0) continue;
    const r = row(d.labels.cache);
    const k = d.labels.outcome === 'ok' ? d.labels.reason : `${d.labels.reason}/${d.labels.outcome}`;
    r.origin[k] = (r.origin[k] ?? 0) + d.value;
  }
  for (const r of caches.values()) {
    const b = r.byResult;
    r.hitRate = r.lookups ? ((b.hit ?? 0) + (b.stale ?? 0) + (b.l2_hit ?? 0) + (b.coalesced ?? 0)) / r.lookups : 0;
    r.l1HitRate = r.lookups ? ((b.hit ?? 0) + (b.stale ?? 0)) / r.lookups : 0;
    if (keys) r.keysInRedis = keys.get(r.cache) ?? 0;
  }
  const l2: Record<string, number> = {};
  for (const d of deltas(before, after, 'mangaassist_cache_l2_operations_total')) if (d.value) l2[`${d.labels.op}/${d.labels.outcome}`] = d.value;
  const l2Seconds: RunReport['l2Seconds'] = {};
  for (const op of ['read', 'write', 'invalidate']) {
    const h = histogramDelta(before, after, 'mangaassist_cache_l2_seconds', { op });
    if (h.count > 0) l2Seconds[op] = { count: h.count, meanMs: round(h.meanMs), p50Ms: round(h.p50Ms), p99Ms: round(h.p99Ms) };
  }
  const semantic: Record<string, number> = {};
  for (const d of deltas(before, after, 'mangaassist_semantic_cache_total')) if (d.value) semantic[d.labels.result] = d.value;
  const llmCalls: Record<string, number> = {};
  for (const d of deltas(before, after, 'mangaassist_dependency_calls_total')) if (d.labels.dependency === 'llm' && d.value) llmCalls[d.labels.outcome] = d.value;
  return {
    label,
    load: { messages: load.overall.messages, errors: load.overall.errors, sessions: load.sessions, durationS: load.durationS, ttftP50: load.overall.ttft.p50, ttftP99: load.overall.ttft.p99 },
    machine,
    caches: [...caches.values()].sort((a, b) => b.lookups - a.lookups),
    l2,
    l2Seconds,
    semantic,
    llmCalls,
    l1: { entries: after.get('mangaassist_cache_l1_entries') ?? 0, bytes: after.get('mangaassist_cache_l1_bytes') ?? 0, evictions: sumDelta(before, after, 'mangaassist_cache_l1_evictions_total') },
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

function print(r: RunReport): void {
  const l = r.load;
  console.log(`\n### ${r.label}`);
  console.log(`load: ${l.messages} messages, ${l.sessions.started} sessions in ${l.durationS.toFixed(0)} s, errors ${JSON.stringify(l.errors)}, first token p50 ${l.ttftP50} / p99 ${l.ttftP99} ms`);
  console.log(`machine: 1-min load average ${r.machine.loadMin.toFixed(2)}–${r.machine.loadMax.toFixed(2)}, service ${r.machine.serviceCpuPct} % of one core\n`);
  console.log(`| cache | lookups | ${RESULTS.join(' | ')} | hit rate | L1-only hit rate | origin loads | keys in Redis |`);
  console.log(`|---|---|${RESULTS.map(() => '---|').join('')}---|---|---|---|`);
  for (const c of r.caches) {
    const origin = Object.entries(c.origin).map(([k, v]) => `${k} ${v}`).join(', ') || '0';
    console.log(`| ${c.cache} | ${c.lookups} | ${RESULTS.map((x) => c.byResult[x] ?? 0).join(' | ')} | ${(c.hitRate * 100).toFixed(1)} % | ${(c.l1HitRate * 100).toFixed(1)} % | ${origin} | ${c.keysInRedis ?? '—'} |`);
  }
  console.log(`\nL2 operations: ${JSON.stringify(r.l2)}`);
  for (const [op, h] of Object.entries(r.l2Seconds)) console.log(`L2 ${op} latency (ok only, from the histogram): n ${h.count}, mean ${h.meanMs} ms, p50 ~${h.p50Ms} ms, p99 ~${h.p99Ms} ms`);
  const hits = r.semantic.hit ?? 0;
  console.log(`semantic answer cache: ${JSON.stringify(r.semantic)}; hit rate of lookups ${pct(hits, hits + (r.semantic.miss ?? 0))}`);
  const llm = Object.values(r.llmCalls).reduce((s, v) => s + v, 0);
  console.log(`LLM calls ${llm} ${JSON.stringify(r.llmCalls)} for ${l.messages} messages; answers replayed from the semantic cache ${hits} = ${pct(hits, l.messages)} of messages`);
  console.log(`L1 at the end: ${r.l1.entries} entries, ${(r.l1.bytes / 1024 / 1024).toFixed(1)} MiB, ${r.l1.evictions} evictions`);
}

/** Distinct data-cache keys (not tag sets) per cache in Redis, and semantic partitions. */
async function keysInRedis(url: string): Promise<Map<string, number>> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  const counts = new Map<string, number>();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'mangaassist:*', 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        let name: string | undefined;
        if (key.startsWith('mangaassist:cache:tag:')) name = undefined;
        else if (key.startsWith('mangaassist:cache:')) name = key.slice('mangaassist:cache:'.length).split(':')[0];
        else if (key.startsWith('mangaassist:sem:')) name = 'semantic partitions';
        if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      rate: { type: 'string' },
      duration: { type: 'string' },
      'restart-seconds': { type: 'string', default: '60' },
      seed: { type: 'string', default: '1' },
      'ttft-ms': { type: 'string', default: '200' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (args.help) {
    console.log('Usage: node bench/cache-hit-rates.ts [--rate N --duration 90s] [--restart-seconds 60] [--seed 1] [--ttft-ms 200] [--json out.json]');
    return;
  }
  const seed = Number(args.seed);
  const restartS = Number(args['restart-seconds']);
  const loadArgs = ['--profile', 'default', '--seed', String(seed)];
  if (args.rate) loadArgs.push('--rate', args.rate, '--duration', args.duration ?? '90s');
  else if (args.duration) throw new Error('--duration needs --rate');

  const startedAt = new Date().toISOString();
  const redis = await startRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'manga-cache-hits-'));
  const env = { DATA_DIR: dataDir, CACHE_BACKEND: 'redis', REDIS_URL: redis.url, LLM_PROVIDER: 'sim', SIM_LLM_TTFT_MS: args['ttft-ms']!, SIM_LLM_JITTER: '0' };
  const reports: RunReport[] = [];
  let service: Service | undefined;
  try {
    service = await startService(env);
    console.log(`service ${service.url} (pid ${service.pid}), redis ${redis.url}, load: ${loadArgs.join(' ')}`);
    let before = await scrape(service.url);
    let watch = watchMachine(service.pid);
    let load = await runLoadgen(service.url, dataDir, loadArgs);
    let machine = watch.stop();
    let after = await scrape(service.url);
    reports.push(report(`first node, cold L1 and L2 (${loadArgs.join(' ')})`, before, after, load, machine, await keysInRedis(redis.url)));
    print(reports[0]);

    if (restartS > 0) {
      await service.stop();
      service = await startService(env);
      const args2 = ['--profile', 'default', '--seed', String(seed + 1), '--rate', '10', '--duration', `${restartS}s`];
      before = await scrape(service.url);
      watch = watchMachine(service.pid);
      load = await runLoadgen(service.url, dataDir, args2);
      machine = watch.stop();
      after = await scrape(service.url);
      reports.push(report(`restarted node: empty L1, warm L2 (${args2.join(' ')})`, before, after, load, machine, undefined));
      print(reports[1]);
    }
  } finally {
    await service?.stop();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ startedAt, reports }, null, 2)}\n`);
}

if (import.meta.main) await main();
