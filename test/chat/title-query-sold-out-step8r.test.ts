import { test } from 'node:test';
import assert from 'node:assert/strict';
import { titleQuery } from '../../src/chat/title-query.ts';

// Which volumes are sold out, asked with the title: the sold-out words are no part of it (fixer R, step 8).

test('「Xで在庫切れの巻ってある？」 and the like search the title alone', () => {
  assert.equal(titleQuery('フリーレンで在庫切れの巻ってある？'), 'フリーレン');
  assert.equal(titleQuery('フリーレンの在庫切れの巻ってある？'), 'フリーレン');
  assert.equal(titleQuery('ワンピースで品切れになってる巻は？'), 'ワンピース');
  assert.equal(titleQuery('呪術廻戦の売り切れの巻ある？'), '呪術廻戦');
  assert.equal(titleQuery('ベルセルクの在庫は？'), 'ベルセルク');
});
