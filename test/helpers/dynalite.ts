import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDynamoClient, openTable, type DynamoClient, type DynamoTable, type TableOptions, type TableSpec } from '../../src/store/dynamodb.ts';

/** A real dynalite (DynamoDB's API over an in-memory LevelDB) on 127.0.0.1, owned by one test file. */
export interface TestDynamo {
  port: number;
  endpoint: string;
  /** A client of this engine (closed by stop()). */
  client: DynamoClient;
  /** A table of its own for one test (created on first use by the adapter, like the service's DYNAMODB_CREATE_TABLES). */
  table(spec: TableSpec, opts?: TableOptions & { name?: string }): DynamoTable;
  /** Stops the engine; its data is gone. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const CLI = createRequire(import.meta.url).resolve('dynalite/cli.js');
let tables = 0;

/** Spawns dynalite on a free port (tables become active at once) and waits until it answers. */
export async function startDynalite(): Promise<TestDynamo> {
  // The port is free when probed but another process may take it before dynalite binds: retry.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const child = await spawnDynalite(port);
      const endpoint = `http://127.0.0.1:${port}`;
      const client = createDynamoClient({ region: 'local', endpoint });
      return {
        port,
        endpoint,
        client,
        table: (spec, opts = {}) => openTable(client, opts.name ?? `test-${process.pid}-${++tables}`, spec, { create: true, ...opts }),
        async stop() {
          client.destroy();
          await kill(child);
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

async function spawnDynalite(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, '--port', String(port), '--host', '127.0.0.1', '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  // A crashed test process must not leave engines behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  // dynalite prints its address once the server listens.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!output.includes('listening at')) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dynalite on port ${port} did not start:\n${output}`);
    }
    await sleep(20);
  }
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
