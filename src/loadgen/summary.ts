import type { RateFigures, RateResult } from './rate.ts';
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
  out.push(`MangaAssist load test: ${r.mode === 'idle' ? 'idle connections' : r.mode === 'rate' ? 'message rate (open loop)' : `${r.mode} model`} over ${r.transport}, profile ${r.profile}, ${r.durationS.toFixed(1)} s, targets ${r.targets.join(', ')}`);
  if (r.mode === 'rate') {
    out.push(...rateLines(r as RateResult));
  } else if (r.idle) {
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
    const rp = r.overall.replies;
    if (rp) out.push('', `replies: ${rp.answered} answered, ${rp.degraded} degraded, ${rp.unanswered} unanswered, ${rp.interrupted} interrupted`);
    const errs = Object.entries(r.overall.errors);
    if (errs.length) out.push('', `errors by code: ${errs.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const segs = Object.entries(r.serverTimings);
    if (segs.length) out.push('', `server segments p50/p99 (ms): ${segs.map(([k, v]) => `${k} ${ms(v.p50)}/${ms(v.p99)}`).join(', ')}`);
  }
  for (const w of (r as { warnings?: string[] }).warnings ?? []) out.push('', `warning: ${w}`);
  out.push('', 'SLO');
  const actual = (name: string, v: number) => (name.endsWith('_rate') ? `${v.toFixed(2)}%` : name.endsWith('ttft') ? `${ms(v)} ms` : String(v));
  for (const v of r.slo) out.push(`  ${v.held ? 'PASS' : 'FAIL'}  ${v.objective.padEnd(40)} actual ${actual(v.name, v.actual)}`);
  out.push(r.passed ? 'PASSED: every SLO held' : 'FAILED: at least one SLO did not hold');
  return out.join('\n');
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** One window of the rate mode in a few lines: rate in, achieved, corrected latencies, outcomes. */
function rateWindowLines(f: RateFigures): string[] {
  const w = [34, 7, 8, 8, 8, 8];
  const lat = (name: string, s: LatencySummary) => row([name, String(s.count), ms(s.p50), ms(s.p99), ms(s.p999), ms(s.max)], w);
  const errs = Object.entries(f.errors);
  return [
    `rate in ${f.rate}/s for ${f.windowS} s (${f.scheduled} messages due), achieved ${f.achievedPerS} replies/s`,
    '',
    row(['latency (ms, from the scheduled time)', 'count', 'p50', 'p99', 'p99.9', 'max'], w),
    lat('first token', f.ttft),
    lat('end', f.ttlt),
    lat('first token (uncorrected)', f.ttftUncorrected),
    lat("service's own firstTokenMs", f.serverFirstTokenMs),
    lat('  of replies a model wrote', f.serverFirstTokenModelMs),
    '',
    `replies: answered ${f.replies.answered} (${pct(f.shares.answered)}), degraded ${f.replies.degraded} (${pct(f.shares.degraded)}), unanswered ${f.replies.unanswered} (${pct(f.shares.unanswered)}), interrupted ${f.replies.interrupted} (${pct(f.shares.interrupted)}); failed ${pct(f.shares.failed)}${errs.length ? `: ${errs.map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`,
    `generator: ${f.generatorCpuPct}% of a core; sent late with a free chat p99 ${ms(f.sendLagMs.p99)} ms; ${f.waitedForChat} messages waited for a free chat (p99 ${ms(f.chatWaitMs.p99)} ms)`,
    ...(f.resume ? [`resume: ${f.resume.reconnects} reconnects (${f.resume.restartCloses} after close 1001/1012), reconnect p50 ${ms(f.resume.reconnectMs.p50)} / p99 ${ms(f.resume.reconnectMs.p99)} ms, ${f.resume.failedAttempts} failed attempts; ${f.resume.resends} messages sent again, ${f.resume.replayed} replayed; sessions changed ${f.resume.sessionsChanged}, answers given twice ${f.resume.duplicateEnds}, stray ends ${f.resume.strayEnds}`] : []),
  ];
}

function rateLines(r: RateResult): string[] {
  const out: string[] = [];
  if (r.knee) {
    const w = [8, 9, 9, 9, 9, 9, 9, 8, 8, 6];
    out.push(`knee search, objective p99 first token < ${r.knee.objectiveMs} ms and every failure share under its limit`, '');
    out.push(row(['rate/s', 'achieved', 'ttft p50', 'ttft p99', 'p99.9', 'end p99', 'svc p99', 'failed', 'unansw', 'held'], w));
    for (const s of r.knee.steps) out.push(row([String(s.rate), String(s.achievedPerS), ms(s.ttft.p50), ms(s.ttft.p99), ms(s.ttft.p999), ms(s.ttlt.p99), ms(s.serverFirstTokenMs.p99), pct(s.shares.failed), pct(s.shares.unanswered + s.shares.degraded), s.passed ? 'yes' : 'NO'], w));
    out.push('', r.knee.knee === null ? 'KNEE: none (the first step already missed an objective)' : `KNEE: ${r.knee.knee} messages/s`, '', 'the step shown below:');
  }
  out.push(...rateWindowLines(r.rate));
  if (r.knee) {
    out.push('', 'objectives of that step:');
    for (const v of r.rate.slo) out.push(`  ${v.held ? 'PASS' : 'FAIL'}  ${v.objective.padEnd(40)} actual ${v.name.endsWith('_rate') ? `${v.actual.toFixed(2)}%` : `${ms(v.actual)} ms`}`);
  }
  return out;
}
