import cluster from 'node:cluster';
import { enableCompileCache } from 'node:module';
import { join, resolve } from 'node:path';
import { loadConfig } from './config.ts';

// The rest of the service is imported after the compile cache is on: stripping the types of ~300
// modules and compiling them was a quarter of a restart's CPU (BENCHMARKS.md, "Step 9: cold
// start, after"). Node keys each entry by the module's source, so an edited file is compiled
// afresh; a cache that cannot be written (read-only DATA_DIR) only costs the time it would save.
// `npm start` runs src/start.js, which turns it on before this file and config.ts are loaded
// (then this call finds it on already).
const config = loadConfig();
enableCompileCache(join(resolve(config.DATA_DIR), 'compile-cache'));
const { createApp, prepareStores } = await import('./app.ts');
const { connectClusterBus, createClusterHub } = await import('./messaging/cluster-bus.ts');
const { scrapeService, METRICS_CONTENT_TYPE } = await import('./observability/service-metrics.ts');
const { startMetricsServer } = await import('./http/metrics.ts');

// Entry point of `npm start`: configuration from the environment, then the composition root.
// With WORKERS > 1 the primary prepares the stores once and forks workers that share the port
// (node:cluster hands connections round-robin), so one machine's cores all serve chats. The
// primary is the hub of the workers' message bus (admin writes reach every worker, a scrape
// adds up every worker's metrics) and, with METRICS_PORT, serves that sum to Prometheus. With
// BUS_BACKEND=redis each worker also joins the fleet's bus itself (composition/messaging.ts).
const started = performance.now();
// After the drain the stores close; should that hang (a store that never answers), the process
// still ends this long after the drain's deadline.
const CLOSE_GRACE_MS = 5000;

if (config.WORKERS > 1 && cluster.isPrimary) {
  await prepareStores(config);
  // Before forking, so no worker's hello is missed.
  const hub = createClusterHub({ timeoutMs: config.BUS_TIMEOUT_MS, onError: (err) => console.error(`message bus: ${(err as Error).message}`) });
  const metricsServer = config.METRICS_PORT === undefined
    ? undefined
    : await startMetricsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, scrape: () => scrapeService(hub), contentType: METRICS_CONTENT_TYPE, onError: (err) => console.error(`metrics scrape failed: ${(err as Error).message}`) });
  if (metricsServer) console.log(`MangaAssist metrics at ${metricsServer.url} (primary pid ${process.pid}: every worker added up)`);
  let stopping = false;
  for (let i = 0; i < config.WORKERS; i++) cluster.fork();
  const workers = () => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      // The hub and the metrics listener serve the draining workers until the last one is gone;
      // the primary then exits: nothing of its own keeps it running.
      if (workers().length === 0) {
        void metricsServer?.close();
        void hub.close();
      }
      return;
    }
    // A crashed worker is replaced so capacity comes back; its open chats reconnect to a sibling.
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting a new one`);
    cluster.fork();
  });
  // Every worker drains itself (each fails /readyz, finishes its replies, closes its chats with
  // 1012). A terminal's Ctrl-C reaches the workers too: a worker takes a repeated signal as the
  // same drain, so only the primary's second signal cuts it short, by killing the workers.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        console.error(`${signal} again: stopping the workers now`);
        for (const w of workers()) w.process.kill('SIGKILL');
        return;
      }
      stopping = true;
      for (const w of workers()) w.process.kill(signal);
      setTimeout(() => {
        console.error(`workers still running ${config.DRAIN_TIMEOUT_MS + CLOSE_GRACE_MS} ms after ${signal}: killed`);
        for (const w of workers()) w.process.kill('SIGKILL');
        process.exit(1);
      }, config.DRAIN_TIMEOUT_MS + CLOSE_GRACE_MS).unref();
    });
  }
} else {
  const workerBus = cluster.isWorker ? await connectClusterBus({ timeoutMs: config.BUS_TIMEOUT_MS }) : undefined;
  const app = await createApp(config, { workerBus });
  const address = await app.server.listen({ port: config.PORT, host: config.HOST });
  const port = (app.server.server.address() as { port: number }).port;
  const readyInMs = Math.round(performance.now() - started);
  app.server.log.info({ address, port, readyInMs, pid: process.pid }, 'listening');
  // The chosen port is printed plainly too: outside checks start with PORT=0 and read it.
  console.log(`MangaAssist listening on http://${config.HOST}:${port} (ready in ${readyInMs} ms, pid ${process.pid})`);
  if (app.metricsUrl) console.log(`MangaAssist metrics at ${app.metricsUrl}`);

  // Graceful drain (SIGTERM: a deploy or a scale-in; SIGINT: Ctrl-C): /readyz fails at once so
  // the load balancer sends new chats elsewhere, new chats here are refused, the replies in flight
  // finish (DRAIN_TIMEOUT_MS at most), each WebSocket closes with 1012 as its replies end, then
  // the stores close and the process exits. A second signal cuts the drain short (not in a
  // worker: a terminal's Ctrl-C reaches it besides the primary's relay).
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) {
        if (cluster.isWorker) return;
        app.server.log.warn({ signal, open: app.drain.size() }, 'second signal: cutting the drain short');
        app.drain.hurry();
        return;
      }
      closing = true;
      app.server.log.info({ signal, open: app.drain.size(), timeoutMs: config.DRAIN_TIMEOUT_MS }, 'draining');
      setTimeout(() => {
        app.server.log.error({ signal }, `still running ${config.DRAIN_TIMEOUT_MS + CLOSE_GRACE_MS} ms after the signal: exiting`);
        process.exit(1);
      }, config.DRAIN_TIMEOUT_MS + CLOSE_GRACE_MS).unref();
      app.drain
        .start(config.DRAIN_TIMEOUT_MS)
        .then((result) => {
          app.server.log.info(result, 'drained; shutting down');
          return app.close();
        })
        .then(
          () => process.exit(0),
          (err) => {
            app.server.log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
    });
  }
}
