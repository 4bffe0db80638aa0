// The top of the report: what was tested, how, and the verdict with every SLO.
import type { LoadTestResult, SloVerdict } from '../../result.ts';
import { escapeHtml } from '../escape.ts';
import { formatDuration, formatMs, formatNumber, isNum } from '../format.ts';

/** An SLO figure in the unit its objective is written in (the result carries no unit field). */
export function formatSloValue(slo: SloVerdict, value: unknown): string {
  if (!isNum(value)) return '—';
  if (/\bms\b/i.test(slo.objective)) return formatMs(value);
  if (/%/.test(slo.objective)) return `${formatNumber(value, 2)} %`;
  return formatNumber(value, 2);
}

/** Start time as UTC text; the raw string when it is not a parseable date. */
function formatStart(startedAt: string): string {
  const date = new Date(startedAt);
  if (Number.isNaN(date.getTime())) return String(startedAt);
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** One SLO row, with a gauge where the mark is the threshold and the fill is the actual value. */
function sloRow(slo: SloVerdict): string {
  // The gauge spans 0..2×threshold so the threshold sits in the middle; beyond that it is clipped full.
  const ratio = isNum(slo.actual) && isNum(slo.threshold) && slo.threshold > 0 ? Math.min(1, slo.actual / (2 * slo.threshold)) : 0;
  const gauge = `<div class="gauge" title="threshold at the mark"><div class="fill ${slo.held ? 'ok' : 'bad'}" style="width:${(ratio * 100).toFixed(1)}%"></div><div class="mark"></div></div>`;
  return `<tr class="${slo.held ? '' : 'missed-row'}" data-slo="${escapeHtml(slo.name)}">`
    + `<td>${escapeHtml(slo.objective)}<div class="muted"><code>${escapeHtml(slo.name)}</code></div></td>`
    + `<td class="num">${escapeHtml(formatSloValue(slo, slo.actual))}</td>`
    + `<td class="num">${escapeHtml(formatSloValue(slo, slo.threshold))}</td>`
    + `<td>${gauge}</td>`
    + `<td class="${slo.held ? 'held' : 'missed'}">${slo.held ? '✓ held' : '✗ missed'}</td></tr>`;
}

/** Title, run facts, PASS/FAIL banner and the SLO table. */
export function renderHeader(result: LoadTestResult): string {
  const slos = result.slo ?? [];
  const held = slos.filter((s) => s.held).length;
  const passed = result.passed === true;
  const summary = slos.length === 0
    ? 'No SLOs were set for this run.'
    : `${held} of ${slos.length} SLO${slos.length === 1 ? '' : 's'} held${passed ? '' : ` — ${slos.length - held} missed`}`;
  const targets = (result.targets ?? []).map((t) => `<li><code>${escapeHtml(t)}</code></li>`).join('');
  const sloTable = slos.length === 0 ? '' : `<table class="slo"><thead><tr><th>Objective</th><th class="num">Actual</th><th class="num">Threshold</th><th>Actual vs threshold</th><th>Held</th></tr></thead><tbody>${slos.map(sloRow).join('')}</tbody></table>`;
  return `<header class="card">
<div class="title-row"><h1>MangaAssist load test</h1><span class="profile">profile <strong>${escapeHtml(result.profile)}</strong></span></div>
<dl class="meta">
<div><dt>Mode</dt><dd>${escapeHtml(result.mode)}</dd></div>
<div><dt>Transport</dt><dd>${escapeHtml(result.transport)}</dd></div>
<div><dt>Profile</dt><dd>${escapeHtml(result.profile)}</dd></div>
<div><dt>Started</dt><dd>${escapeHtml(formatStart(result.startedAt))}</dd></div>
<div><dt>Duration</dt><dd>${escapeHtml(formatDuration(result.durationS))}</dd></div>
<div class="wide"><dt>Target${(result.targets ?? []).length === 1 ? '' : 's'}</dt><dd><ul>${targets || '<li class="empty">none recorded</li>'}</ul></dd></div>
</dl>
<div class="verdict ${passed ? 'pass' : 'fail'}" id="verdict" data-verdict="${passed ? 'PASS' : 'FAIL'}"><div class="word">${passed ? 'PASS' : 'FAIL'}</div><div class="summary">${escapeHtml(summary)}</div></div>
${sloTable}
</header>`;
}
