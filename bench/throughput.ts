// Service CPU per message and open-loop latency at fixed message rates (issue 16's table).
//
//   npm run bench:throughput -- --model unpaced --rates 200,400,600 --duration 20s --runs 2
//   npm run bench:throughput -- --model paced --rates 150 --duration 30s
//   npm run bench:throughput -- --model unpaced --knee 200:100:1200 --duration 10s
//   npm run bench:throughput -- --model unpaced --rates 300 --cpu-prof /tmp/prof   # + CPU accounting by area
//   npm run bench:throughput -- --service /work/baseline ...                       # another checkout
//   npm run bench:throughput -- --model paced --rates 150 --replies /tmp/replies.jsonl  # each measured reply:
//                                                 # text sent, client first token, the `end` frame (segment timings)
//   nice -n -10 npm run bench:throughput -- ...   # service (a child) and generator at a higher
//                                                 # priority than other work on a shared machine
//                                                 # (the nice is given to their autogroups too: as root)
//
// Each run starts a fresh service as a child process (its own DATA_DIR, shipped catalog,
// LLM_PROVIDER=sim, admission limits raised, everything else at its defaults) and drives it
// from this process with the load generator's message-rate mode: persistent WebSocket chats,
// messages at an exact rate, latency from each message's scheduled time. The service's CPU is
// read from /proc/<pid>/stat (utime + stime, all its threads) at the edges of the measured
// window and divided by the replies that ended in it.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCommand } from '../src/loadgen/options.ts';
import { runRate, type RateFigures, type RateOptions, type RateResult } from '../src/loadgen/rate.ts';
import { readRssBytes } from '../src/loadgen/rss.ts';
import { RAISED_LIMITS, fetchMetrics, startService } from './lib/service.ts';
import { accountAreas, formatAreas, type CpuProfile } from './cpu-areas.ts';

/** The two latency models of the issue: a model that answers at once, and one that streams like a hosted model. */
const MODELS = {
  unpaced: { ttftMs: 0, tokensPerSec: 0 },
  paced: { ttftMs: 50, tokensPerSec: 400 },
} as const;

// Admission limits raised (RAISED_LIMITS, bench/lib/service.ts); brownout stays at its defaults
// unless --no-brownout: shedding under overload is part of what is measured.

const { values } = parseArgs({
  options: {
    service: { type: 'string' },
    model: { type: 'string', default: 'unpaced' },
    'ttft-ms': { type: 'string' },
    'tokens-per-sec': { type: 'string' },
    rates: { type: 'string', default: '200,400,600' },
    knee: { type: 'string' },
    duration: { type: 'string', default: '20s' },
    warmup: { type: 'string', default: '5s' },
    chats: { type: 'string', default: '256' },
    runs: { type: 'string', default: '1' },
    transport: { type: 'string', default: 'ws' },
    'slo-p99-ttft-ms': { type: 'string', default: '50' },
    guests: { type: 'boolean', default: false },
    'no-brownout': { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
    'cpu-prof': { type: 'string' },
    import: { type: 'string' },
    out: { type: 'string' },
    replies: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
  process.exit(0);
}
const model = MODELS[values.model as keyof typeof MODELS];
if (!model) throw new Error(`--model must be one of ${Object.keys(MODELS).join(', ')}`);
const ttftMs = values['ttft-ms'] !== undefined ? Number(values['ttft-ms']) : model.ttftMs;
const tokensPerSec = values['tokens-per-sec'] !== undefined ? Number(values['tokens-per-sec']) : model.tokensPerSec;
const serviceRoot = values.service ? resolve(values.service) : undefined;
const CLK_TCK = 100; // getconf CLK_TCK on Linux

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
}

interface RunFigures {
  rate: number;
  run: number;
  cpuMsPerMessage: number;
  cpuMsPerMessageSent: number;
  serviceCpuPct: number;
  answeredInWindow: number;
  rssMiB: number;
  /** The machine's 1-minute load average at the end of the window (others share the cores). */
  load: number;
  figures: RateFigures;
}

async function oneRun(rates: { rate?: number; knee?: string }, run: number, profileDir?: string): Promise<{ rows: RunFigures[]; result: RateResult; profile?: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'manga-throughput-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    LLM_PROVIDER: 'sim',
    SIM_LLM_TTFT_MS: String(ttftMs),
    SIM_LLM_SMALL_TTFT_MS: String(ttftMs),
    SIM_LLM_TOKENS_PER_SEC: String(tokensPerSec),
    SIM_LLM_SMALL_TOKENS_PER_SEC: String(tokensPerSec),
    // No jitter: the service's own first-token overhead is its firstTokenMs minus the model's exact TTFT.
    SIM_LLM_JITTER: '0',
    ...RAISED_LIMITS,
    ...(values['no-brownout'] ? { BROWNOUT_LAG_MS: '0' } : {}),
    ...Object.fromEntries(values.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  };
  if (values.import) {
    const { spawnSync } = await import('node:child_process');
    const importCli = join(serviceRoot ?? resolve(import.meta.dirname, '..'), 'src/catalog/import-cli.ts');
    const r = spawnSync(process.execPath, [importCli, resolve(values.import)], { env: { ...process.env, DATA_DIR: dataDir }, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('import failed');
  }
  const log = join(dataDir, 'service.log');
  const service = await startService(env, log, { root: serviceRoot, ownSession: true, ...(profileDir ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] } : {}) });
  try {
    const args = ['--mode', 'rate', '--targets', service.url, '--transport', values.transport, '--duration', values.duration, '--warmup', values.warmup, '--chats', values.chats, '--slo-p99-ttft-ms', values['slo-p99-ttft-ms'], '--quiet', '--message-timeout', '10s'];
    if (rates.knee) args.push('--knee', rates.knee);
    else args.push('--rate', String(rates.rate));
    if (!values.guests) args.push('--data-dir', dataDir);
    const cmd = parseCommand(args);
    if (cmd.kind !== 'rate') throw new Error('not a rate command');
    const options: RateOptions = cmd.options;
    const rows: RunFigures[] = [];
    let start = { ticks: 0, ended: 0, at: 0, sent: 0, monoUs: 0 };
    const windows: { fromUs: number; toUs: number; answered: number }[] = [];
    const replies = values.replies ? resolve(values.replies) : undefined;
    const result = await runRate(options, {
      ...(replies ? { onReply: (r: { text: string; ttftMs: number; end: string }) => appendFileSync(replies, `{"rate":${rates.rate ?? 0},"run":${run},"text":${r.text},"ttftMs":${r.ttftMs.toFixed(2)},"end":${r.end}}\n`) } : {}),
      onWindow(edge, _step, rate, counters) {
        const now = { ticks: cpuTicks(service.pid), ended: counters.ended, at: performance.now(), sent: counters.sent, monoUs: Number(process.hrtime.bigint() / 1000n) };
        if (edge === 'start') {
          start = now;
          return;
        }
        const answered = now.ended - start.ended;
        const cpuMs = ((now.ticks - start.ticks) * 1000) / CLK_TCK;
        windows.push({ fromUs: start.monoUs, toUs: now.monoUs, answered });
        rows.push({ rate, run, cpuMsPerMessage: answered ? cpuMs / answered : NaN, cpuMsPerMessageSent: now.sent > start.sent ? cpuMs / (now.sent - start.sent) : NaN, serviceCpuPct: (cpuMs / (now.at - start.at)) * 100, answeredInWindow: answered, rssMiB: (readRssBytes(service.pid) ?? 0) / 2 ** 20, load: loadavg()[0], figures: undefined as unknown as RateFigures });
      },
    });
    const steps = result.knee ? result.knee.steps : [result.rate];
    steps.forEach((f, i) => rows[i] && (rows[i].figures = f));
    const metrics = await fetchMetrics(service.url).catch(() => '');
    await service.stop();
    console.log(`  run ${run}${rates.rate ? ` at ${rates.rate}/s` : ''}: ${brownoutSummary(metrics, readFileSync(log, 'utf8'))}`);
    let profile: string | undefined;
    if (profileDir) {
      // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: the service's own thread is 0 (worker
      // threads, such as the catalog's reading dictionary, write profiles of their own).
      const file = readdirSync(profileDir).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)).map((f) => join(profileDir, f)).sort().at(-1);
      if (file && windows[0]) {
        const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
        let areas = accountAreas(prof, windows[0]);
        let which = 'measured window only';
        // The profile's clock is CLOCK_MONOTONIC like process.hrtime; should that ever differ, say so and take everything.
        if (areas.totalUs === 0) {
          areas = accountAreas(prof);
          which = 'WHOLE PROFILE (the window matched no sample), per message of the window';
        }
        profile = `profile ${file}, ${which}; window ${((windows[0].toUs - windows[0].fromUs) / 1e6).toFixed(1)} s, profile clock ${(prof.startTime / 1e6).toFixed(1)}–${(prof.endTime / 1e6).toFixed(1)} s, window ${(windows[0].fromUs / 1e6).toFixed(1)}–${(windows[0].toUs / 1e6).toFixed(1)} s:\n\n${formatAreas(areas, windows[0].answered, 25, rows[0]?.cpuMsPerMessage)}`;
      }
    }
    return { rows, result, profile };
  } finally {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What brownout did over the whole run (warm-up included): messages shed by tier, level changes from the service's log, tier-3 calls skipped. */
function brownoutSummary(metrics: string, log: string): string {
  const count = (re: RegExp) => [...metrics.matchAll(re)].map((m) => `${m[1]} ${m[2]}`).join(', ') || 'none';
  const changes = log
    .split('\n')
    .filter((l) => l.includes('brownout level changed'))
    .map((l) => JSON.parse(l) as { brownoutLevel?: number; level?: number; cause?: string; time: number });
  const to = changes.map((c) => c.brownoutLevel ?? c.level);
  const first = changes[0]?.time;
  const path = changes.slice(0, 16).map((c, i) => `${i === 0 ? '' : ((c.time - first) / 1000).toFixed(1)}→${to[i]}${c.cause ? ` (${c.cause})` : ''}`);
  return `brownout shed ${count(/^mangaassist_shed_total\{tier="(\w+)"\} (\d+)/gm)}; level changes ${changes.length}${changes.length > 16 ? ' (first 16)' : ''}: ${path.join(', ') || 'none'}; tier-3 skipped ${/^# TYPE mangaassist_brownout_skipped_total/m.test(metrics) ? count(/^mangaassist_brownout_skipped_total\{dependency="(\w+)"\} (\d+)/gm) : 'not counted by this checkout'}`;
}

// The generator's share too: between sessions (autogroups) only the group's nice counts (bench/lib/service.ts).
if (getPriority() < 0) {
  try {
    writeFileSync('/proc/self/autogroup', String(getPriority()));
  } catch {
    // Not Linux, or autogroups off.
  }
}
const fmt = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const pct = (x: number) => `${(x * 100).toFixed(1)}`;
const all: RunFigures[] = [];
const results: RateResult[] = [];
console.log(`service: ${serviceRoot ?? 'this checkout'}; nice ${getPriority()}; model: TTFT ${ttftMs} ms, ${tokensPerSec ? `${tokensPerSec} tokens/s` : 'tokens unpaced'}, jitter 0; ${values.transport}, ${values.chats} chats, warm-up ${values.warmup}, window ${values.duration}; ${values.guests ? 'all guests' : 'default profile mix (signed-in members/Prime via DATA_DIR/jwt-secret)'}; limits raised: ${Object.keys(RAISED_LIMITS).join(', ')}${values['no-brownout'] ? '; BROWNOUT_LAG_MS=0' : '; brownout at its defaults'}`);
const plan = values.knee ? [{ knee: values.knee }] : values.rates.split(',').map((r) => ({ rate: Number(r) }));
for (let run = 1; run <= Number(values.runs); run++) {
  for (const p of plan) {
    const profileDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;
    const { rows, result, profile } = await oneRun(p, run, profileDir);
    all.push(...rows);
    results.push(result);
    if (profile) console.log(`\n${profile}\n`);
    if (result.warnings.length) for (const w of result.warnings) console.log(`  warning (run ${run}): ${w}`);
    if (result.knee) console.log(`  run ${run}: knee ${result.knee.knee ?? 'none'} messages/s (p99 first token < ${values['slo-p99-ttft-ms']} ms, failures under 1 %)`);
  }
}

console.log('\n| rate/s | run | service CPU ms/msg | service CPU % | achieved/s | ttft p50 | ttft p99 | ttft p99.9 | end p50 | end p99 | svc firstTokenMs p99 | svc overhead p99 (model replies) | unanswered % | degraded % | refused/failed % (codes) | generator CPU % | RSS MiB | load avg |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of all) {
  const f = r.figures;
  if (!f) continue;
  const overhead = f.serverFirstTokenModelMs.count ? f.serverFirstTokenModelMs.p99 - ttftMs : NaN;
  const codes = Object.entries(f.errors).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`| ${r.rate} | ${r.run} | ${fmt(r.cpuMsPerMessage, 2)} | ${fmt(r.serviceCpuPct, 0)} | ${f.achievedPerS} | ${fmt(f.ttft.p50)} | ${fmt(f.ttft.p99)} | ${fmt(f.ttft.p999)} | ${fmt(f.ttlt.p50)} | ${fmt(f.ttlt.p99)} | ${fmt(f.serverFirstTokenMs.p99)} | ${fmt(overhead)} | ${pct(f.shares.unanswered)} | ${pct(f.shares.degraded + f.shares.interrupted)} | ${pct(f.shares.failed)}${codes ? ` (${codes})` : ''} | ${f.generatorCpuPct} | ${fmt(r.rssMiB, 0)} | ${fmt(r.load)} |`);
}
if (values.out) writeFileSync(values.out, `${JSON.stringify({ ttftMs, tokensPerSec, rows: all, results }, null, 2)}\n`);
