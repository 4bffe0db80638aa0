import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommand, type LoadTestOptions } from '../../src/loadgen/options.ts';
import { replyKind } from '../../src/loadgen/outcome.ts';
import { frameType } from '../../src/loadgen/rate-chats.ts';
import { runRate, type RateOptions } from '../../src/loadgen/rate.ts';
import { runLoadTest } from '../../src/loadgen/run.ts';
import { UsageError } from '../../src/loadgen/phases.ts';
import { startFakeChatServer, type FakeBehaviour, type FakeChatServer } from './fake-chat-server.ts';
import { testProfile } from './helpers.ts';

function rateOptions(args: string[]): RateOptions {
  const cmd = parseCommand([...args, '--quiet'], { profile: testProfile() });
  assert.equal(cmd.kind, 'rate');
  return (cmd as Extract<typeof cmd, { kind: 'rate' }>).options;
}

async function withServer<T>(b: FakeBehaviour, fn: (url: string, srv: FakeChatServer) => Promise<T>): Promise<T> {
  const srv = await startFakeChatServer(b);
  try {
    return await fn(srv.url, srv);
  } finally {
    await srv.close();
  }
}

test('frame type from the first bytes: token, end, error, other; undefined for another shape', () => {
  const t = (o: object) => frameType(Buffer.from(JSON.stringify(o)));
  assert.equal(t({ type: 'token', replyTo: 'a', text: 'x' }), 'token');
  assert.equal(t({ type: 'end', replyTo: 'a', timings: {} }), 'end');
  assert.equal(t({ type: 'error', replyTo: 'a', code: 'unavailable' }), 'error');
  for (const type of ['start', 'products', 'revise', 'session', 'agent_message', 'pong']) assert.equal(t({ type, replyTo: 'a' }), 'other', type);
  assert.equal(frameType(Buffer.from('{"replyTo":"a","type":"token"}')), undefined, 'keys in another order: parsed instead');
  assert.equal(frameType(Buffer.from('{"type":""}')), undefined, 'too short to tell');
});

test('reply kinds from the end frame: the engine-down brief message is unanswered, other fallbacks degraded', () => {
  assert.equal(replyKind({}), 'answered');
  assert.equal(replyKind({ degraded: [] }), 'answered');
  assert.equal(replyKind({ degraded: ['llm'] }), 'unanswered');
  assert.equal(replyKind({ degraded: ['catalog', 'llm'] }), 'unanswered');
  assert.equal(replyKind({ degraded: ['reranker'] }), 'degraded');
  assert.equal(replyKind({ degraded: ['llm'], interrupted: true }), 'interrupted');
});

test('rate mode: every scheduled message is sent once, spread over the chats, one reply in flight per chat', async () => {
  await withServer({ firstTokenMs: 2, tokens: 3, tokenGapMs: 1 }, async (url, srv) => {
    const r = await runRate(rateOptions(['--mode', 'rate', '--targets', url, '--rate', '100', '--duration', '1s', '--warmup', '500ms', '--chats', '8']));
    assert.equal(r.mode, 'rate');
    assert.equal(r.rate.scheduled, 100, 'the window holds exactly rate x duration messages');
    assert.equal(srv.stats.messages, 150, 'warm-up messages are sent too, at the same rate');
    assert.deepEqual(r.rate.replies, { answered: 100, degraded: 0, unanswered: 0, interrupted: 0 });
    assert.deepEqual(r.rate.errors, {});
    assert.equal(r.rate.ttft.count, 100);
    assert.equal(r.rate.serverFirstTokenMs.count, 100);
    assert.equal(r.rate.serverFirstTokenModelMs.count, 100, 'the fake answers with route large');
    assert.equal(srv.stats.connections, 8, 'persistent chats: one connection each, no reconnects');
    assert.equal(srv.stats.maxInFlightPerConnection, 1);
    assert.equal(r.passed, true);
    assert.equal(r.overall.messages, 100);
  });
});

test('rate mode: unanswered and degraded replies are counted from the end frame and fail their objectives', async () => {
  await withServer({ firstTokenMs: 1, tokens: 2, tokenGapMs: 1, unansweredEvery: 10, degradedEvery: 4 }, async (url) => {
    const r = await runRate(rateOptions(['--mode', 'rate', '--targets', url, '--rate', '100', '--duration', '1s', '--warmup', '0s', '--chats', '8']));
    // Server message n (1-based): n % 10 === 0 unanswered, else n % 4 === 0 degraded.
    assert.equal(r.rate.replies.unanswered, 10);
    assert.equal(r.rate.replies.degraded, 25 - 5);
    assert.equal(r.rate.replies.answered, 70);
    assert.equal(r.rate.shares.unanswered, 0.1);
    const verdict = (name: string) => r.rate.slo.find((v) => v.name === name)!;
    assert.equal(verdict('error_rate').held, true, 'no error frame at all');
    assert.equal(verdict('unanswered_rate').held, false);
    assert.equal(verdict('unanswered_rate').actual, 10);
    assert.equal(verdict('degraded_rate').held, false);
    assert.equal(r.passed, false, 'a model outage is not a pass');
  });
});

test('rate mode: refusals are counted by code, fail the error objective, and leave the chat usable', async () => {
  await withServer({ firstTokenMs: 1, tokens: 2, tokenGapMs: 1, rateLimitEvery: 5 }, async (url, srv) => {
    const r = await runRate(rateOptions(['--mode', 'rate', '--targets', url, '--rate', '100', '--duration', '1s', '--warmup', '0s', '--chats', '4', '--slo-p99-ttft-ms', '60000']));
    assert.deepEqual(r.rate.errors, { rate_limited: 20 });
    assert.equal(r.rate.replies.answered, 80);
    assert.equal(r.rate.shares.failed, 0.2);
    assert.equal(srv.stats.connections, 4);
    assert.equal(r.rate.slo.find((v) => v.name === 'error_rate')!.held, false);
    assert.equal(r.passed, false);
  });
});

test('rate mode: messages that find every chat busy wait for one, and their latency counts from the slot', async () => {
  // Two chats, replies of ≥ 50 ms: at most 40 replies/s, 100/s offered for 1 s.
  await withServer({ firstTokenMs: 50, tokens: 2, tokenGapMs: 1 }, async (url, srv) => {
    const r = await runRate(rateOptions(['--mode', 'rate', '--targets', url, '--rate', '100', '--duration', '1s', '--warmup', '0s', '--chats', '2', '--slo-p99-ttft-ms', '60000']));
    assert.equal(srv.stats.maxInFlightPerConnection, 1);
    assert.equal(r.rate.scheduled, 100);
    assert.equal(r.rate.replies.answered, 100, 'none dropped for lack of a chat');
    // Each chat starts a message at most every 51 ms: at most ~40 of the 100 found one free at their slot.
    assert.ok(r.rate.waitedForChat >= 58, `${r.rate.waitedForChat} waited`);
    // The backlog grows by ~60 messages over the second, so the last ones wait well over a second;
    // timed from the send they look like a 50 ms server.
    assert.ok(r.rate.ttft.p99 > 2 * r.rate.ttftUncorrected.p99, `corrected p99 ${r.rate.ttft.p99}, uncorrected ${r.rate.ttftUncorrected.p99}`);
    assert.ok(r.warnings.some((w) => w.includes('raise --chats')), r.warnings.join('; '));
  });
});

test('rate mode over SSE: one POST per message, the session carried, refusals by code', async () => {
  await withServer({ firstTokenMs: 1, tokens: 3, tokenGapMs: 1, rateLimitEvery: 10 }, async (url, srv) => {
    const r = await runRate(rateOptions(['--mode', 'rate', '--transport', 'sse', '--targets', url, '--rate', '50', '--duration', '1s', '--warmup', '0s', '--chats', '4', '--slo-p99-ttft-ms', '60000']));
    assert.equal(r.transport, 'sse');
    assert.equal(srv.stats.messages, 50);
    assert.deepEqual(r.rate.errors, { rate_limited: 5 });
    assert.equal(r.rate.replies.answered, 45);
    assert.equal(r.rate.ttft.count, 45);
  });
});

test('rate mode: window hooks fire at the edges of each measured window', async () => {
  await withServer({ firstTokenMs: 1, tokens: 2, tokenGapMs: 1 }, async (url) => {
    const edges: string[] = [];
    const r = await runRate(rateOptions(['--mode', 'rate', '--targets', url, '--rate', '50', '--duration', '500ms', '--warmup', '300ms', '--chats', '4']), {
      onWindow: (edge, step, rate) => edges.push(`${edge}:${step}:${rate}`),
    });
    assert.deepEqual(edges, ['start:0:50', 'end:0:50']);
    assert.equal(r.rate.scheduled, 25);
  });
});

test('knee search: steps the rate up and reports the highest rate that held every objective', async () => {
  await withServer({ firstTokenMs: 1, tokens: 2, tokenGapMs: 1 }, async (url) => {
    const r = await runRate(rateOptions(['--knee', '20:20:60', '--targets', url, '--duration', '500ms', '--warmup', '0s', '--chats', '8', '--slo-p99-ttft-ms', '60000']));
    assert.equal(r.mode, 'rate');
    assert.deepEqual(r.knee!.steps.map((s) => s.rate), [20, 40, 60]);
    assert.equal(r.knee!.knee, 60);
    assert.equal(r.rate.rate, 60, 'the headline is the knee step');
    assert.equal(r.passed, true);
  });
});

test('knee search: a step that misses is repeated once; two misses end the search, with no knee when it is the first', async () => {
  await withServer({ firstTokenMs: 1, tokens: 2, tokenGapMs: 1, unansweredEvery: 1 }, async (url) => {
    const r = await runRate(rateOptions(['--knee', '20:20:60', '--targets', url, '--duration', '300ms', '--warmup', '0s', '--chats', '4', '--slo-p99-ttft-ms', '60000']));
    assert.deepEqual(r.knee!.steps.map((s) => [s.rate, s.passed]), [[20, false], [20, false]]);
    assert.equal(r.knee!.knee, null);
    assert.equal(r.passed, false);
  });
});

test('rate mode options: --knee implies the mode; bad values are usage errors', () => {
  const o = rateOptions(['--knee', '100:50:300', '--chats', '32']);
  assert.deepEqual(o.knee, { from: 100, step: 50, to: 300 });
  assert.equal(o.rate, 100);
  assert.equal(o.chats, 32);
  assert.equal(o.arrivals, 'uniform', 'fixed rate unless asked otherwise');
  for (const bad of [['--knee', '100:0:300'], ['--knee', '300:10:100'], ['--knee', 'fast'], ['--mode', 'rate'], ['--mode', 'rate', '--rate', '10', '--chats', '0']]) {
    assert.throws(() => parseCommand(bad, { profile: testProfile() }), UsageError, bad.join(' '));
  }
});

test('session modes count unanswered and degraded replies too: a model outage fails the run', async () => {
  await withServer({ firstTokenMs: 1, tokens: 2, tokenGapMs: 1, unansweredEvery: 1 }, async (url) => {
    const cmd = parseCommand(['--targets', url, '--rate', '10', '--duration', '1s', '--arrivals', 'uniform', '--quiet'], { profile: testProfile({ messages: 2, thinkMs: 20 }) });
    const r = await runLoadTest((cmd as { options: LoadTestOptions }).options);
    assert.deepEqual(r.overall.errors, {}, 'no error frame');
    assert.equal(r.overall.replies!.unanswered, 20);
    assert.equal(r.slo.find((v) => v.name === 'unanswered_rate')!.held, false);
    assert.equal(r.passed, false);
  });
});
