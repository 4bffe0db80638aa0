import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createApp, type App } from '../../src/app.ts';

/** A real MangaAssist server on 127.0.0.1 with a temporary DATA_DIR, for end-to-end tests. */
export interface TestServer {
  url: string;
  wsUrl: string;
  app: App;
  dataDir: string;
  close(): Promise<void>;
}

/** Starts the real service (embedded defaults) on a free port; `overrides` are config variables. */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = overrides.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'manga-assist-test-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', WS_PING_INTERVAL_MS: '0', ...overrides, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
  const app = await createApp(config);
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    app,
    dataDir,
    async close() {
      await app.close();
      if (!overrides.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
