/** A preorder asked of as a state, and 「その次」 after a volume (fixer C, step 8; fail on cd8fae5). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractVolumeRef } from '../../src/understanding/constraints.ts';
import { asksToBuy } from '../../src/chat/grounding/purchase.ts';

test('「その次は？」「その次の巻」 ask the next volume; 「その次に何読めばいい？」 asks for a read', () => {
  assert.equal(extractVolumeRef('その次は？'), 'next');
  assert.equal(extractVolumeRef('じゃあその次のは在庫ある？'), 'next');
  assert.equal(extractVolumeRef('その次に何読めばいい？'), undefined);
});

test('a preorder asked of as a state is no request to buy; asked to be made, it is', () => {
  for (const t of ['is Kaiju No. 8 vol 16 out yet or still preorder?', 'is it up for preorder?', 'is vol 17 available for preorder?', 'is that one on preorder?']) assert.ok(!asksToBuy(t), t);
  for (const t of ['can I preorder it?', "I'd like to preorder vol 17", 'preorder it for me please', '予約したいです']) assert.ok(asksToBuy(t), t);
});
