import type { Language } from './types.ts';

// Script ranges. Hand-written because the question is only "which script dominates", which a
// general language-ID library (trained on long prose) answers worse for short mixed chat lines
// such as "ワンピースの108巻 price?".
const KANA = /[\u3040-\u309f\u30a0-\u30ff\uff66-\uff9f]/u;
const KANJI = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;
const LATIN_LETTER = /[A-Za-z\uff21-\uff3a\uff41-\uff5a]/gu;

/** Detects Japanese vs English from the script: any kana means Japanese, else kanji-heavy means Japanese, else English. */
export function detectLanguage(text: string): Language {
  // A single kana is decisive: English customers do not type kana, while Japanese customers
  // routinely mix in English titles and words.
  if (KANA.test(text)) return 'ja';
  const kanji = text.match(KANJI)?.length ?? 0;
  if (kanji === 0) return 'en';
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  // Kanji-only lines ("鬼滅 在庫") are Japanese; a lone kanji title in an English sentence is
  // not. One kanji carries roughly a word's meaning, so weigh it like ~3 Latin letters.
  return kanji * 3 >= latin ? 'ja' : 'en';
}
