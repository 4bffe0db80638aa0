import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ChatError } from '../errors.ts';
import { bearerGuard } from './bearer.ts';

// node:http through require, not an ESM import: Node's ESM facade of a builtin reads every export,
// and node:http's lazy ones load its bundled undici (fetch, WebSocket) with http2 and tls: ~40 ms
// of CPU at every start for a module this service does not otherwise load (issue 16: cold start).
const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

/** Where a scrape's text comes from: this process's registry, or the whole service's. */
export interface MetricsSource {
  scrape(): Promise<string>;
  contentType: string;
}

/**
 * GET /metrics on the chat port, behind its own bearer credential (METRICS_TOKEN): the chat port
 * faces the internet, and metrics tell an attacker what hurts the service. A scrape that cannot
 * be completed (a worker did not answer) is `unavailable`, never a partial answer.
 */
export function registerMetricsRoute(app: FastifyInstance, opts: MetricsSource & { token: string }): void {
  const guard = bearerGuard(opts.token, 'Metrics');
  app.get('/metrics', { onRequest: guard }, async (req, reply) => {
    let text: string;
    try {
      text = await opts.scrape();
    } catch (err) {
      req.log.warn({ err }, 'metrics scrape failed');
      throw new ChatError('unavailable', 'The metrics could not be collected from every process; try again.');
    }
    reply.header('content-type', opts.contentType);
    return text;
  });
}

/** The metrics listener: its URL and how to stop it. */
export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A listener of its own for Prometheus (METRICS_PORT on METRICS_HOST): GET /metrics without a
 * credential, nothing else. It belongs on an internal interface only; in a cluster the primary
 * runs it and serves the aggregate of every worker.
 */
export async function startMetricsServer(opts: MetricsSource & { host: string; port: number; onError?: (err: unknown) => void }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const json = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ code, message }));
    };
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return json(404, 'not_found', `No route ${req.method} ${path.slice(0, 100)}.`);
    opts.scrape().then(
      (text) => {
        res.writeHead(200, { 'content-type': opts.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err) => {
        opts.onError?.(err);
        json(503, 'unavailable', 'The metrics could not be collected from every process; try again.');
      },
    );
  });
  // A scraper sends one small request; anything slower is not Prometheus.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
