// Do slow Redis writes reach the customer? The real service with CACHE_BACKEND=redis, its Redis
// connections through a TCP proxy (test/helpers/slow-proxy.ts) that holds back every chunk
// carrying a write command (SET, EVALSHA/EVAL, UNLINK, PUBLISH, ...) by --delays ms; reads
// (GET, MGET, LRANGE) pass at once unless queued behind a write on the same connection.
//
//   node bench/cache-slow-writes.ts [--delays 0,20] [--rate 15] [--duration 60s] [--warmup 20s]
//                                   [--think-scale 2.5] [--ttft-ms 200] [--seed 1] [--json out.json]
//   npm run bench:cache-slow-writes
//
// Per delay, everything fresh: redis-server, proxy, DATA_DIR, and the service (`node src/main.ts`,
// LLM_PROVIDER=sim with a fixed --ttft-ms first token, RATE_LIMIT_BACKEND=memory so only the
// caches talk to Redis, admission limits and brownout off). Warm-up: --warmup of the same load
// (another seed, cut at its end). Then every cache is emptied through the data-change events
// (catalog, promotions, reviews, kb: L1, L2 and the semantic answers), so the measured run starts
// cold and makes as many writes as a cold node does. Measured: the load generator's `default`
// profile (no bursts) at --rate sessions/s, uniform arrivals, think times × --think-scale (2.5, as
// in the fault drill: the shortest think then outlasts a streamed reply, so the corrected latency
// carries no backlog of the session's own previous reply), for --duration; its sessions run on
// for at most 30 s more (cut there: replies in flight then are not counted). Reported: customer
// first token (corrected for coordinated omission) p50/p95/p99, the server's own first token, and
// the service's Redis write latency from
// mangaassist_cache_l2_seconds{op="write"} (only writes that succeeded are observed there) with
// the write outcomes, to show the writes really were slow.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRedis } from '../test/helpers/redis.ts';
import { startSlowProxy } from '../test/helpers/slow-proxy.ts';
import { histogramDelta, deltas, runLoadgen, scrape, startService, sumDelta, p95, watchMachine, type Service } from './cache-hit-rates.ts';

const { values: args } = parseArgs({
  options: {
    delays: { type: 'string', default: '0,20' },
    rate: { type: 'string', default: '15' },
    duration: { type: 'string', default: '60s' },
    warmup: { type: 'string', default: '20s' },
    'think-scale': { type: 'string', default: '2.5' },
    'ttft-ms': { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('Usage: node bench/cache-slow-writes.ts [--delays 0,20] [--rate 15] [--duration 60s] [--warmup 20s] [--think-scale 2.5] [--ttft-ms 200] [--seed 1] [--json out.json]');
  process.exit(0);
}
const delays = args.delays!.split(',').map(Number);
const seconds = (s: string) => Number(s.replace(/s$/, ''));
const durationS = seconds(args.duration!);
const warmupS = seconds(args.warmup!);
if (delays.some((d) => !Number.isFinite(d) || d < 0) || !(durationS > 0) || !(warmupS >= 0)) {
  console.error('bad --delays, --duration or --warmup (seconds, e.g. 60s)');
  process.exit(2);
}
const ADMIN_TOKEN = 'bench-admin-token-0123456789';

interface Row {
  delayMs: number;
  messages: number;
  errors: Record<string, number>;
  ttft: { p50: number; p95: number; p99: number; p999: number; max: number };
  ttftUncorrected: { p50: number; p95: number; p99: number };
  serverFirstToken: { p50: number; p99: number };
  answerCacheMs: { p50: number; p99: number } | undefined;
  l2Writes: Record<string, number>;
  l2Write: { count: number; meanMs: number; p50Ms: number; p99Ms: number };
  l2Read: { count: number; meanMs: number; p50Ms: number; p99Ms: number };
  l2Reads: Record<string, number>;
  semantic: Record<string, number>;
  productHitRate: number;
  /** The service's event-loop delay over the measured run (prom-client's default metrics, reset at each scrape) and its GC time. */
  service: { loopP99Ms: number; loopMaxMs: number; gcMs: number; heapUsedMiB: number };
  machine: { loadMin: number; loadMax: number; serviceCpuPct: number };
}

async function dropEveryCache(url: string): Promise<void> {
  for (const type of ['catalog.changed', 'promotions.changed', 'reviews.changed', 'kb.changed']) {
    const res = await fetch(`${url}/v1/admin/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type }),
    });
    if (!res.ok) throw new Error(`POST /v1/admin/events ${type}: ${res.status} ${await res.text()}`);
  }
}

async function one(delayMs: number): Promise<Row> {
  const redis = await startRedis();
  const proxy = await startSlowProxy({ target: { host: '127.0.0.1', port: redis.port }, delayMs });
  const dataDir = mkdtempSync(join(tmpdir(), 'manga-slow-writes-'));
  let service: Service | undefined;
  try {
    service = await startService({
      DATA_DIR: dataDir,
      CACHE_BACKEND: 'redis',
      REDIS_URL: proxy.url,
      LLM_PROVIDER: 'sim',
      SIM_LLM_TTFT_MS: args['ttft-ms']!,
      SIM_LLM_JITTER: '0',
      ADMIN_TOKEN,
    });
    const common = ['--profile', 'default', '--no-bursts', '--arrivals', 'uniform', '--think-scale', args['think-scale']!, '--rate', args.rate!];
    if (warmupS > 0) await runLoadgen(service.url, dataDir, [...common, '--duration', `${warmupS}s`, '--max-duration', `${warmupS + 2}s`, '--seed', String(Number(args.seed) + 100)]);
    await dropEveryCache(service.url);
    await sleep(2_000);
    const before = await scrape(service.url);
    const watch = watchMachine(service.pid);
    const load = await runLoadgen(service.url, dataDir, [...common, '--duration', `${durationS}s`, '--max-duration', `${durationS + 30}s`, '--seed', args.seed!]);
    const machine = watch.stop();
    const after = await scrape(service.url);

    const l2Writes: Record<string, number> = {};
    const l2Reads: Record<string, number> = {};
    for (const d of deltas(before, after, 'mangaassist_cache_l2_operations_total')) {
      if (!d.value) continue;
      if (d.labels.op === 'write') l2Writes[d.labels.outcome] = d.value;
      if (d.labels.op === 'read') l2Reads[d.labels.outcome] = d.value;
    }
    const semantic: Record<string, number> = {};
    for (const d of deltas(before, after, 'mangaassist_semantic_cache_total')) if (d.value) semantic[d.labels.result] = d.value;
    const product = ['product', 'product-volumes', 'product-search'];
    let lookups = 0;
    let misses = 0;
    for (const cache of product) {
      lookups += sumDelta(before, after, 'mangaassist_cache_lookups_total', { cache });
      misses += sumDelta(before, after, 'mangaassist_cache_lookups_total', { cache, result: 'miss' });
    }
    const w = histogramDelta(before, after, 'mangaassist_cache_l2_seconds', { op: 'write' });
    const r = histogramDelta(before, after, 'mangaassist_cache_l2_seconds', { op: 'read' });
    const rnd = (n: number) => Math.round(n * 100) / 100;
    const st = load.serverTimings;
    return {
      delayMs,
      messages: load.overall.messages,
      errors: load.overall.errors,
      ttft: { p50: load.overall.ttft.p50, p95: p95(load.overall.ttft), p99: load.overall.ttft.p99, p999: load.overall.ttft.p999, max: load.overall.ttft.max },
      ttftUncorrected: { p50: load.ttftUncorrected?.p50 ?? NaN, p95: p95(load.ttftUncorrected), p99: load.ttftUncorrected?.p99 ?? NaN },
      serverFirstToken: { p50: st.firstTokenMs?.p50 ?? NaN, p99: st.firstTokenMs?.p99 ?? NaN },
      answerCacheMs: st.answerCacheMs ? { p50: st.answerCacheMs.p50, p99: st.answerCacheMs.p99 } : undefined,
      l2Writes,
      l2Write: { count: w.count, meanMs: rnd(w.meanMs), p50Ms: rnd(w.p50Ms), p99Ms: rnd(w.p99Ms) },
      l2Read: { count: r.count, meanMs: rnd(r.meanMs), p50Ms: rnd(r.p50Ms), p99Ms: rnd(r.p99Ms) },
      l2Reads,
      semantic,
      productHitRate: lookups ? 1 - misses / lookups : 0,
      service: {
        loopP99Ms: rnd((after.get('mangaassist_nodejs_eventloop_lag_p99_seconds') ?? NaN) * 1000),
        loopMaxMs: rnd((after.get('mangaassist_nodejs_eventloop_lag_max_seconds') ?? NaN) * 1000),
        gcMs: rnd(sumDelta(before, after, 'mangaassist_nodejs_gc_duration_seconds_sum') * 1000),
        heapUsedMiB: rnd((after.get('mangaassist_nodejs_heap_size_used_bytes') ?? NaN) / 1024 / 1024),
      },
      machine,
    };
  } finally {
    await service?.stop();
    await proxy.close();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const startedAt = new Date().toISOString();
const rows: Row[] = [];
for (const d of delays) {
  const row = await one(d);
  rows.push(row);
  console.error(`delay ${d} ms done: ${row.messages} messages, ttft p50 ${row.ttft.p50} p99 ${row.ttft.p99}, writes ${JSON.stringify(row.l2Writes)}`);
}

console.log(`rate ${args.rate} sessions/s for ${args.duration} (default profile, no bursts, uniform arrivals, think × ${args['think-scale']}), warm-up ${args.warmup}, model first token ${args['ttft-ms']} ms\n`);
console.log('| write delay | messages | errors | first token p50 / p95 / p99 / p99.9 ms | uncorrected p50 / p95 / p99 | server first token p50 / p99 | answer-cache lookup p50 / p99 | L2 writes (outcomes) | L2 write ms mean / p50 / p99 | L2 reads (outcomes) | L2 read ms mean / p99 | semantic | product hit rate | service loop delay p99 / max ms, GC ms, heap MiB | load avg | service CPU |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const t = r.ttft;
  console.log(
    `| ${r.delayMs} ms | ${r.messages} | ${JSON.stringify(r.errors)} | ${t.p50} / ${t.p95} / ${t.p99} / ${t.p999} | ${r.ttftUncorrected.p50} / ${r.ttftUncorrected.p95} / ${r.ttftUncorrected.p99} | ${r.serverFirstToken.p50} / ${r.serverFirstToken.p99} | ${r.answerCacheMs ? `${r.answerCacheMs.p50} / ${r.answerCacheMs.p99}` : '—'} | ${JSON.stringify(r.l2Writes)} | ${r.l2Write.meanMs} / ${r.l2Write.p50Ms} / ${r.l2Write.p99Ms} | ${JSON.stringify(r.l2Reads)} | ${r.l2Read.meanMs} / ${r.l2Read.p99Ms} | ${JSON.stringify(r.semantic)} | ${(r.productHitRate * 100).toFixed(1)} % | ${r.service.loopP99Ms} / ${r.service.loopMaxMs}, ${r.service.gcMs}, ${r.service.heapUsedMiB} | ${r.machine.loadMin.toFixed(2)}–${r.machine.loadMax.toFixed(2)} | ${r.machine.serviceCpuPct} % |`,
  );
}
if (args.json) writeFileSync(args.json, `${JSON.stringify({ startedAt, args, rows }, null, 2)}\n`);
