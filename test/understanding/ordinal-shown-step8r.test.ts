import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractOrdinal } from '../../src/understanding/entities.ts';

// The first of a list shown, pointed at by its showing (fixer R, step 8).

test('"the one that came up first" points at the first title shown, in both languages', () => {
  assert.equal(extractOrdinal('最初に出てきたやつの1巻は在庫ある？'), 1);
  assert.equal(extractOrdinal('最初に紹介してくれた作品の値段は？'), 1);
  assert.equal(extractOrdinal('はじめに挙げてくれたのって完結してる？'), 1);
  assert.equal(extractOrdinal('is the one you mentioned first in stock?'), 1);
  assert.equal(extractOrdinal('the one you listed first, how much is vol 1?'), 1);
  // The first volume released is no title of a list.
  assert.equal(extractOrdinal('最初に出た巻はいくら？'), undefined);
  assert.equal(extractOrdinal('最初の巻はいくら？'), undefined);
});
