import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGuardrails } from '../../src/guardrails/guardrails.ts';
import type { Audience } from '../../src/guardrails/types.ts';

const guest: Audience = { language: 'en', kind: 'guest' };

// An abuse phrase's words in two clauses is no threat: "akame ga kill - you have it now?" (fixer R, step 8).

test('a threat phrase split by a clause break is not the phrase; letters split apart still are', () => {
  const g = createGuardrails();
  assert.equal(g.checkInput('akame ga kill - you have it now?', guest).ok, true);
  assert.equal(g.checkInput('akame ga kill, you have it?', guest).ok, true);
  assert.equal(g.checkInput('i will kill you', guest).ok, false);
  assert.equal(g.checkInput('k-i-l-l you', guest).ok, false);
  assert.equal(g.checkInput('k.i.l.l. y.o.u', guest).ok, false);
  assert.equal(g.checkInput('kill-you', guest).ok, false);
});
