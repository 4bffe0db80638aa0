import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { scrapeMetrics, startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, replyText, type Frame } from '../helpers/ws-client.ts';

// Brownout through the real server: what level 1 gives up (reviews and promotions) is counted,
// and every level change is logged once with its reason and counted by from/to.

const log: Record<string, unknown>[] = [];
let server: TestServer;

before(async () => {
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) log.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  // Ten messages in flight is "full" (levels at 6, 8 and 9.5); slow first tokens (within the
  // model deadlines, raised) keep the holders in flight. The event-loop signal is off (the test
  // helpers' default): in-flight only.
  server = await startTestServer(
    {
      LOG_LEVEL: 'info',
      MAX_INFLIGHT_MESSAGES: '10',
      LLM_PROVIDER: 'sim',
      SIM_LLM_TTFT_MS: '4000',
      SIM_LLM_SMALL_TTFT_MS: '4000',
      SIM_LLM_JITTER: '0',
      SIM_LLM_TOKENS_PER_SEC: '0',
      SIM_LLM_SMALL_TOKENS_PER_SEC: '0',
      MESSAGE_BUDGET_MS: '8000',
      LLM_TIMEOUT_MS: '8000',
      LLM_ATTEMPT_TIMEOUT_MS: '8000',
      SEMANTIC_CACHE: 'false',
    },
    { logDestination: destination },
  );
});
after(() => server.close());

const sample = (metrics: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);

async function untilLevel(level: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const metrics = await scrapeMetrics(server.url);
    if (sample(metrics, 'mangaassist_brownout_level') === level) return metrics;
    await sleep(25);
  }
  throw new Error(`brownout never reached level ${level}`);
}

test('at level 1 reviews and promotions are skipped, counted, and a promotion question says so; each change logged with its reason', async () => {
  const primeToken = await server.app.signToken({ sub: 'bo-p', tier: 'prime' });
  const holders = await Promise.all(Array.from({ length: 6 }, () => connectChat(server.wsUrl, { token: primeToken })));
  const held = holders.map((c, i) => c.ask('recommend me a fantasy manga', `hold-${i}`));
  await untilLevel(1);

  // A member's two questions at once: 8/10 in flight is level 2, which sheds guests, not members.
  const member = await connectChat(server.wsUrl, { token: await server.app.signToken({ sub: 'bo-m', tier: 'member' }) });
  const member2 = await connectChat(server.wsUrl, { token: await server.app.signToken({ sub: 'bo-m2', tier: 'member' }) });
  const [product, promotion] = await Promise.all([member.ask('Do you have One Piece?', 'product'), member2.ask('any promotions right now?', 'promo')]);
  const end = (frames: Frame[]) => frames.at(-1)!;
  assert.equal(end(product).type, 'end');
  assert.equal(end(product).degraded, undefined, 'skipped enrichment is invisible to the customer, as when it fails');
  assert.doesNotMatch(replyText(product), /Customers rate it|Good news:/);
  assert.equal(end(promotion).type, 'end');
  assert.deepEqual(end(promotion).degraded, ['promotions']);
  assert.match(replyText(promotion), /can't load our current promotions right now/);
  for (const r of await Promise.all(held)) assert.equal(end(r).type, 'end');

  const metrics = await scrapeMetrics(server.url);
  assert.equal(sample(metrics, 'mangaassist_brownout_skipped_total{dependency="reviews"}'), 1, metrics);
  assert.equal(sample(metrics, 'mangaassist_brownout_skipped_total{dependency="promotions"}'), 2);
  assert.equal(sample(metrics, 'mangaassist_fallbacks_total{dependency="reviews"}'), 1);
  assert.equal(sample(metrics, 'mangaassist_fallbacks_total{dependency="promotions"}'), 2);
  assert.equal(sample(metrics, 'mangaassist_brownout_transitions_total{from="0",to="1"}'), 1);
  assert.equal(sample(metrics, 'mangaassist_brownout_transitions_total{from="1",to="2"}'), 1);
  // Everyone is answered, yet the level stays until it has been held 5 s: falling is slow.
  assert.equal(sample(metrics, 'mangaassist_brownout_level'), 2);

  const changes = log.filter((l) => l.msg === 'brownout level changed');
  assert.deepEqual(
    changes.map((l) => [l.level, l.from, l.brownoutLevel, l.cause, l.inFlight]),
    [
      [40, 0, 1, 'in_flight', 6],
      [40, 1, 2, 'in_flight', 8],
    ],
  );
  for (const l of changes) for (const key of ['lagP99Ms', 'utilization', 'lagSmoothedMs', 'heldMs']) assert.equal(typeof l[key], 'number', key);
  await Promise.all([...holders, member, member2].map((c) => c.close()));
});
