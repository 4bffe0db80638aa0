// Fault drill: every guarded dependency slow, failing and down under one steady open-loop load.
//
//   node bench/drill.ts [--only catalog,orders] [--faults slow,failing,down] [--rate 15]
//                       [--think-scale 1] [--fault-seconds 45] [--recovery-seconds 40]
//                       [--baseline-seconds 15] [--warmup-seconds 40] [--out drill.json]
//
// Starts the service itself (`node src/main.ts`, fresh DATA_DIR, PORT=0, LLM_PROVIDER=sim,
// ADMIN_TOKEN, admission limits raised so one client address is never refused), then drives the
// default load profile at a constant session rate for the whole drill, built from the load
// generator's own pieces (arrival schedule, session plans, session runner, WebSocket transport,
// HDR histograms); the transport keeps each reply's `end.degraded`, so replies can be attributed.
//
// Per dependency × fault: a baseline window, the fault for --fault-seconds (PUT
// /v1/admin/faults/:dependency), then the fault cleared and --recovery-seconds watched. The
// resilience state is polled every 250 ms: when the circuit opened (from the guard's own
// `openedAt`, cross-checked with the polls), and when it was closed again after the fault was
// cleared. Messages are assigned to a window by the time they were due (the open model's
// intended send time); first-token latency is corrected for coordinated omission like the load
// generator's. Prints a Markdown table; writes everything (per-second series too) to --out.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ArrivalSchedule } from '../src/loadgen/arrivals.ts';
import { realClock } from '../src/loadgen/clock.ts';
import { createTokenSource, readJwtSecret } from '../src/loadgen/credentials.ts';
import { LatencyHistogram } from '../src/loadgen/histogram.ts';
import { MetricsCollector, type MessageRecord } from '../src/loadgen/metrics.ts';
import { driveOpenArrivals } from '../src/loadgen/open-driver.ts';
import { loadProfile } from '../src/loadgen/profile.ts';
import { createRng } from '../src/loadgen/random.ts';
import type { LatencySummary } from '../src/loadgen/result.ts';
import { runSession } from '../src/loadgen/session.ts';
import { createWsTransport } from '../src/loadgen/ws-transport.ts';
import { parseTargets, type Target } from '../src/loadgen/targets.ts';
import { planSession } from '../src/loadgen/traffic.ts';
import { fetchMetrics, METRICS_TOKEN } from './lib/service.ts';

// ---------------------------------------------------------------------------------------------
// Options

const DEPENDENCIES = ['memory', 'llm', 'retrieval', 'reranker', 'catalog', 'recommendations', 'orders', 'promotions', 'reviews'] as const;
type Dependency = (typeof DEPENDENCIES)[number];
/** Tiers of the design's dependency table (seed 000); retrieval and the reranker degrade like tier 2. */
const TIER: Record<Dependency, 1 | 2 | 3> = { memory: 1, llm: 1, retrieval: 2, reranker: 2, catalog: 2, recommendations: 2, orders: 2, promotions: 3, reviews: 3 };
const FAULTS = { slow: { latencyMs: 2000 }, failing: { errorRate: 0.5 }, down: { down: true } } as const;
type FaultName = keyof typeof FAULTS;
const TARGET_ERROR_RATE = 0.005;
const TARGET_P99_TTFT_MS = 1500;

const USAGE = `Usage: node bench/drill.ts [options]
  --only DEP[,DEP]         dependencies (default: all: ${DEPENDENCIES.join(', ')})
  --faults F[,F]           slow (latency 2000 ms), failing (50% errors), down (default: all three)
  --rate N                 sessions started per second, default profile (default 15)
  --think-scale X          think times x X (default 2.5: the shortest think, 5 s, outlasts a whole
                           streamed reply, so corrected latencies carry no backlog of the session itself)
  --warmup-seconds S       load before anything is measured (default 90)
  --baseline-seconds S     baseline window before each fault (default 15; the first one is 30)
  --fault-seconds S        fault window (default 45)
  --recovery-seconds S     watched after clearing the fault (default 40)
  --settle-max-seconds S   longest extra wait for every circuit to close before the next scenario (default 60)
  --seed N                 load generator seed (default 1)
  --out FILE               JSON result`;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    faults: { type: 'string' },
    rate: { type: 'string', default: '15' },
    'think-scale': { type: 'string', default: '2.5' },
    'warmup-seconds': { type: 'string', default: '90' },
    'baseline-seconds': { type: 'string', default: '15' },
    'fault-seconds': { type: 'string', default: '45' },
    'recovery-seconds': { type: 'string', default: '40' },
    'settle-max-seconds': { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

function positive(name: string, text: string, min = 0): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) {
    console.error(`bad --${name} "${text}"\n${USAGE}`);
    process.exit(2);
  }
  return n;
}
function list<T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T[] {
  if (!text) return [...allowed];
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T)) {
      console.error(`--${name}: unknown "${item}"; known: ${allowed.join(', ')}`);
      process.exit(2);
    }
  }
  return items as T[];
}

const only = list('only', args.only, DEPENDENCIES);
const faultNames = list('faults', args.faults, Object.keys(FAULTS) as FaultName[]);
const rate = positive('rate', args.rate!, 0.1);
const thinkScale = positive('think-scale', args['think-scale']!);
const warmupS = positive('warmup-seconds', args['warmup-seconds']!);
const baselineS = positive('baseline-seconds', args['baseline-seconds']!, 1);
const faultS = positive('fault-seconds', args['fault-seconds']!, 1);
const recoveryS = positive('recovery-seconds', args['recovery-seconds']!, 1);
const settleMaxS = positive('settle-max-seconds', args['settle-max-seconds']!);
const seed = Math.trunc(positive('seed', args.seed!));
const POLL_MS = 250;
const ADMIN_TOKEN = 'drill-admin-token-0123456789';
const BIG = '1000000';

// ---------------------------------------------------------------------------------------------
// The service

const dataDir = mkdtempSync(join(tmpdir(), 'manga-drill-'));
const serviceEnv: Record<string, string> = {
  DATA_DIR: dataDir,
  PORT: '0',
  HOST: '127.0.0.1',
  LLM_PROVIDER: 'sim',
  ADMIN_TOKEN,
  METRICS_TOKEN,
  LOG_LEVEL: 'warn',
  FAULTS: '',
  // Every session of the generator comes from 127.0.0.1 and the demo accounts are only six
  // customers: admission limits are raised so none of the drill's traffic is refused by them.
  GUEST_SESSIONS_PER_ADDRESS_PER_MIN: BIG,
  GUEST_SESSIONS_PER_ADDRESS_BURST: BIG,
  RATE_GUEST_PER_MIN: BIG,
  RATE_GUEST_BURST: BIG,
  RATE_CUSTOMER_PER_MIN: BIG,
  RATE_CUSTOMER_BURST: BIG,
};
let serviceChild: ChildProcess | undefined;
/** Circuit changes as the service logs them (warn level), with its own ms timestamps. */
const serverTransitions: { wall: number; dependency: string; state: string }[] = [];
const serviceLog = args.out ? `${args.out}.service.log` : join(dataDir, 'service.log');

async function startService(): Promise<{ child: ChildProcess; url: string }> {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...serviceEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(serviceLog);
  child.stderr!.pipe(log);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        log.write(out);
        child.stdout!.pipe(log);
        // The polls see states 250 ms apart; a probe that fails within a millisecond
        // (half_open → open) only shows in the service's own log lines.
        let partial = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          const lines = (partial + chunk.toString()).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) {
            if (!line.includes('circuit state changed')) continue;
            try {
              const j = JSON.parse(line) as { time: number; dependency: string; state: string };
              serverTransitions.push({ wall: j.time, dependency: j.dependency, state: j.state });
            } catch {
              // not a log line of ours
            }
          }
        });
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`service exited (${code}) before listening: ${out.slice(-2000)}`)));
  });
  for (;;) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.status === 200) break;
    await sleep(50);
  }
  return { child, url };
}

// ---------------------------------------------------------------------------------------------
// Admin and metrics

interface GuardState {
  dependency: string;
  circuit: string;
  openedBy?: string;
  openedAt?: number;
}
interface Poll {
  /** performance.now() of the answer. */
  t: number;
  circuits: Record<string, string>;
  openedAt: Record<string, number | undefined>;
  openedBy: Record<string, string | undefined>;
  brownout: number;
  lagP99Ms: number;
}

function admin(base: string) {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  return {
    async resilience(): Promise<{ dependencies: GuardState[]; brownout: { level: number; lagP99Ms: number } }> {
      const res = await fetch(`${base}/v1/admin/resilience`, { headers, signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`GET /v1/admin/resilience: ${res.status}`);
      return (await res.json()) as { dependencies: GuardState[]; brownout: { level: number; lagP99Ms: number } };
    },
    async setFault(dependency: string, spec: object): Promise<void> {
      const res = await fetch(`${base}/v1/admin/faults/${dependency}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(spec) });
      if (!res.ok) throw new Error(`PUT fault ${dependency}: ${res.status} ${await res.text()}`);
    },
    async clearFaults(): Promise<void> {
      const res = await fetch(`${base}/v1/admin/faults`, { method: 'DELETE', headers });
      if (!res.ok) throw new Error(`DELETE faults: ${res.status}`);
    },
    /** Prometheus text → `name{labels}` → value (counters and gauges we read). */
    async metrics(): Promise<Map<string, number>> {
      const text = await fetchMetrics(base, 5000);
      const out = new Map<string, number>();
      for (const line of text.split('\n')) {
        if (!line || line.startsWith('#')) continue;
        const space = line.lastIndexOf(' ');
        const key = line.slice(0, space);
        if (!/^mangaassist_(fallbacks_total|dependency_calls_total|dependency_retries_total|shed_total|rate_limited_total|process_cpu_seconds_total)/.test(key)) continue;
        out.set(key, Number(line.slice(space + 1)));
      }
      return out;
    },
  };
}

/** after − before for every key starting with `prefix`, labels kept. */
function delta(before: Map<string, number>, after: Map<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) {
    if (!k.startsWith(prefix)) continue;
    const d = v - (before.get(k) ?? 0);
    if (d !== 0) out[k.slice(prefix.length) || '_'] = Math.round(d * 1000) / 1000;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Load: the load generator's session runner and WebSocket transport (which keeps `end.degraded`)


/** One finished message, compactly. Times are performance.now() ms. */
interface Msg {
  due: number;
  done: number;
  intent: string;
  error?: string;
  /** Corrected first-token latency (from min(due, sent)), ms. */
  ttft?: number;
  /** Uncorrected: from the actual send, ms. */
  ttftRaw?: number;
  degraded?: string[];
}

/** The load generator's collector (whole-run figures), also keeping every message for the windows. */
class DrillMetrics extends MetricsCollector {
  readonly messages: Msg[] = [];
  override record(rec: MessageRecord): void {
    super.record(rec);
    const o = rec.outcome;
    if (o.error === 'aborted') return;
    const m: Msg = { due: rec.intendedAt, done: o.finishedAt ?? o.endAt ?? o.sentAt, intent: rec.intent };
    if (o.error) m.error = o.error;
    else if (o.firstTokenAt !== undefined) {
      m.ttft = o.firstTokenAt - Math.min(rec.intendedAt, o.sentAt);
      m.ttftRaw = o.firstTokenAt - o.sentAt;
    }
    if (o.degraded) m.degraded = o.degraded;
    this.messages.push(m);
  }
}

interface Load {
  metrics: DrillMetrics;
  stop(): Promise<void>;
  started(): number;
}

function startLoad(target: Target, secret: Uint8Array): Load {
  const profile = { ...loadProfile('default'), bursts: [] };
  const clock = realClock;
  const t0 = clock.now();
  const metrics = new DrillMetrics(t0, true);
  const transport = createWsTransport();
  const tokens = createTokenSource(secret);
  const planRng = createRng(seed);
  const arrivalRng = createRng(seed ^ 0x5eed);
  const hardStop = new AbortController();
  const drain = new AbortController();
  const running = new Set<Promise<unknown>>();
  let n = 0;
  // One long hold phase; the drill ends it when the scenarios are done.
  const schedule = new ArrivalSchedule([{ kind: 'hold', rate, durationS: 24 * 3600 }], 'uniform', arrivalRng);
  const tick = setInterval(() => metrics.sample(clock.now(), `hold ${rate}/s`, running.size), 1000);
  const starts = (function* () {
    for (let a = schedule.next(); a; a = schedule.next()) yield a;
  })();
  const driving = driveOpenArrivals(starts, { clock, t0, maxSessions: Number.MAX_SAFE_INTEGER, signal: drain.signal }, (_s, due) => {
    const plan = planSession(profile, planRng, thinkScale);
    const i = n++;
    const p = (async () => {
      const token = plan.account ? await tokens(plan.account) : undefined;
      return runSession({
        transport,
        target,
        token,
        clock,
        metrics,
        plan,
        startAt: due,
        openModel: true,
        messageTimeoutMs: profile.messageTimeoutMs,
        peakAt: () => false,
        idPrefix: `drill${seed}-${i}`,
        signal: hardStop.signal,
        drain: drain.signal,
      });
    })().catch(() => 'failed');
    running.add(p);
    void p.finally(() => running.delete(p));
  });
  return {
    metrics,
    started: () => n,
    async stop() {
      // No new session and no new message; replies in flight (at most the message timeout) still count.
      drain.abort();
      await driving;
      const cut = setTimeout(() => hardStop.abort(), profile.messageTimeoutMs + 5000);
      await Promise.all(running);
      clearTimeout(cut);
      clearInterval(tick);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Windows

interface WindowStats {
  fromS: number;
  toS: number;
  messages: number;
  messagesPerS: number;
  errors: number;
  errorRate: number;
  errorsByCode: Record<string, number>;
  ttft: LatencySummary;
  /** First token from the actual send (no coordinated-omission correction): p50/p99 ms. */
  ttftUncorrected: { p50: number; p99: number };
  /** Replies (not errors) whose `end.degraded` names the dependency, and any dependency. */
  degradedDependency: number;
  degradedAny: number;
  degradedBy: Record<string, number>;
}

function windowStats(msgs: Msg[], from: number, to: number, t0: number, dependency?: string): WindowStats {
  const h = new LatencyHistogram();
  const raw = new LatencyHistogram();
  const errorsByCode: Record<string, number> = {};
  const degradedBy: Record<string, number> = {};
  let messages = 0;
  let errors = 0;
  let degradedDependency = 0;
  let degradedAny = 0;
  for (const m of msgs) {
    if (m.due < from || m.due >= to) continue;
    messages++;
    if (m.error) {
      errors++;
      errorsByCode[m.error] = (errorsByCode[m.error] ?? 0) + 1;
      continue;
    }
    if (m.ttft !== undefined) h.record(m.ttft);
    if (m.ttftRaw !== undefined) raw.record(m.ttftRaw);
    if (m.degraded?.length) {
      degradedAny++;
      if (dependency && m.degraded.includes(dependency)) degradedDependency++;
      for (const d of m.degraded) degradedBy[d] = (degradedBy[d] ?? 0) + 1;
    }
  }
  return {
    fromS: round((from - t0) / 1000, 1),
    toS: round((to - t0) / 1000, 1),
    messages,
    messagesPerS: round(messages / ((to - from) / 1000), 1),
    errors,
    errorRate: messages ? errors / messages : 0,
    errorsByCode,
    ttft: h.summary(),
    ttftUncorrected: { p50: raw.percentile(50), p99: raw.percentile(99) },
    degradedDependency,
    degradedAny,
    degradedBy,
  };
}

/** Per-second series of one scenario, seconds relative to the fault start. */
function perSecond(msgs: Msg[], from: number, to: number, faultAt: number, dependency: string) {
  const buckets = new Map<number, { n: number; errors: number; degraded: number; h: LatencyHistogram }>();
  for (const m of msgs) {
    if (m.due < from || m.due >= to) continue;
    const s = Math.floor((m.due - faultAt) / 1000);
    let b = buckets.get(s);
    if (!b) buckets.set(s, (b = { n: 0, errors: 0, degraded: 0, h: new LatencyHistogram() }));
    b.n++;
    if (m.error) b.errors++;
    else {
      if (m.ttft !== undefined) b.h.record(m.ttft);
      if (m.degraded?.includes(dependency)) b.degraded++;
    }
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([s, b]) => ({ s, messages: b.n, errors: b.errors, degraded: b.degraded, ttftP50: round(b.h.percentile(50), 1), ttftP99: round(b.h.percentile(99), 1) }));
}

// ---------------------------------------------------------------------------------------------
// The drill

interface Scenario {
  dependency: Dependency;
  tier: 1 | 2 | 3;
  fault: FaultName;
  spec: object;
  baseline: WindowStats;
  faultWindow: WindowStats;
  recovery: WindowStats;
  /** Circuit of the faulted dependency. */
  circuit: {
    /** ms from the fault being set to the circuit opening (guard's openedAt), or null: never opened. */
    openedAfterMs: number | null;
    openedBy?: string;
    /** Times the circuit opened during the fault window (re-opens after failed probes included). */
    opensDuringFault: number;
    /** State when the fault was cleared. */
    stateAtClear: string;
    /** ms from the fault being cleared to the first poll that saw the circuit closed; 0: closed at clear; null: not seen closed. */
    closedAfterClearMs: number | null;
    /** Whether that close was seen within --recovery-seconds. */
    closedWithinRecovery: boolean;
    transitions: { atS: number; state: string }[];
    /** The service's own log of this circuit's changes, ms since the fault was set (fault set → recovery end). */
    serverTransitions: { atMs: number; state: string }[];
    /** Half-open probes that failed after the fault had been cleared (the dependency was healthy again), ms since the clear. */
    probesFailedAfterClearMs: number[];
  };
  /** Other dependencies whose circuit left `closed` between the fault and the end of recovery. */
  otherCircuitsOpened: string[];
  brownoutMax: number;
  lagP99MaxMs: number;
  /** /metrics deltas over the fault window. */
  fallbacksDelta: Record<string, number>;
  callsDelta: Record<string, number>;
  shedDelta: Record<string, number>;
  rateLimitedDelta: Record<string, number>;
  seconds: ReturnType<typeof perSecond>;
  windows: { baselineAt: number; faultAt: number; clearAt: number; recoveryEnd: number };
  /** The same, in seconds since the load started. */
  windowsS: { baselineAt: number; faultAt: number; clearAt: number; recoveryEnd: number };
  /** 1-minute load average of the machine when the fault was set (the machine is shared). */
  loadavg1AtFault: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = loadavg();
  console.error(`drill: starting the service (DATA_DIR ${dataDir}, log ${serviceLog})`);
  const { child, url } = await startService();
  serviceChild = child;
  const target = parseTargets(url, false)[0];
  const api = admin(url);
  const secret = readJwtSecret({ dataDir })!;
  let stopping = false;
  const cleanup = async () => {
    if (stopping) return;
    stopping = true;
    await api.clearFaults().catch(() => undefined);
    child.kill('SIGTERM');
  };
  process.once('SIGINT', () => {
    void cleanup().then(() => process.exit(130));
  });

  // Poller: the resilience state every 250 ms, for the whole drill.
  const polls: Poll[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const at = performance.now();
      try {
        const r = await api.resilience();
        const p: Poll = { t: performance.now(), circuits: {}, openedAt: {}, openedBy: {}, brownout: r.brownout.level, lagP99Ms: r.brownout.lagP99Ms };
        for (const d of r.dependencies) {
          p.circuits[d.dependency] = d.circuit;
          p.openedAt[d.dependency] = d.openedAt;
          p.openedBy[d.dependency] = d.openedBy;
        }
        polls.push(p);
      } catch (error) {
        console.error(`drill: poll failed: ${(error as Error).message}`);
      }
      await sleep(Math.max(0, POLL_MS - (performance.now() - at)));
    }
  })();
  const latest = () => polls.at(-1);
  const allClosed = () => {
    const p = latest();
    return p !== undefined && Object.values(p.circuits).every((c) => c === 'closed');
  };

  console.error(`drill: ${url}; load ${rate} sessions/s, think x${thinkScale}; warm-up ${warmupS} s`);
  const load = startLoad(target, secret);
  const t0 = performance.now();
  const cpuAt = async () => (await api.metrics()).get('mangaassist_process_cpu_seconds_total') ?? NaN;
  await sleep(warmupS * 1000);

  // The baseline of the whole drill: no fault, 30 s (or the baseline window if longer).
  const firstBaselineS = Math.max(30, baselineS);
  const b0 = performance.now();
  const cpu0 = await cpuAt();
  const selfCpu0 = process.cpuUsage();
  await sleep(firstBaselineS * 1000);
  const b1 = performance.now();
  const cpu1 = await cpuAt();
  const selfCpu1 = process.cpuUsage(selfCpu0);
  const baselineWall = (b1 - b0) / 1000;
  const serviceCpuShare = (cpu1 - cpu0) / baselineWall;
  const generatorCpuShare = (selfCpu1.user + selfCpu1.system) / 1e6 / baselineWall;
  console.error(`drill: baseline measured (service CPU ${(serviceCpuShare * 100).toFixed(0)}% of a core, generator ${(generatorCpuShare * 100).toFixed(0)}%)`);

  /** The result so far; written after every scenario, so a run that is cut short keeps what it measured. */
  // Each scenario's figures are computed once, right after it (a partial result is written
  // then); at the end every one is computed again, when no reply is still in flight.
  const finished: Scenario[] = [];
  const complete = ({ s }: (typeof pending)[number]): Scenario => {
    const msgs = load.metrics.messages;
    const { baselineAt, faultAt, clearAt, recoveryEnd } = s.windows;
    return {
      ...s,
      baseline: windowStats(msgs, baselineAt, faultAt, t0, s.dependency),
      faultWindow: windowStats(msgs, faultAt, clearAt, t0, s.dependency),
      recovery: windowStats(msgs, clearAt, recoveryEnd, t0, s.dependency),
      seconds: perSecond(msgs, baselineAt, recoveryEnd, faultAt, s.dependency),
    };
  };
  const assemble = (final: boolean) => {
    const msgs = load.metrics.messages;
    const scenarios = final ? pending.map(complete) : finished;
    // The collector's snapshot closes its per-second buckets: only once the load has stopped.
    const whole = final ? load.metrics.snapshot() : undefined;
    return {
      tool: 'manga-assist-drill',
      complete: final,
      startedAt: startedAt.toISOString(),
      writtenAt: new Date().toISOString(),
      command: `node bench/drill.ts ${process.argv.slice(2).join(' ')}`.trim(),
      settings: {
        rate,
        thinkScale,
        profile: 'default (bursts off), uniform arrivals, signed-in members/Prime via DATA_DIR/jwt-secret',
        warmupS,
        firstBaselineS,
        baselineS,
        faultS,
        recoveryS,
        settleMaxS,
        pollMs: POLL_MS,
        seed,
        faults: FAULTS,
        serviceEnv: { ...serviceEnv, DATA_DIR: '<temp>', ADMIN_TOKEN: '<set>' },
        loadavgBefore: loadBefore.map((x) => round(x, 2)),
        loadavgNow: loadavg().map((x) => round(x, 2)),
      },
      baseline: { ...windowStats(msgs, b0, b1, t0), serviceCpuShareOfCore: round(serviceCpuShare, 3), generatorCpuShareOfCore: round(generatorCpuShare, 3), sessionsStarted: load.started() },
      overall: whole ? { messages: whole.overall.messages, errors: whole.overall.errors, ttft: whole.overall.ttft, ttlt: whole.overall.ttlt, serverTimings: whole.serverTimings } : undefined,
      scenarios,
    };
  };

  const plan: { dependency: Dependency; fault: FaultName }[] = [];
  for (const dependency of only) for (const fault of faultNames) plan.push({ dependency, fault });
  const pending: { s: Omit<Scenario, 'baseline' | 'faultWindow' | 'recovery' | 'seconds'> }[] = [];

  for (const [i, { dependency, fault }] of plan.entries()) {
    // Every circuit closed before the baseline, so one scenario does not leak into the next.
    const settleUntil = performance.now() + settleMaxS * 1000;
    while (!allClosed() && performance.now() < settleUntil) await sleep(POLL_MS);
    if (!allClosed()) console.error(`drill: circuits still not all closed before ${dependency}/${fault}: ${JSON.stringify(latest()?.circuits)}`);
    const baselineAt = performance.now();
    await sleep(baselineS * 1000);

    const before = await api.metrics();
    const loadavg1AtFault = round(loadavg()[0], 2);
    const faultWallAt = Date.now();
    const faultAt = performance.now();
    await api.setFault(dependency, FAULTS[fault]);
    await sleep(faultS * 1000);
    const afterFault = await api.metrics();
    await api.clearFaults();
    const clearAt = performance.now();
    const clearWallAt = Date.now();

    // Recovery: watch the window; if the circuit is still not closed, keep watching (bounded).
    const recoveryEndPlanned = clearAt + recoveryS * 1000;
    await sleep(recoveryS * 1000);
    const closedNow = () => latest()?.circuits[dependency] === 'closed';
    const extraUntil = performance.now() + settleMaxS * 1000;
    while (!closedNow() && performance.now() < extraUntil) await sleep(POLL_MS);
    const recoveryEnd = recoveryEndPlanned;

    // Circuit timeline of the faulted dependency, from the polls.
    const span = polls.filter((p) => p.t >= faultAt);
    const transitions: { atS: number; state: string }[] = [];
    let prev = polls.filter((p) => p.t < faultAt).at(-1)?.circuits[dependency] ?? 'closed';
    for (const p of span) {
      const c = p.circuits[dependency];
      if (c !== prev) transitions.push({ atS: round((p.t - faultAt) / 1000, 2), state: c });
      prev = c;
    }
    const opens = new Set(span.filter((p) => p.t < clearAt && p.openedAt[dependency] !== undefined && p.openedAt[dependency]! >= faultWallAt).map((p) => p.openedAt[dependency]));
    const firstOpen = [...opens].sort((a, b) => a! - b!)[0];
    const openPoll = span.find((p) => p.openedAt[dependency] === firstOpen);
    const atClear = polls.filter((p) => p.t <= clearAt).at(-1)?.circuits[dependency] ?? 'closed';
    const closedPoll = atClear === 'closed' ? undefined : span.find((p) => p.t >= clearAt && p.circuits[dependency] === 'closed');
    const recoveryEndWall = clearWallAt + (performance.now() - clearAt);
    const server = serverTransitions.filter((x) => x.dependency === dependency && x.wall >= faultWallAt && x.wall <= recoveryEndWall);
    const serverClosed = atClear === 'closed' ? undefined : server.find((x) => x.wall >= clearWallAt && x.state === 'closed');
    const probesFailedAfterClearMs = server.filter((x, k) => x.state === 'open' && x.wall >= clearWallAt && server[k - 1]?.state === 'half_open').map((x) => x.wall - clearWallAt);
    // The service's log is exact to the ms; the polls are the fallback.
    const closedAfterClearMs = atClear === 'closed' ? 0 : serverClosed ? serverClosed.wall - clearWallAt : closedPoll ? Math.round(closedPoll.t - clearAt) : null;
    const others = new Set<string>();
    for (const p of span) for (const [d, c] of Object.entries(p.circuits)) if (d !== dependency && c !== 'closed') others.add(d);
    const faultPolls = span.filter((p) => p.t <= recoveryEnd);

    const s = {
      dependency,
      tier: TIER[dependency],
      fault,
      spec: FAULTS[fault],
      circuit: {
        openedAfterMs: firstOpen !== undefined ? firstOpen - faultWallAt : null,
        ...(openPoll?.openedBy[dependency] ? { openedBy: openPoll.openedBy[dependency] } : {}),
        opensDuringFault: opens.size,
        stateAtClear: atClear,
        closedAfterClearMs,
        closedWithinRecovery: closedAfterClearMs !== null && closedAfterClearMs <= recoveryS * 1000,
        transitions,
        serverTransitions: server.map((x) => ({ atMs: x.wall - faultWallAt, state: x.state })),
        probesFailedAfterClearMs,
      },
      otherCircuitsOpened: [...others],
      brownoutMax: Math.max(0, ...faultPolls.map((p) => p.brownout)),
      lagP99MaxMs: Math.max(0, ...faultPolls.map((p) => p.lagP99Ms)),
      fallbacksDelta: delta(before, afterFault, 'mangaassist_fallbacks_total'),
      callsDelta: delta(before, afterFault, `mangaassist_dependency_calls_total{dependency="${dependency}",`),
      shedDelta: delta(before, afterFault, 'mangaassist_shed_total'),
      rateLimitedDelta: delta(before, afterFault, 'mangaassist_rate_limited_total'),
      windows: { baselineAt, faultAt, clearAt, recoveryEnd },
      windowsS: { baselineAt: round((baselineAt - t0) / 1000, 1), faultAt: round((faultAt - t0) / 1000, 1), clearAt: round((clearAt - t0) / 1000, 1), recoveryEnd: round((recoveryEnd - t0) / 1000, 1) },
      loadavg1AtFault,
    };
    pending.push({ s });
    // Provisional line: replies due in the fault window have all finished by now (timeout 30 s < recovery).
    const w = windowStats(load.metrics.messages, faultAt, clearAt, t0, dependency);
    console.error(
      `drill: [${i + 1}/${plan.length}] ${dependency}/${fault}: opened ${fmtMs(s.circuit.openedAfterMs)}, closed after clear ${atClear === 'closed' ? '(closed at clear)' : fmtMs(closedAfterClearMs)}; ` +
        `${w.messages} msgs, errors ${pct(w.errorRate)} ${JSON.stringify(w.errorsByCode)}, ttft p50/p99 ${w.ttft.p50.toFixed(0)}/${w.ttft.p99.toFixed(0)} ms, degraded[${dependency}] ${w.degradedDependency}` +
        (probesFailedAfterClearMs.length ? `; probes failed after the clear at +${probesFailedAfterClearMs.map((ms) => (ms / 1000).toFixed(1)).join(', +')} s` : ''),
    );
    // The bookkeeping below blocks the generator's event loop for a moment: done in a gap that
    // belongs to no window (replies due before the recovery end have their first token by then),
    // and the next baseline starts after it.
    await sleep(1500);
    finished.push(complete(pending.at(-1)!));
    if (args.out) writeFileSync(args.out, JSON.stringify(assemble(false), null, 2));
    await sleep(2000);
  }

  await load.stop();
  polling = false;
  await poller;
  const result = assemble(true);
  await cleanup();
  if (args.out) writeFileSync(args.out, JSON.stringify(result, null, 2));

  console.log(renderMarkdown(result.baseline, result.scenarios));
  rmSync(dataDir, { recursive: true, force: true });
}

function fmtMs(ms: number | null): string {
  if (ms === null) return 'never';
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(0)} s`;
}
function pct(x: number): string {
  return `${(x * 100).toFixed(x > 0 && x < 0.001 ? 3 : 2)}%`;
}

function renderMarkdown(baseline: WindowStats & { serviceCpuShareOfCore: number; generatorCpuShareOfCore: number }, scenarios: Scenario[]): string {
  const lines: string[] = [];
  lines.push(
    `Baseline (no fault, ${round(baseline.toS - baseline.fromS)} s): ${baseline.messagesPerS} messages/s, errors ${baseline.errors}/${baseline.messages} (${pct(baseline.errorRate)}), ` +
      `first token p50 ${baseline.ttft.p50.toFixed(0)} ms / p99 ${baseline.ttft.p99.toFixed(0)} ms / max ${baseline.ttft.max.toFixed(0)} ms, ` +
      `replies with any fallback ${baseline.degradedAny}; service CPU ${(baseline.serviceCpuShareOfCore * 100).toFixed(0)}% of one core, generator ${(baseline.generatorCpuShareOfCore * 100).toFixed(0)}%.`,
  );
  lines.push('');
  lines.push('| dependency (tier) | fault | circuit opened after | closed after clear | msgs | customer errors | unavailable | first token p50 / p99 ms | baseline p99 ms | replies degraded by it | other circuits opened | target |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of scenarios) {
    const w = s.faultWindow;
    const opened = s.circuit.openedAfterMs === null ? 'never' : `${fmtMs(s.circuit.openedAfterMs)}${s.circuit.openedBy ? ` (${s.circuit.openedBy})` : ''}${s.circuit.opensDuringFault > 1 ? `, ${s.circuit.opensDuringFault}× opened` : ''}`;
    const closed = s.circuit.openedAfterMs === null && s.circuit.stateAtClear === 'closed' ? '—' : s.circuit.closedAfterClearMs === null ? 'not seen' : s.circuit.closedAfterClearMs === 0 ? 'closed at clear' : fmtMs(s.circuit.closedAfterClearMs);
    const unavailable = w.errorsByCode.unavailable ?? 0;
    const degraded = w.messages ? `${w.degradedDependency} (${pct(w.degradedDependency / w.messages)})` : '0';
    let verdict = '—';
    if (s.tier > 1) {
      const okErr = w.errorRate < TARGET_ERROR_RATE;
      const okTtft = w.ttft.p99 <= TARGET_P99_TTFT_MS;
      verdict = okErr && okTtft ? 'held' : `**missed** (${[okErr ? '' : 'errors', okTtft ? '' : 'p99'].filter(Boolean).join(', ')})`;
    } else verdict = `tier 1${w.ttft.p99 > TARGET_P99_TTFT_MS ? ', p99 over' : ''}`;
    lines.push(
      `| ${s.dependency} (${s.tier}) | ${s.fault} | ${opened} | ${closed} | ${w.messages} | ${w.errors} (${pct(w.errorRate)}) | ${unavailable} | ${w.ttft.p50.toFixed(0)} / ${w.ttft.p99.toFixed(0)} | ${s.baseline.ttft.p99.toFixed(0)} | ${degraded} | ${s.otherCircuitsOpened.join(', ') || '—'} | ${verdict} |`,
    );
  }
  return lines.join('\n');
}

main().catch((error) => {
  console.error(error);
  serviceChild?.kill('SIGTERM');
  process.exit(1);
});
