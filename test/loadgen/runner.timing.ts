import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommand, type LoadTestOptions } from '../../src/loadgen/options.ts';
import type { Profile } from '../../src/loadgen/profile.ts';
import { runLoadTest } from '../../src/loadgen/run.ts';
import { startFakeChatServer, type FakeBehaviour } from './fake-chat-server.ts';
import { testProfile } from './helpers.ts';

function options(args: string[], profile: Profile): LoadTestOptions {
  const cmd = parseCommand([...args, '--quiet'], { profile });
  assert.equal(cmd.kind, 'load');
  return (cmd as Extract<typeof cmd, { kind: 'load' }>).options;
}

async function withServer<T>(b: FakeBehaviour, fn: (url: string, srv: Awaited<ReturnType<typeof startFakeChatServer>>) => Promise<T>): Promise<T> {
  const srv = await startFakeChatServer(b);
  try {
    return await fn(srv.url, srv);
  } finally {
    await srv.close();
  }
}

test('measures the known latencies of a server: first token after 30 ms, then 5 tokens 10 ms apart', async () => {
  await withServer({ firstTokenMs: 30, tokens: 6, tokenGapMs: 10 }, async (url, srv) => {
    const r = await runLoadTest(options(['--targets', url, '--rate', '20', '--duration', '2s', '--arrivals', 'uniform'], testProfile({ messages: 3, thinkMs: 120 })));
    assert.equal(r.sessions.started, 40);
    assert.equal(r.sessions.completed, 40);
    assert.equal(r.overall.messages, 120);
    assert.equal(srv.stats.messages, 120);
    assert.deepEqual(r.overall.errors, {});
    assert.ok(r.overall.ttft.p50 >= 29 && r.overall.ttft.p50 <= 40, `ttft p50 ${r.overall.ttft.p50}`);
    assert.ok(r.overall.ttft.p99 >= 29 && r.overall.ttft.p99 <= 70, `ttft p99 ${r.overall.ttft.p99}`);
    assert.ok(r.overall.ttlt.p50 >= 79 && r.overall.ttlt.p50 <= 95, `ttlt p50 ${r.overall.ttlt.p50}`);
    assert.ok(r.overall.ttlt.p99 >= 79 && r.overall.ttlt.p99 <= 130, `ttlt p99 ${r.overall.ttlt.p99}`);
    assert.ok(r.overall.interToken.p50 >= 9 && r.overall.interToken.p50 <= 13, `inter-token p50 ${r.overall.interToken.p50}`);
    assert.equal(r.overall.interToken.count, 120 * 5);
    // A healthy server: correction changes nothing.
    assert.ok(Math.abs(r.ttftUncorrected!.p50 - r.overall.ttft.p50) < 5);
    // The server's own segment timings are collected.
    assert.equal(r.serverTimings.firstTokenMs.count, 120);
    assert.ok(Math.abs(r.serverTimings.firstTokenMs.p50 - 30) < 0.1);
    assert.deepEqual(Object.keys(r.byIntent).sort(), ['faq', 'product_search']);
    assert.equal(r.byIntent.faq.messages + r.byIntent.product_search.messages, 120);
    assert.ok(r.timeline.length >= 2 && r.timeline.reduce((n, p) => n + p.messages, 0) === 120);
    assert.equal(r.passed, true);
  });
});

test('a 1 s server stall in an open-model run shows in the corrected p99 and hides from the uncorrected one', async () => {
  await withServer({ firstTokenMs: 5, tokens: 2, tokenGapMs: 2 }, async (url, srv) => {
    // 10 sessions/s of 20 messages 25 ms apart: 200 messages/s, each session busy 0.5 s.
    const run = runLoadTest(options(['--targets', url, '--rate', '10', '--duration', '6s', '--arrivals', 'uniform'], testProfile({ messages: 20, thinkMs: 25 })));
    const stallAt = setTimeout(() => srv.stall(1000), 3000);
    const r = await run;
    clearTimeout(stallAt);
    assert.equal(r.overall.messages, 1200);
    assert.deepEqual(r.overall.errors, {});
    const corrected = r.overall.ttft;
    const uncorrected = r.ttftUncorrected!;
    // Theory: every message *due* during the stall waits for its end, so corrected latencies
    // spread from ~1000 ms down to 0 over the ~200 messages due in that second (1/6 of all):
    // p99 sits near the top of the stall. Uncorrected, each session open at the stall (~5)
    // records one slow message, and the rest are sent late and timed from then: under 1%.
    assert.ok(corrected.p99 >= 800 && corrected.p99 <= 1200, `corrected p99 ${corrected.p99}`);
    assert.ok(corrected.max >= 900 && corrected.max <= 1300, `corrected max ${corrected.max}`);
    assert.ok(uncorrected.p99 < 100, `uncorrected p99 ${uncorrected.p99}`);
    assert.ok(uncorrected.max >= 700, `uncorrected max ${uncorrected.max} (the in-flight ones still see the stall)`);
    assert.ok(corrected.p90 > 5 * uncorrected.p90, `corrected p90 ${corrected.p90} vs uncorrected ${uncorrected.p90}`);
    // Messages with corrected ttft above ~110 ms: those due in the first ~0.89 s of the stall.
    const slow = r.ttftHistogram.filter(([v]) => v > 120).reduce((n, [, c]) => n + c, 0);
    assert.ok(slow >= 120 && slow <= 260, `${slow} messages above 110 ms, expected ~178`);
    assert.equal(r.passed, true, 'a 1 s stall stays under the 1500 ms SLO');
  });
});

test('counts refused messages by code and fails the error-rate SLO', async () => {
  await withServer({ firstTokenMs: 5, tokens: 2, tokenGapMs: 2, rateLimitEvery: 5 }, async (url, srv) => {
    const r = await runLoadTest(options(['--targets', url, '--rate', '20', '--duration', '1s', '--arrivals', 'uniform'], testProfile({ messages: 5, thinkMs: 20 })));
    assert.equal(r.overall.messages, 100);
    assert.equal(srv.stats.rateLimited, 20);
    assert.deepEqual(r.overall.errors, { rate_limited: 20 });
    assert.equal(r.overall.ttft.count, 80, 'refused messages have no latency');
    const sum = Object.values(r.byIntent).reduce((n, s) => n + (s.errors.rate_limited ?? 0), 0);
    assert.equal(sum, 20);
    const verdict = r.slo.find((v) => v.name === 'error_rate')!;
    assert.equal(verdict.actual, 20, 'percent, the unit the objective names');
    assert.equal(verdict.threshold, 1);
    assert.equal(verdict.held, false);
    assert.equal(r.passed, false);
    assert.equal(r.sessions.completed, 20, 'a refusal does not end the session');
  });
});

test('a reply that never ends is a timeout, a socket cut mid-reply is dropped; both end their session', async () => {
  await withServer({ firstTokenMs: 5, tokens: 3, tokenGapMs: 2, silentEvery: 7, dropEvery: 11 }, async (url, srv) => {
    const r = await runLoadTest(options(['--targets', url, '--rate', '20', '--duration', '1s', '--arrivals', 'uniform', '--message-timeout', '300ms'], testProfile({ messages: 4, thinkMs: 20 })));
    assert.equal(r.overall.errors.timeout, srv.stats.silent);
    assert.equal(r.overall.errors.dropped, srv.stats.dropped);
    assert.ok(srv.stats.silent > 0 && srv.stats.dropped > 0);
    assert.equal(r.sessions.failed, srv.stats.silent + srv.stats.dropped);
    assert.equal(r.sessions.completed + r.sessions.failed, 20);
    assert.equal(r.overall.messages, srv.stats.messages);
  });
});

test('a target that refuses connections counts connect_failed per session', async () => {
  const srv = await startFakeChatServer({ firstTokenMs: 1, tokens: 1, tokenGapMs: 1 });
  const url = srv.url;
  await srv.close();
  const r = await runLoadTest(options(['--targets', url, '--rate', '10', '--duration', '1s', '--arrivals', 'uniform'], testProfile()));
  assert.equal(r.sessions.failed, 10);
  assert.deepEqual(r.overall.errors, { connect_failed: 10 });
  assert.equal(r.passed, false);
});

test('closed model: N users, sessions back to back, never more than N connections', async () => {
  await withServer({ firstTokenMs: 5, tokens: 2, tokenGapMs: 2 }, async (url, srv) => {
    const r = await runLoadTest(options(['--targets', url, '--concurrency', '4', '--duration', '1s', '--think-scale', '0'], testProfile({ messages: 3 })));
    assert.equal(r.mode, 'closed');
    assert.ok(srv.stats.maxInFlight <= 4, `max in flight ${srv.stats.maxInFlight}`);
    assert.equal(srv.stats.maxInFlight, 4, 'all four users were busy at once');
    // ~7 ms per message, 4 users, 1 s: hundreds of messages, all answered.
    assert.ok(r.overall.messages > 100, `${r.overall.messages} messages`);
    assert.deepEqual(r.overall.errors, {});
    assert.ok(r.durationS < 2, `stopped after ${r.durationS} s`);
    assert.ok(Math.abs(r.ttftUncorrected!.p50 - r.overall.ttft.p50) < 1, 'closed model: no correction');
  });
});

test('SSE transport measures the same latencies', async () => {
  await withServer({ firstTokenMs: 30, tokens: 3, tokenGapMs: 10 }, async (url, srv) => {
    const r = await runLoadTest(options(['--targets', url, '--transport', 'sse', '--rate', '10', '--duration', '1s', '--arrivals', 'uniform'], testProfile({ messages: 2, thinkMs: 80 })));
    assert.equal(r.overall.messages, 20);
    assert.equal(srv.stats.messages, 20);
    assert.deepEqual(r.overall.errors, {});
    assert.ok(r.overall.ttft.p50 >= 29 && r.overall.ttft.p50 <= 45, `ttft p50 ${r.overall.ttft.p50}`);
    assert.ok(r.overall.ttlt.p50 >= 49 && r.overall.ttlt.p50 <= 70, `ttlt p50 ${r.overall.ttlt.p50}`);
  });
});

test('members and Prime customers present tokens signed with --jwt-secret; guests none', async () => {
  const secret = 'load-test-secret-0123456789abcdef0123';
  await withServer({ firstTokenMs: 1, tokens: 1, tokenGapMs: 1, jwtSecret: secret }, async (url, srv) => {
    const r = await runLoadTest(options(['--targets', url, '--rate', '40', '--duration', '1s', '--arrivals', 'uniform', '--jwt-secret', secret], testProfile({ messages: 1, thinkMs: 1, memberShare: 0.3, primeShare: 0.3 })));
    assert.equal(r.sessions.completed, 40);
    assert.equal(srv.stats.claims.length + srv.stats.guests, 40);
    assert.ok(srv.stats.claims.length >= 14 && srv.stats.claims.length <= 34, `${srv.stats.claims.length} signed-in of 40`);
    for (const c of srv.stats.claims) assert.ok((c.sub === 'cust-1001' && c.tier === 'member') || (c.sub === 'cust-1002' && c.tier === 'prime'), JSON.stringify(c));
    assert.equal(r.options.signedIn, true);
    assert.equal(JSON.stringify(r.options).includes(secret), false, 'the secret is not echoed into the result');
  });
});

test('the hard cap stops a run that would go on, and says so', async () => {
  await withServer({ firstTokenMs: 1, tokens: 1, tokenGapMs: 1 }, async (url) => {
    const started = performance.now();
    const r = await runLoadTest(options(['--targets', url, '--rate', '5', '--duration', '60s', '--max-duration', '800ms', '--arrivals', 'uniform'], testProfile({ messages: 2, thinkMs: 10 })));
    assert.ok(performance.now() - started < 2000);
    assert.ok(r.sessions.started >= 3 && r.sessions.started <= 5, `${r.sessions.started} sessions`);
    assert.equal((r as unknown as { stoppedByHardCap: boolean }).stoppedByHardCap, true);
  });
});

test('--max-sessions bounds the sessions started', async () => {
  await withServer({ firstTokenMs: 1, tokens: 1, tokenGapMs: 1 }, async (url) => {
    const r = await runLoadTest(options(['--targets', url, '--rate', '50', '--duration', '2s', '--max-sessions', '7', '--arrivals', 'uniform'], testProfile({ messages: 1, thinkMs: 1 })));
    assert.equal(r.sessions.started, 7);
    assert.ok(r.durationS < 1.5, `${r.durationS} s`);
  });
});
