/**
 * The HTTP side shared by the SSE vendor fakes (Anthropic, OpenAI-compatible): request capture,
 * scripts, failure injection and connection bookkeeping. Each vendor supplies its wire format as
 * an SseDialect. Hand-written because the point is to control the socket (stalls, destroyed
 * sockets mid-chunk), which a mock-server library hides.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { estimateTokens } from '../../../src/llm/stream-text.ts';
import type { FakeRequest, FakeScript, FakeVendor } from './fake-vendor.ts';

/** A FakeScript with the SSE-only failures the vendor-specific tests use. */
export interface SseScript extends FakeScript {
  /** Status of an injected HTTP failure instead of the vendor's usual one (e.g. Anthropic's 529). */
  errorStatus?: number;
  /** After `failAfter` pieces (default 2), the vendor's in-stream error event, then a clean end. */
  streamError?: boolean;
  /** After all pieces, the response ends cleanly without the vendor's closing events (no end marker). */
  truncate?: boolean;
}

/** What a vendor's stream is built from. */
export interface StreamContext {
  /** The parsed request body. */
  body: Record<string, unknown>;
  usage: { inputTokens: number; outputTokens: number };
  /** A response id, unique per request. */
  id: string;
}

/** One vendor's wire format. */
export interface SseDialect {
  /** The one POST path the vendor serves (e.g. `/v1/messages`). */
  path: string;
  /** A request the vendor would refuse (missing auth or version header): its status and body. */
  validate(req: IncomingMessage, body: Record<string, unknown>): { status: number; body: unknown } | undefined;
  /** The vendor's HTTP error response for an injected failure. */
  error(kind: 'throttle' | 'server_error' | 'bad_request', status?: number): { status: number; headers?: Record<string, string>; body: unknown };
  /** SSE frames sent before the first piece. */
  open(ctx: StreamContext): string;
  /** The SSE frame carrying one text piece. */
  piece(text: string, ctx: StreamContext, index: number): string;
  /** SSE frames closing a normal stream: stop reason, usage, end marker. */
  close(ctx: StreamContext): string;
  /** The vendor's in-stream error frame. */
  streamError(ctx: StreamContext): string;
}

/** One SSE frame: an optional event name and a JSON (or literal string) data line. */
export function sseFrame(event: string | undefined, data: unknown): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

const DEFAULT_SCRIPT: SseScript = { pieces: ['Hello', ' world'] };

/** The vendor fake over one dialect; `startSseFake` starts it. */
export class SseFake implements FakeVendor {
  readonly requests: FakeRequest[] = [];
  url = '';
  readonly #dialect: SseDialect;
  readonly #scripts: SseScript[] = [];
  // A client that resets mid-request fails the body read: that request is over, not the fake.
  readonly #server = createServer((req, res) => void this.#handle(req, res).catch(() => res.destroy()));
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #open = 0;
  #connections = 0;
  #ids = 0;

  constructor(dialect: SseDialect) {
    this.#dialect = dialect;
    this.#server.on('connection', (socket) => {
      this.#connections++;
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  /** Listens on 127.0.0.1, on a free port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  next(script: SseScript): void {
    this.#scripts.push(script);
  }

  openResponses(): number {
    return this.#open;
  }

  connections(): number {
    return this.#connections;
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #wait(ms: number | undefined, res: ServerResponse): Promise<boolean> {
    if (!ms) return Promise.resolve(!res.destroyed);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        resolve(!res.destroyed);
      }, ms);
      this.#timers.add(t);
      // A client that went away ends the script instead of leaving a timer behind.
      res.once('close', () => {
        clearTimeout(t);
        this.#timers.delete(t);
        resolve(false);
      });
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.#open++;
    res.once('close', () => this.#open--);
    const raw: Buffer[] = [];
    for await (const chunk of req) raw.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(raw).toString('utf8')) as Record<string, unknown>;
    } catch {
      body = {};
    }
    this.requests.push({ path: req.url ?? '', headers: { ...req.headers }, body });
    if (req.method !== 'POST' || req.url !== this.#dialect.path) return json(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
    const refused = this.#dialect.validate(req, body);
    if (refused) return json(res, refused.status, refused.body);

    const script = this.#scripts.shift() ?? DEFAULT_SCRIPT;
    const { pieces, fail } = script;
    const ctx: StreamContext = {
      body,
      id: `fake_${++this.#ids}`,
      usage: script.usage ?? { inputTokens: estimateTokens(JSON.stringify(body)), outputTokens: pieces.length },
    };
    if (fail === 'stall_head') return; // never answered: the client's timeout must fire
    if (!(await this.#wait(script.headDelayMs, res))) return;
    if (fail === 'throttle' || fail === 'server_error' || fail === 'bad_request') {
      const e = this.#dialect.error(fail, script.errorStatus);
      return json(res, e.status, e.body, e.headers);
    }

    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    // The head and the vendor's opening events (no text) arrive; then the socket goes.
    if (fail === 'disconnect_before_first') return writeThenDestroy(res, this.#dialect.open(ctx));
    res.write(this.#dialect.open(ctx));
    const stopAt = fail === 'disconnect_mid' || fail === 'stall_mid' || script.streamError ? (script.failAfter ?? 2) : pieces.length;
    const sent = Math.min(stopAt, pieces.length);
    for (let i = 0; i < sent; i++) {
      if (i > 0 && !(await this.#wait(script.pieceDelayMs, res))) return;
      if (res.destroyed) return;
      const frame = this.#dialect.piece(pieces[i], ctx, i);
      if (fail === 'disconnect_mid' && i === sent - 1) return writeThenDestroy(res, frame);
      res.write(frame);
    }
    if (fail === 'disconnect_mid') return void res.socket?.destroy(); // failAfter 0
    if (fail === 'stall_mid') return; // open until the client gives up
    if (script.streamError) return void res.end(this.#dialect.streamError(ctx));
    if (script.truncate) return void res.end();
    res.end(this.#dialect.close(ctx));
  }
}

/** Starts a fake speaking `dialect` on 127.0.0.1. */
export function startSseFake(dialect: SseDialect): Promise<SseFake> {
  return new SseFake(dialect).listen();
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

// Written, then the socket destroyed once the data reached it, so the client sees it before the reset.
function writeThenDestroy(res: ServerResponse, data: string): void {
  res.write(data, () => res.socket?.destroy());
}
