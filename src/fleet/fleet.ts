// A local fleet on one machine, as the design runs it in AWS: N stateless service nodes behind a
// load balancer with sticky WebSocket sessions (HAProxy for the ALB), conversations, owners,
// tickets and message-id claims in DynamoDB (dynalite), caches, rate limits and the message bus
// in Redis (redis-server for ElastiCache). `npm run fleet` and the fleet tests both start it here.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.ts';
import { prepareStores } from '../app.ts';
import { openDatabase } from '../store/sqlite.ts';
import { createSqliteCatalog } from '../catalog/sqlite-catalog.ts';
import { createDynamoClient, ensureTable } from '../store/dynamodb.ts';
import { dynamoTableNames } from '../composition/stores.ts';
import { MEMORY_TABLE } from '../memory/dynamodb-memory.ts';
import { OWNERSHIP_TABLE } from '../sessions/dynamodb-ownership.ts';
import { CLAIMS_TABLE } from '../memory/dynamodb-claims.ts';
import { SHARES_TABLE } from '../sharing/dynamodb-shares.ts';
import { TICKETS_TABLE } from '../escalation/dynamodb-ticket-store.ts';
import { freePort, spawnChild, waitUntil, type Child, type Exit } from './processes.ts';
import { startHaproxy, STICKY_COOKIE, type Haproxy } from './haproxy.ts';

// As `npm start` runs it (start.js: the compile cache on before any TypeScript is loaded).
const MAIN = fileURLToPath(new URL('../start.js', import.meta.url));
const DYNALITE = createRequire(import.meta.url).resolve('dynalite/cli.js');

/** What to start. */
export interface FleetOptions {
  /** Service nodes behind the load balancer. */
  nodes: number;
  /** Port of the load balancer on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Logs, the HAProxy configuration, the state file. @default a new temporary folder */
  dir?: string;
  /** DATA_DIR every node shares (catalog and orders, seeded once before the nodes start). @default `<dir>/data` */
  dataDir?: string;
  /** More settings for every node (after the fleet's own, so they win). */
  env?: Record<string, string>;
  /** Environment the nodes inherit besides their settings. @default process.env */
  baseEnv?: NodeJS.ProcessEnv;
  /** HAProxy health check period in ms. @default 500 */
  checkIntervalMs?: number;
  /** The `haproxy` binary. @default haproxy (on PATH) */
  haproxy?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The credentials every node shares (a fleet needs one of each; see README). */
export interface FleetSecrets {
  SESSION_SECRET: string;
  AUTH_JWT_SECRET: string;
  ADMIN_TOKEN: string;
  OPS_TOKEN: string;
  METRICS_TOKEN: string;
}

/** One service node of the fleet. */
export interface FleetNode {
  /** `node1`...: its NODE_ID, its HAProxy server name and sticky cookie value. */
  name: string;
  port: number;
  /** Its own address, past the load balancer (tests, /readyz, the ops API of one node). */
  url: string;
  /** The running process, if any. */
  process?: Child;
}

/** A running fleet. */
export interface Fleet {
  /** The load balancer: what customers and the chat page use. */
  url: string;
  wsUrl: string;
  statsUrl: string;
  redisUrl: string;
  dynamoEndpoint: string;
  dir: string;
  dataDir: string;
  secrets: FleetSecrets;
  nodes: FleetNode[];
  haproxy: Haproxy;
  /** The node named `name` or numbered `n` (1-based). */
  node(which: string | number): FleetNode;
  /** SIGKILL: the node dies with its chats mid-reply. Resolves once it has exited. */
  kill(which: string | number): Promise<Exit>;
  /** SIGTERM: the node drains (replies in flight finish, chats close with 1012) and exits. Resolves once it has. */
  drain(which: string | number): Promise<Exit>;
  /** Starts a stopped node again on its port; resolves once it is ready and the load balancer sends it chats. */
  start(which: string | number): Promise<void>;
  /** Resolves once HAProxy reports node `name` in `state` (UP, DOWN). */
  waitForState(which: string | number, state: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  /** Drains every node, then stops HAProxy, Redis and dynalite. */
  stop(): Promise<void>;
}

/** Cookie header that pins a client to node `name` through the load balancer (while it is up). */
export function stickTo(name: string): string {
  return `${STICKY_COOKIE}=${name}`;
}

/** Starts Redis, dynalite, the shared data, N nodes and HAProxy, in that order; everything is stopped again if a step fails. */
export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1) throw new RangeError(`nodes must be a positive integer, not ${opts.nodes}`);
  const log = opts.log ?? (() => undefined);
  const dir = resolve(opts.dir ?? mkdtempSync(join(tmpdir(), 'manga-assist-fleet-')));
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const dataDir = resolve(opts.dataDir ?? join(dir, 'data'));
  const started: Child[] = [];
  const nodes: FleetNode[] = [];
  let haproxy: Haproxy | undefined;

  const stopAll = async () => {
    // Nodes first (they drain), then what they depend on.
    await Promise.all(nodes.map((n) => n.process?.stop(30_000)));
    await haproxy?.child.stop(5000);
    await Promise.all(started.map((c) => c.stop(5000)));
  };

  try {
    const [redisPort, dynamoPort, lbPort, statsPort] = await Promise.all([freePort(), freePort(), opts.port ? Promise.resolve(opts.port) : freePort(), freePort()]);
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;

    // Redis without persistence: caches, limits and the bus are rebuilt by a fresh fleet.
    const redis = spawnChild('redis', 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { logFile: join(logs, 'redis.log') });
    started.push(redis);
    const dynalite = spawnChild('dynalite', process.execPath, [DYNALITE, '--port', String(dynamoPort), '--host', '127.0.0.1', '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0'], { logFile: join(logs, 'dynalite.log') });
    started.push(dynalite);
    log(`redis-server pid ${redis.pid} at ${redisUrl}; dynalite pid ${dynalite.pid} at ${dynamoEndpoint}`);

    // The shared data, once, before any node: the catalog and orders seeded (and the catalog's
    // name index stored, so no node builds it), the DynamoDB tables created as infrastructure
    // code would create them in AWS (the nodes run with DYNAMODB_CREATE_TABLES=false).
    const seedConfig = loadConfig({ DATA_DIR: dataDir });
    await prepareStores(seedConfig);
    const catalogDb = openDatabase(join(dataDir, 'catalog.sqlite'));
    try {
      createSqliteCatalog(catalogDb).storeNameIndex();
    } finally {
      catalogDb.close();
    }
    await waitUntil('dynalite', async () => (await fetch(dynamoEndpoint, { method: 'POST' })).status > 0, { child: dynalite, timeoutMs: 15_000 });
    const client = createDynamoClient({ region: seedConfig.DYNAMODB_REGION, endpoint: dynamoEndpoint });
    try {
      const names = dynamoTableNames(seedConfig.DYNAMODB_TABLE_PREFIX);
      await Promise.all([
        ensureTable(client.raw, names.memory, MEMORY_TABLE),
        ensureTable(client.raw, names.ownership, OWNERSHIP_TABLE),
        ensureTable(client.raw, names.tickets, TICKETS_TABLE),
        ensureTable(client.raw, names.claims, CLAIMS_TABLE),
        ensureTable(client.raw, names.shares, SHARES_TABLE),
      ]);
    } finally {
      client.destroy();
    }
    await waitUntil('redis-server', () => redisAnswers(redisPort), { child: redis, timeoutMs: 10_000 });
    log(`shared data in ${dataDir}; DynamoDB tables ready`);

    const secrets: FleetSecrets = {
      SESSION_SECRET: secret(),
      AUTH_JWT_SECRET: secret(),
      ADMIN_TOKEN: secret(),
      OPS_TOKEN: secret(),
      METRICS_TOKEN: secret(),
    };
    const url = `http://127.0.0.1:${lbPort}`;
    const ports = await Promise.all(Array.from({ length: opts.nodes }, () => freePort()));
    for (const [i, port] of ports.entries()) nodes.push({ name: `node${i + 1}`, port, url: `http://127.0.0.1:${port}` });

    const envOf = (node: FleetNode): NodeJS.ProcessEnv => ({
      ...(opts.baseEnv ?? process.env),
      PORT: String(node.port),
      HOST: '127.0.0.1',
      NODE_ID: node.name,
      DATA_DIR: dataDir,
      STORE_BACKEND: 'dynamodb',
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      DYNAMODB_CREATE_TABLES: 'false',
      BUS_BACKEND: 'redis',
      CACHE_BACKEND: 'redis',
      RATE_LIMIT_BACKEND: 'redis',
      RATE_LIMIT_NODES: String(opts.nodes),
      REDIS_URL: redisUrl,
      // One load balancer in front: its X-Forwarded-For entry is the client's address.
      TRUST_PROXY: '1',
      PUBLIC_URL: url,
      ...secrets,
      ...opts.env,
    });
    const startNode = async (node: FleetNode) => {
      const child = spawnChild(node.name, process.execPath, [MAIN], { env: envOf(node), logFile: join(logs, `${node.name}.log`) });
      node.process = child;
      void child.exited.then((exit) => log(`${node.name} (pid ${child.pid}) exited: ${exit.signal ?? `code ${exit.code}`}`));
      await waitUntil(`${node.name} ready`, async () => (await fetch(`${node.url}/readyz`)).status === 200, { child, timeoutMs: 120_000, everyMs: 100 });
      log(`${node.name} pid ${child.pid} ready at ${node.url}`);
    };
    await Promise.all(nodes.map(startNode));

    haproxy = await startHaproxy(
      { port: lbPort, statsPort, socket: join(dir, 'haproxy.sock'), backends: nodes.map((n) => ({ name: n.name, port: n.port })), checkIntervalMs: opts.checkIntervalMs },
      { dir, binary: opts.haproxy },
    );
    const lb = haproxy;
    const node = (which: string | number): FleetNode => {
      const found = typeof which === 'number' ? nodes[which - 1] : nodes.find((n) => n.name === which);
      if (!found) throw new RangeError(`no node ${which} (the fleet has node1..node${nodes.length})`);
      return found;
    };
    const waitForState: Fleet['waitForState'] = (which, state, timeoutMs = 15_000) => {
      const { name } = node(which);
      // "UP 1/2" is a node rising, "DOWN 1/2" one falling: only the settled state counts.
      return waitUntil(`${name} ${state} at the load balancer`, async () => (await lb.states())[name] === state, { timeoutMs, everyMs: 50 });
    };
    for (const n of nodes) await waitForState(n.name, 'UP');
    log(`haproxy pid ${lb.child.pid}: ${url} (statistics at http://127.0.0.1:${statsPort}/)`);

    const fleet: Fleet = {
      url,
      wsUrl: url.replace('http', 'ws'),
      statsUrl: `http://127.0.0.1:${statsPort}/`,
      redisUrl,
      dynamoEndpoint,
      dir,
      dataDir,
      secrets,
      nodes,
      haproxy: lb,
      node,
      async kill(which) {
        const n = node(which);
        if (!n.process?.running()) throw new Error(`${n.name} is not running`);
        n.process.signal('SIGKILL');
        const exit = await n.process.exited;
        writeState(fleet);
        return exit;
      },
      async drain(which) {
        const n = node(which);
        if (!n.process?.running()) throw new Error(`${n.name} is not running`);
        n.process.signal('SIGTERM');
        const exit = await n.process.exited;
        writeState(fleet);
        return exit;
      },
      async start(which) {
        const n = node(which);
        if (n.process?.running()) throw new Error(`${n.name} is already running (pid ${n.process.pid})`);
        await startNode(n);
        writeState(fleet);
        await waitForState(n.name, 'UP');
      },
      waitForState,
      stop: stopAll,
    };
    writeState(fleet);
    return fleet;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** `<dir>/fleet.json`: where each piece runs, so `npm run fleet -- --kill 2` in another terminal finds the node's pid. */
export function writeState(fleet: Fleet): void {
  const state = {
    url: fleet.url,
    statsUrl: fleet.statsUrl,
    redisUrl: fleet.redisUrl,
    dynamoEndpoint: fleet.dynamoEndpoint,
    dataDir: fleet.dataDir,
    haproxy: { pid: fleet.haproxy.child.pid, config: fleet.haproxy.configFile },
    nodes: fleet.nodes.map((n) => ({ name: n.name, url: n.url, pid: n.process?.running() ? n.process.pid : undefined, log: n.process?.logFile })),
  };
  // The credentials are in it: readable by this user only.
  writeFileSync(join(fleet.dir, 'fleet.json'), `${JSON.stringify({ ...state, secrets: fleet.secrets }, null, 2)}\n`, { mode: 0o600 });
}

function secret(): string {
  return randomBytes(24).toString('base64url');
}

/** A raw RESP PING, so start-up does not depend on a Redis client. */
async function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolvePing(reply.startsWith('+PONG')));
  });
}
