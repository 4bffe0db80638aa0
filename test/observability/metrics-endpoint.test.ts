import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS_TOKEN, scrapeMetrics, startTestServer, type TestServer } from '../helpers/server.ts';

// Nobody on the internet reads the service's metrics: on the chat port GET /metrics needs its own
// bearer credential (not a customer's, not the operator's); with METRICS_PORT it moves to a
// listener of its own (an internal interface) and the chat port has none.

const OPS_TOKEN = 'ops-credential-metrics-test-0123456789';

describe('GET /metrics on the chat port (no METRICS_PORT)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ OPS_TOKEN });
  });
  after(() => server.close());

  for (const [what, authorization] of [
    ['no credential', undefined],
    ['a wrong bearer', 'Bearer not-the-metrics-credential'],
    ['the credential with another last character', `Bearer ${METRICS_TOKEN.slice(0, -1)}x`],
    ['the operator credential', `Bearer ${OPS_TOKEN}`],
    ['the credential without the Bearer scheme', METRICS_TOKEN],
  ] as const) {
    test(`401 unauthorized with ${what}, and no metric in the body`, async () => {
      const res = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
      assert.equal(res.status, 401);
      const body = await res.text();
      assert.equal(JSON.parse(body).code, 'unauthorized');
      assert.doesNotMatch(body, /mangaassist_/);
    });
  }

  test('401 unauthorized with a valid customer token', async () => {
    const jwt = await server.app.signToken({ sub: 'cust-1002', tier: 'prime' });
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${jwt}` } });
    assert.equal(res.status, 401);
  });

  test('200 with METRICS_TOKEN: the Prometheus text format, the service\'s metrics', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^# TYPE mangaassist_messages_total counter$/m);
    assert.match(text, /^mangaassist_open_chats_capacity 10000$/m);
    assert.match(text, /^mangaassist_process_cpu_seconds_total /m);
  });
});

describe('without METRICS_TOKEN a credential is generated and kept in DATA_DIR', () => {
  let server: TestServer;
  const logs: string[] = [];
  before(async () => {
    // An empty value is unset.
    server = await startTestServer({ METRICS_TOKEN: '', LOG_LEVEL: 'info' }, { logDestination: { write: (line: string) => void logs.push(line) } });
  });
  after(() => server.close());

  test('the file (mode 0600) opens /metrics, the test credential does not, and the log names the file but not the credential', async () => {
    const file = join(server.dataDir, 'metrics-token');
    const token = readFileSync(file, 'utf8').trim();
    assert.ok(token.length >= 24, 'a long random credential');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(await scrapeMetrics(server.url, { token }), /mangaassist_messages_total/);
    assert.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, 401);
    const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'metrics on the chat port, behind a bearer credential');
    assert.ok(line, 'start-up names where the credential is');
    assert.equal(line.metricsBearer, file);
    assert.ok(!logs.some((l) => l.includes(token)), 'the credential itself is never logged');
  });
});

describe('with METRICS_PORT', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ METRICS_PORT: '0' });
  });
  after(() => server.close());

  test('the chat port has no /metrics at all, not even with the credential', async () => {
    for (const headers of [{}, { authorization: `Bearer ${METRICS_TOKEN}` }] as Record<string, string>[]) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { code: string }).code, 'not_found');
    }
  });

  test('the metrics listener on METRICS_HOST (127.0.0.1 by default) serves them without a credential', async () => {
    const url = server.app.metricsUrl;
    assert.ok(url, 'the app reports its metrics URL');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.notEqual(new URL(url).port, new URL(server.url).port);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(await res.text(), /^mangaassist_open_chats_capacity 10000$/m);
  });

  test('and nothing else: other paths and methods are not_found', async () => {
    const base = new URL(server.app.metricsUrl!);
    for (const [method, path] of [['GET', '/'], ['GET', '/v1/ops/summary'], ['GET', '/metricsx'], ['POST', '/metrics'], ['DELETE', '/metrics']] as const) {
      const res = await fetch(new URL(path, base), { method });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(((await res.json()) as { code: string }).code, 'not_found');
    }
  });
});
