/**
 * A local Amazon Bedrock Runtime that answers `POST /model/{modelId}/converse-stream` in
 * Bedrock's real wire format: an `application/vnd.amazon.eventstream` body of binary event
 * messages (encoded with the codec the AWS SDK itself decodes with), and Bedrock's REST-JSON
 * error responses (`x-amzn-errortype` header plus a `{message}` body). The real
 * @aws-sdk/client-bedrock-runtime therefore runs unchanged against it: SigV4 signing, the
 * event-stream decoder, the error deserializer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { EventStreamCodec, type MessageHeaders } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import type { FakeRequest, FakeScript, FakeVendor } from './fake-vendor.ts';

/** Exceptions Bedrock can send inside a ConverseStream event stream (the `:exception-type` header). */
export type BedrockStreamException =
  | 'throttlingException'
  | 'modelStreamErrorException'
  | 'serviceUnavailableException'
  | 'internalServerException'
  | 'validationException';

/** A script with Bedrock-only failures on top of the shared ones. */
export interface BedrockScript extends FakeScript {
  /** An exception message sent inside the 200 event stream after `after` pieces (then the response ends). */
  streamException?: { type: BedrockStreamException; after: number; message?: string };
  /** The stream ends cleanly after the pieces but without messageStop/metadata. */
  omitMessageStop?: boolean;
}

/** The Bedrock fake: a FakeVendor whose scripts may carry Bedrock's in-stream exceptions. */
export interface FakeBedrock extends FakeVendor {
  next(script: BedrockScript): void;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function message(headers: Record<string, string>, payload: unknown): Uint8Array {
  const h: MessageHeaders = {};
  for (const [k, v] of Object.entries(headers)) h[k] = { type: 'string', value: v };
  return codec.encode({ headers: h, body: fromUtf8(JSON.stringify(payload)) });
}

// Bedrock pads every event payload with a random-length `p` field (against length side channels);
// sending it too proves the adapter ignores unknown members.
const pad = () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.slice(0, 1 + Math.floor(Math.random() * 40));

const event = (type: string, payload: Record<string, unknown>) =>
  message({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, { ...payload, p: pad() });

const exception = (type: string, msg: string) =>
  message({ ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' }, { message: msg });

const ERRORS = {
  throttle: { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
  server_error: { status: 500, type: 'InternalServerException', message: 'The server encountered an error processing your request. Try your request again.' },
  bad_request: { status: 400, type: 'ValidationException', message: 'Malformed input request, please reformat your input and try again.' },
} as const;

/** Rough token count of what the request asked (system and message text), as the default reported input usage. */
function roughInputTokens(body: unknown): number {
  const b = body as { system?: { text?: string }[]; messages?: { content?: { text?: string }[] }[] } | undefined;
  let chars = 0;
  for (const s of b?.system ?? []) chars += s.text?.length ?? 0;
  for (const m of b?.messages ?? []) for (const c of m.content ?? []) chars += c.text?.length ?? 0;
  return Math.max(1, Math.ceil(chars / 4));
}

/** Starts the Bedrock fake on 127.0.0.1 (a free port). */
export async function startFakeBedrock(): Promise<FakeBedrock> {
  const scripts: BedrockScript[] = [];
  const requests: FakeRequest[] = [];
  const open = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let accepted = 0;

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      requests.push({ path: req.url ?? '', headers: { ...req.headers }, body });
      answer(req, res, body, scripts.shift() ?? { pieces: ['Hello', ' world'] });
    });
  });
  server.on('connection', (s: Socket) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  function answer(req: IncomingMessage, res: ServerResponse, body: unknown, script: BedrockScript): void {
    const requestId = randomUUID();
    if (req.method !== 'POST' || !/^\/model\/[^/]+\/converse-stream$/.test((req.url ?? '').split('?')[0]!)) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'UnknownOperationException' });
      res.end('{}');
      return;
    }
    // Timers of this response; a closed response (client gone, or the fake closed) stops them.
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!res.destroyed) fn();
      }, ms);
      timers.add(t);
    };
    res.on('close', () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    });

    if (script.fail === 'stall_head') return;
    later(script.headDelayMs ?? 0, () => {
      const err = script.fail === 'throttle' || script.fail === 'server_error' || script.fail === 'bad_request' ? ERRORS[script.fail] : undefined;
      if (err) {
        // Bedrock's REST-JSON error: the SDK reads the type from x-amzn-errortype (the part before ':').
        res.writeHead(err.status, {
          'content-type': 'application/json',
          'x-amzn-requestid': requestId,
          'x-amzn-errortype': `${err.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        });
        res.end(JSON.stringify({ message: err.message }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': requestId });
      res.flushHeaders();
      if (script.fail === 'disconnect_before_first') {
        later(20, () => res.socket?.destroy());
        return;
      }
      const pieces = script.pieces;
      const failAfter = script.failAfter ?? 2;
      const usage = script.usage ?? { inputTokens: roughInputTokens(body), outputTokens: pieces.length };
      const started = Date.now();
      res.write(event('messageStart', { role: 'assistant' }));
      let i = 0;
      const step = () => {
        if (script.streamException && i === script.streamException.after) {
          const ex = script.streamException;
          res.end(exception(ex.type, ex.message ?? `${ex.type} injected by the fake`));
          return;
        }
        if ((script.fail === 'disconnect_mid' || script.fail === 'stall_mid') && i === failAfter) {
          // Destroy once the pieces before are on the wire, so the client sees them first.
          if (script.fail === 'disconnect_mid') later(20, () => res.socket?.destroy());
          return;
        }
        if (i < pieces.length) {
          res.write(event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: pieces[i] } }));
          i++;
          later(script.pieceDelayMs ?? 0, step);
          return;
        }
        res.write(event('contentBlockStop', { contentBlockIndex: 0 }));
        if (script.omitMessageStop) {
          res.end();
          return;
        }
        res.write(event('messageStop', { stopReason: 'end_turn' }));
        res.end(
          event('metadata', {
            usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.inputTokens + usage.outputTokens },
            metrics: { latencyMs: Date.now() - started },
          }),
        );
      };
      later(script.pieceDelayMs ?? 0, step);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    next: (script) => void scripts.push(script),
    requests,
    openResponses: () => open.size,
    connections: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
