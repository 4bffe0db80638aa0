// Wall-clock bounds of the message-rate mode (run alone, after the other suites, like runner.timing.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommand } from '../../src/loadgen/options.ts';
import { runRate, type RateOptions } from '../../src/loadgen/rate.ts';
import { startFakeChatServer } from './fake-chat-server.ts';
import { testProfile } from './helpers.ts';

function rateOptions(args: string[]): RateOptions {
  const cmd = parseCommand([...args, '--quiet'], { profile: testProfile() });
  assert.equal(cmd.kind, 'rate');
  return (cmd as Extract<typeof cmd, { kind: 'rate' }>).options;
}

test('rate mode measures the known latencies of a server: first token after 30 ms, end 50 ms later', async () => {
  const srv = await startFakeChatServer({ firstTokenMs: 30, tokens: 6, tokenGapMs: 10 });
  try {
    const r = await runRate(rateOptions(['--mode', 'rate', '--targets', srv.url, '--rate', '50', '--duration', '2s', '--warmup', '0s', '--chats', '16']));
    const f = r.rate;
    assert.equal(f.replies.answered, 100);
    assert.ok(f.ttft.p50 >= 29 && f.ttft.p50 <= 40, `ttft p50 ${f.ttft.p50}`);
    assert.ok(f.ttft.p99 >= 29 && f.ttft.p99 <= 70, `ttft p99 ${f.ttft.p99}`);
    assert.ok(f.ttlt.p50 >= 79 && f.ttlt.p50 <= 95, `end p50 ${f.ttlt.p50}`);
    assert.ok(Math.abs(f.ttftUncorrected.p50 - f.ttft.p50) < 5, 'a healthy server: the correction changes little');
    assert.ok(Math.abs(f.serverFirstTokenMs.p50 - 30) < 0.1);
    assert.equal(f.waitedForChat, 0);
  } finally {
    await srv.close();
  }
});

test('rate mode: a 1 s server stall shows in the corrected percentiles, not in the ones timed from the send', async () => {
  const srv = await startFakeChatServer({ firstTokenMs: 5, tokens: 2, tokenGapMs: 2 });
  try {
    // 200 messages/s over 32 chats for 4 s; the server holds every frame for 1 s from t≈2 s.
    const run = runRate(rateOptions(['--mode', 'rate', '--targets', srv.url, '--rate', '200', '--duration', '4s', '--warmup', '0s', '--chats', '32']));
    const stallAt = setTimeout(() => srv.stall(1000), 2000);
    const r = await run;
    clearTimeout(stallAt);
    const f = r.rate;
    assert.equal(f.scheduled, 800);
    assert.equal(f.replies.answered, 800);
    // The 32 chats fill within ~160 ms of the stall; every later message due in it waits for a
    // chat from its slot: corrected latencies spread from ~1 s down to 0 over ~200 messages
    // (a quarter of the run), while timed from the send only the 32 in flight look slow.
    assert.ok(f.ttft.p99 >= 800 && f.ttft.p99 <= 1300, `corrected p99 ${f.ttft.p99}`);
    assert.ok(f.ttft.p90 > 5 * f.ttftUncorrected.p90, `corrected p90 ${f.ttft.p90} vs uncorrected ${f.ttftUncorrected.p90}`);
    assert.ok(f.waitedForChat >= 100, `${f.waitedForChat} waited for a chat`);
    assert.equal(srv.stats.maxInFlightPerConnection, 1);
  } finally {
    await srv.close();
  }
});
