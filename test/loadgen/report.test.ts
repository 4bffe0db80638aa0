// The HTML load-test report, checked as text: verdict, SLO and intent rows, inline assets,
// no external resources, escaping of hostile strings, and the idle-mode layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { LoadTestResult } from '../../src/loadgen/result.ts';
import { renderReport } from '../../src/loadgen/report/html.ts';
import { escapeHtml, jsonForScript } from '../../src/loadgen/report/escape.ts';

const fixture = (name: string): LoadTestResult =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as LoadTestResult;

test('the sample run renders a FAIL verdict, every SLO row and every intent row', () => {
  const result = fixture('result-sample.json');
  const html = renderReport(result);
  assert.equal(result.passed, false);
  assert.match(html, /<div class="verdict fail" id="verdict" data-verdict="FAIL"><div class="word">FAIL<\/div>/);
  assert.match(html, /3 of 4 SLOs held — 1 missed/);
  for (const slo of result.slo) {
    const row = html.match(new RegExp(`<tr[^>]*data-slo="${slo.name}">.*?</tr>`));
    assert.ok(row, `SLO row ${slo.name}`);
    assert.ok(row[0].includes(escapeHtml(slo.objective)), `objective of ${slo.name}`);
    assert.ok(row[0].includes(slo.held ? '✓ held' : '✗ missed'), `held of ${slo.name}`);
  }
  // The failed SLO shows its actual value in the objective's unit.
  assert.match(html, /data-slo="ttft-p99">.*?<td class="num">2,371 ms<\/td>/);
  for (const intent of Object.keys(result.byIntent)) assert.ok(html.includes(`data-intent="${intent}"`), `intent row ${intent}`);
  assert.equal((html.match(/<tr data-intent=/g) ?? []).length, Object.keys(result.byIntent).length);
  for (const code of Object.keys(result.overall.errors)) assert.ok(html.includes(`data-code="${code}"`), `error code ${code}`);
  for (const id of ['plot-latency', 'plot-throughput', 'plot-histogram', 'plot-segments', 'coordinated-omission', 'kpis']) {
    assert.ok(html.includes(`id="${id}"`), id);
  }
  assert.ok(html.includes(escapeHtml(result.targets[0])), 'targets listed');
  assert.ok(html.includes('2026-11-20 19:30:04 UTC'), 'start time');
  assert.ok(html.includes('2 m 0 s'), 'duration');
});

test('the report is self-contained: uPlot inlined, no external src or href', () => {
  const html = renderReport(fixture('result-sample.json'));
  const uplot = readFileSync(new URL('../../node_modules/uplot/dist/uPlot.iife.min.js', import.meta.url), 'utf8');
  const css = readFileSync(new URL('../../node_modules/uplot/dist/uPlot.min.css', import.meta.url), 'utf8');
  assert.ok(html.includes(uplot), 'uPlot JS inlined');
  assert.ok(html.includes(css), 'uPlot CSS inlined');
  const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]*)/gi)].map((m) => m[1]);
  assert.deepEqual(refs.filter((r) => /^(?:[a-z]+:)?\/\//i.test(r) || /^data:|^javascript:/i.test(r)), []);
  assert.doesNotMatch(html, /<link\b|<script[^>]+src=|<iframe|@import|url\(\s*['"]?https?:/i);
});

test('hostile strings from the result are escaped everywhere', () => {
  const result = fixture('result-sample.json');
  const evil = '<script>alert(1)</script>';
  result.profile = evil;
  result.targets = ['ws://x/"><img src=x onerror=alert(2)>'];
  result.slo[0].objective = `p50 ttft < 500 ms ${evil}`;
  result.slo[0].name = '"><b>slo';
  result.overall.errors['<i>code</i>'] = 3;
  result.byIntent[evil] = structuredClone(result.byIntent.faq);
  result.options['<u>opt</u>'] = evil;
  result.timeline[0].phase = '</script><script>alert(3)</script>';
  const html = renderReport(result);
  assert.ok(!html.includes(evil), 'no raw script tag');
  assert.ok(!html.includes('<img src=x'), 'no injected img');
  assert.ok(!/<(b|i|u)>/.test(html), 'no injected inline tags');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'profile shown escaped');
  assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'), 'target shown escaped');
  // Exactly the two inline scripts of the page: uPlot and the plot script.
  assert.equal((html.match(/<script\b/gi) ?? []).length, 2);
  assert.equal((html.match(/<\/script>/gi) ?? []).length, 2);
  assert.ok(html.includes('\\u003c/script\\u003e\\u003cscript\\u003ealert(3)'), 'phase name escaped inside the JSON');
});

test('jsonForScript keeps JSON valid while neutralising markup and line separators', () => {
  const value = { s: '</script><!-- & \u2028 \u2029' };
  const out = jsonForScript(value);
  assert.doesNotMatch(out, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(out), value);
});

test('an idle run gets the idle section and no latency sections', () => {
  const result = fixture('result-idle.json');
  const html = renderReport(result);
  assert.match(html, /data-verdict="PASS"/);
  assert.ok(html.includes('id="idle"'));
  assert.ok(html.includes('Connections opened'));
  assert.match(html, /4,987 \(99\.7 %\)/);
  assert.ok(html.includes('id="plot-throughput"'), 'connections over time still plotted');
  for (const id of ['plot-latency', 'plot-histogram', 'plot-segments', 'intents', 'coordinated-omission', 'latency-over-time']) {
    assert.ok(!html.includes(`id="${id}"`), `${id} omitted`);
  }
  assert.ok(!html.includes('p99 ttft</div>'), 'no latency tiles');
  assert.ok(html.includes('data-code="unavailable"'), 'idle errors still listed');
});

test('a passing run with no SLOs says so', () => {
  const result = fixture('result-sample.json');
  result.slo = [];
  result.passed = true;
  const html = renderReport(result);
  assert.match(html, /data-verdict="PASS"/);
  assert.ok(html.includes('No SLOs were set for this run.'));
  assert.ok(!html.includes('<table class="slo">'));
});

test('a sparse closed-mode result (no timeline, histogram, segments or uncorrected figures, null numbers) still renders', () => {
  const result = fixture('result-sample.json');
  result.mode = 'closed';
  result.timeline = [];
  result.ttftHistogram = [];
  result.serverTimings = {};
  delete result.ttftUncorrected;
  result.slo[1].actual = null as unknown as number;
  result.overall.ttft.p99 = Number.NaN;
  const html = renderReport(result);
  for (const id of ['plot-latency', 'plot-throughput', 'plot-histogram', 'plot-segments', 'coordinated-omission']) {
    assert.ok(!html.includes(`id="${id}"`), `${id} omitted`);
  }
  assert.ok(html.includes('id="intents"'), 'intent table still shown');
  assert.match(html, /data-slo="ttft-p99">.*?<td class="num">—<\/td>/);
  assert.match(html, /p99 ttft<\/div><div class="value">—<\/div>/);
});
