// The customer chat page, driven in a real Chromium against the real service: the page must
// connect, stream answers token by token, show product cards, answer in Japanese, and survive
// a refusal from the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.ts';
import { launchChromium } from '../helpers/browser.ts';

// The machine is shared and slow; these are ceilings, not expectations.
const SLOW = 60_000;
const HIRAGANA = /[\u3041-\u309f]/;

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

/** A fresh page (own localStorage, so a new session) that records every console error. */
async function openChat(locale: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale, viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(SLOW);
  const errors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url + '/');
  await page.waitForSelector('#connection[data-state="open"]');
  return { page, errors };
}

/** Number of message rows (user and assistant) currently in the conversation. */
function rowCount(page: Page): Promise<number> {
  return page.locator('#messages > li').count();
}

/** Waits until the reply to the latest message is complete; returns its row's text and classes. */
async function waitForReply(page: Page, rowsBefore: number): Promise<{ text: string; className: string }> {
  await page.waitForFunction((before) => {
    const rows = document.querySelectorAll('#messages > li');
    const last = rows[rows.length - 1];
    return rows.length >= before + 2 && last.classList.contains('msg-assistant') && !last.hasAttribute('aria-busy');
  }, rowsBefore);
  return page.locator('#messages > li').last().evaluate((li) => ({ text: li.querySelector('.bubble-text')?.textContent ?? '', className: li.className }));
}

/** Records the length of the streaming bubble's text at every DOM change, to prove streaming. */
async function recordStreamLengths(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { streamLengths: number[] };
    w.streamLengths = [];
    new MutationObserver(() => {
      const busy = document.querySelector('#messages > li[aria-busy="true"] .bubble-text');
      if (busy) w.streamLengths.push(busy.textContent?.length ?? 0);
    }).observe(document.getElementById('messages')!, { subtree: true, childList: true, characterData: true });
  });
}

async function send(page: Page, text: string): Promise<number> {
  const before = await rowCount(page);
  await page.fill('#composer-input', text);
  await page.keyboard.press('Enter');
  return before;
}

describe('customer chat page', () => {
  test('streams an English answer with priced product cards, then answers a Japanese question in Japanese', async () => {
    const { page, errors } = await openChat('en-US');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.locator('#send').isDisabled(), true, 'send is disabled while the box is empty');

    await recordStreamLengths(page);
    const before = await send(page, 'Do you have One Piece?');
    const reply = await waitForReply(page, before);
    assert.ok(!reply.className.includes('msg-error'), `expected an answer, got an error: ${reply.text}`);
    assert.match(reply.text, /\S/);

    const lengths = await page.evaluate(() => (window as unknown as { streamLengths: number[] }).streamLengths);
    const growth = lengths.filter((n, i) => n > 0 && n > (lengths[i - 1] ?? 0));
    assert.ok(growth.length >= 2, `streamed text should grow over at least two observations, saw lengths ${JSON.stringify(lengths)}`);
    assert.ok(growth[0] < reply.text.length, 'the first streamed piece is only part of the answer');

    const price = page.locator('#messages .card .card-price').first();
    await price.waitFor();
    assert.match(await price.textContent() ?? '', /^¥\d{1,3}(,\d{3})*$/);
    assert.equal(await page.locator('#messages .caret').count(), 0, 'the caret goes away when the answer ends');

    const jaBefore = await send(page, 'おすすめの恋愛漫画は？');
    const jaReply = await waitForReply(page, jaBefore);
    assert.ok(!jaReply.className.includes('msg-error'), `expected an answer, got an error: ${jaReply.text}`);
    assert.match(jaReply.text, HIRAGANA, `expected a Japanese answer, got: ${jaReply.text}`);

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/chat-page.png', fullPage: true });
    assert.deepEqual(errors, []);
  });

  test("cards speak the reply's language: the English title in English, the Japanese one in Japanese, the edition, a future volume as a preorder", async () => {
    const { page, errors } = await openChat('en-US');
    let before = await send(page, 'How much is Frieren volume 2?');
    await waitForReply(page, before);
    const cards = page.locator('#messages > li').last().locator('.card');
    await cards.first().waitFor();
    const titles = await cards.locator('.card-title').allTextContents();
    assert.ok(titles.length >= 2 && titles.every((t) => t === "Frieren: Beyond Journey's End"), `English title on English cards: ${JSON.stringify(titles)}`);
    assert.deepEqual((await cards.locator('.card-volume').allTextContents()).sort(), ['Vol. 2 · Digital', 'Vol. 2 · Paperback'], 'print and digital say which they are');
    assert.deepEqual(await cards.locator('.card-title-ja').allTextContents(), ['葬送のフリーレン', '葬送のフリーレン']);

    before = await send(page, 'ワンピースの113巻はいつ発売？');
    await waitForReply(page, before);
    const jaCards = page.locator('#messages > li').last().locator('.card');
    await jaCards.first().waitFor();
    assert.equal(await jaCards.first().locator('.card-title').textContent(), 'ワンピース');
    assert.equal(await jaCards.first().locator('.card-title').getAttribute('lang'), 'ja');
    assert.equal(await jaCards.first().locator('.card-volume').textContent(), '113巻 · 単行本');
    assert.equal(await jaCards.first().locator('.badge').textContent(), '予約受付中・2027年4月17日発売', 'an unreleased volume is a preorder, not out of stock');
    assert.deepEqual(errors, []);
  });

  test('shows a polite error for a 5,000-character message and stays usable', async () => {
    const { page, errors } = await openChat('ja-JP');
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');

    // Enter that confirms an IME conversion must not send the half-typed message.
    await page.fill('#composer-input', 'れんあい');
    const rows = await rowCount(page);
    await page.locator('#composer-input').evaluate((box) => {
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
    });
    assert.equal(await rowCount(page), rows, 'nothing is sent while composing');
    assert.equal(await page.inputValue('#composer-input'), 'れんあい');

    const before = await send(page, 'あ'.repeat(5000));
    const refusal = await waitForReply(page, before);
    assert.match(refusal.className, /msg-error/);
    assert.match(refusal.text, /長すぎる/);
    await page.locator('#messages .msg-error [role="alert"]').waitFor();

    await page.waitForSelector('#connection[data-state="open"]');
    const next = await send(page, '送料はいくら？');
    const answer = await waitForReply(page, next);
    assert.ok(!answer.className.includes('msg-error'), `expected an answer, got an error: ${answer.text}`);
    assert.match(answer.text, HIRAGANA);
    assert.deepEqual(errors, []);
  });

  test('a frame too big to read is refused without replyTo and still resolves the pending bubble', async () => {
    const { page, errors } = await openChat('en-US');
    // 6,000 kana are 18 KB of UTF-8, above the 16 KB frame limit: the server cannot read the id.
    const before = await send(page, 'あ'.repeat(6000));
    const refusal = await waitForReply(page, before);
    assert.match(refusal.className, /msg-error/);
    assert.match(refusal.text, /too long/);
    assert.equal(await page.locator('#messages li[aria-busy]').count(), 0, 'no bubble keeps waiting for an answer');
    assert.deepEqual(errors, []);
  });
});
