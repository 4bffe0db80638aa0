// Start-up time to ready: spawns `node src/main.ts` on a DATA_DIR and polls /readyz until 200.
//
//   node bench/startup.ts [--import ../shared/data/mal_top_manga.csv] [--runs 3] [--service /work/baseline] [--cpu-prof DIR]
//   npm run bench:startup -- --import /work/shared/data/mal_top_manga.csv
//
// With --import the catalog is imported once first (the import is timed separately), so the
// figure is a restart of a store that already holds the 15,000 series. --service runs another
// checkout (its own src/main.ts and import CLI), e.g. a baseline worktree. RSS is read from
// /proc/<pid>/status the moment /readyz first answers 200. Then the first messages are sent one
// after the other (POST /v1/chat, a new guest each) and timed from the client: what the first
// customers after a restart wait for, and the service CPU they cost (steadier on a shared machine). --cpu-prof DIR runs the service under `node --cpu-prof`
// (one profile per run and thread in DIR; summarise with bench/cpu-areas.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runImport } from '../src/catalog/import-cli.ts';

const { values } = parseArgs({ options: { import: { type: 'string' }, runs: { type: 'string', default: '3' }, service: { type: 'string' }, 'cpu-prof': { type: 'string' } } });
/** Sent right after ready, in order: a title of the import, Japanese, a recommendation, a kanji title. */
const FIRST_MESSAGES = ['do you have Oyasumi Punpun?', 'おすすめの少女漫画ある？', 'recommend me something like Berserk', '黒執事は何巻まで出てる？'];
const root = values.service ? resolve(values.service) : fileURLToPath(new URL('..', import.meta.url));
// The checkout's `npm start` entry: src/start.js where it has one (the compile cache on before any
// TypeScript is loaded), else src/main.ts (older checkouts).
const main = existsSync(join(root, 'src/start.js')) ? join(root, 'src/start.js') : join(root, 'src/main.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'manga-startup-'));

/** CPU the process has used (utime + stime, all threads), from /proc/<pid>/stat in 1/100 s. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

async function once(): Promise<{ readyMs: number; series: number; docs: number; rssMb: number; cpuMs: number; firstMs: number[]; firstCpuMs: number }> {
  const started = performance.now();
  const prof = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(values['cpu-prof'])}`] : [];
  const child = spawn(process.execPath, [...prof, main], { env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  try {
    while (!/listening on (http:\/\/\S+)/.test(out)) {
      if (child.exitCode !== null) throw new Error(`service exited: ${out}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const url = /listening on (http:\/\/\S+)/.exec(out)![1];
    for (;;) {
      const res = await fetch(`${url}/readyz`).catch(() => undefined);
      if (res?.status === 200) {
        const readyMs = performance.now() - started;
        const body = await res.json();
        const rss = Number((await import('node:fs')).readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;
        // CPU spent to get ready (utime + stime, all threads, in 1/100 s): steadier than the wall
        // time on a machine whose cores other work shares.
        const cpuMs = cpuMsOf(child.pid!);
        const firstMs: number[] = [];
        for (const text of FIRST_MESSAGES) {
          const t = performance.now();
          const reply = await fetch(`${url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
          await reply.arrayBuffer();
          if (reply.status !== 200) throw new Error(`first message answered ${reply.status}`);
          firstMs.push(performance.now() - t);
        }
        // The service's CPU for those messages: what they cost it, steadier than their wall time on a shared machine.
        const firstCpuMs = cpuMsOf(child.pid!) - cpuMs;
        return { readyMs, series: body.checks.series, docs: body.checks.indexedDocs, rssMb: rss, cpuMs, firstMs, firstCpuMs };
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

try {
  if (values.import) {
    const t = performance.now();
    if (values.service) {
      // The other checkout's own importer, so its store format is the one it reads.
      const r = spawnSync(process.execPath, [join(root, 'src/catalog/import-cli.ts'), resolve(values.import)], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
      console.log(`import of ${values.import} (${root}): ${Math.round(performance.now() - t)} ms (process included)`);
    } else {
      const report = await runImport([values.import], dataDir, () => {});
      console.log(`import of ${values.import}: ${Math.round(performance.now() - t)} ms (${JSON.stringify({ inserted: report.inserted, updated: report.updated })})`);
    }
  }
  const runs = Number(values.runs);
  const results = [];
  for (let i = 0; i < runs + 1; i++) results.push(await once()); // the first run also seeds the store
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`first messages after ready, in order: ${FIRST_MESSAGES.map((m) => JSON.stringify(m)).join(', ')}`);
  console.log('| run | ready ms | CPU ms to ready | series | indexed docs | RSS MB | first messages ms | their CPU ms |\n|---|---|---|---|---|---|---|---|');
  results.forEach((r, i) => console.log(`| ${i === 0 ? 'first (seeds)' : i} | ${Math.round(r.readyMs)} | ${r.cpuMs} | ${r.series} | ${r.docs} | ${r.rssMb.toFixed(0)} | ${r.firstMs.map((x) => Math.round(x)).join(' / ')} | ${r.firstCpuMs} |`));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
