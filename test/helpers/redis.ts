import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** A real redis-server on 127.0.0.1, owned by one test file. */
export interface TestRedis {
  port: number;
  url: string;
  /** Stops the server; its data is gone (nothing is persisted). */
  stop(): Promise<void>;
  /** Starts a fresh, empty server on the same port after `stop()` (a Redis restart). */
  restart(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

/** Spawns `redis-server` on a free port, without persistence, and waits until it answers PING. */
export async function startRedis(): Promise<TestRedis> {
  // The port is free when probed but another process may take it before redis binds: retry.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      let child = await spawnRedis(port);
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        async stop() {
          await kill(child);
        },
        async restart() {
          await kill(child);
          child = await spawnRedis(port);
        },
      };
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function spawnRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  // A crashed test process must not leave servers behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not start:\n${output}`);
    }
    await sleep(20);
  }
  return child;
}

/** A raw RESP PING, so the harness does not depend on the client under test. */
async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
