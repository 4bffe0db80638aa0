import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fetchFresh, startClusterService, type ClusterService } from '../helpers/cluster-service.ts';

// With WORKERS=2 a scrape is the service's, not whichever worker took the connection: every
// counter is the sum of both workers' and never goes backwards from one scrape to the next
// (Prometheus reads a drop as a reset). Both ways Prometheus can scrape are checked: the chat
// port with the bearer credential (a worker asks every worker through the primary), and the
// primary's own METRICS_PORT listener.

const ADMIN_TOKEN = 'admin-credential-workers-metrics-01';
const METRICS_TOKEN = 'metrics-credential-workers-01234567';
const MESSAGES = 8;

type Samples = Map<string, number>;

/** The samples of a scrape; `monotonic` the counter and histogram series (never to go backwards). */
function parse(text: string): Samples & { monotonic: Set<string> } {
  const out = Object.assign(new Map<string, number>(), { monotonic: new Set<string>() });
  const families = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(m[1], m[2]);
  for (const line of text.split('\n')) {
    if (!line.startsWith('mangaassist_')) continue;
    const space = line.lastIndexOf(' ');
    const series = line.slice(0, space);
    out.set(series, Number(line.slice(space + 1)));
    const name = series.split('{')[0];
    const family = families.has(name) ? name : name.replace(/_(bucket|count|sum)$/, '');
    if (families.get(family) === 'counter' || families.get(family) === 'histogram') out.monotonic.add(series);
  }
  return out;
}

function total(samples: Samples, prefix: string): number {
  let sum = 0;
  for (const [series, value] of samples) if (series.startsWith(prefix)) sum += value;
  return sum;
}

async function admin(service: ClusterService, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetchFresh(`${service.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  assert.equal(res.status, 200, `${method} ${path}: ${await res.clone().text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Messages on fresh connections (round-robin over the workers) with a scrape after each; every scrape is checked against the one before. */
async function exercise(service: ClusterService, scrape: () => Promise<ReturnType<typeof parse>>): Promise<void> {
  // A tiny injected latency marks the catalog calls each worker makes, so the test can tell that
  // both workers answered some of the messages (and the sum is not one worker's count).
  await admin(service, 'PUT', '/v1/admin/faults/catalog', { latencyMs: 1 });
  const first = await scrape();
  let previous = first;
  for (let i = 0; i < MESSAGES; i++) {
    const res = await fetchFresh(`${service.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Do you have Frieren?' }) });
    assert.equal(res.status, 200, await res.clone().text());
    for (let k = 0; k < 2; k++) {
      const now = await scrape();
      for (const [series, before] of previous) {
        if (!previous.monotonic.has(series)) continue;
        const after = now.get(series);
        assert.ok(after !== undefined, `${series} vanished after message ${i + 1}`);
        assert.ok(after >= before, `${series} went backwards after message ${i + 1}: ${before} → ${after}`);
      }
      previous = now;
    }
  }
  const last = previous;
  assert.ok(last.monotonic.size > 100, `counters and histogram series compared: ${last.monotonic.size}`);
  assert.equal(total(last, 'mangaassist_messages_total{') - total(first, 'mangaassist_messages_total{'), MESSAGES, 'every message of both workers, counted once');
  assert.equal(total(last, 'mangaassist_reply_seconds_count{') - total(first, 'mangaassist_reply_seconds_count{'), MESSAGES);
  const answered = [...last].filter(([series]) => series.startsWith('mangaassist_messages_total{') && series.includes('outcome="answered"')).reduce((n, [, v]) => n + v, 0);
  assert.ok(answered >= MESSAGES, `answered messages: ${answered}`);
  // Both workers did part of it.
  const report = (await admin(service, 'GET', '/v1/admin/faults')).processes as { pid: number; injected: Record<string, number> }[];
  assert.equal(report.length, 2);
  for (const p of report) assert.ok((p.injected.catalog ?? 0) > 0, `worker ${p.pid} answered some: ${JSON.stringify(report)}`);
  // Gauges: capacity is per process, so the service's is twice it; no circuit is open anywhere.
  assert.equal(last.get('mangaassist_open_chats_capacity'), 20_000);
  assert.equal(last.get('mangaassist_circuit_state{dependency="catalog"}'), 0);
  await admin(service, 'DELETE', '/v1/admin/faults');
}

describe('WORKERS=2, /metrics on the chat port behind METRICS_TOKEN', () => {
  let service: ClusterService;
  before(async () => {
    service = await startClusterService({ ADMIN_TOKEN, METRICS_TOKEN });
  });
  after(async () => {
    const code = await service.stop();
    assert.ok(code === 0 || code === 'SIGTERM', `exit ${code}: ${service.output().slice(-2000)}`);
  });

  test('refused without the credential, on every worker', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await fetchFresh(`${service.url}/metrics`)).status, 401);
  });

  test('counters are both workers\' sum and never go backwards across scrapes', async () => {
    await exercise(service, async () => {
      const res = await fetchFresh(`${service.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      assert.equal(res.status, 200);
      return parse(await res.text());
    });
  });
});

describe('WORKERS=2, METRICS_PORT served by the primary', () => {
  let service: ClusterService;
  before(async () => {
    service = await startClusterService({ ADMIN_TOKEN, METRICS_PORT: '0' });
  });
  after(async () => {
    const code = await service.stop();
    assert.ok(code === 0 || code === 'SIGTERM', `exit ${code}: ${service.output().slice(-2000)}`);
  });

  test('the chat port has no /metrics; the primary\'s listener is on 127.0.0.1, without a credential', async () => {
    assert.equal((await fetchFresh(`${service.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, 404);
    assert.match(service.metricsUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.equal((await fetch(service.metricsUrl!)).status, 200);
  });

  test('counters are both workers\' sum and never go backwards across scrapes', async () => {
    await exercise(service, async () => {
      const res = await fetch(service.metricsUrl!);
      assert.equal(res.status, 200);
      return parse(await res.text());
    });
  });
});
