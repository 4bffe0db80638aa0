import type { WebSocket } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import { ChatError, ERROR_CODES, isChatError, type ErrorCode } from '../errors.ts';
import type { ChatPipeline, Customer } from '../chat/pipeline.ts';
import { clientFrameSchema } from '../chat/protocol.ts';
import type { Authenticator } from '../admission/auth.ts';
import type { Admission } from '../admission/admission.ts';
import { sessionIdSchema } from './session-id.ts';
import type { ConnectionTracker } from './connections.ts';
import type { AgentMessageFrame } from '../escalation/types.ts';
import type { OpenedSession, SessionAccess } from '../sessions/session-access.ts';
import type { Drain } from './drain.ts';
import { createFrameWriter } from './ws-frames.ts';

/** What the WebSocket chat endpoint needs. */
export interface WsChatDeps {
  pipeline: ChatPipeline;
  auth: Authenticator;
  admission: Admission;
  /** Who may continue which conversation: a session id alone is not enough. */
  sessions: SessionAccess;
  /** Client address, for the cap on new guest sessions. */
  address: string;
  /** Largest accepted frame; larger ones are refused with `payload_too_large`, the socket stays open. */
  maxFrameBytes: number;
  /** Replies queued on one connection before further messages are refused. */
  maxQueuedMessages: number;
  /** Server ping interval; two missed pongs close the connection (abandoned tabs). */
  pingIntervalMs: number;
  /** A reply's later tokens are held this long at most and joined into one frame (frame-batch.ts); 0: one frame per turn of the loop. */
  tokenWindowMs?: number;
  log: FastifyBaseLogger;
  /** Counts the connection and its session while it is open (open chats gauge). */
  connections?: ConnectionTracker;
  /** Told every error frame sent; `message` when it answers a customer message (metrics). */
  onError?: (code: ErrorCode, message: boolean) => void;
  /** Operator replies of a human handoff: delivered live to this chat, and the missed ones on connect. */
  agentMessages?: {
    /** This chat is open: live replies from now on, the missed ones at once, none twice. */
    connect(sessionId: string, send: (frame: AgentMessageFrame) => boolean): { close(): void; caughtUp: Promise<void> };
  };
  /** Graceful drain: this chat's replies in flight finish, then it closes with 1012. */
  drain?: Drain;
}

/** Close code telling the client the node is going away on purpose: reconnect now (to another node), not as after an error. */
export const SERVICE_RESTART = 1012;

/**
 * One chat connection, top to bottom: authenticate, announce the session, then for every frame:
 * parse → validate → pipeline → frames out with `replyTo`. Bad frames get an `error` frame and
 * the connection stays usable. Admission (brownout, rate limits) is decided the moment a frame
 * arrives, so a refusal is immediate; messages of one connection are then answered in order
 * (the conversation memory must see turns in the order they were asked).
 */
export async function handleChatSocket(socket: WebSocket, query: { session?: string; token?: string; resume?: string }, deps: WsChatDeps): Promise<void> {
  const closed = new AbortController();
  // A reply is dozens of small frames produced in one burst: the frames of one turn of the event
  // loop go out in one socket write (ws-frames.ts), a reply's tokens of that turn joined into a few
  // frames, and a paced reply's later tokens joined over a short window.
  const frames = createFrameWriter(socket, deps.tokenWindowMs);
  socket.on('close', () => {
    closed.abort();
    // Tokens held in a window have nowhere to go now; their timer goes with them.
    frames.flush();
  });
  const sendToken = (replyTo: string, text: string) => {
    if (socket.readyState === socket.OPEN) frames.token(replyTo, text);
  };
  const send = (frame: object) => {
    if (socket.readyState === socket.OPEN) frames.write(JSON.stringify(frame));
  };
  // Our close frame goes after every frame sent before it.
  const close = (code: number, reason: string) => {
    frames.flush();
    socket.close(code, reason);
  };
  // Every error frame goes through here: counted by code (and as a refused or failed message).
  const refuse = (frame: { code: ErrorCode; message: string; replyTo?: string; retryAfterMs?: number }, message = true) => {
    deps.onError?.(frame.code, message);
    send({ type: 'error', ...frame });
  };

  let customer: Customer;
  let session: OpenedSession;
  try {
    customer = await deps.auth.authenticate(query.token || undefined);
    // The conversation asked for, if this client owns it; anyone else gets a new one.
    const requested = sessionIdSchema.safeParse(query.session);
    session = await deps.sessions.open({ sessionId: requested.success ? requested.data : undefined, resumeToken: query.resume || undefined, customer }, { signal: closed.signal });
  } catch (error) {
    const e = isChatError(error) ? error : new ChatError('unauthorized');
    refuse({ code: e.code, message: e.message }, false);
    // 1013 "try again later" when sign-in or the conversation could not be checked (our outage), not a bad token.
    if (e.code === 'unavailable') close(1013, 'try again later');
    else close(4401, 'unauthorized');
    return;
  }
  const { sessionId } = session;
  send({ type: 'session', sessionId, resumeToken: session.resumeToken, customer: customer.kind, resumed: session.resumed, ...(session.carriedOver ? { carriedOver: true } : {}) });
  const counted = deps.connections?.open('ws', sessionId);
  // Staff replies reach this chat while it is open; the ones sent while it was closed come now.
  const deliver = (frame: AgentMessageFrame) => {
    if (socket.readyState !== socket.OPEN) return false;
    send(frame);
    return true;
  };
  const agentChat = deps.agentMessages?.connect(sessionId, deliver);
  socket.on('close', () => {
    counted?.();
    agentChat?.close();
  });
  agentChat?.caughtUp.catch((err) => deps.log.warn({ err, sessionId }, 'undelivered staff replies could not be sent'));

  keepAlive(socket, deps.pingIntervalMs);

  let queue: Promise<void> = Promise.resolve();
  let queued = 0;
  // Graceful drain: the replies queued here finish (a message sent meanwhile is answered too),
  // then the chat closes with 1012 and its client reconnects through the load balancer to
  // another node. At the drain's deadline what still runs is cut; the client sends it again.
  let leaving = false;
  const restart = () => {
    if (socket.readyState === socket.OPEN) close(SERVICE_RESTART, 'service restart');
  };
  const leave = deps.drain?.join({
    drain() {
      leaving = true;
      if (queued === 0) restart();
    },
    force() {
      closed.abort();
      restart();
      // A client that never answers the close frame would hold the process for ws's 30 s.
      setTimeout(() => socket.terminate(), 1000).unref();
    },
  });
  if (socket.readyState === socket.CLOSED) leave?.();
  else if (leave) socket.on('close', leave);
  socket.on('message', (data, isBinary) => {
    // After our close frame (a drain), a message is not started: the client sends it again on
    // its next connection, with the same id.
    if (socket.readyState !== socket.OPEN) return;
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
    if (size > deps.maxFrameBytes) {
      refuse({ code: 'payload_too_large', message: `Frames are limited to ${deps.maxFrameBytes} bytes.` });
      return;
    }
    if (isBinary) {
      refuse({ code: 'bad_request', message: 'Frames must be JSON text frames.' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      refuse({ code: 'bad_request', message: 'A frame must be one JSON object.' });
      return;
    }
    const parsed = clientFrameSchema.safeParse(json);
    if (!parsed.success) {
      const type = (json as { type?: unknown } | null)?.type;
      const replyTo = typeof (json as { id?: unknown } | null)?.id === 'string' ? (json as { id: string }).id : undefined;
      const message = typeof type === 'string' && type !== 'user_message' && type !== 'ping'
        ? `Unknown frame type "${type.slice(0, 40)}".`
        : `Malformed frame: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'frame'} ${i.message}`).join('; ')}`;
      refuse({ ...(replyTo ? { replyTo } : {}), code: 'bad_request', message });
      return;
    }
    const frame = parsed.data;
    if (frame.type === 'ping') {
      send({ type: 'pong' });
      return;
    }
    if (queued >= deps.maxQueuedMessages) {
      refuse({ replyTo: frame.id, code: 'rate_limited', message: 'Too many messages at once; wait for the answers.', retryAfterMs: 1000 });
      return;
    }
    try {
      deps.pipeline.validate(frame.text);
    } catch (error) {
      const e = isChatError(error) ? error : new ChatError('bad_request');
      refuse({ replyTo: frame.id, code: e.code, message: e.message });
      return;
    }
    queued++;
    const admitted = deps.admission.admit({ customer, sessionId, address: deps.address, signal: closed.signal });
    // Observed now so a refusal never surfaces as an unhandled rejection while earlier replies stream.
    admitted.catch(() => undefined);
    queue = queue.then(async () => {
      try {
        await admitted;
        // A new conversation becomes this client's before its first message is answered.
        await session.claim({ signal: closed.signal });
        // The tokens of this reply produced in one turn of the event loop (and its later tokens within the token window) are joined into token frames of up to ~64 characters (frame-batch.ts).
        // The answer's tokens come straight to the writer (onToken), the other frames through the stream, in order.
        const replyTo = JSON.stringify(frame.id);
        const onToken = (text: string) => sendToken(replyTo, text);
        for await (const out of deps.pipeline.reply({ sessionId, messageId: frame.id, text: frame.text, customer, signal: closed.signal, onToken })) {
          if (out.type === 'token') sendToken(replyTo, out.text);
          else send({ ...out, replyTo: frame.id });
        }
      } catch (error) {
        if (!isChatError(error)) deps.log.error({ err: error, sessionId }, 'chat reply failed');
        // A refusal caused by a dependency (a store call past its deadline, a claim that failed) is
        // logged with that cause: the customer only sees the code. Load shedding carries no cause.
        else if (error.cause !== undefined) deps.log.warn({ err: error.cause, code: error.code, sessionId, messageId: frame.id }, 'chat reply refused');
        const e = isChatError(error) ? error : new ChatError('internal');
        refuse({ replyTo: frame.id, code: e.code, message: e.message || ERROR_CODES[e.code].message, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) });
      } finally {
        queued--;
        if (leaving && queued === 0) restart();
      }
    });
  });
}

/** Pings on an interval and closes a connection that stopped answering (frees abandoned tabs). */
function keepAlive(socket: WebSocket, intervalMs: number): void {
  if (intervalMs <= 0) return;
  let missed = 0;
  socket.on('pong', () => {
    missed = 0;
  });
  const timer = setInterval(() => {
    if (missed >= 2) {
      socket.terminate();
      return;
    }
    missed++;
    socket.ping();
  }, intervalMs);
  timer.unref();
  socket.on('close', () => clearInterval(timer));
}
