import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguage } from '../../src/understanding/language.ts';

test('Japanese when the text has any kana', () => {
  for (const t of ['鬼滅の刃ありますか', 'ワンピースの108巻 price?', 'Frierenありますか', 'ｶﾀｶﾅ', 'すごい']) {
    assert.equal(detectLanguage(t), 'ja', t);
  }
});

test('Japanese for kanji-heavy text without kana', () => {
  for (const t of ['鬼滅 在庫', '呪術廻戦', '進撃の巨人 vol 3'.replace('の', ' ')]) assert.equal(detectLanguage(t), 'ja', t);
});

test('English for Latin text, romaji, and a lone kanji inside an English sentence', () => {
  for (const t of ['do you have Frieren?', 'kimetsu no yaiba arimasu ka', 'how much is 鬼 vol 1 in the shop?', '', '123', '👍']) {
    assert.equal(detectLanguage(t), 'en', t);
  }
});
