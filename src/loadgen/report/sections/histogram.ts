// Placeholder for the ttft distribution plot, which shows the shape the percentiles summarise.
import type { LoadTestResult } from '../../result.ts';
import { escapeHtml } from '../escape.ts';
import { formatCount } from '../format.ts';

/** The ttft histogram section (empty when the result has no buckets). */
export function renderHistogram(result: LoadTestResult): string {
  if (!result.ttftHistogram?.length) return '';
  const total = result.ttftHistogram.reduce((a, [, c]) => a + (Number.isFinite(c) ? c : 0), 0);
  return `<section class="card" id="ttft-histogram"><h2>Time to first token: distribution</h2>
<p class="caption">${escapeHtml(formatCount(total))} messages by ttft bucket, log-scale x axis, so the spike's tail is visible next to the bulk. Dashed lines mark p50 and p99.</p>
<div class="plot" id="plot-histogram"></div></section>`;
}
