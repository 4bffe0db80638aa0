// Operations drill: load from the load generator, two injected faults, and what operators see.
//
//   node bench/ops-drill.ts [--rate 2.5] [--baseline-seconds 20] [--fault-seconds 45]
//                           [--recovery-seconds 50] [--time-scale 0.05] [--out DIR]
//
// Starts the service (`node src/main.ts`, embedded defaults, fresh DATA_DIR, admission limits
// raised so the load is not refused, ALARM_TIME_SCALE so the design's 5-minute alarms judge in
// 15 s) with its alarm and escalation webhooks pointed at a chat-ops receiver in this process,
// and the load generator (`src/loadgen/cli.ts`, default profile, open model) as a second child.
// Phases: baseline → fault A (catalog answers after 600 ms: past its 250 ms deadline) → recovery
// → fault B (the answer engine down) → recovery. Every second the drill reads /v1/ops/summary
// (what the operations page draws); at the end of every phase it opens /ops in headless
// Chromium, signs in with the operator credential and reads what the page shows (the slowest
// segment, the breakers, the alarm rows), saving a screenshot. The chat-ops messages are kept
// with their arrival time. Output: a table per phase and drill.json / screenshots in --out.
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { startService } from './lib/service.ts';
import type { OpsSummary } from '../src/observability/summary-types.ts';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '2.5' },
    'baseline-seconds': { type: 'string', default: '20' },
    'fault-seconds': { type: 'string', default: '45' },
    'recovery-seconds': { type: 'string', default: '50' },
    'time-scale': { type: 'string', default: '0.05' },
    out: { type: 'string' },
  },
});
const out = args.out ?? mkdtempSync(join(tmpdir(), 'ops-drill-'));
mkdirSync(out, { recursive: true });
const ADMIN = 'drill-admin-credential-0123456789';
const OPS = 'drill-operator-credential-0123456789';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Phase {
  name: string;
  seconds: number;
  /** Fault set at the phase start (dependency → spec); `clear` clears every fault. */
  fault?: { dependency: string; spec: Record<string, unknown> };
  clear?: boolean;
}
const phases: Phase[] = [
  { name: 'baseline', seconds: Number(args['baseline-seconds']) },
  { name: 'fault A: catalog slow (600 ms)', seconds: Number(args['fault-seconds']), fault: { dependency: 'catalog', spec: { latencyMs: 600 } } },
  { name: 'recovery A', seconds: Number(args['recovery-seconds']), clear: true },
  { name: 'fault B: answer engine down', seconds: Number(args['fault-seconds']), fault: { dependency: 'llm', spec: { down: true } } },
  { name: 'recovery B', seconds: Number(args['recovery-seconds']), clear: true },
];
const totalSeconds = phases.reduce((n, p) => n + p.seconds, 0);

// Chat-ops channel: every alarm and handoff message, with when it arrived.
const started = Date.now();
const chatOps: { t: number; kind: string; severity: string; text: string; fields: Record<string, unknown> }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString());
    chatOps.push({ t: (Date.now() - started) / 1000, kind: body.mangaassist.kind, severity: body.mangaassist.severity, text: body.text, fields: body.mangaassist.fields });
    res.writeHead(200).end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/chat-ops`;

const dataDir = join(out, 'data');
const service = await startService(
  {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN: ADMIN,
    OPS_TOKEN: OPS,
    ALARM_WEBHOOK_URL: hook,
    ALARM_EVAL_INTERVAL_MS: '1000',
    ALARM_TIME_SCALE: args['time-scale']!,
    RATE_GUEST_PER_MIN: '100000',
    RATE_GUEST_BURST: '100000',
    RATE_CUSTOMER_PER_MIN: '100000',
    RATE_CUSTOMER_BURST: '100000',
    GUEST_SESSIONS_PER_ADDRESS_PER_MIN: '100000',
    GUEST_SESSIONS_PER_ADDRESS_BURST: '100000',
  },
  join(out, 'service.log'),
);
const { url } = service;
console.log(`service ${url} (pid ${service.pid}); output in ${out}`);

// The load generator, for the whole drill.
const loadgen = spawn(
  process.execPath,
  [fileURLToPath(new URL('../src/loadgen/cli.ts', import.meta.url)), '--targets', url, '--rate', args.rate!, '--duration', `${totalSeconds}s`, '--data-dir', dataDir, '--think-scale', '0.2', '--out', join(out, 'loadgen.json'), '--max-duration', `${totalSeconds + 60}s`],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
let loadgenOut = '';
loadgen.stdout!.on('data', (d) => (loadgenOut += d));
loadgen.stderr!.on('data', () => {});
const loadgenDone = new Promise<number | null>((resolve) => loadgen.once('exit', resolve));

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
const summary = async (): Promise<OpsSummary> => (await (await fetch(`${url}/v1/ops/summary?windowMs=60000`, { headers: { authorization: `Bearer ${OPS}` } })).json()) as OpsSummary;

// What /ops shows, read from the page itself.
const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
async function lookAtOpsPage(label: string): Promise<{ slowest: string; breakersOpen: string[]; alarms: Record<string, string>; screenshot: string }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1800 } });
  const page = await context.newPage();
  await page.goto(`${url}/ops`);
  await page.fill('#token', OPS);
  await page.click('#signin-submit');
  await page.waitForSelector('[data-testid="slowest-segment"]', { timeout: 15_000 });
  await page.waitForTimeout(2500); // one more poll, so the charts hold the latest points
  const slowest = ((await page.textContent('[data-testid="slowest-segment"]')) ?? '').trim();
  const breakersOpen = await page.$$eval('[data-testid^="breaker-"]', (els) => els.filter((e) => e.getAttribute('data-state') === 'open').map((e) => e.getAttribute('data-testid')!.slice('breaker-'.length)));
  const alarms = Object.fromEntries(await page.$$eval('[data-testid^="alarm-"]', (els) => els.map((e) => [e.getAttribute('data-testid')!.slice('alarm-'.length), e.getAttribute('data-state') ?? '?'])));
  const screenshot = join(out, `ops-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  await page.screenshot({ path: screenshot, fullPage: true });
  await context.close();
  return { slowest, breakersOpen, alarms, screenshot };
}

interface Poll {
  t: number;
  phase: string;
  messagesPerSec: number | null;
  errorRatio: number | null;
  firstTokenP99Ms: number | null;
  topSegment?: string;
  topSegmentP95Ms: number | null;
  breakersOpen: string[];
  firing: string[];
  pending: string[];
}
const polls: Poll[] = [];
const pages: { phase: string; t: number; page: Awaited<ReturnType<typeof lookAtOpsPage>> }[] = [];
const marks: { phase: string; t: number }[] = [];

for (const phase of phases) {
  const phaseStart = Date.now();
  marks.push({ phase: phase.name, t: (phaseStart - started) / 1000 });
  if (phase.clear) await admin('DELETE', '/v1/admin/faults');
  if (phase.fault) await admin('PUT', `/v1/admin/faults/${phase.fault.dependency}`, phase.fault.spec);
  console.log(`[${((phaseStart - started) / 1000).toFixed(0)} s] ${phase.name}`);
  // The page is read 8 s before the phase ends (it takes a few seconds itself).
  const lookAt = phaseStart + Math.max(1, phase.seconds - 8) * 1000;
  let looked = false;
  while (Date.now() < phaseStart + phase.seconds * 1000) {
    const s = await summary().catch(() => undefined);
    if (s) {
      const top = s.now.segments[0];
      polls.push({
        t: (Date.now() - started) / 1000,
        phase: phase.name,
        messagesPerSec: s.now.messagesPerSec,
        errorRatio: s.now.errorRatio,
        firstTokenP99Ms: s.now.firstTokenMs.p99,
        topSegment: top?.segment,
        topSegmentP95Ms: top?.p95Ms ?? null,
        breakersOpen: s.now.breakers.filter((b) => b.state !== 'closed').map((b) => `${b.dependency}:${b.state}`),
        firing: s.alarms.filter((a) => a.state === 'firing').map((a) => a.name),
        pending: s.alarms.filter((a) => a.state === 'pending').map((a) => a.name),
      });
    }
    if (!looked && Date.now() >= lookAt) {
      looked = true;
      pages.push({ phase: phase.name, t: (Date.now() - started) / 1000, page: await lookAtOpsPage(phase.name) });
    }
    await sleep(1000);
  }
}

const loadgenExit = await Promise.race([loadgenDone, sleep(90_000).then(() => 'timeout' as const)]);
if (loadgenExit === 'timeout') loadgen.kill('SIGTERM');
await browser.close();
await service.stop();
receiver.close();

// Report.
const f = (x: number | null | undefined, digits = 0) => (x === null || x === undefined ? '–' : x.toFixed(digits));
console.log(`\nOperations drill — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, rate ${args.rate} sessions/s, ALARM_TIME_SCALE ${args['time-scale']}`);
console.log('\nPer phase (from /v1/ops/summary every second, 60 s window):');
console.log('phase                               | msg/s  | error % | p99 first token ms | top segment (p95 ms) at end | alarms firing at end');
for (const m of marks) {
  const ps = polls.filter((p) => p.phase === m.phase);
  const last = ps[ps.length - 1];
  const mps = ps.map((p) => p.messagesPerSec ?? 0);
  console.log(
    `${m.phase.padEnd(35)} | ${f(mps.reduce((a, b) => a + b, 0) / Math.max(1, mps.length), 1).padStart(6)} | ${f(last?.errorRatio === null || last?.errorRatio === undefined ? null : last.errorRatio * 100, 1).padStart(7)} | ${f(last?.firstTokenP99Ms).padStart(18)} | ${`${last?.topSegment ?? '–'} (${f(last?.topSegmentP95Ms)})`.padEnd(27)} | ${last?.firing.join(', ') || '–'}`,
  );
}
console.log('\nChat-ops channel (alarm messages; seconds since the drill started):');
for (const m of chatOps.filter((c) => c.kind === 'alarm')) console.log(`  ${m.t.toFixed(1).padStart(6)} s  ${m.severity.padEnd(8)} ${m.text.replace(/ <.*$/, '')}`);
console.log(`  (+ ${chatOps.filter((c) => c.kind === 'escalation').length} handoff alerts from the profile's escalation messages)`);
console.log('\nWhat /ops showed (read in headless Chromium near the end of each phase):');
for (const p of pages) {
  const firing = Object.entries(p.page.alarms).filter(([, s]) => s === 'firing').map(([n]) => n);
  console.log(`  ${p.t.toFixed(0).padStart(4)} s  ${p.phase.padEnd(35)} slowest segment: ${p.page.slowest.padEnd(20)} open breakers: ${p.page.breakersOpen.join(', ') || '–'}; firing: ${firing.join(', ') || '–'}`);
}
console.log('\nPhase starts (s): ' + marks.map((m) => `${m.phase} ${m.t.toFixed(0)}`).join('; '));
console.log(`load generator exit: ${loadgenExit} (1 = an SLO failed, expected with faults)`);
console.log(loadgenOut.split('\n').slice(0, 14).join('\n'));
writeFileSync(join(out, 'drill.json'), JSON.stringify({ args, marks, polls, chatOps, pages }, null, 2));
console.log(`\nJSON: ${join(out, 'drill.json')}`);
