/**
 * The HTTP side shared by the embedding fakes (OpenAI-compatible, Bedrock InvokeModel): request
 * capture, per-request scripts, failure injection and connection bookkeeping. Each vendor gives
 * its wire format as a dialect. Hand-written to control the socket (stalls, destroyed sockets).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the fake answers one request. */
export interface EmbeddingScript {
  /**
   * - `throttle`: the vendor's 429 with its error body
   * - `server_error`: its 500; `unavailable`: its 503
   * - `bad_request`: its 400 (the input refused)
   * - `stall`: no response at all (the client's timeout must fire)
   * - `disconnect`: the socket is destroyed before any response
   * - `wrong_dimensions`: a 200 whose vectors have one value too few
   */
  fail?: 'throttle' | 'server_error' | 'unavailable' | 'bad_request' | 'stall' | 'disconnect' | 'wrong_dimensions';
  /** Delay before the response, ms. */
  delayMs?: number;
}

/** One request the fake received. */
export interface EmbeddingRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A vendor's answer to one request. */
export interface DialectResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** One vendor's wire format. */
export interface EmbeddingDialect {
  /** The vendor's answer to a well-formed request, or its refusal of a malformed one. */
  answer(req: EmbeddingRequest, script: EmbeddingScript): Promise<DialectResponse>;
  /** The vendor's error response for an injected failure. */
  error(kind: 'throttle' | 'server_error' | 'unavailable' | 'bad_request'): DialectResponse;
}

/** An embedding fake listening on 127.0.0.1. */
export interface EmbeddingFake {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Queues the script of the next request (in arrival order); without one the fake answers normally. */
  next(...scripts: EmbeddingScript[]): void;
  /** Every request received, oldest first. */
  readonly requests: EmbeddingRequest[];
  /** The texts embedded by successful requests, in the order they were answered. */
  readonly embedded: string[];
  /** Responses still open (a cancelled call must bring this back to 0). */
  openResponses(): number;
  /** The most responses open at once so far (bounded concurrency checks). */
  peakOpen(): number;
  /** TCP connections accepted so far (keep-alive checks). */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a fake speaking `dialect`; `textsOf` reads the embedded texts from a request body. */
export async function startEmbeddingFake(dialect: EmbeddingDialect, textsOf: (body: Record<string, unknown>) => string[]): Promise<EmbeddingFake> {
  const scripts: EmbeddingScript[] = [];
  const requests: EmbeddingRequest[] = [];
  const embedded: string[] = [];
  const open = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let accepted = 0;
  let peak = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    peak = Math.max(peak, open.size);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        body = {};
      }
      const request: EmbeddingRequest = { method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers }, body };
      requests.push(request);
      const script = scripts.shift() ?? {};
      if (script.fail === 'stall') return;
      const timer = setTimeout(() => void respond(request, script, res), script.delayMs ?? 0);
      res.on('close', () => clearTimeout(timer));
    });
  });
  server.on('connection', (s: Socket) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function respond(request: EmbeddingRequest, script: EmbeddingScript, res: ServerResponse): Promise<void> {
    if (res.destroyed) return;
    if (script.fail === 'disconnect') {
      res.socket?.destroy();
      return;
    }
    const failed = script.fail === 'throttle' || script.fail === 'server_error' || script.fail === 'unavailable' || script.fail === 'bad_request';
    const out = failed ? dialect.error(script.fail as 'throttle') : await dialect.answer(request, script);
    if (res.destroyed) return;
    if (out.status === 200) embedded.push(...textsOf(request.body));
    res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
    res.end(JSON.stringify(out.body));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    next: (...s) => void scripts.push(...s),
    requests,
    embedded,
    openResponses: () => open.size,
    peakOpen: () => peak,
    connections: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
