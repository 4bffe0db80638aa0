import { Agent, request, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import type { Target } from './targets.ts';

/**
 * The persistent chats of the message-rate mode, kept lean: the generator needs most of a core at
 * 1,000 messages/s, so a token frame costs a byte comparison, not a JSON parse; only the one `end`
 * (or `error`) frame of a reply is parsed. One reply is in flight per chat at a time.
 */

/** Told what happens to the reply in flight on a chat (clock: `performance.now()`). */
export interface ChatEvents {
  /** A `token` frame arrived (the first one is the reply's first token). */
  token(chat: RateChat, at: number): void;
  /** The `end` frame arrived; `frame` is its JSON text. */
  end(chat: RateChat, at: number, frame: string): void;
  /** The reply failed: a refusal code from an `error` frame or HTTP status, or `dropped`. */
  failed(chat: RateChat, at: number, code: string): void;
  /** The connection is gone (not during a reply, or after `failed`): the pool reconnects it. */
  closed(chat: RateChat): void;
}

/**
 * Where a chat's conversation lives, so a reconnect resumes it as the chat page does: the
 * `session` frame's id and resume token, and the load balancer's sticky cookie.
 */
export interface ChatSession {
  sessionId: string;
  resumeToken?: string;
  /** `name=value` of the sticky cookie the load balancer set, sent back on reconnect like a browser. */
  cookie?: string;
  /** The `X-Served-By` header of the upgrade (which node behind the load balancer took the chat). */
  servedBy?: string;
}

/** One persistent chat: a WebSocket, or an SSE session (one keep-alive POST per message). */
export interface RateChat {
  readonly index: number;
  /** Sends one message (the caller guarantees no reply is in flight). */
  send(id: string, escapedText: string): void;
  /** Cuts the connection (after a timeout: a late reply must not be taken for the next one). */
  terminate(): void;
  /** The conversation this chat continues (WebSocket chats; from the `session` frame). */
  readonly session?: ChatSession;
  /** The WebSocket close code once closed (1012: the node is draining), else 0. */
  readonly closeCode?: number;
}

/** Opens chats of one transport. */
export interface ChatOpener {
  /** `resume`: continue that conversation (its session id, resume token and sticky cookie). */
  open(index: number, target: Target, token: string | undefined, events: ChatEvents, timeoutMs: number, resume?: ChatSession): Promise<RateChat>;
  close(): void;
}

// Every server frame is `JSON.stringify({ type, ... })`: the type's first letters sit at fixed offsets.
const PREFIX = Buffer.from('{"type":"');
const T = 0x74; // token
const E = 0x65; // end / error
const N = 0x6e;
const R = 0x72;

/** The frame's type from its first bytes; undefined when the frame is not in the expected shape. */
export function frameType(buf: Buffer): 'token' | 'end' | 'error' | 'other' | undefined {
  if (buf.length < 12 || buf.compare(PREFIX, 0, PREFIX.length, 0, PREFIX.length) !== 0) return undefined;
  const c = buf[9];
  if (c === T && buf[10] === 0x6f) return 'token';
  if (c === E && buf[10] === N && buf[11] === 0x64) return 'end';
  if (c === E && buf[10] === R) return 'error';
  return 'other';
}

function typeOf(buf: Buffer): 'token' | 'end' | 'error' | 'other' {
  const quick = frameType(buf);
  if (quick) return quick;
  try {
    const t = (JSON.parse(buf.toString()) as { type?: string }).type;
    return t === 'token' || t === 'end' || t === 'error' ? t : 'other';
  } catch {
    return 'other';
  }
}

/**
 * WebSocket chats (`/v1/chat/ws`), as the chat page holds them. `allEnds`: every `end` frame is
 * passed on, also one arriving while no reply is in flight (a pool that resumes chats counts
 * answers given twice); otherwise frames between replies are ignored.
 */
export function wsOpener(opts: { allEnds?: boolean } = {}): ChatOpener {
  return {
    open(index, target, token, events, timeoutMs, resume) {
      const query = new URLSearchParams();
      if (resume) query.set('session', resume.sessionId);
      if (resume?.resumeToken) query.set('resume', resume.resumeToken);
      if (token) query.set('token', token);
      const url = `${target.ws}/v1/chat/ws${query.size ? `?${query}` : ''}`;
      // Compression off and UTF-8 validation skipped: both cost CPU the generator cannot spare.
      const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, skipUTF8Validation: true, ...(resume?.cookie ? { headers: { cookie: resume.cookie } } : {}) });
      let open = false;
      let busy = false;
      let session: ChatSession | undefined;
      let closeCode = 0;
      let cookie = resume?.cookie;
      let servedBy: string | undefined;
      // A browser keeps the load balancer's sticky cookie and sends it back when it reconnects.
      socket.on('upgrade', (res: IncomingMessage) => {
        const set = res.headers['set-cookie']?.[0];
        if (set) cookie = set.split(';')[0];
        const by = res.headers['x-served-by'];
        if (typeof by === 'string') servedBy = by;
      });
      const chat: RateChat = {
        get session() {
          return session;
        },
        get closeCode() {
          return closeCode;
        },
        index,
        send(id, escapedText) {
          busy = true;
          socket.send(`{"type":"user_message","id":"${id}","text":${escapedText}}`);
        },
        terminate() {
          busy = false;
          socket.terminate();
        },
      };
      return new Promise<RateChat>((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.terminate();
          reject(new Error(`no session frame within ${timeoutMs} ms`));
        }, timeoutMs);
        socket.on('message', (data: Buffer) => {
          const at = performance.now();
          if (!open) {
            const s = data.toString();
            if (s.includes('"session"')) {
              open = true;
              try {
                const f = JSON.parse(s) as { sessionId?: string; resumeToken?: string };
                if (typeof f.sessionId === 'string') session = { sessionId: f.sessionId, resumeToken: f.resumeToken ?? resume?.resumeToken, cookie, servedBy };
              } catch {
                // not the session frame after all: the chat still counts as open
              }
              clearTimeout(timer);
              resolve(chat);
            } else if (s.includes('"error"')) {
              clearTimeout(timer);
              socket.terminate();
              reject(new Error(`refused: ${s.slice(0, 200)}`));
            }
            return;
          }
          if (!busy) {
            if (opts.allEnds && typeOf(data) === 'end') events.end(chat, at, data.toString());
            return;
          }
          const type = typeOf(data);
          if (type === 'token') events.token(chat, at);
          else if (type === 'end') {
            busy = false;
            events.end(chat, at, data.toString());
          } else if (type === 'error') {
            const frame = JSON.parse(data.toString()) as { code?: string; replyTo?: string };
            // An error frame without replyTo is about the connection, not the message.
            busy = false;
            events.failed(chat, at, frame.code ?? 'error');
          }
        });
        socket.on('error', () => undefined);
        socket.on('close', (code: number) => {
          closeCode = code;
          clearTimeout(timer);
          if (!open) {
            reject(new Error('closed before the session frame'));
            return;
          }
          if (busy) {
            busy = false;
            events.failed(chat, performance.now(), 'dropped');
          }
          events.closed(chat);
        });
      });
    },
    close() {},
  };
}

/**
 * SSE chats (`POST /v1/chat/stream`): a session id carried from the first reply to the next, the
 * POSTs on keep-alive connections (one per chat at most), events split at blank lines and only
 * `end`, `error` and `session` data parsed.
 */
export function sseOpener(): ChatOpener {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 100_000 });
  return {
    async open(index, target, token, events) {
      const url = new URL(target.http);
      let sessionId: string | undefined;
      let current: ReturnType<typeof request> | undefined;
      let busy = false;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const chat: RateChat = {
        index,
        send(id, escapedText) {
          busy = true;
          const body = `{"text":${escapedText},"id":"${id}"${sessionId ? `,"sessionId":"${sessionId}"` : ''}}`;
          const req = request({ host: url.hostname, port: url.port, path: '/v1/chat/stream', method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } });
          current = req;
          const fail = (code: string) => {
            if (!busy || current !== req) return;
            busy = false;
            events.failed(chat, performance.now(), code);
          };
          req.on('error', () => fail('dropped'));
          req.on('response', (res: IncomingMessage) => {
            res.setEncoding('utf8');
            let buffered = '';
            if (res.statusCode !== 200) {
              res.on('data', (c: string) => (buffered += c));
              res.on('end', () => {
                let code = `http_${res.statusCode}`;
                try {
                  code = (JSON.parse(buffered) as { code?: string }).code ?? code;
                } catch {
                  // not JSON: the status code says it
                }
                fail(code);
              });
              return;
            }
            res.on('data', (chunk: string) => {
              const at = performance.now();
              buffered += chunk;
              for (let cut = buffered.indexOf('\n\n'); cut >= 0; cut = buffered.indexOf('\n\n')) {
                const event = buffered.slice(0, cut);
                buffered = buffered.slice(cut + 2);
                if (!busy || current !== req) continue;
                // `event: <type>\ndata: <json>`
                if (event.startsWith('event: token')) events.token(chat, at);
                else if (event.startsWith('event: end')) {
                  busy = false;
                  events.end(chat, at, event.slice(event.indexOf('data: ') + 6));
                } else if (event.startsWith('event: error')) {
                  const frame = JSON.parse(event.slice(event.indexOf('data: ') + 6)) as { code?: string };
                  fail(frame.code ?? 'error');
                } else if (event.startsWith('event: session') && !sessionId) {
                  sessionId = (JSON.parse(event.slice(event.indexOf('data: ') + 6)) as { sessionId?: string }).sessionId;
                }
              }
            });
            res.on('end', () => fail('dropped'));
            res.on('error', () => fail('dropped'));
          });
          req.end(body);
        },
        terminate() {
          busy = false;
          current?.destroy();
          // A new session: a late reply of the old one cannot be confused with the next.
          sessionId = undefined;
        },
      };
      return chat;
    },
    close() {
      agent.destroy();
    },
  };
}
