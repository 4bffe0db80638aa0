// What the reading dictionary (READING_DICTIONARY=worker) costs a running service: start-up to
// ready, time until the dictionary has loaded on its thread, RSS with and without it, and how
// long /readyz takes to answer while it loads (the service's own thread must stay free).
//
//   node bench/reading-dictionary.ts [--import ../shared/data/mal_top_manga.csv] [--runs 2]
//
// Each run starts `node src/main.ts` on one DATA_DIR (imported once first), once with the
// dictionary and once without, and reads RSS from /proc/<pid>/status.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runImport } from '../src/catalog/import-cli.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { import: { type: 'string', default: resolve(root, '../shared/data/mal_top_manga.csv') }, runs: { type: 'string', default: '2' } } });
const dataDir = mkdtempSync(join(tmpdir(), 'reading-dictionary-'));

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  readyMs: number;
  loadedMs?: number;
  rssReady: number;
  rssLoaded: number;
  probeMaxMs: number;
}

async function once(mode: 'worker' | 'off'): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'src/main.ts')], { env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', READING_DICTIONARY: mode }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  try {
    while (!/listening on (http:\/\/\S+)/.test(out)) {
      if (child.exitCode !== null) throw new Error(`service exited: ${out}`);
      await sleep(5);
    }
    const url = /listening on (http:\/\/\S+)/.exec(out)![1];
    const readyz = async () => {
      const res = await fetch(`${url}/readyz`).catch(() => undefined);
      return res?.status === 200 ? ((await res.json()) as { checks: { readings?: string } }) : undefined;
    };
    while (!(await readyz())) await sleep(5);
    const readyMs = performance.now() - started;
    const rssReady = rssMb(child.pid!);
    // Probe the service's own thread while the dictionary loads (or for as long, without it).
    let probeMaxMs = 0;
    let loadedMs: number | undefined;
    const until = performance.now() + 8000;
    while (performance.now() < until) {
      const t = performance.now();
      const body = await readyz();
      probeMaxMs = Math.max(probeMaxMs, performance.now() - t);
      if (mode === 'worker' && body?.checks.readings !== 'loading') {
        loadedMs = performance.now() - started;
        break;
      }
      await sleep(10);
    }
    await sleep(500);
    return { readyMs, loadedMs, rssReady, rssLoaded: rssMb(child.pid!), probeMaxMs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

try {
  await runImport([values.import], dataDir, () => {});
  const rows: string[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    for (const mode of ['off', 'worker'] as const) {
      const r = await once(mode);
      rows.push(`| ${mode} | ${Math.round(r.readyMs)} | ${r.loadedMs === undefined ? '–' : Math.round(r.loadedMs)} | ${r.rssReady.toFixed(0)} | ${r.rssLoaded.toFixed(0)} | ${r.probeMaxMs.toFixed(1)} |`);
    }
  }
  console.log('| READING_DICTIONARY | ready ms | dictionary loaded ms | RSS at ready MB | RSS after load MB | slowest /readyz while loading ms |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
