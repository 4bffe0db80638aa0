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

test('the reply language follows the words around catalog names, not the script of a title', async () => {
  const { readFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const { createIntentClassifier, loadIntentDataset } = await import('../../src/understanding/classifier.ts');
  const { parseJsonlCatalog } = await import('../../src/catalog/jsonl.ts');
  const shipped = parseJsonlCatalog(readFileSync(fileURLToPath(new URL('../../data/catalog/series.jsonl', import.meta.url)), 'utf8')).series;
  const { train } = loadIntentDataset(fileURLToPath(new URL('../../data/intents', import.meta.url)));
  const classifier = createIntentClassifier(train, { series: shipped, epochs: 1 });
  const english = [
    '進撃の巨人 vol 7 price pls',
    'Do you carry 葬送のフリーレン?',
    'is ワンピース 108 in stock?',
    'how much is チェンソーマン volume 3',
    'my friend recommended 呪術廻戦, what is it about?',
    '鬼滅の刃 or 呪術廻戦, which one is longer?',
    'any deals on スラムダンク right now',
  ];
  for (const t of english) assert.equal(classifier.language(t), 'en', t);
  const japanese = [
    'Chainsaw Manの12巻ありますか',
    'ONE PIECEの最新刊は？',
    'Frieren在庫ある？',
    'SPY×FAMILYって完結してますか',
    'Naruto 在庫',
    // A bare title is judged by the title itself.
    '葬送のフリーレン',
    '進撃の巨人 7',
  ];
  for (const t of japanese) assert.equal(classifier.language(t), 'ja', t);
  assert.equal(classifier.language('Berserk'), 'en');
  assert.equal(classifier.classify('進撃の巨人 vol 7 price pls').language, 'en');
});

test('a request to be answered in a language, in either language; a question about an edition is none', async () => {
  const { languageRequest, preferredLanguage } = await import('../../src/understanding/language.ts');
  const ja = ['can you answer in Japanese from now on?', 'Could you reply in japanese pls', 'switch to Japanese', 'Japanese please', 'I can\'t read English', '日本語でお願いします', '日本語に切り替えてください', '英語わからないです', 'これからは日本語で答えてもらえますか', 'in japanese please'];
  for (const t of ja) assert.equal(languageRequest(t), 'ja', t);
  const en = ['ok can we do this in english?', 'English please', 'please answer in english', 'do you speak english?', 'ok switch back to English please', '英語で答えて', '英語でお願いできますか', 'Englishでお願い', '日本語が読めないので'];
  for (const t of en) assert.equal(languageRequest(t), 'en', t);
  const none = ['Do you have AOT in English?', 'is it available in English?', 'do you have the english edition of frieren?', 'Do you have One Piece in English please?', '英語版はありますか', '英語で読みたい', 'is the digital edition in japanese?', 'how much is one piece 3?'];
  for (const t of none) assert.equal(languageRequest(t), undefined, t);
  // Kept by the answers after it: the latest recorded wins, and nothing recorded is no preference.
  assert.equal(preferredLanguage([{ role: 'user' }, { role: 'assistant', about: { replyLanguage: 'ja' } }, { role: 'user' }, { role: 'assistant' }]), 'ja');
  assert.equal(preferredLanguage([{ role: 'assistant', about: { replyLanguage: 'ja' } }, { role: 'assistant', about: { replyLanguage: 'en' } }]), 'en');
  assert.equal(preferredLanguage([{ role: 'assistant', about: {} }]), undefined);
});
