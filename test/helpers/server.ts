import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, configSchema } from '../../src/config.ts';
import { createApp, type App } from '../../src/app.ts';

/** A real MangaAssist server on 127.0.0.1 with a temporary DATA_DIR, for end-to-end tests. */
export interface TestServer {
  url: string;
  wsUrl: string;
  app: App;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Suites about other behaviour send dozens of messages from one address and session, and share
 * two busy cores with other suites: rate limits and brownout would refuse them for reasons that
 * are not under test. The admission suites set these variables themselves (including to their
 * defaults) and assert on them.
 */
const RATE_LIMITS = ['RATE_CUSTOMER_PER_MIN', 'RATE_CUSTOMER_BURST', 'RATE_GUEST_PER_MIN', 'RATE_GUEST_BURST', 'GUEST_SESSIONS_PER_ADDRESS_PER_MIN', 'GUEST_SESSIONS_PER_ADDRESS_BURST'] as const;
export const UNLIMITED: Record<string, string> = { ...Object.fromEntries(RATE_LIMITS.map((k) => [k, '1000000'])), BROWNOUT_LAG_MS: '0' };

/** The shipped rate limits, read from the config schema: admission suites set them back explicitly. */
export const SHIPPED_LIMITS: Record<string, string> = Object.fromEntries(RATE_LIMITS.map((k) => [k, String(configSchema.shape[k].parse(undefined))]));

/** The bearer credential of GET /metrics on the chat port in tests, unless a suite sets its own METRICS_TOKEN. */
export const METRICS_TOKEN = 'metrics-test-credential-0123456789';

/** GET /metrics of a service's chat port with the test credential; throws unless it answers 200. */
export async function scrapeMetrics(url: string, opts: { token?: string; signal?: AbortSignal } = {}): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${opts.token ?? METRICS_TOKEN}` }, signal: opts.signal });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${text.slice(0, 200)}`);
  return text;
}

/** Starts the real service (embedded defaults) on a free port; `overrides` are config variables. */
export async function startTestServer(overrides: Record<string, string> = {}, io: Parameters<typeof createApp>[1] = {}): Promise<TestServer> {
  const dataDir = overrides.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'manga-assist-test-'));
  // The reading dictionary's thread (~1 s of CPU, ~150 MB) runs only where a suite asks for it.
  const config = loadConfig({ LOG_LEVEL: 'silent', WS_PING_INTERVAL_MS: '0', METRICS_TOKEN, READING_DICTIONARY: 'off', ...UNLIMITED, ...overrides, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
  const app = await createApp(config, io);
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

/** A request to a service's ops API (`/v1/ops/...`) with `token` as the bearer credential: its status and JSON body. */
export async function opsRequest(server: { url: string }, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}
