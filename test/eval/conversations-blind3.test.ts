/**
 * The third held-out set (data/eval/conversations/blind3-*.jsonl), written without reading the
 * main suite or either earlier held-out set once the fixers had tuned against the second one: a
 * fresh measure of how far the fixes generalise, against the real service on the shipped catalog
 * and after importing the MyAnimeList CSV. Held to its own floor (blind3-floor.json), apart from
 * the other three. Raise it with `npm run bench:conversations -- --set blind3 --raise-floor` once
 * the product is better; never lower it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { playSuite, MAL_CSV } from '../../bench/conversations/player.ts';
import { BLIND3_FLOOR_FILE, belowFloor, markdownTable, readFloor, summarize } from '../../bench/conversations/report.ts';
import { KINDS, SUITE_DIR, loadConversations } from '../../bench/conversations/suite.ts';

test('the third held-out conversations are at least as correct as their own floor says', async () => {
  assert.ok(existsSync(MAL_CSV), `the MyAnimeList export is missing: expected it at ${MAL_CSV}`);
  const conversations = loadConversations(SUITE_DIR, 'blind3');
  const others = new Set(
    [...loadConversations(SUITE_DIR, 'main'), ...loadConversations(SUITE_DIR, 'holdout'), ...loadConversations(SUITE_DIR, 'blind2')].map((c) => c.id),
  );
  const count = (pred: (c: (typeof conversations)[number]) => boolean) => conversations.filter(pred).length;
  // The set itself: apart from the other three, half Japanese, both catalogs, signed in too, mostly multi-turn, every kind.
  assert.deepEqual(conversations.filter((c) => others.has(c.id)).map((c) => c.id), [], 'a blind3 conversation id is also in the main, held-out or blind2 set');
  assert.ok(conversations.every((c) => c.id.startsWith('b3-')), 'blind3 conversation ids start with b3-');
  assert.ok(conversations.length >= 150, `only ${conversations.length} blind3 conversations`);
  assert.ok(count((c) => c.language === 'ja') >= conversations.length * 0.45, 'fewer than 45 % of the blind3 conversations are in Japanese');
  assert.ok(count((c) => c.catalog === 'imported') >= conversations.length * 0.3, 'fewer than 30 % of the blind3 conversations use the imported catalog');
  assert.ok(count((c) => c.turns.length > 1) >= conversations.length * 0.8, 'fewer than 80 % of the blind3 conversations have several turns');
  assert.ok(count((c) => c.customer !== 'guest') >= conversations.length * 0.2, 'fewer than 20 % of the blind3 conversations are signed in');
  for (const kind of KINDS) assert.ok(count((c) => c.kind === kind) > 0, `no blind3 conversation of kind ${kind}`);

  const floor = readFloor(BLIND3_FLOOR_FILE);
  assert.ok(floor, 'data/eval/conversations/blind3-floor.json is missing: run npm run bench:conversations -- --set blind3 --raise-floor');
  const run = await playSuite(conversations);
  const summary = summarize(run.results);
  const below = belowFloor(summary, floor);
  const lost = floor.passing.filter((id) => !run.results.find((r) => r.id === id)?.ok);
  assert.deepEqual(
    below,
    [],
    `${below.join('\n')}\nCorrect when the floor was set, failing now: ${lost.join(', ') || 'none'}\n` +
      `(details: npm run bench:conversations -- --set blind3 --failures)\n\n${markdownTable(summary, run.results)}`,
  );
});
