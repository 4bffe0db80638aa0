import WebSocket from 'ws';
import type { IncomingHttpHeaders } from 'node:http';

/** A frame the server sent. */
export type Frame = { type: string; replyTo?: string; [key: string]: unknown };

/** A WebSocket chat client for tests: records every frame and waits for whole replies. */
export interface ChatClient {
  socket: WebSocket;
  sessionId: string;
  /** The `session` frame's resumeToken: pass it as `resume` to continue this conversation. */
  resumeToken: string;
  /** Headers of the upgrade response (behind the fleet's load balancer: X-Served-By, Set-Cookie). */
  upgradeHeaders: IncomingHttpHeaders;
  frames: Frame[];
  send(frame: unknown): void;
  sendRaw(data: string | Buffer): void;
  /** Sends a user message and resolves with every frame of its reply, up to `end` or `error`. */
  ask(text: string, id?: string): Promise<Frame[]>;
  /** Resolves with the next frame matching `pred` (already received ones included from `from`). */
  next(pred: (f: Frame) => boolean, from?: number, timeoutMs?: number): Promise<Frame>;
  close(): Promise<void>;
}

let counter = 0;

/** Connects to /v1/chat/ws and waits for the `session` frame; `headers` go on the upgrade request (a sticky-session cookie). */
export async function connectChat(wsUrl: string, params: { session?: string; token?: string; resume?: string } = {}, opts: { headers?: Record<string, string> } = {}): Promise<ChatClient> {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined) as [string, string][]);
  const socket = new WebSocket(`${wsUrl}/v1/chat/ws${qs.size ? `?${qs}` : ''}`, { headers: opts.headers });
  let upgradeHeaders: IncomingHttpHeaders = {};
  socket.once('upgrade', (res) => {
    upgradeHeaders = res.headers;
  });
  const frames: Frame[] = [];
  const waiters: { pred: (f: Frame) => boolean; from: number; resolve: (f: Frame) => void }[] = [];
  socket.on('message', (data) => {
    const f = JSON.parse(data.toString()) as Frame;
    frames.push(f);
    for (const w of [...waiters]) {
      if (frames.length - 1 >= w.from && w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  const next: ChatClient['next'] = (pred, from = 0, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const found = frames.slice(from).find(pred);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames.slice(-5))}`)), timeoutMs);
      waiters.push({ pred, from, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const session = await next((f) => f.type === 'session' || f.type === 'error');
  const client: ChatClient = {
    socket,
    sessionId: String(session.sessionId ?? ''),
    resumeToken: String(session.resumeToken ?? ''),
    upgradeHeaders,
    frames,
    send: (frame) => socket.send(JSON.stringify(frame)),
    sendRaw: (data) => socket.send(data),
    next,
    async ask(text, id = `t-${process.pid}-${++counter}`) {
      const from = frames.length;
      client.send({ type: 'user_message', id, text });
      await next((f) => f.replyTo === id && (f.type === 'end' || f.type === 'error'), from);
      return frames.slice(from).filter((f) => f.replyTo === id);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
  return client;
}

/** The reply text of a list of frames. */
export function replyText(frames: Frame[]): string {
  return frames.filter((f) => f.type === 'token').map((f) => String(f.text)).join('');
}

/** The cards of a reply, as "<seriesId> v<volume>" in the order shown. */
export function cardedVolumes(frames: Frame[]): string[] {
  return frames.filter((f) => f.type === 'products').flatMap((f) => (f.items as { seriesId: string; volume: number | null }[]).map((c) => `${c.seriesId} v${c.volume}`));
}

/** The series of a reply's cards, each once, in the order shown. */
export function cardedSeries(frames: Frame[]): string[] {
  return [...new Set(frames.filter((f) => f.type === 'products').flatMap((f) => (f.items as { seriesId: string }[]).map((c) => c.seriesId)))];
}
