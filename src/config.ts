import { z } from 'zod';
import { fileURLToPath } from 'node:url';

/** The repository's own shipped data (catalog, knowledge base, intents, sample store data). */
export const SHIPPED_DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));

const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Every option of the service: the environment variable, its meaning and its default.
 * This schema is the single source of truth; README's configuration table is generated from
 * it (`npm run config:doc`) and a test keeps the two equal.
 */
export const configSchema = z.object({
  PORT: int(3000).describe('HTTP port; 0 picks a free one (the chosen port is printed at start-up).'),
  HOST: z.string().default('127.0.0.1').describe('Address to listen on; 0.0.0.0 to accept connections from other machines.'),
  DATA_DIR: z.string().default('./var').describe('Where the embedded store (SQLite) keeps its files.'),
  STORE_DATA_DIR: z.string().default(SHIPPED_DATA_DIR).describe('Shipped store data: catalog seed, knowledge base, intent data set, sample promotions/reviews/orders.'),
  WORKERS: z.coerce.number().int().min(1).max(64).default(1).describe('Service processes sharing the port (node:cluster); one per core is the usual choice.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),

  LLM_PROVIDER: z.enum(['local', 'sim']).default('local').describe('Answer engine: `local` (grounded answers, no model) or `sim` (local plus a latency model, for load tests).'),
  SIM_LLM_TTFT_MS: int(400).describe('`sim` engine: time to first token in ms.'),
  SIM_LLM_TOKENS_PER_SEC: int(60).describe('`sim` engine: stream rate in tokens per second (0 = no pacing).'),
  SIM_LLM_JITTER: z.coerce.number().min(0).max(1).default(0.1).describe('`sim` engine: relative jitter applied to the first-token delay and token pacing.'),

  MEMORY_WINDOW: int(10).describe('Messages of conversation memory kept per session.'),
  SESSION_IDLE_TTL_MS: int(30 * 60_000).describe('A conversation expires after this long without a message.'),
  MEMORY_EXPIRE_INTERVAL_MS: int(60_000).describe('How often expired conversations are deleted.'),

  MAX_MESSAGE_CHARS: int(2000).describe('Longest accepted customer message, in characters (`payload_too_large` beyond).'),
  MAX_FRAME_BYTES: int(16_384).describe('Largest accepted WebSocket frame or HTTP body, in bytes.'),

  MESSAGE_BUDGET_MS: int(1500).describe('Time budget of one message up to the first token; every downstream deadline is cut from it.'),
  CATALOG_TIMEOUT_MS: int(250).describe('Deadline of one catalog call.'),
  RECOMMENDATIONS_TIMEOUT_MS: int(250).describe('Deadline of one recommendations call.'),
  ORDERS_TIMEOUT_MS: int(250).describe('Deadline of one orders call.'),
  RETRIEVAL_TIMEOUT_MS: int(300).describe('Deadline of retrieval (lexical + vector + rerank).'),
  RERANK_TIMEOUT_MS: int(120).describe('Deadline of the reranker inside retrieval; past it the fused order is used.'),
  PROMOTIONS_TIMEOUT_MS: int(100).describe('Deadline of the promotions call (tier 3).'),
  REVIEWS_TIMEOUT_MS: int(100).describe('Deadline of the reviews call (tier 3).'),
  MEMORY_TIMEOUT_MS: int(250).describe('Deadline of loading conversation memory (tier 1).'),

  SERIES_MATCH_MIN_SCORE: z.coerce.number().nonnegative().default(3).describe('Retrieval score a series found by description (not by title) needs to be shown; on the built-in reranker\'s scale.'),

  STORE_BASE_URL: z.string().url().default('https://store.example').describe('The store web site that answers link to (search page, order tracking, support).'),
  AUTH_JWT_SECRET: z.string().min(32).optional().describe('HS256 secret that signs customers\' JWTs; unset: a random secret is generated and kept in DATA_DIR.'),
  DEV_LOGIN: bool(false).describe('Serve POST /v1/dev/token to mint a demo customer token (never enable in production).'),
  WS_PING_INTERVAL_MS: int(30_000).describe('Server ping interval; a connection that misses two pings is closed.'),
});

/** The validated configuration. */
export type Config = z.infer<typeof configSchema>;

/** Reads and validates configuration from an environment (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** The configuration table (Markdown) for README.md, generated from the schema. */
export function configTable(): string {
  const rows = ['| variable | default | meaning |', '|---|---|---|'];
  for (const [key, schema] of Object.entries(configSchema.shape)) {
    const s = schema as z.ZodType;
    let def = '';
    const result = s.safeParse(undefined);
    if (result.success && result.data !== undefined) def = key === 'STORE_DATA_DIR' ? '`data/` in the repo' : `\`${String(result.data)}\``;
    rows.push(`| \`${key}\` | ${def} | ${s.description ?? ''} |`);
  }
  return rows.join('\n');
}
