import cluster from 'node:cluster';
import { loadConfig } from './config.ts';
import { createApp, prepareStores } from './app.ts';
import { connectClusterBus, createClusterHub } from './messaging/cluster-bus.ts';
import { scrapeService, METRICS_CONTENT_TYPE } from './observability/service-metrics.ts';
import { startMetricsServer } from './http/metrics.ts';

// Entry point of `npm start`: configuration from the environment, then the composition root.
// With WORKERS > 1 the primary prepares the stores once and forks workers that share the port
// (node:cluster hands connections round-robin), so one machine's cores all serve chats. The
// primary is the hub of the workers' message bus (admin writes reach every worker, a scrape
// adds up every worker's metrics) and, with METRICS_PORT, serves that sum to Prometheus. With
// BUS_BACKEND=redis each worker also joins the fleet's bus itself (composition/messaging.ts).
const started = performance.now();
const config = loadConfig();

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
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    // A crashed worker is replaced so capacity comes back; its open chats reconnect to a sibling.
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting a new one`);
    cluster.fork();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
      // The primary then exits with its last worker: nothing of its own keeps it running.
      void metricsServer?.close();
      void hub.close();
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

  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      app.server.log.info({ signal }, 'shutting down');
      app.close().then(
        () => process.exit(0),
        (err) => {
          app.server.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
