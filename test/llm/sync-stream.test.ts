import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncStream } from '../../src/llm/stream-text.ts';
import { createLocalEngine } from '../../src/llm/local-engine.ts';
import { createEngineModelClient } from '../../src/llm/providers/engine-client.ts';

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
