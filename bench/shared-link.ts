/**
 * The design's scenario 4 ("thundering herd on DynamoDB": 10,000 people opening one shared chat
 * link within minutes) against the real service with STORE_BACKEND=dynamodb on dynalite. The
 * service runs as its own process; dynalite sits behind a proxy that counts every DynamoDB request
 * by table (and can throttle some). Per phase: opens, their statuses, GetItem calls on the
 * shared-conversations table (reads per open), and open latency (request to whole body) p50/p99.
 *
 *   node bench/shared-link.ts [--burst 1000] [--spread 10000] [--seconds 60] [--cache-ttl-ms 5000] [--throttle 2]
 *
 * Phases, each on a link nobody has opened yet unless said, each with new connections (readers
 * are different people; within a phase, connections are kept alive as a load balancer would):
 *   burst         --burst opens at the same moment;
 *   burst-cached  the same burst on the same link again: the crowd's own cost, no store read;
 *   burst-new     the burst on another new link, now that the service is warm (the first burst
 *                 also pays the process's first thousand connections: JIT, buffers);
 *   spread        --spread opens at random moments over --seconds (a link going viral);
 *   throttled     the burst with the link's first --throttle reads throttled (backoff 100/200 ms);
 *   short-ttl     the spread again on a service whose cache keeps a link --cache-ttl-ms only (what
 *                 the in-process cache, not coalescing alone, saves).
 * dynalite's latency is this machine's, not DynamoDB's (2-10 ms in-region); the point is how many
 * reads reach the store and what the crowd waits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch as undiciFetch } from 'undici';
import { startDynalite } from '../test/helpers/dynalite.ts';
import { Worker } from 'node:worker_threads';
import { startService, fetchMetrics, type RunningService } from './lib/service.ts';
import { dynamoTableNames } from '../src/composition/stores.ts';

const { values: args } = parseArgs({
  options: {
    burst: { type: 'string', default: '1000' },
    spread: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '60' },
    'cache-ttl-ms': { type: 'string', default: '5000' },
    throttle: { type: 'string', default: '2' },
  },
});
const burst = Number(args.burst);
const spread = Number(args.spread);
const seconds = Number(args.seconds);
const shortTtlMs = Number(args['cache-ttl-ms']);
const throttles = Number(args.throttle);

const PREFIX = 'bench-share-';
const SHARES = dynamoTableNames(PREFIX).shares;
// Enough sockets for the whole burst at once: the crowd, not the client's pool, decides concurrency.
// A new pool per phase, so no phase rides on connections another one opened.
let agent = new Agent({ connections: Math.max(burst, 256), keepAliveTimeout: 30_000 });

/** Why opens failed without an HTTP status (connection refused, reset), with counts. */
const failures = new Map<string, number>();

interface Open {
  status: number;
  ms: number;
}

async function open(url: string, shareId: string): Promise<Open> {
  const started = performance.now();
  try {
    // undici's own fetch: Node's built-in one may not take this undici version's Agent.
    const res = await undiciFetch(`${url}/v1/shared/${shareId}`, { dispatcher: agent });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  } catch (error) {
    failures.set(String((error as Error).cause ?? error), (failures.get(String((error as Error).cause ?? error)) ?? 0) + 1);
    return { status: 0, ms: performance.now() - started };
  }
}

/** A guest's two-turn conversation, shared: the link's id. */
async function newLink(url: string): Promise<string> {
  let session: { sessionId?: string; resumeToken?: string } = {};
  for (const text of ['Do you have Frieren?', 'おすすめの恋愛漫画は？']) {
    const res = await fetch(`${url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, ...session }) });
    if (res.status !== 200) throw new Error(`chat: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { sessionId: string; resumeToken: string };
    session = { sessionId: body.sessionId, resumeToken: body.resumeToken };
  }
  const res = await fetch(`${url}/v1/shares`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(session) });
  if (res.status !== 201) throw new Error(`share: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { shareId: string }).shareId;
}

/** The counting proxy in front of dynalite, on its own thread (lib/throttle-proxy-worker.ts). */
interface Proxy {
  endpoint: string;
  seen(operation: string, table?: string): Promise<number>;
  throttle(rule: { count: number; operation?: string; table?: string }): Promise<void>;
  close(): Promise<void>;
}

async function startProxyThread(upstream: string): Promise<Proxy> {
  const worker = new Worker(new URL('./lib/throttle-proxy-worker.ts', import.meta.url), { workerData: { upstream } });
  const waiting = new Map<number, (value: unknown) => void>();
  let ids = 0;
  const endpoint = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { ready?: string; id?: number; value?: unknown }) => {
      if (m.ready) resolve(m.ready);
      else if (m.id !== undefined) waiting.get(m.id)?.(m.value);
    });
  });
  const ask = (req: Record<string, unknown>) => new Promise<unknown>((resolve) => {
    const id = ++ids;
    waiting.set(id, resolve);
    worker.postMessage({ ...req, id });
  });
  return {
    endpoint,
    seen: async (operation, table) => (await ask({ op: 'seen', operation, table })) as number,
    throttle: async (rule) => void (await ask({ op: 'throttle', ...rule })),
    async close() {
      await ask({ op: 'close' });
      await worker.terminate();
    },
  };
}

const pct = (a: number[], p: number) => {
  const s = [...a].sort((x, y) => x - y);
  return Math.round(s[Math.min(s.length - 1, Math.floor(s.length * p))] * 10) / 10;
};

function counter(text: string, name: string, label: string): number {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) && l.includes(label)).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

async function phase(name: string, service: RunningService, proxy: Proxy, run: (shareId: string) => Promise<Open[]>, opts: { before?: () => Promise<void>; shareId?: string } = {}): Promise<string> {
  const shareId = opts.shareId ?? (await newLink(service.url));
  await agent.close();
  agent = new Agent({ connections: Math.max(burst, 256), keepAliveTimeout: 30_000 });
  const metrics0 = await fetchMetrics(service.url);
  const reads0 = await proxy.seen('GetItem', SHARES);
  await opts.before?.();
  const load0 = loadavg()[0];
  const started = performance.now();
  const opens = await run(shareId);
  const wallS = (performance.now() - started) / 1000;
  const reads = (await proxy.seen('GetItem', SHARES)) - reads0;
  const metrics1 = await fetchMetrics(service.url);
  const statuses: Record<string, number> = {};
  for (const o of opens) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
  const lookups = (result: string) => counter(metrics1, 'mangaassist_cache_lookups_total', `cache="shared",result="${result}"`) - counter(metrics0, 'mangaassist_cache_lookups_total', `cache="shared",result="${result}"`);
  const ms = opens.map((o) => o.ms);
  const errors = Object.fromEntries(failures);
  failures.clear();
  console.log(JSON.stringify({
    phase: name,
    opens: opens.length,
    wallS: Math.round(wallS * 10) / 10,
    statuses,
    dynamodbReads: reads,
    readsPerOpen: Number((reads / opens.length).toFixed(5)),
    openMs: { p50: pct(ms, 0.5), p99: pct(ms, 0.99), max: pct(ms, 1) },
    cache: { hit: lookups('hit'), coalesced: lookups('coalesced'), miss: lookups('miss') },
    storeThrottles: counter(metrics1, 'mangaassist_store_throttles_total', 'store="shares"') - counter(metrics0, 'mangaassist_store_throttles_total', 'store="shares"'),
    ...(Object.keys(errors).length > 0 ? { errors } : {}),
    loadavg1m: [Math.round(load0 * 10) / 10, Math.round(loadavg()[0] * 10) / 10],
  }));
  return shareId;
}

const burstRun = (service: RunningService) => (shareId: string) => Promise.all(Array.from({ length: burst }, () => open(service.url, shareId)));
/** `spread` opens at uniformly random moments over `seconds` (arrival times drawn up front). */
const spreadRun = (service: RunningService) => async (shareId: string) => {
  const at = Array.from({ length: spread }, () => Math.random() * seconds * 1000).sort((a, b) => a - b);
  const t0 = performance.now();
  const pending: Promise<Open>[] = [];
  for (const due of at) {
    const wait = due - (performance.now() - t0);
    if (wait > 1) await sleep(wait);
    pending.push(open(service.url, shareId));
  }
  return Promise.all(pending);
};

console.log(JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg().map((l) => Math.round(l * 10) / 10) }, date: new Date().toISOString(), burst, spread, seconds, shortTtlMs, throttles }));
const dynamo = await startDynalite();
const proxy = await startProxyThread(dynamo.endpoint);
const dir = mkdtempSync(join(tmpdir(), 'shared-link-bench-'));
const env = (over: Record<string, string> = {}) => ({
  STORE_BACKEND: 'dynamodb',
  DYNAMODB_ENDPOINT: proxy.endpoint,
  DYNAMODB_CREATE_TABLES: 'true',
  DYNAMODB_TABLE_PREFIX: PREFIX,
  LOG_LEVEL: 'warn',
  READING_DICTIONARY: 'off',
  RATE_GUEST_PER_MIN: '1000000',
  RATE_GUEST_BURST: '1000000',
  GUEST_SESSIONS_PER_ADDRESS_PER_MIN: '1000000',
  GUEST_SESSIONS_PER_ADDRESS_BURST: '1000000',
  BROWNOUT_LAG_MS: '0',
  ...over,
});
let service: RunningService | undefined;
try {
  service = await startService(env({ DATA_DIR: join(dir, 'a') }), join(dir, 'service-a.log'), { ownSession: true });
  const first = await phase('burst', service, proxy, burstRun(service));
  await phase('burst-cached', service, proxy, burstRun(service), { shareId: first });
  await phase('burst-new', service, proxy, burstRun(service));
  if (spread > 0) await phase('spread', service, proxy, spreadRun(service));
  if (throttles > 0) await phase('throttled', service, proxy, burstRun(service), { before: () => proxy.throttle({ count: throttles, operation: 'GetItem', table: SHARES }) });
  await service.stop();
  service = undefined;
  if (spread > 0 && shortTtlMs > 0) {
    service = await startService(env({ DATA_DIR: join(dir, 'b'), SHARE_CACHE_TTL_MS: String(shortTtlMs) }), join(dir, 'service-b.log'), { ownSession: true });
    await phase(`spread, SHARE_CACHE_TTL_MS=${shortTtlMs}`, service, proxy, spreadRun(service));
  }
} finally {
  await service?.stop();
  await agent.close();
  await proxy.close();
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
}
