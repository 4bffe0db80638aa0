// What each held-out conversation set's test checks (conversations-holdout/-blind2/-blind3/-blind4/
// -blind5/-blind6/-blind7/-blind8/-blind9): the set's make-up, then the real service against the set's
// own floor. One place, so the nine sets are held to the same rules; each test file says its set's bounds.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { playSuite, MAL_CSV } from '../../bench/conversations/player.ts';
import { belowFloor, floorFileFor, markdownTable, readFloor, summarize } from '../../bench/conversations/report.ts';
import { KINDS, SUITE_DIR, loadConversations, type SuiteSet } from '../../bench/conversations/suite.ts';

/** A held-out set and the make-up it must keep. */
export interface HeldOutSet {
  set: Exclude<SuiteSet, 'main' | 'all'>;
  /** How the set is named in failure messages ("held-out", "blind2"). */
  label: string;
  /** The sets its conversation ids must stay apart from. */
  apartFrom: SuiteSet[];
  /** Every id starts with this, when the set has a prefix. */
  idPrefix?: string;
  minConversations: number;
  /** Shares of the set (0..1): in Japanese, on several turns. */
  minJapanese: number;
  minMultiTurn: number;
}

/** Asserts the set's make-up (ids apart, languages, catalogs, signed in, turns, every kind), then plays it against its floor. */
export async function checkHeldOutSet(s: HeldOutSet): Promise<void> {
  assert.ok(existsSync(MAL_CSV), `the MyAnimeList export is missing: expected it at ${MAL_CSV}`);
  const conversations = loadConversations(SUITE_DIR, s.set);
  const others = new Set(s.apartFrom.flatMap((set) => loadConversations(SUITE_DIR, set)).map((c) => c.id));
  const count = (pred: (c: (typeof conversations)[number]) => boolean) => conversations.filter(pred).length;
  assert.deepEqual(conversations.filter((c) => others.has(c.id)).map((c) => c.id), [], `a ${s.label} conversation id is also in the ${s.apartFrom.join(', ')} set`);
  if (s.idPrefix) assert.ok(conversations.every((c) => c.id.startsWith(s.idPrefix!)), `${s.label} conversation ids start with ${s.idPrefix}`);
  assert.ok(conversations.length >= s.minConversations, `only ${conversations.length} ${s.label} conversations`);
  assert.ok(count((c) => c.language === 'ja') >= conversations.length * s.minJapanese, `fewer than ${s.minJapanese * 100} % of the ${s.label} conversations are in Japanese`);
  assert.ok(count((c) => c.catalog === 'imported') >= conversations.length * 0.3, `fewer than 30 % of the ${s.label} conversations use the imported catalog`);
  assert.ok(count((c) => c.turns.length > 1) >= conversations.length * s.minMultiTurn, `fewer than ${s.minMultiTurn * 100} % of the ${s.label} conversations have several turns`);
  assert.ok(count((c) => c.customer !== 'guest') >= conversations.length * 0.2, `fewer than 20 % of the ${s.label} conversations are signed in`);
  for (const kind of KINDS) assert.ok(count((c) => c.kind === kind) > 0, `no ${s.label} conversation of kind ${kind}`);

  const file = floorFileFor(s.set)!;
  const floor = readFloor(file);
  assert.ok(floor, `${file} is missing: run npm run bench:conversations -- --set ${s.set} --raise-floor`);
  const run = await playSuite(conversations);
  const summary = summarize(run.results);
  const below = belowFloor(summary, floor);
  const lost = floor.passing.filter((id) => !run.results.find((r) => r.id === id)?.ok);
  assert.deepEqual(
    below,
    [],
    `${below.join('\n')}\nCorrect when the floor was set, failing now: ${lost.join(', ') || 'none'}\n` +
      `(details: npm run bench:conversations -- --set ${s.set} --failures)\n\n${markdownTable(summary, run.results)}`,
  );
}
