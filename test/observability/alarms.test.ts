import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createMetricsHistory } from '../../src/observability/history.ts';
import { ALARM_RULES, formatDuration, formatAlarmValue, type AlarmRule } from '../../src/observability/alarm-table.ts';
import { createAlarmEvaluator } from '../../src/observability/alarms.ts';
import { createWebhookNotifier, type ChatOpsMessage } from '../../src/observability/webhook.ts';
import type { AlarmStatus } from '../../src/observability/summary-types.ts';

const T0 = 1_700_000_000_000;

function setup(opts: { timeScale?: number; link?: string; notify?: (m: ChatOpsMessage) => void; rules?: readonly AlarmRule[] } = {}) {
  const metrics = createMetrics({ defaultMetrics: false });
  const clock = { t: T0 };
  const history = createMetricsHistory({ registry: metrics.registry, retentionMs: 3_600_000, now: () => clock.t });
  const messages: ChatOpsMessage[] = [];
  const changes: AlarmStatus[] = [];
  const errors: unknown[] = [];
  const alarms = createAlarmEvaluator({
    history,
    rules: opts.rules ?? ALARM_RULES,
    timeScale: opts.timeScale,
    notify: opts.notify ?? ((m) => messages.push(m)),
    onChange: (s) => changes.push(s),
    onError: (e) => errors.push(e),
    link: opts.link,
    now: () => clock.t,
  });
  const status = (name: string) => alarms.statuses().find((s) => s.name === name)!;
  /** Runs `drive` (traffic during the step), moves the clock by `ms`, samples and evaluates. */
  const tick = async (ms: number, drive?: () => void) => {
    drive?.();
    clock.t += ms;
    await history.sample();
    alarms.evaluate();
  };
  return { metrics, clock, history, alarms, messages, changes, errors, status, tick };
}

test('the alarm table carries the design rows under the Prometheus rule names', () => {
  assert.deepEqual(
    ALARM_RULES.map((r) => [r.name, r.severity, r.action, r.threshold, r.windowMs, r.forMs]),
    [
      ['FirstTokenP99High', 'SEV-2', 'Page on-call', 3, 60_000, 300_000],
      ['ErrorRateHigh', 'SEV-2', 'Page on-call', 0.01, 60_000, 300_000],
      ['GuardrailBlockRateHigh', 'SEV-3', 'Investigate prompt or content issue', 0.1, 60_000, 900_000],
      ['LlmTimeoutRateHigh', 'SEV-2', 'Check Bedrock quotas and fallback behavior', 0.05, 60_000, 300_000],
      ['StoreThrottling', 'SEV-3', 'Review access patterns', 0, 60_000, 0],
      ['CircuitBreakerOpen', 'SEV-3', 'Investigate dependency health', 0, 0, 0],
      ['OpenChatsHigh', 'SEV-3', 'Pre-scale capacity', 0.8, 0, 0],
    ],
  );
  assert.equal(formatDuration(300_000), '5 min');
  assert.equal(formatDuration(15_000), '15 s');
  assert.equal(formatAlarmValue({ unit: 'ratio' }, 0.0234), '2.34 %');
  assert.equal(formatAlarmValue({ unit: 's' }, 4.2), '4.2 s');
});

test('FirstTokenP99High: ok → pending → firing after 5 min → ok on recovery, one message per transition', async () => {
  const { metrics, history, alarms, messages, changes, status, tick } = setup({ link: 'https://ops.example/ops' });
  await history.sample();
  const slow = () => {
    for (let i = 0; i < 5; i++) metrics.firstTokenSeconds.observe({ priority: 'P1', route: 'large' }, 4.2);
  };
  const fast = () => {
    for (let i = 0; i < 5; i++) metrics.firstTokenSeconds.observe({ priority: 'P0', route: 'small' }, 0.1);
  };
  assert.equal(status('FirstTokenP99High').state, 'ok');

  await tick(15_000, slow);
  const pending = status('FirstTokenP99High');
  assert.equal(pending.state, 'pending');
  assert.equal(pending.since, T0 + 15_000);
  assert.ok(Math.abs(pending.value! - (3 + 2 * 0.99)) < 1e-9, `p99 ${pending.value}`);
  for (let i = 2; i <= 20; i++) await tick(15_000, slow);
  assert.equal(status('FirstTokenP99High').state, 'pending', '4 min 45 s of breaching is not yet 5 min');
  assert.equal(messages.length, 0);
  await tick(15_000, slow);
  assert.equal(status('FirstTokenP99High').state, 'firing');
  assert.equal(status('FirstTokenP99High').since, T0 + 21 * 15_000);
  for (let i = 0; i < 5; i++) await tick(15_000, slow);
  assert.equal(messages.length, 1, 'still firing: no repeat');
  assert.deepEqual(messages[0], {
    kind: 'alarm',
    text: '[SEV-2] FirstTokenP99High firing: p99 first token 4.98 s > 3 s for 5 min — Page on-call',
    severity: 'critical',
    fields: { alarm: 'FirstTokenP99High', severity: 'SEV-2', state: 'firing', threshold: 3, value: 4.98, action: 'Page on-call' },
    link: 'https://ops.example/ops',
  });

  // The 1-minute window still holds the slow tokens for three more steps.
  for (let i = 1; i <= 3; i++) await tick(15_000, fast);
  assert.equal(status('FirstTokenP99High').state, 'firing');
  await tick(15_000, fast);
  assert.equal(status('FirstTokenP99High').state, 'ok');
  assert.equal(messages.length, 2);
  assert.equal(messages[1].severity, 'resolved');
  assert.match(messages[1].text, /^\[SEV-2\] FirstTokenP99High resolved: p99 first token 0\.0995 s \(threshold 3 s\)$/);
  assert.deepEqual(
    changes.filter((c) => c.name === 'FirstTokenP99High').map((c) => c.state),
    ['pending', 'firing', 'ok'],
  );
  assert.equal(alarms.statuses().filter((s) => s.state !== 'ok').length, 0);
});

test('a breach interrupted by one good evaluation restarts the for clock', async () => {
  const { metrics, history, status, tick } = setup();
  await history.sample();
  const calls = (timeouts: number) => () => {
    metrics.llmCalls.inc({ model: 'large', priority: 'P1', outcome: 'ok' }, 10 - timeouts);
    if (timeouts) metrics.llmCalls.inc({ model: 'large', priority: 'P1', outcome: 'timeout' }, timeouts);
  };
  for (let i = 0; i < 3; i++) await tick(15_000, calls(1));
  assert.equal(status('LlmTimeoutRateHigh').state, 'pending');
  // 10 % in the window needs 4 clean steps to fall to ≤ 5 %: wait until it is ok.
  let steps = 0;
  while (status('LlmTimeoutRateHigh').state !== 'ok') {
    await tick(15_000, calls(0));
    assert.ok(++steps < 10);
  }
  await tick(15_000, calls(5));
  assert.equal(status('LlmTimeoutRateHigh').state, 'pending');
  const since = status('LlmTimeoutRateHigh').since;
  for (let i = 0; i < 19; i++) await tick(15_000, calls(1));
  assert.equal(status('LlmTimeoutRateHigh').state, 'pending');
  await tick(15_000, calls(1));
  assert.equal(status('LlmTimeoutRateHigh').state, 'firing');
  assert.equal(status('LlmTimeoutRateHigh').since - since, 300_000);
});

test('ErrorRateHigh: below 20 messages in the window it is not judged; timeScale 0.05 makes 5 min 15 s', async () => {
  const { metrics, history, messages, status, tick } = setup({ timeScale: 0.05 });
  await history.sample();
  const traffic = (n: number, failed: number, outcome = 'failed') => () => {
    metrics.messages.inc({ intent: 'faq', outcome: 'answered' }, n - failed);
    if (failed) metrics.messages.inc({ intent: 'faq', outcome }, failed);
  };
  // Half the messages fail, but a 3 s window (1 min × 0.05) holds at most 3 × 5 = 15 of them.
  for (let i = 0; i < 10; i++) await tick(1000, traffic(5, 2));
  assert.equal(status('ErrorRateHigh').state, 'ok');
  assert.equal(status('ErrorRateHigh').value, null);
  assert.match(status('ErrorRateHigh').summary, /drill: windows ×0\.05, for 15 s/);

  // Blocked is the guardrail's job, not an error.
  for (let i = 0; i < 5; i++) await tick(1000, traffic(10, 3, 'blocked'));
  assert.equal(status('ErrorRateHigh').value, 0);

  await tick(1000, traffic(10, 1, 'unanswered'));
  assert.equal(status('ErrorRateHigh').state, 'pending');
  const since = status('ErrorRateHigh').since;
  while (status('ErrorRateHigh').state === 'pending') await tick(1000, traffic(10, 1, 'interrupted'));
  assert.equal(status('ErrorRateHigh').state, 'firing');
  assert.equal(status('ErrorRateHigh').since - since, 15_000);
  assert.equal(messages.length, 1);
  assert.match(messages[0].text, /^\[SEV-2\] ErrorRateHigh firing: error rate 10 % > 1 % for 15 s — Page on-call$/);
});

test('GuardrailBlockRateHigh: input blocks plus output revisions over input checks, strictly above 10 % for 15 min', async () => {
  const { metrics, history, messages, status, tick } = setup();
  await history.sample();
  const checks = (blocked: number, revised: number) => () => {
    metrics.guardrailChecks.inc({ stage: 'input', result: 'pass' }, 10 - blocked);
    if (blocked) metrics.guardrailChecks.inc({ stage: 'input', result: 'blocked' }, blocked);
    metrics.guardrailChecks.inc({ stage: 'output', result: 'pass' }, 10 - blocked - revised);
    if (revised) metrics.guardrailChecks.inc({ stage: 'output', result: 'revised' }, revised);
  };
  for (let i = 0; i < 6; i++) await tick(15_000, checks(1, 0));
  assert.equal(status('GuardrailBlockRateHigh').value, 0.1);
  assert.equal(status('GuardrailBlockRateHigh').state, 'ok', '10 % is the threshold, not above it');

  await tick(15_000, checks(1, 1));
  assert.equal(status('GuardrailBlockRateHigh').state, 'pending');
  for (let i = 0; i < 59; i++) await tick(15_000, checks(1, 1));
  assert.equal(status('GuardrailBlockRateHigh').state, 'pending');
  await tick(15_000, checks(1, 1));
  assert.equal(status('GuardrailBlockRateHigh').state, 'firing');
  assert.equal(messages.length, 1);
  assert.equal(messages[0].severity, 'warning');
  assert.match(messages[0].text, /^\[SEV-3\] GuardrailBlockRateHigh firing: guardrail block rate 20 % > 10 % for 15 min — Investigate prompt or content issue$/);
});

test('StoreThrottling fires at once, sends an update when another store throttles, resolves when the window is clean', async () => {
  const { metrics, history, messages, status, tick } = setup();
  await history.sample();
  await tick(15_000, () => metrics.storeThrottles.inc({ store: 'sqlite' }));
  assert.equal(status('StoreThrottling').state, 'firing');
  assert.deepEqual(status('StoreThrottling').subjects, ['sqlite']);
  await tick(15_000, () => metrics.storeThrottles.inc({ store: 'dynamodb' }, 2));
  await tick(15_000);
  assert.equal(messages.length, 2);
  assert.equal(messages[0].text, '[SEV-3] StoreThrottling firing: store throttles 1 > 0 (sqlite) — Review access patterns');
  assert.equal(messages[1].text, '[SEV-3] StoreThrottling still firing: store throttles 3 > 0 (dynamodb, sqlite) — Review access patterns');
  assert.equal(messages[1].fields?.subjects, 'dynamodb, sqlite');
  let steps = 0;
  while (status('StoreThrottling').state === 'firing') {
    await tick(15_000);
    assert.ok(++steps < 10);
  }
  // sqlite leaves the window one step before dynamodb: that is an update too.
  assert.deepEqual(
    messages.map((m) => m.text.split(':')[0]),
    ['[SEV-3] StoreThrottling firing', '[SEV-3] StoreThrottling still firing', '[SEV-3] StoreThrottling still firing', '[SEV-3] StoreThrottling resolved'],
  );
  assert.equal(messages[3].severity, 'resolved');
  assert.equal(status('StoreThrottling').subjects, undefined);
});

test('CircuitBreakerOpen posts exactly one webhook message per transition, with the breakers as subjects', async (t) => {
  const bodies: Record<string, any>[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const notifier = createWebhookNotifier({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, timeoutMs: 5000 });
  t.after(async () => {
    await notifier.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { metrics, history, status, tick } = setup({ notify: (m) => notifier.notify(m), link: 'https://ops.example/ops' });
  for (const d of ['catalog', 'orders', 'reviews']) metrics.circuitState.set({ dependency: d }, 0);
  metrics.readConnections(() => ({ openChats: 0, byTransport: {} }));
  metrics.openChatsCapacity.set(100);
  await history.sample();

  await tick(15_000, () => metrics.circuitState.set({ dependency: 'catalog' }, 1));
  await tick(15_000);
  await tick(15_000, () => metrics.circuitState.set({ dependency: 'orders' }, 1));
  await tick(15_000, () => metrics.circuitState.set({ dependency: 'reviews' }, 3)); // isolated by an operator: not "open"
  assert.equal(status('CircuitBreakerOpen').value, 2);
  await tick(15_000, () => {
    metrics.circuitState.set({ dependency: 'catalog' }, 2); // half-open: probing, not yet recovered
    metrics.circuitState.set({ dependency: 'orders' }, 0);
  });
  assert.equal(status('CircuitBreakerOpen').state, 'firing', 'a half-open circuit keeps the alarm firing');
  await tick(15_000, () => metrics.circuitState.set({ dependency: 'catalog' }, 0));
  await notifier.flush();

  assert.equal(bodies.length, 4);
  assert.deepEqual(bodies[0], {
    text: '[SEV-3] CircuitBreakerOpen firing: open circuits 1 > 0 (catalog) — Investigate dependency health <https://ops.example/ops|open>',
    attachments: [
      {
        color: '#f9ab00',
        fallback: '[SEV-3] CircuitBreakerOpen firing: open circuits 1 > 0 (catalog) — Investigate dependency health',
        fields: [
          { title: 'alarm', value: 'CircuitBreakerOpen', short: true },
          { title: 'severity', value: 'SEV-3', short: true },
          { title: 'state', value: 'firing', short: true },
          { title: 'threshold', value: '0', short: true },
          { title: 'value', value: '1', short: true },
          { title: 'subjects', value: 'catalog', short: true },
          { title: 'action', value: 'Investigate dependency health', short: true },
        ],
      },
    ],
    mangaassist: {
      kind: 'alarm',
      severity: 'warning',
      fields: { alarm: 'CircuitBreakerOpen', severity: 'SEV-3', state: 'firing', threshold: 0, value: 1, subjects: 'catalog', action: 'Investigate dependency health' },
      link: 'https://ops.example/ops',
    },
  });
  assert.match(bodies[1].text, /^\[SEV-3\] CircuitBreakerOpen still firing: open circuits 2 > 0 \(catalog, orders\)/);
  assert.equal(bodies[1].mangaassist.fields.subjects, 'catalog, orders');
  assert.match(bodies[2].text, /^\[SEV-3\] CircuitBreakerOpen still firing: open circuits 1 > 0 \(catalog\)/);
  assert.match(bodies[3].text, /^\[SEV-3\] CircuitBreakerOpen resolved: open circuits 0 \(threshold 0\)/);
  assert.equal(bodies[3].attachments[0].color, '#188038');
  assert.equal(notifier.stats().sent, 4);
});

test('OpenChatsHigh compares open chats with the provisioned capacity; no capacity means not judged', async () => {
  const { metrics, history, messages, status, tick } = setup();
  let open = 50;
  metrics.readConnections(() => ({ openChats: open, byTransport: { ws: open } }));
  await history.sample();
  assert.equal(status('OpenChatsHigh').value, null);
  await tick(15_000);
  assert.equal(status('OpenChatsHigh').value, null, 'capacity 0: unknown');
  metrics.openChatsCapacity.set(100);
  await tick(15_000);
  assert.equal(status('OpenChatsHigh').value, 0.5);
  open = 85;
  await tick(15_000);
  assert.equal(status('OpenChatsHigh').state, 'firing');
  open = 80;
  await tick(15_000);
  assert.equal(status('OpenChatsHigh').state, 'ok');
  assert.deepEqual(
    messages.map((m) => m.text),
    ['[SEV-3] OpenChatsHigh firing: open chats 85 % > 80 % — Pre-scale capacity', '[SEV-3] OpenChatsHigh resolved: open chats 80 % (threshold 80 %)'],
  );
});

test('a throwing rule keeps its state and is reported; the others are still evaluated', async () => {
  let fail = false;
  const breaker = ALARM_RULES.find((r) => r.name === 'CircuitBreakerOpen')!;
  const flaky: AlarmRule = {
    ...breaker,
    name: 'Flaky',
    evaluate(h, at, w) {
      if (fail) throw new Error('rule bug');
      return breaker.evaluate(h, at, w);
    },
  };
  const { metrics, history, messages, errors, status, tick } = setup({ rules: [flaky, breaker] });
  await history.sample();
  await tick(1000, () => metrics.circuitState.set({ dependency: 'catalog' }, 1));
  assert.equal(status('Flaky').state, 'firing');
  fail = true;
  await tick(1000, () => metrics.circuitState.set({ dependency: 'catalog' }, 0));
  assert.equal(status('Flaky').state, 'firing', 'no false "resolved" from a broken rule');
  assert.equal(status('CircuitBreakerOpen').state, 'ok');
  assert.equal(errors.length, 1);
  assert.equal(messages.length, 3);
});

test('start() samples and evaluates on a timer until stop()', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const history = createMetricsHistory({ registry: metrics.registry, retentionMs: 60_000 });
  const messages: ChatOpsMessage[] = [];
  metrics.circuitState.set({ dependency: 'catalog' }, 1);
  const alarms = createAlarmEvaluator({ history, rules: ALARM_RULES, notify: (m) => messages.push(m) });
  await new Promise<void>((resolve) => {
    alarms.start(5);
    const poll = setInterval(() => {
      if (messages.length > 0) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  alarms.stop();
  const samples = history.stats().samples;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(history.stats().samples, samples);
  assert.match(messages[0].text, /CircuitBreakerOpen firing/);
});

test('start() takes the baseline sample at once: messages counted before the first tick are in the window', async () => {
  // Regression: the first sample used to wait one interval, so messages answered before it were
  // already in the history's first sample and no window ever saw them increase.
  const metrics = createMetrics({ defaultMetrics: false });
  let t = T0;
  const history = createMetricsHistory({ registry: metrics.registry, retentionMs: 3_600_000, now: () => (t += 1000) });
  const alarms = createAlarmEvaluator({ history, rules: ALARM_RULES, now: () => t });
  alarms.start(3_600_000);
  await new Promise((r) => setImmediate(r));
  assert.equal(history.stats().samples, 1, 'the baseline sample is taken by start(), not one interval later');
  metrics.messages.inc({ intent: 'faq', outcome: 'answered' }, 2);
  await history.sample();
  alarms.stop();
  assert.deepEqual([...history.increase('mangaassist_messages_total', { windowMs: 60_000, by: ['outcome'] })], [['answered', 2]]);
});
