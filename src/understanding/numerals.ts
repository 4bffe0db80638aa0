// Number words as customers type them: "three", "twelfth", 三, 十二, 百八.
// Hand-written: the npm number-word parsers are English-only and the kanji ones pull in whole
// Japanese NLP stacks; volumes and ordinals only need 1..999.

const EN_CARDINALS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50,
};

const EN_ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
  tenth: 10, eleventh: 11, twelfth: 12,
};

/** English cardinal words that `parseEnglishCardinal` understands, for building regexes. */
export const EN_CARDINAL_WORDS = Object.keys(EN_CARDINALS);

/** English ordinal words that `parseEnglishOrdinal` understands, for building regexes. */
export const EN_ORDINAL_WORDS = Object.keys(EN_ORDINALS);

/** Parses "three", "twenty one"/"twenty-one" or digits; undefined when not a number. */
export function parseEnglishCardinal(word: string): number | undefined {
  const w = word.toLowerCase().trim();
  if (/^\d+$/.test(w)) return Number(w);
  const parts = w.split(/[\s-]+/);
  let total = 0;
  for (const p of parts) {
    const v = EN_CARDINALS[p];
    if (v === undefined) return undefined;
    total += v;
  }
  return parts.length > 0 ? total : undefined;
}

/** Parses "second", "2nd", "12th"; undefined when not an ordinal. */
export function parseEnglishOrdinal(word: string): number | undefined {
  const w = word.toLowerCase().trim();
  const m = /^(\d+)(?:st|nd|rd|th)$/.exec(w);
  if (m) return Number(m[1]);
  return EN_ORDINALS[w];
}

const KANJI_DIGITS: Record<string, number> = {
  〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** Characters that may appear in a kanji numeral, for building regexes. */
export const KANJI_NUMERAL_CLASS = '〇零一二三四五六七八九十百';

/** Parses a kanji numeral up to 999 (三, 十二, 二十, 百八) or ASCII digits; undefined otherwise. */
export function parseJapaneseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (!text) return undefined;
  let total = 0;
  let digit = -1; // the pending digit before a 十/百 multiplier, -1 when none
  for (const ch of text) {
    if (ch === '百' || ch === '十') {
      const unit = ch === '百' ? 100 : 10;
      total += (digit < 0 ? 1 : digit) * unit;
      digit = -1;
    } else if (ch in KANJI_DIGITS) {
      // Positional form ("一〇八") as well as the usual multiplier form.
      digit = digit < 0 ? KANJI_DIGITS[ch] : digit * 10 + KANJI_DIGITS[ch];
    } else {
      return undefined;
    }
  }
  return total + (digit < 0 ? 0 : digit);
}

const KANA_COUNTERS: Record<string, number> = {
  ひと: 1, ふた: 2, みっ: 3, よっ: 4, いつ: 5, むっ: 6, なな: 7, やっ: 8, ここの: 9,
};

/** Parses the native counter stems of "ひとつ目", "ふたつめ", "みっつ目"; undefined otherwise. */
export function parseKanaCounter(stem: string): number | undefined {
  return KANA_COUNTERS[stem];
}

/** Kana counter stems that `parseKanaCounter` understands, for building regexes. */
export const KANA_COUNTER_STEMS = Object.keys(KANA_COUNTERS);
