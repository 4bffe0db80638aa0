import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP proxy in front of a server that holds back some client→server chunks. */
export interface SlowProxy {
  port: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** Applies to chunks that reach the head of their connection's queue from now on. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export interface SlowProxyOptions {
  target: { host: string; port: number };
  delayMs: number;
  /** Which client→server chunks are delayed. @default isRedisWrite */
  isSlow?: (chunk: Buffer) => boolean;
}

// A RESP command name is a bulk string: `$3\r\nSET\r\n`. A chunk split mid-command, or a value
// containing such a line, is misjudged; good enough for tests that control what they send.
const WRITE_COMMAND = /\r\n(?:SET|SADD|EVALSHA|EVAL|UNLINK|DEL|PEXPIRE|HSET|PUBLISH)\r\n/i;

/** Whether a chunk of RESP carries a Redis write command. */
export function isRedisWrite(chunk: Buffer): boolean {
  return WRITE_COMMAND.test(chunk.toString('latin1'));
}

/**
 * Forwards both directions. A delayed chunk also holds back every later chunk of its connection,
 * as a slow server would (replies come in request order): what it simulates is one connection
 * stuck behind a slow write, not a reordering network.
 */
export async function startSlowProxy(opts: SlowProxyOptions): Promise<SlowProxy> {
  let delayMs = opts.delayMs;
  const isSlow = opts.isSlow ?? isRedisWrite;
  const sockets = new Set<Socket>();
  // Cancels pending delays on close, so no timer keeps the test process alive.
  const closing = new AbortController();

  const server = createServer((client) => {
    const upstream = connect(opts.target.port, opts.target.host);
    sockets.add(client);
    sockets.add(upstream);
    let queue = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      queue = queue
        .then(async () => {
          if (isSlow(chunk) && delayMs > 0) await sleep(delayMs, undefined, { signal: closing.signal });
          if (!upstream.destroyed) upstream.write(chunk);
        })
        .catch(() => {});
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!client.destroyed) client.write(chunk);
    });
    const teardown = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', teardown);
    upstream.on('close', teardown);
    // A reset peer is an ordinary end of a proxied connection here.
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      closing.abort();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
