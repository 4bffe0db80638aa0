// The fleet under a kill and a drain, and what 1, 2 and 3 nodes sustain (issue 17, "show it").
//
//   npm run bench:fleet                                    # both parts, defaults below
//   npm run bench:fleet -- --rate 15 --phase 30s --chats 64 --skip-capacity
//   npm run bench:fleet -- --skip-phases --capacity 5:5:40 --capacity-nodes 1,2,3
//   npm run bench:fleet -- --out /tmp/fleet.json
//
// Part 1, phases: the fleet `npm run fleet -- --nodes 3` starts (src/fleet: redis-server,
// dynalite, N service nodes, HAProxy with sticky sessions), and the load generator's message-rate
// mode drives it through HAProxy at a fixed rate over persistent WebSocket chats that behave like
// the chat page (`--resume`: on close 1012 or a dropped connection they reconnect with their
// session and resume token and send again, same id, a message whose `end` never came). Four
// measured phases back to back: steady; SIGKILL of one node `--kill-at` into the phase; SIGTERM
// (graceful drain) of another `--drain-at` into the phase; after, on what is left. Per phase:
// messages due and answered, errors by code, replies lost (no `end` and no error: timed out, or
// given up after 3 resends), answers given twice, reconnects and time to reconnect, first token
// client-measured from each message's scheduled time. Then every acknowledged message id is looked
// up in the conversation table (an acknowledged turn missing from the store is a lost turn), and
// answers stored twice for one id are counted in the stored windows (`--env MEMORY_WINDOW=80`
// keeps a chat's whole run in its item, so that count covers every answer, not the last five).
//
// Part 2, capacity: a fresh fleet of 1, 2 and 3 nodes each, the loadgen's knee search (`--knee`)
// over the same chats, with each process's CPU (/proc) over each step: nodes, HAProxy,
// redis-server, dynalite, the generator. All of it shares this machine's cores: more nodes cannot
// add CPU here, the table shows what the load balancer and the shared stores cost.
//
// Nodes: LLM_PROVIDER=sim, 50 ms first token and 400 tokens/s (bench/throughput.ts's "paced"
// model), jitter 0; admission limits raised as bench/throughput.ts raises them (the generator's
// chats share one address and the six demo accounts); brownout off unless --brownout (the
// machine is shared: other people's load would shed our messages); DRAIN_TIMEOUT_MS 20 s.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startFleet, type Fleet } from '../src/fleet/fleet.ts';
import { parseCommand } from '../src/loadgen/options.ts';
import { RatePool, runRate, type RateFigures, type RateOptions } from '../src/loadgen/rate.ts';
import { createDynamoClient, openTable, scanAll } from '../src/store/dynamodb.ts';
import { dynamoTableNames } from '../src/composition/stores.ts';
import { MEMORY_TABLE } from '../src/memory/dynamodb-memory.ts';
import { loadConfig } from '../src/config.ts';
import { RAISED_LIMITS } from './lib/service.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    rate: { type: 'string', default: '15' },
    phase: { type: 'string', default: '30s' },
    warmup: { type: 'string', default: '5s' },
    chats: { type: 'string', default: '64' },
    'kill-at': { type: 'string', default: '10s' },
    'drain-at': { type: 'string', default: '10s' },
    'kill-node': { type: 'string', default: '1' },
    'drain-node': { type: 'string', default: '2' },
    'message-timeout': { type: 'string', default: '30s' },
    'slo-p99-ttft-ms': { type: 'string', default: '1000' },
    capacity: { type: 'string', default: '5:5:40' },
    'capacity-nodes': { type: 'string', default: '1,2,3' },
    'capacity-window': { type: 'string', default: '8s' },
    'capacity-warmup': { type: 'string', default: '3s' },
    'capacity-chats': { type: 'string', default: '128' },
    'skip-phases': { type: 'boolean', default: false },
    'skip-capacity': { type: 'boolean', default: false },
    brownout: { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
  process.exit(0);
}

const NODE_ENV: Record<string, string> = {
  LLM_PROVIDER: 'sim',
  SIM_LLM_TTFT_MS: '50',
  SIM_LLM_SMALL_TTFT_MS: '50',
  SIM_LLM_TOKENS_PER_SEC: '400',
  SIM_LLM_SMALL_TOKENS_PER_SEC: '400',
  SIM_LLM_JITTER: '0',
  DRAIN_TIMEOUT_MS: '20000',
  ...RAISED_LIMITS,
  ...(values.brownout ? {} : { BROWNOUT_LAG_MS: '0' }),
  ...Object.fromEntries(values.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
};

const say = (line: string) => process.stderr.write(`[bench:fleet ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const fmt = (v: number | undefined, d = 0) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const CLK_TCK = 100; // getconf CLK_TCK on Linux

/** utime + stime of a process in clock ticks, or undefined once it is gone. */
function cpuTicks(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

/** This process's children whose command line contains `needle` (redis-server and dynalite: the fleet does not hand out their pids). */
function childPid(needle: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** The processes whose CPU is accounted: each node, HAProxy, redis-server, dynalite, this generator. */
function components(fleet: Fleet): { name: string; pid: () => number | undefined }[] {
  const redis = childPid('redis-server');
  const dynalite = childPid('dynalite');
  return [
    ...fleet.nodes.map((n) => ({ name: n.name, pid: () => (n.process?.running() ? n.process.pid : undefined) })),
    { name: 'haproxy', pid: () => fleet.haproxy.child.pid },
    { name: 'redis', pid: () => redis },
    { name: 'dynalite', pid: () => dynalite },
    { name: 'generator', pid: () => process.pid },
  ];
}

/** CPU of each component between two snapshots, % of one core. */
class CpuMeter {
  private readonly parts: { name: string; pid: () => number | undefined }[];
  private start = new Map<string, { pid: number; ticks: number }>();
  private at = 0;
  constructor(fleet: Fleet) {
    this.parts = components(fleet);
  }
  begin(): void {
    this.at = performance.now();
    this.start = new Map();
    for (const p of this.parts) {
      const pid = p.pid();
      const ticks = cpuTicks(pid);
      if (pid && ticks !== undefined) this.start.set(p.name, { pid, ticks });
    }
  }
  /** % of one core per component; a node killed in between is left out (its ticks died with it). */
  end(): Record<string, number> {
    const ms = performance.now() - this.at;
    const out: Record<string, number> = {};
    for (const p of this.parts) {
      const s = this.start.get(p.name);
      const ticks = s ? cpuTicks(s.pid) : undefined;
      if (s && ticks !== undefined) out[p.name] = Number(((((ticks - s.ticks) * 1000) / CLK_TCK / ms) * 100).toFixed(1));
    }
    return out;
  }
}

function rateOptions(fleet: Fleet, args: string[]): RateOptions {
  const cmd = parseCommand(['--mode', 'rate', '--targets', fleet.url, `--jwt-secret=${fleet.secrets.AUTH_JWT_SECRET}`, '--quiet', '--resume', ...args]);
  if (cmd.kind !== 'rate') throw new Error('not a rate command');
  return cmd.options;
}

interface PhaseRow {
  phase: string;
  figures: RateFigures;
  cpu: Record<string, number>;
  load: number;
  chatsByNodeAfter: Record<string, number>;
  event?: string;
}

/** Part 1: steady, kill, drain, after, on one fleet. */
async function phases(): Promise<{ rows: PhaseRow[]; store: Record<string, number>; nodes: number }> {
  const nodes = Number(values.nodes);
  const killNode = Number(values['kill-node']);
  const drainNode = Number(values['drain-node']);
  say(`phases: starting a fleet of ${nodes} nodes`);
  const fleet = await startFleet({ nodes, env: NODE_ENV, log: say });
  try {
    const o = rateOptions(fleet, ['--rate', values.rate, '--duration', values.phase, '--warmup', values.warmup, '--chats', values.chats, '--message-timeout', values['message-timeout'], '--slo-p99-ttft-ms', values['slo-p99-ttft-ms']]);
    const stop = new AbortController();
    const pool = new RatePool(o, performance.now(), stop.signal);
    const sweep = setInterval(() => pool.sweepTimeouts(), 1000);
    const opened = await pool.open();
    say(`${opened.opened} chats open (${opened.failed} failed${opened.errors[0] ? `: ${opened.errors[0]}` : ''}); by node ${JSON.stringify(pool.chatsByNode())}`);
    const meter = new CpuMeter(fleet);
    const rows: PhaseRow[] = [];
    let pendingAction: Promise<unknown> | undefined;
    const plan: { phase: string; action?: { atMs: number; run: () => Promise<string> } }[] = [
      { phase: 'steady' },
      {
        phase: `kill node${killNode}`,
        action: {
          atMs: parseMs(values['kill-at']),
          run: async () => {
            const chats = pool.chatsByNode()[`node${killNode}`] ?? 0;
            say(`SIGKILL node${killNode} (${chats} chats on it)`);
            const t0 = performance.now();
            await fleet.kill(killNode);
            await fleet.waitForState(killNode, 'DOWN');
            return `SIGKILL node${killNode} with ${chats} chats; HAProxy marked it DOWN ${Math.round(performance.now() - t0)} ms later`;
          },
        },
      },
      {
        phase: `drain node${drainNode}`,
        action: {
          atMs: parseMs(values['drain-at']),
          run: async () => {
            const chats = pool.chatsByNode()[`node${drainNode}`] ?? 0;
            say(`SIGTERM node${drainNode} (${chats} chats on it)`);
            const t0 = performance.now();
            const exit = await fleet.drain(drainNode);
            return `SIGTERM node${drainNode} with ${chats} chats; drained and exited (${exit.signal ?? `code ${exit.code}`}) in ${Math.round(performance.now() - t0)} ms`;
          },
        },
      },
      { phase: 'after' },
    ];
    for (const [step, p] of plan.entries()) {
      // Only the first phase warms up: the others follow it at the same rate.
      if (step > 0) o.warmupMs = 0;
      let event: Promise<string> | undefined;
      const figures = await pool.run(o.rate, step, {
        onWindow(edge) {
          if (edge === 'start') {
            meter.begin();
            if (p.action) {
              const { atMs, run } = p.action;
              event = new Promise((resolve) => setTimeout(resolve, atMs)).then(run).catch((error: Error) => `FAILED: ${error.message}`);
              pendingAction = event;
            }
          } else cpuOf.set(step, meter.end());
        },
      });
      const row: PhaseRow = { phase: p.phase, figures, cpu: cpuOf.get(step) ?? {}, load: loadavg()[0], chatsByNodeAfter: pool.chatsByNode(), event: event ? await event : undefined };
      rows.push(row);
      say(`${p.phase}: ${summaryLine(figures)}${row.event ? `; ${row.event}` : ''}; chats by node ${JSON.stringify(row.chatsByNodeAfter)}`);
    }
    await pendingAction;
    clearInterval(sweep);
    pool.close();
    const store = await checkStore(fleet, pool.acknowledged());
    say(`store check: ${JSON.stringify(store)}`);
    return { rows, store, nodes };
  } finally {
    await fleet.stop();
    keepLogs(fleet);
  }
}
const cpuOf = new Map<number, Record<string, number>>();

/**
 * Every acknowledged message id (its `end` reached the client) looked up in the conversation
 * table: the item's `ids` (the last 100 user ids accepted) must hold it. Also counts, in the
 * stored windows, answers stored twice for one id.
 */
async function checkStore(fleet: Fleet, acked: ReadonlyMap<string, readonly string[]>): Promise<Record<string, number>> {
  const config = loadConfig({});
  const client = createDynamoClient({ region: config.DYNAMODB_REGION, endpoint: fleet.dynamoEndpoint });
  try {
    const table = openTable(client, dynamoTableNames(config.DYNAMODB_TABLE_PREFIX).memory, MEMORY_TABLE);
    const items = new Map<string, { ids: string[]; messages: { role: string; messageId?: string }[] }>();
    for await (const page of scanAll(table, {})) for (const item of page) items.set(String(item.sessionId), item as never);
    let checked = 0;
    let missing = 0;
    let sessionsMissing = 0;
    let tooOld = 0;
    let storedTwice = 0;
    for (const [sessionId, ids] of acked) {
      const item = items.get(sessionId);
      if (!item) {
        sessionsMissing++;
        missing += ids.length;
        continue;
      }
      const kept = new Set(item.ids);
      // The item keeps the last 100 ids accepted: older acknowledged ids cannot be checked there.
      const recent = ids.slice(-90);
      tooOld += ids.length - recent.length;
      for (const id of recent) {
        checked++;
        if (!kept.has(id)) missing++;
      }
    }
    let largestWindow = 0;
    let storedAnswers = 0;
    for (const item of items.values()) {
      const seen = new Set<string>();
      largestWindow = Math.max(largestWindow, item.messages.length);
      for (const m of item.messages) {
        if (m.role === 'assistant') storedAnswers++;
        if (m.role !== 'assistant' || !m.messageId) continue;
        if (seen.has(m.messageId)) storedTwice++;
        seen.add(m.messageId);
      }
    }
    return { sessions: acked.size, sessionsInStore: items.size, sessionsMissing, acknowledgedChecked: checked, acknowledgedMissing: missing, acknowledgedTooOldToCheck: tooOld, answersStoredTwiceInWindows: storedTwice, largestWindow, storedAnswersInWindows: storedAnswers };
  } finally {
    client.destroy();
  }
}

interface CapacityRow {
  nodes: number;
  knee: number | null;
  steps: { figures: RateFigures; cpu: Record<string, number>; load: number }[];
}

/** Part 2: the knee of a fresh fleet of each size. */
async function capacity(): Promise<CapacityRow[]> {
  const out: CapacityRow[] = [];
  for (const nodes of values['capacity-nodes'].split(',').map(Number)) {
    say(`capacity: starting a fleet of ${nodes} node${nodes > 1 ? 's' : ''}`);
    const fleet = await startFleet({ nodes, env: NODE_ENV, log: say });
    try {
      const o = rateOptions(fleet, ['--knee', values.capacity, '--duration', values['capacity-window'], '--warmup', values['capacity-warmup'], '--chats', values['capacity-chats'], '--message-timeout', '10s', '--slo-p99-ttft-ms', values['slo-p99-ttft-ms']]);
      const meter = new CpuMeter(fleet);
      const steps: CapacityRow['steps'] = [];
      const result = await runRate(o, {
        onWindow(edge) {
          if (edge === 'start') meter.begin();
          else steps.push({ figures: undefined as unknown as RateFigures, cpu: meter.end(), load: loadavg()[0] });
        },
      });
      result.knee?.steps.forEach((f, i) => steps[i] && (steps[i].figures = f));
      for (const s of steps) if (s.figures) say(`  ${nodes} node(s) ${s.figures.rate}/s: ${summaryLine(s.figures)}; cpu ${JSON.stringify(s.cpu)}`);
      say(`capacity: ${nodes} node(s): knee ${result.knee?.knee ?? 'none'}`);
      out.push({ nodes, knee: result.knee?.knee ?? null, steps: steps.filter((s) => s.figures) });
    } finally {
      await fleet.stop();
      keepLogs(fleet);
    }
  }
  return out;
}

/** The fleet's shared data goes; its logs (nodes, HAProxy, Redis, dynalite) stay for a look afterwards. */
function keepLogs(fleet: Fleet): void {
  rmSync(fleet.dataDir, { recursive: true, force: true });
  say(`logs kept in ${fleet.dir}/logs`);
}

function parseMs(d: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(d);
  if (!m) throw new Error(`bad duration ${d}`);
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
}

function answered(f: RateFigures): number {
  return f.replies.answered + f.replies.degraded + f.replies.unanswered + f.replies.interrupted;
}

function summaryLine(f: RateFigures): string {
  const failed = Object.values(f.errors).reduce((a, b) => a + b, 0);
  return `due ${f.scheduled}, answered ${answered(f)}, failed ${failed} ${JSON.stringify(f.errors)}, ttft p50/p99 ${fmt(f.ttft.p50)}/${fmt(f.ttft.p99)} ms${f.resume ? `, reconnects ${f.resume.reconnects} (p50/p99 ${fmt(f.resume.reconnectMs.p50)}/${fmt(f.resume.reconnectMs.p99)} ms), resends ${f.resume.resends}, replayed ${f.resume.replayed}, twice ${f.resume.duplicateEnds}, sessions changed ${f.resume.sessionsChanged}` : ''}`;
}

/** CPU milliseconds per answered message of the window: the nodes together, then each shared piece. */
function perMessage(cpu: Record<string, number>, f: RateFigures, nodes: number): string {
  const n = answered(f);
  const ms = (pct: number) => (n ? ((pct / 100) * f.windowS * 1000) / n : NaN);
  let all = 0;
  for (let i = 1; i <= nodes; i++) all += cpu[`node${i}`] ?? 0;
  return [all, cpu.haproxy ?? NaN, cpu.redis ?? NaN, cpu.dynalite ?? NaN].map((p) => fmt(ms(p), 1)).join(' / ');
}

const codes = (e: Record<string, number>) => Object.entries(e).map(([k, v]) => `${k} ${v}`).join(', ') || '—';
const cpuCell = (c: Record<string, number>, names: string[]) => names.map((n) => (c[n] === undefined ? '—' : fmt(c[n]))).join(' / ');

console.log(`bench:fleet — ${new Date().toISOString()}; ${cpus().length} CPUs (${cpus()[0]?.model}); Node ${process.version}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`nodes: ${Object.entries(NODE_ENV).filter(([k]) => !k.startsWith('RATE_') && !k.startsWith('GUEST_') && !k.startsWith('LLM_R') && k !== 'LLM_BURST').map(([k, v]) => `${k}=${v}`).join(' ')}; admission limits raised (${Object.keys(RAISED_LIMITS).join(', ')})`);
const report: Record<string, unknown> = { startedAt: new Date().toISOString(), node: process.version, env: NODE_ENV, args: values };

if (!values['skip-phases']) {
  const { rows, store, nodes } = await phases();
  report.phases = rows;
  report.store = store;
  console.log(`\nPhases: ${nodes} nodes, ${values.rate} messages/s through HAProxy over ${values.chats} resuming chats, ${values.phase} per phase (first after ${values.warmup} warm-up), message timeout ${values['message-timeout']}\n`);
  console.log('| phase | due | answered | replayed | errors by code | lost (no end, no error) | answered twice | reconnects (after 1012) | reconnect p50 / p99 ms | resends | sessions changed | first token p50 / p99 / max ms | end p99 ms | load 1 min |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const f = r.figures;
    const z = f.resume!;
    const lost = (f.errors.timeout ?? 0) + (f.errors.dropped ?? 0);
    console.log(`| ${r.phase} | ${f.scheduled} | ${answered(f)} | ${z.replayed} | ${codes(f.errors)} | ${lost} | ${z.duplicateEnds} | ${z.reconnects} (${z.restartCloses}) | ${fmt(z.reconnectMs.p50)} / ${fmt(z.reconnectMs.p99)} | ${z.resends} | ${z.sessionsChanged} | ${fmt(f.ttft.p50)} / ${fmt(f.ttft.p99)} / ${fmt(f.ttft.max)} | ${fmt(f.ttlt.p99)} | ${fmt(r.load, 1)} |`);
  }
  console.log('');
  for (const r of rows) {
    const f = r.figures;
    const failed = Object.values(f.errors).reduce((a, b) => a + b, 0);
    console.log(`- ${r.phase}: due ${f.scheduled} = answered ${answered(f)} + failed ${failed} + unaccounted ${f.scheduled - answered(f) - failed}; stray ends ${f.resume!.strayEnds}; failed reconnect attempts ${f.resume!.failedAttempts}; CPU % of a core ${Object.entries(r.cpu).map(([k, v]) => `${k} ${v}`).join(', ')}${r.event ? `; ${r.event}` : ''}; chats by node after: ${JSON.stringify(r.chatsByNodeAfter)}`);
  }
  console.log(`- store: ${JSON.stringify(store)}`);
}

if (!values['skip-capacity']) {
  const rows = await capacity();
  report.capacity = rows;
  console.log(`\nCapacity: knee ${values.capacity} (p99 first token < ${values['slo-p99-ttft-ms']} ms, failures < 1 %), ${values['capacity-chats']} chats, ${values['capacity-warmup']} warm-up + ${values['capacity-window']} per step\n`);
  const names = (n: number) => [...Array.from({ length: n }, (_, i) => `node${i + 1}`), 'haproxy', 'redis', 'dynalite', 'generator'];
  console.log('| nodes | rate/s | achieved/s | first token p50 / p99 ms | failed (codes) | held | CPU % of a core: nodes… / haproxy / redis / dynalite / generator | CPU ms per answered message: all nodes / haproxy / redis / dynalite | load |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const c of rows) {
    for (const s of c.steps) {
      const f = s.figures;
      console.log(`| ${c.nodes} | ${f.rate} | ${f.achievedPerS} | ${fmt(f.ttft.p50)} / ${fmt(f.ttft.p99)} | ${codes(f.errors)} | ${f.passed ? 'yes' : 'no'} | ${cpuCell(s.cpu, names(c.nodes))} | ${perMessage(s.cpu, f, c.nodes)} | ${fmt(s.load, 1)} |`);
    }
  }
  console.log('');
  for (const c of rows) console.log(`- ${c.nodes} node(s): knee ${c.knee ?? 'none'} messages/s`);
}

if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
