import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import { ChatError, ERROR_CODES, isChatError, type ErrorCode } from '../errors.ts';
import type { ChatPipeline } from '../chat/pipeline.ts';
import { intentBodySchema } from '../chat/protocol.ts';
import type { Authenticator } from '../admission/auth.ts';
import type { Admission } from '../admission/admission.ts';
import { registerAdminRoutes, type AdminDeps } from './admin.ts';
import { handleChatSocket } from './ws-chat.ts';
import { jsonChat, streamChat } from './http-chat.ts';
import type { ConnectionTracker } from './connections.ts';
import type { AgentMessageFrame } from '../escalation/types.ts';
import { addressMatcher, trustProxyFunction, type TrustProxy } from './addresses.ts';
import { limitConnectionsPerAddress } from './connection-limit.ts';
import type { SessionAccess } from '../sessions/session-access.ts';
import type { Drain } from './drain.ts';

/** What readiness reports: ready only when data is loaded and the stores answer. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, boolean | number | string>;
}

/** Protections of the HTTP edge against slow, silent or greedy clients (HTTP_* and CONNECTIONS_* options). */
export interface HttpEdge {
  headersTimeoutMs: number;
  /** Whole request received; 0 = no limit. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Socket silent both ways while a request is answered; 0 = off. */
  idleTimeoutMs: number;
  /** Open sockets per client address; 0 = no cap. */
  connectionsPerAddress: number;
  /** Socket addresses the cap does not count, besides trusted proxies. */
  connectionLimitExempt: string[];
}

/** What the HTTP server needs from the composition root. */
export interface ServerDeps {
  pipeline: ChatPipeline;
  auth: Authenticator;
  admission: Admission;
  /** Who may continue which conversation (resume tokens, customer ids). */
  sessions: SessionAccess;
  /** Admin endpoints (fault injection, resilience state); absent without ADMIN_TOKEN. */
  admin?: AdminDeps;
  /** Proxies whose X-Forwarded-For entries are believed: a hop count or their addresses (0: none). */
  trustProxy: TrustProxy;
  edge: HttpEdge;
  readiness: () => Promise<Readiness>;
  /** Folder of the chat page (index.html, chat.js, chat.css). */
  webDir: string;
  maxFrameBytes: number;
  maxMessageChars: number;
  pingIntervalMs: number;
  /** A reply's later tokens are held this long at most and joined into one frame (WebSocket and SSE; frame-batch.ts); 0 or unset: one frame per turn of the loop. */
  tokenWindowMs?: number;
  logger: FastifyBaseLogger;
  /** Mints a demo customer token (DEV_LOGIN only). */
  devToken?: (customerId: string) => Promise<string | undefined>;
  /** Open connections and chats (metrics, the open-chats alarm). */
  connections?: ConnectionTracker;
  /** Told every refusal and error sent, by code; `message` when it answers a customer message. */
  onError?: (code: ErrorCode, message: boolean) => void;
  /** Operator replies of human handoffs, into customers' open chats. */
  agentMessages?: {
    connect(sessionId: string, send: (frame: AgentMessageFrame) => boolean): { close(): void; caughtUp: Promise<void> };
  };
  /** More routes (GET /metrics, the operations page and its API), registered before the static files. */
  routes?: ((app: FastifyInstance) => void | Promise<void>)[];
  /** Graceful drain (SIGTERM): readiness fails, new chats are refused, open ones finish and leave. */
  drain?: Drain;
}

/** Retry-After of a chat refused because this node is draining: the load balancer already sends the next try elsewhere. */
const DRAINING_RETRY_AFTER_MS = 1000;

/** Builds the HTTP server: chat over WebSocket, SSE and JSON, understanding, health, the chat page. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.maxFrameBytes,
    // Per-request lines would be one per chat message at store scale; the pipeline logs what matters.
    logController: new LogController({ disableRequestLogging: true }),
    // Only behind a load balancer that sets X-Forwarded-For: otherwise a client could pick its
    // own address and escape the cap on new guest sessions per address. Only the entries the
    // trusted hops appended count; earlier ones are whatever the client sent.
    trustProxy: trustProxyFunction(deps.trustProxy),
    // Deadlines on what the client sends, never on what we answer: a reply may stream for long
    // and an upgraded WebSocket leaves Node's request tracking (ws also clears the socket's idle
    // timer), so only slow or silent senders and stalled readers are reaped.
    connectionTimeout: deps.edge.idleTimeoutMs,
    keepAliveTimeout: deps.edge.keepAliveTimeoutMs,
    requestTimeout: deps.edge.requestTimeoutMs,
    http: {
      headersTimeout: deps.edge.headersTimeoutMs,
      requestTimeout: deps.edge.requestTimeoutMs,
      // Node checks header and request deadlines on this interval (30 s by default, which would
      // let a 10 s deadline run to 40 s); the check only walks connections mid-request.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(Math.min(deps.edge.headersTimeoutMs, deps.edge.requestTimeoutMs || Infinity) / 4))),
    },
  });
  // One client address cannot hold every socket; the load balancer's and loopback (load
  // generators) are not counted.
  const exempt = addressMatcher(deps.edge.connectionLimitExempt);
  const proxy = trustProxyFunction(deps.trustProxy);
  limitConnectionsPerAddress(app.server, {
    perAddress: deps.edge.connectionsPerAddress,
    exempt: (address) => exempt(address) || (proxy !== false && proxy(address, 0)),
    onRefused: (address) => {
      deps.onError?.('rate_limited', false);
      deps.logger.debug({ address }, 'connection refused: too many from this address');
    },
  });

  // One place turns every refusal into the contract's body: {code, message}, plus Retry-After.
  app.setErrorHandler((error: unknown, req, reply) => {
    const e = toChatError(error);
    if (e.code === 'internal') req.log.error({ err: error }, 'request failed');
    deps.onError?.(e.code, req.url.startsWith('/v1/chat'));
    if (e.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(e.retryAfterMs / 1000)));
    reply.status(e.status).send({ code: e.code, message: e.message, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}.` });
  });

  // ws enforces its own maxPayload by closing the socket (1009); ours is checked per frame in the
  // handler so an oversized message gets `payload_too_large` and the chat survives.
  await app.register(websocket, {
    options: { maxPayload: Math.max(deps.maxFrameBytes * 8, 1 << 20) },
    // The plugin's default logs every socket error with its stack at error level, and a client
    // decides how many of those there are: a frame over maxPayload, invalid UTF-8, a bad opcode,
    // a missing mask. Those are the client's faults (ws has already sent the close code: 1009,
    // 1007, 1002), so they are one warning line without a stack; anything else stays an error.
    errorHandler: (error, socket, req) => {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
        req.log.warn({ wsError: code, reason: error.message, address: req.ip }, 'websocket client sent an invalid frame; connection closed');
      } else {
        req.log.error({ err: error }, 'websocket connection failed');
      }
      socket.terminate();
    },
  });

  // A draining node takes no new chat: answered before the WebSocket upgrade or the body is read,
  // with `Connection: close` so the load balancer's kept-alive connection goes too (HAProxy
  // retries a 503 on another node; a client without one reconnects after Retry-After).
  // Counted as a refusal, not as a failed message: nothing was asked yet.
  const refuseWhileDraining = async (_req: FastifyRequest, reply: FastifyReply) => {
    if (!deps.drain?.draining) return;
    deps.onError?.('unavailable', false);
    return reply
      .status(503)
      .header('connection', 'close')
      .header('retry-after', String(Math.ceil(DRAINING_RETRY_AFTER_MS / 1000)))
      .send({ code: 'unavailable', message: 'This server is restarting; connect again.', retryAfterMs: DRAINING_RETRY_AFTER_MS });
  };

  app.get('/v1/chat/ws', { websocket: true, onRequest: refuseWhileDraining }, (socket, req) => {
    const query = req.query as { session?: string; token?: string; resume?: string };
    handleChatSocket(socket, query, {
      pipeline: deps.pipeline,
      auth: deps.auth,
      admission: deps.admission,
      sessions: deps.sessions,
      address: req.ip,
      maxFrameBytes: deps.maxFrameBytes,
      maxQueuedMessages: 8,
      pingIntervalMs: deps.pingIntervalMs,
      tokenWindowMs: deps.tokenWindowMs,
      log: req.log,
      connections: deps.connections,
      onError: deps.onError,
      agentMessages: deps.agentMessages,
      drain: deps.drain,
    }).catch((err: unknown) => {
      // A bug in the connection's set-up: the client gets a clean close instead of a hung socket.
      req.log.error({ err }, 'chat connection failed');
      socket.close(1011, 'internal error');
    });
  });

  app.post('/v1/chat/stream', { onRequest: refuseWhileDraining }, (req, reply) => streamChat(req, reply, deps));
  app.post('/v1/chat', { onRequest: refuseWhileDraining }, (req, reply) => jsonChat(req, reply, deps));

  app.post('/v1/nlu/intent', async (req) => {
    const body = intentBodySchema.safeParse(req.body);
    if (!body.success) throw new ChatError('bad_request', 'Body must be {"text": "..."}.');
    const text = body.data.text.trim();
    if (text.length === 0) throw new ChatError('bad_request', 'The text is empty.');
    if ([...text].length > deps.maxMessageChars) throw new ChatError('payload_too_large', `Texts are limited to ${deps.maxMessageChars} characters.`);
    const r = deps.pipeline.understand(text);
    return { intent: r.intent, confidence: Math.round(r.confidence * 10_000) / 10_000, language: r.language };
  });

  if (deps.admin) registerAdminRoutes(app, deps.admin);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    // Fails at once when the drain begins: the load balancer's health check takes this node out.
    if (deps.drain?.draining) {
      reply.status(503).header('connection', 'close');
      return { status: 'draining', open: deps.drain.size() };
    }
    const r = await deps.readiness();
    reply.status(r.ready ? 200 : 503);
    return { status: r.ready ? 'ready' : 'not_ready', checks: r.checks };
  });

  if (deps.devToken) {
    const mint = deps.devToken;
    app.post('/v1/dev/token', async (req) => {
      const customerId = (req.body as { customerId?: unknown } | undefined)?.customerId;
      if (typeof customerId !== 'string') throw new ChatError('bad_request', 'Body must be {"customerId": "..."}.');
      const token = await mint(customerId);
      if (!token) throw new ChatError('not_found', `No demo customer ${customerId}.`);
      return { token };
    });
  }

  for (const register of deps.routes ?? []) await register(app);

  await app.register(fastifyStatic, { root: deps.webDir, prefix: '/', index: ['index.html'], maxAge: 0 });
  return app;
}

/** Maps anything thrown on a request to a stable error code. */
function toChatError(error: unknown): ChatError {
  if (isChatError(error)) return error;
  const e = error as { statusCode?: number; code?: string; message?: string };
  const byStatus: Record<number, ErrorCode> = { 400: 'bad_request', 413: 'payload_too_large', 415: 'bad_request', 404: 'not_found', 429: 'rate_limited', 503: 'unavailable' };
  const code = e.statusCode ? byStatus[e.statusCode] : undefined;
  if (code === 'bad_request' && e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new ChatError('bad_request', 'Send JSON (content-type: application/json).');
  if (code === 'bad_request' && e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new ChatError('bad_request', 'The JSON body is empty.');
  if (code === 'bad_request') return new ChatError('bad_request', 'The body is not valid JSON.');
  if (code) return new ChatError(code, ERROR_CODES[code].message);
  return new ChatError('internal');
}
