// The fleet's child processes: spawned with their output in a log file each, watched until they
// exit, and killed with the fleet's own process when it dies, so no run leaves servers behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a child process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process of the fleet. */
export interface Child {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  running(): boolean;
  /** Sends a signal (nothing if it has exited). */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<Exit>;
}

const living = new Set<ChildProcess>();
let reaperInstalled = false;

/**
 * Spawns `command` with stdout and stderr appended to `logFile`. Each child gets its own process
 * group (a terminal's Ctrl-C reaches the fleet alone, which then stops the children in order)
 * and is SIGKILLed when this process exits.
 */
export function spawnChild(name: string, command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; logFile: string; cwd?: string }): Child {
  if (!reaperInstalled) {
    reaperInstalled = true;
    process.once('exit', () => {
      for (const c of living) c.kill('SIGKILL');
    });
  }
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(command, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  living.add(child);
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', (err) => {
      living.delete(child);
      appendFileSync(opts.logFile, `${command} could not be started: ${err.message}\n`);
      reject(new Error(`${name}: ${command} could not be started: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      living.delete(child);
      resolve({ code, signal });
    });
  });
  // A child that could not start rejects `exited`; callers that never await it must not crash.
  exited.catch(() => undefined);
  const running = () => child.exitCode === null && child.signalCode === null && living.has(child);
  return {
    name,
    pid: child.pid ?? -1,
    logFile: opts.logFile,
    exited,
    running,
    signal(signal) {
      if (running()) child.kill(signal);
    },
    async stop(graceMs = 10_000) {
      if (!running()) return exited;
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(forced);
      }
    },
  };
}

/** A port free on 127.0.0.1 right now (another process may still take it before it is bound). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls `check` every `everyMs` until it is true; fails with the child's last log lines if it exits first or `timeoutMs` passes. */
export async function waitUntil(what: string, check: () => Promise<boolean>, opts: { child?: Child; timeoutMs?: number; everyMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (await check().catch(() => false)) return;
    if (opts.child && !opts.child.running()) throw new Error(`${what}: ${opts.child.name} exited\n${tail(opts.child.logFile)}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${opts.timeoutMs ?? 60_000} ms${opts.child ? `\n${tail(opts.child.logFile)}` : ''}`);
    await sleep(opts.everyMs ?? 50);
  }
}

/** The last lines of a log file (for errors). */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
