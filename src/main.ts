import { loadConfig } from './config.ts';
import { createApp } from './app.ts';

// Entry point of `npm start`: configuration from the environment, then the composition root.
const started = performance.now();
const config = loadConfig();
const app = await createApp(config);
const address = await app.server.listen({ port: config.PORT, host: config.HOST });
const port = (app.server.server.address() as { port: number }).port;
app.server.log.info({ address, port, readyInMs: Math.round(performance.now() - started) }, 'listening');
// The chosen port is printed plainly too: outside checks start with PORT=0 and read it.
console.log(`MangaAssist listening on http://${config.HOST}:${port} (ready in ${Math.round(performance.now() - started)} ms)`);

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
