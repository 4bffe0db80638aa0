// "10 volumes or fewer" is a bound, no choice between titles; "not Junji Ito tho, I've read all of
// his" rules the author out and asks for no more by him; "same author right?" checks a fact, it asks for
// no picks (fixer recommendations, step 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonParts } from '../../src/understanding/comparison.ts';
import { extractEntities } from '../../src/understanding/entities.ts';
import { asksSameAuthor } from '../../src/understanding/constraints.ts';

test('a bound on a number joined by "or" is no comparison', () => {
  for (const t of ['short romance, 10 volumes or fewer, finished', 'a horror manga, 5 volumes or less', 'sports manga for ¥3000 or under', 'something 20 volumes or more']) assert.equal(comparisonParts(t), undefined, t);
  assert.equal(comparisonParts('naruto or bleach?')?.length, 2);
});

test('works pointed at after an author ruled out are no title and ask for no more by him', () => {
  const e = extractEntities("want a finished horror manga, 5 volumes max. not Junji Ito tho, I've read all of his", 'en');
  assert.deepEqual(e.excludeQueries, ['junji ito']);
  assert.equal(e.sameAuthor, undefined);
  assert.equal(extractEntities('anything else by him?', 'en').sameAuthor, true);
  assert.equal(extractEntities('other works by her please', 'en').sameAuthor, true);
});

test('a fact checked about the same author is no request for more by them', () => {
  for (const t of ['hmm actually maybe mob psycho 100 instead, same author right? vol 1 price', 'is it by the same author?', '鋼の錬金術師と銀の匙って同じ作者だよね？']) assert.equal(asksSameAuthor(t), false, t);
  for (const t of ['anything by the same author?', 'more by the same author please', '同じ作者の他の作品ある？', 'what else did he write']) assert.equal(asksSameAuthor(t), true, t);
});
