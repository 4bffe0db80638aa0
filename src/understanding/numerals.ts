// Number words as customers type them: "three", "twenty six", "one hundred and eight",
// "twenty-sixth", 三, 十二, 百八, full-width １３.
// Hand-written: the npm number-word parsers are English-only and the kanji ones pull in whole
// Japanese NLP stacks; volumes, counts and ordinals only need 0..999.

const EN_UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const EN_TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const EN_UNIT_ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
  tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16,
  seventeenth: 17, eighteenth: 18, nineteenth: 19,
};
const EN_TENS_ORDINALS: Record<string, number> = {
  twentieth: 20, thirtieth: 30, fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80, ninetieth: 90,
};

const alt = (words: Record<string, number>) => Object.keys(words).sort((a, b) => b.length - a.length).join('|');
const UNIT = `(?:${alt(EN_UNITS)})`;
const TENS = `(?:${alt(EN_TENS)})`;
const SEP = `[\\s-]+`;
// Below a hundred: "twenty six", "twenty-six", "thirteen", "forty".
const UNDER_100 = `(?:${TENS}(?:${SEP}${UNIT})?|${UNIT})`;
// "one hundred and eight", "a hundred eight", "hundred and twelve"; "one oh eight" is not read.
const HUNDREDS = `(?:(?:(?:a|one|${UNIT})${SEP})?hundred(?:${SEP}(?:and${SEP})?${UNDER_100})?)`;
const UNIT_ORD = `(?:${alt(EN_UNIT_ORDINALS)})`;
const TENS_ORD = `(?:${alt(EN_TENS_ORDINALS)})`;
const UNDER_100_ORD = `(?:${TENS}${SEP}${UNIT_ORD}|${TENS_ORD}|${UNIT_ORD})`;
const HUNDREDS_ORD = `(?:(?:(?:a|one|${UNIT})${SEP})?hundred(?:${SEP}(?:and${SEP})?${UNDER_100_ORD}|th))`;

/**
 * Regex source of an English cardinal, words or 1-3 digits ("13", "thirteen", "twenty six",
 * "one hundred and eight"); no groups of its own, no word boundaries (the caller adds them).
 */
export const EN_CARDINAL = `(?:\\d{1,3}|${HUNDREDS}|${UNDER_100})`;

/** Regex source of an English ordinal: "13th", "2nd", "thirteenth", "twenty-sixth", "one hundred and eighth". */
export const EN_ORDINAL = `(?:\\d{1,3}(?:st|nd|rd|th)|${HUNDREDS_ORD}|${UNDER_100_ORD})`;

/** English cardinal words (units and tens), for patterns that need the single words. */
export const EN_CARDINAL_WORDS = [...Object.keys(EN_UNITS), ...Object.keys(EN_TENS)];

/** English ordinal words (units and tens), for patterns that need the single words. */
export const EN_ORDINAL_WORDS = [...Object.keys(EN_UNIT_ORDINALS), ...Object.keys(EN_TENS_ORDINALS)];

const WHOLE_CARDINAL = new RegExp(`^${EN_CARDINAL}$`);
const WHOLE_ORDINAL = new RegExp(`^${EN_ORDINAL}$`);

/** Value of number words that are known to be well-formed; ordinal words count as their cardinal. */
function valueOf(words: string[]): number {
  let total = 0;
  let current = 0;
  for (const w of words) {
    if (w === 'and') continue;
    if (w === 'a') current = Math.max(current, 1);
    else if (w === 'hundred' || w === 'hundredth') {
      total += (current || 1) * 100;
      current = 0;
    } else current += EN_UNITS[w] ?? EN_TENS[w] ?? EN_UNIT_ORDINALS[w] ?? EN_TENS_ORDINALS[w] ?? 0;
  }
  return total + current;
}

/** Parses "three", "twenty one"/"twenty-one", "one hundred and eight" or digits; undefined when not a number. */
export function parseEnglishCardinal(phrase: string): number | undefined {
  const w = phrase.toLowerCase().trim();
  if (/^\d+$/.test(w)) return Number(w);
  if (!WHOLE_CARDINAL.test(w)) return undefined;
  return valueOf(w.split(/[\s-]+/));
}

/** Parses "second", "2nd", "12th", "twenty-sixth", "one hundred and eighth"; undefined when not an ordinal. */
export function parseEnglishOrdinal(phrase: string): number | undefined {
  const w = phrase.toLowerCase().trim();
  const m = /^(\d+)(?:st|nd|rd|th)$/.exec(w);
  if (m) return Number(m[1]);
  if (!WHOLE_ORDINAL.test(w)) return undefined;
  return valueOf(w.split(/[\s-]+/));
}

const KANJI_DIGITS: Record<string, number> = {
  〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** Characters that may appear in a kanji numeral, for building regexes. */
export const KANJI_NUMERAL_CLASS = '〇零一二三四五六七八九十百';

/** Parses a kanji numeral up to 999 (三, 十二, 二十六, 百八, 一〇八) or ASCII digits; undefined otherwise. */
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

// Spelled-out numbers where they count something: after a volume word ("volume twenty six", "vol.
// thirteen"), before one ("thirteen volumes", "the twenty-sixth volume"), or standing alone in a
// correction ("thirteen, not thirty"). Elsewhere words stay words: "one piece", "the second one".
const EN_VOLUME_WORD = `(?:vol(?:ume)?s?\\.?|v\\.|books?|tomes?|#)`;
const EN_AFTER_VOLUME_WORD = new RegExp(`(\\b${EN_VOLUME_WORD}\\s*)(${EN_CARDINAL})\\b`, 'g');
const EN_ORDINAL_BEFORE_VOLUME = new RegExp(`\\b(${EN_ORDINAL})(\\s+(?:vol(?:ume)?s?|books?|tankobons?)\\b)`, 'g');
const EN_CARDINAL_BEFORE_VOLUMES = new RegExp(`\\b(${EN_CARDINAL})(\\s+(?:vol(?:ume)?s|books|tankobons)\\b)`, 'g');
// "thirteen, not thirty", "not thirty, thirteen", "I meant thirteen": number words set off by a
// correction are volume numbers too (the volume word was in the sentence before, or earlier in this one).
const EN_CORRECTING = new RegExp(`(\\b(?:not|no|meant|mean|sorry|actually|instead of|rather than|make that|correction)[\\s,:]+)(${EN_CARDINAL})\\b(?=\\s*(?:$|[,.!?;)]|please|pls|i mean|sorry|lol|thanks|not\\b|instead\\b|but\\b))`, 'g');
const EN_BEFORE_NOT = new RegExp(`\\b(${EN_CARDINAL})(?=\\s*,?\\s*(?:not|instead of|rather than)\\s+(?:\\d{1,3}|${EN_CARDINAL})\\b)`, 'g');
const EN_AFTER_NOT = new RegExp(`(\\b(?:not|instead of|rather than)\\s+(?:\\d{1,3}|${EN_CARDINAL})\\s*[,;]?\\s*(?:but\\s+|i mean\\s+|it'?s\\s+)?)(${EN_CARDINAL})\\b`, 'g');
const KANJI_BEFORE_COUNTER = new RegExp(`([${KANJI_NUMERAL_CLASS}]+)(?=\\s*(?:巻|冊|つ目|番目))`, 'g');
const CHEAP_ENGLISH = new RegExp(`${Object.keys(EN_UNITS).join('|')}|${Object.keys(EN_TENS).join('|')}|hundred|teen|tieth|first|second|third|fifth|eighth|ninth|twelfth`);

// A digit followed by かん, not the start of another word (完結 かんけつ, 漢字 かんじ, 完全 かんぜん, 関連 かんれん, 感想 かんそう).
const KANA_VOLUME_COUNTER = /(\d{1,3})\s*かん(?!けつ|じ|ぜん|れん|そう|たん|どう|こう|がえ|けい)/g;

/**
 * The text with volume numbers and counts written as digits: full-width digits folded (１３ → 13),
 * kanji numerals before a counter (十三巻 → 13巻, 二十六冊 → 26冊) and English number words in a
 * volume phrase ("volume twenty six" → "volume 26", "twenty-sixth volume" → "26th volume",
 * "thirteen, not thirty" → "13, not 30"). Other words are left alone ("one piece", "the second one").
 */
export function numbersAsDigits(text: string): string {
  let t = /[０-９]/.test(text) ? text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)) : text;
  // The volume counter typed in kana (「3かん」, 「じゅうさんかん」 is left to the kanji reading): 巻.
  if (t.includes('かん')) t = t.replace(KANA_VOLUME_COUNTER, '$1巻');
  if (/[〇零一二三四五六七八九十百]/.test(t)) t = t.replace(KANJI_BEFORE_COUNTER, (k) => String(parseJapaneseNumber(k) ?? k));
  const lower = t.toLowerCase();
  if (!CHEAP_ENGLISH.test(lower)) return t;
  // Replacements keep the text's case around them: the patterns run on a lower-cased copy and
  // splice into the original at the same indices (number words are ASCII, so lengths agree).
  const spans: Array<[number, number, string]> = [];
  const collect = (re: RegExp, group: number, render: (n: number) => string, parse: (s: string) => number | undefined) => {
    re.lastIndex = 0;
    for (const m of lower.matchAll(re)) {
      const g = m[group];
      if (g === undefined || /^\d/.test(g)) continue;
      const start = m.index + m[0].indexOf(g, group > 1 ? m[1]?.length ?? 0 : 0);
      const n = parse(g);
      if (n !== undefined && !spans.some(([s, e]) => start < e && start + g.length > s)) spans.push([start, start + g.length, render(n)]);
    }
  };
  collect(EN_AFTER_VOLUME_WORD, 2, String, parseEnglishCardinal);
  collect(EN_ORDINAL_BEFORE_VOLUME, 1, (n) => `${n}${ordinalSuffix(n)}`, parseEnglishOrdinal);
  collect(EN_CARDINAL_BEFORE_VOLUMES, 1, String, parseEnglishCardinal);
  if (/\b(?:vol|volume|book|#|not|meant|mean|sorry|actually|instead|rather|correction)/.test(lower)) {
    collect(EN_CORRECTING, 2, String, parseEnglishCardinal);
    collect(EN_BEFORE_NOT, 1, String, parseEnglishCardinal);
    collect(EN_AFTER_NOT, 2, String, parseEnglishCardinal);
  }
  if (spans.length === 0) return t;
  spans.sort((a, b) => b[0] - a[0]);
  for (const [start, end, digits] of spans) t = t.slice(0, start) + digits + t.slice(end);
  return t;
}

function ordinalSuffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}
