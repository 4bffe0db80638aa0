// Idle mode holds connections open without chatting; its figures are about capacity, not latency.
import type { LoadTestResult } from '../../result.ts';
import { escapeHtml } from '../escape.ts';
import { formatCount, formatDuration, formatPercent } from '../format.ts';

/** The idle-connections section (empty unless the result has idle figures). */
export function renderIdle(result: LoadTestResult): string {
  const idle = result.idle;
  if (!idle) return '';
  const ratio = idle.target > 0 ? idle.opened / idle.target : 0;
  const failRatio = idle.target > 0 ? idle.failed / idle.target : 0;
  const row = (label: string, value: string, width: number, colour: string) =>
    `<div>${label}</div><div class="track"><span style="width:${Math.min(100, Math.max(0, width * 100)).toFixed(1)}%;background:${colour}"></span></div><div class="num">${escapeHtml(value)}</div>`;
  return `<section class="card" id="idle"><h2>Idle connections</h2>
<p class="caption">Connections opened and held without sending messages, to measure how many the service keeps at once.</p>
<div class="hbars">
${row('Target', formatCount(idle.target), idle.target > 0 ? 1 : 0, '#94a3b8')}
${row('Opened', `${formatCount(idle.opened)} (${formatPercent(ratio)})`, ratio, 'var(--pass)')}
${row('Failed', `${formatCount(idle.failed)} (${formatPercent(failRatio)})`, failRatio, 'var(--err)')}
</div>
<dl class="meta"><div><dt>Held open for</dt><dd>${escapeHtml(formatDuration(idle.heldS))}</dd></div><div><dt>Source addresses</dt><dd>${escapeHtml(formatCount(idle.sourceAddresses))}</dd></div></dl>
</section>`;
}
