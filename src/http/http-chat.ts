import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChatError, isChatError } from '../errors.ts';
import type { ChatPipeline, Customer } from '../chat/pipeline.ts';
import { chatBodySchema, type ProductCard, type ReplyFrame } from '../chat/protocol.ts';
import type { Authenticator } from '../admission/auth.ts';
import type { Admission } from '../admission/admission.ts';
import { sessionIdSchema } from './session-id.ts';
import type { SessionAccess } from '../sessions/session-access.ts';
import type { ConnectionTracker } from './connections.ts';
import type { ErrorCode } from '../errors.ts';
import type { Drain } from './drain.ts';
import { createFrameBatch, tokenJson } from './frame-batch.ts';

/** What the HTTP chat endpoints need. */
export interface HttpChatDeps {
  pipeline: ChatPipeline;
  auth: Authenticator;
  admission: Admission;
  /** Who may continue which conversation: a session id alone is not enough. */
  sessions: SessionAccess;
  connections?: ConnectionTracker;
  /** Told every error event sent inside a stream (refusals before it are the error handler's). */
  onError?: (code: ErrorCode, message: boolean) => void;
  /** Graceful drain: a reply started here finishes before the process exits (until the drain's deadline). */
  drain?: Drain;
  /** A reply's later tokens are held this long at most and joined into one event (frame-batch.ts); 0: one event per turn of the loop. */
  tokenWindowMs?: number;
}

interface Accepted {
  sessionId: string;
  /** Sent back so the client can continue this conversation (protocol.md). */
  resumeToken: string;
  messageId: string;
  text: string;
  customer: Customer;
}

/** Validates the body and the bearer token of POST /v1/chat and /v1/chat/stream, then admits the message. */
async function accept(req: FastifyRequest, deps: HttpChatDeps): Promise<Accepted> {
  const body = chatBodySchema.safeParse(req.body);
  if (!body.success) throw new ChatError('bad_request', `Malformed body: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`);
  if (body.data.sessionId !== undefined && !sessionIdSchema.safeParse(body.data.sessionId).success) throw new ChatError('bad_request', 'Malformed sessionId.');
  const header = req.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const customer = await deps.auth.authenticate(token);
  deps.pipeline.validate(body.data.text);
  // The conversation asked for, if this client owns it; anyone else gets a new one.
  const session = await deps.sessions.open({ sessionId: body.data.sessionId, resumeToken: body.data.resumeToken, customer });
  // Refusals here are plain HTTP answers: 429 + Retry-After, or 503 when shed.
  await deps.admission.admit({ customer, sessionId: session.sessionId, address: req.ip });
  await session.claim();
  return { sessionId: session.sessionId, resumeToken: session.resumeToken, messageId: body.data.id ?? randomUUID(), text: body.data.text, customer };
}

/** Holds the drain open while this reply runs; at its deadline the reply is cut and the client retries its id (elsewhere). */
function holdDrain(reply: FastifyReply, deps: HttpChatDeps): void {
  const leave = deps.drain?.join({ drain: () => undefined, force: () => reply.raw.destroy() });
  if (reply.raw.closed) leave?.();
  else if (leave) reply.raw.once('close', leave);
}

/** An AbortSignal that fires when the HTTP client goes away before the reply is complete. */
function clientGone(req: FastifyRequest, reply: FastifyReply): AbortSignal {
  const ctl = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) ctl.abort();
  });
  req.raw.on('aborted', () => ctl.abort());
  return ctl.signal;
}

/**
 * POST /v1/chat/stream: the reply as Server-Sent Events, one event per frame. Refusals found
 * before the first frame are plain HTTP errors (400/413/429/503); later ones are `error` events.
 */
export async function streamChat(req: FastifyRequest, reply: FastifyReply, deps: HttpChatDeps): Promise<void> {
  const a = await accept(req, deps);
  holdDrain(reply, deps);
  const signal = clientGone(req, reply);
  const counted = deps.connections?.open('sse', a.sessionId);
  reply.raw.once('close', () => counted?.());
  const frames = deps.pipeline.reply({ sessionId: a.sessionId, messageId: a.messageId, text: a.text, customer: a.customer, signal });
  // The first frame decides between an HTTP refusal and a stream.
  const first = await frames.next();
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // As on the WebSocket: the events of one turn of the event loop are one write, the reply's
  // tokens of that turn joined into a few `token` events, its later tokens over the token window (frame-batch.ts).
  const events = createFrameBatch(
    (out) => {
      if (!reply.raw.destroyed) reply.raw.write(out.join(''));
    },
    (replyTo, text) => `event: token\ndata: ${tokenJson(replyTo, text)}\n\n`,
    deps.tokenWindowMs,
  );
  // A client gone mid-window: the held tokens have nowhere to go, and their timer goes with them.
  reply.raw.once('close', events.flush);
  const write = (frame: { type: string; [key: string]: unknown }) => events.frame(`event: ${frame.type}\ndata: ${JSON.stringify(frame)}\n\n`);
  const replyTo = JSON.stringify(a.messageId);
  const send = (frame: ReplyFrame) => (frame.type === 'token' ? events.token(replyTo, frame.text) : write({ ...frame, replyTo: a.messageId }));
  write({ type: 'session', sessionId: a.sessionId, resumeToken: a.resumeToken, customer: a.customer.kind });
  try {
    if (!first.done) send(first.value);
    for await (const frame of frames) send(frame);
  } catch (error) {
    const e = isChatError(error) ? error : new ChatError('internal');
    if (!isChatError(error)) req.log.error({ err: error }, 'chat stream failed');
    deps.onError?.(e.code, true);
    write({ type: 'error', replyTo: a.messageId, code: e.code, message: e.message, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) });
  } finally {
    events.flush();
    reply.raw.end();
  }
}

/** POST /v1/chat: the whole reply as one JSON object. */
export async function jsonChat(req: FastifyRequest, reply: FastifyReply, deps: HttpChatDeps): Promise<unknown> {
  const a = await accept(req, deps);
  holdDrain(reply, deps);
  const signal = clientGone(req, reply);
  const counted = deps.connections?.open('http', a.sessionId);
  reply.raw.once('close', () => counted?.());
  const out = { sessionId: a.sessionId, resumeToken: a.resumeToken, id: a.messageId, intent: '', language: '', confidence: 0, text: '', products: [] as ProductCard[], timings: {} as Record<string, number>, degraded: [] as string[] };
  for await (const frame of deps.pipeline.reply({ sessionId: a.sessionId, messageId: a.messageId, text: a.text, customer: a.customer, signal }) as AsyncGenerator<ReplyFrame>) {
    if (frame.type === 'start') Object.assign(out, { intent: frame.intent, language: frame.language, confidence: frame.confidence });
    else if (frame.type === 'token') out.text += frame.text;
    else if (frame.type === 'revise') Object.assign(out, { text: frame.text, revised: frame.reason });
    else if (frame.type === 'products') out.products = frame.items;
    else if (frame.type === 'end') Object.assign(out, { timings: frame.timings, traceId: frame.traceId, degraded: frame.degraded ?? [], ...(frame.handoff ? { handoff: frame.handoff } : {}), ...(frame.route ? { route: frame.route } : {}), ...(frame.guardrail ? { guardrail: frame.guardrail } : {}), ...(frame.interrupted ? { interrupted: true } : {}), ...(frame.replayed ? { replayed: true } : {}) });
  }
  return out;
}
