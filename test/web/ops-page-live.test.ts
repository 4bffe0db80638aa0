// The operations page against the real service, in headless Chromium: an operator signs in,
// sees the live figures the service exports (segments, breakers, the alarm table), finds the
// ticket a customer's request for a human opened, and answers it from the page — the answer
// arrives in the customer's open chat.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat } from '../helpers/ws-client.ts';
import { launchChromium } from '../helpers/browser.ts';

const OPS_TOKEN = 'ops-credential-live-page-0123456789';
const SLOW = 60_000;

let server: TestServer;
let browser: Browser;

before(async () => {
  server = await startTestServer({ OPS_TOKEN, ALARM_EVAL_INTERVAL_MS: '500' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('an operator sees live figures and answers a handoff ticket into the customer chat', async () => {
  const customer = await connectChat(server.wsUrl);
  await customer.ask('Do you ship to Okinawa?', 'q-1');
  const frames = await customer.ask('I want to talk to a human', 'q-2');
  const ticketId = (frames.find((f) => f.type === 'end')!.handoff as { ticketId: string }).ticketId;
  assert.ok(ticketId);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(SLOW);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/ops`);
  await page.fill('#token', OPS_TOKEN);
  await page.click('#signin-submit');

  // Figures from the real /v1/ops/summary: the segments the messages went through, every breaker, all seven alarms.
  await page.waitForSelector('[data-testid="slowest-segment"]');
  assert.ok(((await page.textContent('[data-testid="slowest-segment"]')) ?? '').trim().length > 0);
  assert.equal(await page.getAttribute('[data-testid="breaker-catalog"]', 'data-state'), 'closed');
  const alarms = await page.$$eval('[data-testid^="alarm-"]', (els) => els.map((e) => e.getAttribute('data-testid')));
  assert.equal(alarms.length, 7, alarms.join(', '));
  assert.ok(alarms.includes('alarm-CircuitBreakerOpen'));

  // The ticket, its thread, and a reply typed on the page.
  await page.click(`[data-testid="ticket-${ticketId}"]`);
  // The view opens at once and its thread follows the detail request: wait for the thread itself.
  await page.locator('#ticket-thread', { hasText: 'I want to talk to a human' }).waitFor();
  const from = customer.frames.length;
  await page.fill('#operator-name', 'Sato');
  await page.fill('#reply-text', 'Hello, Sato from the store here. How can I help?');
  await page.click('#reply-send');
  const delivered = await customer.next((f) => f.type === 'agent_message', from);
  assert.equal(delivered.text, 'Hello, Sato from the store here. How can I help?');
  assert.equal(delivered.operator, 'Sato');
  await page.waitForSelector('[data-testid="reply-status"][data-delivered="true"]');

  await customer.close();
  await context.close();
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
});
