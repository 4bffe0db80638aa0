import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsAskedOf } from '../../src/llm/compose/series-facts.ts';

// "how long" on its own beside another fact asked of a series is its length (fixer R, step 8).

test("'how long' on its own, asked of a series beside another fact, asks its length", () => {
  const both = factsAskedOf('Btooom! — who is the author, how long');
  assert.equal(both?.count, true);
  assert.equal(both?.author, true);
  assert.equal(both?.authorFirst, true);
  assert.equal(factsAskedOf('how long? and is it finished?')?.count, true);
  assert.equal(factsAskedOf('is it done, how long and who drew it')?.count, true);
  assert.equal(factsAskedOf('how long is the series?')?.count, true);
  // Not the series' length: how long something else takes.
  assert.equal(factsAskedOf('how long does shipping take?'), undefined);
  assert.equal(factsAskedOf('how long until it ships?'), undefined);
  assert.equal(factsAskedOf('how long will delivery take?'), undefined);
});
