// Number formatting shared by every section, so a latency reads the same in tiles, tables and SLO rows.

/** True for a real, finite number (results may carry null or NaN where nothing was measured). */
export function isNum(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A latency in ms: one decimal below 10 ms, whole ms below 10 s, seconds above. */
export function formatMs(ms: unknown): string {
  if (!isNum(ms)) return '—';
  if (Math.abs(ms) >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (Math.abs(ms) < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

/** A count with thousands separators. */
export function formatCount(n: unknown): string {
  return isNum(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

/** A rate or other fractional figure with at most `digits` decimals. */
export function formatNumber(n: unknown, digits = 1): string {
  return isNum(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '—';
}

/** A ratio (0..1) as a percentage. */
export function formatPercent(ratio: unknown): string {
  if (!isNum(ratio)) return '—';
  const pct = ratio * 100;
  return `${pct === 0 ? '0' : pct < 0.1 ? pct.toFixed(2) : pct.toFixed(1)} %`;
}

/** A duration in seconds as `1 h 2 m 3 s` / `2 m 0 s` / `45 s`. */
export function formatDuration(seconds: unknown): string {
  if (!isNum(seconds)) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h} h ${m} m ${rest} s`;
  if (m > 0) return `${m} m ${rest} s`;
  return `${rest} s`;
}

/** Sum of a record of counts (errors by code). */
export function sumCounts(counts: Record<string, number> | undefined): number {
  return Object.values(counts ?? {}).reduce((a, b) => a + (isNum(b) ? b : 0), 0);
}
