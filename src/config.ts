import { z } from 'zod';
import { fileURLToPath } from 'node:url';
import { addressEntryProblem, addressList, type TrustProxy } from './http/addresses.ts';

/** The repository's own shipped data (catalog, knowledge base, intents, sample store data). */
export const SHIPPED_DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));

const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
const pos = (def: number) => z.coerce.number().int().positive().default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** TRUST_PROXY: `true`/`false`, a hop count, or a list of proxy addresses (see its description). */
const trustProxy = () =>
  z
    .string()
    .default('false')
    .transform((v, ctx): TrustProxy => {
      const s = v.trim().toLowerCase();
      if (s === 'true' || s === 'yes') return 1;
      if (s === 'false' || s === 'no' || s === '') return 0;
      if (/^\d+$/.test(s)) return Number(s);
      const entries = addressList(s);
      for (const e of entries) {
        const problem = addressEntryProblem(e);
        if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; expected true, false, a hop count or proxy addresses` });
      }
      return entries;
    });

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
  CATALOG_REFRESH_INTERVAL_MS: int(2000).describe('How often each service process looks for catalog writes another process committed to DATA_DIR (`npm run import` beside the running service) and takes them in: title search, retrieval, guardrails, recommendations, caches. A `catalog.changed` event (POST /v1/admin/events, or `npm run import -- --notify <url>`) takes them in at once. 0: only on the event.'),
  WORKERS: z.coerce.number().int().min(1).max(64).default(1).describe('Service processes sharing the port (node:cluster); one per core is the usual choice.'),
  BUS_BACKEND: z.enum(['local', 'redis']).default('local').describe('How admin fault changes, data-change events and operator replies reach every process: `local` (this process, or the workers of this machine over cluster IPC) or `redis` (every process of every node, over Redis pub/sub at REDIS_URL: a fault set on one node applies on all and on nodes started later; a reply reaches the node holding the customer\'s chat). Metrics stay per node either way (README "Pushes and admin state across nodes").'),
  NODE_ID: z.string().regex(/^\S{1,200}$/).optional().describe('This node\'s name on the message bus and in the admin fault report; unique in the fleet. Unset: hostname:pid. With WORKERS > 1 each worker is `<NODE_ID>:<pid>`.'),
  BUS_TIMEOUT_MS: pos(5000).describe('Longest wait for every process to handle a bus message (an admin write, a data-change event, an operator reply); past it the admin endpoint answers `unavailable` naming who did not answer.'),
  BUS_HEARTBEAT_MS: pos(1000).describe('`redis` bus: each node heartbeats this often; a node silent for 3 periods is gone and no longer waited for.'),
  BUS_STATE_TTL_MS: pos(300_000).describe('`redis` bus: retained state (injected faults) outlives the last node\'s heartbeat this long, so a rolling restart keeps it and a fleet that was gone longer starts clean.'),
  BUS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,100}$/).default('mangaassist:bus').describe('`redis` bus: prefix of its keys and channels; fleets or environments sharing one Redis use different ones.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),

  LLM_PROVIDER: z.enum(['local', 'sim', 'bedrock', 'anthropic', 'openai']).default('local').describe('Answer engine: `local` (grounded answers, no model), `sim` (local plus a latency model, for load tests), `bedrock` (Amazon Bedrock ConverseStream), `anthropic` (Messages API), `openai` (any OpenAI-compatible chat-completions server: vLLM, llama.cpp, Ollama). Every provider runs behind the same routing, priority queues and guardrails.'),
  LLM_LARGE_MODEL: z.string().optional().describe('Model id of the large model (comparisons, recommendations with reasons). Default per provider: bedrock `anthropic.claude-3-5-sonnet-20240620-v1:0`, anthropic `claude-sonnet-4-5`, openai `large`, local/sim `local-large`/`sim-large`.'),
  LLM_SMALL_MODEL: z.string().optional().describe('Model id of the small model (simple intents, the fallback). Default per provider: bedrock `anthropic.claude-3-haiku-20240307-v1:0`, anthropic `claude-haiku-4-5`, openai `small`, local/sim `local-small`/`sim-small`.'),
  BEDROCK_REGION: z.string().default('ap-northeast-1').describe('`bedrock`: AWS region (credentials come from the AWS SDK\'s default chain).'),
  BEDROCK_ENDPOINT: z.string().url().optional().describe('`bedrock`: endpoint override (a VPC endpoint, or a local fake in tests).'),
  ANTHROPIC_API_KEY: z.string().optional().describe('`anthropic`: API key (required with that provider).'),
  ANTHROPIC_BASE_URL: z.string().url().optional().describe('`anthropic`: API base URL override.'),
  OPENAI_BASE_URL: z.string().url().optional().describe('`openai`: base URL of the OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 (required with that provider).'),
  OPENAI_API_KEY: z.string().optional().describe('`openai`: API key, when the server wants one.'),
  LLM_ROUTES: z.string().default('').describe('Overrides of the routing table, e.g. `faq=small,chitchat=template,product_question=large` (routes: template, small, large). Defaults: chitchat → template; order_status, promotion, out_of_scope, escalation → small; the rest → large; comparisons always large.'),
  LLM_POOL_LARGE: int(0).describe('Connections of the large model\'s pool; 0 sizes it from LLM_PEAK_RPS x LLM_SHARE_LARGE x LLM_LATENCY_LARGE_MS plus LLM_POOL_HEADROOM (the design\'s formula).'),
  LLM_POOL_SMALL: int(0).describe('Connections of the small model\'s pool; 0 sizes it from LLM_PEAK_RPS x LLM_SHARE_SMALL x LLM_LATENCY_SMALL_MS plus headroom.'),
  LLM_PEAK_RPS: z.coerce.number().positive().default(275).describe('Peak messages per second this process must carry (the design\'s flash sale: 2,200/s over 8 tasks).'),
  LLM_SHARE_LARGE: z.coerce.number().min(0).max(1).default(0.85).describe('Share of messages needing the large model at peak (flash-sale mix: 85 %).'),
  LLM_SHARE_SMALL: z.coerce.number().min(0).max(1).default(0.1).describe('Share of messages needing the small model at peak (flash-sale mix: 10 %).'),
  LLM_LATENCY_LARGE_MS: pos(500).describe('Mean time the large model holds a connection, ms (pool sizing).'),
  LLM_LATENCY_SMALL_MS: pos(200).describe('Mean time the small model holds a connection, ms (pool sizing).'),
  LLM_POOL_HEADROOM: z.coerce.number().min(0).max(10).default(0.5).describe('Headroom added to the computed pool sizes (the design: 50 %).'),
  LLM_QUEUE_P1: int(200).describe('Members (P1) waiting per model pool; more are refused. Prime (P0) waiters are never refused.'),
  LLM_QUEUE_P2: int(50).describe('Guests (P2) waiting per model pool; more are refused.'),
  LLM_WAIT_P1_MS: pos(1000).describe('Longest a member waits for a model connection; past it the other model is tried (a connection granted later could not beat the first-token deadline anyway).'),
  LLM_WAIT_P2_MS: pos(1000).describe('Longest a guest waits for a model connection before being refused.'),
  LLM_PRESSURE_QUEUE: pos(10).describe('The large pool is under pressure when all its connections are busy and this many wait: guests then go to the small model (also the design\'s queue-depth alarm).'),
  LLM_ATTEMPT_TIMEOUT_MS: pos(1000).describe('Deadline for a model\'s first token once it holds a connection; past it (or on throttling or a cut) the other model is tried.'),
  LLM_STREAM_IDLE_MS: pos(10_000).describe('Longest silence inside a model stream (and wait for the response head) before the call fails with `timeout`.'),
  LLM_CONNECT_TIMEOUT_MS: pos(2000).describe('Longest wait for a connection to a model endpoint.'),
  LLM_DOWNGRADE_THRESHOLD: z.coerce.number().gt(0).lt(1).default(0.05).describe('Simple intents go to the small model when the large model\'s timeout+throttle rate passes this share ...'),
  LLM_DOWNGRADE_MINUTES: pos(2).describe('... for this many consecutive minutes; one good minute ends the downgrade.'),
  LLM_MAX_OUTPUT_TOKENS: pos(600).describe('Longest answer a model may write, in tokens.'),
  LLM_HISTORY_MESSAGES: pos(10).describe('Messages of the conversation sent to the model with each question.'),
  DNS_CACHE_TTL_MS: int(60_000).describe('Model endpoints\' DNS answers are cached this long (a resolver blip must not add a second to every call); on resolver failure the last answer is used. 0 turns the cache off.'),
  SIM_LLM_TTFT_MS: int(400).describe('`sim` engine: time to first token of the large model in ms.'),
  SIM_LLM_TOKENS_PER_SEC: int(60).describe('`sim` engine: stream rate of the large model in tokens per second (0 = no pacing).'),
  SIM_LLM_SMALL_TTFT_MS: int(200).describe('`sim` engine: time to first token of the small model in ms.'),
  SIM_LLM_SMALL_TOKENS_PER_SEC: int(120).describe('`sim` engine: stream rate of the small model in tokens per second (0 = no pacing).'),
  SIM_LLM_JITTER: z.coerce.number().min(0).max(1).default(0.1).describe('`sim` engine: relative jitter applied to the first-token delay and token pacing.'),

  GUARDRAILS: bool(true).describe('Content filters (adult content, personal data, abusive language, prompt injection, age-restricted titles) on messages and on answers while they stream.'),
  GUARDRAILS_SYNC_INTENTS: z.string().default('order_status').describe('Intents whose answer is checked before it is sent (high risk); payment questions always are. The rest stream first and get a `revise` frame when a late check fails.'),
  GUARDRAILS_CHUNK_CHARS: pos(120).describe('Characters of answer evaluated per streaming check.'),

  STORE_BACKEND: z.enum(['sqlite', 'dynamodb']).default('sqlite').describe('Where conversations, their owners, handoff tickets, message-id claims and shared conversations are kept: `sqlite` (embedded files in DATA_DIR, shared only by the processes of one machine) or `dynamodb` (DynamoDB tables every node of a fleet shares; see DYNAMODB_*). The catalog and orders stay in SQLite either way.'),
  DYNAMODB_REGION: z.string().default('ap-northeast-1').describe('`dynamodb`: AWS region of the tables (credentials come from the AWS SDK\'s default chain; with a loopback DYNAMODB_ENDPOINT fixed local ones are used).'),
  DYNAMODB_ENDPOINT: z.string().url().optional().describe('`dynamodb`: endpoint override: a local engine (dynalite, DynamoDB Local, e.g. http://127.0.0.1:4567) or a VPC endpoint. Unset: the region\'s endpoint.'),
  DYNAMODB_TABLE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{0,200}$/).default('manga-assist-').describe('`dynamodb`: table names are this prefix plus `conversations`, `session-owners`, `tickets`, `message-claims` and `shared-conversations` (one table per store: different lifetimes, indexes and capacity; README "Running with DynamoDB").'),
  DYNAMODB_CREATE_TABLES: bool(false).describe('`dynamodb`: create missing tables at start-up (on-demand capacity, their indexes, TTL on `expiresAt`) and wait until they are active. For local engines, development and tests; production tables come from infrastructure code.'),
  DYNAMODB_EXPIRE_SWEEP: bool(false).describe('`dynamodb`: also delete expired conversations, session owners and shared conversations with a Scan every MEMORY_EXPIRE_INTERVAL_MS. In AWS the TTL attribute deletes them at no cost (late, and reads ignore them meanwhile); local engines never expire items.'),

  MEMORY_WINDOW: int(10).describe('Messages of conversation memory kept per session.'),
  MEMORY_LIVE_SESSIONS: int(10_000).describe('`sqlite`: sessions whose last MEMORY_WINDOW messages and accepted ids are kept in process (least recently used dropped first), so a message reads no SQLite unless its session is cold; checked against other writers of the file (WORKERS > 1). 0 reads every time.'),
  SESSION_IDLE_TTL_MS: int(30 * 60_000).describe('A conversation expires after this long without a message.'),
  MEMORY_EXPIRE_INTERVAL_MS: int(60_000).describe('How often expired conversations are deleted.'),
  MESSAGE_CLAIMS: z.enum(['auto', 'on', 'off']).default('auto').describe('Claim each message id in the store before answering it, so a retry or a duplicate sent to another worker or node is answered once (the second waits, then gets the stored answer). `auto`: on when more than one process can answer a session (WORKERS > 1, STORE_BACKEND=dynamodb or BUS_BACKEND=redis); one process alone coalesces retries in memory.'),
  MESSAGE_CLAIM_LEASE_MS: pos(5000).describe('How long a message claim holds without renewal; its holder renews it every third of that while the reply runs, so a crashed holder keeps a retry waiting at most this long.'),
  SESSION_OWNER_TTL_MS: pos(30 * 24 * 60 * 60_000).describe('How long after it started a conversation can be resumed by its owner (a signed-in customer, or the guest holding its resume token); its messages still expire after SESSION_IDLE_TTL_MS idle, but an operator\'s late reply still reaches the owner.'),
  SESSION_SECRET: z.string().min(32).optional().describe('Key that derives signed-in customers\' resume tokens (HMAC; useless without the customer\'s own sign-in). Unset: generated once and kept in DATA_DIR/session-secret. Every node of a fleet needs the same one.'),

  // "Share this conversation": read-only links that survive a viral spike (the design's scenario 4).
  SHARING: bool(true).describe('"Share this conversation": the owner of a conversation can make a read-only link to a copy of it as it is then (POST /v1/shares; orders, requests for staff, personal details and anything not for all ages left out or masked), revoke it (DELETE /v1/shares/:id), and anyone with the link reads it (GET /v1/shared/:id, the page /s/:id). false: the endpoints do not exist.'),
  SHARE_TTL_MS: pos(30 * 24 * 60 * 60_000).describe('How long a shared link works after it was made (then it is gone, in the store too: DynamoDB TTL, or the expiry sweep).'),
  SHARE_CACHE_TTL_MS: pos(10 * 60_000).describe('How long each node keeps a shared conversation it read, in-process (and in Redis with CACHE_BACKEND=redis), capped by the link\'s end: a shared copy never changes, and revoking it removes it from every node at once, so this only bounds how late a revocation whose announcement was lost can take effect. A link nobody has is remembered as missing for at most a minute.'),
  SHARE_TIMEOUT_MS: pos(2000).describe('Deadline of one store read of a shared conversation, its throttle retries (100/200/400 ms plus jitter) included; past it the opens waiting for it are answered 503 with Retry-After. Also the deadline of each store call when sharing or revoking.'),
  SHARE_BASE_URL: z.string().url().optional().describe('Base URL of the shared links handed out (e.g. https://chat.store.example); unset: the origin the owner\'s request came to (Host, and X-Forwarded-Proto/-Host from proxies trusted by TRUST_PROXY).'),

  MAX_MESSAGE_CHARS: int(2000).describe('Longest accepted customer message, in characters (`payload_too_large` beyond).'),
  MAX_FRAME_BYTES: int(16_384).describe('Largest accepted WebSocket frame or HTTP body, in bytes.'),

  MESSAGE_BUDGET_MS: int(1500).describe('Time budget of one message up to the first token; every downstream deadline is cut from it.'),
  CATALOG_TIMEOUT_MS: int(250).describe('Deadline of one catalog call.'),
  RECOMMENDATIONS_TIMEOUT_MS: int(250).describe('Deadline of one recommendations call.'),
  ORDERS_TIMEOUT_MS: int(250).describe('Deadline of one orders call.'),
  RETRIEVAL_TIMEOUT_MS: int(300).describe('Deadline of retrieval (lexical + vector + rerank).'),
  RERANK_TIMEOUT_MS: int(120).describe('Deadline of the reranker inside retrieval; past it (or with its circuit open) the raw vector order, top 3, is used.'),
  PROMOTIONS_TIMEOUT_MS: int(100).describe('Deadline of the promotions call (tier 3).'),
  REVIEWS_TIMEOUT_MS: int(100).describe('Deadline of the reviews call (tier 3).'),
  MEMORY_TIMEOUT_MS: int(250).describe('Deadline of loading conversation memory (tier 1).'),

  SERIES_MATCH_MIN_SCORE: z.coerce.number().nonnegative().default(3.3).describe('Retrieval score a series found by description (not by title) needs to be shown; on the built-in reranker\'s scale. The best-ranked candidate of a question shaped like a search scores about 2.5 with no evidence at all and ~3.2 with one shared word, so below that unknown titles start getting a card.'),
  READING_DICTIONARY: z.enum(['worker', 'off']).default('worker').describe('Readings of kanji queries, so 黒執事 finds an imported romaji-only title (Kuroshitsuji): `worker` loads a Japanese dictionary (Lindera IPADIC, WebAssembly) on a worker thread once the service is ready, ~1 s of CPU off the request path and ~150 MB per service process; until it has loaded, such queries miss. `off`: no dictionary.'),
  READING_TIMEOUT_MS: int(50).describe('How long a kanji query waits for its reading from the dictionary thread; past it the title search goes on without the reading (a busy process must not hold searches up). Raised by the conversation suite, whose results must not depend on the machine\'s load.'),

  // Embeddings: the vectors behind retrieval's vector index and the semantic answer cache.
  EMBEDDINGS_PROVIDER: z.enum(['hashing', 'openai', 'bedrock']).default('hashing').describe('Embedding model of retrieval and the semantic answer cache: `hashing` (built in: character n-grams, no model, no network), `openai` (any OpenAI-compatible `/v1/embeddings`: OpenAI, vLLM, Ollama, Hugging Face TEI), `bedrock` (Amazon Titan Text Embeddings V2). With a remote model, documents are indexed at start-up without waiting for it and get their vectors in the background (kept in DATA_DIR/embeddings.sqlite by content hash, so a restart embeds nothing again); questions are embedded on the request path.'),
  EMBEDDINGS_MODEL: z.string().optional().describe('Model id. Default per provider: openai `text-embedding-3-small`, bedrock `amazon.titan-embed-text-v2:0`.'),
  EMBEDDINGS_BASE_URL: z.string().url().optional().describe('`openai`: base URL of the server, e.g. http://127.0.0.1:8000/v1 (required with that provider); `bedrock`: endpoint override (a VPC endpoint, a local fake).'),
  EMBEDDINGS_API_KEY: z.string().optional().describe('`openai`: API key, when the server wants one.'),
  EMBEDDINGS_REGION: z.string().optional().describe('`bedrock`: AWS region of the embedding model; unset: BEDROCK_REGION. Credentials come from the AWS SDK\'s default chain.'),
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(8).optional().describe('Vector size. `hashing`: 512 when unset; `bedrock`: 256, 512 or 1024 (1024 when unset), sent to Titan; `openai`: the model\'s size, required (1536 for text-embedding-3-small, 1024 for multilingual-e5-large or bge-m3): every response is checked against it.'),
  EMBEDDINGS_REQUEST_DIMENSIONS: bool(false).describe('`openai`: also send EMBEDDINGS_DIMENSIONS in the request, for models that shorten their vectors (text-embedding-3, Matryoshka models on vLLM); other models refuse the field.'),
  EMBEDDINGS_ENCODING: z.enum(['float', 'base64']).default('float').describe('`openai`: how vectors travel: `float` (every server) or `base64` (a quarter of the JSON; OpenAI, vLLM, TEI).'),
  EMBEDDINGS_QUERY_PREFIX: z.string().optional().describe('Put before every question embedded, for models trained with instructions (`query: ` for e5); unset: nothing (Titan and OpenAI models want none). Part of the semantic cache\'s partition version.'),
  EMBEDDINGS_DOCUMENT_PREFIX: z.string().optional().describe('Put before every document embedded (`passage: ` for e5); unset: nothing. Part of the stored vectors\' key.'),
  EMBEDDINGS_TIMEOUT_MS: pos(150).describe('Deadline of embedding one question on the request path, retries included (remote models); past it retrieval answers from its lexical index alone and the semantic cache misses. With RERANK_TIMEOUT_MS it must fit inside RETRIEVAL_TIMEOUT_MS.'),
  EMBEDDINGS_BATCH_TIMEOUT_MS: pos(30_000).describe('Deadline of one background call embedding a batch of documents (remote models).'),
  EMBEDDINGS_BATCH_SIZE: pos(32).describe('Documents per background call (`openai`: texts per request; TEI accepts 32 by default). Titan embeds one text per request, EMBEDDINGS_INDEX_CONCURRENCY at a time.'),
  EMBEDDINGS_CONCURRENCY: pos(8).describe('Requests in flight to the embedding model for customers\' questions, and the keep-alive sockets kept for them.'),
  EMBEDDINGS_INDEX_CONCURRENCY: pos(4).describe('Requests in flight for documents embedded in the background, on a pool of their own so indexing never takes the questions\' sockets.'),
  EMBEDDINGS_MAX_CHARS: pos(4000).describe('Characters of a text sent to a remote model at most; the rest is cut (servers refuse inputs past the model\'s token limit: 512 tokens for e5, 8,192 for Titan V2).'),

  // Admission: who may send how much. Token buckets: "N per minute" refills continuously.
  RATE_LIMIT_BACKEND: z.enum(['memory', 'redis']).default('memory').describe('Where rate-limit buckets live: `memory` (this process) or `redis` (shared by every node; one round trip per decision).'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379').describe('Redis for `RATE_LIMIT_BACKEND=redis`, `CACHE_BACKEND=redis` and `BUS_BACKEND=redis`.'),
  RATE_LIMIT_REDIS_TIMEOUT_MS: int(50).describe('A rate-limit decision Redis has not answered in this time is made locally (fallback limits).'),
  RATE_LIMIT_REDIS_RETRY_MS: int(5000).describe('While Redis is failing, decisions stay local; Redis is tried again after this long.'),
  RATE_LIMIT_NODES: z.coerce.number().int().min(1).default(1).describe('Nodes sharing the Redis limits: during a Redis outage each node enforces 1/N of the global LLM limit locally.'),
  RATE_CUSTOMER_PER_MIN: pos(30).describe('Messages per minute per signed-in customer (token bucket refill).'),
  RATE_CUSTOMER_BURST: pos(30).describe('Messages a signed-in customer may send at once (bucket capacity).'),
  RATE_GUEST_PER_MIN: pos(10).describe('Messages per minute per guest session.'),
  RATE_GUEST_BURST: pos(10).describe('Messages a guest session may send at once.'),
  GUEST_SESSIONS_PER_ADDRESS_PER_MIN: pos(5).describe('New guest sessions per minute per client address, so reconnecting does not escape the guest limit.'),
  GUEST_SESSIONS_PER_ADDRESS_BURST: pos(20).describe('New guest sessions one address may open at once.'),
  LLM_RATE_PER_SEC: z.coerce.number().positive().default(2000).describe('Global limit on messages entering the LLM path, per second (per process with `memory`, for the whole service with `redis`).'),
  LLM_BURST: pos(4000).describe('Burst of the global LLM limit (bucket capacity).'),
  LLM_RESERVE_GUEST: z.coerce.number().min(0).max(1).default(0.5).describe('Share of the global LLM bucket guests may not use: under pressure guests are refused first.'),
  LLM_RESERVE_MEMBER: z.coerce.number().min(0).max(1).default(0.2).describe('Share of the global LLM bucket members may not use; Prime customers may use all of it.'),
  TRUST_PROXY: trustProxy().describe('Proxies in front of the service whose X-Forwarded-For entries are believed: a hop count (behind one load balancer: `1`, the header\'s last entry is the client; `true` = 1, `false` = 0: the socket address) or a comma-separated list of the proxies\' addresses/CIDR ranges (`loopback`, `uniquelocal` allowed), the safer form when the service can also be reached directly. Earlier entries are the client\'s to forge and are never used.'),

  // The HTTP edge: slow or silent clients are reaped, one address cannot hold every socket.
  HTTP_HEADERS_TIMEOUT_MS: pos(10_000).describe('Longest a client may take to send a request\'s headers, from its first byte (a new connection that sends nothing is reaped the same way): then 408 and the connection closes. Ends slow-header (slowloris) clients.'),
  HTTP_REQUEST_TIMEOUT_MS: int(30_000).describe('Longest a client may take to send a whole request, body included (then 408); 0 = no limit, else at least HTTP_HEADERS_TIMEOUT_MS. Only receiving the request counts: a reply streaming for minutes and an open WebSocket are not affected.'),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: pos(72_000).describe('An idle keep-alive connection is closed this long after its last response. Longer than a load balancer\'s idle timeout (60 s on AWS ALB and in nginx) so the balancer closes first and never sends a request into a closing connection (502s).'),
  HTTP_IDLE_TIMEOUT_MS: int(60_000).describe('A connection silent in both directions this long while a request is answered is closed (e.g. a client that stopped reading a streamed reply); 0 = off. Must exceed the longest reply, since POST /v1/chat sends nothing until the whole answer is ready. WebSockets are not affected (they have WS_PING_INTERVAL_MS).'),
  CONNECTIONS_PER_ADDRESS: int(1000).describe('Open connections (WebSockets, keep-alive HTTP) one client address may hold per process; more are refused at once (429 `rate_limited`, then closed). Generous because customers behind carrier-grade NAT share an address; IPv6 clients count by /64. 0 = no cap.'),
  CONNECTIONS_PER_ADDRESS_EXEMPT: z.string().default('loopback').describe('Socket addresses the connection cap does not count (comma-separated addresses/CIDR ranges; `loopback`, `uniquelocal` allowed): loopback, so a load generator on the same machine can hold thousands of chats. The cap sees the socket\'s address, so a load balancer\'s would carry every customer: proxies trusted by TRUST_PROXY are exempt too (with a hop count, every peer is taken for the balancer and the cap is off: limit clients at the balancer).'),

  // Brownout: under overload skip tier-3 calls first, then shed guests, then members; never Prime.
  BROWNOUT_LAG_MS: int(60).describe('Event-loop delay p99 at which brownout starts (level 1: skip tier-3 calls); 2x sheds guests, 4x sheds members.'),
  MAX_INFLIGHT_MESSAGES: int(4000).describe('Messages being answered at once per process; brownout levels start at 60%, 80% and 95% of it.'),
  // Hysteresis, so brownout does not flap (issue 16): rising is prompt, falling slow and one level at a time.
  BROWNOUT_MIN_UTILIZATION: z.coerce.number().min(0).max(1).default(0.5).describe('Event-loop delay counts towards brownout only in a 500 ms period in which this process\'s event loop was busy at least this share of the time (event-loop utilization). An idle loop that wakes late is a busy machine (other programs hold the cores), which shedding this service\'s customers cannot fix; a saturated loop is near 1 however little CPU it gets. 0 = every delay counts.'),
  BROWNOUT_LAG_MIN_INFLIGHT: int(8).describe('Event-loop delay counts towards brownout only in a period in which at least this many messages were in flight at once: a few customers cannot overload the service, and refusing them does not shorten a slow first message after start-up or a garbage-collection pause. 0 = no minimum.'),
  BROWNOUT_EXIT_RATIO: z.coerce.number().gt(0).max(1).default(0.5).describe('A brownout level raised by event-loop delay is left only once the smoothed delay is below this share of the level\'s threshold (with BROWNOUT_LAG_MS 60: level 1 is entered at 60 ms twice in a row and left under 30 ms).'),
  BROWNOUT_INFLIGHT_EXIT_RATIO: z.coerce.number().gt(0).max(1).default(0.8).describe('A brownout level raised by messages in flight is left only once they are below this share of the level\'s threshold (level 1, entered at 60% of MAX_INFLIGHT_MESSAGES, is left under 48%).'),
  BROWNOUT_MIN_DWELL_MS: int(5000).describe('Least time at a brownout level before it steps down, one level at a time (each step down is held as long again); rising is never delayed. 0 = step straight down.'),
  BROWNOUT_LAG_HALF_LIFE_MS: int(1000).describe('Half-life of the smoothed event-loop delay that decides when a brownout level is left (an exponentially weighted moving average of each 500 ms period\'s p99): one quiet period does not end a brownout. 0 = no smoothing.'),
  BROWNOUT_START_GRACE_MS: int(2000).describe('Event-loop delay counts towards brownout only once this long has passed since the process\'s first message. A process just started runs each code path for the first time (V8 compiles functions and regular expressions on first use and runs them unoptimised until they are hot): its first messages cost several times their usual CPU and the loop falls behind for a second or two, which passes by itself. Counted, it raised brownout at once and, with the 5 s dwell per level, refused a fifth of all messages at 150 messages/s for 15 s (bench/throughput.ts, issue 16). The seeds read a new instance\'s slow first requests as warm-up, not overload (001: synthetic warm-up requests before it enters the load balancer). Messages in flight (MAX_INFLIGHT_MESSAGES) still count from the start. 0 = no grace.'),
  BROWNOUT_START_DWELL_MS: int(1000).describe('In the first 15 s after the process\'s first message a brownout level raised by event-loop delay steps down after this long instead of BROWNOUT_MIN_DWELL_MS (a level raised by messages in flight keeps the full dwell): a level raised while the process was cold (at a high rate the backlog of its first seconds outlasts the grace) ends once the loop has caught up instead of 15 s later (300 messages/s unpaced: 29 % of the measured window refused with the 5 s dwell, none with this). Later the full dwell holds. 0 = step straight down at start.'),

  // Resilience of every downstream call.
  RETRY_MAX: z.coerce.number().int().min(0).max(5).default(2).describe('Retries of an idempotent call (exponential backoff, full jitter).'),
  RETRY_BASE_MS: int(20).describe('First retry backoff cap in ms; doubles per retry, the delay is uniform in [0, cap].'),
  RETRY_MAX_DELAY_MS: int(200).describe('Largest retry backoff in ms.'),
  RETRY_BUDGET_RATIO: z.coerce.number().min(0).max(1).default(0.2).describe('Retries may add at most this share of a dependency\'s calls over 10 s (retry budget), so retries cannot multiply load in an outage.'),
  RETRY_BUDGET_MIN_PER_SEC: int(5).describe('Retries per second always allowed per dependency, whatever the ratio.'),
  BREAKER_FAILURE_RATIO: z.coerce.number().gt(0).lt(1).default(0.5).describe('A dependency\'s circuit opens when this share of its calls fail within the breaker window.'),
  BREAKER_WINDOW_MS: int(10_000).describe('Window over which failures are counted.'),
  BREAKER_MIN_RPS: z.coerce.number().positive().default(2).describe('Calls per second a dependency needs within the window before its failure ratio can open the circuit.'),
  BREAKER_OPEN_MS: int(30_000).describe('How long an open circuit fails fast before one half-open probe.'),
  LATENCY_BREAKER_WINDOW_MS: int(30_000).describe('The latency breaker opens when a dependency\'s p99 stays above its threshold this long.'),
  LATENCY_BREAKER_RATIO: z.coerce.number().min(0).max(1).default(0.8).describe('Latency threshold as a share of each dependency\'s deadline (e.g. 0.8 x 500 ms); 0 disables latency breakers.'),
  BULKHEAD_CONCURRENCY: int(256).describe('Calls in flight per dependency (its connection pool).'),
  BULKHEAD_QUEUE: int(1024).describe('Calls waiting for a slot per dependency; more are refused at once.'),
  BULKHEAD_CHECKOUT_MS: int(100).describe('Longest wait for a slot (pool checkout timeout).'),
  LLM_CONCURRENCY: int(1024).describe('Answer streams being started at once (the LLM connection pool).'),
  LLM_TIMEOUT_MS: int(1500).describe('Deadline for the first token of the answer engine (also cut from the message budget).'),
  FAULTS: z.string().default('').describe('Injected faults at start-up, e.g. `catalog:latency=2000;orders:error=0.5;reranker:down` (drills; also settable at /v1/admin/faults).'),
  ADMIN_TOKEN: z.string().min(16).optional().describe('Bearer credential of the admin endpoints (/v1/admin/*: faults, resilience state); unset: they do not exist.'),

  // Caching: L1 in-process, L2 Redis (CACHE_BACKEND=redis), invalidated on every node by data-change events.
  CACHE_BACKEND: z.enum(['memory', 'redis']).default('memory').describe('Data and answer caches: `memory` (in-process only) or `redis` (in-process L1 plus a shared Redis L2 at REDIS_URL, and invalidation of every node\'s L1 over Redis pub/sub).'),
  CACHE_L1_MAX_ENTRIES: pos(50_000).describe('Most entries in the in-process cache tier (least recently used evicted first).'),
  CACHE_L1_MAX_BYTES: pos(64 * 1024 * 1024).describe('Most bytes (estimated) in the in-process cache tier.'),
  CACHE_MAX_ENTRY_BYTES: pos(64 * 1024).describe('A cached value larger than this (serialised) is not cached at all, in either tier.'),
  CACHE_TTL_PRODUCT_MS: pos(5 * 60_000).describe('TTL of product details: series, their volumes (never prices or stock: always read live) and title search results.'),
  CACHE_TTL_RECOMMENDATIONS_MS: pos(15 * 60_000).describe('TTL of recommendation lists.'),
  CACHE_TTL_PROMOTIONS_MS: pos(15 * 60_000).describe('TTL of the promotions list (the promotions event invalidates it sooner).'),
  CACHE_TTL_REVIEWS_MS: pos(60 * 60_000).describe('TTL of review summaries.'),
  CACHE_TTL_JITTER: z.coerce.number().min(0).max(0.9).default(0.2).describe('Relative TTL jitter (0.2 = ±20 %, ±60 s on 5 min), so entries filled together do not expire together.'),
  CACHE_STALE_SHARE: z.coerce.number().min(0).max(10).default(0.2).describe('Stale-while-revalidate window as a share of the TTL: an entry that just expired is still served while one background refresh replaces it.'),
  CACHE_EARLY_REFRESH: z.coerce.number().min(0).max(1).default(0.01).describe('Probabilistic early refresh (XFetch) scale as a share of the TTL: a read τ before expiry refreshes with probability exp(-τ / (share x TTL)); 0 turns it off. 0.01 spread refreshes as well as 0.05 for 5 % more origin loads instead of 38-61 % (BENCHMARKS.md).'),
  CACHE_L2_TIMEOUT_MS: pos(25).describe('Deadline of a Redis cache read on the request path; past it the read is a miss (L1 and the origin answer).'),
  CACHE_L2_WRITE_TIMEOUT_MS: pos(1000).describe('Deadline of a background Redis cache write (never on the request path).'),
  CACHE_L2_WRITE_CONCURRENCY: pos(64).describe('Redis cache writes in flight at once; up to 1,024 more wait, further writes are dropped and counted (a slow Redis cannot pile them up).'),
  SESSION_CACHE_TTL_MS: int(5000).describe('`dynamodb`: conversation reads cached in-process this long (hot sessions read by many at once are coalesced); every append invalidates; 0 turns it off. Off with WORKERS > 1 and CACHE_BACKEND=memory (no bus tells sibling workers of an append).'),
  SEMANTIC_CACHE: bool(true).describe('Semantic answer cache for store-policy answers and general questions about one series (never prices, stock, orders or customer data).'),
  SEMANTIC_CACHE_THRESHOLD: z.coerce.number().gt(0).max(1).optional().describe('Cosine similarity a cached question needs to answer a new one (within the same language, intent and topic or series). Unset: 0.95, the labelled pairs\' zero-false-hit choice for the built-in hashing embedder (BENCHMARKS.md). Similarities are the model\'s own scale, so with EMBEDDINGS_PROVIDER=openai or bedrock set it for that model: `node bench/semantic-eval.ts` with the same EMBEDDINGS_* variables, the lowest threshold with no labelled false hit, plus margin (start-up warns while it is unset).'),
  SEMANTIC_CACHE_TTL_MS: pos(60 * 60_000).describe('How long a cached answer is kept.'),
  SEMANTIC_CACHE_TIMEOUT_MS: pos(50).describe('Deadline of a semantic cache lookup; past it the answer engine answers.'),
  SEMANTIC_CACHE_PER_PARTITION: pos(32).describe('Answers kept per partition (language + topic or series), newest first.'),
  SEMANTIC_CACHE_MAX_ENTRIES: pos(20_000).describe('Answers kept in-process in all (the `memory` backend).'),

  // Observability and operations: traces, alarms, the operations page, human handoff.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional().describe('OTLP/HTTP collector base URL (e.g. `http://otel-collector:4318`); traces are sent to `<url>/v1/traces`. Unset: traces are still made (their ids are in logs and `end` frames) but not exported.'),
  OTEL_SERVICE_NAME: z.string().min(1).default('manga-assist').describe('`service.name` of the exported traces.'),
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1).describe('Share of messages whose trace is exported (head sampling by trace id); the trace id is always in the `end` frame and logs.'),
  ALARM_WEBHOOK_URL: z.string().url().optional().describe('Chat-ops webhook (Slack-compatible incoming webhook) the in-service alarms post to when they fire and clear. Unset: alarms are only logged and shown on /ops.'),
  ALARM_EVAL_INTERVAL_MS: pos(15_000).describe('How often the metrics are sampled and the alarm table evaluated.'),
  ALARM_TIME_SCALE: z.coerce.number().gt(0).max(1).default(1).describe('Multiplies every alarm window and `for` duration (1 = the design: 5 min, 15 min). Drills use e.g. 0.05 to see a 5-minute alarm in 15 s.'),
  METRICS_HISTORY_MS: pos(60 * 60_000).describe('How much sampled metric history is kept in memory for /ops charts and the alarms.'),
  OPEN_CHATS_CAPACITY: pos(10_000).describe('Provisioned open chats (WebSocket connections and streaming HTTP replies) per process; the alarm fires above 80 % of it.'),
  PUBLIC_URL: z.string().url().optional().describe('Base URL operators reach the service at (links in chat-ops messages to /ops); unset: http://HOST:PORT.'),
  OPS_TOKEN: z.string().min(16).optional().describe('Operator credential of the operations page (/ops) and its API (/v1/ops/*). Unset: one is generated and kept in DATA_DIR/ops-token (its path is logged at start-up).'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional().describe('Serve GET /metrics on this port of METRICS_HOST without a credential, for Prometheus on an internal network, and not on the chat port at all (with WORKERS > 1 the primary serves it: one scrape, every worker added up). 0 picks a free port (printed at start-up). Unset: /metrics is on the chat port behind METRICS_TOKEN.'),
  METRICS_HOST: z.string().default('127.0.0.1').describe('Address of the METRICS_PORT listener: an internal interface Prometheus reaches, never a public one (that listener asks no credential).'),
  METRICS_TOKEN: z.string().min(16).optional().describe('Bearer credential of GET /metrics on the chat port (without METRICS_PORT); give Prometheus this one, not the operator\'s (it opens customer conversations on /ops). Unset: one is generated and kept in DATA_DIR/metrics-token (its path is logged at start-up).'),
  ESCALATION_WEBHOOK_URL: z.string().url().optional().describe('Webhook alerted when a customer asks for a human (a handoff ticket opens). Unset: ALARM_WEBHOOK_URL is used; neither: tickets still open and show on /ops.'),
  WEBHOOK_TIMEOUT_MS: pos(5000).describe('Deadline of one webhook post; failed posts are retried with backoff (3 attempts).'),

  STORE_BASE_URL: z.string().url().default('https://store.example').describe('The store web site that answers link to (search page, order tracking, support).'),
  AUTH_JWT_SECRET: z.string().min(32).optional().describe('HS256 secret that signs customers\' JWTs; unset: a random secret is generated and kept in DATA_DIR.'),
  AUTH_JWKS_URL: z.string().url().optional().describe('JWKS of the identity provider: RS256/ES256 customer tokens are verified with its keys (refetched on an unknown key id, so rotation works).'),
  AUTH_JWT_ISSUER: z.string().optional().describe('Required `iss` of customer tokens (HS256 and JWKS alike), e.g. `https://id.example.com/`; unset: not checked. The demo sign-in then signs with it too.'),
  AUTH_JWT_AUDIENCE: z.string().optional().describe('Required `aud` of customer tokens (HS256 and JWKS alike), e.g. `manga-assist`; unset: not checked. The demo sign-in then signs with it too.'),
  AUTH_JWT_MAX_LIFETIME_MS: pos(24 * 3600_000).describe('Longest accepted customer token lifetime: `exp - iat`, or `exp - now` without `iat`. Tokens without `exp` are always refused. A day covers identity providers\' access tokens (1-24 h), the demo sign-in (2 h) and the load generator (12 h).'),
  AUTH_JWT_CLOCK_TOLERANCE_MS: int(30_000).describe('Clock skew allowed between the token issuer and this service: on `exp` and `nbf`, and on `iat`, which may not be later than now plus this.'),
  DEV_LOGIN: bool(false).describe('Serve POST /v1/dev/token to mint a demo customer token (never enable in production).'),
  WS_PING_INTERVAL_MS: int(30_000).describe('Server ping interval; a connection that misses two pings is closed.'),
  TOKEN_FRAME_WINDOW_MS: int(16).describe('Streaming (WebSocket and SSE): the first token of a reply and every other frame go out at once; a later token of a model that streams over time is held at most this long, and the tokens arriving meanwhile go out joined in one `token` frame (a paced reply: ~10 writes instead of ~70). 16 ms is one display frame; 0: each turn of the event loop\'s tokens go out as they come (one frame per token of a paced model).'),
  DRAIN_TIMEOUT_MS: int(20_000).describe('Graceful drain on SIGTERM/SIGINT: /readyz answers 503 `draining` at once and new chats are refused; replies in flight get this long to finish (each WebSocket closes with 1012 once its replies are done), then the rest are cut and the process exits. Keep it under the orchestrator\'s kill timeout (ECS stopTimeout: 30 s). With WORKERS > 1 every worker drains. A second signal cuts the drain short.'),
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
  const c = parsed.data;
  // Node refuses a header deadline past the whole-request deadline; say which options at start-up.
  if (c.HTTP_REQUEST_TIMEOUT_MS > 0 && c.HTTP_HEADERS_TIMEOUT_MS > c.HTTP_REQUEST_TIMEOUT_MS) throw new Error('Invalid configuration: HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  for (const entry of addressList(c.CONNECTIONS_PER_ADDRESS_EXEMPT)) {
    const problem = addressEntryProblem(entry);
    if (problem) throw new Error(`Invalid configuration: CONNECTIONS_PER_ADDRESS_EXEMPT: ${problem}`);
  }
  if (c.LLM_PROVIDER === 'anthropic' && !c.ANTHROPIC_API_KEY) throw new Error('Invalid configuration: ANTHROPIC_API_KEY is required with LLM_PROVIDER=anthropic');
  if (c.LLM_PROVIDER === 'openai' && !c.OPENAI_BASE_URL) throw new Error('Invalid configuration: OPENAI_BASE_URL is required with LLM_PROVIDER=openai');
  if (c.EMBEDDINGS_PROVIDER === 'openai' && !c.EMBEDDINGS_BASE_URL) throw new Error('Invalid configuration: EMBEDDINGS_BASE_URL is required with EMBEDDINGS_PROVIDER=openai');
  if (c.EMBEDDINGS_PROVIDER === 'openai' && !c.EMBEDDINGS_DIMENSIONS) throw new Error('Invalid configuration: EMBEDDINGS_DIMENSIONS (the model\'s vector size) is required with EMBEDDINGS_PROVIDER=openai');
  if (c.EMBEDDINGS_PROVIDER === 'bedrock' && c.EMBEDDINGS_DIMENSIONS !== undefined && ![256, 512, 1024].includes(c.EMBEDDINGS_DIMENSIONS)) throw new Error('Invalid configuration: EMBEDDINGS_DIMENSIONS must be 256, 512 or 1024 with EMBEDDINGS_PROVIDER=bedrock (Titan Text Embeddings V2)');
  // A question embedded past the point where the reranker still fits would fail the whole
  // retrieval, lexical hits included, instead of only losing the vector list.
  if (c.EMBEDDINGS_PROVIDER !== 'hashing' && c.EMBEDDINGS_TIMEOUT_MS + c.RERANK_TIMEOUT_MS >= c.RETRIEVAL_TIMEOUT_MS) throw new Error('Invalid configuration: EMBEDDINGS_TIMEOUT_MS + RERANK_TIMEOUT_MS must be less than RETRIEVAL_TIMEOUT_MS');
  return c;
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
