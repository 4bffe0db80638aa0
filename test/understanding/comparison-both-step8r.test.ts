import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonParts } from '../../src/understanding/comparison.ts';

// 「AとBはどっちも…？」 names A and B; どっちも ('both') and a later 「連載状況も」 name no title (fixer R, step 8).

const names = (t: string) => comparisonParts(t)?.map((p) => p.text);

test('どっちも／どちらも after two names is "both", and a later sentence naming only a fact is no title', () => {
  assert.deepEqual(names('キングダムとバガボンドはどっちも青年？連載状況も'), ['キングダム', 'バガボンド']);
  assert.deepEqual(names('キングダムとバガボンド、どちらも青年ですか？連載状況も教えて'), ['キングダム', 'バガボンド']);
  assert.deepEqual(names('進撃の巨人とキングダムはどちらも青年？作者も'), ['進撃の巨人', 'キングダム']);
  // Unchanged: both named with も, and a title asked about again in a sentence of its own.
  assert.deepEqual(names('ワンピースもナルトも完結してる？'), ['ワンピース', 'ナルト']);
  assert.deepEqual(names('ナルトって完結してる？ブリーチは？'), ['ナルト', 'ブリーチ']);
  assert.deepEqual(names('ワンピースは何巻？ナルトも？'), ['ワンピース', 'ナルト']);
});
