// Errors by code, with what each code means, so a reader knows whether the server or the generator gave up.
import type { LoadTestResult } from '../../result.ts';
import { escapeHtml } from '../escape.ts';
import { formatCount, formatPercent, sumCounts } from '../format.ts';

// Codes with a fixed meaning in the protocol or the load generator; others are shown without a note.
const MEANING: Record<string, string> = {
  rate_limited: 'the server refused the message (rate limit)',
  unavailable: 'the server or a dependency was unavailable',
  timeout: 'no end frame within the load generator\'s timeout',
  dropped: 'the connection closed mid-answer',
};

/** The errors-by-code section: one horizontal bar per code, largest first. */
export function renderErrors(result: LoadTestResult): string {
  const counts = Object.entries(result.overall?.errors ?? {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const total = sumCounts(result.overall?.errors);
  if (counts.length === 0) {
    return `<section class="card" id="errors"><h2>Errors by code</h2><p class="empty">No errors.</p></section>`;
  }
  const max = counts[0][1];
  const rows = counts.map(([code, n]) => {
    const note = Object.hasOwn(MEANING, code) ? MEANING[code] : '';
    return `<div data-code="${escapeHtml(code)}"><code>${escapeHtml(code)}</code>${note ? `<div class="muted">${escapeHtml(note)}</div>` : ''}</div>`
      + `<div class="track"><span style="width:${Math.max(1, (n / max) * 100).toFixed(1)}%;background:var(--err)"></span></div>`
      + `<div class="num">${escapeHtml(formatCount(n))} <span class="muted">(${escapeHtml(formatPercent(n / total))})</span></div>`;
  }).join('');
  return `<section class="card" id="errors"><h2>Errors by code</h2>
<p class="caption">${escapeHtml(formatCount(total))} errors in total.</p>
<div class="hbars">${rows}</div></section>`;
}
