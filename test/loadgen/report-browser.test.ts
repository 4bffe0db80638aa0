// The HTML load-test report opened from a file in headless Chromium: every plot must draw,
// the page must log no errors, and a screenshot is kept for a human to look at.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { LoadTestResult } from '../../src/loadgen/result.ts';
import { renderReport } from '../../src/loadgen/report/html.ts';
import { launchChromium } from '../helpers/browser.ts';

const dir = mkdtempSync(join(tmpdir(), 'loadtest-report-'));
let browser: Browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes the report of a fixture to a file, opens it at 1280 px wide, and records console errors and any network request. */
async function open(fixture: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const result = JSON.parse(readFileSync(new URL(`./fixtures/${fixture}`, import.meta.url), 'utf8')) as LoadTestResult;
  const file = join(dir, fixture.replace(/\.json$/, '.html'));
  writeFileSync(file, renderReport(result));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (req) => { if (!req.url().startsWith('file:')) requests.push(req.url()); });
  await page.goto(pathToFileURL(file).href);
  return { page, errors, requests };
}

/** Size of the canvas uPlot drew in a plot placeholder (0×0 when there is none). */
function canvasSize(page: Page, id: string): Promise<{ width: number; height: number }> {
  return page.evaluate((plotId) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`#${plotId} canvas`);
    return { width: canvas?.width ?? 0, height: canvas?.height ?? 0 };
  }, id);
}

test('the sample report draws all four plots in Chromium without errors', async () => {
  const { page, errors, requests } = await open('result-sample.json');
  await page.waitForFunction(() => document.body.dataset.plots === '4');
  for (const id of ['plot-latency', 'plot-throughput', 'plot-histogram', 'plot-segments']) {
    const size = await canvasSize(page, id);
    assert.ok(size.width > 200 && size.height > 100, `${id} canvas is ${size.width}×${size.height}`);
  }
  // The series really drew: the latency canvas has non-background pixels in its plotting area.
  const inked = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('#plot-latency canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 200 || data[i + 2] < 200)) n++;
    return n;
  });
  assert.ok(inked > 2000, `latency plot has ${inked} inked pixels`);
  assert.equal(await page.locator('#verdict').textContent().then((t) => t?.startsWith('FAIL')), true);
  // Readable at 1280 px: nothing overflows the page horizontally.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/loadtest-report.png', fullPage: true });
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, []);
  await page.close();
});

test('the idle report draws the connections plot and nothing else', async () => {
  const { page, errors } = await open('result-idle.json');
  await page.waitForFunction(() => document.body.dataset.plots === '1');
  const size = await canvasSize(page, 'plot-throughput');
  assert.ok(size.width > 200 && size.height > 100);
  assert.equal(await page.locator('canvas').count(), 1);
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/loadtest-report-idle.png', fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
