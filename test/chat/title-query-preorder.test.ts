/** Whether a volume can be preordered, ordered or held, asked beside a title: no part of the title searched (fixer C, step 8; fails on a2c6d1b). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { titleSearch } from '../../src/chat/title-query.ts';

test('「…って予約できる？」「予約可能ですか」「取り置きできますか」 beside a title are not searched with it', () => {
  const cases: [string, string][] = [
    ['チェンソーマン17巻って予約できる?いつ出る?', 'チェンソーマン'],
    ['ダンダダンは予約可能ですか', 'ダンダダン'],
    ['薬屋の新刊、取り置きできますか', '薬屋'],
    ['葬送のフリーレン15巻予約できる？', '葬送のフリーレン'],
  ];
  for (const [text, query] of cases) assert.equal(titleSearch(text).query, query, text);
});
