// Priority drill: the models overloaded on purpose, to show what each priority class gets.
//
//   node bench/priority-drill.ts [--overload-rate 14] [--baseline-seconds 30] [--overload-seconds 60]
//                                [--recovery-seconds 30] [--mix 20,40,40] [--pool-large 6] [--out FILE]
//
// Starts the service as a child process (`node src/main.ts`, fresh DATA_DIR, LLM_PROVIDER=sim,
// semantic cache off so every answer needs a model, admission limits raised so nothing is refused
// before the model pools), then sends open-loop arrivals (each message at its scheduled time,
// whatever the replies before it did) in three phases: baseline, overload, recovery. Customers are
// Prime (P0), members (P1) and guests (P2); every message has its own WebSocket session, opened
// --lead-ms before the message is due, so a class never waits behind its own earlier replies.
//
// Client side, per phase × class: first token (send → first `token` frame), how the reply was
// made (model, template, or the brief "can't answer right now" message: `end.degraded` has 'llm'),
// the route and reason from `end.route`, the pool wait (`end.route.queueMs`) and error frames.
// Server side: /metrics scraped at every phase boundary (pool waits and refusals, routes) and
// every --poll-ms for the pool gauges and circuit states (the per-second series in the JSON).
// The client is its own process so its work does not share the service's event loop.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fetchMetrics, startService as startServiceProcess, type RunningService } from './lib/service.ts';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { signCustomerToken } from '../src/admission/auth.ts';
import { DEFAULT_ROUTES, isComparison } from '../src/llm/routing/routing-table.ts';
import type { RouteInfo } from '../src/llm/types.ts';
import { ArrivalSchedule } from '../src/loadgen/arrivals.ts';
import { LatencyHistogram } from '../src/loadgen/histogram.ts';
import type { Phase } from '../src/loadgen/profile.ts';
import { createRng } from '../src/loadgen/random.ts';
import type { Intent, Language } from '../src/understanding/types.ts';

// ---------------------------------------------------------------------------------------------
// Options

const USAGE = `Usage: node bench/priority-drill.ts [options]
  --baseline-rate N      messages/s in the baseline and warm-up (default 2)
  --overload-rate N      messages/s in the overload phase (default 14)
  --recovery-rate N      messages/s in the recovery phase (default 2)
  --warmup-seconds S     unmeasured load before the baseline (default 10; 0: none)
  --baseline-seconds S   (default 30)   --overload-seconds S (default 60)   --recovery-seconds S (default 30)
  --mix P0,P1,P2         shares of Prime, members, guests in percent (default 20,40,40)
  --pool-large N         LLM_POOL_LARGE (default 6)        --pool-small N  LLM_POOL_SMALL (default 6)
  --pressure-queue N     LLM_PRESSURE_QUEUE (default 4)
  --large-ttft-ms MS     SIM_LLM_TTFT_MS (default 400)     --large-tps N   SIM_LLM_TOKENS_PER_SEC (default 60)
  --small-ttft-ms MS     SIM_LLM_SMALL_TTFT_MS (default 200) --small-tps N SIM_LLM_SMALL_TOKENS_PER_SEC (default 120)
  --arrivals K           uniform | poisson (default uniform)
  --lead-ms MS           a message's WebSocket is opened this long before it is due (default 300)
  --timeout-ms MS        a reply without its end frame by then counts as error 'timeout' (default 30000)
  --poll-ms MS           /metrics gauge poll period (default 1000)
  --env KEY=VALUE        extra service setting (repeatable; wins over the drill's own)
  --seed N               arrivals, classes and messages (default 1)
  --out FILE             JSON result (default: priority-drill.json in a new temp dir)`;

const { values: args } = parseArgs({
  options: {
    'baseline-rate': { type: 'string', default: '2' },
    'overload-rate': { type: 'string', default: '14' },
    'recovery-rate': { type: 'string', default: '2' },
    'warmup-seconds': { type: 'string', default: '10' },
    'baseline-seconds': { type: 'string', default: '30' },
    'overload-seconds': { type: 'string', default: '60' },
    'recovery-seconds': { type: 'string', default: '30' },
    mix: { type: 'string', default: '20,40,40' },
    'pool-large': { type: 'string', default: '6' },
    'pool-small': { type: 'string', default: '6' },
    'pressure-queue': { type: 'string', default: '4' },
    'large-ttft-ms': { type: 'string', default: '400' },
    'large-tps': { type: 'string', default: '60' },
    'small-ttft-ms': { type: 'string', default: '200' },
    'small-tps': { type: 'string', default: '120' },
    arrivals: { type: 'string', default: 'uniform' },
    'lead-ms': { type: 'string', default: '300' },
    'timeout-ms': { type: 'string', default: '30000' },
    'poll-ms': { type: 'string', default: '1000' },
    env: { type: 'string', multiple: true, default: [] },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

function num(name: keyof typeof args, min = 0): number {
  const text = String(args[name]);
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min) {
    console.error(`bad --${name} "${text}" (a number >= ${min})\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const rates = { baseline: num('baseline-rate', 0.01), overload: num('overload-rate', 0.01), recovery: num('recovery-rate', 0.01) };
const seconds = { warmup: num('warmup-seconds'), baseline: num('baseline-seconds', 1), overload: num('overload-seconds', 1), recovery: num('recovery-seconds', 1) };
const mixParts = args.mix!.split(',').map(Number);
if (mixParts.length !== 3 || mixParts.some((x) => !Number.isFinite(x) || x < 0) || mixParts.every((x) => x === 0)) {
  console.error(`bad --mix "${args.mix}" (three shares: Prime, members, guests)`);
  process.exit(2);
}
const mix = { P0: mixParts[0], P1: mixParts[1], P2: mixParts[2] };
const arrivalsKind = args.arrivals === 'poisson' ? 'poisson' : args.arrivals === 'uniform' ? 'uniform' : undefined;
if (!arrivalsKind) {
  console.error(`bad --arrivals "${args.arrivals}" (uniform or poisson)`);
  process.exit(2);
}
const leadMs = num('lead-ms');
const timeoutMs = num('timeout-ms', 1000);
const pollMs = num('poll-ms', 100);
const seed = Math.trunc(num('seed'));
const sim = { largeTtftMs: num('large-ttft-ms'), largeTps: num('large-tps'), smallTtftMs: num('small-ttft-ms'), smallTps: num('small-tps') };
const pools = { large: Math.trunc(num('pool-large', 1)), small: Math.trunc(num('pool-small', 1)), pressureQueue: Math.trunc(num('pressure-queue', 1)) };
const extraEnv: Record<string, string> = {};
for (const kv of args.env ?? []) {
  const eq = kv.indexOf('=');
  if (eq < 1) {
    console.error(`bad --env "${kv}" (KEY=VALUE)`);
    process.exit(2);
  }
  extraEnv[kv.slice(0, eq)] = kv.slice(eq + 1);
}
const command = `node bench/priority-drill.ts ${process.argv.slice(2).join(' ')}`.trim();
const outFile = args.out ?? join(mkdtempSync(join(tmpdir(), 'priority-drill-')), 'priority-drill.json');

// ---------------------------------------------------------------------------------------------
// Traffic: who asks what

type Cls = 'P0' | 'P1' | 'P2';
const CLASSES: readonly Cls[] = ['P0', 'P1', 'P2'];
const CLASS_NAME: Record<Cls, string> = { P0: 'Prime', P1: 'member', P2: 'guest' };

/** A message of the mix; `intent` is what it is meant to be (the service's classifier decides). */
interface Question {
  text: string;
  lang: Language;
  intent: Intent;
  weight: number;
}
// Mostly the large model's work (recommendations, product questions, comparisons, FAQ), a few
// order/promotion questions for the small model and greetings from templates; English and Japanese.
const QUESTIONS: readonly Question[] = [
  { text: 'Recommend me something like Berserk', lang: 'en', intent: 'recommendation', weight: 3 },
  { text: 'Any good dark fantasy manga you would recommend?', lang: 'en', intent: 'recommendation', weight: 2 },
  { text: 'おすすめの恋愛漫画を教えて', lang: 'ja', intent: 'recommendation', weight: 3 },
  { text: 'ワンピースが好きな人におすすめの漫画は？', lang: 'ja', intent: 'recommendation', weight: 2 },
  { text: 'Tell me about Frieren', lang: 'en', intent: 'product_question', weight: 3 },
  { text: 'What is Vinland Saga about?', lang: 'en', intent: 'product_question', weight: 2 },
  { text: 'Who wrote Vagabond?', lang: 'en', intent: 'product_question', weight: 1 },
  { text: 'ベルセルクってどんな話？', lang: 'ja', intent: 'product_question', weight: 2 },
  { text: '進撃の巨人のあらすじを教えて', lang: 'ja', intent: 'product_question', weight: 2 },
  { text: 'One Piece vs Naruto, which is better?', lang: 'en', intent: 'product_question', weight: 2 },
  { text: 'Frieren vs Berserk, which is better for a beginner?', lang: 'en', intent: 'product_question', weight: 1 },
  { text: 'ワンピースとナルトはどちらが面白いですか', lang: 'ja', intent: 'product_question', weight: 2 },
  { text: 'What is your return policy?', lang: 'en', intent: 'faq', weight: 2 },
  { text: 'How long does shipping take?', lang: 'en', intent: 'faq', weight: 1 },
  { text: '送料はいくらですか', lang: 'ja', intent: 'faq', weight: 2 },
  { text: '返品はできますか', lang: 'ja', intent: 'faq', weight: 1 },
  { text: 'Is Chainsaw Man in stock?', lang: 'en', intent: 'price_availability', weight: 1 },
  { text: '呪術廻戦の3巻はいくらですか', lang: 'ja', intent: 'price_availability', weight: 1 },
  { text: 'Do you have any manga about volleyball?', lang: 'en', intent: 'product_search', weight: 1 },
  { text: 'バレーボールの漫画を探しています', lang: 'ja', intent: 'product_search', weight: 1 },
  { text: 'Where is my order?', lang: 'en', intent: 'order_status', weight: 1 },
  { text: '注文した本はいつ届きますか', lang: 'ja', intent: 'order_status', weight: 1 },
  { text: 'Any sales right now?', lang: 'en', intent: 'promotion', weight: 1 },
  { text: 'hi there!', lang: 'en', intent: 'chitchat', weight: 1 },
  { text: 'こんにちは', lang: 'ja', intent: 'chitchat', weight: 1 },
];
/** The route a question should take with nothing under pressure (routing table + comparison rule). */
const expectedRoute = (q: Question) => (DEFAULT_ROUTES[q.intent] === 'template' ? 'template' : isComparison(q.text, q.lang) ? 'large' : DEFAULT_ROUTES[q.intent]);
const totalWeight = QUESTIONS.reduce((s, q) => s + q.weight, 0);
const shareOf = (route: string) => QUESTIONS.filter((q) => expectedRoute(q) === route).reduce((s, q) => s + q.weight, 0) / totalWeight;

const PHASE_NAMES = ['warmup', 'baseline', 'overload', 'recovery'] as const;
type PhaseName = (typeof PHASE_NAMES)[number];
const MEASURED = ['baseline', 'overload', 'recovery'] as const;
const phaseList = PHASE_NAMES.filter((p) => seconds[p] > 0).map((name) => ({ name, rate: name === 'warmup' ? rates.baseline : rates[name], durationS: seconds[name] }));
const phases: Phase[] = phaseList.map((p) => ({ kind: 'hold', rate: p.rate, durationS: p.durationS }));
/** Phase start/end, ms from the load's start. */
const bounds = phaseList.reduce<{ name: PhaseName; fromMs: number; toMs: number }[]>((acc, p) => {
  const from = acc.at(-1)?.toMs ?? 0;
  acc.push({ name: p.name, fromMs: from, toMs: from + p.durationS * 1000 });
  return acc;
}, []);

// ---------------------------------------------------------------------------------------------
// The service

const dataDir = mkdtempSync(join(tmpdir(), 'manga-priority-'));
const jwtSecret = randomBytes(32).toString('hex');
const BIG = '1000000';
const serviceEnv: Record<string, string> = {
  DATA_DIR: dataDir,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  FAULTS: '',
  AUTH_JWT_SECRET: jwtSecret,
  LLM_PROVIDER: 'sim',
  SIM_LLM_TTFT_MS: String(sim.largeTtftMs),
  SIM_LLM_TOKENS_PER_SEC: String(sim.largeTps),
  SIM_LLM_SMALL_TTFT_MS: String(sim.smallTtftMs),
  SIM_LLM_SMALL_TOKENS_PER_SEC: String(sim.smallTps),
  LLM_POOL_LARGE: String(pools.large),
  LLM_POOL_SMALL: String(pools.small),
  LLM_PRESSURE_QUEUE: String(pools.pressureQueue),
  // Every answer has to come from a model: a cached answer would hide the queue.
  SEMANTIC_CACHE: 'false',
  // Everything comes from 127.0.0.1 and a few customer ids: admission (rate limits, the global
  // LLM bucket, brownout) is raised out of the way so the only thing deciding is the model pools.
  GUEST_SESSIONS_PER_ADDRESS_PER_MIN: BIG,
  GUEST_SESSIONS_PER_ADDRESS_BURST: BIG,
  RATE_GUEST_PER_MIN: BIG,
  RATE_GUEST_BURST: BIG,
  RATE_CUSTOMER_PER_MIN: BIG,
  RATE_CUSTOMER_BURST: BIG,
  LLM_RATE_PER_SEC: BIG,
  LLM_BURST: BIG,
  MAX_INFLIGHT_MESSAGES: BIG,
  BROWNOUT_LAG_MS: '10000',
  ...extraEnv,
};
const serviceLog = `${outFile}.service.log`;
let service: RunningService | undefined;

async function startService(): Promise<string> {
  service = await startServiceProcess(serviceEnv, serviceLog);
  return service.url;
}

async function stopService(): Promise<void> {
  await service?.stop();
}

// ---------------------------------------------------------------------------------------------
// /metrics

const KEEP = /^mangaassist_(llm_|first_token_seconds_(count|sum)|circuit_state|circuit_transitions_total|brownout_level|shed_total|rate_limited_total|process_cpu_seconds_total)/;

/** Prometheus text → `name{labels}` → value, for the series this drill reads. */
async function scrape(base: string): Promise<Map<string, number>> {
  const text = await fetchMetrics(base, 5000);
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#') || !KEEP.test(line)) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

/** Counter/histogram increase between two scrapes (gauges left out), keys as scraped. */
function counterDelta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) {
    if (!/_(total|count|sum|bucket)(\{|$)/.test(k)) continue;
    const d = v - (before.get(k) ?? 0);
    if (d !== 0) out[k] = Math.round(d * 1e6) / 1e6;
  }
  return out;
}

/** The value of `name{…}` whose labels include every `label="value"` given. */
function pick(m: Record<string, number> | Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  const entries = m instanceof Map ? m.entries() : Object.entries(m);
  for (const [k, v] of entries) {
    if (!k.startsWith(`${name}{`) && k !== name) continue;
    if (Object.entries(labels).every(([l, val]) => k.includes(`${l}="${val}"`))) total += v;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// One message, on its own WebSocket session

interface Planned {
  i: number;
  phase: PhaseName;
  cls: Cls;
  q: Question;
  /** Due time, ms from the load's start. */
  atMs: number;
  token?: string;
}

/** What happened to one message; times in ms. */
interface Rec {
  i: number;
  phase: PhaseName;
  cls: Cls;
  text: string;
  expected: string;
  dueMs: number;
  /** Send time minus due time (the client's own lateness; large values mean the drill itself lagged). */
  lateMs?: number;
  connectMs?: number;
  /** The service's `start.intent`. */
  intent?: string;
  ttftMs?: number;
  totalMs?: number;
  /** First token → end frame. */
  streamMs?: number;
  tokens: number;
  route?: RouteInfo;
  degraded?: string[];
  interrupted?: boolean;
  /** The service's own `end.timings.firstTokenMs`. */
  serverFirstTokenMs?: number;
  error?: string;
}

type Frame = { type?: string; replyTo?: string; code?: string; intent?: string; degraded?: string[]; route?: RouteInfo; interrupted?: boolean; timings?: { firstTokenMs?: number } };

function runOne(wsBase: string, p: Planned, t0: number): Promise<Rec> {
  return new Promise((resolve) => {
    const rec: Rec = { i: p.i, phase: p.phase, cls: p.cls, text: p.q.text, expected: expectedRoute(p.q), dueMs: p.atMs, tokens: 0 };
    const id = `pd${seed}-${p.i}`;
    const openedAt = performance.now();
    let sentAt: number | undefined;
    let firstAt: number | undefined;
    let sendTimer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const ws = new WebSocket(`${wsBase}/v1/chat/ws${p.token ? `?token=${encodeURIComponent(p.token)}` : ''}`, { perMessageDeflate: false });
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(sendTimer);
      clearTimeout(deadline);
      if (error) rec.error = error;
      ws.close();
      resolve(rec);
    };
    deadline = setTimeout(() => finish(sentAt === undefined ? 'connect_timeout' : 'timeout'), leadMs + timeoutMs);
    const send = () => {
      if (done) return;
      sentAt = performance.now();
      rec.lateMs = round(sentAt - t0 - p.atMs, 1);
      ws.send(JSON.stringify({ type: 'user_message', id, text: p.q.text }));
    };
    ws.on('message', (data) => {
      const at = performance.now();
      let f: Frame;
      try {
        f = JSON.parse(String(data)) as Frame;
      } catch {
        return;
      }
      if (f.type === 'session') {
        rec.connectMs = round(at - openedAt, 1);
        const wait = t0 + p.atMs - at;
        if (wait > 0) sendTimer = setTimeout(send, wait);
        else send();
        return;
      }
      if (f.replyTo !== id) {
        if (f.type === 'error' && !f.replyTo) finish(f.code ?? 'error');
        return;
      }
      if (f.type === 'start') rec.intent = f.intent;
      else if (f.type === 'token') {
        rec.tokens++;
        if (firstAt === undefined) {
          firstAt = at;
          rec.ttftMs = round(at - sentAt!, 2);
        }
      } else if (f.type === 'end') {
        rec.totalMs = round(at - sentAt!, 2);
        if (firstAt !== undefined) rec.streamMs = round(at - firstAt, 2);
        if (f.route) rec.route = f.route;
        if (f.degraded) rec.degraded = f.degraded;
        if (f.interrupted) rec.interrupted = true;
        if (f.timings?.firstTokenMs !== undefined) rec.serverFirstTokenMs = f.timings.firstTokenMs;
        finish();
      } else if (f.type === 'error') finish(f.code ?? 'error');
    });
    ws.on('error', () => finish(sentAt === undefined ? 'connect_failed' : 'dropped'));
    ws.on('close', () => finish(sentAt === undefined ? 'connect_failed' : 'dropped'));
  });
}

// ---------------------------------------------------------------------------------------------
// Figures

/** How a reply was made. */
function kindOf(r: Rec): 'error' | 'brief' | 'interrupted' | 'template' | 'model' | 'other' {
  if (r.error) return 'error';
  if (r.interrupted) return 'interrupted';
  if (r.degraded?.includes('llm')) return 'brief';
  if (r.route?.route === 'template') return 'template';
  if (r.route) return 'model';
  return 'other';
}

const pcts = (h: LatencyHistogram) => ({ n: h.count, p50: round(h.percentile(50), 1), p95: round(h.percentile(95), 1), p99: round(h.percentile(99), 1), max: round(h.percentile(100), 1) });

function stats(rs: Rec[]) {
  const ttft = new LatencyHistogram();
  const ttftModel = new LatencyHistogram();
  const queue = new LatencyHistogram();
  const late = new LatencyHistogram();
  const kinds: Record<string, number> = {};
  const routes: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const intents: Record<string, number> = {};
  let failedOver = 0;
  for (const r of rs) {
    const k = kindOf(r);
    kinds[k] = (kinds[k] ?? 0) + 1;
    if (r.lateMs !== undefined) late.record(Math.max(0, r.lateMs));
    if (r.intent) intents[r.intent] = (intents[r.intent] ?? 0) + 1;
    if (r.error) {
      errors[r.error] = (errors[r.error] ?? 0) + 1;
      continue;
    }
    if (r.ttftMs !== undefined) ttft.record(r.ttftMs);
    if (k === 'model' && r.ttftMs !== undefined) ttftModel.record(r.ttftMs);
    if (r.route) {
      const key = `${r.route.route}/${r.route.reason}`;
      routes[key] = (routes[key] ?? 0) + 1;
      if (r.route.route !== 'template') queue.record(r.route.queueMs);
      if (r.route.failedOver?.length) failedOver++;
    } else if (k === 'brief') routes['brief (no route)'] = (routes['brief (no route)'] ?? 0) + 1;
  }
  return { messages: rs.length, kinds, errors, routes, failedOver, intents, ttft: pcts(ttft), ttftModelAnswered: pcts(ttftModel), queueMs: pcts(queue), sendLateMs: pcts(late) };
}
type Stats = ReturnType<typeof stats>;

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

// ---------------------------------------------------------------------------------------------
// The drill

interface Poll {
  tS: number;
  inUse: { large: number; small: number };
  queued: Record<'large' | 'small', Record<Cls, number>>;
  circuit: Record<string, number>;
  brownout: number;
  downgrade: number;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const largeShare = shareOf('large');
  const smallShare = shareOf('small');
  const assumedHoldLargeS = (sim.largeTtftMs + 66 * (1000 / sim.largeTps)) / 1000;
  console.error(`priority-drill: starting the service (DATA_DIR ${dataDir}, log ${serviceLog})`);
  // The capacity check the drill rests on, before anything runs (66 tokens is the assumed answer length).
  const offered = (rate: number, share: number) => round(rate * largeShare * share * assumedHoldLargeS, 1);
  const totalMix = mix.P0 + mix.P1 + mix.P2;
  console.error(
    `priority-drill: expected large-model share ${(largeShare * 100).toFixed(0)}%, hold ≈ ${assumedHoldLargeS.toFixed(2)} s → large connections wanted: ` +
      MEASURED.map((ph) => `${ph} ${offered(rates[ph], 1)} (P0 alone ${offered(rates[ph], mix.P0 / totalMix)}, P0+P1 ${offered(rates[ph], (mix.P0 + mix.P1) / totalMix)})`).join('; ') +
      ` vs ${pools.large} connections`,
  );

  const url = await startService();
  const wsBase = url.replace(/^http/, 'ws');
  const secret = new TextEncoder().encode(jwtSecret);
  // A handful of customer ids per class, signed once (ids need not exist in the store).
  const tokens: Record<'P0' | 'P1', string[]> = { P0: [], P1: [] };
  for (let k = 0; k < 20; k++) tokens.P0.push(await signCustomerToken(secret, { sub: `drill-prime-${k}`, tier: 'prime', age_verified: true }, '12h'));
  for (let k = 0; k < 40; k++) tokens.P1.push(await signCustomerToken(secret, { sub: `drill-member-${k}`, tier: 'member', age_verified: true }, '12h'));
  process.once('SIGINT', () => {
    void stopService().then(() => process.exit(130));
  });

  const planRng = createRng(seed);
  const arrivalRng = createRng(seed ^ 0x5eed);
  const schedule = new ArrivalSchedule(phases, arrivalsKind!, arrivalRng);
  const recs: Rec[] = [];
  const inflight = new Set<Promise<unknown>>();
  const scrapes: { label: string; tS: number; values: Map<string, number> }[] = [];
  const polls: Poll[] = [];
  const cpuMarks: { label: string; self: NodeJS.CpuUsage }[] = [];

  const t0 = performance.now() + 500;
  const tS = () => round((performance.now() - t0) / 1000, 2);
  // Phase boundaries: a scrape each (server counters per wall-clock window) and the drill's own CPU.
  const boundaryTimers = bounds.map((b, k) =>
    setTimeout(() => {
      cpuMarks.push({ label: b.name, self: process.cpuUsage() });
      const p = scrape(url).then((values) => void scrapes.push({ label: `start:${b.name}`, tS: tS(), values }), (e) => console.error(`priority-drill: scrape failed: ${(e as Error).message}`));
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      if (k > 0) console.error(`priority-drill: ${tS().toFixed(0)} s: ${bounds[k - 1].name} over, ${b.name} (${phaseList[k].rate}/s for ${phaseList[k].durationS} s)`);
    }, Math.max(0, t0 + b.fromMs - performance.now())),
  );
  let polling = true;
  const poller = (async () => {
    await sleep(Math.max(0, t0 - performance.now()));
    while (polling) {
      const at = performance.now();
      try {
        const m = await scrape(url);
        const q = (pool: string, c: Cls) => pick(m, 'mangaassist_llm_pool_queued', { pool, priority: c });
        const circuit: Record<string, number> = {};
        for (const d of ['llm', 'llm-large', 'llm-small']) circuit[d] = pick(m, 'mangaassist_circuit_state', { dependency: d });
        polls.push({
          tS: tS(),
          inUse: { large: pick(m, 'mangaassist_llm_pool_in_use', { pool: 'large' }), small: pick(m, 'mangaassist_llm_pool_in_use', { pool: 'small' }) },
          queued: { large: { P0: q('large', 'P0'), P1: q('large', 'P1'), P2: q('large', 'P2') }, small: { P0: q('small', 'P0'), P1: q('small', 'P1'), P2: q('small', 'P2') } },
          circuit,
          brownout: pick(m, 'mangaassist_brownout_level'),
          downgrade: pick(m, 'mangaassist_llm_downgrade_active'),
        });
      } catch (error) {
        console.error(`priority-drill: poll failed: ${(error as Error).message}`);
      }
      await sleep(Math.max(0, pollMs - (performance.now() - at)));
    }
  })();

  console.error(`priority-drill: ${url}; phases ${phaseList.map((p) => `${p.name} ${p.rate}/s × ${p.durationS} s`).join(', ')}; mix P0/P1/P2 ${args.mix}`);
  let i = 0;
  for (let a = schedule.next(); a; a = schedule.next()) {
    const cls = planRng.weighted(mix);
    const q = weightedQuestion(planRng.float());
    const phase = phaseList[a.phaseIndex].name;
    const planned: Planned = { i: i++, phase, cls, q, atMs: a.atMs, token: cls === 'P2' ? undefined : planRng.pick(tokens[cls]) };
    const wait = t0 + a.atMs - leadMs - performance.now();
    if (wait > 0) await sleep(wait);
    const p = runOne(wsBase, planned, t0).then((r) => void recs.push(r));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }
  const endAt = t0 + bounds.at(-1)!.toMs;
  await sleep(Math.max(0, endAt - performance.now()));
  cpuMarks.push({ label: 'end', self: process.cpuUsage() });
  console.error(`priority-drill: ${tS().toFixed(0)} s: phases over; waiting for ${inflight.size} replies`);
  while (inflight.size) await Promise.all([...inflight]);
  scrapes.push({ label: 'end', tS: tS(), values: await scrape(url) });
  polling = false;
  await poller;
  for (const t of boundaryTimers) clearTimeout(t);
  await stopService();
  rmSync(dataDir, { recursive: true, force: true });

  // Per phase × class, from what the client saw; messages belong to the phase they were due in.
  const measured = bounds.filter((b) => b.name !== 'warmup');
  const byPhase: Record<string, { all: Stats } & Partial<Record<Cls, Stats>>> = {};
  for (const b of measured) {
    const rs = recs.filter((r) => r.phase === b.name);
    byPhase[b.name] = { all: stats(rs) };
    for (const c of CLASSES) byPhase[b.name][c] = stats(rs.filter((r) => r.cls === c));
  }
  // Server counters per phase: from the scrape at its start to the next one (the last runs to
  // the end of the drain, so replies still in flight at a boundary count in the later window).
  const scrapeAt = (label: string) => scrapes.find((s) => s.label === label)?.values;
  const serverByPhase: Record<string, Record<string, number>> = {};
  for (const [k, b] of measured.entries()) {
    const from = scrapeAt(`start:${b.name}`);
    const to = k + 1 < measured.length ? scrapeAt(`start:${measured[k + 1].name}`) : scrapeAt('end');
    if (from && to) serverByPhase[b.name] = counterDelta(from, to);
  }
  const selfCpu: Record<string, number> = {};
  for (const [k, b] of bounds.entries()) {
    const from = cpuMarks.find((c) => c.label === b.name)?.self;
    const to = cpuMarks.find((c) => c.label === (bounds[k + 1]?.name ?? 'end'))?.self;
    if (from && to) selfCpu[b.name] = round((to.user + to.system - from.user - from.system) / 1e6 / (b.toMs / 1000 - b.fromMs / 1000), 3);
  }
  // The capacity check again, with what the baseline measured: a large connection is held for
  // the model's first token plus the stream.
  const base = recs.filter((r) => r.phase === 'baseline' && kindOf(r) === 'model');
  const measuredHold = {
    large: (sim.largeTtftMs + mean(base.filter((r) => r.route?.route === 'large').map((r) => r.streamMs ?? 0))) / 1000,
    small: (sim.smallTtftMs + mean(base.filter((r) => r.route?.route === 'small').map((r) => r.streamMs ?? 0))) / 1000,
  };
  const baseAll = recs.filter((r) => r.phase === 'baseline' && !r.error);
  const measuredLargeShare = baseAll.length ? baseAll.filter((r) => r.route?.route === 'large').length / baseAll.length : NaN;
  const capacity = {
    assumed: { largeShare: round(largeShare, 3), smallShare: round(smallShare, 3), holdLargeS: round(assumedHoldLargeS, 3) },
    measuredInBaseline: { largeShare: round(measuredLargeShare, 3), holdLargeS: round(measuredHold.large, 3), holdSmallS: round(measuredHold.small, 3) },
    largeConnectionsWanted: Object.fromEntries(
      MEASURED.map((ph) => {
        const a = (share: number) => round(rates[ph] * measuredLargeShare * share * measuredHold.large, 2);
        return [ph, { all: a(1), P0: a(mix.P0 / totalMix), P0P1: a((mix.P0 + mix.P1) / totalMix), pool: pools.large }];
      }),
    ),
  };

  const result = {
    tool: 'manga-assist-priority-drill',
    startedAt: startedAt.toISOString(),
    command,
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, platform: process.platform, loadavgAtEnd: loadavg().map((x) => round(x, 2)) },
    settings: { rates, seconds, mix, arrivals: arrivalsKind, leadMs, timeoutMs, pollMs, seed, sim, pools, serviceEnv: { ...serviceEnv, DATA_DIR: '<temp>', AUTH_JWT_SECRET: '<random>' }, questions: QUESTIONS.map((q) => ({ ...q, expectedRoute: expectedRoute(q) })) },
    phases: bounds.map((b) => ({ name: b.name, fromS: b.fromMs / 1000, toS: b.toMs / 1000 })),
    capacity,
    drillCpuShareOfCore: selfCpu,
    clientByPhase: byPhase,
    serverByPhase,
    polls,
    messages: recs.sort((a, b) => a.i - b.i),
  };
  writeFileSync(outFile, JSON.stringify(result, null, 2));
  console.log(render(result.machine, startedAt, byPhase, serverByPhase, capacity, polls, selfCpu));
  console.log(`\nFull result: ${outFile} (service log: ${serviceLog})`);
}

function weightedQuestion(x: number): Question {
  let left = x * totalWeight;
  for (const q of QUESTIONS) {
    left -= q.weight;
    if (left < 0) return q;
  }
  return QUESTIONS.at(-1)!;
}

function render(
  machine: { cpu?: string; cores: number; node: string },
  startedAt: Date,
  byPhase: Record<string, { all: Stats } & Partial<Record<Cls, Stats>>>,
  server: Record<string, Record<string, number>>,
  capacity: { measuredInBaseline: { largeShare: number; holdLargeS: number; holdSmallS: number }; largeConnectionsWanted: Record<string, { all: number; P0: number; P0P1: number; pool: number }> },
  polls: Poll[],
  selfCpu: Record<string, number>,
): string {
  const L: string[] = [];
  const f = (p: { n: number; p50: number; p95: number; p99: number }) => (p.n ? `${p.p50.toFixed(0)} / ${p.p95.toFixed(0)} / ${p.p99.toFixed(0)}` : '—');
  const share = (n: number | undefined, of: number) => (of ? `${n ?? 0} (${(((n ?? 0) / of) * 100).toFixed(0)}%)` : '0');
  L.push(`## Priority drill (${startedAt.toISOString()})`);
  L.push('');
  L.push(`Machine: ${machine.cpu}, ${machine.cores} cores; node ${machine.node}. Command: \`${command}\``);
  L.push(
    `Service: LLM_PROVIDER=sim, large TTFT ${sim.largeTtftMs} ms @ ${sim.largeTps} tok/s, small TTFT ${sim.smallTtftMs} ms @ ${sim.smallTps} tok/s; ` +
      `LLM_POOL_LARGE=${pools.large}, LLM_POOL_SMALL=${pools.small}, LLM_PRESSURE_QUEUE=${pools.pressureQueue}, SEMANTIC_CACHE=false, first-token deadline default; ` +
      `admission limits raised${Object.keys(extraEnv).length ? `; extra: ${Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}.`,
  );
  L.push(`Load: open-loop ${arrivalsKind} arrivals, ${phaseList.map((p) => `${p.name} ${p.rate}/s × ${p.durationS} s`).join(', ')}; customers P0 Prime / P1 members / P2 guests = ${args.mix} %; one WebSocket session per message; seed ${seed}.`);
  const c = capacity.measuredInBaseline;
  L.push(
    `Capacity check (baseline-measured: ${(c.largeShare * 100).toFixed(0)}% of messages on the large model, a large connection held ${c.holdLargeS.toFixed(2)} s, a small one ${c.holdSmallS.toFixed(2)} s): ` +
      `large connections wanted = rate × share × hold: ` +
      Object.entries(capacity.largeConnectionsWanted).map(([ph, w]) => `${ph} ${w.all} (P0 alone ${w.P0}, P0+P1 ${w.P0P1})`).join('; ') +
      ` — against ${pools.large} connections.`,
  );
  L.push('');
  L.push('### Client side, per phase × priority (first token and queue wait in ms: p50 / p95 / p99)');
  L.push('');
  L.push('| phase | class | msgs | model-answered | brief "can\'t answer" | template | errors | first token (all replies) | first token (model-answered) | queue wait (end.route.queueMs) | routes (route/reason) |');
  L.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [ph, s] of Object.entries(byPhase)) {
    for (const cls of [...CLASSES, 'all'] as const) {
      const x = s[cls]!;
      const errs = Object.entries(x.errors).map(([k, v]) => `${k} ${v}`).join(', ');
      const routes = Object.entries(x.routes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
      const other = (x.kinds.interrupted ?? 0) + (x.kinds.other ?? 0);
      L.push(
        `| ${ph} | ${cls === 'all' ? '**all**' : `${cls} ${CLASS_NAME[cls]}`} | ${x.messages} | ${share(x.kinds.model, x.messages)} | ${share(x.kinds.brief, x.messages)} | ${x.kinds.template ?? 0} | ` +
          `${x.kinds.error ?? 0}${errs ? ` (${errs})` : ''} | ${f(x.ttft)} | ${f(x.ttftModelAnswered)} | ${f(x.queueMs)} | ${routes || '—'}${other ? `; interrupted/other ${other}` : ''}${x.failedOver ? `; failed over ${x.failedOver}` : ''} |`,
      );
    }
  }
  L.push('');
  L.push('### Server side (/metrics, per wall-clock phase window): pool waits (checkouts, mean ms) and refusals');
  L.push('');
  L.push('| phase | large P0 | large P1 | large P2 | small P0 | small P1 | small P2 | refused (pool/priority/reason) | service CPU | circuit transitions |');
  L.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const [ph, d] of Object.entries(server)) {
    const wait = (pool: string, c: Cls) => {
      const n = pick(d, 'mangaassist_llm_pool_wait_seconds_count', { pool, priority: c });
      const sum = pick(d, 'mangaassist_llm_pool_wait_seconds_sum', { pool, priority: c });
      return n ? `${n} / ${((sum / n) * 1000).toFixed(0)}` : '0';
    };
    const refused = Object.entries(d)
      .filter(([k]) => k.startsWith('mangaassist_llm_pool_rejected_total{'))
      .map(([k, v]) => `${[...k.matchAll(/="([^"]*)"/g)].map((m) => m[1]).join('/')} ${v}`)
      .join(', ');
    const transitions = Object.entries(d)
      .filter(([k]) => k.startsWith('mangaassist_circuit_transitions_total{'))
      .map(([k, v]) => `${[...k.matchAll(/="([^"]*)"/g)].map((m) => m[1]).join('→')} ${v}`)
      .join(', ');
    const b = bounds.find((x) => x.name === ph)!;
    const cpu = pick(d, 'mangaassist_process_cpu_seconds_total') / ((b.toMs - b.fromMs) / 1000);
    L.push(`| ${ph} | ${wait('large', 'P0')} | ${wait('large', 'P1')} | ${wait('large', 'P2')} | ${wait('small', 'P0')} | ${wait('small', 'P1')} | ${wait('small', 'P2')} | ${refused || '0'} | ${(cpu * 100).toFixed(0)}% | ${transitions || '—'} |`);
  }
  L.push('');
  const inPhase = (ph: string) => {
    const b = bounds.find((x) => x.name === ph)!;
    return polls.filter((p) => p.tS * 1000 >= b.fromMs && p.tS * 1000 < b.toMs);
  };
  const polled = MEASURED.filter((ph) => bounds.some((b) => b.name === ph)).map((ph) => {
    const ps = inPhase(ph);
    const maxQ = (pool: 'large' | 'small', c: Cls) => Math.max(0, ...ps.map((p) => p.queued[pool][c]));
    const open = Object.keys(ps[0]?.circuit ?? {}).filter((d) => ps.some((p) => p.circuit[d] !== 0));
    return `${ph}: large in use max ${Math.max(0, ...ps.map((p) => p.inUse.large))}, queued max P0/P1/P2 ${maxQ('large', 'P0')}/${maxQ('large', 'P1')}/${maxQ('large', 'P2')}; small in use max ${Math.max(0, ...ps.map((p) => p.inUse.small))}, queued max ${maxQ('small', 'P0')}/${maxQ('small', 'P1')}/${maxQ('small', 'P2')}; circuits not closed: ${open.join(', ') || 'none'}; brownout max ${Math.max(0, ...ps.map((p) => p.brownout))}; downgrade ${ps.some((p) => p.downgrade) ? 'active' : 'off'}`;
  });
  L.push(`Polled every ${pollMs} ms: ${polled.join(' · ')}.`);
  const late = Object.entries(byPhase).map(([ph, s]) => `${ph} p99 ${s.all.sendLateMs.p99.toFixed(0)} ms`).join(', ');
  L.push(`Drill client: sends late vs schedule ${late}; its CPU ${Object.entries(selfCpu).map(([ph, v]) => `${ph} ${(v * 100).toFixed(0)}%`).join(', ')} of a core.`);
  return L.join('\n');
}

main().catch(async (error) => {
  console.error(error);
  await stopService().catch(() => undefined);
  process.exit(1);
});
