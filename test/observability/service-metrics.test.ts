import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetrics, GAUGE_AGGREGATION } from '../../src/observability/metrics.ts';
import { answerScrapes, scrapeService } from '../../src/observability/service-metrics.ts';
import { createInProcessMessageBus } from '../../src/messaging/in-process-bus.ts';

// The service-wide scrape: every process's registry over the bus, added up metric by metric with
// the aggregation each one declares. Two registries on one in-process bus stand for two workers
// here; test/service/workers-metrics.test.ts does it with real ones.

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('every gauge has a deliberate aggregation, and the registry carries it', async () => {
  const { registry } = createMetrics({ defaultMetrics: false });
  const gauges = (await registry.getMetricsAsJSON()).filter((m) => String(m.type) === 'gauge');
  const names = gauges.map((m) => m.name.replace(/^mangaassist_/, '')).sort();
  assert.deepEqual(names, Object.keys(GAUGE_AGGREGATION).sort(), 'a new gauge needs its line in GAUGE_AGGREGATION');
  for (const g of gauges) assert.equal(g.aggregator, GAUGE_AGGREGATION[g.name.replace(/^mangaassist_/, '') as keyof typeof GAUGE_AGGREGATION], g.name);
  // Amounts add up; states and levels take the worst process.
  for (const name of ['open_chats', 'open_chats_capacity', 'connections', 'pool_in_use', 'llm_pool_in_use', 'llm_pool_size', 'cache_l1_bytes'] as const) assert.equal(GAUGE_AGGREGATION[name], 'sum', name);
  for (const name of ['circuit_state', 'brownout_level', 'alarm_state', 'rate_limiter_fallback', 'llm_downgrade_active'] as const) assert.equal(GAUGE_AGGREGATION[name], 'max', name);
});

test('a scrape over the bus adds up counters and histograms, sums amounts and takes the worst state', async () => {
  const bus = createInProcessMessageBus();
  const a = createMetrics();
  const b = createMetrics();
  answerScrapes(bus, a.registry);
  answerScrapes(bus, b.registry);
  a.messages.inc({ intent: 'faq', outcome: 'answered' }, 3);
  b.messages.inc({ intent: 'faq', outcome: 'answered' }, 4);
  b.messages.inc({ intent: 'order_status', outcome: 'failed' });
  a.replySeconds.observe({ intent: 'faq' }, 0.2);
  b.replySeconds.observe({ intent: 'faq' }, 4);
  a.circuitState.set({ dependency: 'catalog' }, 1);
  b.circuitState.set({ dependency: 'catalog' }, 0);
  a.brownoutLevel.set(0);
  b.brownoutLevel.set(2);
  a.alarmState.set({ alarm: 'HighErrorRate' }, 2);
  b.alarmState.set({ alarm: 'HighErrorRate' }, 0);
  a.openChatsCapacity.set(10_000);
  b.openChatsCapacity.set(10_000);
  a.readConnections(() => ({ openChats: 3, byTransport: { ws: 3 } }));
  b.readConnections(() => ({ openChats: 5, byTransport: { ws: 4, sse: 1 } }));

  const text = await scrapeService(bus);
  assert.equal(sample(text, 'mangaassist_messages_total{intent="faq",outcome="answered"}'), 7);
  assert.equal(sample(text, 'mangaassist_messages_total{intent="order_status",outcome="failed"}'), 1);
  assert.equal(sample(text, 'mangaassist_reply_seconds_count{intent="faq"}'), 2);
  assert.equal(sample(text, 'mangaassist_reply_seconds_bucket{le="0.25",intent="faq"}'), 1);
  assert.equal(sample(text, 'mangaassist_reply_seconds_bucket{le="5",intent="faq"}'), 2);
  assert.equal(sample(text, 'mangaassist_reply_seconds_sum{intent="faq"}'), 4.2);
  assert.equal(sample(text, 'mangaassist_circuit_state{dependency="catalog"}'), 1);
  assert.equal(sample(text, 'mangaassist_brownout_level'), 2);
  assert.equal(sample(text, 'mangaassist_alarm_state{alarm="HighErrorRate"}'), 2);
  assert.equal(sample(text, 'mangaassist_open_chats'), 8);
  assert.equal(sample(text, 'mangaassist_open_chats_capacity'), 20_000);
  assert.equal(sample(text, 'mangaassist_connections{transport="ws"}'), 7);
  assert.equal(sample(text, 'mangaassist_connections{transport="sse"}'), 1);
  // The process's CPU adds up too; its start time has no meaning for the sum and is left out.
  assert.ok((sample(text, 'mangaassist_process_cpu_seconds_total') ?? 0) > 0);
  assert.equal(sample(text, 'mangaassist_process_start_time_seconds'), undefined);
  await bus.close();
});

test('a process that does not answer fails the scrape instead of leaving its share out', async () => {
  const bus = createInProcessMessageBus({ timeoutMs: 100 });
  answerScrapes(bus, createMetrics({ defaultMetrics: false }).registry);
  bus.subscribe('metrics.collect', () => new Promise(() => {}));
  await assert.rejects(scrapeService(bus), /within 100 ms/);
  await bus.close();
});
