import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { encodeTextFrames } from '../../src/http/ws-frames.ts';

// ws's own framing of a server text frame (unmasked, FIN, no compression): what ws.send(string) writes.
const require = createRequire(import.meta.url);
const Sender = (require('ws') as { Sender: unknown }).Sender as { frame(data: Buffer, o: object): Buffer[] };
const wsFrame = (text: string) => Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }));

test('frames written together are byte for byte the frames ws writes one by one (every length form, multibyte text)', () => {
  const texts = [
    '',
    '{"type":"token","text":"Hello ","replyTo":"c-1"}',
    'x'.repeat(125),
    'x'.repeat(126),
    'é'.repeat(63), // 126 bytes from 63 characters
    '葬送のフリーレン'.repeat(40),
    'y'.repeat(65535),
    'z'.repeat(65536),
    '😀 emoji and \u2028 line separator',
  ];
  assert.deepEqual(encodeTextFrames(texts), Buffer.concat(texts.map(wsFrame)));
  assert.deepEqual(encodeTextFrames([]), Buffer.alloc(0));
});
