// Entities the lookups need: volume numbers, order numbers, ordinals ("the second one"), and
// genre/theme/demographic words mapped to the catalog's MyAnimeList names.
// Hand-written patterns: the forms are store-specific (MA- order numbers, 巻 counters, kanji
// numerals) and a general NER model would be slower and still miss them.

import { EN_LEXICON, JA_LEXICON } from './genre-lexicon.ts';
import { foldName } from './catalog-names.ts';
import { isTopicWord } from './topics.ts';
import { memoizeText } from '../shared/memo.ts';
import type { LexiconEntry } from './genre-lexicon.ts';
import {
  EN_CARDINAL,
  EN_ORDINAL,
  KANA_COUNTER_STEMS,
  KANJI_NUMERAL_CLASS,
  numbersAsDigits,
  parseEnglishCardinal,
  parseEnglishOrdinal,
  parseJapaneseNumber,
  parseKanaCounter,
} from './numerals.ts';
import {
  asksSameAuthor,
  asksShort,
  asksWholeSeries,
  extractAudience,
  extractAuthorExclusions,
  extractExclusions,
  extractFormat,
  extractLikeQuery,
  asksLighter,
  extractMaxVolumes,
  extractMinVolumes,
  extractStartYears,
  extractStatus,
  extractVolumeRef,
  readerAge,
} from './constraints.ts';
import type { Entities, Language } from './types.ts';

/** Normalises for matching: NFKC turns full-width digits and letters ("３巻", "ＭＡ") into ASCII. */
function normalise(text: string): string {
  // Plain ASCII has nothing for NFKC to fold (most English messages): lower-casing is enough.
  return ASCII.test(text) ? text.toLowerCase() : text.normalize('NFKC').toLowerCase();
}

const ASCII = /^[\x00-\x7f]*$/;

const ORDER_ID = /\bma-?(\d{8})-?(\d{4})\b/;

/** The order number of a message in canonical form (MA-YYYYMMDD-NNNN), if it names one. */
export function extractOrderId(text: string): string | undefined {
  const m = ORDER_ID.exec(normalise(text));
  return m ? `MA-${m[1]}-${m[2]}` : undefined;
}

const CARDINAL = EN_CARDINAL;
const ORDINAL = EN_ORDINAL;
const KANJI_NUM = `[${KANJI_NUMERAL_CLASS}]+`;
// A following "-5", "~5", "to 5" makes it a range ("vol 1-5"), which names no single volume.
const NOT_RANGE = `(?!\\s*(?:-|~|〜|～|to\\s|through\\s|thru\\s)\\s*\\d)`;

// English forms: "vol 3", "vol. 12", "volume three", "v3", "book 2", "#3", "the third volume".
const EN_VOLUME = [
  new RegExp(`\\b(?:vol(?:ume)?s?\\.?|v\\.?|book|tome)\\s*#?\\s*(${CARDINAL})\\b${NOT_RANGE}`),
  new RegExp(`#\\s*(\\d{1,3})\\b${NOT_RANGE}`),
  // "volume 13th", "vol 2nd".
  /\b(?:vol(?:ume)?\.?)\s*(\d{1,3})(?:st|nd|rd|th)\b/,
  // Romaji Japanese: "dai 10 kan", "10 kan", "10-kanme".
  /\b(?:dai\s*-?\s*)?(\d{1,3})\s*-?\s*kan(?:me)?\b/,
];
const EN_ORDINAL_VOLUME = new RegExp(`\\b(${ORDINAL})\\s+(?:vol(?:ume)?|book)\\b`);
// Japanese forms: "3巻", "第3巻", "三巻", "第十二巻", "3巻目"; not "全3巻" (a count) or "1〜3巻".
// Nor a limit: 「10巻以内」「10巻くらいまで」「5巻未満」 (constraints.ts reads those).
const JA_VOLUME = new RegExp(`(?<![-~〜～全\\d${KANJI_NUMERAL_CLASS}])(?:第\\s*)?(\\d{1,3}|${KANJI_NUM})\\s*巻(?!\\s*(?:以内|以下|未満|以上|くらい|ぐらい|位|程度|前後|ほど|までで|までの))`);
const JA_FIRST_VOLUME = /(?:最初|一番最初)の巻/;
// "is One Piece 108 in stock", "Chainsaw Man 15 price?": customers often write a bare number
// after the title. Only trusted right before the end, a clause break ("One Piece 113 - release
// date?", not the range "1 - 5") or a stock/price word ("Frieren 13 back in stock?", "if spy x family 12
// is back"), and never after
// words that make the number part of something else ("Kaiju No. 8", "top 5", "chapter 1000").
const EN_BARE_VOLUME =
  /(?:\b([a-z][a-z'!:&-]*)|([\u3040-\u30ff\u3400-\u9fff]{2,}))\s+(\d{1,3})(?![\d,.]\d|\s*(?:yen|円|dollars?))(?=\s*(?:$|[?!.,]|[-–—]+\s+(?!\d)|back\b|(?:is|was|'s) (?:back|in stock|available|out|sold|restocked|released|still)\b|in stock|price|cost|available|out\b|release|preorder|pre-order|yet|(?:come|comes|coming|came) out\b|(?:drop|drops|dropping|dropped|launch|launches|launching|ship|ships|shipping|arrive|arrives|arriving|hit|hits)\b(?!\s+(?:me|us|him|her|them)\b)|(?:go|goes|going|went) on sale|when\b|restock|sold|digital|paperback|pls|please|instead|then|too|as well|vs\b|versus|in (?:digital|print|paperback)|ebook|e-book|kindle|kanzenban|total|together|altogether))/;
const NOT_BEFORE_BARE_VOLUME = new Set(
  ('no number part season chapter ch ep episode top under over than about around only for of the a an ' +
    'buy get order have x and or is are be at by with to from last first times plus minus ' +
    // A count of every volume ("the whole thing, all 6", "both 2"), no volume of it.
    'all every whole entire both ' +
    // An age or a count said before "when" or "come out" ("I'm 15 when…", "there were 3 when I looked").
    "i'm im am was were age aged turned turning").split(' '),
);
// A box set's number before a clause break ("box set 2 - price?") is no volume (box-set.ts reads it);
// before the end or a question mark ("the haikyuu box set 3?") it stays the number the follow-ups carry.
const BOX_WORDS = new Set(['set', 'box', 'boxset']);
const CLAUSE_DASH = /^\s*[-–—]+\s+(?!\d)/;

/**
 * The single volume number a message names ("vol 3", "volume three", "vol.13", "#3", "13th
 * volume", "3巻", "第三巻", "１３巻", "One Piece 108 in stock?"), if any; a correction names the
 * one meant ("volume thirteen, not thirty", 「13巻じゃなくて14巻」 → 14).
 */
export function extractVolume(text: string): number | undefined {
  return recentVolumes(text);
}

// Asked of the same message ~5 times (entities, references, follow-ups, grounding): the last few kept.
const recentVolumes = memoizeText(readVolume, 64);

function readVolume(text: string): number | undefined {
  const t = numbersAsDigits(normalise(text));
  const first = firstVolume(t);
  const volume = CORRECTION_CUE.test(t) ? correctedVolume(t, first) : first;
  // No series has a volume 0: "jujutsu kaisen 0", 「呪術廻戦0」 name a title (Jujutsu Kaisen 0).
  return volume === 0 ? undefined : volume;
}

// A correction: "vol 30, sorry, 13", "13 not 30", "not 30 but 13", 「13巻じゃなくて14巻」「14巻の間違いでした」.
const CORRECTION_CUE = /\b(?:not|no|meant|mean|sorry|actually|wait|oops|instead|rather|make (?:that|it)|correction)\b|じゃなく|ではなく|でなく|じゃない|間違|誤り|訂正/;
// Numbers that can be a volume: not a price, an age, a date, a count of volumes or part of a longer number.
const VOLUME_NUMBER = /(?<![\d.,¥$:/-])(\d{1,3})(?!\d|[,:/]\d|\s*(?:円|yen|ドル|dollars?|歳|才|years?|yrs?|yo\b|%|日|days?|時|月|年|volumes|vols|books|巻(?:以内|以下|未満|以上|まで)|冊|\+))/g;
const REJECTED_BEFORE = /(?:\bnot|\binstead of|\brather than)[\s,:]*(?:(?:vol(?:ume)?\.?|#|the)\s*)?$/;
const REJECTED_AFTER = /^\s*(?:巻|巻目)?\s*(?:じゃなく|ではなく|でなく|じゃない|ではない)/;
const PREFERRED_BEFORE = /(?:(?:^|[,.;!?]\s*)no\s*[,:]|\bi mean|\bmeant|\bsorry|\bactually|\bwait|\boops|\bmake (?:that|it)|\bcorrection|じゃなくて|じゃなく|ではなく|でなく)[\s,:、]*(?:(?:vol(?:ume)?\.?|#|第)\s*)?$/;
const PREFERRED_AFTER = /^\s*(?:巻|巻目)?\s*(?:の|が)?\s*(?:間違|誤り)/;

/** The volume a message with a correction cue means: the number preferred, else the first one not ruled out. */
function correctedVolume(t: string, first: number | undefined): number | undefined {
  let preferred: number | undefined;
  const kept: number[] = [];
  const rejected: number[] = [];
  for (const m of t.matchAll(VOLUME_NUMBER)) {
    const before = t.slice(Math.max(0, m.index - 24), m.index);
    const after = t.slice(m.index + m[0].length, m.index + m[0].length + 12);
    const n = Number(m[1]);
    if (REJECTED_BEFORE.test(before) || REJECTED_AFTER.test(after)) rejected.push(n);
    else if (PREFERRED_BEFORE.test(before) || PREFERRED_AFTER.test(after)) preferred = n;
    else kept.push(n);
  }
  if (preferred !== undefined) return preferred;
  if (rejected.length === 0) return first;
  // The number ruled out is never the one meant: the first volume named otherwise, else the one number left.
  if (first !== undefined && kept.includes(first)) return first;
  return kept.length === 1 ? kept[0] : undefined;
}

function firstVolume(t: string): number | undefined {
  for (const re of EN_VOLUME) {
    const m = re.exec(t);
    if (m) return parseEnglishCardinal(m[1]);
  }
  const ord = EN_ORDINAL_VOLUME.exec(t);
  if (ord) return parseEnglishOrdinal(ord[1]);
  const ja = JA_VOLUME.exec(t);
  if (ja) {
    // Guard against the tail of a range written with the digits first ("1から3巻").
    const before = t.slice(Math.max(0, ja.index - 2), ja.index);
    if (!/から$/.test(before)) return parseJapaneseNumber(ja[1]);
  }
  if (JA_FIRST_VOLUME.test(t)) return 1;
  // After an English word ("One Piece 108 in stock?") or a Japanese title ("ワンピース 108 price?").
  const bare = EN_BARE_VOLUME.exec(t);
  if (bare && !(bare[1] && NOT_BEFORE_BARE_VOLUME.has(bare[1])) && !(bare[1] && BOX_WORDS.has(bare[1]) && CLAUSE_DASH.test(t.slice(bare.index + bare[0].length)))) return Number(bare[3]);
  return undefined;
}

// Several volumes: "volumes 2 and 3", "vol 2 & vol 3", "vols 1-3", "the first three volumes",
// 「2巻と3巻」「1〜3巻」「1巻から3巻」「2、3巻」. A list names at most ten; a range may run the
// length of a series ("volumes 1 to 15 altogether?", 「1巻から17巻まで」): every volume of it is
// asked (the answer sums them rather than listing each one).
const MAX_LISTED_VOLUMES = 10;
/** The longest range of volumes read as volumes (the longest series sold runs past 100). */
export const MAX_RANGE_VOLUMES = 200;

/** Every volume from a to b, or undefined when that is no range of volumes (b not after a, or too long). */
export function volumeRange(a: number, b: number): number[] | undefined {
  return a >= 1 && b > a && b - a < MAX_RANGE_VOLUMES ? Array.from({ length: b - a + 1 }, (_, i) => a + i) : undefined;
}
const EN_VOLUME_RANGE = new RegExp(`\\b(?:vol(?:ume)?s?\\.?|books?)\\s*(\\d{1,3})\\s*(?:-|–|~|to|through|thru)\\s*(?:vol(?:ume)?s?\\.?\\s*)?(\\d{1,3})\\b`);
const EN_VOLUME_LIST = new RegExp(`\\b(?:vol(?:ume)?s?\\.?|books?)\\s*(\\d{1,3}(?:\\s*(?:,|and|&|\\+|or)\\s*(?:vol(?:ume)?s?\\.?\\s*)?\\d{1,3})+)\\b`);
const EN_FIRST_N = new RegExp(`\\bfirst\\s+(${CARDINAL})\\s+(?:vol(?:ume)?s|books)\\b`);
const JA_VOLUME_RANGE = /(\d{1,3})\s*巻?\s*(?:〜|～|~|-|から)\s*(\d{1,3})\s*巻/;
const JA_VOLUME_LIST = /(\d{1,3})\s*巻?\s*(?:と|、|,|・)\s*(\d{1,3})\s*巻(?:\s*(?:と|、|,|・)\s*(\d{1,3})\s*巻?)?/;
// Numbers right after a title with no volume word ("Berserk 1-3", 「ワンピース1〜3」, "Chiikawa 1, 2 and 4"):
// a range or a list is volumes (area B: totals); not after an age ("I'm 17, 18 next month") and not a price or a date.
const AFTER_TITLE = '(?<=\\p{L}\\s?)(?<!\\b(?:i\'?m|i am|age|aged|ages|under|over|top)\\s?)';
const NOT_A_UNIT = '(?![\\d:/%.]|\\s*(?:円|yen|ドル|dollars?|歳|才|years?|yrs?|yo\\b|日|days?|時|月|年|%|人|点|位|冊|volumes|vols|books|series|titles))';
// Written out too: "Naruto 1 through 5", "Berserk 2 to 4" (a unit after the second number rules it out: "2 to 3 days").
const BARE_RANGE = new RegExp(`${AFTER_TITLE}(\\d{1,3})\\s*(?:-|–|~|〜|～|\\s(?:to|through|thru)\\s)\\s*(\\d{1,3})${NOT_A_UNIT}`, 'u');
const BARE_LIST = new RegExp(`${AFTER_TITLE}(\\d{1,3}(?:\\s*(?:,|、|&|\\+|and|と)\\s*\\d{1,3})+)${NOT_A_UNIT}`, 'u');

/** Every volume a message names when it names several ("volumes 2 and 3", 「1〜3巻」), in order. */
export function extractVolumes(text: string): number[] | undefined {
  const t = normalise(text);
  const range = volumeRange;
  const en = EN_VOLUME_RANGE.exec(t) ?? JA_VOLUME_RANGE.exec(t);
  if (en) return range(Number(en[1]), Number(en[2]));
  const first = EN_FIRST_N.exec(t);
  if (first) return range(1, parseEnglishCardinal(first[1]) ?? 1);
  const bareRange = BARE_RANGE.exec(t);
  if (bareRange) return range(Number(bareRange[1]), Number(bareRange[2]));
  const list = EN_VOLUME_LIST.exec(t) ?? BARE_LIST.exec(t);
  const numbers = list ? [...list[1].matchAll(/\d{1,3}/g)].map((m) => Number(m[0])) : (JA_VOLUME_LIST.exec(t)?.slice(1).filter(Boolean).map(Number) ?? []);
  const distinct = [...new Set(numbers)];
  return distinct.length >= 2 && distinct.length <= MAX_LISTED_VOLUMES ? distinct : undefined;
}

// "the second one", "2nd title", "third option"; "the first?" / "the second please" as a whole answer.
const EN_ORDINAL_REF = new RegExp(
  `\\b(${ORDINAL})\\s+(?:one|title|series|manga|option|result|item|pick|suggestion|recommendation)s?\\b`,
);
const EN_ORDINAL_BARE = new RegExp(`\\bthe\\s+(${ORDINAL})\\b(?=\\s*(?:[?.!,]|$|please|pls|plz|then|sounds|looks|is|seems))`);
// Not "number 8"/"no. 8": those are title parts too often (Kaiju No. 8).
const EN_OPTION_NUMBER = /\boption\s*#?\s*(\d{1,2})\b/;
// "2つ目", "ふたつめ", "二個目", "3番目", "二番目", "最初の" (but "最初の巻" is volume 1).
const JA_COUNTER = new RegExp(`(\\d{1,2}|${KANJI_NUM}|${KANA_COUNTER_STEMS.join('|')})\\s*(?:つ|個)\\s*(?:目|め)`);
const JA_BANME = new RegExp(`(\\d{1,2}|${KANJI_NUM})\\s*番\\s*(?:目|め)`);
// ...and the first of what was shown, said by its showing: 「最初に出てきたやつ」「最初に紹介してくれた作品」
// (not 「最初に出た巻」, the first volume released).
const JA_FIRST = /最初の(?!巻)|一番最初|一番上の|いちばん上の|(?:1|一)位の|(?:最初|はじめ|初め)に(?:出て(?:き|来)た|挙げ(?:て(?:くれ|もらっ)?)?た|あげ(?:て(?:くれ|もらっ)?)?た|紹介(?:して(?:くれ|もらっ)?|され)?た|おすすめ(?:して(?:くれ|もらっ)?|され)?た|オススメ(?:して(?:くれ|もらっ)?|され)?た|教えて(?:くれ|もらっ)?た|表示された|載って(?:い)?た)(?:やつ|奴|の|作品|漫画|マンガ|まんが|タイトル|もの|方|ほう)/;
// The first of a list by its place at the top: "the top pick", "your top recommendation", "the #1 one", "the one at the top".
const EN_TOP = /\b(?:the|your|ur|that)\s+(?:very\s+)?(?:top|#\s?1|number one|no\.?\s?1)\s+(?:one|title|series|manga|option|result|item|pick|choice|suggestion|recommendation|rec)s?\b|\bthe (?:one|title|series|manga|pick) (?:at|on) (?:the )?top\b|\bthe top one\b|\bthe (?:one|title|series|manga) (?:you|u) (?:mentioned|listed|showed|suggested|recommended|named|gave(?: me)?|put) first\b/;

/** The ordinal a message uses to point at a shown list ("the second one", "2つ目", "二番目", "最初の"), if any. */
export function extractOrdinal(text: string): number | undefined {
  const t = normalise(text);
  const en = EN_ORDINAL_REF.exec(t) ?? EN_ORDINAL_BARE.exec(t);
  if (en) return parseEnglishOrdinal(en[1]);
  const opt = EN_OPTION_NUMBER.exec(t);
  if (opt) return Number(opt[1]);
  const counter = JA_COUNTER.exec(t);
  if (counter) return parseKanaCounter(counter[1]) ?? parseJapaneseNumber(counter[1]);
  const banme = JA_BANME.exec(t);
  if (banme) return parseJapaneseNumber(banme[1]);
  if (JA_FIRST.test(t) || EN_TOP.test(t)) return 1;
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Longest phrases first so "romantic comedy" wins over "romantic", "slice of life" over nothing.
const EN_KEYS = Object.keys(EN_LEXICON).sort((a, b) => b.length - a.length);
const EN_LEXICON_RE = new RegExp(`\\b(${EN_KEYS.map(escapeRegExp).join('|')})s?\\b`, 'g');
const JA_KEYS = Object.keys(JA_LEXICON).sort((a, b) => b.length - a.length);
const JA_LEXICON_RE = new RegExp(JA_KEYS.map(escapeRegExp).join('|'), 'g');
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;
// Demographic words count only when not glued to a preceding kanji: 少年漫画 and 少年ジャンプ
// are Shounen, 20世紀少年 (a title) and 美少女 (a trope) are not.
const JA_DEMOGRAPHIC = /(?<![\u3400-\u9fff0-9])(少年|少女|青年)/g;
const JA_DEMOGRAPHIC_NAME: Record<string, string> = { 少年: 'Shounen', 少女: 'Shoujo', 青年: 'Seinen' };

function addEntry(into: Entities, entry: LexiconEntry): void {
  for (const g of entry.genres ?? []) if (!into.genres.includes(g)) into.genres.push(g);
  for (const th of entry.themes ?? []) if (!into.themes.includes(th)) into.themes.push(th);
  if (entry.demographic && !into.demographic) into.demographic = entry.demographic;
}

/**
 * Extracts volume, order number, ordinal and genre/theme/demographic words from a message.
 * Both languages' patterns apply whatever `language` says, since customers mix scripts
 * ("ワンピース vol.3", "BL漫画"); `language` is accepted to match the pipeline's port.
 */
export function extractEntities(text: string, language?: Language): Entities {
  void language;
  // One message's entities are asked for many times over, of its text and of its parts in turn
  // (understanding, the reference resolver, gather's questions, the series narrowing), so a
  // single last result missed as they alternated: the recent results are kept, and each caller
  // gets its own copy.
  return copyOf(recentEntities(text));
}

const recentEntities = memoizeText(extract, 32);

function volumeIsNotAge(t: string, volume: number | undefined): number | undefined {
  return volume !== undefined && readerAge(t) === volume && !/\bvol|\bbook|#|巻|冊/.test(t) ? undefined : volume;
}

function copyOf(e: Entities): Entities {
  const c: Entities = { ...e, genres: [...e.genres], themes: [...e.themes] };
  if (e.volumes) c.volumes = [...e.volumes];
  if (e.excludeQueries) c.excludeQueries = [...e.excludeQueries];
  if (e.excludeTags) c.excludeTags = [...e.excludeTags];
  if (e.excludeTopics) c.excludeTopics = [...e.excludeTopics];
  if (e.excludeAuthorQueries) c.excludeAuthorQueries = [...e.excludeAuthorQueries];
  return c;
}

function extract(text: string): Entities {
  // Number words and kanji numerals as digits first ("volume twenty six", 十三巻, "under ten volumes").
  const t = numbersAsDigits(normalise(text));
  const out: Entities = { genres: [], themes: [] };
  const volumes = extractVolumes(t);
  if (volumes) out.volumes = volumes;
  // "my nephew, he's 13": the reader's age, no volume.
  const volume = volumes?.[0] ?? (volumeIsNotAge(t, extractVolume(t)));
  if (volume !== undefined) out.volume = volume;
  const orderId = extractOrderId(t);
  if (orderId) out.orderId = orderId;
  // An ordinal attached to a volume ("the first volume") is the volume, not a list position.
  const ordinal = volume !== undefined && EN_ORDINAL_VOLUME.test(t) ? undefined : extractOrdinal(t);
  if (ordinal !== undefined) out.ordinal = ordinal;

  // Genre words after a negation ("nothing scary", "no horror", "without all the gore", 「ホラー以外」)
  // rule tags out instead, and so does every word of a list the negation covers ("no horror or
  // gore", 「グロいのとホラーは苦手」). A word narrower than its tag ("basketball" under Sports)
  // rules out its topic, not the tag: "sports, but no basketball or volleyball".
  const ruledOut: Entities = { genres: [], themes: [] };
  const topics: string[] = [];
  // (A demographic ruled out, "not shoujo", is no tag: it is kept apart.)
  const demographicsOut: string[] = [];
  const ruleOut = (word: string, entry: LexiconEntry) => (isTopicWord(word) ? topics.push(word) : entry.demographic && !entry.genres?.length && !entry.themes?.length ? demographicsOut.push(entry.demographic) : addEntry(ruledOut, entry));
  let previous: { end: number; negated: boolean } | undefined;
  for (const m of t.matchAll(EN_LEXICON_RE)) {
    const joined = previous !== undefined && joinedInList(t, previous.end, m.index, m.index + m[0].length);
    const after = t.slice(m.index + m[0].length, m.index + m[0].length + 40);
    const negated = EN_NEGATED.test(t.slice(Math.max(0, m.index - 48), m.index)) || EN_NEGATED_AFTER.test(after) || (joined && previous!.negated);
    if (negated) ruleOut(m[1], EN_LEXICON[m[1]]);
    else addEntry(out, EN_LEXICON[m[1]]);
    if (!negated && (EN_ADDED_BEFORE.test(t.slice(Math.max(0, m.index - 40), m.index)) || EN_ADDED_AFTER.test(after))) out.addsTags = true;
    previous = { end: m.index + m[0].length, negated };
  }
  // Consume matched Japanese words so a longer word's parts do not match again (魔法少女 ≠ 少女).
  // One pass of an alternation, longest words first, does that (and skips text without Japanese).
  let rest = t;
  if (JAPANESE.test(t)) {
    const matches = [...t.matchAll(JA_LEXICON_RE)];
    // Right to left: a word is ruled out by the negation after it, or by its list's ("AとBは苦手").
    const negated: boolean[] = [];
    for (let i = matches.length - 1; i >= 0; i--) {
      const end = matches[i].index + matches[i][0].length;
      const next = matches[i + 1];
      const listed = next !== undefined && JA_LIST_GLUE.test(t.slice(end, next.index));
      negated[i] = JA_NEGATED.test(t.slice(end, end + 14)) || (listed && negated[i + 1]);
    }
    matches.forEach((m, i) => (negated[i] ? ruleOut(m[0], JA_LEXICON[m[0]]) : addEntry(out, JA_LEXICON[m[0]])));
    if (matches.some((m, i) => !negated[i] && (JA_LEXICON[m[0]].genres || JA_LEXICON[m[0]].themes) && JA_ADDED_AFTER.test(t.slice(m.index + m[0].length, m.index + m[0].length + 14)))) out.addsTags = true;
    rest = t.replace(JA_LEXICON_RE, ' ');
  }
  if (/(?:怖|こわ|コワ)くない|(?:怖|こわ)すぎない|(?:怖|こわ)いの(?:は|が|も)(?:ちょっと|あまり|あんまり)?(?:苦手|嫌|いや|ダメ|だめ|NG|ng|無理)/.test(t)) addEntry(ruledOut, { genres: ['Horror'] });
  if (/グロくない|グロいの(?:は|が|も)(?:ちょっと|あまり|あんまり)?(?:苦手|嫌|いや|ダメ|だめ|NG|ng|無理)/.test(t)) addEntry(ruledOut, { themes: ['Gore'] });
  // Fan service ruled out (エロ is not a genre word here: asked for, it is the guardrails' to answer).
  if (/エロ(?:い)?(?:の|要素|シーン|描写)?(?:は|が|も)?(?:なし|無し|NG|ng|苦手|いらない|要らない|抜き|無理|ない|少な)/.test(t)) addEntry(ruledOut, { genres: ['Ecchi'] });
  for (const m of rest.matchAll(JA_DEMOGRAPHIC)) {
    const end = m.index + m[0].length;
    if (JA_NEGATED.test(rest.slice(end, end + 14))) demographicsOut.push(JA_DEMOGRAPHIC_NAME[m[1]]);
    else addEntry(out, { demographic: JA_DEMOGRAPHIC_NAME[m[1]] });
  }
  if (demographicsOut.length > 0) {
    out.excludeDemographics = [...new Set(demographicsOut)];
    if (out.demographic && out.excludeDemographics.includes(out.demographic)) delete out.demographic;
  }
  const years = extractStartYears(t);
  if (years.from !== undefined) out.startedFrom = years.from;
  if (years.to !== undefined) out.startedTo = years.to;
  const excludeTags = [...ruledOut.genres, ...ruledOut.themes];
  out.genres = out.genres.filter((g) => !excludeTags.includes(g));
  out.themes = out.themes.filter((th) => !excludeTags.includes(th));
  if (excludeTags.length > 0) out.excludeTags = excludeTags;
  if (topics.length > 0) out.excludeTopics = [...new Set(topics)];

  // What a request asks for beyond genres (constraints.ts).
  const maxVolumes = extractMaxVolumes(t);
  if (maxVolumes !== undefined) out.maxVolumes = maxVolumes;
  const minVolumes = extractMinVolumes(t);
  if (minVolumes !== undefined) out.minVolumes = minVolumes;
  if (asksShort(t)) out.shorter = true;
  if (asksLighter(t)) out.lighter = true;
  const status = extractStatus(t);
  if (status) out.status = status;
  const audience = extractAudience(t);
  if (audience) out.audience = audience;
  const like = extractLikeQuery(t);
  if (like && !onlyRequestWords(like)) out.likeQuery = like;
  const excludedAuthors = extractAuthorExclusions(t);
  if (excludedAuthors.length > 0) out.excludeAuthorQueries = excludedAuthors;
  const excluded = extractExclusions(t).filter((q) => !onlyRequestWords(q) && !excludedAuthors.includes(q));
  if (excluded.length > 0) out.excludeQueries = excluded;
  if (asksSameAuthor(t)) out.sameAuthor = true;
  const volumeRef = extractVolumeRef(t);
  if (volumeRef) out.volumeRef = volumeRef;
  const format = extractFormat(t);
  if (format) out.format = format;
  if (asksWholeSeries(t)) out.wholeSeries = true;
  return out;
}

// A negation within the few words before a genre word: "nothing scary", "no horror please",
// "not too violent", "I don't like gore", "without all the gore", "not a fan of horror".
const EN_NEGATED =
  /\b(?:no|not|nothing|without|w\/o|non|none|zero|less|minus|isn'?t|aren'?t|wasn'?t|hate|dislike|avoid|skip|(?:don'?t|do not|doesn'?t|dont|wouldn'?t|won'?t|didn'?t) (?:like|want|enjoy|need|care for|do|love|dig)|not (?:into|a (?:big )?fan of|big on|keen on|crazy about)|tired of|sick of|had enough of|(?:so |really )?done with|(?:i'?m|im|i am) (?:so )?over|stay away from|steer clear of|pass on|can'?t (?:stand|handle|do|take)|anything but|except|rather not|no more)(?:\s+(?:another|more|too|very|so|that|really|overly|any|anything|something|a|an|of|the|all|those|these|such|much|more|with|stuff|kind|type|sort|lot|lots|heavy|excessive|graphic|extreme|extremely|super|crazy|explicit|intense|gratuitous|over-the-top|dark|real|actual|i|want|like|need|read|reading|have|has|contain|containing|includ(?:e|es|ing)|full|level|amount|amounts|bits?|parts?|scenes?|elements?|content|it|them|or|and|into|fond|big|set|in|at|on|about|around))*\s*-?\s*$/;
// A negation after the genre word: "horror isn't my thing", "sports are not for me", "romance is a hard pass".
const EN_NEGATED_AFTER =
  /^\s*(?:manga|stuff|ones|series|books|stories|genre|stuff)?\s*(?:is|are|'s|'re)?\s*(?:(?:not|isn'?t|aren'?t|never) (?:really )?(?:my thing|for me|my cup of tea|my style|my jam|my taste|something i (?:like|enjoy|read))|(?:a )?(?:hard |big )?(?:no|pass|nope|dealbreaker|deal breaker|turn-?off)(?:\s+for me)?\b|too (?:much|scary|gross|dark|heavy) for me|gives? me nightmares|freaks? me out|makes? me (?:sick|uncomfortable))/;
// After a Japanese genre word: 「ホラー以外」「グロは苦手」「恋愛はなし」「ホラーじゃない」「ホラーはちょっと苦手」.
const JA_NEGATED =
  /^(?:い|いの|もの|系|物|漫画|マンガ|要素|描写|シーン|表現|の|系の|っぽいの|のもの|のやつ|の作品|の話|が出てくる(?:もの|やつ|作品|の)?)?(?:以外|(?:は|を)?(?:除いて|除外|除く|抜いて|外して|はずして)|(?:は|が|も|って)(?:ちょっと|あまり|あんまり|少し|そんなに|どうも|絶対|全然|マジで|本当に|ほんとに)?(?:苦手|嫌|いや|イヤ|やだ|ダメ|だめ|NG|ng|なし|無し|ナシ|抜き|避けたい|避けて|無理|むり|いらない|要らない|いらん|不要|ない|少ない|ないもの|ないやつ|ないの|勘弁|パス|遠慮|好きじゃない|好きではない|得意じゃない|得意ではない|読めない|見れない|見られない|きつい|キツい|しんどい|興味(?:が)?ない|興味なし|読まない|読みたくない|もういい|飽きた|あきた|食傷|お腹いっぱい|おなかいっぱい)|抜き|なし|無し|ナシ|じゃない|ではない|でない|じゃなく|ではなく|でなく|のない|がない|少なめ|控えめ)/;
// A kind added to the one asked before, not put in its place: "with some romance", "plus a bit of comedy",
// "that also has romance", "romance elements", "romance too" (not "what about romance?", which asks
// for romance instead); 「恋愛要素ある」「恋愛もあって」「ギャグ多め」「恋愛要素も欲しい」.
const EN_ADDED_BEFORE =
  /\b(?:with|w\/|plus|also|\+|(?:that |which |and )?(?:also )?(?:has|have|having|contains?|containing|includes?|including)|mixed with|on top of)\s+(?:(?:some|a bit of|a little(?: bit of)?|a touch of|a hint of|a dash of|a lot of|lots of|more|an?|elements? of|some kind of|a side of|decent|good)\s+)*$/;
const EN_ADDED_AFTER = /^\s*(?:elements?|subplots?|aspects?|vibes?|mixed in|thrown in|in it|on top|too|as well|also)\b/;
const JA_ADDED_AFTER = /^(?:の)?(?:要素|成分|展開|描写|シーン|味)(?!(?:は|が|も)?(?:なし|無し|いらない|要らない|苦手|ない|少な))|^(?:も|が)(?:ある|あり|あって|入って|はいって|入った|欲しい|ほしい|混ざ|まざ|絡)|^(?:あり|アリ|込み|入り|多め|強め|寄り|混じり|絡み)/;
// Between two Japanese genre words of one list: 「グロいのとホラー」「ホラーやグロ」「ホラーもグロも」「ホラー、グロ」.
const JA_LIST_GLUE = /^(?:い|いの|の|もの|系|物|要素|描写|系の|っぽいの|漫画|マンガ)?(?:と|や|とか|、|・|,|も|か|および|及び|または|あと)\s*$/;
// Between two English genre words of one list: "no horror or gore", "no basketball / volleyball";
// a comma only in a list that ends with or/nor ("no horror, gore or romance").
const EN_LIST_GLUE = /^\s*(?:or|and|nor|\/|&|\+|or any|and no|or no|nor any|and any)\s*$/;
const EN_COMMA = /^\s*,\s*$/;
const EN_CLAUSE_REST = /^[^.;!?]*?\b(?:or|nor)\b/;

/** Whether the genre word at [start, end) continues the list of the one ending at `previousEnd`. */
function joinedInList(t: string, previousEnd: number, start: number, end: number): boolean {
  const between = t.slice(previousEnd, start);
  if (EN_LIST_GLUE.test(between)) return true;
  // "no horror, gore or romance": a comma joins when an "or"/"nor" still follows in the clause.
  return EN_COMMA.test(between) && (EN_CLAUSE_REST.test(t.slice(end)) || /\b(?:or|nor)\s*$/.test(t.slice(Math.max(0, previousEnd - 40), previousEnd)));
}

// Words that say what kind of book is wanted, never which title: a "like …" or "not …" phrase
// made only of these ("like something scary", "not too long") names no series.
const REQUEST_WORDS = new Set(
  ('a an the some any something anything one ones stuff thing things manga mangas comic comics book books series title titles story stories kind kinds ' +
    'too very so really that this it them those long longer short shorter scary finished ongoing complete completed sure yet much more less ' +
    'for my me kids kid children child son daughter adults old new good great best popular cheap expensive please pls read reading all these of ' +
    // "ヴィンランド・サガは持ってるから、それ以外で": それ points back at what was named or shown, it is no title.
    'それ これ あれ それら これら そちら こちら ' +
    // "not set in high school": where a story is set names no title either.
    'set in at on ' +
    'volume volumes vol vols really into fan fans big keen crazy huge about another dark sad depressing heavy slow boring weird creepy gross sexual explicit mature childish ' +
    // 「将棋とか囲碁みたいな」: the words that join kinds listed name no title.
    '漫画 マンガ まんが 作品 もの やつ の 系 とか や と など なんか').split(' '),
);

/**
 * Ruled-out phrases that are an author's name, as the catalog's names say ("not Junji Ito tho",
 * 「伊藤潤二以外で」), move to the authors ruled out: the request rules out the author's works, not
 * one series found by the name. `named` are the catalog names the message holds (the classifier's).
 */
export function withAuthorsRuledOut(e: Entities, named: () => readonly { text: string; kind: 'title' | 'author' }[]): Entities {
  if (!e.excludeQueries?.length) return e;
  const authors = named().filter((n) => n.kind === 'author').map((n) => foldName(n.text));
  if (authors.length === 0) return e;
  const isAuthor = (q: string) => authors.includes(foldName(q));
  const moved = e.excludeQueries.filter(isAuthor);
  if (moved.length === 0) return e;
  const rest = e.excludeQueries.filter((q) => !isAuthor(q));
  const out: Entities = { ...e, excludeAuthorQueries: [...new Set([...(e.excludeAuthorQueries ?? []), ...moved])] };
  if (rest.length > 0) out.excludeQueries = rest;
  else delete out.excludeQueries;
  return out;
}

/**
 * The text with its genre, theme and demographic words blanked out ("soccer ones are better" →
 * " ones are better"): what is left may still name a title.
 */
export function withoutKindWords(text: string): string {
  const t = normalise(text);
  return t.replace(EN_LEXICON_RE, ' ').replace(JA_LEXICON_RE, ' ').replace(JA_DEMOGRAPHIC, ' ');
}

/** True when a phrase is only request words, genre words and numbers: it names no title. */
function onlyRequestWords(phrase: string): boolean {
  const rest = phrase.replace(EN_LEXICON_RE, ' ').replace(JA_LEXICON_RE, ' ');
  return rest.split(/[\s,.!?'"-]+/).every((w) => w === '' || /^\d+$/.test(w) || REQUEST_WORDS.has(w));
}
