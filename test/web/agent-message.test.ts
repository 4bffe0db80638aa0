// The chat page receiving an operator's reply (agent_message), in a real headless Chromium
// against a tiny real server: the page's files served statically from src/web and a WebSocket
// endpoint that plays the service (session first, then staff messages, some of them repeated).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AgentMessageFrame } from '../../src/escalation/types.ts';
import { launchChromium } from '../helpers/browser.ts';

// The machine is shared and slow; this is a ceiling, not an expectation.
const SLOW = 60_000;
const WEB_DIR = fileURLToPath(new URL('../../src/web/', import.meta.url));
const SESSION = '3f2b8c1e-9a4d-4c7e-8f00-5d6e7a8b9c0d';

function agent(messageId: string, text: string, operator = 'Sato'): AgentMessageFrame {
  return { type: 'agent_message', ticketId: 't-1', messageId, text, operator, at: 1_800_000_000_000 };
}

/** What the fake service sends right after `session` on the n-th connection (1-based). */
let onConnect: (n: number) => AgentMessageFrame[] = () => [];
let connections = 0;
const queries: Record<string, string>[] = [];
let latest: WebSocket | undefined;

let app: FastifyInstance;
let url: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  app = Fastify();
  await app.register(websocket);
  app.get('/v1/chat/ws', { websocket: true }, (socket, req) => {
    const n = ++connections;
    queries.push(req.query as Record<string, string>);
    latest = socket;
    socket.send(JSON.stringify({ type: 'session', sessionId: SESSION, customer: 'guest' }));
    for (const frame of onConnect(n)) socket.send(JSON.stringify(frame));
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string };
      if (frame.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
    });
  });
  await app.register(fastifyStatic, { root: WEB_DIR, prefix: '/', index: ['index.html'], maxAge: 0 });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await app?.close();
});

async function openChat(locale: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(SLOW);
  const errors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url + '/');
  await page.waitForSelector('#connection[data-state="open"]');
  return { page, errors };
}

/** Every staff row on the page, in order: the visible label and the message text. */
function staffRows(page: Page): Promise<{ name: string; text: string; html: string; className: string }[]> {
  return page.locator('#messages > li.msg-staff').evaluateAll((rows) => rows.map((li) => ({
    name: li.querySelector('.staff-name')?.textContent ?? '',
    text: li.querySelector('.bubble-text')?.textContent ?? '',
    html: li.querySelector('.bubble-text')?.innerHTML ?? '',
    className: li.className,
  })));
}

async function waitForStaffRows(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('#messages > li.msg-staff').length >= n, count);
}

describe('chat page: messages from staff', () => {
  test('shows an operator reply sent right after `session` as staff text, escaped, once; later ones live; again after a reload only the new ones', async () => {
    const markup = 'Hello! <b>Not bold</b> <img src=x onerror="window.hacked=1">';
    connections = 0;
    // Frames are handled in order, so once the last one of a burst shows, any duplicate before
    // it was handled too: no waiting on the clock.
    onConnect = (n) => n === 1
      ? [agent('m1', markup), agent('m1', markup), agent('m2', 'Anything else?')] // m1 twice: live and on reconnect
      : [agent('m1', markup), agent('m2', 'Anything else?'), agent('m4', 'Your refund was issued.', 'Ito')];
    const { page, errors } = await openChat('en-US');

    await waitForStaffRows(page, 2);
    let rows = await staffRows(page);
    assert.equal(rows.length, 2, 'the duplicate was ignored');
    assert.equal(rows[1].text, 'Anything else?');
    assert.equal(rows[0].name, 'Sato (staff)');
    assert.equal(rows[0].text, markup, 'the markup is shown literally');
    assert.ok(rows[0].html.includes('&lt;b&gt;'), `escaped in the DOM: ${rows[0].html}`);
    assert.match(rows[0].className, /msg-staff/);
    assert.equal(await page.locator('#messages b, #messages img').count(), 0, 'no element was created from the text');
    assert.equal(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked), undefined);

    // At any moment, not as part of a reply.
    latest!.send(JSON.stringify(agent('m3', 'One more thing: see https://shop.example/help.')));
    await waitForStaffRows(page, 3);
    rows = await staffRows(page);
    assert.deepEqual(rows.map((r) => r.text), [markup, 'Anything else?', 'One more thing: see https://shop.example/help.']);
    assert.equal(await page.locator('#messages li.msg-staff a.link').getAttribute('href'), 'https://shop.example/help', 'URLs become links as in answers');

    // A reload restores the transcript; the server resends m1 and m2 (they raced the reload) and sends m4.
    await page.reload();
    await page.waitForSelector('#connection[data-state="open"]');
    await page.waitForFunction(() => [...document.querySelectorAll('#messages > li.msg-staff')].some((li) => li.textContent?.includes('refund')));
    rows = await staffRows(page);
    assert.deepEqual(rows.map((r) => [r.name, r.text]), [
      ['Sato (staff)', markup],
      ['Sato (staff)', 'Anything else?'],
      ['Sato (staff)', 'One more thing: see https://shop.example/help.'],
      ['Ito (staff)', 'Your refund was issued.'],
    ]);
    assert.equal(queries.at(-1)?.session, SESSION, 'the page reconnected to its session');
    assert.deepEqual(errors, []);
  });

  test('labels staff in Japanese on a Japanese page', async () => {
    connections = 0;
    onConnect = () => [agent('ja-1', 'お待たせしました。', '佐藤')];
    const { page, errors } = await openChat('ja-JP');
    await waitForStaffRows(page, 1);
    const rows = await staffRows(page);
    assert.deepEqual(rows.map((r) => [r.name, r.text]), [['佐藤（スタッフ）', 'お待たせしました。']]);
    assert.deepEqual(errors, []);
  });
});
