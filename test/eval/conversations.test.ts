/**
 * The labelled conversation suite (data/eval/conversations) against the real service, on the
 * shipped catalog and after importing the MyAnimeList CSV: the share of conversations judged
 * fully correct must not fall below the floor kept in data/eval/conversations/floor.json
 * (overall, per catalog, per language, per kind). Raise the floor with
 * `npm run bench:conversations -- --raise-floor` once the product is better; never lower it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { playSuite, MAL_CSV } from '../../bench/conversations/player.ts';
import { belowFloor, markdownTable, readFloor, summarize } from '../../bench/conversations/report.ts';
import { KINDS, loadConversations } from '../../bench/conversations/suite.ts';

test('the labelled conversations are at least as correct as the floor says', async () => {
  assert.ok(existsSync(MAL_CSV), `the MyAnimeList export is missing: expected it at ${MAL_CSV}`);
  const conversations = loadConversations();
  // The suite itself: both languages and both catalogs, every kind, and many multi-turn conversations.
  const count = (pred: (c: (typeof conversations)[number]) => boolean) => conversations.filter(pred).length;
  assert.ok(conversations.length >= 150, `only ${conversations.length} conversations`);
  assert.ok(count((c) => c.language === 'ja') >= conversations.length * 0.4, 'fewer than 40 % of the conversations are in Japanese');
  assert.ok(count((c) => c.catalog === 'imported') >= conversations.length * 0.3, 'fewer than 30 % of the conversations use the imported catalog');
  assert.ok(count((c) => c.turns.length > 1) >= conversations.length * 0.3, 'fewer than 30 % of the conversations have several turns');
  for (const kind of KINDS) assert.ok(count((c) => c.kind === kind) > 0, `no conversation of kind ${kind}`);

  const floor = readFloor();
  assert.ok(floor, 'data/eval/conversations/floor.json is missing: run npm run bench:conversations -- --raise-floor');
  const run = await playSuite(conversations);
  const summary = summarize(run.results);
  const below = belowFloor(summary, floor);
  const lost = floor.passing.filter((id) => !run.results.find((r) => r.id === id)?.ok);
  assert.deepEqual(
    below,
    [],
    `${below.join('\n')}\nCorrect when the floor was set, failing now: ${lost.join(', ') || 'none'}\n` +
      `(details: npm run bench:conversations -- --failures)\n\n${markdownTable(summary, run.results)}`,
  );
});
