// Idle WebSocket chats held while the chat still answers (issue 16): bytes per idle connection
// from the service's RSS, and the chat's latency before and while they are held.
//
//   npm run bench:idle -- [--connections 19000] [--open-rate 2000] [--rate 50] [--duration 20s] [--service /work/baseline]
//
// The service runs as a child process (sim model: 50 ms first token, 400 tokens/s; admission
// limits raised as in bench/throughput.ts); this process is the client. Phase 1: `--connections`
// WebSocket chats opened at `--open-rate`/s (source addresses 127.0.0.2 …, one per 25,000) and
// held without a message, on the freshly started service; RSS read before and once they are all
// open. Phase 2: a light open-loop chat load (--rate messages/s over 32 persistent chats) while
// they are held. Phase 3: the idle chats closed, the same chat load alone for comparison. Both processes need `ulimit -n` above the count
// (this sandbox caps it at 20,000 per process).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { parseCommand } from '../src/loadgen/options.ts';
import { runRate, type RateFigures } from '../src/loadgen/rate.ts';
import { readRssBytes } from '../src/loadgen/rss.ts';
import { startService } from './lib/service.ts';

const { values } = parseArgs({
  options: {
    service: { type: 'string' },
    connections: { type: 'string', default: '19000' },
    'open-rate': { type: 'string', default: '2000' },
    rate: { type: 'string', default: '50' },
    duration: { type: 'string', default: '20s' },
    settle: { type: 'string', default: '5' },
  },
});
const N = Number(values.connections);
const openRate = Number(values['open-rate']);
const dataDir = mkdtempSync(join(tmpdir(), 'manga-idle-'));
const sockets: WebSocket[] = [];
/** Held chats the server (or the network) closed, by close code. */
const closedWhileHeld: Record<number, number> = {};
const service = await startService({
  DATA_DIR: dataDir,
  LLM_PROVIDER: 'sim',
  SIM_LLM_TTFT_MS: '50',
  SIM_LLM_SMALL_TTFT_MS: '50',
  SIM_LLM_TOKENS_PER_SEC: '400',
  SIM_LLM_SMALL_TOKENS_PER_SEC: '400',
  SIM_LLM_JITTER: '0',
  RATE_CUSTOMER_PER_MIN: '1000000000',
  RATE_CUSTOMER_BURST: '1000000000',
  RATE_GUEST_PER_MIN: '1000000000',
  RATE_GUEST_BURST: '1000000000',
  GUEST_SESSIONS_PER_ADDRESS_PER_MIN: '1000000000',
  GUEST_SESSIONS_PER_ADDRESS_BURST: '1000000000',
}, join(dataDir, 'service.log'), { root: values.service ? resolve(values.service) : undefined, ownSession: true });

/** Opens the idle chats at the given rate, a bounded number pending at once. */
async function openIdle(): Promise<{ opened: number; failed: number; failures: Record<string, number>; openS: number }> {
  const wsUrl = service.url.replace(/^http/, 'ws');
  const sources = Math.ceil(N / 25_000);
  let opened = 0;
  let failed = 0;
  const failures: Record<string, number> = {};
  const t0 = performance.now();
  let pending = 0;
  await new Promise<void>((done) => {
    let i = 0;
    const next = () => {
      const due = Math.floor(((performance.now() - t0) / 1000) * openRate);
      while (i < N && i <= due && pending < 2000) {
        const localAddress = `127.0.0.${2 + (i % sources)}`;
        i++;
        pending++;
        const s = new WebSocket(`${wsUrl}/v1/chat/ws`, { perMessageDeflate: false, handshakeTimeout: 15_000, localAddress });
        let settled = false;
        const settleOne = (error?: string) => {
          if (settled) return;
          settled = true;
          pending--;
          if (error) {
            failed++;
            failures[error] = (failures[error] ?? 0) + 1;
            s.terminate();
          } else {
            opened++;
            sockets.push(s);
          }
          if (opened + failed === N) done();
        };
        s.once('message', (d) => settleOne(String(d).includes('"session"') ? undefined : 'refused'));
        s.on('error', (e: NodeJS.ErrnoException) => settleOne(e.code ?? 'error'));
        s.on('close', (code: number) => {
          if (settled) closedWhileHeld[code] = (closedWhileHeld[code] ?? 0) + 1;
          settleOne('closed');
        });
      }
      if (i < N) setTimeout(next, 5);
    };
    next();
  });
  return { opened, failed, failures, openS: (performance.now() - t0) / 1000 };
}

const chatLoad = async (): Promise<RateFigures> => {
  const cmd = parseCommand(['--mode', 'rate', '--targets', service.url, '--rate', values.rate, '--duration', values.duration, '--warmup', '3s', '--chats', '32', '--quiet', '--message-timeout', '10s', '--data-dir', dataDir]);
  if (cmd.kind !== 'rate') throw new Error('not a rate command');
  return (await runRate(cmd.options)).rate;
};
const mib = (b: number | undefined) => ((b ?? 0) / 2 ** 20).toFixed(1);
const settle = () => new Promise((r) => setTimeout(r, Number(values.settle) * 1000));

try {
  // Idle chats first, on a service that has only started: its RSS then holds no garbage of a
  // chat load whose freed heap the connections could fill unseen.
  await settle();
  const rssBefore = readRssBytes(service.pid)!;
  const { opened, failed, failures, openS } = await openIdle();
  await settle();
  const rssHeld = readRssBytes(service.pid)!;
  const held = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
  const during = await chatLoad();
  const rssAfter = readRssBytes(service.pid)!;
  const stillHeld = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
  const closedCodes = { ...closedWhileHeld };
  for (const s of sockets) s.terminate();
  await settle();
  const alone = await chatLoad();
  console.log(`service: ${values.service ?? 'this checkout'}; ${N} idle WebSocket chats requested at ${openRate}/s from ${Math.ceil(N / 25_000)} source address(es); load average ${loadavg()[0].toFixed(1)}`);
  console.log(`opened ${opened} in ${openS.toFixed(1)} s, failed ${failed}${failed ? ` (${Object.entries(failures).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}; held ${held} after settling, ${stillHeld} after the chat load${Object.keys(closedCodes).length ? `; closed while held, by close code: ${JSON.stringify(closedCodes)}` : ''}`);
  console.log(`service RSS: ${mib(rssBefore)} MiB after start → ${mib(rssHeld)} MiB holding them → ${mib(rssAfter)} MiB after the chat load; ${held ? ((rssHeld - rssBefore) / held / 1024).toFixed(1) : '—'} KiB per idle connection`);
  const codes = (f: RateFigures) => Object.entries(f.errors).map(([k, v]) => `${k} ${v}`).join(', ');
  const row = (name: string, f: RateFigures) => `| ${name} | ${f.rate} | ${f.achievedPerS} | ${f.ttft.p50.toFixed(1)} | ${f.ttft.p99.toFixed(1)} | ${f.ttlt.p99.toFixed(1)} | ${f.serverFirstTokenModelMs.p99.toFixed(1)} | ${(f.shares.failed * 100).toFixed(2)}${codes(f) ? ` (${codes(f)})` : ''} | ${(f.shares.unanswered * 100).toFixed(2)} |`;
  console.log('\n| chat load | rate/s | achieved/s | ttft p50 ms | ttft p99 ms | end p99 ms | svc firstTokenMs p99 (model) | failed % | unanswered % |\n|---|---|---|---|---|---|---|---|---|');
  console.log(row(`with ${held} idle chats held`, during));
  console.log(row('alone (after closing them)', alone));
} finally {
  for (const s of sockets) s.terminate();
  await service.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
