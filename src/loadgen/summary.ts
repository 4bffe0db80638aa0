import type { LatencySummary, LoadTestResult, MessageStats } from './result.ts';

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const row = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

function latencyRow(name: string, s: LatencySummary, widths: number[]): string {
  return row([name, String(s.count), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.p999), ms(s.max)], widths);
}

function errorCount(s: MessageStats): number {
  return Object.values(s.errors).reduce((a, b) => a + b, 0);
}

/** The plain-text summary printed at the end of a run (latencies in ms). */
export function formatSummary(r: LoadTestResult): string {
  const out: string[] = [];
  out.push(`MangaAssist load test: ${r.mode === 'idle' ? 'idle connections' : `${r.mode} model`} over ${r.transport}, profile ${r.profile}, ${r.durationS.toFixed(1)} s, targets ${r.targets.join(', ')}`);
  if (r.idle) {
    const extra = r.idle as typeof r.idle & { serverRssBytes?: { before: number; held: number }; bytesPerConnection?: number };
    out.push(`idle: ${r.idle.opened}/${r.idle.target} connections opened (${r.idle.failed} failed) from ${r.idle.sourceAddresses} source address(es), held ${r.idle.heldS} s`);
    if (extra.serverRssBytes) out.push(`server RSS ${(extra.serverRssBytes.before / 2 ** 20).toFixed(1)} MiB -> ${(extra.serverRssBytes.held / 2 ** 20).toFixed(1)} MiB; ~${((extra.bytesPerConnection ?? 0) / 1024).toFixed(1)} KiB per connection`);
  } else {
    out.push(`sessions: ${r.sessions.started} started, ${r.sessions.completed} completed, ${r.sessions.failed} failed; messages: ${r.overall.messages}, errors: ${errorCount(r.overall)}`);
    const w = [26, 7, 8, 8, 8, 8, 8];
    out.push('', row(['latency (ms)', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max'], w));
    out.push(latencyRow('ttft', r.overall.ttft, w));
    if (r.ttftUncorrected && r.mode === 'open') out.push(latencyRow('ttft (uncorrected)', r.ttftUncorrected, w));
    out.push(latencyRow('inter-token', r.overall.interToken, w));
    out.push(latencyRow('ttlt', r.overall.ttlt, w));
    const wi = [20, 7, 8, 8, 8, 8];
    out.push('', row(['intent', 'msgs', 'ttft p50', 'ttft p99', 'ttlt p99', 'errors'], wi));
    for (const [intent, s] of Object.entries(r.byIntent)) out.push(row([intent, String(s.messages), ms(s.ttft.p50), ms(s.ttft.p99), ms(s.ttlt.p99), String(errorCount(s))], wi));
    const errs = Object.entries(r.overall.errors);
    if (errs.length) out.push('', `errors by code: ${errs.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const segs = Object.entries(r.serverTimings);
    if (segs.length) out.push('', `server segments p50/p99 (ms): ${segs.map(([k, v]) => `${k} ${ms(v.p50)}/${ms(v.p99)}`).join(', ')}`);
  }
  for (const w of (r as { warnings?: string[] }).warnings ?? []) out.push('', `warning: ${w}`);
  out.push('', 'SLO');
  const actual = (name: string, v: number) => (name === 'error_rate' ? `${v.toFixed(2)}%` : name.endsWith('ttft') ? `${ms(v)} ms` : String(v));
  for (const v of r.slo) out.push(`  ${v.held ? 'PASS' : 'FAIL'}  ${v.objective.padEnd(40)} actual ${actual(v.name, v.actual)}`);
  out.push(r.passed ? 'PASSED: every SLO held' : 'FAILED: at least one SLO did not hold');
  return out.join('\n');
}
