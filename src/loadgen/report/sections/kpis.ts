// KPI tiles: the handful of numbers someone asks for first, each coloured by whether its SLO held.
import type { LoadTestResult } from '../../result.ts';
import { escapeHtml } from '../escape.ts';
import { formatCount, formatDuration, formatMs, formatNumber, formatPercent, sumCounts } from '../format.ts';

/** One tile; `state` marks it red or green when an SLO speaks to the figure. */
function tile(label: string, value: string, sub: string, state: 'good' | 'bad' | '' = ''): string {
  return `<div class="tile ${state}"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="sub">${escapeHtml(sub)}</div></div>`;
}

/** 'bad' if an SLO whose name or objective matches `pattern` missed, 'good' if all such SLOs held, '' if none. */
function sloState(result: LoadTestResult, pattern: RegExp): 'good' | 'bad' | '' {
  const related = (result.slo ?? []).filter((s) => pattern.test(`${s.name} ${s.objective}`));
  if (related.length === 0) return '';
  return related.every((s) => s.held) ? 'good' : 'bad';
}

/** The KPI tile row: message figures for chat runs, connection figures for idle runs. */
export function renderKpis(result: LoadTestResult): string {
  const sessions = result.sessions ?? { started: 0, completed: 0, failed: 0 };
  const sessionsTile = tile('Sessions', formatCount(sessions.started), `${formatCount(sessions.completed)} completed · ${formatCount(sessions.failed)} failed`, sessions.failed > 0 ? 'bad' : '');
  if (result.mode === 'idle' && result.idle) {
    const idle = result.idle;
    return `<div class="tiles" id="kpis">${[
      tile('Connections opened', formatCount(idle.opened), `of ${formatCount(idle.target)} targeted`, sloState(result, /connect|open/i) || (idle.opened >= idle.target ? 'good' : 'bad')),
      tile('Connections failed', formatCount(idle.failed), idle.target > 0 ? `${formatPercent(idle.failed / idle.target)} of target` : '', idle.failed > 0 ? 'bad' : 'good'),
      tile('Held open', formatDuration(idle.heldS), 'time the connections stayed up'),
      tile('Source addresses', formatCount(idle.sourceAddresses), 'local IPs used to spread ports'),
      sessionsTile,
    ].join('')}</div>`;
  }
  const overall = result.overall;
  const errors = sumCounts(overall?.errors);
  const messages = overall?.messages ?? 0;
  // Errors are attempts that never completed, so the rate is over completed + failed attempts.
  const attempts = messages + errors;
  const rate = result.durationS > 0 ? messages / result.durationS : NaN;
  return `<div class="tiles" id="kpis">${[
    tile('Messages', formatCount(messages), `completed in ${formatDuration(result.durationS)}`),
    tile('Throughput', `${formatNumber(rate, 1)} msg/s`, 'mean over the run'),
    tile('p50 ttft', formatMs(overall?.ttft?.p50), 'median time to first token', sloState(result, /(p50|median).*(ttft|first token)|(ttft|first token).*(p50|median)/i)),
    tile('p99 ttft', formatMs(overall?.ttft?.p99), `max ${formatMs(overall?.ttft?.max)}`, sloState(result, /p99.*(ttft|first token)|(ttft|first token).*p99/i)),
    tile('Error rate', formatPercent(attempts > 0 ? errors / attempts : 0), `${formatCount(errors)} errors of ${formatCount(attempts)} attempts`, sloState(result, /error/i) || (errors > 0 ? 'bad' : 'good')),
    sessionsTile,
  ].join('')}</div>`;
}
