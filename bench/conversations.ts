// The labelled conversation suite (step 8): plays data/eval/conversations/*.jsonl against the
// real service on the shipped catalog and after importing the MyAnimeList CSV, and prints the
// share of conversations (and turns) fully correct per kind, language and catalog.
//
// Usage: npm run bench:conversations [-- --failures] [--kind <kind>] [--catalog shipped|imported]
//          [--id <conversation id>] [--json <file>] [--raise-floor] [--rebase-floor]
//          [--set main|holdout|blind2|blind3|blind4|blind5|blind6|blind7|blind8|blind9|all]
//
// --set picks the conversations: main (default; floor.json), holdout (holdout-*.jsonl, written
// without looking at main; holdout-floor.json), blind2 (blind2-*.jsonl, a second held-out set
// written without looking at either; blind2-floor.json), blind3 (blind3-*.jsonl, a third
// held-out set written without looking at any of them; blind3-floor.json), blind4 (blind4-*.jsonl,
// the fourth, written the same way; blind4-floor.json), blind5 (blind5-*.jsonl, the fifth, written
// the same way; blind5-floor.json), blind6 (blind6-*.jsonl, the sixth, written the same way;
// blind6-floor.json), blind7 (blind7-*.jsonl, the seventh, written the same way; blind7-floor.json),
// blind8 (blind8-*.jsonl, the eighth, written the same way; blind8-floor.json), blind9 (blind9-*.jsonl,
// the ninth, written the same way; blind9-floor.json) or all (no floor).
//
// --raise-floor writes this run's shares into floor.json where they are higher (never lower).
// --rebase-floor is for a suite that grew: it writes this run's shares even where lower, but only
// when every conversation that was correct when the floor was set is still correct (the product
// did not get worse; the suite got harder).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { playSuite } from './conversations/player.ts';
import { belowFloor, failureCounts, failureReport, floorFileFor, markdownTable, raisedFloor, readFloor, summarize, writeFloor } from './conversations/report.ts';
import { SUITE_DIR, loadConversations, type SuiteSet } from './conversations/suite.ts';

const { values: args } = parseArgs({
  options: {
    failures: { type: 'boolean', default: false },
    kind: { type: 'string' },
    catalog: { type: 'string' },
    id: { type: 'string' },
    json: { type: 'string' },
    'raise-floor': { type: 'boolean', default: false },
    'rebase-floor': { type: 'boolean', default: false },
    set: { type: 'string', default: 'main' },
  },
});

if (!['main', 'holdout', 'blind2', 'blind3', 'blind4', 'blind5', 'blind6', 'blind7', 'blind8', 'blind9', 'all'].includes(args.set)) throw new Error(`--set must be main, holdout, blind2, blind3, blind4, blind5, blind6, blind7, blind8, blind9 or all (got ${args.set})`);
const set = args.set as SuiteSet;
const floorFile = floorFileFor(set);
const all = loadConversations(SUITE_DIR, set);
const picked = all.filter((c) => (!args.kind || c.kind === args.kind) && (!args.catalog || c.catalog === args.catalog) && (!args.id || c.id === args.id));
const partial = picked.length !== all.length;
if ((partial || !floorFile) && (args['raise-floor'] || args['rebase-floor'])) throw new Error('--raise-floor and --rebase-floor need one whole set (--set main, holdout, blind2, blind3, blind4, blind5, blind6, blind7, blind8 or blind9; no --kind, --catalog or --id)');

const run = await playSuite(picked, { log: (line) => console.error(line) });
const summary = summarize(run.results);
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();

// Figures belong to a commit: say so when the product under test has uncommitted changes.
const dirty = (() => {
  try {
    return execFileSync('git', ['status', '--porcelain', '--', 'src', 'data/catalog', 'data/store', 'data/kb'], { encoding: 'utf8' }).trimEnd();
  } catch {
    return '';
  }
})();
console.log(`\n## Conversation suite (${set}): ${picked.length} conversations, ${summary.overall.turns.total} turns (commit ${commit}${dirty ? ' plus uncommitted changes' : ''}, clock pinned to ${run.now})\n`);
if (dirty) console.log(`Uncommitted changes under test:\n${dirty.split('\n').map((l) => `    ${l}`).join('\n')}\n`);
console.log(markdownTable(summary, run.results));
console.log(`\nRun time: ${run.seconds.total.toFixed(1)} s (setup ${Object.entries(run.seconds.setup).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}; play ${Object.entries(run.seconds.play).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')})`);
console.log('\nFailed checks (turns):');
for (const [name, n] of failureCounts(run.results)) console.log(`  ${String(n).padStart(4)}  ${name}`);

if (args.failures) console.log(`\n## Failures\n${failureReport(run.results)}`);
if (args.json) writeFileSync(args.json, JSON.stringify({ commit, ...run, summary }, null, 2));

const floor = floorFile ? readFloor(floorFile) : undefined;
if (!partial && floor) {
  const below = belowFloor(summary, floor);
  const lost = floor.passing.filter((id) => !run.results.find((r) => r.id === id)?.ok);
  console.log(below.length ? `\nBelow the floor:\n  ${below.join('\n  ')}` : '\nAt or above the floor everywhere.');
  if (lost.length) console.log(`Correct when the floor was set, failing now: ${lost.join(', ')}`);
}
if (args['raise-floor'] || args['rebase-floor']) {
  const measured = { date: new Date().toISOString().slice(0, 10), commit };
  let base = floor;
  if (args['rebase-floor'] && floor) {
    const lost = floor.passing.filter((id) => run.results.some((r) => r.id === id) && !run.results.find((r) => r.id === id)?.ok);
    if (lost.length) throw new Error(`cannot rebase: conversations correct when the floor was set now fail (${lost.join(', ')})`);
    base = undefined;
  }
  const next = raisedFloor(summary, run.results, base, measured, set === 'all' ? 'main' : set);
  writeFloor(next, floorFile);
  console.log(`\nFloor written: overall ${(100 * next.overall).toFixed(1)} %`);
}
