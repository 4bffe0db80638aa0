// Placeholders and legends for the two time plots; plots-client.ts draws into them.
import type { LoadTestResult } from '../../result.ts';
import { escapeHtml } from '../escape.ts';
import { phaseBands } from '../plot-data.ts';
import { formatDuration } from '../format.ts';

/** A one-line list of the phases with their time ranges, under the plots that shade them. */
function phaseList(result: LoadTestResult): string {
  const bands = phaseBands([...(result.timeline ?? [])].sort((a, b) => a.t - b.t));
  if (bands.length === 0) return '';
  return `<span><span class="swatch band"></span>phases: ${bands.map((b) => `${escapeHtml(b.name)} ${b.start}–${b.end} s`).join(' · ')}</span>`;
}

/** The latency-over-time plot (omitted by the caller when no message completed). */
export function renderLatencyTimeline(result: LoadTestResult): string {
  if (!result.timeline?.length) return '';
  return `<section class="card" id="latency-over-time"><h2>Latency over time</h2>
<p class="caption">Per second of the run, for the messages that completed in that second. Log scale; ttlt p99 is the thin dashed line. Long-dashed horizontal lines are the latency SLO thresholds, in the colour of the series they constrain; shaded bands are the load phases.</p>
<div class="legend-inline">${phaseList(result)}</div>
<div class="plot" id="plot-latency"></div></section>`;
}

/** The throughput, errors and open-sessions plot. */
export function renderThroughputTimeline(result: LoadTestResult): string {
  if (!result.timeline?.length) return '';
  const title = result.mode === 'idle' ? 'Connections over time' : 'Throughput and sessions over time';
  return `<section class="card" id="throughput-over-time"><h2>${title}</h2>
<p class="caption">${result.mode === 'idle' ? 'Errors per second (left axis) against connections open (right axis, dashed)' : 'Messages completed and errors per second (left axis) against sessions open (right axis, dashed)'} over ${escapeHtml(formatDuration(result.durationS))}.</p>
<div class="legend-inline">${phaseList(result)}</div>
<div class="plot" id="plot-throughput"></div></section>`;
}
