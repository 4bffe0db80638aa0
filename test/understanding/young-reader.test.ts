import { test } from 'node:test';
import assert from 'node:assert/strict';
import { youngReader } from '../../src/understanding/young-reader.ts';
import { createVocabulary } from '../../src/recommendations/vocabulary.ts';

// A request for a child of ten or under gets children's series first (grounding/recommendations.ts).

test('a reader of ten or under, by an age or a young school stage, in both languages', () => {
  for (const t of ['recommend manga for my 7 year old', 'any manga for a 6 year old girl?', 'my son is 8, what should he read?', 'something for a 9yo', '子供向けのおすすめある？うちの子8歳なんだけど', '小学生の息子におすすめの漫画ある？', '幼稚園の娘に読み聞かせできる漫画', '小3の子に', 'for my little kids', 'for a first grader']) {
    assert.ok(youngReader(t), t);
  }
  for (const t of ['manga for a 12 year old', 'my 11 year old loves sports', '中学生の息子におすすめ', '小学校高学年の娘に', 'recommend something for kids', 'manga for teens', "I'm 25"]) assert.ok(!youngReader(t), t);
});

test("the catalog's own name for the Kids demographic is the canonical one (shipped writes Kids, the import Kodomomuke)", () => {
  const resolve = createVocabulary({ genres: [], themes: [], demographics: ['Kids', 'Shounen'] });
  assert.deepEqual(resolve('Kids'), { kind: 'demographic', name: 'Kodomomuke' });
  assert.deepEqual(resolve('Kodomomuke'), { kind: 'demographic', name: 'Kodomomuke' });
  assert.deepEqual(resolve('Shounen'), { kind: 'demographic', name: 'Shounen' });
});
