// "Share this conversation" in a real Chromium against the real service: the chat page's Share
// button makes a link; a stranger (another browser context: no storage, no token) opens it and
// reads the conversation as text only, under the page's CSP, without prices; the owner's "Stop
// sharing" takes it down.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.ts';
import { launchChromium } from '../helpers/browser.ts';

// The machine is shared and slow; these are ceilings, not expectations.
const SLOW = 60_000;
const MARKUP = '<img src=x onerror="document.body.dataset.pwned=1"> hello';

let server: { url: string; close(): Promise<void> };
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

async function newPage(locale = 'en-US'): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale, viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(SLOW);
  const errors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

async function ask(page: Page, text: string): Promise<void> {
  const before = await page.locator('#messages > li').count();
  await page.fill('#composer-input', text);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => {
    const rows = document.querySelectorAll('#messages > li');
    const last = rows[rows.length - 1];
    return rows.length >= n + 2 && last.classList.contains('msg-assistant') && !last.hasAttribute('aria-busy');
  }, before);
}

describe('share this conversation', () => {
  test('the owner shares, a stranger reads it as plain text, the owner stops sharing', async () => {
    const owner = await newPage();
    await owner.page.goto(server.url + '/');
    await owner.page.waitForSelector('#connection[data-state="open"]');
    assert.equal(await owner.page.locator('#share').isHidden(), true, 'nothing to share before an answer');
    await ask(owner.page, MARKUP);
    await ask(owner.page, 'Do you have Frieren?');
    await owner.page.locator('#share').click();
    const url = await owner.page.locator('.share-url').inputValue();
    assert.match(url, new RegExp(`^${server.url}/s/[A-Za-z0-9_-]{22}$`));
    const stored = await owner.page.evaluate(() => ({ session: localStorage.getItem('mangaassist.sessionId'), resume: localStorage.getItem('mangaassist.resumeToken') }));
    assert.ok(stored.session && !url.includes(stored.session) && stored.resume && !url.includes(stored.resume));

    const stranger = await newPage('ja-JP');
    await stranger.page.goto(url);
    await stranger.page.waitForSelector('#messages > li.msg-assistant');
    const rows = await stranger.page.locator('#messages > li').evaluateAll((lis) => lis.map((li) => ({ cls: li.className, text: li.querySelector('.bubble-text')?.textContent ?? '' })));
    assert.deepEqual(rows.map((r) => r.cls), ['msg msg-user', 'msg msg-assistant', 'msg msg-user', 'msg msg-assistant'], JSON.stringify(rows));
    assert.equal(rows[0].text, MARKUP, 'the markup is shown as the text it is');
    assert.equal(await stranger.page.locator('#messages img').count(), 0);
    assert.equal(await stranger.page.evaluate(() => document.body.dataset.pwned), undefined);
    assert.equal(await stranger.page.locator('#messages .card').count() > 0, true, 'the product cards');
    assert.equal(await stranger.page.locator('#messages .card-price, #messages .badge').count(), 0, 'no price or stock of that day');
    assert.match(await stranger.page.locator('#shared-sub').textContent() ?? '', /共有されました/, 'labels in the reader\'s language');
    mkdirSync('test-results', { recursive: true });
    await stranger.page.screenshot({ path: 'test-results/shared-page.png', fullPage: true });
    assert.deepEqual(stranger.errors, [], 'no script errors, no CSP violations');

    await owner.page.locator('.share-panel button', { hasText: 'Stop sharing' }).click();
    await owner.page.waitForSelector('.share-note');
    const gone = await newPage();
    await gone.page.goto(url);
    await gone.page.waitForFunction(() => /does not exist|expired|removed/.test(document.getElementById('shared-sub')?.textContent ?? ''));
    assert.equal(await gone.page.locator('#messages > li').count(), 0);
    assert.deepEqual(owner.errors, []);
  });
});
