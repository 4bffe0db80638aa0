// Per-intent breakdown: which kinds of question are slow or failing.
import type { LoadTestResult } from '../../result.ts';
import { escapeHtml } from '../escape.ts';
import { formatCount, formatMs, formatPercent, isNum, sumCounts } from '../format.ts';
import { barCell } from './bars.ts';

/** The per-intent table, busiest intent first, each figure with a bar relative to its column's maximum. */
export function renderIntents(result: LoadTestResult): string {
  const rows = Object.entries(result.byIntent ?? {}).sort((a, b) => (b[1].messages ?? 0) - (a[1].messages ?? 0));
  if (rows.length === 0) return '';
  const max = (pick: (s: (typeof rows)[number][1]) => unknown) => Math.max(0, ...rows.map(([, s]) => pick(s)).filter(isNum));
  const maxMsgs = max((s) => s.messages);
  const maxP50 = max((s) => s.ttft?.p50);
  const maxP99 = max((s) => s.ttft?.p99);
  const maxTtlt = max((s) => s.ttlt?.p99);
  const maxErr = max((s) => sumCounts(s.errors));
  const total = rows.reduce((a, [, s]) => a + (s.messages ?? 0), 0);
  const body = rows.map(([intent, s]) => {
    const errors = sumCounts(s.errors);
    const codes = Object.entries(s.errors ?? {}).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(', ');
    return `<tr data-intent="${escapeHtml(intent)}"><td><code>${escapeHtml(intent)}</code></td>`
      + barCell(s.messages, maxMsgs, 'msgs', formatCount(s.messages))
      + `<td class="num muted">${escapeHtml(total > 0 ? formatPercent(s.messages / total) : '—')}</td>`
      + barCell(s.ttft?.p50, maxP50, 'p50', formatMs(s.ttft?.p50))
      + barCell(s.ttft?.p99, maxP99, 'p99', formatMs(s.ttft?.p99))
      + barCell(s.ttlt?.p99, maxTtlt, 'ttlt', formatMs(s.ttlt?.p99))
      + barCell(errors, maxErr, 'err', formatCount(errors), codes)
      + '</tr>';
  }).join('');
  return `<section class="card" id="intents"><h2>By intent</h2>
<p class="caption">Bars are relative to the largest value in each column; hover an error count for its codes.</p>
<table><thead><tr><th>Intent</th><th class="num">Messages</th><th class="num">Share</th><th class="num">p50 ttft</th><th class="num">p99 ttft</th><th class="num">p99 ttlt</th><th class="num">Errors</th></tr></thead><tbody>${body}</tbody></table></section>`;
}
