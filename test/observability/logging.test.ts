// The service's log lines are JSON and leak neither credentials nor personal data: the same
// logger the composition root builds (createLogger with the guardrails' personal-data masking).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { createLogger } from '../../src/observability/logging.ts';
import { createGuardrails } from '../../src/guardrails/guardrails.ts';
import { createTracing } from '../../src/observability/tracing.ts';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination, maskPersonalData: createGuardrails({ restrictedTitles: [], safeTitles: [] }).redact });
  return { lines, logger };
}

const CARD = '4111 1111 1111 1111';
const EMAIL = 'taro.yamada@example.co.jp';
const PHONE = '090-1234-5678';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjLTEiLCJ0aWVyIjoicHJpbWUifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const API_KEY = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345';
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';

test('credentials are removed by key and by shape, wherever they sit', () => {
  const { lines, logger } = capture();
  logger.info(
    {
      headers: { authorization: `Bearer ${JWT}`, cookie: 'sid=abc123def456' },
      config: { ADMIN_TOKEN: 'admin-credential-1234567890', OPENAI_API_KEY: 'whatever-value-123', apiKey: 'k-123456789' },
      url: `/v1/chat/ws?session=s-1&token=${JWT}`,
      note: `retrying with key ${API_KEY} and ${AWS_KEY}`,
      usage: { inputTokens: 120, outputTokens: 45 },
    },
    'calling the model',
  );
  assert.equal(lines.length, 1);
  const out = lines[0];
  for (const secret of [JWT, 'abc123def456', 'admin-credential-1234567890', 'whatever-value-123', 'k-123456789', API_KEY, AWS_KEY]) assert.ok(!out.includes(secret), `leaked ${secret.slice(0, 12)}…: ${out}`);
  const parsed = JSON.parse(out);
  assert.equal(parsed.usage.inputTokens, 120, 'counts named *Tokens are numbers and stay');
  assert.equal(parsed.headers.authorization, '[redacted]');
  assert.match(parsed.url, /session=s-1/);
});

test('personal data is masked in values, nested objects, arrays, the message and errors', () => {
  const { lines, logger } = capture();
  const err = new Error(`payment failed for card ${CARD}`);
  logger.warn({ err, customer: { name: 'Yamada Taro', kind: 'prime' }, turns: [{ text: `mail me at ${EMAIL} or call ${PHONE}` }] }, `could not reach ${EMAIL}`);
  const out = lines.join('\n');
  for (const pii of [CARD, EMAIL, PHONE, '4111111111111111', 'Yamada Taro']) assert.ok(!out.includes(pii), `leaked ${pii}: ${out}`);
  const parsed = JSON.parse(lines[0]);
  assert.match(parsed.err.message, /\[card\]/);
  assert.match(parsed.err.stack, /\[card\]/, 'the stack quotes the message: scrubbed too');
  assert.equal(parsed.customer.kind, 'prime');
  assert.match(parsed.msg, /\[email\]/);
});

test('numbers are never taken for personal data and lines stay valid JSON', () => {
  const { lines, logger } = capture();
  logger.info({ at: 1763900000000, orderTotal: 41111111, ids: ['09012345678'] }, 'numbers');
  const parsed = JSON.parse(lines[0]);
  assert.equal(parsed.at, 1763900000000);
  assert.equal(parsed.orderTotal, 41111111);
  assert.equal(typeof parsed.time, 'number');
});

test('a line written inside a traced call names its trace and span', async () => {
  const { lines, logger } = capture();
  const tracing = createTracing({ serviceName: 't', sampleRatio: 1, processors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  const t = tracing.startMessage({});
  await t.call('dependency x', {}, async () => {
    logger.info('inside');
  });
  t.end();
  const parsed = JSON.parse(lines[0]);
  assert.equal(parsed.trace_id, t.traceId);
  assert.match(parsed.span_id, /^[0-9a-f]{16}$/);
  logger.info('outside');
  assert.equal(JSON.parse(lines[1]).trace_id, trace.getSpan(context.active())?.spanContext().traceId);
  await tracing.shutdown();
});

test('a field named level or time cannot shadow the line\'s own (a warning read as level 1)', () => {
  const { lines, logger } = capture();
  logger.warn({ level: 1, time: 'soon' }, 'brownout level changed');
  const raw = lines.at(-1)!;
  assert.equal(raw.match(/"level":/g)?.length, 1, raw);
  assert.equal(raw.match(/"time":/g)?.length, 1, raw);
  const line = JSON.parse(raw);
  assert.equal(line.level, 40);
  assert.equal(typeof line.time, 'number');
  assert.deepEqual([line.level_, line.time_], [1, 'soon']);
  logger.info({ msg: 'a lone msg is still the message' });
  assert.equal(JSON.parse(lines.at(-1)!).msg, 'a lone msg is still the message');
});
