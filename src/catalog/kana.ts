/**
 * Kana helpers for name search: one script for kana (customers and stores mix ひらがな and
 * カタカナ), and kana → Hepburn romaji through wanakana, so "きめつのやいば" meets the romaji
 * title "Kimetsu no Yaiba".
 */
import { toKatakana, toRomaji } from 'wanakana';

const KATAKANA = /[\u30a1-\u30f6]/g;
const KANA_ONLY = /^[\u3041-\u3096\u30a1-\u30fa\u30fc\u309d\u309e\u30fd\u30fe]+$/;

/** Katakana folded to hiragana (ワンピース → わんぴーす); everything else unchanged. */
export function foldKana(text: string): string {
  return text.replace(KATAKANA, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/** True when the text is made only of kana and the long-vowel mark (no kanji, no Latin, no spaces). */
export function isKanaOnly(text: string): boolean {
  return KANA_ONLY.test(text);
}

/**
 * Hepburn romaji of a kana string, lower case, without the apostrophe wanakana puts after a
 * syllabic n (しんおう → shinou). Converted from katakana so the long-vowel mark becomes a
 * repeated vowel (ちぇんそーまん → chensooman) rather than a hyphen.
 */
export function kanaToRomaji(kana: string): string {
  return toRomaji(toKatakana(kana)).toLowerCase().replace(/['\-]/g, '');
}
