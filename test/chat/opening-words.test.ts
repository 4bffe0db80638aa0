import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutOpening } from '../../src/chat/understand.ts';

test('a correction or greeting opening a message is a whole word, never the start of a title', () => {
  // Titles that begin like "no", "oh", "ah", "wait" — typed right or with a typo — are left whole.
  for (const t of ['Noragmi', 'Noragami', 'Nodame Cantabile', 'Ahiru no Sora', 'Ohikkoshi', 'Waitress', 'Heyy Nodame', 'Nonnonbiyori']) {
    assert.equal(withoutOpening(t).toLowerCase().replace(/^heyy /, ''), t.toLowerCase().replace(/^heyy /, ''), t);
  }
  // Real openings are still taken away.
  assert.equal(withoutOpening('no, I meant Mushishi'), 'Mushishi');
  assert.equal(withoutOpening('oh sorry, I meant Dungeon Meshi'), 'Dungeon Meshi');
  assert.equal(withoutOpening('ah forget that. I meant Noragami'), 'Noragami');
  assert.equal(withoutOpening("thanks! do you have Nichijou?"), 'do you have Nichijou?');
  assert.equal(withoutOpening('nope, it was Nodame Cantabile'), 'Nodame Cantabile');
});
