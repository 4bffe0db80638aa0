// The frames of one turn of the event loop go out together, a reply's tokens of that turn as one
// `token` frame (protocol.md: token frames are "one or more; concatenated"); a paced reply's later
// tokens are joined over a short window; order is never changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createFrameBatch, JOINED_TOKEN_CHARS, tokenJson, type BatchTimers } from '../../src/http/frame-batch.ts';

function recorder(windowMs = 0, timers?: BatchTimers) {
  const batches: string[][] = [];
  const batch = createFrameBatch((frames) => batches.push(frames), tokenJson, windowMs, timers);
  return { batches, batch };
}

/** A clock the test moves by hand: the window's timers fire only when `advance` passes their time (no timed assertions). */
function manualClock() {
  let now = 0;
  let nextId = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: BatchTimers = {
    setTimeout(fn, ms) {
      const id = ++nextId;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    /** Timers not yet fired nor cleared. */
    pending: () => pending.size,
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at > now || !pending.has(id)) continue;
        pending.delete(id);
        t.fn();
      }
    },
  };
}

const texts = (batches: string[][]) => batches.map((b) => b.map((f) => JSON.parse(f).text ?? `<${JSON.parse(f).type}>`));

/** A paced model: each token in its own turn of the event loop, `gapMs` of the clock apart. */
async function paced(batch: ReturnType<typeof recorder>['batch'], clock: ReturnType<typeof manualClock>, replyTo: string, tokens: string[], gapMs: number) {
  for (const t of tokens) {
    batch.token(replyTo, t);
    await nextTurn();
    clock.advance(gapMs);
  }
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

test('window 0: tokens that come in separate turns (a paced model) stream one frame per turn, as before the window', async () => {
  const { batches, batch } = recorder(0);
  const r = JSON.stringify('m-1');
  for (const t of ['So', 'me ', 'text']) {
    batch.token(r, t);
    await nextTurn();
  }
  assert.deepEqual(texts(batches), [['So'], ['me '], ['text']]);
});

test('paced, with a window: the first token goes out when the loop turns, not held', async () => {
  const clock = manualClock();
  const { batches, batch } = recorder(16, clock.timers);
  const r = JSON.stringify('m-1');
  batch.frame('{"type":"start","replyTo":"m-1"}');
  await nextTurn();
  batch.token(r, 'First');
  await nextTurn();
  assert.deepEqual(texts(batches), [['<start>'], ['First']], 'out on the next turn, no clock time passed');
  assert.equal(clock.pending(), 0, 'no window opened by the first token');
});

test('paced, with a window: later tokens within it are one frame when it ends; a token after it opens the next', async () => {
  const clock = manualClock();
  const { batches, batch } = recorder(16, clock.timers);
  const r = JSON.stringify('m-1');
  // 2.5 ms apart (400 tokens a second): the first at once, then 16 ms windows.
  await paced(batch, clock, r, ['A', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], 2.5);
  // The first window opened at 2.5 ms (b) and ended at 18.5 ms: b..h (at 2.5..17.5 ms).
  assert.deepEqual(texts(batches), [['A'], ['bcdefgh']]);
  assert.equal(clock.pending(), 1, 'i opened the next window');
  clock.advance(16);
  assert.deepEqual(texts(batches), [['A'], ['bcdefgh'], ['ij']]);
  assert.equal(clock.pending(), 0);
  // Long after: a token of the same reply after the window is held again for at most one window, alone.
  clock.advance(100);
  batch.token(r, 'k');
  await nextTurn();
  assert.equal(batches.length, 3, 'held, not written by the turn');
  clock.advance(16);
  assert.deepEqual(texts(batches).at(-1), ['k'], 'its own write when its window ends');
});

test('paced, with a window: a non-token frame takes the held tokens out first, at once, and ends the window', async () => {
  const clock = manualClock();
  const { batches, batch } = recorder(16, clock.timers);
  const r = JSON.stringify('m-1');
  await paced(batch, clock, r, ['One', ' two', ' three'], 1);
  assert.deepEqual(texts(batches), [['One']], 'two and three held in the window');
  batch.frame('{"type":"products","replyTo":"m-1"}');
  await nextTurn();
  assert.deepEqual(texts(batches), [['One'], [' two three', '<products>']], 'held tokens before the frame, in the same write, without waiting out the window');
  assert.equal(clock.pending(), 0, 'the window ended with them');
  // After another frame the next token is not held (it goes out with the loop's turn).
  batch.token(r, ' four');
  await nextTurn();
  assert.deepEqual(texts(batches).at(-1), [' four']);
});

test('paced, with a window: end comes after every token; the next reply\'s first token is not held', async () => {
  const clock = manualClock();
  const { batches, batch } = recorder(16, clock.timers);
  const r1 = JSON.stringify('m-1');
  const words = Array.from({ length: 70 }, (_, i) => `w${i} `);
  batch.frame('{"type":"start","replyTo":"m-1"}');
  await paced(batch, clock, r1, words, 2.5);
  batch.frame('{"type":"end","replyTo":"m-1"}');
  await nextTurn();
  const frames = batches.flat().map((f) => JSON.parse(f));
  assert.equal(frames[0].type, 'start');
  assert.equal(frames.at(-1).type, 'end', 'end is the last frame');
  const tokens = frames.filter((f) => f.type === 'token');
  assert.equal(tokens.map((f) => f.text).join(''), words.join(''), 'nothing lost, nothing reordered');
  assert.ok(batches.length < 20, `a paced reply of 70 tokens is far fewer writes: ${batches.length}`);
  assert.equal(clock.pending(), 0);
  // A second reply on the same connection: its first token is out at the next turn.
  batch.frame('{"type":"start","replyTo":"m-2"}');
  batch.token(JSON.stringify('m-2'), 'Next');
  await nextTurn();
  assert.deepEqual(texts(batches).at(-1), ['<start>', 'Next']);
  assert.equal(clock.pending(), 0);
});

test('paced, with a window: a token of another reply is not held behind the window of the one before', async () => {
  const clock = manualClock();
  const { batches, batch } = recorder(16, clock.timers);
  await paced(batch, clock, JSON.stringify('m-1'), ['a', 'b'], 1);
  batch.token(JSON.stringify('m-2'), 'x');
  await nextTurn();
  assert.deepEqual(batches.flat().map((f) => [JSON.parse(f).replyTo, JSON.parse(f).text]), [['m-1', 'a'], ['m-1', 'b'], ['m-2', 'x']]);
  assert.equal(clock.pending(), 0);
});

test('paced, with a window: the 64-character cap still splits the joined frames', async () => {
  const clock = manualClock();
  const { batches, batch } = recorder(16, clock.timers);
  const r = JSON.stringify('m-1');
  const words = Array.from({ length: 40 }, (_, i) => `word${i} `);
  batch.token(r, 'start ');
  await nextTurn();
  for (const w of words) batch.token(r, w); // a burst of later tokens within one window
  await nextTurn();
  assert.equal(batches.length, 1, 'held');
  clock.advance(16);
  const joined = batches[1]!.map((f) => JSON.parse(f).text as string);
  assert.equal(joined.join(''), words.join(''));
  assert.ok(joined.length > 1, 'more than one frame in the write');
  for (const t of joined.slice(0, -1)) assert.ok(t.length >= JOINED_TOKEN_CHARS && t.length < JOINED_TOKEN_CHARS + 'word39 '.length);
});

test('a connection closed mid-window: flush hands the held tokens to the writer (which drops them) and no timer is left', async () => {
  const clock = manualClock();
  let open = true;
  const written: string[] = [];
  const batch = createFrameBatch((frames) => {
    if (open) written.push(...frames);
  }, tokenJson, 16, clock.timers);
  const r = JSON.stringify('m-1');
  await paced(batch, clock, r, ['Hi', ' there', ' again'], 1);
  assert.equal(clock.pending(), 1, 'a window is open');
  open = false;
  batch.flush(); // what ws-chat.ts and http-chat.ts do on 'close'
  assert.equal(clock.pending(), 0, 'the window\'s timer is cleared');
  clock.advance(1000);
  await nextTurn();
  assert.deepEqual(written.map((f) => JSON.parse(f).text), ['Hi'], 'nothing written after the close, nothing twice');
});
