import WebSocket from 'ws';
import { ConnectError, type ChatConnection, type ChatTransport, type ReplyOutcome } from './transport.ts';

type Frame = { type?: string; replyTo?: string; code?: string; intent?: string; timings?: Record<string, number>; degraded?: string[]; interrupted?: boolean; sessionId?: string };

interface Pending {
  id: string;
  outcome: ReplyOutcome;
  finish(error?: string): void;
}

/** WebSocket chat (`/v1/chat/ws`), one socket per session, as the chat page does it. */
export function createWsTransport(opts: { localAddress?: () => string | undefined } = {}): ChatTransport {
  return {
    connect(target, token, signal, timeoutMs) {
      const url = `${target.ws}/v1/chat/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
      // perMessageDeflate off: compression costs CPU on both sides and the chat page does not use it.
      const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, localAddress: opts.localAddress?.() });
      let pending: Pending | undefined;

      socket.on('message', (data) => {
        const at = performance.now();
        let f: Frame;
        try {
          f = JSON.parse(data.toString()) as Frame;
        } catch {
          return;
        }
        if (!pending || f.replyTo !== pending.id) return;
        const o = pending.outcome;
        if (f.type === 'start') o.serverIntent = f.intent;
        else if (f.type === 'token') {
          o.tokenAt.push(at);
          o.firstTokenAt ??= at;
        } else if (f.type === 'end') {
          o.endAt = at;
          o.timings = f.timings;
          if (f.degraded) o.degraded = f.degraded;
          if (f.interrupted) o.interrupted = true;
          pending.finish();
        } else if (f.type === 'error') pending.finish(f.code ?? 'error');
      });
      socket.on('close', () => pending?.finish('dropped'));
      const onAbort = () => socket.terminate();
      signal.addEventListener('abort', onAbort, { once: true });

      const connection: ChatConnection = {
        ask(id, text, askTimeoutMs) {
          return new Promise((resolve) => {
            const outcome: ReplyOutcome = { sentAt: performance.now(), tokenAt: [] };
            if (socket.readyState !== WebSocket.OPEN) return resolve({ ...outcome, finishedAt: outcome.sentAt, error: signal.aborted ? 'aborted' : 'dropped' });
            const timer = setTimeout(() => finish('timeout'), askTimeoutMs);
            const finish = (error?: string) => {
              if (pending?.id !== id) return;
              clearTimeout(timer);
              pending = undefined;
              outcome.finishedAt = performance.now();
              if (error) outcome.error = signal.aborted ? 'aborted' : error;
              resolve(outcome);
            };
            pending = { id, outcome, finish };
            socket.send(JSON.stringify({ type: 'user_message', id, text }));
            outcome.sentAt = performance.now();
          });
        },
        close() {
          signal.removeEventListener('abort', onAbort);
          socket.close();
        },
      };

      return new Promise<ChatConnection>((resolve, reject) => {
        let settled = false;
        const timer = setTimeout(() => fail('connect_failed', `no session frame within ${timeoutMs} ms`), timeoutMs);
        const fail = (code: string, message: string) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          socket.off('message', onFirst);
          signal.removeEventListener('abort', onAbort);
          socket.terminate();
          reject(new ConnectError(signal.aborted ? 'aborted' : code, message));
        };
        // The connection counts as open on the `session` frame: that is when a customer can type.
        const onFirst = (data: WebSocket.RawData) => {
          let f: Frame;
          try {
            f = JSON.parse(data.toString()) as Frame;
          } catch {
            return;
          }
          if (f.type === 'session') {
            settled = true;
            clearTimeout(timer);
            socket.off('message', onFirst);
            resolve(connection);
          } else if (f.type === 'error' && !f.replyTo) fail(f.code ?? 'connect_failed', `refused: ${f.code}`);
        };
        socket.on('message', onFirst);
        // Errors after the handshake are followed by `close`, which the reply handling sees.
        socket.on('error', (error) => fail('connect_failed', error.message));
        socket.once('close', () => fail('connect_failed', 'closed before the session frame'));
        if (signal.aborted) fail('aborted', 'aborted');
      });
    },
  };
}
