// Shares correct per kind, language and catalog; the failure list; and the floor the test
// holds the product to (data/eval/conversations/floor.json), which only ever goes up.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeReply } from './checks.ts';
import type { ConversationResult } from './player.ts';
import { KINDS, SUITE_DIR, type SuiteSet } from './suite.ts';

/** Correct out of total, for conversations and for turns. */
export interface Share {
  conversations: { ok: number; total: number };
  turns: { ok: number; total: number };
}

/** Shares of one run, grouped the ways the table shows them. */
export interface Summary {
  overall: Share;
  catalog: Record<string, Share>;
  language: Record<string, Share>;
  kind: Record<string, Share>;
}

function share(results: ConversationResult[]): Share {
  const turns = results.flatMap((r) => r.turns);
  return {
    conversations: { ok: results.filter((r) => r.ok).length, total: results.length },
    turns: { ok: turns.filter((t) => t.ok).length, total: turns.length },
  };
}

function groupBy(results: ConversationResult[], key: (r: ConversationResult) => string, order: readonly string[]): Record<string, Share> {
  const out: Record<string, Share> = {};
  const keys = [...new Set([...order.filter((k) => results.some((r) => key(r) === k)), ...results.map(key)])];
  for (const k of keys) out[k] = share(results.filter((r) => key(r) === k));
  return out;
}

/** Groups a run's results. */
export function summarize(results: ConversationResult[]): Summary {
  return {
    overall: share(results),
    catalog: groupBy(results, (r) => r.catalog, ['shipped', 'imported']),
    language: groupBy(results, (r) => r.language, ['en', 'ja']),
    kind: groupBy(results, (r) => r.kind, KINDS),
  };
}

/** Share of conversations fully correct (0..1). */
export function rate(s: Share): number {
  return s.conversations.total === 0 ? 0 : s.conversations.ok / s.conversations.total;
}

function pct(ok: number, total: number): string {
  return total === 0 ? '–' : `${((100 * ok) / total).toFixed(1)} %`;
}

/** The Markdown table: one row per kind, then language, catalog and overall. */
export function markdownTable(summary: Summary, results: ConversationResult[]): string {
  const rows: string[] = ['| group | conversations correct | share | turns correct | share | shipped | imported |', '|---|---:|---:|---:|---:|---:|---:|'];
  const byCatalog = (filter: (r: ConversationResult) => boolean, catalog: string) => {
    const s = share(results.filter((r) => filter(r) && r.catalog === catalog));
    return s.conversations.total === 0 ? '–' : `${s.conversations.ok}/${s.conversations.total}`;
  };
  const row = (label: string, s: Share, filter: (r: ConversationResult) => boolean) =>
    rows.push(
      `| ${label} | ${s.conversations.ok}/${s.conversations.total} | ${pct(s.conversations.ok, s.conversations.total)} | ${s.turns.ok}/${s.turns.total} | ${pct(s.turns.ok, s.turns.total)} | ${byCatalog(filter, 'shipped')} | ${byCatalog(filter, 'imported')} |`,
    );
  for (const [k, s] of Object.entries(summary.kind)) row(k, s, (r) => r.kind === k);
  for (const [k, s] of Object.entries(summary.language)) row(`language: ${k}`, s, (r) => r.language === k);
  for (const [k, s] of Object.entries(summary.catalog)) row(`catalog: ${k}`, s, (r) => r.catalog === k);
  row('**overall**', summary.overall, () => true);
  return rows.join('\n');
}

/** How often each check failed, most frequent first (one count per turn). */
export function failureCounts(results: ConversationResult[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of results) for (const t of r.turns) for (const c of t.checks) if (!c.ok) {
    // Parameterised names (about(one-piece).named) are counted by their shape (about.named).
    const shape = c.name.replace(/\([^)]*\)/g, '');
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Every failed check, by conversation and turn, with what the reply showed. */
export function failureReport(results: ConversationResult[]): string {
  const lines: string[] = [];
  for (const r of results.filter((x) => !x.ok)) {
    lines.push(`\n### ${r.id} (${r.kind}, ${r.catalog}, ${r.language}, ${r.customer})`);
    r.turns.forEach((t, i) => {
      const failed = t.checks.filter((c) => !c.ok);
      lines.push(`${i + 1}. ${failed.length ? '✗' : '✓'} ${JSON.stringify(t.say)}`);
      if (failed.length === 0) return;
      lines.push(`   reply: ${describeReply(t.reply)}`);
      for (const c of failed) lines.push(`   - ${c.name}: ${c.detail ?? ''}`);
    });
  }
  return lines.join('\n');
}

/** The floor file: minimum shares of conversations fully correct, and which passed when it was set. */
export interface Floor {
  note?: string;
  measured: { date: string; commit: string };
  overall: number;
  catalog: Record<string, number>;
  language: Record<string, number>;
  kind: Record<string, number>;
  /** Conversations that were correct when the floor was last raised (to name regressions). */
  passing: string[];
}

export const FLOOR_FILE = join(SUITE_DIR, 'floor.json');

/** The held-out set's own floor: kept apart from the main floor until the lead merges the sets. */
export const HOLDOUT_FLOOR_FILE = join(SUITE_DIR, 'holdout-floor.json');

/** The second held-out set's own floor (blind2-*.jsonl). */
export const BLIND2_FLOOR_FILE = join(SUITE_DIR, 'blind2-floor.json');

/** The third held-out set's own floor (blind3-*.jsonl). */
export const BLIND3_FLOOR_FILE = join(SUITE_DIR, 'blind3-floor.json');

/** The fourth held-out set's own floor (blind4-*.jsonl). */
export const BLIND4_FLOOR_FILE = join(SUITE_DIR, 'blind4-floor.json');

/** The fifth held-out set's own floor (blind5-*.jsonl). */
export const BLIND5_FLOOR_FILE = join(SUITE_DIR, 'blind5-floor.json');

/** The sixth held-out set's own floor (blind6-*.jsonl). */
export const BLIND6_FLOOR_FILE = join(SUITE_DIR, 'blind6-floor.json');

/** The seventh held-out set's own floor (blind7-*.jsonl). */
export const BLIND7_FLOOR_FILE = join(SUITE_DIR, 'blind7-floor.json');

/** The eighth held-out set's own floor (blind8-*.jsonl). */
export const BLIND8_FLOOR_FILE = join(SUITE_DIR, 'blind8-floor.json');

/** The ninth held-out set's own floor (blind9-*.jsonl). */
export const BLIND9_FLOOR_FILE = join(SUITE_DIR, 'blind9-floor.json');

/** The floor file a set is held to (none for `all`: each set keeps its own). */
export function floorFileFor(set: SuiteSet): string | undefined {
  return set === 'main' ? FLOOR_FILE : set === 'holdout' ? HOLDOUT_FLOOR_FILE : set === 'blind2' ? BLIND2_FLOOR_FILE : set === 'blind3' ? BLIND3_FLOOR_FILE : set === 'blind4' ? BLIND4_FLOOR_FILE : set === 'blind5' ? BLIND5_FLOOR_FILE : set === 'blind6' ? BLIND6_FLOOR_FILE : set === 'blind7' ? BLIND7_FLOOR_FILE : set === 'blind8' ? BLIND8_FLOOR_FILE : set === 'blind9' ? BLIND9_FLOOR_FILE : undefined;
}

/** A set that has a floor of its own. */
export type FlooredSet = Exclude<SuiteSet, 'all'>;

const FLOOR_NOTES: Record<FlooredSet, string> = {
  main: 'Minimum share of conversations fully correct (0..1), checked by test/eval/conversations.test.ts. Raise with `npm run bench:conversations -- --raise-floor`; never lower it by hand.',
  holdout:
    'Minimum share of the held-out conversations (holdout-*.jsonl) fully correct (0..1), checked by test/eval/conversations-holdout.test.ts. Raise with `npm run bench:conversations -- --set holdout --raise-floor`; never lower it by hand.',
  blind2:
    'Minimum share of the second held-out set (blind2-*.jsonl) fully correct (0..1), checked by test/eval/conversations-blind2.test.ts. Raise with `npm run bench:conversations -- --set blind2 --raise-floor`; never lower it by hand.',
  blind3:
    'Minimum share of the third held-out set (blind3-*.jsonl) fully correct (0..1), checked by test/eval/conversations-blind3.test.ts. Raise with `npm run bench:conversations -- --set blind3 --raise-floor`; never lower it by hand.',
  blind4:
    'Minimum share of the fourth held-out set (blind4-*.jsonl) fully correct (0..1), checked by test/eval/conversations-blind4.test.ts. Raise with `npm run bench:conversations -- --set blind4 --raise-floor`; never lower it by hand.',
  blind5:
    'Minimum share of the fifth held-out set (blind5-*.jsonl) fully correct (0..1), checked by test/eval/conversations-blind5.test.ts. Raise with `npm run bench:conversations -- --set blind5 --raise-floor`; never lower it by hand.',
  blind6:
    'Minimum share of the sixth held-out set (blind6-*.jsonl) fully correct (0..1), checked by test/eval/conversations-blind6.test.ts. Raise with `npm run bench:conversations -- --set blind6 --raise-floor`; never lower it by hand.',
  blind7:
    'Minimum share of the seventh held-out set (blind7-*.jsonl) fully correct (0..1), checked by test/eval/conversations-blind7.test.ts. Raise with `npm run bench:conversations -- --set blind7 --raise-floor`; never lower it by hand.',
  blind8:
    'Minimum share of the eighth held-out set (blind8-*.jsonl) fully correct (0..1), checked by test/eval/conversations-blind8.test.ts. Raise with `npm run bench:conversations -- --set blind8 --raise-floor`; never lower it by hand.',
  blind9:
    'Minimum share of the ninth held-out set (blind9-*.jsonl) fully correct (0..1), checked by test/eval/conversations-blind9.test.ts. Raise with `npm run bench:conversations -- --set blind9 --raise-floor`; never lower it by hand.',
};

/** Reads the floor (undefined when there is none yet). */
export function readFloor(file = FLOOR_FILE): Floor | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Floor;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const round4 = (x: number) => Math.floor(x * 10_000) / 10_000;

/** Every share below its floor, as readable lines (empty: the run holds the floor). */
export function belowFloor(summary: Summary, floor: Floor): string[] {
  const out: string[] = [];
  const check = (label: string, s: Share | undefined, min: number | undefined) => {
    if (min === undefined) return;
    const got = s ? round4(rate(s)) : 0;
    if (got < min) out.push(`${label}: ${(100 * got).toFixed(1)} % < floor ${(100 * min).toFixed(1)} % (${s?.conversations.ok ?? 0}/${s?.conversations.total ?? 0})`);
  };
  check('overall', summary.overall, floor.overall);
  for (const [k, v] of Object.entries(floor.catalog)) check(`catalog ${k}`, summary.catalog[k], v);
  for (const [k, v] of Object.entries(floor.language)) check(`language ${k}`, summary.language[k], v);
  for (const [k, v] of Object.entries(floor.kind)) check(`kind ${k}`, summary.kind[k], v);
  return out;
}

/**
 * The floor raised to this run's shares where they are higher; never lowered. A group new to
 * the suite starts at its measured share.
 */
export function raisedFloor(summary: Summary, results: ConversationResult[], old: Floor | undefined, measured: Floor['measured'], set: FlooredSet = 'main'): Floor {
  const up = (a: number | undefined, s: Share) => Math.max(a ?? 0, round4(rate(s)));
  const map = (olds: Record<string, number> | undefined, now: Record<string, Share>) =>
    Object.fromEntries(Object.entries(now).map(([k, s]) => [k, up(olds?.[k], s)]));
  return {
    note: FLOOR_NOTES[set],
    measured,
    overall: up(old?.overall, summary.overall),
    catalog: map(old?.catalog, summary.catalog),
    language: map(old?.language, summary.language),
    kind: map(old?.kind, summary.kind),
    passing: results.filter((r) => r.ok).map((r) => r.id).sort(),
  };
}

/** Writes the floor file. */
export function writeFloor(floor: Floor, file = FLOOR_FILE): void {
  writeFileSync(file, `${JSON.stringify(floor, null, 2)}\n`);
}
