/**
 * The held-out conversations (data/eval/conversations/holdout-*.jsonl), written after the product
 * was fixed against the main suite and without looking at it, against the real service on the
 * shipped catalog and after importing the MyAnimeList CSV. They measure how far the fixes
 * generalise, so they are held to their own floor (holdout-floor.json), apart from floor.json,
 * until the lead merges the two sets. Raise it with
 * `npm run bench:conversations -- --set holdout --raise-floor` once the product is better.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { playSuite, MAL_CSV } from '../../bench/conversations/player.ts';
import { HOLDOUT_FLOOR_FILE, belowFloor, markdownTable, readFloor, summarize } from '../../bench/conversations/report.ts';
import { KINDS, SUITE_DIR, loadConversations } from '../../bench/conversations/suite.ts';

test('the held-out conversations are at least as correct as their own floor says', async () => {
  assert.ok(existsSync(MAL_CSV), `the MyAnimeList export is missing: expected it at ${MAL_CSV}`);
  const conversations = loadConversations(SUITE_DIR, 'holdout');
  const main = new Set(loadConversations(SUITE_DIR, 'main').map((c) => c.id));
  const count = (pred: (c: (typeof conversations)[number]) => boolean) => conversations.filter(pred).length;
  // The set itself: apart from the main suite, both languages and catalogs, every kind, many multi-turn.
  assert.deepEqual(conversations.filter((c) => main.has(c.id)).map((c) => c.id), [], 'a held-out conversation id is also in the main suite');
  assert.ok(conversations.length >= 120, `only ${conversations.length} held-out conversations`);
  assert.ok(count((c) => c.language === 'ja') >= conversations.length * 0.4, 'fewer than 40 % of the held-out conversations are in Japanese');
  assert.ok(count((c) => c.catalog === 'imported') >= conversations.length * 0.3, 'fewer than 30 % of the held-out conversations use the imported catalog');
  assert.ok(count((c) => c.turns.length > 1) >= conversations.length * 0.4, 'fewer than 40 % of the held-out conversations have several turns');
  assert.ok(count((c) => c.customer !== 'guest') >= conversations.length * 0.2, 'fewer than 20 % of the held-out conversations are signed in');
  for (const kind of KINDS) assert.ok(count((c) => c.kind === kind) > 0, `no held-out conversation of kind ${kind}`);

  const floor = readFloor(HOLDOUT_FLOOR_FILE);
  assert.ok(floor, 'data/eval/conversations/holdout-floor.json is missing: run npm run bench:conversations -- --set holdout --raise-floor');
  const run = await playSuite(conversations);
  const summary = summarize(run.results);
  const below = belowFloor(summary, floor);
  const lost = floor.passing.filter((id) => !run.results.find((r) => r.id === id)?.ok);
  assert.deepEqual(
    below,
    [],
    `${below.join('\n')}\nCorrect when the floor was set, failing now: ${lost.join(', ') || 'none'}\n` +
      `(details: npm run bench:conversations -- --set holdout --failures)\n\n${markdownTable(summary, run.results)}`,
  );
});
