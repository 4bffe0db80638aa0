// `npm run fleet -- --nodes 3`: the local fleet in the foreground (README "A local fleet").
// Lines typed while it runs: `kill N`, `drain N`, `start N`, `status`, `stop`. From another
// terminal: `npm run fleet -- --kill N` / `--drain N` / `--status` act on the running fleet.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startFleet, type Fleet } from './fleet.ts';

export const USAGE = `Usage: npm run fleet -- [--nodes N] [--port P] [--dir DIR] [--data-dir DIR] [--haproxy PATH]
       npm run fleet -- [--dir DIR] --kill N | --drain N | --status

Starts redis-server, dynalite, N service nodes (STORE_BACKEND=dynamodb, BUS/CACHE/RATE_LIMIT
backends on Redis, one set of shared secrets) and HAProxy with sticky WebSocket sessions, all on
127.0.0.1, prints the load balancer's address and runs until Ctrl-C (which drains the nodes).

  --nodes N      service nodes (default 3)
  --port P       load balancer port (default: a free one)
  --dir DIR      logs, haproxy.cfg, fleet.json (pids, secrets) (default var/fleet)
  --data-dir DIR DATA_DIR every node shares: catalog and orders, seeded once (default DIR/data;
                 import a catalog into it first with DATA_DIR=DIR/data npm run import -- ...)
  --haproxy PATH the haproxy binary (default: haproxy on PATH)
  --kill N       SIGKILL node N of the fleet running from DIR
  --drain N      SIGTERM node N of the fleet running from DIR (it drains, then exits)
  --status       where everything runs, and what HAProxy thinks of each node

Every node inherits this shell's environment (e.g. LLM_PROVIDER=sim npm run fleet).
While it runs, type: kill N | drain N | start N | status | stop`;

interface StateFile {
  url: string;
  statsUrl: string;
  haproxy: { pid: number };
  nodes: { name: string; url: string; pid?: number; log?: string }[];
}

/** Runs the command line; resolves with the exit code once the fleet (or the one-shot command) is done. */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        nodes: { type: 'string', default: '3' },
        port: { type: 'string', default: '0' },
        dir: { type: 'string', default: 'var/fleet' },
        'data-dir': { type: 'string' },
        haproxy: { type: 'string' },
        kill: { type: 'string' },
        drain: { type: 'string' },
        status: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`fleet: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const dir = resolve(args.dir);
  if (args.kill || args.drain || args.status) return remote(dir, args);

  const nodes = Number(args.nodes);
  const port = Number(args.port);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16 || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`fleet: --nodes must be 1-16 and --port a port number\n\n${USAGE}\n`);
    return 2;
  }
  const running = readState(dir);
  if (running && alive(running.haproxy.pid)) {
    process.stderr.write(`fleet: a fleet is already running from ${dir} (haproxy pid ${running.haproxy.pid}, ${running.url}); stop it or use another --dir\n`);
    return 1;
  }

  const say = (line: string) => process.stdout.write(`[fleet] ${line}\n`);
  say(`starting ${nodes} node${nodes > 1 ? 's' : ''} (logs in ${join(dir, 'logs')})`);
  // Ctrl-C while starting: the 'exit' handler SIGKILLs what has started.
  const early = () => process.exit(130);
  process.once('SIGINT', early);
  const fleet = await startFleet({ nodes, port, dir, dataDir: args['data-dir'], haproxy: args.haproxy, log: say });
  printStatus(fleet, say);
  say(`chat: ${fleet.url}/   ops: ${fleet.url}/ops (OPS_TOKEN in ${join(dir, 'fleet.json')})`);
  say('type kill N | drain N | start N | status | stop; Ctrl-C drains every node and stops');

  let stopping = false;
  let stopped!: () => void;
  const done = new Promise<void>((r) => {
    stopped = r;
  });
  const stop = () => {
    if (stopping) {
      say('stopping now');
      // The 'exit' handler SIGKILLs every child still running.
      process.exit(1);
    }
    stopping = true;
    say('draining the nodes, then stopping haproxy, redis-server and dynalite (Ctrl-C again to kill)');
    void fleet.stop().then(stopped);
  };
  process.off('SIGINT', early);
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    void command(fleet, line.trim(), say, stop).catch((err: Error) => say(err.message));
  });
  await done;
  input.close();
  say('stopped');
  return 0;
}

async function command(fleet: Fleet, line: string, say: (l: string) => void, stop: () => unknown): Promise<void> {
  const [verb, which] = line.split(/\s+/);
  const n = Number(which);
  switch (verb) {
    case '':
      return;
    case 'status':
      printStatus(fleet, say);
      say(`haproxy: ${JSON.stringify(await fleet.haproxy.states())}`);
      return;
    case 'kill':
      say(`SIGKILL ${fleet.node(n).name} (pid ${fleet.node(n).process?.pid})`);
      await fleet.kill(n);
      return;
    case 'drain': {
      const t0 = performance.now();
      say(`SIGTERM ${fleet.node(n).name} (pid ${fleet.node(n).process?.pid}): draining`);
      const exit = await fleet.drain(n);
      say(`${fleet.node(n).name} drained and exited (${exit.signal ?? `code ${exit.code}`}) in ${Math.round(performance.now() - t0)} ms`);
      return;
    }
    case 'start':
      say(`starting ${fleet.node(n).name}`);
      await fleet.start(n);
      say(`${fleet.node(n).name} pid ${fleet.node(n).process?.pid} is back behind the load balancer`);
      return;
    case 'stop':
    case 'quit':
      stop();
      return;
    default:
      say(`unknown command "${line}": kill N | drain N | start N | status | stop`);
  }
}

function printStatus(fleet: Fleet, say: (l: string) => void): void {
  say(`load balancer: ${fleet.url}  (HAProxy pid ${fleet.haproxy.child.pid}, statistics ${fleet.statsUrl})`);
  for (const n of fleet.nodes) say(`  ${n.name}: ${n.url}  ${n.process?.running() ? `pid ${n.process.pid}` : 'stopped'}`);
  say(`redis: ${fleet.redisUrl}   dynamodb (dynalite): ${fleet.dynamoEndpoint}   DATA_DIR: ${fleet.dataDir}`);
}

/** --kill / --drain / --status from another terminal: reads the running fleet's fleet.json. */
async function remote(dir: string, args: { kill?: string; drain?: string; status?: boolean }): Promise<number> {
  const state = readState(dir);
  if (!state || !alive(state.haproxy.pid)) {
    process.stderr.write(`fleet: no fleet is running from ${dir}\n`);
    return 1;
  }
  if (args.status) {
    process.stdout.write(`${state.url} (haproxy pid ${state.haproxy.pid}, statistics ${state.statsUrl})\n`);
    for (const n of state.nodes) process.stdout.write(`  ${n.name}: ${n.url}  ${n.pid && alive(n.pid) ? `pid ${n.pid}` : 'stopped'}\n`);
    return 0;
  }
  const which = Number(args.kill ?? args.drain);
  const node = state.nodes[which - 1];
  if (!node?.pid || !alive(node.pid)) {
    process.stderr.write(`fleet: node ${args.kill ?? args.drain} is not running\n`);
    return 1;
  }
  process.kill(node.pid, args.kill ? 'SIGKILL' : 'SIGTERM');
  process.stdout.write(`${args.kill ? 'SIGKILL' : 'SIGTERM'} ${node.name} (pid ${node.pid})${args.drain ? ': it drains, then exits' : ''}; "start ${which}" in the fleet's terminal brings it back\n`);
  return 0;
}

function readState(dir: string): StateFile | undefined {
  const file = join(dir, 'fleet.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StateFile;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`fleet: ${err.message}\n`);
      process.exit(1);
    },
  );
}
