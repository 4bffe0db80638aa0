import { createParser } from 'eventsource-parser';
import { type ChatConnection, type ChatTransport, type ReplyOutcome } from './transport.ts';

type Frame = { type?: string; code?: string; intent?: string; timings?: Record<string, number>; degraded?: string[]; interrupted?: boolean; sessionId?: string };

/**
 * Server-Sent Events chat (`POST /v1/chat/stream`): one request per message, the session id
 * carried from the first reply to the next. There is no connection to open, so a refused
 * connection shows up on the first message as `connect_failed`.
 */
export function createSseTransport(): ChatTransport {
  return {
    async connect(target, token, signal) {
      let sessionId: string | undefined;
      const sessionGone = new AbortController();
      const connection: ChatConnection = {
        async ask(id, text, timeoutMs) {
          const outcome = await askOnce(id, text, timeoutMs);
          outcome.finishedAt = performance.now();
          return outcome;
        },
        close() {
          sessionGone.abort();
        },
      };
      /** One POST and its event stream, read up to `end` or `error`. */
      async function askOnce(id: string, text: string, timeoutMs: number): Promise<ReplyOutcome> {
        const outcome: ReplyOutcome = { sentAt: performance.now(), tokenAt: [] };
        const deadline = AbortSignal.timeout(timeoutMs);
        const stop = AbortSignal.any([signal, deadline, sessionGone.signal]);
        let response: Response;
        try {
          response = await fetch(`${target.http}/v1/chat/stream`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify({ text, id, ...(sessionId ? { sessionId } : {}) }),
            signal: stop,
          });
        } catch {
          return { ...outcome, error: signal.aborted ? 'aborted' : deadline.aborted ? 'timeout' : 'connect_failed' };
        }
        if (!response.ok || !response.body) {
          const body = (await response.json().catch(() => ({}))) as { code?: string };
          return { ...outcome, error: body.code ?? `http_${response.status}` };
        }
        let done = false;
        const parser = createParser({
          onEvent(event) {
            const at = performance.now();
            let f: Frame;
            try {
              f = JSON.parse(event.data) as Frame;
            } catch {
              return;
            }
            const type = event.event ?? f.type;
            if (type === 'session') sessionId = f.sessionId ?? sessionId;
            else if (type === 'start') outcome.serverIntent = f.intent;
            else if (type === 'token') {
              outcome.tokenAt.push(at);
              outcome.firstTokenAt ??= at;
            } else if (type === 'end') {
              outcome.endAt = at;
              outcome.timings = f.timings;
              if (f.degraded) outcome.degraded = f.degraded;
              if (f.interrupted) outcome.interrupted = true;
              done = true;
            } else if (type === 'error') {
              outcome.error = f.code ?? 'error';
              done = true;
            }
          },
        });
        const decoder = new TextDecoder();
        try {
          for await (const chunk of response.body) {
            parser.feed(decoder.decode(chunk, { stream: true }));
            if (done) break;
          }
        } catch {
          // Read below: an interrupted stream is either our deadline, our stop, or the server's drop.
        }
        if (!done) outcome.error = signal.aborted ? 'aborted' : deadline.aborted ? 'timeout' : 'dropped';
        return outcome;
      }
      return connection;
    },
  };
}
