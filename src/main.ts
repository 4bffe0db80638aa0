import cluster from 'node:cluster';
import { loadConfig } from './config.ts';
import { createApp, prepareStores } from './app.ts';

// Entry point of `npm start`: configuration from the environment, then the composition root.
// With WORKERS > 1 the primary prepares the stores once and forks workers that share the port
// (node:cluster hands connections round-robin), so one machine's cores all serve chats.
const started = performance.now();
const config = loadConfig();

if (config.WORKERS > 1 && cluster.isPrimary) {
  await prepareStores(config);
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
    });
  }
} else {
  const app = await createApp(config);
  const address = await app.server.listen({ port: config.PORT, host: config.HOST });
  const port = (app.server.server.address() as { port: number }).port;
  const readyInMs = Math.round(performance.now() - started);
  app.server.log.info({ address, port, readyInMs, pid: process.pid }, 'listening');
  // The chosen port is printed plainly too: outside checks start with PORT=0 and read it.
  console.log(`MangaAssist listening on http://${config.HOST}:${port} (ready in ${readyInMs} ms, pid ${process.pid})`);

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
