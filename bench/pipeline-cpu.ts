// CPU per message through the real pipeline, in-process: no sockets, no load generator, no
// brownout — the figure a busy shared machine disturbs least, and a profile of the pipeline alone.
//
//   node bench/pipeline-cpu.ts [--service <checkout>] [--messages 1500] [--warmup 600]
//   node --cpu-prof --cpu-prof-dir=/tmp/p bench/pipeline-cpu.ts ...   # then the printed
//        `node bench/cpu-areas.ts <profile> --from-us … --to-us …` line accounts it by area
//
// The messages are every template of the load generator's default profile (loadgen/profiles/
// default.json) with every series it names (volumes 1, 3, 12), in a fixed shuffled order, 5 per
// session, sessions rotating guest / member / Prime; the `sim` engine unpaced (as bench/throughput's
// `--model unpaced`), answer tokens handed to `onToken` as the WebSocket transport does. CPU is
// process.cpuUsage() over the measured messages (after the warm-up), divided by their number.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { service: { type: 'string' }, messages: { type: 'string', default: '1500' }, warmup: { type: 'string', default: '600' } } });
const root = resolve(values.service ?? join(import.meta.dirname, '..'));
const total = Number(values.messages);
const warmup = Number(values.warmup);

interface Profile { messages: Record<string, Record<string, string[]>>; series: { title: string; titleJa: string }[] }
const profile = JSON.parse(readFileSync(join(import.meta.dirname, '../loadgen/profiles/default.json'), 'utf8')) as Profile;
const texts: string[] = [];
for (const langs of Object.values(profile.messages)) {
  for (const [lang, templates] of Object.entries(langs)) {
    for (const t of templates) {
      for (const s of profile.series) {
        for (const v of [1, 3, 12]) texts.push(t.replaceAll('{title}', lang === 'ja' ? s.titleJa : s.title).replaceAll('{volume}', String(v)).replace(/\{[a-z]+\}/g, 'MA-20261005-0003'));
      }
    }
  }
}
let seed = 12345;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const order = texts.map((t) => [rnd(), t] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);

const { loadConfig } = (await import(join(root, 'src/config.ts'))) as typeof import('../src/config.ts');
const { createApp } = (await import(join(root, 'src/app.ts'))) as typeof import('../src/app.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'manga-pipeline-cpu-'));
const app = await createApp(
  loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LLM_PROVIDER: 'sim',
    SIM_LLM_TTFT_MS: '0',
    SIM_LLM_SMALL_TTFT_MS: '0',
    SIM_LLM_TOKENS_PER_SEC: '0',
    SIM_LLM_SMALL_TOKENS_PER_SEC: '0',
    SIM_LLM_JITTER: '0',
    LLM_RATE_PER_SEC: '1000000',
    LLM_BURST: '1000000',
  }),
);
const customers = [{ kind: 'guest' as const }, { kind: 'member' as const, customerId: 'cust-1001', ageConfirmed: true }, { kind: 'prime' as const, customerId: 'cust-1002', ageConfirmed: true }];
const signal = new AbortController().signal;
let frames = 0;
const onToken = () => {};
async function run(n: number, offset: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const k = i + offset;
    const session = Math.floor(k / 5);
    for await (const _frame of app.pipeline.reply({ sessionId: `s-${session}`, messageId: `m-${k}`, text: order[k % order.length], customer: customers[session % 3], signal, onToken })) frames++;
  }
}
try {
  await run(warmup, 0);
  frames = 0;
  const fromUs = process.hrtime.bigint() / 1000n;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await run(total, 1_000_000);
  const cpu = process.cpuUsage(cpu0);
  const toUs = process.hrtime.bigint() / 1000n;
  const cpuMs = (cpu.user + cpu.system) / 1000 / total;
  console.log(`${root}: ${total} messages, CPU ${cpuMs.toFixed(3)} ms per message, wall ${((performance.now() - wall0) / total).toFixed(2)} ms per message, ${(frames / total).toFixed(1)} frames per message`);
  console.log(`profile window: --from-us ${fromUs} --to-us ${toUs} --messages ${total} --cpu-ms-per-message ${cpuMs.toFixed(3)}`);
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
