import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { UNLIMITED } from './server.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** `node src/main.ts` with WORKERS > 1, as operators run it: a primary and its workers on one port. */
export interface ClusterService {
  /** The chat port every worker shares. */
  url: string;
  /** The primary's METRICS_PORT listener, when METRICS_PORT is set. */
  metricsUrl?: string;
  dataDir: string;
  /** Pid of the primary. */
  pid: number;
  /** Everything the processes printed so far (for failure messages). */
  output(): string;
  /** SIGTERM to the primary; resolves with its exit code or signal once it has exited. */
  stop(): Promise<number | string>;
}

/**
 * Starts the service with `WORKERS` workers (default 2) on PORT=0 and a fresh DATA_DIR, rate
 * limits and brownout out of the way as in startTestServer; ready once every worker listens and
 * /readyz answers.
 */
export async function startClusterService(env: Record<string, string> = {}): Promise<ClusterService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'manga-cluster-'));
  const workers = Number(env.WORKERS ?? 2);
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKERS: String(workers), ...UNLIMITED, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const deadline = Date.now() + 60_000;
  const metricsWanted = env.METRICS_PORT !== undefined;
  try {
    while ((out.match(/listening on/g) ?? []).length < workers || (metricsWanted && !/metrics at /.test(out))) {
      if (Date.now() > deadline) throw new Error(`the service did not start: ${out.slice(-3000)}`);
      if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}): ${out.slice(-3000)}`);
      await sleep(50);
    }
    const url = /listening on (http:\/\/[\d.:]+)/.exec(out)![1];
    for (;;) {
      const res = await fetch(`${url}/readyz`, { headers: { connection: 'close' } }).catch(() => undefined);
      if (res?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`the service did not become ready: ${out.slice(-3000)}`);
      await sleep(50);
    }
    return {
      url,
      metricsUrl: /metrics at (http:\/\/\S+\/metrics)/.exec(out)?.[1],
      dataDir,
      pid: child.pid!,
      output: () => out,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        // A drain may take DRAIN_TIMEOUT_MS by design (replies in flight finish): force only past it.
        // (A fixed 15 s cut a 30 s drain short at load 20, and the test saw SIGKILL, not exit 0.)
        const forced = setTimeout(() => child.kill('SIGKILL'), Number(env.DRAIN_TIMEOUT_MS ?? 20_000) + 15_000);
        const code = await exited;
        clearTimeout(forced);
        rmSync(dataDir, { recursive: true, force: true });
        return code;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * fetch on a connection of its own: node:cluster hands each new connection to the next worker,
 * so a run of these reaches every worker (a kept-alive connection would stay on one). Bounded in
 * time: a connection the primary hands to a worker that was just killed is never answered.
 */
export function fetchFresh(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(30_000), ...init, headers: { ...(init.headers as Record<string, string> | undefined), connection: 'close' } });
}
