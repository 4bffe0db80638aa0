// The frames of one turn of the event loop go out together, a reply's tokens of that turn as one
// `token` frame (protocol.md: token frames are "one or more; concatenated"); order is never changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createFrameBatch, JOINED_TOKEN_CHARS, tokenJson } from '../../src/http/frame-batch.ts';

function recorder() {
  const batches: string[][] = [];
  const batch = createFrameBatch((frames) => batches.push(frames), tokenJson);
  return { batches, batch };
}

test('the tokens of one reply written in one turn are one token frame, in order, after the frame before them', async () => {
  const { batches, batch } = recorder();
  const r = JSON.stringify('m-1');
  batch.frame('{"type":"start","replyTo":"m-1"}');
  batch.token(r, 'Hello');
  batch.token(r, ', ');
  batch.token(r, '"world"');
  assert.equal(batches.length, 0, 'nothing goes out before the loop turns');
  await nextTurn();
  assert.deepEqual(batches, [['{"type":"start","replyTo":"m-1"}', '{"type":"token","text":"Hello, \\"world\\"","replyTo":"m-1"}']]);
  assert.deepEqual(JSON.parse(batches[0]![1]!), { type: 'token', text: 'Hello, "world"', replyTo: 'm-1' });
});

test('another frame closes the token being joined: a token never moves past a frame written after it', async () => {
  const { batches, batch } = recorder();
  const r = JSON.stringify('m-1');
  batch.token(r, 'a');
  batch.token(r, 'b');
  batch.frame('{"type":"products"}');
  batch.token(r, 'c');
  batch.frame('{"type":"end"}');
  await nextTurn();
  assert.deepEqual(batches[0]!.map((f) => JSON.parse(f)), [
    { type: 'token', text: 'ab', replyTo: 'm-1' },
    { type: 'products' },
    { type: 'token', text: 'c', replyTo: 'm-1' },
    { type: 'end' },
  ]);
});

test('tokens of two replies are never joined', async () => {
  const { batches, batch } = recorder();
  batch.token(JSON.stringify('m-1'), 'one');
  batch.token(JSON.stringify('m-2'), 'two');
  batch.token(JSON.stringify('m-1'), 'three');
  await nextTurn();
  assert.deepEqual(batches[0]!.map((f) => JSON.parse(f)), [
    { type: 'token', text: 'one', replyTo: 'm-1' },
    { type: 'token', text: 'two', replyTo: 'm-2' },
    { type: 'token', text: 'three', replyTo: 'm-1' },
  ]);
});

test('tokens that come in separate turns (a paced model) still stream one frame per turn', async () => {
  const { batches, batch } = recorder();
  const r = JSON.stringify('m-1');
  for (const t of ['So', 'me ', 'text']) {
    batch.token(r, t);
    await nextTurn();
  }
  assert.deepEqual(batches.map((b) => b.map((f) => JSON.parse(f).text)), [['So'], ['me '], ['text']]);
});

test('flush hands out what is queued at once, the open token included, and nothing twice', async () => {
  const { batches, batch } = recorder();
  batch.frame('{"type":"start"}');
  batch.token(JSON.stringify('m-1'), 'x');
  batch.flush();
  assert.equal(batches.length, 1);
  assert.equal(batches[0]!.length, 2);
  await nextTurn();
  assert.equal(batches.length, 1, 'the scheduled hand-out finds nothing left');
});

test('a joined token frame stops growing at JOINED_TOKEN_CHARS: a reply produced at once is still a short stream of frames', async () => {
  const { batches, batch } = recorder();
  const r = JSON.stringify('m-1');
  const words = Array.from({ length: 60 }, (_, i) => `word${i} `);
  for (const w of words) batch.token(r, w);
  await nextTurn();
  const texts = batches[0]!.map((f) => JSON.parse(f).text as string);
  assert.equal(texts.join(''), words.join(''), 'nothing lost, nothing reordered');
  assert.ok(texts.length >= 5 && texts.length < 20, `several frames, far fewer than 60 tokens: ${texts.length}`);
  for (const t of texts.slice(0, -1)) assert.ok(t.length >= JOINED_TOKEN_CHARS && t.length < JOINED_TOKEN_CHARS + 'word59 '.length, `a full frame holds about JOINED_TOKEN_CHARS characters: ${t.length}`);
});
