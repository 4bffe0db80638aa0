// Corrected vs uncorrected ttft: the gap between them is the queueing a closed-loop measurement hides.
import type { LatencySummary, LoadTestResult } from '../../result.ts';
import { escapeHtml } from '../escape.ts';
import { formatMs, isNum } from '../format.ts';
import { barCell } from './bars.ts';

const ROWS: [keyof LatencySummary, string][] = [['p50', 'p50'], ['p90', 'p90'], ['p99', 'p99'], ['p999', 'p99.9'], ['max', 'max']];

/** The coordinated-omission section (empty when the result has no uncorrected figures). */
export function renderOmission(result: LoadTestResult): string {
  const corrected = result.overall?.ttft;
  const raw = result.ttftUncorrected;
  if (!corrected || !raw) return '';
  const max = Math.max(0, ...ROWS.flatMap(([k]) => [corrected[k], raw[k]]).filter(isNum));
  const body = ROWS.map(([key, label]) => {
    const c = corrected[key];
    const u = raw[key];
    const diff = isNum(c) && isNum(u) ? c - u : NaN;
    return `<tr><td>${label}</td>${barCell(c, max, 'p99', formatMs(c))}${barCell(u, max, 'p50', formatMs(u))}`
      + `<td class="num ${diff > 0 ? 'missed' : ''}">${isNum(diff) ? `${diff > 0 ? '+' : ''}${escapeHtml(formatMs(diff))}` : '—'}</td></tr>`;
  }).join('');
  return `<section class="card" id="coordinated-omission"><h2>Coordinated omission: corrected vs uncorrected ttft</h2>
<p class="caption">When the service slows down, messages wait in the load generator before they can be sent; timing from the send (uncorrected) leaves that wait out, while timing from when the message was scheduled (corrected) counts it, as a customer would feel it.</p>
<table class="omission"><thead><tr><th>Percentile</th><th class="num">Corrected<div class="sub">from schedule</div></th><th class="num">Uncorrected<div class="sub">from send</div></th><th class="num">Hidden<div class="sub">by omission</div></th></tr></thead><tbody>${body}</tbody></table></section>`;
}
