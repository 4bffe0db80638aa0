import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncStream, type ReadyIterator } from '../../src/llm/stream-text.ts';
import { createLocalEngine } from '../../src/llm/local-engine.ts';
import { createSimEngine } from '../../src/llm/sim-engine.ts';
import { createEngineModelClient } from '../../src/llm/providers/engine-client.ts';
import type { AnswerChunk, AnswerEngine } from '../../src/llm/types.ts';

const grounding = { intent: 'chitchat', language: 'en', text: 'hello', history: [], passages: [], series: [], orders: [], promotions: [], reviews: [], degraded: [], customer: { kind: 'guest' } } as never;

const counter = (n: number, failAt = -1) => {
  let i = 0;
  return () => {
    if (i === failAt) throw new Error('broke');
    return i < n ? i++ : undefined;
  };
};

test('syncStream gives each chunk once, in order, then stays done', async () => {
  const seen: number[] = [];
  const it = syncStream(counter(3));
  for await (const x of it) seen.push(x);
  assert.deepEqual(seen, [0, 1, 2]);
  assert.deepEqual(await it.next(), { done: true, value: undefined });
});

test('syncStream: return() ends it (a for-await left early), a throwing step rejects that next() and ends it', async () => {
  const it = syncStream(counter(5));
  for await (const x of it) if (x === 1) break;
  assert.deepEqual(await it.next(), { done: true, value: undefined });
  const broken = syncStream(counter(5, 2));
  assert.deepEqual(await broken.next(), { done: false, value: 0 });
  assert.deepEqual(await broken.next(), { done: false, value: 1 });
  await assert.rejects(broken.next(), /broke/);
  assert.deepEqual(await broken.next(), { done: true, value: undefined });
});

test('the local engine behind the model port: the same text chunks and usage as its own stream, nothing once the signal aborts', async () => {
  const engine = createLocalEngine({ now: () => new Date('2026-01-01T00:00:00Z') });
  const g = { intent: 'chitchat', language: 'en', text: 'hello', history: [], passages: [], series: [], orders: [], promotions: [], reviews: [], degraded: [], customer: { kind: 'guest' } } as never;
  const own: string[] = [];
  let usage: unknown;
  for await (const c of engine.stream(g, {})) {
    if (c.type === 'token') own.push(c.text);
    else usage = c;
  }
  assert.ok(own.length > 1);
  const client = createEngineModelClient(engine, { provider: 'local', model: 'local-large' });
  const mapped: unknown[] = [];
  for await (const c of client.stream({ grounding: g } as never, {})) mapped.push(c);
  const u = usage as { inputTokens: number; outputTokens: number };
  assert.deepEqual(mapped, [...own.map((text) => ({ type: 'text', text })), { type: 'usage', inputTokens: u.inputTokens, outputTokens: u.outputTokens }]);
  const ac = new AbortController();
  const partial: unknown[] = [];
  for await (const c of client.stream({ grounding: g } as never, { signal: ac.signal })) {
    partial.push(c);
    ac.abort();
  }
  assert.equal(partial.length, 1);
});

// ready(): what next() would settle with, without a promise, through every layer between the local engine and the answer loop.

/** Every chunk of `it` read by ready() alone, falling back to next() when ready() has nothing now. */
async function drain<T>(it: ReadyIterator<T>): Promise<{ values: T[]; readies: number }> {
  const values: T[] = [];
  let readies = 0;
  for (;;) {
    const now = it.ready?.();
    if (now) readies++;
    const r = now ?? (await it.next());
    if (r.done) return { values, readies };
    values.push(r.value);
  }
}

test('syncStream: ready() gives the same chunks as next(), throws where next() rejects, and stays done', async () => {
  const it = syncStream(counter(3));
  assert.deepEqual(it.ready(), { done: false, value: 0 });
  assert.deepEqual(await it.next(), { done: false, value: 1 });
  assert.deepEqual(it.ready(), { done: false, value: 2 });
  assert.deepEqual(it.ready(), { done: true, value: undefined });
  assert.deepEqual(await it.next(), { done: true, value: undefined });
  const broken = syncStream(counter(5, 1));
  assert.deepEqual(broken.ready(), { done: false, value: 0 });
  assert.throws(() => broken.ready(), /broke/);
  assert.deepEqual(broken.ready(), { done: true, value: undefined });
});

test('unpaced sim and the model port: ready() passes the local engine chunks on with no promise, the same as next() gives', async () => {
  const local = createLocalEngine({ now: () => new Date('2026-01-01T00:00:00Z') });
  const g = { intent: 'chitchat', language: 'en', text: 'hello', history: [], passages: [], series: [], orders: [], promotions: [], reviews: [], degraded: [], customer: { kind: 'guest' } } as never;
  const own: AnswerChunk[] = [];
  for await (const c of local.stream(g, {})) own.push(c);
  const sim = createSimEngine({ inner: local, ttftMs: 0, tokensPerSec: 0 });
  const viaNext: AnswerChunk[] = [];
  for await (const c of sim.stream(g, {})) viaNext.push(c);
  const viaReady = await drain(sim.stream(g, {})[Symbol.asyncIterator]() as ReadyIterator<AnswerChunk>);
  const renamed = own.map((c) => (c.type === 'usage' ? { ...c, model: `sim:${c.model}` } : c));
  assert.deepEqual(viaNext, renamed);
  assert.deepEqual(viaReady.values, renamed);
  assert.equal(viaReady.readies, renamed.length + 1, 'every chunk and the end without a promise');
  const client = createEngineModelClient(sim, { provider: 'sim', model: 'sim-large' });
  const mapped = await drain(client.stream({ grounding: g } as never, {})[Symbol.asyncIterator]() as ReadyIterator<unknown>);
  assert.equal(mapped.readies, renamed.length + 1);
  assert.equal(mapped.values.length, renamed.length);
  // A paced sim has nothing ready: its chunks wait for their time, through next().
  const paced = createSimEngine({ inner: local, ttftMs: 1, tokensPerSec: 0 }).stream(g, {})[Symbol.asyncIterator]() as ReadyIterator<AnswerChunk>;
  assert.equal(paced.ready, undefined);
});

test('unpaced sim: the customer leaving ends the stream on the next chunk and returns the inner stream; nothing opens once aborted', async () => {
  let returned = 0;
  let opened = 0;
  const inner: AnswerEngine = {
    name: 'inner',
    stream() {
      opened++;
      const it = syncStream(counter(10)) as AsyncIterableIterator<unknown> & ReadyIterator<unknown>;
      const ret = it.return!.bind(it);
      it.return = (v?: unknown) => {
        returned++;
        return ret(v);
      };
      return it as never;
    },
  };
  const sim = createSimEngine({ inner, ttftMs: 0, tokensPerSec: 0 });
  const ac = new AbortController();
  const it = sim.stream(grounding, { signal: ac.signal })[Symbol.asyncIterator]() as ReadyIterator<unknown>;
  assert.deepEqual(it.ready!(), { done: false, value: 0 });
  assert.deepEqual(await it.next(), { done: false, value: 1 });
  ac.abort();
  assert.deepEqual(it.ready!(), { done: true, value: undefined });
  assert.equal(returned, 1);
  assert.deepEqual(await it.next(), { done: true, value: undefined });
  const late = sim.stream(grounding, { signal: ac.signal })[Symbol.asyncIterator]();
  assert.deepEqual(await late.next(), { done: true, value: undefined });
  assert.equal(opened, 1);
});
