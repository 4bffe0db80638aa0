// One trace per message, exported over OTLP/HTTP to a collector that speaks the real wire format
// (the exporter's JSON encoding of ExportTraceServiceRequest): a root span, a span per pipeline
// segment and per downstream call with the attributes operators filter on, and the same trace
// id in the `end` frame and in the log lines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number };
}

/** A minimal OTLP/HTTP collector: accepts POST /v1/traces (JSON) and keeps the spans. */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; resources: unknown[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const resources: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url !== '/v1/traces' || req.method !== 'POST' || !String(req.headers['content-type']).includes('json')) {
        res.writeHead(415).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { resourceSpans: { resource: unknown; scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const rs of body.resourceSpans) {
        resources.push(rs.resource);
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, spans, resources, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function attr(span: OtlpSpan, key: string): unknown {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if ('arrayValue' in v) return ((v.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map((x) => Object.values(x)[0]);
  const raw = Object.values(v)[0];
  return typeof raw === 'string' && 'intValue' in v ? Number(raw) : raw;
}

async function chat(server: TestServer, text: string, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/v1/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ text }),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

describe('tracing', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let server: TestServer;
  const lines: Record<string, unknown>[] = [];
  const replies: Record<string, unknown>[] = [];

  before(async () => {
    collector = await startCollector();
    const logDestination = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    // Promotions always fail: the enrichment call after a product question is retried, then given up.
    server = await startTestServer({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'manga-assist-test', FAULTS: 'promotions:error=1', LOG_LEVEL: 'debug' }, { logDestination });
    const prime = await server.app.signToken({ sub: 'c-prime', tier: 'prime', name: 'Taro' });
    replies.push(await chat(server, 'Is Vinland Saga volume 1 in stock?', prime));
    replies.push(await chat(server, 'Do you ship to Okinawa?'));
    await server.close(); // shuts the tracer down: every span is exported before it resolves
  });

  after(async () => {
    await collector.close();
  });

  test('every reply carries a real trace id, one root span per message', () => {
    for (const r of replies) assert.match(String(r.traceId), /^[0-9a-f]{32}$/);
    assert.notEqual(replies[0].traceId, replies[1].traceId);
    assert.notEqual(replies[0].traceId, '0'.repeat(32));
    for (const r of replies) {
      const roots = collector.spans.filter((s) => s.traceId === r.traceId && s.name === 'chat.message');
      assert.equal(roots.length, 1, `one root for ${r.traceId}`);
      assert.equal(roots[0].parentSpanId ?? '', '');
    }
    const resource = JSON.stringify(collector.resources[0]);
    assert.match(resource, /manga-assist-test/);
  });

  test('the root span says who asked, what was understood, which model answered and how it went', () => {
    const root = collector.spans.find((s) => s.traceId === replies[0].traceId && s.name === 'chat.message')!;
    assert.equal(attr(root, 'intent'), replies[0].intent);
    assert.equal(attr(root, 'priority'), 'P0');
    assert.equal(attr(root, 'customer.kind'), 'prime');
    assert.equal(attr(root, 'language'), 'en');
    assert.equal(typeof attr(root, 'llm.model'), 'string');
    assert.equal(typeof attr(root, 'llm.route'), 'string');
    assert.ok(['answered', 'degraded'].includes(String(attr(root, 'outcome'))));
    const guest = collector.spans.find((s) => s.traceId === replies[1].traceId && s.name === 'chat.message')!;
    assert.equal(attr(guest, 'priority'), 'P2');
  });

  test('a child span per pipeline segment, with the same names as the end frame timings', () => {
    const r = replies[0];
    const children = collector.spans.filter((s) => s.traceId === r.traceId && s.name !== 'chat.message');
    const root = collector.spans.find((s) => s.traceId === r.traceId && s.name === 'chat.message')!;
    for (const c of children) assert.ok(c.parentSpanId, `${c.name} has a parent`);
    const segments = new Set(children.map((s) => String(attr(s, 'segment.name'))));
    for (const key of Object.keys(r.timings as Record<string, number>)) {
      if (key === 'totalMs' || key === 'firstTokenMs') continue;
      assert.ok(segments.has(key.slice(0, -2)), `segment ${key} has a span (have ${[...segments].join(', ')})`);
    }
    for (const name of ['language', 'understand', 'gather', 'generate']) assert.ok(children.some((s) => s.name === name && s.parentSpanId === root.spanId), name);
  });

  test('downstream calls are spans with breaker state, retries, outcome and cache results', () => {
    const r = replies[0];
    const calls = collector.spans.filter((s) => s.traceId === r.traceId && s.name.startsWith('dependency '));
    const names = new Set(calls.map((s) => attr(s, 'dependency.name')));
    for (const d of ['memory', 'catalog', 'llm', 'promotions']) assert.ok(names.has(d), `call span for ${d} (have ${[...names].join(', ')})`);
    for (const c of calls) {
      assert.equal(typeof attr(c, 'breaker.state'), 'string', c.name);
      assert.equal(typeof attr(c, 'retry.count'), 'number', c.name);
    }
    const promotions = calls.find((s) => attr(s, 'dependency.name') === 'promotions')!;
    assert.equal(attr(promotions, 'outcome'), 'error');
    assert.ok(Number(attr(promotions, 'retry.count')) >= 1, 'the injected failure was retried (up to RETRY_MAX=2, as the deadline allows)');
    assert.equal(promotions.status?.code, 2, 'status ERROR');
    const catalog = calls.filter((s) => attr(s, 'dependency.name') === 'catalog');
    assert.ok(catalog.some((s) => s.attributes.some((a) => a.key.startsWith('cache.'))), 'a catalog call records its cache lookup');
  });

  test('log lines of a message carry its trace id', () => {
    const traced = lines.filter((l) => l.trace_id === replies[0].traceId || l.trace_id === replies[1].traceId);
    assert.ok(traced.length > 0, 'some log line names a reply trace');
    const reply = lines.find((l) => l.msg === 'reply' && l.trace_id === replies[1].traceId);
    assert.ok(reply, 'the per-reply debug line has the trace id');
  });
});
