/**
 * Kana helpers for name search: one script for kana (customers and stores mix ひらがな and
 * カタカナ), and kana → Hepburn romaji through wanakana, so "きめつのやいば" meets the romaji
 * title "Kimetsu no Yaiba".
 */
import { toKatakana, toRomaji } from 'wanakana';
import { foldRomaji } from './normalize.ts';

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

// Short English words whose katakana is not what their spelling suggests.
// "love" is ラブ in every title that has it (ラブライブ, To LOVEる -とらぶる-), not what its spelling suggests.
const LOAN_WORDS: Record<string, string> = { one: 'wan', the: 'za', of: 'obu', and: 'ando', a: 'a', to: 'tsu', you: 'yu', my: 'mai', i: 'ai', love: 'rabu' };

/** Short words written two ways in katakana: "to" is トゥ (To Your Eternity) or ト (To LOVEる, トラブル). */
export const LOAN_ALTERNATIVES: Record<string, string> = { to: 'to' };
const ROMAJI_WORD = /^(?:[aeiou]|(?:[kgsztdnhbpmr]y?|sh|ch|j|ts|f|w|y)[aeiou]|n|([kgsztdhbpmcfj])(?=\1))+$/;

/** True when a (lower-case, unfolded) word reads as Hepburn romaji: "kimetsu" is, "soul" is not. */
export function isRomajiWord(word: string): boolean {
  return ROMAJI_WORD.test(word);
}

/**
 * How an English word is written in katakana, as romaji: "soul" → "souru" (ソウル), "eater" →
 * "iitaa" (イーター), "king" → "kingu", "black" → "burakku", "hunter" → "hantaa". Rules of thumb
 * for loanwords, not a pronouncing dictionary: close enough for a one-edit match against the
 * romaji of what a customer typed in katakana (ソウルイーター → Soul Eater).
 */
export function loanwordRomaji(word: string): string {
  const known = LOAN_WORDS[word];
  if (known !== undefined) return known;
  let w = word.replace(/[^a-z]/g, '');
  w = w.replace(/ph/g, 'f').replace(/th/g, 's').replace(/gh/g, '').replace(/wh/g, 'w').replace(/ck/g, 'kk').replace(/qu/g, 'kw').replace(/x/g, 'ks');
  w = w.replace(/c(?=[eiy])/g, 's').replace(/c(?!h)/g, 'k');
  // A doubled consonant that is not a stop is one sound: hellsing ヘルシング, summer サマー.
  w = w.replace(/([lrmnsfzv])\1/g, '$1');
  // A silent p before s (psycho サイコ), and the r-vowels katakana writes its own way: air エア
  // (air gear エアギア), ear イア (gear ギア), -ire アイア (fire ファイア), or before a consonant オー
  // (force フォース, storm ストーム) — before the rule below makes them all a long "a".
  // (Written in capitals, which the vowel rules below leave alone, and lowered before the morae.)
  w = w.replace(/^ps/, 's').replace(/air(?![aeiou])/g, 'EA').replace(/(?<!^y?)ear(?![aeiou])/g, 'IA').replace(/ire(?![aeiou])/g, 'AIA').replace(/(?<!w)or(?=[^aeiouy])/g, 'OO');
  // A y between consonants after the first one is an "ai": psyren サイレン, hyper ハイパー.
  w = w.replace(/^([^aeiouyA-Z]{1,2})y(?=[^aeiouy][aeiou])/, '$1AI');
  // ...and so is an i before another vowel in the first syllable: liar ライアー (Liar Game), lion ライオン,
  // giant ジャイアント, dial ダイヤル, trial トライアル, violet バイオレット, diamond ダイヤモンド.
  w = w.replace(/^([^aeiouyA-Z]{1,2})i(?=[ao])/, '$1AI');
  // -er, -ar, -or ... before a consonant or at the end are a long "a": hunter ハンター, star スター.
  w = w.replace(/[aeiou]+r(?=[^aeiouy]|$)/g, 'aa');
  w = w.replace(/l/g, 'r').replace(/v/g, 'b');
  w = w.replace(/ee|ea|ie/g, 'ii').replace(/oo/g, 'uu').replace(/ou/g, 'o').replace(/ai|ay|ei|ey/g, 'ei').replace(/oa/g, 'oo').replace(/ue$/, 'uu').replace(/ow$/, 'oo');
  // A short u between consonants is an "a": punch パンチ, dunk ダンク.
  w = w.replace(/u(?=[^aeiouy]{2}|[^aeiouy]$)/g, 'a');
  // A silent final e lengthens the vowel before it: stone ストーン, time タイム, make メイク.
  w = w.replace(/a([^aeiou])e$/, 'ei$1').replace(/i([^aeiou])e$/, 'ai$1').replace(/o([^aeiou])e$/, 'oo$1').replace(/u([^aeiou])e$/, 'uu$1');
  if (w.length > 2) w = w.replace(/e$/, '');
  w = w.replace(/y$/, 'ii').replace(/y(?![aeiou])/g, 'i');
  w = w.toLowerCase();
  // Every consonant gets a vowel (ト and ド take o, チ and ジ i), except ン and a doubled stop (ッ).
  const units = w.match(/sh|ch|ts|[aeiou]|[^aeiou]/g) ?? [];
  let out = '';
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    out += u;
    if ('aeiou'.includes(u)) continue;
    const next = units[i + 1];
    if (next !== undefined && ('aeiou'.includes(next) || (u === 'y' && next !== 'y'))) continue;
    if (u === 'n') continue;
    if (next === u && 'kptsgbd'.includes(u)) continue;
    out += u === 't' || u === 'd' ? 'o' : u === 'ch' || u === 'j' ? 'i' : 'u';
  }
  return out.replace(/si/g, 'shi').replace(/hu/g, 'fu').replace(/zi/g, 'ji').replace(/tu/g, 'tsu');
}

/** Romaji folded for comparing loanwords: long vowels (as foldRomaji), v as b, フェ/ファ as fe/fa. */
export function loanFold(romaji: string): string {
  return foldRomaji(romaji.replace(/v/g, 'b').replace(/fy(?=[aeiou])|fu(?=[aeiou])/g, 'f'));
}
