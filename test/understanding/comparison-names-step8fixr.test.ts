// Two titles weighed in words the cut did not read (fixer fixR, step 8; blind8 b8-impor-ja-219, blind7
// b7-cmp-en-imp-erased-another): the same author asked noun first (「作者同じ？」), and a title that is an
// everyday word, capitalised where no sentence starts ("compare Erased and Another").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonParts } from '../../src/understanding/comparison.ts';

const names = (t: string) => comparisonParts(t)?.map((p) => p.text);

test('the same author asked noun first compares the titles before it', () => {
  assert.deepEqual(names('ディーグレイマンとパンドラハーツ、作者同じ？'), ['ディーグレイマン', 'パンドラハーツ']);
  assert.deepEqual(names('鋼の錬金術師と銀の匙って作者一緒？'), ['鋼の錬金術師', '銀の匙']);
  assert.deepEqual(names('ナルトとボルトは描いてる人同じ？'), ['ナルト', 'ボルト']);
});

test('an everyday word capitalised mid-sentence is a title to compare', () => {
  assert.deepEqual(names('compare Erased and Another for me — authors and how many volumes'), ['erased', 'another']);
  assert.deepEqual(names('Erased or Another, which is shorter?'), ['erased', 'another']);
  assert.deepEqual(names('Is Erased finished? And Another?'), ['erased', 'another']);
  // Lower case, it is the everyday word: no second title.
  assert.equal(names('is it finished or still going?'), undefined);
  assert.equal(names('is it finished or Still going?'), undefined);
});
