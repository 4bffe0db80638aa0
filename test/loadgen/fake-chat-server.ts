import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';

/** How the fake service answers; every delay is exact so tests know what to expect. */
export interface FakeBehaviour {
  /** Delay from receiving a message to the first `token` frame. */
  firstTokenMs: number;
  /** Number of `token` frames. */
  tokens: number;
  /** Gap between consecutive tokens. */
  tokenGapMs: number;
  /** Every n-th message (counted over the whole server) is refused with `rate_limited`. */
  rateLimitEvery?: number;
  /** Every n-th message is never answered (the generator must time out). */
  silentEvery?: number;
  /** Every n-th message: the socket is cut after the first token (the generator sees `dropped`). */
  dropEvery?: number;
  /** Every n-th message ends as the engine-down brief message: `end.degraded: ["llm"]` (unanswered). */
  unansweredEvery?: number;
  /** Every n-th message ends with `end.degraded: ["catalog"]` (answered from a fallback). */
  degradedEvery?: number;
  /** Verifies `?token=` / bearer tokens with this secret and records the claims. */
  jwtSecret?: string;
}

/** A tiny chat server speaking the wire contract, on 127.0.0.1, with known latencies and faults. */
export interface FakeChatServer {
  url: string;
  /** Messages received, and how many were refused. */
  stats: { messages: number; rateLimited: number; silent: number; dropped: number; connections: number; maxConcurrent: number; maxInFlight: number; maxInFlightPerConnection: number; claims: { sub: string; tier: string }[]; guests: number; remoteAddresses: Set<string> };
  /** Holds every outgoing frame (including new sessions' `session` frame) for `ms`, like a GC pause. */
  stall(ms: number): void;
  close(): Promise<void>;
}

/** Starts the fake service on an ephemeral loopback port. */
export async function startFakeChatServer(b: FakeBehaviour): Promise<FakeChatServer> {
  const stats: FakeChatServer['stats'] = { messages: 0, rateLimited: 0, silent: 0, dropped: 0, connections: 0, maxConcurrent: 0, maxInFlight: 0, maxInFlightPerConnection: 0, claims: [], guests: 0, remoteAddresses: new Set() };
  let stallUntil = 0;
  let held: (() => void)[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  let open = 0;
  let inFlight = 0;

  // Everything leaves through here so a stall delays all frames and keeps their order.
  const out = (fn: () => void) => {
    if (performance.now() < stallUntil || held.length) held.push(fn);
    else fn();
  };
  const flush = () => {
    const batch = held;
    held = [];
    for (const fn of batch) fn();
  };

  const authenticate = async (token: string | undefined) => {
    if (!token || !b.jwtSecret) {
      stats.guests++;
      return;
    }
    const { payload } = await jwtVerify(token, new TextEncoder().encode(b.jwtSecret), { algorithms: ['HS256'] });
    stats.claims.push({ sub: String(payload.sub), tier: String(payload.tier) });
  };

  /** One reply, frame by frame, on the fake pipeline's schedule. */
  const reply = (id: string, send: (frame: object) => void, cut: () => void) => {
    const n = ++stats.messages;
    if (b.rateLimitEvery && n % b.rateLimitEvery === 0) {
      stats.rateLimited++;
      return out(() => send({ type: 'error', replyTo: id, code: 'rate_limited', message: 'slow down', retryAfterMs: 1000 }));
    }
    if (b.silentEvery && n % b.silentEvery === 0) {
      stats.silent++;
      return;
    }
    const drop = b.dropEvery !== undefined && n % b.dropEvery === 0;
    const degraded = b.unansweredEvery && n % b.unansweredEvery === 0 ? ['llm'] : b.degradedEvery && n % b.degradedEvery === 0 ? ['catalog'] : undefined;
    stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
    out(() => send({ type: 'start', replyTo: id, intent: 'product_search', language: 'en' }));
    for (let i = 0; i < b.tokens; i++) {
      setTimeout(() => out(() => {
        if (drop && i === 1) {
          stats.dropped++;
          return cut();
        }
        send({ type: 'token', replyTo: id, text: `t${i} ` });
      }), b.firstTokenMs + i * b.tokenGapMs);
    }
    setTimeout(() => out(() => {
      inFlight--;
      if (!drop) send({ type: 'end', replyTo: id, timings: { retrievalMs: 2, firstTokenMs: b.firstTokenMs, totalMs: b.firstTokenMs + (b.tokens - 1) * b.tokenGapMs }, route: { route: 'large' }, ...(degraded ? { degraded } : {}) });
    }), b.firstTokenMs + (b.tokens - 1) * b.tokenGapMs);
  };

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/stream') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const { id, sessionId } = JSON.parse(body) as { id: string; sessionId?: string };
      const auth = req.headers.authorization;
      await authenticate(auth?.startsWith('Bearer ') ? auth.slice(7) : undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (frame: object) => res.write(`event: ${(frame as { type?: string }).type}\ndata: ${JSON.stringify(frame)}\n\n`);
      out(() => send({ type: 'session', sessionId: sessionId ?? `s-${stats.messages}` }));
      reply(id, (f) => {
        send(f);
        if ((f as { type?: string }).type === 'end' || (f as { type?: string }).type === 'error') res.end();
      }, () => res.destroy());
    });
  });
  const wss = new WebSocketServer({ server: http, path: '/v1/chat/ws' });
  wss.on('connection', async (socket: WebSocket, req) => {
    stats.connections++;
    stats.remoteAddresses.add(req.socket.remoteAddress ?? '');
    stats.maxConcurrent = Math.max(stats.maxConcurrent, ++open);
    socket.on('close', () => open--);
    const token = new URL(req.url ?? '', 'http://x').searchParams.get('token') ?? undefined;
    try {
      await authenticate(token);
    } catch {
      socket.send(JSON.stringify({ type: 'error', code: 'unauthorized', message: 'bad token' }));
      socket.close(4401);
      return;
    }
    const send = (frame: object) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    };
    out(() => send({ type: 'session', sessionId: `s-${stats.connections}` }));
    // Replies of this connection between the message and its `end`/`error`: the generator's
    // rate mode promises one at a time per chat.
    let pending = 0;
    const sendCounted = (frame: object) => {
      const type = (frame as { type?: string }).type;
      if (type === 'end' || type === 'error') pending--;
      send(frame);
    };
    socket.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; id: string };
      if (f.type === 'ping') return out(() => send({ type: 'pong' }));
      stats.maxInFlightPerConnection = Math.max(stats.maxInFlightPerConnection, ++pending);
      reply(f.id, sendCounted, () => socket.terminate());
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    stall(ms) {
      stallUntil = performance.now() + ms;
      clearTimeout(flushTimer);
      flushTimer = setTimeout(flush, ms);
    },
    async close() {
      clearTimeout(flushTimer);
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
