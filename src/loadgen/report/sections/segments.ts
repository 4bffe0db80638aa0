// Server-side segment timings, to tell which stage of the request path the latency is spent in.
import type { LoadTestResult } from '../../result.ts';
import { escapeHtml } from '../escape.ts';
import { formatCount } from '../format.ts';

/** The segment-timings section: a horizontal bar chart of p50 and p99 per segment. */
export function renderSegments(result: LoadTestResult): string {
  const entries = Object.entries(result.serverTimings ?? {});
  if (entries.length === 0) return '';
  const counts = [...new Set(entries.map(([, s]) => s.count))];
  const countText = counts.length === 1 ? `each from ${formatCount(counts[0])} responses` : 'counts differ by segment';
  return `<section class="card" id="server-segments"><h2>Server time by segment</h2>
<p class="caption">p50 and p99 of each segment of the request path, as reported in the server's <code>end</code> frames (${escapeHtml(countText)}). What the client measured beyond these is network and queueing.</p>
<div class="plot" id="plot-segments"></div></section>`;
}
