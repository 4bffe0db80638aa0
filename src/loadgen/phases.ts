import type { Phase } from './profile.ts';

/** Thrown for a malformed command-line value; the CLI turns it into exit code 2. */
export class UsageError extends Error {}

/** Parses a duration such as `30s`, `2m`, `500ms`, `1h` or a bare number of seconds; returns ms. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`bad duration "${text}" (use e.g. 500ms, 30s, 2m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
}

/**
 * Parses `--phases`: comma-separated `ramp:FROM-TO:DUR`, `hold:RATE:DUR`, `step:RATE:DUR`,
 * `spike:RATE:DUR`; a trailing `:peak` marks a phase as peak traffic (spikes are peak anyway),
 * which puts its messages under the peak SLO.
 */
export function parsePhases(text: string): Phase[] {
  const phases = text.split(',').map((part) => part.trim()).filter(Boolean).map((part): Phase => {
    const [kind, rate, duration, flag, ...rest] = part.split(':');
    if (rest.length || (flag !== undefined && flag !== 'peak') || !rate || !duration) throw new UsageError(`bad phase "${part}" (use e.g. ramp:0-50:30s, hold:50:60s, spike:200:10s, step:20:30s)`);
    const durationS = parseDurationMs(duration) / 1000;
    if (!(durationS > 0)) throw new UsageError(`phase "${part}" needs a positive duration`);
    const peak = flag === 'peak' ? true : undefined;
    const num = (s: string) => {
      const n = Number(s);
      if (!Number.isFinite(n) || n < 0 || s.trim() === '') throw new UsageError(`bad rate "${s}" in phase "${part}"`);
      return n;
    };
    if (kind === 'ramp') {
      const [from, to, extra] = rate.split('-');
      if (extra !== undefined || to === undefined) throw new UsageError(`ramp "${part}" needs FROM-TO`);
      return { kind, from: num(from), to: num(to), durationS, peak };
    }
    if (kind === 'hold' || kind === 'step' || kind === 'spike') return { kind, rate: num(rate), durationS, peak };
    throw new UsageError(`unknown phase kind "${kind}" in "${part}" (ramp, hold, step, spike)`);
  });
  if (!phases.length) throw new UsageError('--phases is empty');
  return phases;
}

/** Start and end rate of a phase (sessions per second). */
export function phaseRates(p: Phase): { from: number; to: number } {
  return p.kind === 'ramp' ? { from: p.from, to: p.to } : { from: p.rate, to: p.rate };
}

/** Whether a phase's messages are held to the peak SLO. */
export function isPeak(p: Phase): boolean {
  return p.peak ?? p.kind === 'spike';
}

/** A short label such as `ramp 0→50/s` for the progress line and the timeline. */
export function phaseLabel(p: Phase): string {
  return p.kind === 'ramp' ? `ramp ${p.from}→${p.to}/s` : `${p.kind} ${p.rate}/s`;
}

/** Total length of the phases in ms. */
export function totalPhaseMs(phases: Phase[]): number {
  return phases.reduce((sum, p) => sum + p.durationS * 1000, 0);
}

/** The phase index at `tMs` since the start (the last phase after the end). */
export function phaseIndexAt(phases: Phase[], tMs: number): number {
  let end = 0;
  for (const [i, p] of phases.entries()) {
    end += p.durationS * 1000;
    if (tMs < end) return i;
  }
  return phases.length - 1;
}
