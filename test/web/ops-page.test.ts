// The operations page at /ops, driven in a real Chromium against a Fastify server that serves
// the page exactly as the service does (registerOpsPage + the static src/web folder) and fixture
// handlers implementing the /v1/ops/* contract: sign-in, charts, the tables an operator acts on,
// a handoff reply, live updates, and untrusted customer text staying text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Browser, BrowserContext } from 'playwright-core';
import { registerOpsPage } from '../../src/http/ops-page.ts';
import type { OpsSummary } from '../../src/observability/summary-types.ts';
import type { Ticket } from '../../src/escalation/types.ts';
import { launchChromium } from '../helpers/browser.ts';

const WEB_DIR = fileURLToPath(new URL('../../src/web/', import.meta.url));
// Ceilings on a shared, slow machine, not expectations: polls come every 2 s.
const SLOW = 15_000;
const GOOD_TOKEN = 'ops-credential-for-the-test-0123';
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">人間と話したい';

/** A summary as the service would compute it; `variant` 2 is the same service a poll later, recovered. */
function makeSummary(variant: 1 | 2): OpsSummary {
  const stepMs = 2000;
  const at = Date.now();
  const n = 30;
  const times = Array.from({ length: n }, (_, i) => at - (n - 1 - i) * stepMs);
  const wave = (base: number, amp: number, gapAt?: number) =>
    times.map((_, i) => (i === gapAt ? null : Math.round((base + amp * Math.sin(i / 3)) * 100) / 100));
  const slow = variant === 1 ? 'generateFirstToken' : 'catalog';
  return {
    at,
    stepMs,
    windowMs: 60_000,
    series: {
      times,
      messagesPerSec: wave(variant === 1 ? 12 : 20, 4, 7),
      errorRatio: wave(0.02, 0.01),
      firstTokenMs: { p50: wave(420, 60), p95: wave(1400, 200), p99: wave(2900, 400) },
      replyMs: { p50: wave(1800, 100), p95: wave(3600, 300), p99: wave(5200, 500) },
      segmentP95Ms: { generateFirstToken: wave(1300, 200), catalog: wave(variant === 1 ? 400 : 2400, 50), retrieval: wave(90, 10) },
      tokensPerSec: { input: wave(5200, 800), output: wave(900, 150) },
      escalationRatio: wave(0.01, 0.005, 3),
      openChats: wave(340, 30),
    },
    now: {
      messagesPerSec: 12.4,
      errorRatio: 0.021,
      // No escalation could be computed in the window: the page must show a dash, not 0 %.
      escalationRatio: null,
      firstTokenMs: { p50: 431, p95: 1460, p99: 3120 },
      intents: variant === 1
        ? { product_search: 410, recommendation: 220, order_status: 130, shipping: 60, escalation: 9 }
        : { order_status: 500, product_search: 100 },
      outcomes: { answered: 780, degraded: 31, failed: 12, refused: 6 },
      errorsByCode: { unavailable: 9, rate_limited: 6 },
      segments: [
        { segment: slow, count: 812, p50Ms: 640, p95Ms: 1840, p99Ms: 2950 },
        { segment: variant === 1 ? 'catalog' : 'generateFirstToken', count: 801, p50Ms: 120, p95Ms: 420, p99Ms: 880 },
        { segment: 'retrieval', count: 799, p50Ms: 30, p95Ms: 95, p99Ms: null },
      ],
      tokens: [{ model: 'large', input: 250_000, output: 41_000 }, { model: 'small', input: 60_000, output: 9_000 }],
      breakers: [
        { dependency: 'catalog', state: variant === 1 ? 'open' : 'closed' },
        { dependency: 'llm-large', state: 'closed' },
        { dependency: 'reviews', state: 'half_open' },
      ],
      caches: [{ cache: 'catalog', lookups: 5120, hitRatio: 0.93 }, { cache: 'answers', lookups: 0, hitRatio: null }],
      pools: [{ pool: 'llm-large', size: 10, inUse: 10, queued: 4 }, { pool: 'llm-small', size: 6, inUse: 2, queued: 0 }],
      openChats: 352,
      openChatsCapacity: 10_000,
      guardrail: { checks: 820, blocked: 4, revised: 7 },
    },
    alarms: [
      { name: 'ErrorRateHigh', severity: 'SEV-2', action: 'Check the failing dependency.', summary: 'error ratio > 5 % for 5 min', state: 'ok', value: 0.021, threshold: 0.05, since: at - 3_600_000 },
      { name: 'FirstTokenP99High', severity: 'SEV-3', action: 'Look at the slowest segment.', summary: 'p99 first token > 3 s for 5 min', state: variant === 1 ? 'firing' : 'ok', value: variant === 1 ? 3120 : 2100, threshold: 3000, since: at - 240_000 },
      { name: 'BreakerOpen', severity: 'SEV-2', action: 'See which dependency fails.', summary: 'a circuit open for 5 min', state: variant === 1 ? 'pending' : 'ok', value: variant === 1 ? 1 : 0, threshold: 0, since: at - 60_000, subjects: variant === 1 ? ['catalog'] : [] },
    ],
  };
}

function makeTicket(): Ticket {
  const t0 = Date.now() - 5 * 60_000;
  return {
    id: 't-1001',
    sessionId: 's-abc',
    customer: { kind: 'guest' },
    language: 'ja',
    status: 'open',
    createdAt: t0,
    updatedAt: t0,
    messages: [{ id: 'm-1', from: 'customer', text: HOSTILE, at: t0 }],
  };
}

/** What the fixture API saw, and what it answers next. */
const fixture = {
  token: GOOD_TOKEN,
  summary: 1 as 1 | 2,
  windows: [] as string[],
  ticketQueries: [] as Record<string, string>[],
  replies: [] as { id: string; body: unknown }[],
  unauthorized: 0,
  ticket: makeTicket(),
};

/** The /v1/ops/* contract, as far as the page uses it. */
function registerFixtureApi(app: FastifyInstance): void {
  const refuse = (reply: FastifyReply, status: number, code: string, message: string) => reply.status(status).send({ code, message });
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.url.startsWith('/v1/ops/')) return;
    if (req.headers.authorization !== `Bearer ${fixture.token}`) {
      fixture.unauthorized++;
      return refuse(reply, 401, 'unauthorized', 'An operator credential is required.');
    }
  });
  app.get('/v1/ops/summary', async (req) => {
    fixture.windows.push(String((req.query as { windowMs?: string }).windowMs));
    return makeSummary(fixture.summary);
  });
  app.get('/v1/ops/tickets', async (req) => {
    fixture.ticketQueries.push({ ...(req.query as Record<string, string>) });
    return { tickets: fixture.ticket.status === 'closed' ? [] : [fixture.ticket] };
  });
  app.get('/v1/ops/tickets/:id', async (req, reply) => {
    if ((req.params as { id: string }).id !== fixture.ticket.id) return refuse(reply, 404, 'not_found', 'No such ticket.');
    const at = fixture.ticket.createdAt;
    return {
      ticket: fixture.ticket,
      conversation: [
        { role: 'user', text: '注文した本がまだ届きません', at: at - 60_000 },
        { role: 'assistant', text: 'ご注文番号を教えていただけますか？', at: at - 55_000 },
        { role: 'user', text: HOSTILE, at },
      ],
      connected: 1,
    };
  });
  app.post('/v1/ops/tickets/:id/reply', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    fixture.replies.push({ id, body: req.body });
    const body = req.body as { text?: unknown; operator?: unknown };
    if (typeof body?.text !== 'string' || typeof body.operator !== 'string' || !body.text || !body.operator) return refuse(reply, 400, 'bad_request', 'Body must be {"text", "operator"}.');
    const at = Date.now();
    fixture.ticket = {
      ...fixture.ticket,
      status: 'answered',
      updatedAt: at,
      messages: [...fixture.ticket.messages, { id: `m-${fixture.ticket.messages.length + 1}`, from: 'operator', text: body.text, operator: body.operator, at, delivered: true }],
    };
    return { ticket: fixture.ticket, delivered: true };
  });
  app.post('/v1/ops/tickets/:id/close', async () => {
    fixture.ticket = { ...fixture.ticket, status: 'closed', updatedAt: Date.now() };
    return { ticket: fixture.ticket };
  });
}

let app: FastifyInstance;
let url: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  app = Fastify();
  registerOpsPage(app);
  registerFixtureApi(app);
  // As in server.ts: ops.js and ops.css come from the static handler of src/web.
  await app.register(fastifyStatic, { root: WEB_DIR, prefix: '/', index: ['index.html'], maxAge: 0 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await app?.close();
});

describe('operations page', () => {
  test('serves the page without a credential, its script and style from src/web, and uPlot from node_modules', async () => {
    for (const path of ['/ops', '/ops/']) {
      const res = await fetch(url + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      const html = await res.text();
      assert.match(html, /src="\/ops\/ops\.js"/);
      assert.match(html, /id="signin-form"/);
    }
    const assets: [string, RegExp, RegExp][] = [
      ['/ops/ops.js', /javascript/, /\/v1\/ops\/summary/],
      ['/ops/ops.css', /text\/css/, /\.breaker/],
      ['/ops/vendor/uPlot.iife.min.js', /javascript/, /uPlot/],
      ['/ops/vendor/uPlot.min.css', /text\/css/, /\.uplot/],
    ];
    for (const [path, type, body] of assets) {
      const res = await fetch(url + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', type, path);
      assert.match(await res.text(), body, path);
    }
    // The data is behind the credential (the fixture enforces what the real API must).
    assert.equal((await fetch(url + '/v1/ops/summary')).status, 401);
  });

  test('signs in, draws the charts and tables, answers a ticket and follows new data', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(SLOW);
    const errors: string[] = [];
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url + '/ops');

    // A wrong credential: the form stays, with a message, and no data is shown.
    await page.locator('#signin-form').waitFor();
    await page.fill('#token', 'not-the-credential');
    await page.click('#signin-submit');
    await page.waitForFunction(() => (document.getElementById('signin-error')?.textContent ?? '') !== '');
    assert.match(await page.textContent('#signin-error') ?? '', /not accepted/);
    assert.equal(await page.locator('#dashboard').isVisible(), false);
    assert.ok(fixture.unauthorized >= 1);

    await page.fill('#token', GOOD_TOKEN);
    await page.click('#signin-submit');
    await page.locator('#dashboard').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.chart-plot canvas').length === 7);
    const canvases = await page.$$eval('.chart-plot canvas', (nodes) => nodes.map((c) => {
      const r = c.getBoundingClientRect();
      return { width: r.width, height: r.height };
    }));
    assert.equal(canvases.length, 7);
    for (const c of canvases) assert.ok(c.width > 100 && c.height > 100, `chart canvas sized ${JSON.stringify(c)}`);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('mangaassist.ops.token')), GOOD_TOKEN);
    // Away from the cursor the legend reads the newest point.
    const volumeLegend = page.locator('[data-chart="volume"] .u-legend .u-series').nth(1).locator('.u-value');
    assert.equal(await volumeLegend.textContent(), perSecond(makeSummary(1).series.messagesPerSec.at(-1)));

    // The figures an operator acts on.
    assert.equal(await page.getByTestId('slowest-segment').textContent(), 'generateFirstToken');
    assert.equal(await page.locator('#segments tr').count(), 3);
    assert.equal(await page.locator('#segments tr').nth(2).locator('td').nth(3).textContent(), '–', 'a null p99 is a dash');
    assert.equal(await page.getByTestId('breaker-catalog').getAttribute('data-state'), 'open');
    assert.equal(await page.getByTestId('breaker-reviews').getAttribute('data-state'), 'half_open');
    assert.equal(await page.getByTestId('breaker-llm-large').getAttribute('data-state'), 'closed');
    const firing = page.getByTestId('alarm-FirstTokenP99High');
    assert.equal(await firing.getAttribute('data-state'), 'firing');
    assert.match(await firing.getAttribute('class') ?? '', /alarm-firing/);
    assert.match(await firing.textContent() ?? '', /FIRING/);
    const background = (name: string) => page.getByTestId(`alarm-${name}`).evaluate((tr) => getComputedStyle(tr).backgroundColor);
    assert.notEqual(await background('FirstTokenP99High'), await background('ErrorRateHigh'), 'the firing row stands out');
    assert.equal(await page.getByTestId('alarm-ErrorRateHigh').getAttribute('data-state'), 'ok');
    assert.equal(await page.locator('#caches tr').nth(1).locator('td').nth(1).textContent(), '–', 'a null hit ratio is a dash, not 0 %');
    const escalationTile = page.locator('.kpi', { hasText: 'Escalations' }).locator('.kpi-value');
    assert.equal(await escalationTile.textContent(), '–');
    assert.deepEqual(await page.locator('#intents .bar-label').allTextContents(), ['product_search', 'recommendation', 'order_status', 'shipping', 'escalation']);
    assert.match(await page.textContent('#pools') ?? '', /10 \/ 10/);
    assert.match(await page.textContent('#capacity') ?? '', /352/);
    assert.match(await page.title(), /1 firing/);

    // The window picker changes what is asked for.
    assert.ok(fixture.windows.includes('60000'));
    await page.selectOption('#window', '300000');
    await waitUntil(() => fixture.windows.includes('300000'), 'a summary asked with windowMs=300000');
    assert.deepEqual(fixture.ticketQueries[0], { status: 'open,answered', limit: '50' });

    // The ticket list shows the customer's text as text, never as markup.
    const item = page.getByTestId('ticket-t-1001');
    await item.waitFor();
    assert.equal(await item.locator('.ticket-first').textContent(), HOSTILE);
    assert.equal(await page.locator('#ticket-list script, #ticket-list img').count(), 0);

    await item.click();
    await page.waitForFunction(() => document.querySelectorAll('#ticket-thread li').length === 1);
    assert.equal(await page.locator('#ticket-thread .line-text').first().textContent(), HOSTILE);
    assert.equal(await page.locator('#ticket-conversation li').count(), 3);
    assert.equal(await page.getAttribute('#ticket-presence', 'data-connected'), 'true');
    assert.equal(await page.locator('#ticket-detail script, #ticket-detail img').count(), 0);

    await page.fill('#operator-name', 'Aiko');
    const replyText = 'お待たせしました。担当の藍子です。<b>ご注文番号</b>を確認します。';
    await page.fill('#reply-text', replyText);
    await page.click('#reply-send');
    await page.waitForSelector('#reply-status[data-delivered="true"]');
    assert.match(await page.textContent('#reply-status') ?? '', /delivered live/);
    assert.deepEqual(fixture.replies, [{ id: 't-1001', body: { text: replyText, operator: 'Aiko' } }]);
    await page.waitForFunction(() => document.querySelectorAll('#ticket-thread li').length === 2);
    assert.equal(await page.locator('#ticket-thread .line-operator .line-text').textContent(), replyText);
    assert.match(await page.textContent('#ticket-thread .line-operator') ?? '', /Operator Aiko.*delivered/s);
    assert.equal(await page.inputValue('#reply-text'), '', 'the box is emptied after sending');
    assert.equal(await page.evaluate(() => localStorage.getItem('mangaassist.ops.operator')), 'Aiko');
    await page.waitForSelector('[data-testid="ticket-t-1001"] .badge-answered');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/ops-page.png', fullPage: true });

    // The next poll brings a recovered service: the page follows without a reload.
    fixture.summary = 2;
    await page.waitForFunction(() => document.querySelector('[data-testid="slowest-segment"]')?.textContent === 'catalog');
    await page.waitForSelector('[data-testid="breaker-catalog"][data-state="closed"]');
    await page.waitForSelector('[data-testid="alarm-FirstTokenP99High"][data-state="ok"]');
    assert.deepEqual(await page.locator('#intents .bar-label').allTextContents(), ['order_status', 'product_search']);
    await page.waitForFunction((text) => document.querySelectorAll('[data-chart="volume"] .u-legend .u-series .u-value')[1]?.textContent === text,
      perSecond(makeSummary(2).series.messagesPerSec.at(-1)));
    assert.doesNotMatch(await page.title(), /firing/);

    // Narrow: nothing is wider than the screen, the charts shrink with it.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.waitForFunction(() => [...document.querySelectorAll('.chart-plot canvas')].every((c) => c.getBoundingClientRect().width <= 390));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 390px`);
    await page.screenshot({ path: 'test-results/ops-page-narrow.png', fullPage: true });

    // A rotated credential sends the operator back to the sign-in form with a reason.
    fixture.token = 'a-rotated-credential-456789';
    await page.locator('#signin-form').waitFor();
    assert.match(await page.textContent('#signin-error') ?? '', /no longer accepted/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('mangaassist.ops.token')), null);

    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    // Chromium logs every refused request as a console error; those 401s are the point of the steps above.
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  });
});

/** How the page writes a rate. */
function perSecond(value: number | null | undefined): string {
  return `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value as number)} /s`;
}

/** Polls a condition on the test's side (fixture state), failing after SLOW. */
async function waitUntil(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + SLOW;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
