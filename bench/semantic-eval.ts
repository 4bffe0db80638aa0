// Semantic answer cache: false hits over the labelled question pairs, and LLM calls saved under
// the load generator's default traffic. Everything goes through the real service (the test
// helper's `startTestServer`: the composition root, the HTTP JSON API, /metrics).
//
//   node bench/semantic-eval.ts [--thresholds 0.6,0.7,0.8,0.85,0.9,0.93,0.95,0.97,0.99,1]
//                               [--load-thresholds 0.85,<recommended>] [--messages 2000]
//                               [--concurrency 4] [--seed 1] [--no-partitions]
//                               [--skip-pairs] [--skip-load] [--json]
//
// Another embedding model: run it with the service's EMBEDDINGS_* variables set (EMBEDDINGS_PROVIDER,
// EMBEDDINGS_BASE_URL, ...): every service started here uses that model, and so does the similarity
// column. Each service embeds the catalog into its own fresh DATA_DIR first (background indexing).
//
// 1. Pairs (data/semantic-cache/pairs.jsonl, match=true: same answer wanted, false: must differ).
//    Per threshold, one service (fresh DATA_DIR, in-process cache backend as shipped). Per pair:
//    both semantic partitions emptied (POST /v1/admin/events kb.changed + reviews.changed: the
//    service's own invalidation drops every `faq` and `pq` partition), `a` asked in a fresh
//    session, then `b` in another fresh session. Whether each question reached a cache lookup,
//    hit, was stored or refused is read from `mangaassist_semantic_cache_total` before and after
//    it (the only traffic on that service), and cross-checked with the reply's own timings (an
//    `answerCacheMs` segment means a lookup; no `generateFirstTokenMs` after it means the engine
//    was not called, i.e. a hit).
//    Fresh answers: every question once more on a service with SEMANTIC_CACHE=false, so a hit's
//    text can be compared with what the engine would have said.
//    Partitions: one more pass with CACHE_BACKEND=redis against a private redis-server started
//    (and stopped) by this script; the semantic store keeps one Redis LIST per partition, named
//    after it, so the key that gained an entry after a question is that question's partition
//    (`faq:<version>:<lang>:<topic>` or `pq:<version>:<lang>:<series>[:<promotions>]`), read from
//    the service rather than re-derived. A question whose answer was refused (live data) has no
//    key; for a series question its partition is then taken from the reply's product cards
//    (marked "derived").
//    The cosine similarity of each pair is also computed with the service's embedder, in this
//    process, for explanation only (it decides nothing in the counts).
// 2. Load: sessions planned by the load generator's own planner (default profile, bursts off,
//    seeded), each session's messages sent in order (members and Prime with the tokens the load
//    generator would sign), `--concurrency` sessions at a time, no think time (well inside the
//    1 h answer TTL either way). Deltas of the semantic and LLM-call counters.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { scrapeMetrics, startTestServer, type TestServer } from '../test/helpers/server.ts';
import { configSchema, loadConfig } from '../src/config.ts';
import { createEmbeddings, DEFAULT_SEMANTIC_THRESHOLD } from '../src/composition/embeddings.ts';
import { createHashingEmbedder } from '../src/retrieval/hashing-embedder.ts';
import { createResilience } from '../src/composition/resilience.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { pino } from 'pino';
import { dot } from '../src/cache/semantic/in-process-semantic-store.ts';
import { loadProfile } from '../src/loadgen/profile.ts';
import { createRng } from '../src/loadgen/random.ts';
import { planSession, type SessionPlan } from '../src/loadgen/traffic.ts';
import { createTokenSource, readJwtSecret } from '../src/loadgen/credentials.ts';

// ---------------------------------------------------------------------------------------------
// Options

const USAGE = `Usage: node bench/semantic-eval.ts [options]
  --thresholds T[,T]       pair sweep (default 0.6,0.7,0.8,0.85,0.9,0.93,0.95,0.97,0.99,1)
  --load-thresholds T[,T]  load replay (default: the shipped default and the recommended one)
  --messages N             messages in each load replay (default 2000)
  --concurrency N          sessions in flight in the load replay (default 4)
  --seed N                 load planner seed (default 1)
  --no-partitions          skip the Redis partition pass (no redis-server needed)
  --skip-pairs | --skip-load
  --json                   JSON on stdout instead of tables`;

const { values: args } = parseArgs({
  options: {
    thresholds: { type: 'string', default: '0.6,0.7,0.8,0.85,0.9,0.93,0.95,0.97,0.99,1' },
    'load-thresholds': { type: 'string' },
    messages: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    'no-partitions': { type: 'boolean', default: false },
    'skip-pairs': { type: 'boolean', default: false },
    'skip-load': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
function thresholdList(text: string): number[] {
  const out = text.split(',').map((s) => Number(s.trim()));
  for (const t of out) {
    // The service's own rule (SEMANTIC_CACHE_THRESHOLD: > 0 and <= 1).
    if (!configSchema.shape.SEMANTIC_CACHE_THRESHOLD.safeParse(t).success) {
      console.error(`bad threshold "${t}" (must be > 0 and <= 1)\n${USAGE}`);
      process.exit(2);
    }
  }
  return out;
}
function count(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bad --${name} "${text}"\n${USAGE}`);
    process.exit(2);
  }
  return n;
}
const thresholds = thresholdList(args.thresholds!);
const messagesWanted = count('messages', args.messages!);
const concurrency = count('concurrency', args.concurrency!);
const seed = count('seed', args.seed!);
const SHIPPED_THRESHOLD = DEFAULT_SEMANTIC_THRESHOLD;
const ADMIN_TOKEN = 'semantic-eval-admin-token-0123456789';
const log = (msg: string) => process.stderr.write(`${msg}\n`);

// A real embedding model is measured by giving this script the service's own EMBEDDINGS_*
// variables: every service it starts, and the similarities it explains with, use that model.
const EMBEDDINGS_ENV = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('EMBEDDINGS_') && !!e[1]));
async function startService(overrides: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer({ ...EMBEDDINGS_ENV, ...overrides });
  // A remote model embeds the catalog in the background: measure once every document has its vector.
  for (let i = 0; i < 3000; i++) {
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { checks?: { vectorsPending?: number } };
    if (!ready.checks?.vectorsPending) break;
    await sleep(100);
  }
  return server;
}

/** The question embedder of the configured model (the built-in one by default), for the explanation column. */
async function questionEmbedder(): Promise<(texts: string[]) => Promise<Float32Array[]>> {
  const config = loadConfig({ ...EMBEDDINGS_ENV, LOG_LEVEL: 'warn', DATA_DIR: mkdtempSync(join(tmpdir(), 'semantic-eval-emb-')) });
  if (config.EMBEDDINGS_PROVIDER === 'hashing') {
    const hashing = createHashingEmbedder();
    return (texts) => hashing.embed(texts);
  }
  const logger = pino({ level: 'warn' });
  const metrics = createMetrics({ defaultMetrics: false });
  const e = await createEmbeddings(config, { guards: createResilience(config, metrics, logger).guards, logger, metrics, dataDir: config.DATA_DIR });
  return (texts) => Promise.all(texts.map((t) => e.embedQuestion(t)));
}

// ---------------------------------------------------------------------------------------------
// The service: chat, metrics, admin

interface Reply {
  status: number;
  intent: string;
  language: string;
  text: string;
  timings: Record<string, number>;
  seriesIds: string[];
  degraded: string[];
}

async function ask(server: TestServer, sessionId: string, id: string, text: string, token?: string): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}/v1/chat`, { method: 'POST', headers, body: JSON.stringify({ sessionId, id, text }), signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as { intent?: string; language?: string; text?: string; timings?: Record<string, number>; products?: { seriesId: string }[]; degraded?: string[] };
  return {
    status: res.status,
    intent: body.intent ?? '',
    language: body.language ?? '',
    text: body.text ?? '',
    timings: body.timings ?? {},
    seriesIds: [...new Set((body.products ?? []).map((p) => p.seriesId))],
    degraded: body.degraded ?? [],
  };
}

interface Counters {
  hit: number;
  miss: number;
  error: number;
  stored: number;
  refused: number;
  store_error: number;
  /** Answer engine calls (every outcome). */
  llm: number;
}
const ZERO: Counters = { hit: 0, miss: 0, error: 0, stored: 0, refused: 0, store_error: 0, llm: 0 };

async function scrape(server: TestServer): Promise<Counters> {
  const text = await scrapeMetrics(server.url, { signal: AbortSignal.timeout(10_000) });
  const out = { ...ZERO };
  for (const line of text.split('\n')) {
    const sem = /^mangaassist_semantic_cache_total\{result="(\w+)"\} (\S+)$/.exec(line);
    if (sem && sem[1] in out) out[sem[1] as keyof Counters] = Number(sem[2]);
    const llm = /^mangaassist_dependency_calls_total\{[^}]*dependency="llm"[^}]*\} (\S+)$/.exec(line);
    if (llm) out.llm += Number(llm[1]);
  }
  return out;
}
function minus(a: Counters, b: Counters): Counters {
  const out = { ...ZERO };
  for (const k of Object.keys(out) as (keyof Counters)[]) out[k] = a[k] - b[k];
  return out;
}
const lookupsOf = (c: Counters) => c.hit + c.miss + c.error;
const settledOf = (c: Counters) => c.stored + c.refused + c.store_error;

async function dataChanged(server: TestServer, type: string): Promise<void> {
  const res = await fetch(`${server.url}/v1/admin/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ type }),
  });
  if (!res.ok) throw new Error(`POST /v1/admin/events ${type}: ${res.status} ${await res.text()}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One question asked alone, with what the cache did for it (counter deltas, nothing else runs). */
interface Asked {
  text: string;
  status: number;
  intent: string;
  language: string;
  answer: string;
  seriesIds: string[];
  degraded: string[];
  /** Counter deltas over this question (the background write included). */
  d: Counters;
  /** From the reply's timings: a lookup segment, and no engine call after it. */
  timingLookup: boolean;
  timingHit: boolean;
}

let sessionSeq = 0;
async function askTracked(server: TestServer, text: string): Promise<Asked> {
  const before = await scrape(server);
  const n = sessionSeq++;
  const r = await ask(server, `semeval-${n}`, `q${n}`, text);
  let after = await scrape(server);
  // A looked-up question that missed is written in the background: wait for its outcome.
  for (let i = 0; i < 100; i++) {
    const d = minus(after, before);
    if (!(lookupsOf(d) > d.hit && settledOf(d) === 0 && r.status === 200)) break;
    await sleep(10);
    after = await scrape(server);
  }
  const d = minus(after, before);
  return {
    text,
    status: r.status,
    intent: r.intent,
    language: r.language,
    answer: r.text,
    seriesIds: r.seriesIds,
    degraded: r.degraded,
    d,
    timingLookup: 'answerCacheMs' in r.timings,
    timingHit: 'answerCacheMs' in r.timings && !('generateFirstTokenMs' in r.timings),
  };
}

// ---------------------------------------------------------------------------------------------
// Pairs

interface Pair {
  a: string;
  b: string;
  language: 'en' | 'ja';
  match: boolean;
  why: string;
}
const pairs: Pair[] = readFileSync(new URL('../data/semantic-cache/pairs.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Pair);

const kindOf = (intent: string) => (intent === 'faq' ? 'faq' : intent === 'product_question' ? 'pq' : undefined);

/** Runs every pair on one service: partitions emptied, `a`, then `b`. `afterEach` sees each question settle. */
async function runPairs(server: TestServer, opts: { clear: () => Promise<void>; after?: (which: 'a' | 'b', asked: Asked) => Promise<void> }): Promise<{ a: Asked; b: Asked }[]> {
  const out: { a: Asked; b: Asked }[] = [];
  for (const p of pairs) {
    await opts.clear();
    const a = await askTracked(server, p.a);
    await opts.after?.('a', a);
    const b = await askTracked(server, p.b);
    await opts.after?.('b', b);
    out.push({ a, b });
  }
  return out;
}

const clearViaEvents = (server: TestServer) => async () => {
  // kb.changed drops every `faq` partition, reviews.changed (all series) every `pq` partition.
  await dataChanged(server, 'kb.changed');
  await dataChanged(server, 'reviews.changed');
};

// ---- Partition pass (CACHE_BACKEND=redis, private redis-server)

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<{ url: string; client: Redis; stop: () => Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'semeval-redis-'));
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', () => undefined);
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch {
      if (i > 50 || child.exitCode !== null) throw new Error('redis-server did not start (is it installed? use --no-partitions)');
      client.disconnect();
      await sleep(100);
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    client,
    async stop() {
      client.disconnect();
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SEM_PREFIX = 'mangaassist:sem:';
async function semanticLists(redis: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${SEM_PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    for (const k of keys) out.set(k.slice(SEM_PREFIX.length), await redis.llen(k));
  } while (cursor !== '0');
  return out;
}
/** `faq:<version>:en:returns` → `faq:en:returns` (the version is the same for every key of one service). */
const shortPartition = (p: string) => p.replace(/^(faq|pq):[^:]+:/, '$1:');

interface PartitionInfo {
  /** Partition of each question (short form), or undefined when it never reached the cache. */
  a?: string;
  b?: string;
  aHow: 'redis' | 'derived' | 'none';
  bHow: 'redis' | 'derived' | 'none';
}

async function partitionPass(): Promise<{ info: PartitionInfo[]; eligible: { a: boolean; b: boolean }[] }> {
  const redis = await startRedis();
  let server: TestServer | undefined;
  try {
    // Threshold 1: no pair's `b` can be served `a`'s answer, so every looked-up `b` is stored too.
    server = await startService({ CACHE_BACKEND: 'redis', REDIS_URL: redis.url, SEMANTIC_CACHE_THRESHOLD: '1', ADMIN_TOKEN });
    const s = server;
    let lists = new Map<string, number>();
    const found: (string | undefined)[] = [];
    const results = await runPairs(s, {
      clear: async () => {
        const keys = [...(await semanticLists(redis.client)).keys()].map((k) => SEM_PREFIX + k);
        if (keys.length > 0) await redis.client.del(...keys);
        lists = new Map();
      },
      after: async (_which, asked) => {
        const now = await semanticLists(redis.client);
        const grown = [...now].filter(([k, n]) => n > (lists.get(k) ?? 0)).map(([k]) => k);
        lists = now;
        found.push(asked.d.stored === 1 && grown.length === 1 ? grown[0] : undefined);
      },
    });
    const info = results.map(({ a, b }, i): PartitionInfo => {
      const one = (asked: Asked, key: string | undefined): [string | undefined, PartitionInfo['aHow']] => {
        if (key) return [shortPartition(key), 'redis'];
        // Refused (live data in the text) or not written: a series question's partition from its cards.
        if (lookupsOf(asked.d) > 0 && kindOf(asked.intent) === 'pq' && asked.seriesIds.length === 1) return [`pq:${asked.language}:${asked.seriesIds[0]}`, 'derived'];
        return [undefined, 'none'];
      };
      const [pa, ha] = one(a, found[2 * i]);
      const [pb, hb] = one(b, found[2 * i + 1]);
      return { a: pa, b: pb, aHow: ha, bHow: hb };
    });
    return { info, eligible: results.map(({ a, b }) => ({ a: lookupsOf(a.d) > 0, b: lookupsOf(b.d) > 0 })) };
  } finally {
    await server?.close();
    await redis.stop();
  }
}

// ---- Analysis

interface PairRow {
  i: number;
  language: 'en' | 'ja';
  match: boolean;
  kind: 'faq' | 'pq' | 'none';
  eligible: boolean;
  aStored: boolean;
  hit: boolean;
  /** The text served for `b` differs from the engine's fresh answer to `b`. */
  differs?: boolean;
  similarity: number;
  samePartition?: boolean;
}

interface Group {
  group: string;
  t: { n: number; eligible: number; stored: number; hits: number; split: number };
  f: { n: number; eligible: number; hits: number; hitsDiffering: number; separated: number };
}

function summarize(rows: PairRow[], group: string, pick: (r: PairRow) => boolean): Group {
  const g: Group = { group, t: { n: 0, eligible: 0, stored: 0, hits: 0, split: 0 }, f: { n: 0, eligible: 0, hits: 0, hitsDiffering: 0, separated: 0 } };
  for (const r of rows) {
    if (!pick(r)) continue;
    if (r.match) {
      g.t.n++;
      if (r.eligible) g.t.eligible++;
      if (r.eligible && r.aStored) g.t.stored++;
      if (r.hit) g.t.hits++;
      if (r.eligible && r.samePartition === false) g.t.split++;
    } else {
      g.f.n++;
      if (r.eligible) g.f.eligible++;
      if (r.hit) g.f.hits++;
      if (r.hit && r.differs) g.f.hitsDiffering++;
      if (r.eligible && r.samePartition === false) g.f.separated++;
    }
  }
  return g;
}
const GROUPS: [string, (r: PairRow) => boolean][] = [
  ['all', () => true],
  ['en', (r) => r.language === 'en'],
  ['ja', (r) => r.language === 'ja'],
  ['faq', (r) => r.kind === 'faq'],
  ['pq', (r) => r.kind === 'pq'],
];

// ---------------------------------------------------------------------------------------------
// Load replay

interface LoadResult {
  threshold: number;
  messages: number;
  errors: Record<string, number>;
  sessions: number;
  counters: Counters;
  /** From the replies' timings, per server intent. */
  byIntent: Record<string, { messages: number; lookups: number; hits: number }>;
  byLanguage: Record<string, { messages: number; lookups: number; hits: number }>;
  byIntentLanguage: Record<string, { messages: number; lookups: number; hits: number }>;
  /** Hits per lookup in each quarter of the run (by completion order). */
  quarters: { messages: number; lookups: number; hits: number }[];
  timingHits: number;
  timingLookups: number;
  seconds: number;
}

function planMessages(total: number): SessionPlan[] {
  const profile = { ...loadProfile('default'), bursts: [] };
  const rng = createRng(seed);
  const plans: SessionPlan[] = [];
  let n = 0;
  while (n < total) {
    const plan = planSession(profile, rng, 0);
    if (n + plan.messages.length > total) plan.messages = plan.messages.slice(0, total - n);
    n += plan.messages.length;
    plans.push(plan);
  }
  return plans;
}

async function loadRun(threshold: number): Promise<LoadResult> {
  const server = await startService({ SEMANTIC_CACHE_THRESHOLD: String(threshold) });
  try {
    const tokens = createTokenSource(readJwtSecret({ dataDir: server.dataDir })!);
    const plans = planMessages(messagesWanted);
    const done: { intent: string; language: string; lookup: boolean; hit: boolean; error?: string }[] = [];
    const before = await scrape(server);
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      for (let s = next++; s < plans.length; s = next++) {
        const plan = plans[s];
        const token = plan.account ? await tokens(plan.account) : undefined;
        for (const [j, m] of plan.messages.entries()) {
          try {
            // Session ids are [A-Za-z0-9_-]: the threshold's dot would be refused as malformed.
            const r = await ask(server, `load-${String(threshold).replace('.', '_')}-${s}`, `m${j}`, m.text, token);
            const lookup = 'answerCacheMs' in r.timings;
            done.push({ intent: r.intent || m.intent, language: r.language || plan.language, lookup, hit: lookup && !('generateFirstTokenMs' in r.timings), ...(r.status === 200 ? {} : { error: `http_${r.status}` }) });
          } catch (error) {
            done.push({ intent: m.intent, language: plan.language, lookup: false, hit: false, error: (error as Error).name });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    // Background writes of the last answers.
    let after = await scrape(server);
    for (let i = 0; i < 50 && settledOf(minus(after, before)) < minus(after, before).miss; i++) {
      await sleep(20);
      after = await scrape(server);
    }
    const counters = minus(after, before);
    const tally = (pick: (d: (typeof done)[number]) => string) => {
      const out: Record<string, { messages: number; lookups: number; hits: number }> = {};
      for (const d of done) {
        const k = pick(d);
        out[k] ??= { messages: 0, lookups: 0, hits: 0 };
        out[k].messages++;
        if (d.lookup) out[k].lookups++;
        if (d.hit) out[k].hits++;
      }
      return out;
    };
    const q = Math.ceil(done.length / 4);
    const quarters = [0, 1, 2, 3].map((k) => {
      const part = done.slice(k * q, (k + 1) * q);
      return { messages: part.length, lookups: part.filter((d) => d.lookup).length, hits: part.filter((d) => d.hit).length };
    });
    const errors: Record<string, number> = {};
    for (const d of done) if (d.error) errors[d.error] = (errors[d.error] ?? 0) + 1;
    return {
      threshold,
      messages: done.length,
      errors,
      sessions: plans.length,
      counters,
      byIntent: tally((d) => d.intent),
      byLanguage: tally((d) => d.language),
      byIntentLanguage: tally((d) => `${d.intent}/${d.language}`),
      quarters,
      timingHits: done.filter((d) => d.hit).length,
      timingLookups: done.filter((d) => d.lookup).length,
      seconds: Math.round(seconds * 10) / 10,
    };
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Run

const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)}%`);
const result: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, pairs: pairs.length };

let recommended: number | undefined;
if (!args['skip-pairs']) {
  // Similarities as the service's embedder sees them (explanation only).
  const embed = await questionEmbedder();
  const sims: number[] = [];
  const selfBelowOne: string[] = [];
  for (const p of pairs) {
    const [va, vb, va2] = await embed([p.a, p.b, p.a]);
    sims.push(dot(va, vb));
    if (dot(va, va2) < 1) selfBelowOne.push(p.a);
  }

  log('fresh answers (SEMANTIC_CACHE=false)…');
  const off = await startService({ SEMANTIC_CACHE: 'false' });
  const fresh: { a: Reply; b: Reply }[] = [];
  try {
    for (const [i, p] of pairs.entries()) fresh.push({ a: await ask(off, `fresh-a${i}`, 'q', p.a), b: await ask(off, `fresh-b${i}`, 'q', p.b) });
  } finally {
    await off.close();
  }

  let partitions: Awaited<ReturnType<typeof partitionPass>> | undefined;
  if (!args['no-partitions']) {
    log('partition pass (CACHE_BACKEND=redis)…');
    partitions = await partitionPass();
  }

  const sweep: { threshold: number; groups: Group[]; rows: PairRow[]; checks: Record<string, number> }[] = [];
  for (const t of thresholds) {
    log(`pairs at threshold ${t}…`);
    const server = await startService({ SEMANTIC_CACHE_THRESHOLD: String(t), ADMIN_TOKEN });
    let results: { a: Asked; b: Asked }[];
    try {
      results = await runPairs(server, { clear: clearViaEvents(server) });
    } finally {
      await server.close();
    }
    const checks = { aServedFromCache: 0, timingDisagrees: 0, nonOk: 0, hitBelowThreshold: 0, missTextNotFresh: 0, eligibilityDiffersFromPartitionPass: 0 };
    const rows = results.map(({ a, b }, i): PairRow => {
      const p = pairs[i];
      for (const q of [a, b]) {
        if (q.timingLookup !== lookupsOf(q.d) > 0 || q.timingHit !== q.d.hit > 0) checks.timingDisagrees++;
        if (q.status !== 200) checks.nonOk++;
      }
      if (a.d.hit > 0) checks.aServedFromCache++;
      const eligible = lookupsOf(a.d) === 1 && lookupsOf(b.d) === 1;
      const hit = b.d.hit === 1;
      if (hit && sims[i] < t) checks.hitBelowThreshold++;
      if (!hit && b.answer !== fresh[i].b.text) checks.missTextNotFresh++;
      const part = partitions?.info[i];
      if (partitions && (partitions.eligible[i].a !== lookupsOf(a.d) > 0 || partitions.eligible[i].b !== lookupsOf(b.d) > 0)) checks.eligibilityDiffersFromPartitionPass++;
      return {
        i,
        language: p.language,
        match: p.match,
        kind: kindOf(a.intent) ?? kindOf(b.intent) ?? 'none',
        eligible,
        aStored: a.d.stored === 1,
        hit,
        ...(hit ? { differs: b.answer !== fresh[i].b.text } : {}),
        similarity: Math.round(sims[i] * 1000) / 1000,
        ...(part?.a && part?.b ? { samePartition: part.a === part.b } : {}),
      };
    });
    sweep.push({ threshold: t, groups: GROUPS.map(([name, pick]) => summarize(rows, name, pick)), rows, checks });
  }

  // Recommendation: the lowest swept threshold with no label false hit (highest recall among the safe ones).
  const safe = sweep.filter((s) => s.groups[0].f.hits === 0).map((s) => s.threshold).sort((x, y) => x - y);
  recommended = safe[0];

  const perPair = pairs.map((p, i) => ({
    i,
    language: p.language,
    match: p.match,
    a: p.a,
    b: p.b,
    similarity: Math.round(sims[i] * 1000) / 1000,
    freshA: { intent: fresh[i].a.intent, series: fresh[i].a.seriesIds },
    freshB: { intent: fresh[i].b.intent, series: fresh[i].b.seriesIds },
    sameFreshText: fresh[i].a.text === fresh[i].b.text,
    partitions: partitions?.info[i],
    hitAt: sweep.filter((s) => s.rows[i].hit).map((s) => s.threshold),
  }));
  const partitionSummary = partitions
    ? (() => {
        const elig = (i: number) => partitions!.eligible[i].a && partitions!.eligible[i].b;
        const known = (i: number) => partitions!.info[i].a !== undefined && partitions!.info[i].b !== undefined;
        const split = (m: boolean) => pairs.filter((p, i) => p.match === m && elig(i) && known(i) && partitions!.info[i].a !== partitions!.info[i].b).length;
        const same = (m: boolean) => pairs.filter((p, i) => p.match === m && elig(i) && known(i) && partitions!.info[i].a === partitions!.info[i].b).length;
        const notEligible = (m: boolean) => pairs.filter((p, i) => p.match === m && !elig(i)).length;
        const derived = partitions!.info.filter((x) => x.aHow === 'derived' || x.bHow === 'derived').length;
        return {
          matchTrue: { samePartition: same(true), splitAcrossPartitions: split(true), notBothCacheable: notEligible(true) },
          matchFalse: { samePartition: same(false), separatedByPartition: split(false), notBothCacheable: notEligible(false) },
          pairsWithDerivedPartition: derived,
        };
      })()
    : undefined;

  const samePartitionSims = (m: boolean) =>
    partitions ? pairs.map((p, i) => i).filter((i) => pairs[i].match === m && partitions!.eligible[i].a && partitions!.eligible[i].b && partitions!.info[i].a !== undefined && partitions!.info[i].a === partitions!.info[i].b).map((i) => sims[i]) : [];
  const round3 = (x: number) => Math.round(x * 1000) / 1000;
  const worstFalse = partitions ? round3(Math.max(...samePartitionSims(false))) : null;
  const bestTrue = partitions ? round3(Math.max(...samePartitionSims(true))) : null;
  result.pairSweep = {
    worstFalseSamePartition: worstFalse,
    bestTrueSamePartition: bestTrue,
    selfSimilarityBelowOne: selfBelowOne.length,
    sameFreshTextPairs: { matchTrue: perPair.filter((p) => p.match && p.sameFreshText).length, matchFalse: perPair.filter((p) => !p.match && p.sameFreshText).length },
    partitions: partitionSummary,
    thresholds: sweep.map((s) => ({ threshold: s.threshold, groups: s.groups, checks: s.checks })),
    recommended: recommended ?? null,
    perPair,
  };

  if (!args.json) {
    console.log(`\nPairs: ${pairs.length} (${pairs.filter((p) => p.match).length} match=true, ${pairs.filter((p) => !p.match).length} match=false); ` +
      `fresh engine gives the same text to a and b in ${perPair.filter((p) => p.match && p.sameFreshText).length} match=true and ${perPair.filter((p) => !p.match && p.sameFreshText).length} match=false pairs`);
    if (partitionSummary) {
      const t = partitionSummary.matchTrue;
      const f = partitionSummary.matchFalse;
      console.log(`Partitions (redis pass): match=true  — both cacheable & same partition ${t.samePartition}, split across partitions ${t.splitAcrossPartitions}, not both cacheable ${t.notBothCacheable}`);
      console.log(`                         match=false — both cacheable & same partition ${f.samePartition}, separated by partition alone ${f.separatedByPartition}, not both cacheable ${f.notBothCacheable}` +
        (partitionSummary.pairsWithDerivedPartition ? ` (${partitionSummary.pairsWithDerivedPartition} pairs with a partition derived from product cards)` : ''));
    }
    if (partitions) {
      const show = (i: number) => `#${i} sim ${sims[i].toFixed(3)} ${partitions!.info[i].a}${partitions!.info[i].aHow === 'derived' ? '*' : ''} vs ${partitions!.info[i].b}${partitions!.info[i].bHow === 'derived' ? '*' : ''}`;
      const both = (i: number) => partitions!.eligible[i].a && partitions!.eligible[i].b && partitions!.info[i].a !== undefined && partitions!.info[i].b !== undefined;
      console.log(`  match=true split: ${pairs.map((p, i) => i).filter((i) => pairs[i].match && both(i) && partitions!.info[i].a !== partitions!.info[i].b).map(show).join('; ')}`);
      console.log(`  match=false in one partition (only the threshold separates them): ${pairs.map((p, i) => i).filter((i) => !pairs[i].match && both(i) && partitions!.info[i].a === partitions!.info[i].b).map((i) => `#${i} ${sims[i].toFixed(3)}`).join(', ')}`);
      console.log(`  not both cacheable: ${pairs.map((p, i) => i).filter((i) => !(partitions!.eligible[i].a && partitions!.eligible[i].b)).map((i) => `#${i}(${fresh[i].a.intent}/${fresh[i].b.intent})`).join(' ')}`);
      console.log('  (* partition derived from the product cards: the answer was refused, so it has no Redis key)');
    }
    console.log(`Identical question re-embedded: similarity < 1 for ${selfBelowOne.length} of ${pairs.length} 'a' questions\n`);
    console.log('thr   group | T n elig stored hits  hit%(all) hit%(elig) split | F n elig hits  fhit%(all) fhit%(elig) text≠fresh sep');
    for (const s of sweep) {
      for (const g of s.groups) {
        const { t, f } = g;
        console.log(
          `${String(s.threshold).padEnd(5)} ${g.group.padEnd(5)} | ${String(t.n).padStart(3)} ${String(t.eligible).padStart(4)} ${String(t.stored).padStart(6)} ${String(t.hits).padStart(4)} ${pct(t.hits, t.n).padStart(10)} ${pct(t.hits, t.eligible).padStart(10)} ${String(t.split).padStart(5)}` +
            ` | ${String(f.n).padStart(3)} ${String(f.eligible).padStart(4)} ${String(f.hits).padStart(4)} ${pct(f.hits, f.n).padStart(11)} ${pct(f.hits, f.eligible).padStart(11)} ${String(f.hitsDiffering).padStart(10)} ${String(f.separated).padStart(3)}`,
        );
      }
      const bad = Object.entries(s.checks).filter(([, v]) => v > 0);
      if (bad.length > 0) console.log(`      checks: ${bad.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    }
    const falseHits = sweep.flatMap((s) => s.rows.filter((r) => r.hit && !r.match).map((r) => ({ t: s.threshold, r })));
    if (falseHits.length > 0) {
      console.log('\nFalse hits (threshold: pair, similarity, served text differs from fresh):');
      const byPair = new Map<number, number[]>();
      for (const { t, r } of falseHits) byPair.set(r.i, [...(byPair.get(r.i) ?? []), t]);
      for (const [i, ts] of byPair) {
        const r = sweep.find((s) => s.rows[i].hit)!.rows[i];
        console.log(`  #${i} [${ts.join(',')}] sim ${r.similarity} differs=${r.differs} | ${pairs[i].a} | ${pairs[i].b}`);
      }
    }
    const trueHits = new Set(sweep.flatMap((s) => s.rows.filter((r) => r.hit && r.match).map((r) => r.i)));
    if (trueHits.size > 0) console.log(`True hits at any threshold: ${[...trueHits].map((i) => `#${i} (sim ${sims[i].toFixed(3)})`).join(', ')}`);
    console.log(recommended !== undefined ? `\nLowest swept threshold with zero label false hits: ${recommended}` : '\nNo swept threshold has zero label false hits');
    if (partitions) console.log(`Highest similarity of a match=false pair inside one partition: ${worstFalse}; of a match=true pair inside one partition: ${bestTrue}`);
  }
}

if (!args['skip-load']) {
  const loadThresholds = args['load-thresholds'] ? thresholdList(args['load-thresholds']) : [...new Set([SHIPPED_THRESHOLD, ...(recommended !== undefined ? [recommended] : [])])];
  const loads: LoadResult[] = [];
  for (const t of loadThresholds) {
    log(`load replay at threshold ${t} (${messagesWanted} messages)…`);
    loads.push(await loadRun(t));
  }
  result.load = { profile: 'default', seed, concurrency, runs: loads };
  if (!args.json) {
    console.log(`\nLoad replay: default profile (bursts off), seed ${seed}, ${concurrency} sessions in flight, no think time`);
    console.log('thr   messages errors lookups hits stored refused llm_calls  saved(hits/msgs) hits/lookups | hits/lookups: faq en  faq ja   pq en   pq ja | hits/lookups by quarter of the run');
    for (const l of loads) {
      const c = l.counters;
      const errs = Object.values(l.errors).reduce((s, n) => s + n, 0);
      const cell = (k: string) => {
        const x = l.byIntentLanguage[k] ?? { lookups: 0, hits: 0 };
        return `${x.hits}/${x.lookups}`.padStart(7);
      };
      console.log(
        `${String(l.threshold).padEnd(5)} ${String(l.messages).padStart(8)} ${String(errs).padStart(6)} ${String(lookupsOf(c)).padStart(7)} ${String(c.hit).padStart(4)} ${String(c.stored).padStart(6)} ${String(c.refused).padStart(7)} ${String(c.llm).padStart(9)}  ${pct(c.hit, l.messages).padStart(16)} ${pct(c.hit, lookupsOf(c)).padStart(13)} |              ${cell('faq/en')} ${cell('faq/ja')} ${cell('product_question/en')} ${cell('product_question/ja')} | ${l.quarters.map((q) => pct(q.hits, q.lookups)).join(' ')}`,
      );
      if (l.timingHits !== c.hit || l.timingLookups !== lookupsOf(c)) console.log(`      timings disagree with metrics: timing lookups ${l.timingLookups}, hits ${l.timingHits}`);
      if (c.error || c.store_error) console.log(`      lookup errors ${c.error}, store errors ${c.store_error}`);
    }
  }
}

if (args.json) console.log(JSON.stringify(result, null, 2));
