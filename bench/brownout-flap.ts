// Brownout flapping: one customer on a busy machine (issue 16). Measures, does not fix.
//
//   npm run bench:brownout -- [--hogs 2] [--duration 90s] [--every 2s] [--shared-session] [--service /work/baseline]
//
// Starts the service (LLM_PROVIDER=sim, paced like a hosted model: 50 ms first token, 400
// tokens/s), starts `--hogs` CPU-bound processes (busy loops, normal priority) so the service
// competes for the cores like on a busy machine, and has one customer send a message every
// `--every` over one persistent chat for `--duration`. The service and each hog run in their own
// session (scheduler autogroup), as separate users' programs would; with --shared-session all of
// them share this process's session, so the hogs take the service's own share of the CPU (a
// container whose cores are busy). Rate limits are raised (a guest may send 10 a minute). Counts the brownout level changes the
// service logs ('brownout level changed') and samples `mangaassist_brownout_level` from /metrics
// every 100 ms (time at each level). Level ≥ 1 silently drops reviews and promotions from answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDurationMs } from '../src/loadgen/phases.ts';
import { parseCommand } from '../src/loadgen/options.ts';
import { runRate } from '../src/loadgen/rate.ts';
import { fetchMetrics, startService } from './lib/service.ts';

const { values } = parseArgs({
  options: {
    service: { type: 'string' },
    hogs: { type: 'string', default: '2' },
    duration: { type: 'string', default: '90s' },
    every: { type: 'string', default: '2s' },
    'shared-session': { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const durationMs = parseDurationMs(values.duration);
const everyMs = parseDurationMs(values.every);
const dataDir = mkdtempSync(join(tmpdir(), 'manga-brownout-'));
const log = join(dataDir, 'service.log');
const hogs: ChildProcess[] = [];

const service = await startService({
  DATA_DIR: dataDir,
  LLM_PROVIDER: 'sim',
  SIM_LLM_TTFT_MS: '50',
  SIM_LLM_SMALL_TTFT_MS: '50',
  SIM_LLM_TOKENS_PER_SEC: '400',
  SIM_LLM_SMALL_TOKENS_PER_SEC: '400',
  RATE_GUEST_PER_MIN: '1000000',
  RATE_GUEST_BURST: '1000000',
  ...Object.fromEntries(values.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
}, log, { root: values.service ? resolve(values.service) : undefined, ownSession: !values['shared-session'] });
try {
  for (let i = 0; i < Number(values.hogs); i++) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore', detached: !values['shared-session'] }));
  const load0 = loadavg()[0];
  // Level over time from /metrics, 10 samples a second.
  const levels: number[] = [];
  const sampler = setInterval(() => {
    fetchMetrics(service.url, 2000).then((text) => {
      const m = /^mangaassist_brownout_level(?:\{[^}]*\})? (\d+)/m.exec(text);
      if (m) levels.push(Number(m[1]));
    }, () => undefined);
  }, 100);
  const cmd = parseCommand(['--mode', 'rate', '--targets', service.url, '--rate', String(1000 / everyMs), '--duration', `${durationMs}ms`, '--warmup', '0s', '--chats', '1', '--quiet', '--message-timeout', '10s']);
  if (cmd.kind !== 'rate') throw new Error('not a rate command');
  const started = Date.now();
  const result = await runRate(cmd.options);
  clearInterval(sampler);
  const load1 = loadavg()[0];
  // What level 1 gave up, where the checkout counts it (mangaassist_brownout_skipped_total, since issue 16's fix).
  const final = await fetchMetrics(service.url).catch(() => '');
  const skipped = [...final.matchAll(/^mangaassist_brownout_skipped_total\{dependency="(\w+)"\} (\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  const counted = /^# TYPE mangaassist_brownout_skipped_total/m.test(final);
  await service.stop();
  const changes = readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes('brownout level changed'))
    .map((l) => JSON.parse(l) as { brownoutLevel?: number; level?: number; time?: number; from?: number; cause?: string; lagP99Ms?: number; lagSmoothedMs?: number; utilization?: number; inFlight?: number });
  // The level changed to: `brownoutLevel` since e60c5ef; older checkouts wrote it as a second `level` key after pino's own (JSON.parse keeps the last).
  const to = changes.map((o) => String(o.brownoutLevel ?? o.level ?? '?'));
  const onTimes = to.filter((x) => x === '1').length;
  const switchedOn = to.filter((x, i) => x !== '0' && (i === 0 || to[i - 1] === '0')).length;
  const causes = changes.map((o) => o.cause).filter(Boolean);
  const share = (lvl: number) => (levels.length ? ((100 * levels.filter((x) => x === lvl).length) / levels.length).toFixed(1) : '—');
  const f = result.rate;
  console.log(`service: ${values.service ?? 'this checkout'}; ${values.hogs} CPU hogs ${values['shared-session'] ? 'in the service\'s session' : 'in sessions of their own'}; one customer, a message every ${everyMs} ms over ${durationMs / 1000} s; load average ${load0.toFixed(1)} → ${load1.toFixed(1)} (other engineers share these 2 cores)`);
  console.log(`brownout level changes logged: ${changes.length} (to levels: ${to.join(' ') || 'none'}); switched to level 1 ${onTimes} times; on from level 0 ${switchedOn} times`);
  if (causes.length) console.log(`causes: ${['event_loop_delay', 'in_flight', 'recovered'].map((c) => `${c} ${causes.filter((x) => x === c).length}`).join(', ')}`);
  console.log(`tier-3 calls skipped: ${counted ? skipped.join(', ') || 'none' : 'not counted by this checkout'}`);
  // The first changes with the reasons they were logged with (this checkout's log line, since issue 16's fix).
  for (const o of changes.slice(0, causes.length ? 12 : 0)) {
    console.log(`  t=${(((o.time ?? 0) - started) / 1000).toFixed(1)} s: ${o.from} -> ${o.brownoutLevel} ${o.cause}: delay p99 ${o.lagP99Ms} ms, smoothed ${o.lagSmoothedMs} ms, utilization ${o.utilization}, in flight ${o.inFlight}`);
  }
  console.log(`time at level 0/1/2/3 (% of ${levels.length} samples of /metrics): ${share(0)} / ${share(1)} / ${share(2)} / ${share(3)}`);
  console.log(`the customer: ${f.scheduled} messages, first token p50 ${f.ttft.p50.toFixed(1)} ms, p99 ${f.ttft.p99.toFixed(1)} ms; replies ${JSON.stringify(f.replies)}, errors ${JSON.stringify(f.errors)}`);
} finally {
  for (const h of hogs) h.kill('SIGKILL');
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
