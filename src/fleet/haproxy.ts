// The fleet's load balancer: HAProxy (Debian's `haproxy` package) in front of the nodes, as the
// design's ALB is in front of the orchestrator tasks. Sticky sessions by cookie, WebSockets
// tunnelled, health checks on /readyz that take a draining or dead node out within a second, and
// retries that send a refused or failed connection to another node.
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { spawnChild, waitUntil, type Child } from './processes.ts';

/** One backend server of the load balancer. */
export interface Backend {
  /** Server name: also its sticky cookie value and the X-Served-By header. */
  name: string;
  port: number;
}

/** What the HAProxy configuration is made of. */
export interface HaproxySettings {
  /** Port of the chat frontend on 127.0.0.1. */
  port: number;
  /** Port of the statistics page on 127.0.0.1. */
  statsPort: number;
  /** Runtime API socket (server states for tests and the fleet command). */
  socket: string;
  backends: Backend[];
  /** Health check period; a node is out after 2 failed checks and back after 2 good ones. @default 500 */
  checkIntervalMs?: number;
}

/** Name of the sticky-session cookie the load balancer sets (its value is the server's name). */
export const STICKY_COOKIE = 'MANGA_NODE';

/** The HAProxy configuration of the fleet; every choice is explained beside it. */
export function haproxyConfig(s: HaproxySettings): string {
  const inter = s.checkIntervalMs ?? 500;
  return `# Written by src/fleet/haproxy.ts for one run of the local fleet.
global
    log stdout format raw local0 info
    stats socket ${s.socket} mode 600 level admin
    # A developer's foreground process: no daemon, chroot or user switch.

defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 2s
    timeout http-request 10s
    timeout client 60s
    timeout server 60s
    # An open chat is a tunnel after the upgrade; the service pings it (WS_PING_INTERVAL_MS).
    timeout tunnel 1h
    timeout client-fin 5s
    timeout server-fin 5s
    # A connection refused (a killed node), a node that closed without answering, or a 503
    # (a draining node refusing a new chat before its health check failed) is tried again, each
    # time on another node. Chat messages carry their id, so a retried one is answered once.
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response 503

frontend chat
    bind 127.0.0.1:${s.port}
    # The nodes run with TRUST_PROXY=1: the last X-Forwarded-For entry is the client.
    option forwardfor
    default_backend nodes

backend nodes
    # Chats are long-lived: the node with the fewest open connections takes a new one.
    balance leastconn
    # Sticky sessions, as the design's ALB: a reconnecting browser returns to its node while it
    # is up; when it is down the cookie is ignored and another node takes it (then sticks).
    cookie ${STICKY_COOKIE} insert indirect nocache httponly
    option httpchk
    http-check send meth GET uri /readyz
    http-check expect status 200
    # /readyz answers 503 the moment a node starts draining: out after 2 checks (~${2 * inter} ms).
    # Open tunnels stay: the draining node finishes their replies and closes them itself (1012).
    default-server check inter ${inter} fastinter ${Math.max(100, Math.round(inter / 2))} downinter ${inter} fall 2 rise 2
    http-response set-header X-Served-By %[srv_name]
${s.backends.map((b) => `    server ${b.name} 127.0.0.1:${b.port} cookie ${b.name}`).join('\n')}

listen stats
    bind 127.0.0.1:${s.statsPort}
    stats enable
    stats uri /
    stats refresh 2s
`;
}

/** The running load balancer. */
export interface Haproxy {
  child: Child;
  configFile: string;
  /** Server states as HAProxy sees them: name → UP, DOWN, MAINT, "UP 1/2" (rising)... */
  states(): Promise<Record<string, string>>;
}

/** Writes the configuration into `dir` and starts `haproxy` in the foreground; resolves once its frontend accepts connections. */
export async function startHaproxy(s: HaproxySettings, opts: { dir: string; binary?: string }): Promise<Haproxy> {
  const configFile = join(opts.dir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig(s));
  const child = spawnChild('haproxy', opts.binary ?? 'haproxy', ['-f', configFile, '-db'], { logFile: join(opts.dir, 'haproxy.log') });
  const haproxy: Haproxy = { child, configFile, states: () => serverStates(s.socket) };
  await waitUntil('haproxy', async () => Object.keys(await haproxy.states()).length === s.backends.length, { child, timeoutMs: 10_000 });
  return haproxy;
}

/** `show stat` over the runtime API: the status of every server of the `nodes` backend. */
export async function serverStates(socket: string): Promise<Record<string, string>> {
  const csv = await runtimeCommand(socket, 'show stat');
  const lines = csv.split('\n').filter(Boolean);
  const header = lines[0]?.replace(/^# /, '').split(',') ?? [];
  const px = header.indexOf('pxname');
  const sv = header.indexOf('svname');
  const status = header.indexOf('status');
  const out: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    if (f[px] === 'nodes' && f[sv] !== 'BACKEND' && f[sv] !== 'FRONTEND') out[f[sv]] = f[status];
  }
  return out;
}

/** One command on HAProxy's runtime API socket; resolves with its whole answer. */
function runtimeCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let out = '';
    conn.setTimeout(2000, () => conn.destroy(new Error('haproxy runtime API: no answer')));
    conn.on('connect', () => conn.write(`${command}\n`));
    conn.on('data', (d) => {
      out += d;
    });
    conn.on('error', reject);
    conn.on('close', () => resolve(out));
  });
}
