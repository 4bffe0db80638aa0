import { test } from 'node:test';
import assert from 'node:assert/strict';
import { titleQuery } from '../../src/chat/title-query.ts';

test('a correction before the title meant is no part of the title: "ah forget that. I meant Mushishi"', () => {
  assert.equal(titleQuery('ah forget that. I meant Mushishi'), 'Mushishi');
  assert.equal(titleQuery('oops sorry, I meant Dungeon Meshi'), 'Dungeon Meshi');
  assert.equal(titleQuery('never mind, nvm. Mushishi?'), 'Mushishi');
  // A correction of a volume number, not of the title, leaves the title.
  assert.equal(titleQuery('sorry, I meant Mushishi vol 3'), 'Mushishi');
});
