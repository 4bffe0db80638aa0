import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { createFrameBatch, tokenJson } from './frame-batch.ts';

/** Text frames of one connection, gathered while the event loop turns and written as one buffer. */
export interface FrameWriter {
  /** Queues one text frame (a JSON string); it goes out with the others of this turn. */
  write(json: string): void;
  /** Queues a token of the reply to `replyTo` (its JSON string literal): the tokens of one reply queued in one turn, and its later tokens within `tokenWindowMs`, are joined into `token` frames of up to ~64 characters (frame-batch.ts). */
  token(replyTo: string, text: string): void;
  /** Writes what is queued now, held tokens included (before a close frame, which must come after the frames sent before it; and when the socket closed, so no window's timer outlives it). */
  flush(): void;
}

/**
 * A reply is dozens of small frames produced in one burst. Handing each to ws cost a frame
 * header buffer, a string to encode and two chunks of the socket's writev per frame (the writev
 * alone was ~8 % of the service's CPU under load). Here the frames written in one turn of the
 * event loop are encoded into one buffer — each still its own WebSocket text frame, the bytes
 * exactly those ws would send frame by frame — and written with one call when the loop turns,
 * as the cork this replaces did: no added wait. The tokens of one reply written in that turn are
 * joined into few `token` frames, and a paced reply's later tokens are held for at most `tokenWindowMs`
 * and joined too (frame-batch.ts; 0: every turn's tokens when the loop turns). ws's own control frames (pong, ping, close) may go out
 * between two turns' batches, as the protocol allows; whoever closes the socket flushes first.
 * Requires no per-message compression (the server does not offer it).
 */
export function createFrameWriter(socket: WebSocket, tokenWindowMs = 0): FrameWriter {
  // ws has no public way to write raw frames, hence its `_socket` (the net.Socket it writes to).
  const tcp = (socket as unknown as { _socket?: Socket })._socket;
  const batch = createFrameBatch((frames) => {
    // The frames were queued while the socket was open; once ws has closed it, they have nowhere to go.
    if (socket.readyState !== socket.OPEN) return;
    if (!tcp) {
      for (const json of frames) socket.send(json);
      return;
    }
    if (!tcp.destroyed) tcp.write(encodeTextFrames(frames));
  }, tokenJson, tokenWindowMs);
  return { write: batch.frame, token: batch.token, flush: batch.flush };
}

/** Unmasked, unfragmented, uncompressed WebSocket text frames (RFC 6455 §5.2), back to back in one buffer. */
export function encodeTextFrames(frames: readonly string[]): Buffer {
  const lengths = new Array<number>(frames.length);
  let total = 0;
  for (let i = 0; i < frames.length; i++) {
    const n = Buffer.byteLength(frames[i], 'utf8');
    lengths[i] = n;
    total += n + (n < 126 ? 2 : n < 65536 ? 4 : 10);
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < frames.length; i++) {
    const n = lengths[i];
    out[at] = 0x81; // FIN + text
    if (n < 126) {
      out[at + 1] = n;
      at += 2;
    } else if (n < 65536) {
      out[at + 1] = 126;
      out.writeUInt16BE(n, at + 2);
      at += 4;
    } else {
      out[at + 1] = 127;
      out.writeUInt32BE(0, at + 2);
      out.writeUInt32BE(n, at + 6);
      at += 10;
    }
    at += out.write(frames[i], at, n, 'utf8');
  }
  return out;
}
