// The service as a child process for drills: `node src/main.ts` with the given settings, its
// stdout/stderr in a log file, ready once /readyz answers 200.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** Bearer credential of GET /metrics of the services the drills start (the chat port's /metrics is never open). */
export const METRICS_TOKEN = 'bench-metrics-credential-0123456789';

/**
 * Admission limits raised so the figures measure the service's work, not its refusals: per
 * customer, per guest session and per address (the generator's chats all come from 127.0.0.1
 * and share the six demo accounts), and the global LLM bucket. Shared by the throughput and fleet benches.
 */
export const RAISED_LIMITS: Record<string, string> = {
  RATE_CUSTOMER_PER_MIN: '1000000000',
  RATE_CUSTOMER_BURST: '1000000000',
  RATE_GUEST_PER_MIN: '1000000000',
  RATE_GUEST_BURST: '1000000000',
  GUEST_SESSIONS_PER_ADDRESS_PER_MIN: '1000000000',
  GUEST_SESSIONS_PER_ADDRESS_BURST: '1000000000',
  LLM_RATE_PER_SEC: '1000000',
  LLM_BURST: '1000000',
};

/** GET /metrics of a drill's service with its credential; throws unless it answers 200. */
export async function fetchMetrics(url: string, timeoutMs = 10_000): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` }, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${text.slice(0, 200)}`);
  return text;
}

export interface RunningService {
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

/** Where and how the service runs: another checkout (`root`, e.g. a baseline worktree), extra node flags (`--cpu-prof`), working directory. */
export interface ServiceLaunch {
  root?: string;
  nodeArgs?: string[];
  cwd?: string;
  /**
   * Its own session (setsid). Linux's scheduler shares the CPU fairly between sessions
   * (autogroups) before processes: in the caller's session the service would split one share
   * with the load generator, while every other session on a shared machine gets a whole one.
   */
  ownSession?: boolean;
}

/** Starts the service with PORT=0 plus `env` and waits until it is ready. */
export async function startService(env: Record<string, string>, logFile: string, launch: ServiceLaunch = {}): Promise<RunningService> {
  const main = launch.root ? join(launch.root, 'src/main.ts') : fileURLToPath(new URL('../../src/main.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [...(launch.nodeArgs ?? []), main], { env: { ...process.env, PORT: '0', METRICS_TOKEN, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: launch.cwd, detached: launch.ownSession ?? false });
  const log = createWriteStream(logFile);
  child.stderr!.pipe(log);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      child.stdout!.off('data', onData);
      log.write(out);
      child.stdout!.pipe(log);
      resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`service exited (${code}) before listening; see ${logFile}: ${out.slice(-1500)}`)));
  });
  // A caller started with a raised priority (`nice -n -10 npm run bench:...`) means the service to
  // have it too. Its own session is its own autogroup, and between autogroups only the group's nice
  // counts, not the process's: without this, on a machine where ten other sessions are busy the
  // service got a tenth of the CPU (~25 % of a core, whatever its nice) and fell seconds behind
  // at 40 messages/s.
  const nice = getPriority();
  if (launch.ownSession && nice < 0) {
    try {
      writeFileSync(`/proc/${child.pid}/autogroup`, String(nice));
    } catch {
      // Not Linux, or autogroups off: the process's nice is all there is.
    }
  }
  for (;;) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.status === 200) break;
    await sleep(50);
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      // Already gone (exited, or killed by a signal: then exitCode stays null and signalCode is set).
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
