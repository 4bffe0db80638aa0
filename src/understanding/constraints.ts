// What a request asks for beyond a title, genre or volume: volume limits ("under 10 volumes",
// 「10巻以内」), status ("finished", 完結済み), audience ("for a 10-year-old", 小学生の娘),
// "like X" / 「Xみたいな」, exclusions ("not Naruto", "nothing scary", 「ホラー以外」), "by the same
// author", a volume named by its place ("the next volume", 最終巻) and a format ("digital", 完全版).
// Hand-written patterns, like the rest of entity extraction: these are the store's request forms
// in two languages, and each pattern is a few microseconds on a chat message.

import { EN_CARDINAL_WORDS, KANJI_NUMERAL_CLASS, parseEnglishCardinal, parseJapaneseNumber } from './numerals.ts';
import type { Audience, ProductFormatWord } from './types.ts';

const CARDINAL = `\\d{1,3}|(?:${EN_CARDINAL_WORDS.join('|')})`;
const VOLUMES = `(?:vol(?:ume)?s?|books?|tankobons?|tomes?)`;
const KANJI_NUM = `[${KANJI_NUMERAL_CLASS}]+`;

// "under 10 volumes" is at most 9; "up to 10 volumes", "10 volumes or less", "10 volumes max" are at most 10.
const EN_BELOW = new RegExp(`\\b(?:under|less than|fewer than|below|shorter than)\\s*(${CARDINAL})\\s*${VOLUMES}\\b`);
const EN_AT_MOST = new RegExp(`(?:\\b(?:at most|no more than|not more than|up to|max(?:imum)?(?: of)?|within|tops)|<=|≤)\\s*(${CARDINAL})\\s*${VOLUMES}\\b`);
const EN_OR_LESS = new RegExp(`\\b(${CARDINAL})\\s*${VOLUMES}\\s*(?:or (?:less|fewer|under|below|shorter)|max(?:imum)?|at most|tops|or so max)\\b`);
// A range ("like 1-3 volumes", "between 5 and 10 volumes", "one to three volumes", 「2〜3巻くらいで完結」): the upper
// end is the limit, the lower one (above 1) the least. A range of volumes to buy ("volumes 1-3", 「1巻から3巻まで」)
// names the counter first or ends with no word of length.
const EN_RANGE = new RegExp(`\\b(?:between\\s+(${CARDINAL})\\s*(?:and|to|-|–)\\s*(${CARDINAL})|(${CARDINAL})\\s*(?:-|–|~|to)\\s*(${CARDINAL}))\\s*${VOLUMES}\\b`);
const JA_RANGE = /(\d{1,3})\s*(?:巻)?\s*(?:〜|~|-|–|ー|、|,|か)\s*(\d{1,3})\s*(?:巻|冊)\s*(?=くらい|ぐらい|程度|ほど|前後|以内|以下|で(?:完結|終わ|読め|読み切|まとま)|完結|の(?:短|作品|漫画|マンガ|もの|やつ))/;

/** The ends of a range of lengths the request asks for ("like 1-3 volumes" → 1..3), if it gives one. */
function volumeRange(t: string): { least: number; most: number } | undefined {
  const en = EN_RANGE.exec(t);
  const ja = en ? null : JA_RANGE.exec(t);
  const [a, b] = en ? [parseEnglishCardinal(en[1] ?? en[3]), parseEnglishCardinal(en[2] ?? en[4])] : ja ? [parseJapaneseNumber(ja[1]), parseJapaneseNumber(ja[2])] : [];
  return a !== undefined && b !== undefined && a >= 1 && a < b ? { least: a, most: b } : undefined;
}

// A limit with no word for volumes, said of the length asked ("hmm even shorter, 10 or less", "under 10
// please", "max 5"): not a price, an age or a count of something else, and no more than a series runs to.
const EN_BARE_OR_LESS = /(?<![¥$￥\d,.])\b(\d{1,3})\s*(?:or (?:less|fewer|under|below)|max|tops|at most)\b/;
const EN_BARE_BELOW = /\b(under|less than|fewer than|below|at most|no more than|not more than|max(?:imum)?(?: of)?|up to|tops)\s+(\d{1,3})\b/;
const NOT_A_LENGTH_AFTER = /^\s*(?:yen|円|dollars?|bucks|usd|euros?|[$%¥]|k\b|years?|yrs?|yo\b|y\/o|歳|才|months?|days?|weeks?|hours?|h\b|mins?|minutes?|pages?|chapters?|eps?\b|episodes?|people|items?|copies|orders?|points?|[.,]\d|[-/~]\s*\d)/;
const NOT_A_LENGTH_BEFORE = /\b(?:kids?|child(?:ren)?|son|daughter|boys?|girls?|ages?d?|old|grade|budget|price[sd]?|cost[s]?|spend|pay(?:ing)?|yen|dollars?|bucks|shipping|order(?:s|ed)?|points?|chapters?|pages?)\b[^.?!]{0,30}$|[$¥￥]\s*$/;
/** Bare volume numbers beyond this are a price or a count, not a length. */
const BARE_MAX = 150;

function bareLimit(t: string): number | undefined {
  const orLess = EN_BARE_OR_LESS.exec(t);
  if (orLess && !NOT_A_LENGTH_BEFORE.test(t.slice(0, orLess.index)) && !NOT_A_LENGTH_AFTER.test(t.slice(orLess.index + orLess[0].length))) {
    const n = Number(orLess[1]);
    if (n >= 1 && n <= BARE_MAX) return n;
  }
  const below = EN_BARE_BELOW.exec(t);
  if (below && !NOT_A_LENGTH_AFTER.test(t.slice(below.index + below[0].length)) && !NOT_A_LENGTH_BEFORE.test(t.slice(0, below.index))) {
    const n = Number(below[2]);
    const strict = /^(?:under|less than|fewer than|below)$/.test(below[1]);
    if (n >= 1 && n <= BARE_MAX) return strict ? Math.max(1, n - 1) : n;
  }
  return undefined;
}

const EN_ONE_SHOT = /\b(?:one[- ]?shots?|single[- ]volume|standalone|stand-alone|one volume)\b/;
// "Short" about the book, not a character ("a volleyball team with a really short spiker").
const EN_SHORT =
  /\b(?:shorter|quick (?:read|one)s?|(?:not|isn'?t|aren'?t|is not|are not|nothing) (?:too |very |that |so |overly )?long|fewer volumes|less volumes)\b|\bshort (?:[a-z-]+ ){0,2}(?:manga|mangas|series|reads?|ones?|stor(?:y|ies)|comics?|titles?|books?)\b|\b(?:something|anything|one|ones|it|something) short\b|\bshort(?=\s*(?:$|[,.?!;]|please|pls|and |or |but ))/;
// 「10巻以内」「10巻以下」「10巻くらいまで」「10冊まで」; 未満 is strictly fewer.
const JA_AT_MOST = new RegExp(`(\\d{1,3}|${KANJI_NUM})\\s*(?:巻|冊)\\s*(?:以内|以下|まで|くらいまで|ぐらいまで|位まで|程度まで|前後まで|ほどまで|くらい|ぐらい|程度)`);
const JA_BELOW = new RegExp(`(\\d{1,3}|${KANJI_NUM})\\s*(?:巻|冊)\\s*未満`);
const JA_ONE_SHOT = /読み切り|一巻完結|1巻完結|単巻/;
const JA_SHORT = /短い|短め|短編|短く|サクッと|さくっと|すぐ読め|すぐに読め|一気読み|長すぎない|長くない|(?:週末|土日|休日|休み|連休|一日|1日|一晩|ひと晩)(?:の間に|だけで|で|に)?(?:読み(?:切れ|切る|終わ|終え)|読める|一気に)/;
// Read in a short time ("something I can finish in a weekend", "a weekend read", "one sitting"): short.
const EN_QUICK_READ = /\b(?:finish|read|binge|get through)\w*\b[^.?!]{0,30}?\b(?:in|over) (?:a|one|the|an) (?:weekend|day|sitting|night|evening|afternoon|flight)\b|\b(?:weekend|one[- ]sitting) reads?\b|\bin one sitting\b/;

/** The volume limit a request sets, if any ("under 10 volumes" → 9, 「10巻以内」 → 10, "a one-shot" → 1). */
// Cheap guards: most messages hold none of these words, and then the patterns below need not run.
const MAY_LIMIT = /vol|book|tank|tome|shot|single|standalone|巻|冊|読み切り|単巻/;
const MAY_LIKE = /like|similar|vein|style|vibe|remind|compar|resembl|lov|enjoy|ador|fan|into|read|みたい|よう|っぽい|似|ライク|好き|気に入|ハマ|はま|面白|良かった|よかった|読み終|読了|読破|読み切|完走/;
const MAY_BARE_LIMIT = /\d\s*(?:or (?:less|fewer|under|below)|max|tops|at most)|(?:under|than|below|most|max|maximum|of|up to|tops)\s+\d/;
const MAY_EXCLUDE = /not|but|seen|watched|saw|except|other|besides|apart|excluding|no more|already|i'?ve|i have|i own|以外|読んだ|読みました|読了|持って|なしで|無しで|抜きで|除いて|除外|見た|観た/;

// An upper limit said as a lower one ruled out: "nothing over 20 volumes", "no more than 30 books"
// is handled above, "nothing longer than 30 volumes", 「20巻以上あるのは無理」「20巻を超えるのは嫌」.
const EN_NOT_ABOVE = new RegExp(
  `\\b(?:nothing|no|not|none|never|without|avoid|skip|(?:don'?t|do not|dont) (?:want|like|need))\\s+(?:\\w+\\s+){0,3}?(?:over|above|more than|longer than|bigger than|past|beyond|exceeding)\\s*(${CARDINAL})\\s*${VOLUMES}\\b`,
);
const JA_NOT_ABOVE = new RegExp(
  `(\\d{1,3}|${KANJI_NUM})\\s*(?:巻|冊)\\s*(以上|超え|超|を超える|をこえる|より(?:多い|長い))[^。！？!?]{0,8}?(?:嫌|いや|イヤ|やだ|苦手|無理|むり|ダメ|だめ|NG|ng|避けたい|避けて|勘弁|パス|きつい|キツい|読めない|遠慮|じゃなく|ではなく|以外)`,
);

/** An upper volume limit said as a lower one ruled out ("nothing over 20 volumes" → 20, 「20巻以上は無理」 → 19). */
function notAbove(t: string): number | undefined {
  const en = EN_NOT_ABOVE.exec(t);
  if (en) return parseEnglishCardinal(en[1]);
  const ja = JA_NOT_ABOVE.exec(t);
  if (ja) {
    const n = parseJapaneseNumber(ja[1]);
    // 以上 includes the number itself; 超え does not.
    return n === undefined ? undefined : ja[2] === '以上' ? Math.max(1, n - 1) : n;
  }
  return undefined;
}

export function extractMaxVolumes(t: string): number | undefined {
  if (!MAY_LIMIT.test(t)) return MAY_BARE_LIMIT.test(t) ? bareLimit(t) : undefined;
  const ruledOut = notAbove(t);
  if (ruledOut !== undefined) return ruledOut;
  const range = volumeRange(t);
  if (range) return range.most;
  const below = EN_BELOW.exec(t);
  if (below) return Math.max(1, (parseEnglishCardinal(below[1]) ?? 1) - 1);
  const most = EN_AT_MOST.exec(t) ?? EN_OR_LESS.exec(t);
  if (most) return parseEnglishCardinal(most[1]);
  const jaBelow = JA_BELOW.exec(t);
  if (jaBelow) return Math.max(1, (parseJapaneseNumber(jaBelow[1]) ?? 1) - 1);
  const ja = JA_AT_MOST.exec(t);
  if (ja) return parseJapaneseNumber(ja[1]);
  if (EN_ONE_SHOT.test(t) || JA_ONE_SHOT.test(t)) return 1;
  // "single-digit volumes", 「一桁巻」「巻数が1桁」: at most 9.
  if (/\bsingle[- ]digits?\b/.test(t) || /(?:一|1|ひと)桁(?:巻|の巻|で)|巻数が(?:一|1|ひと)桁/.test(t)) return 9;
  return MAY_BARE_LIMIT.test(t) ? bareLimit(t) : undefined;
}

// "at least 30 volumes", "more than 20 volumes", "over 20 volumes", "30+ volumes", 「30巻以上」;
// "long" alone (a long series, 長編) means 20 or more.
const EN_AT_LEAST = new RegExp(`\\b(?:at least|no fewer than|minimum(?: of)?|min)\\s*(${CARDINAL})\\s*${VOLUMES}\\b|\\b(${CARDINAL})\\s*\\+\\s*${VOLUMES}\\b|\\b(${CARDINAL})\\s*${VOLUMES}\\s*(?:or more|and up|at least|minimum)\\b`);
const EN_ABOVE = new RegExp(`\\b(?:more than|over|above|longer than)\\s*(${CARDINAL})\\s*${VOLUMES}\\b`);
const JA_AT_LEAST = new RegExp(`(\\d{1,3}|${KANJI_NUM})\\s*(?:巻|冊)\\s*以上`);
// 「30巻超え」「50巻を超える長編」「30巻より多い」: more than the number.
const JA_ABOVE = new RegExp(`(\\d{1,3}|${KANJI_NUM})\\s*(?:巻|冊)\\s*(?:超え|超|を超える|をこえる|より多い|より長い)`);
const EN_LONG = /\b(?:long|longer|lengthy|epic) (?:[a-z-]+ ){0,2}(?:manga|mangas|series|reads?|ones?|stor(?:y|ies)|runs?|sagas?)\b|\b(?:something|anything|one|ones) (?:long|longer)\b/;
const JA_LONG = /長編|長い(?:作品|漫画|マンガ|の)|長めの|長く読める|巻数が多い/;
/** "A long series" without a number: at least this many volumes. */
export const LONG_VOLUMES = 20;

/** The lower volume limit a request sets, if any. */
export function extractMinVolumes(t: string): number | undefined {
  if (MAY_LIMIT.test(t) && notAbove(t) !== undefined) return undefined;
  if (MAY_LIMIT.test(t)) {
    const range = volumeRange(t);
    if (range) return range.least > 1 ? range.least : undefined;
    const least = EN_AT_LEAST.exec(t);
    if (least) return parseEnglishCardinal(least[1] ?? least[2] ?? least[3]);
    const above = EN_ABOVE.exec(t);
    if (above) return (parseEnglishCardinal(above[1]) ?? 0) + 1;
    const ja = JA_AT_LEAST.exec(t);
    if (ja) return parseJapaneseNumber(ja[1]);
    const jaAbove = JA_ABOVE.exec(t);
    if (jaAbove) return (parseJapaneseNumber(jaAbove[1]) ?? 0) + 1;
  }
  if ((EN_LONG.test(t) || JA_LONG.test(t)) && !longRuledOut(t)) return LONG_VOLUMES;
  return undefined;
}

// "Long" ruled out is a wish for something short: "I don't want anything long", "nothing long",
// "no long series", 「長いのは嫌」「長編は苦手」「巻数が多いのは無理」「長すぎるのはちょっと」.
const EN_LONG_RULED_OUT =
  /\b(?:no|not|nothing|never|without|avoid|hate|(?:don'?t|do not|dont) (?:want|like|need|do)|not (?:into|a fan of)|can'?t (?:do|handle|commit to))\b(?:\s+(?:a|an|any|anything|something|too|very|so|super|really|that|overly|of|the|more|with|like|i|want|read))*\s+(?:long|longer|lengthy|epic|huge|massive)\b|\btoo long\b|\b(?:long|lengthy) (?:series|ones|manga) (?:are|is) (?:too much|a no|not for me)/;
const JA_LONG_RULED_OUT =
  /(?:長い|長め|長編|長期連載|巻数が多い|巻数の多い)(?:の|もの|やつ|作品|漫画|マンガ|シリーズ)?(?:は|が|も|って)?(?:ちょっと|あまり|あんまり|少し|どうも|絶対)?(?:嫌|いや|イヤ|やだ|苦手|無理|むり|ダメ|だめ|NG|ng|パス|勘弁|避けたい|避けて|面倒|めんどう|めんどくさい|きつい|キツい|しんどい|好きじゃない|読めない|続かない)|長すぎ(?:る|ない|ず|は)|長く(?:ない|なく)|長いのはちょっと/;

/** True when the message rules long series out ("nothing too long", 「長いのは嫌」): a wish for a short one. */
export function longRuledOut(t: string): boolean {
  return EN_LONG_RULED_OUT.test(t) || JA_LONG_RULED_OUT.test(t);
}

// A lighter tone: "something lighter", "less dark", "not so depressing", "more upbeat", "funnier",
// 「もっと明るいの」「軽めの」「ほのぼの」「暗くない」「鬱展開なし」.
const EN_LIGHTER =
  /\b(?:lighter|brighter|happier|cheerier|funnier|less (?:dark|depressing|heavy|grim|bleak|serious|sad|gloomy|violent|intense|brutal|disturbing)|not (?:so|as|too|that) (?:dark|depressing|heavy|grim|bleak|sad|gloomy|serious|violent|brutal)|nothing (?:too |so )?(?:dark|depressing|heavy|grim|bleak|sad)|more (?:upbeat|cheerful|fun|light-?hearted|positive|wholesome|feel-?good|uplifting|happy)|light-?hearted|feel-?good|upbeat|cheerful|uplifting)\b/;
const JA_LIGHTER =
  /明るい|明るめ|明るく|軽め|軽い(?:の|やつ|作品|漫画|マンガ|感じ|ノリ)|軽く読める|気軽に読める|ほのぼの|楽しい(?:の|やつ|作品|漫画|マンガ)|(?:暗|重)(?:くない|すぎない|すぎず)|鬱(?:展開|系)?(?:は|が)?(?:なし|無し|ない|苦手|嫌|いや|NG)|ダーク(?:じゃない|ではない|なのは(?:苦手|嫌))|シリアス(?:じゃない|すぎない)|ハッピーな|前向きな/;

/** True when the request asks for a lighter tone than what was shown ("less dark", 「もっと明るいの」). */
export function asksLighter(t: string): boolean {
  return EN_LIGHTER.test(t) || JA_LIGHTER.test(t);
}

const EN_LIGHTER_ALL = new RegExp(EN_LIGHTER.source, 'g');
const JA_LIGHTER_ALL = new RegExp(JA_LIGHTER.source, 'g');
/** The text without the words of a lighter tone ("less depressing", 「鬱展開なし」): what else it says. */
export function withoutLighter(t: string): string {
  return t.replace(EN_LIGHTER_ALL, ' ').replace(JA_LIGHTER_ALL, ' ');
}

/** True when the request asks for something short without a number ("shorter", 短め). */
export function asksShort(t: string): boolean {
  return EN_SHORT.test(t) || EN_QUICK_READ.test(t) || JA_SHORT.test(t) || longRuledOut(t);
}

// The extreme of a length: "the shortest", "fewest volumes", 「いちばん短い」「最短」; "the longest", 「一番長い」.
const EN_SHORTEST = /\b(?:shortest|fewest (?:volumes|books)|least (?:volumes|books)|quickest (?:read|one))\b/;
const EN_LONGEST = /\b(?:longest|most volumes|most books)\b/;
const JA_SHORTEST = /(?:いちばん|一番|もっとも|最も)(?:短い|巻数が少ない|少ない巻)|最短|巻数が(?:いちばん|一番|最も)少ない/;
const JA_LONGEST = /(?:いちばん|一番|もっとも|最も)(?:長い|巻数が多い)|最長|巻数が(?:いちばん|一番|最も)多い/;

/** "The shortest" / "the longest" of several series, if the message asks for one. */
export function extractSuperlative(t: string): 'shortest' | 'longest' | undefined {
  const lower = t.toLowerCase();
  if (EN_SHORTEST.test(lower) || JA_SHORTEST.test(t)) return 'shortest';
  if (EN_LONGEST.test(lower) || JA_LONGEST.test(t)) return 'longest';
  return undefined;
}

// "complete set" and "complete edition" are formats, not a status; "not finished" is ongoing.
const EN_ONGOING = /\b(?:ongoing|on-going|still (?:running|going|publishing|being published|coming out|releasing)|currently (?:running|publishing|serialized|releasing)|not (?:yet )?finished|unfinished|not (?:yet )?complete[d]?|not over yet|not done yet)\b/;
const EN_FINISHED =
  /\b(?:finished|completed|complete(?! (?:set|edition|box|collection))|concluded|ended|already over|done publishing|(?<=\b(?:series|manga|ones?|something|anything|stuff|titles?|vols?|volumes?)\b[^.?!]{0,12}?)(?:that'?s|thats|that are|that is|which (?:is|are)) (?:already |fully |completely )?done(?! with)|fully (?:out|released)|(?:has|have|that) (?:an? )?ending|wrapped up|no longer (?:running|publishing|ongoing)|not ongoing|all (?:the )?volumes (?:are )?out)\b/;
const JA_ONGOING = /連載中|未完結|完結していない|完結してない|続いている|続いてる|(?<!読み)終わってない|(?<!読み)終わっていない|まだ続いて|刊行中/;
const JA_FINISHED = /完結|(?<!読み)(?:もう|既に|すでに)?(?<!読み)終わって(?:る|いる|います)|連載(?:が)?終了|完走|全巻(?:発売|出て|出揃|そろ|揃)|最終巻まで出/;

// What the customer finished is a book they read, not a status they ask for: "I just finished
// Witch Hat Atelier", "I've finished it", "finally completed Berserk", "finished reading X",
// "after finishing X" (lead's finding L8). "Finished series", "only completed ones" stay a wish.
const EN_READ_TO_THE_END =
  /\b(?:(?:i|i'?ve|i have|i had|we|we'?ve|(?:my|our) \w+(?: has)?)\s+(?:just\s+|finally\s+|recently\s+|already\s+|now\s+)*(?:finished|completed)|(?:just|finally|recently)\s+(?:finished|completed))\b(?!\s+(?:ones?|series|manga|mangas|titles?|stories|works|only)\b)|\b(?:finished|finishing|completed) (?:reading|watching|binging|bingeing)\b|\bafter finishing\b/g;

// When a series began, as a request bounds it: a decade ("from the 2010s", "90s manga", 「2010年代」「90年代」),
// a year ("after 2015", "since 2018", "before 2000", 「2015年以降」「2000年より前」), or recent ("something more
// recent", "newer ones", 「最近の」「新しめの」: the last ten years, by the clock).
const EN_DECADE = /\b(?:(19|20)(\d)0'?s\b|(?:the |')(\d)0'?s\b)/;
const EN_DECADE_SHORT = /\b(?:from|in|of|during) (?:the )?'?(\d)0'?s\b|(?:^|\s)'?(\d)0'?s (?=manga|shoujo|shojo|shounen|shonen|seinen|josei|series|stuff|classics?|romance|action|horror|titles?|comedy|sports)/;
const JA_DECADE = /(?:(19|20)(\d)0|(\d)0)年代/;
const EN_FROM_YEAR = /\b(?:after|since|from|newer than|later than|post)\s+(?:the year\s+)?((?:19|20)\d\d)\b(?!\s*(?:yen|jpy|円))/;
const EN_TO_YEAR = /\b(?:before|until|till|older than|earlier than|pre)\s+(?:the year\s+)?((?:19|20)\d\d)\b(?!\s*(?:yen|jpy|円))/;
const JA_FROM_YEAR = /((?:19|20)\d\d)\s*年\s*(以降|から|より後|以後)/;
const JA_TO_YEAR = /((?:19|20)\d\d)\s*年\s*(より前|以前|まで)/;
const RECENT = /\b(?:(?:something|anything|any|some|a bit|little) (?:more recent|newer)|more recent(?: ones?| series| manga| stuff| titles?)?|recent (?:ones|series|manga|stuff|titles|releases)|newer (?:ones|series|manga|stuff|titles)|new(?:ish)? ones|modern (?:ones|series|manga|stuff)|not (?:so |too )?old)\b(?!\s+(?:volumes?|vols?|releases?|orders?|chapters?))|最近の(?:作品|漫画|マンガ|やつ|もの)?|新しめ|新しい(?:作品|漫画|マンガ|やつ|もの|の)|最近始まった/;
/** How many years back "recent" reaches. */
const RECENT_YEARS = 10;

/** The years a request bounds a series' start within, if it does. */
export function extractStartYears(text: string): { from?: number; to?: number } {
  const t = text.normalize('NFKC').toLowerCase();
  const decade = EN_DECADE.exec(t) ?? JA_DECADE.exec(t);
  const short = decade ? undefined : EN_DECADE_SHORT.exec(t);
  const digit = decade?.[3] ?? short?.[1] ?? short?.[2];
  if (decade?.[1] || digit) {
    // ('90s is 1990-1999; '10s and '20s are this century's.)
    const from = decade?.[1] ? Number(`${decade[1]}${decade[2]}0`) : (Number(digit) >= 3 ? 1900 : 2000) + Number(digit) * 10;
    return { from, to: from + 9 };
  }
  const out: { from?: number; to?: number } = {};
  const from = EN_FROM_YEAR.exec(t) ?? JA_FROM_YEAR.exec(t);
  if (from) out.from = Number(from[1]) + (/^after|later|newer|post|より後/.test(from[0]) || from[2] === 'より後' ? 1 : 0);
  const to = EN_TO_YEAR.exec(t) ?? JA_TO_YEAR.exec(t);
  if (to) out.to = Number(to[1]) - (/^before|older|earlier|pre/.test(to[0]) || to[2] === 'より前' ? 1 : 0);
  if (out.from === undefined && out.to === undefined && RECENT.test(t)) out.from = new Date().getFullYear() - RECENT_YEARS;
  return out;
}

/** The status a request asks for: finished or still running, if it says. */
export function extractStatus(text: string): 'finished' | 'publishing' | undefined {
  const t = text.replace(EN_READ_TO_THE_END, ' ');
  if (EN_ONGOING.test(t) || JA_ONGOING.test(t)) return 'publishing';
  if (EN_FINISHED.test(t) || JA_FINISHED.test(t)) return 'finished';
  return undefined;
}

// Ages: "a 10-year-old", "10 year old son", "my 8yo", "aged 12", 「10歳」.
// ...and a reader's age said of them: "my nephew, he's 13", "she just turned 9", "he is 15 and likes soccer".
const EN_AGE = /\b(\d{1,2})[\s-]*(?:years?|yrs?)[\s-]*old\b|\b(\d{1,2})\s*(?:yo|y\/o)\b|\baged?\s+(\d{1,2})\b|\b(?:he|she)(?:'s| is| just turned| turned| will be| turns)\s+(\d{1,2})\b(?!\s*(?:vol|volumes?|books?|yen|円|%|\$|th\b|st\b|nd\b|rd\b|[.,]\d))/;
const JA_AGE = /(\d{1,2})\s*(?:歳|才)/;
// Who it is for, not who is in it: "for kids", "my son", "kids' manga" — but not "the kid reads minds".
const EN_CHILD =
  /\b(?:for|to|suitable for|okay for|ok for|good for|safe for) (?:a |an |my |our |the |young |little )*(?:kids?|child|children|son|daughter|boy|girl|nephew|niece|grandson|granddaughter|grandkids?|grandchild(?:ren)?|little ones?|young readers?)\b|\bmy (?:little )?(?:son|daughter|kids?|child|children|boy|girl)\b|\b(?:kids?'?|children'?s?)\s+(?:manga|comics?|books?|series|titles?)\b|\b(?:elementary|primary|grade) school(?:ers?)?\b|\b(?:family|kid|child)[- ]friendly\b|\ball[- ]ages\b|\bage[- ]appropriate\b/;
const EN_TEEN = /\b(?:teens?|teenagers?|teenage|middle school(?:er)?s?|junior high|high schooler|tweens?)\b/;
const EN_ADULT = /\b(?:for (?:an? )?(?:adults?|grown[- ]?ups?|mature readers?)|adult readers?|grown[- ]?ups?|mature readers?)\b/;
const JA_CHILD = /小学生|小学校|低学年|高学年|児童|キッズ|子供|子ども|こども|息子|娘|甥|姪|孫|幼稚園|保育園|園児|家族で|親子で/;
const JA_TEEN = /中学生|高校生|中高生|ティーン/;
const JA_ADULT = /大人向け|大人が|大人の|大人に|社会人/;

// A teenager in the story, not the reader: "about a lonely teenage boy who plays shogi",
// "a teen who can read minds", 「プロ棋士の高校生が主人公」「女子高生の日常」.
const EN_TEEN_CHARACTER =
  /\b(?:about|where|in which|starring|featuring|follows?|following|protagonist is|main character is|mc is) (?:a |an |the |two |some |this )?(?:[a-z-]+ ){0,2}?(?:teens?|teenagers?|teenage|high schoolers?|middle schoolers?)\b|\b(?:teens?|teenagers?|teenage|high school|middle school) (?:[a-z-]+ )?(?:boys?|girls?|guys?|kids?|protagonists?|heroes|hero|heroines?|students?|detectives?|players?|pros?)\b (?:who|that|whose|with|in|at|becomes?|gets?|finds?|plays?)\b|\b(?:a|an|the|two) (?:teen|teenager)s? (?:who|that|whose)\b/;
// ...but a reader said outright is the reader: "for a teen who likes mysteries", "my teenager who loves sports".
const EN_TEEN_READER = /\b(?:for|to|my|our|his|her) (?:a |an |my |our |the |young )?(?:teens?|teenagers?|teenage (?:son|daughter|kid|boy|girl|reader)s?|tweens?|high schoolers?|middle schoolers?)\b/;
const JA_TEEN_CHARACTER = /(?:中学生|高校生)(?:が|の)?(?:主人公|男の子|女の子|少年|少女|男子|女子|探偵|棋士|たち|達)(?!向け)|主人公(?:が|は|の)(?:中学生|高校生)/;

function audienceOfAge(age: number): Audience {
  if (age <= 12) return 'child';
  if (age <= 17) return 'teen';
  return 'adult';
}

/** Who the books are for, if the request says: an age decides, else the words ("my son" is a child). */
/** A reader's age the message gives in English ("a 10-year-old", "he's 13"), if any: a number that is no volume. */
export function readerAge(t: string): number | undefined {
  const en = EN_AGE.exec(t);
  return en ? Number(en[1] ?? en[2] ?? en[3] ?? en[4]) : undefined;
}

export function extractAudience(t: string): Audience | undefined {
  const age = readerAge(t);
  if (age !== undefined) return audienceOfAge(age);
  const ja = JA_AGE.exec(t);
  if (ja) return audienceOfAge(Number(ja[1]));
  if ((EN_TEEN.test(t) && (EN_TEEN_READER.test(t) || !EN_TEEN_CHARACTER.test(t))) || (JA_TEEN.test(t) && !JA_TEEN_CHARACTER.test(t))) return 'teen';
  if (EN_CHILD.test(t) || JA_CHILD.test(t)) return 'child';
  if (EN_ADULT.test(t) || JA_ADULT.test(t)) return 'adult';
  return undefined;
}

// "like X" but not "I'd like", "would like", "looks like", "feel like": the words before "like"
// that make it a verb of the customer's own; nor "what's the weather like in Osaka" (no title starts with "in").
const EN_LIKE =
  /(?<!\b(?:i|i'd|we|you|they|he|she|would|'d|do|don't|dont|did|didn't|really|also|just|looks?|seems?|feels?|sounds?|more|most|might|may|will|to)\s)\b(?:like|similar to|in the vein of|along the lines of|in the style of|the same vibe as|reminds? me of|comparable to|resembling)(?!\s+(?:in|at|on|today|tomorrow|tonight|now|there|here)\b|\s+(?:[¥$￥]\s?\d|\d[\d,.]*\s*(?:yen|円|dollars?|bucks|usd)\b|\d[\d,.]*k?\s*(?:$|[,.!?])))\s+(.+?)(?=\s+(?:but|and|that|which|with|except|only|please|pls|for|or|maybe|if)\b|[,.?!;:]|$)/;
// "I loved Berserk. Anything similar?", "for a fan of Naruto", "Naruto fans".
// ("A love triangle", "a love story": a kind of story, not a title loved.)
const EN_LOVED = /\b(?:loved|liked|enjoyed|love(?!\s+(?:triangles?|stor(?:y|ies)|polygons?|interests?|comed(?:y|ies))\b)|loves|likes|enjoys|enjoy|adore|adores|fan of|fans of|into|finished reading|just read|just finished)\s+(.+?)(?=\s+(?:but|and|so|what|any|anything|can|could|please|pls)\b|[,.?!;:—–]|\s-\s|$)/;
const EN_SIMILAR = /\b(?:similar|like (?:that|it|this)|along those lines|in that vein|same vibe)\b/;
const EN_FAN = /\b(?:an? )?([a-z0-9][\w' -]{1,40}?) fans?\b/;
// 「呪術廻戦みたいな」「ベルセルクのような」「進撃っぽい」「ハイキューに似た」.
const JA_LIKE = /([^、。,.!?！？\s「」『』]+[!！]?)(?:みたいな|みたいの|みたいに|のような|のように|っぽい|に似た|に似てる|と似た|と似てる|ライクな)/;
// ...and a title set off in title marks or quotes (「「よつばと！」みたいなほのぼの系」): all of it, its "!" included.
const JA_LIKE_QUOTED = /[「『"“]([^」』"”]{1,40})[」』"”]\s*(?:みたいな|みたいの|みたいに|のような|のように|っぽい|に似た|に似てる|と似た|と似てる|ライクな)/;
// A title in Latin letters before the Japanese words ("Liar Gameみたいなのある？"): its words reach back over spaces.
const LATIN_WORDS_BEFORE = /(?:[a-z0-9][\w'!.:&-]*\s+){1,5}$/;
// "I'm a big Haikyuu fan", "my daughter's a huge fan of": the customer and how much, not the title.
const FAN_PREFIX = /^(?:(?:i'?m|i am|im|we'?re|we are|she'?s|he'?s|they'?re|my \w+(?:'s| is))\s+)?(?:(?:a|an|such a|really|so|total|massive|big|huge|giant|long-?time|longtime|die-?hard|hardcore|crazy|obsessed|avid)\s+)+/;
// 「ハイキュー好きにおすすめは？」「ワンピース好きな人向けの」: picks for a fan of the title.
const JA_FAN_PICKS = /([^、。,.!?！？\s「」『』]+?)(?:が|を)?(?:大好き|好き)(?:に|な人|の人|向け|さん)[^。？?]{0,12}?(?:おすすめ|オススメ|お勧め|お薦め|ある|教えて)/;
const JA_LOVED = /([^、。,.!?！？\s「」『』]+?)(?:が|を|は)?(?:大好き|好き|気に入っ|ハマっ|はまっ|面白かった|良かった|よかった)/;
const JA_SIMILAR = /似た|似てる|同じような|ような|みたいな|っぽい/;
// 「チェンソーマン読み終わった！次何読めばいい？」: the title just read to the end, with the next read asked — picks like it
// (as "I just finished X, what should I read next?" in English), not the title itself again.
const JA_READ_DONE = /([^、。,.!?！？\s「」『』]+?)(?:を|は|も)?(?:全部|全巻|最後まで|一気に|やっと|ついに)?(?:読み終わ|読み終え|読了|読破|読み切|完走)/;
const JA_NEXT_READ = /次(?:に|は)?(?:何|なに)|何(?:を)?読め|読むもの|読むべき|おすすめ|オススメ|お勧め|お薦め/;

/** Strips quotes and a leading article from a captured title. */
function cleanTitle(s: string): string {
  return s.replace(/^[\s"'“”「『]+|[\s"'“”」』—–-]+$/g, '').replace(/^(?:the|a|an)\s+/i, '').trim();
}

// "like it then", "similar to this one instead", "like those please": a pronoun, no title; the
// series in play is what is meant (read by the references), never a search for 'it then'.
const PRONOUN_ONLY = /^(?:it|that|this|these|those|them|that one|this one|those ones|these ones|the same)(?:\s+(?:then|too|though|also|as well|instead|again|please|pls|one|ones))*$/i;

// "Something more like Kaguya-sama though": a title asked for after picks that missed ("more like" is
// otherwise left alone: "more like the second one" picks from the list, "more like it" is the one in play).
const EN_MORE_LIKE = /\b(?:something|anything|stuff|ones?|manga|titles?|books?)\s+(?:a (?:bit|little|lot)\s+)?more\s+like\s+(.+?)(?=\s+(?:but|and|that|which|with|except|only|please|pls|for|or|maybe|if|though|tho|instead)\b|[,.?!;:]|$)/;
const ORDINAL_ONE = /^(?:the )?(?:first|second|third|fourth|fifth|last|\d+(?:st|nd|rd|th))(?: one| ones)?$/;

/** The title a request wants something like ("something like Berserk but shorter" → "berserk"), as written. */
export function extractLikeQuery(t: string): string | undefined {
  if (!MAY_LIKE.test(t)) return undefined;
  const more = EN_MORE_LIKE.exec(t);
  if (more && !PRONOUN_ONLY.test(cleanTitle(more[1])) && !ORDINAL_ONE.test(cleanTitle(more[1]))) return cleanTitle(more[1]) || undefined;
  const like = EN_LIKE.exec(t);
  if (like) return PRONOUN_ONLY.test(cleanTitle(like[1])) ? undefined : cleanTitle(like[1]) || undefined;
  const quoted = JA_LIKE_QUOTED.exec(t);
  if (quoted) return cleanTitle(quoted[1]) || undefined;
  const ja = JA_LIKE.exec(t);
  if (ja) {
    const before = /^[a-z0-9]/.test(ja[1]) ? LATIN_WORDS_BEFORE.exec(t.slice(0, ja.index)) : null;
    return cleanTitle((before ? before[0] : '') + ja[1]) || undefined;
  }
  const jaFan = JA_FAN_PICKS.exec(t);
  if (jaFan) return cleanTitle(jaFan[1]) || undefined;
  if (EN_SIMILAR.test(t)) {
    const loved = EN_LOVED.exec(t);
    if (loved) return withoutFillers(cleanTitle(loved[1]).replace(FAN_PREFIX, '')) || undefined;
  }
  if (JA_SIMILAR.test(t)) {
    const loved = JA_LOVED.exec(t);
    if (loved) return cleanTitle(loved[1]) || undefined;
  }
  // "I've already read Monster and Pluto, anything similar?", 「モンスターとプルートはもう読んだ。似たようなの教えて」: the
  // titles read are what the picks are like (ruled out as read, they are never among them).
  if (EN_SIMILAR.test(t) || JA_SIMILAR.test(t)) {
    const read = new RegExp(EN_READ.source).exec(t) ?? new RegExp(JA_READ.source).exec(t);
    const title = read ? withoutFillers(cleanTitle(read[1])) : '';
    if (title && !POINTED_WORKS.test(title)) return title;
  }
  const done = JA_NEXT_READ.test(t) ? JA_READ_DONE.exec(t) : null;
  if (done) return cleanTitle(done[1]) || undefined;
  const loved = EN_LOVED.exec(t);
  if (loved && /\b(?:recommend|suggest|what (?:should|next|else)|read next|anything|something)\b/.test(t)) return withoutFillers(cleanTitle(loved[1])) || undefined;
  const fan = EN_FAN.exec(t);
  if (fan && !/\b(?:big|huge|a|an|the|my|your)$/.test(fan[1])) return cleanTitle(fan[1].replace(FAN_PREFIX, '')) || undefined;
  return undefined;
}

// Picks from what the customer bought here: "based on my past orders", "something like what I've bought",
// 「購入履歴からおすすめ」「今まで買ったものに似た漫画」.
const EN_FROM_PURCHASES =
  /\b(?:based on|from|going by|judging by|given|according to|similar to|like|matching|along the lines of)\s+(?:what|(?:the )?(?:stuff|things|manga|books|series|titles|ones))(?: that)?\s+i(?:'ve| have)?\s+(?:already\s+)?(?:bought|ordered|purchased)\b|\b(?:based on|from|going by|judging by|given|according to|using)\s+my\s+(?:past |previous |recent |old )?(?:orders|purchases|purchase history|order history|buying history)\b/;
const JA_FROM_PURCHASES = /(?:購入|注文)履歴(?:から|を(?:元|もと)に|に(?:合わせ|基づ)|を見て|っぽい|に似た)|(?:今まで|これまで|前に|以前|過去に)?(?:に)?(?:買った|購入した|注文した)(?:もの|作品|漫画|マンガ|本|の)(?:から|を(?:元|もと)に|に(?:似た|近い|合わせ)|と似た|っぽい|みたいな|の傾向)/;

/** True when the picks are asked for from what the customer bought here ("based on my past orders", 「購入履歴からおすすめ」). */
export function asksFromPurchases(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  return EN_FROM_PURCHASES.test(t) || JA_FROM_PURCHASES.test(t);
}

// "not Naruto", "except One Piece", "other than X", "I've already read X", 「ワンピース以外」「Xはもう読んだ」.
const EN_NOT = /\b(?:not|(?:anything|everything|something) but|except|other than|besides|apart from|excluding|but not|no more(?!\s+than\b))\s+(.+?)(?=\s+(?:but|please|pls|though|for|with)\b|[.?!;:]|$)/g;
// (Titles read are listed with "and": "I've read Monster and Pluto"; "and" before a clause of the customer's ends them.)
const EN_READ = /\b(?:already (?:read|have|own|finished)|(?:i'?ve|i have) (?:already )?(?:read|finished)|i (?:already )?own|i already have)\s+(.+?)(?=\s+(?:already|but|so|please|pls|and(?=\s+(?:i|i'm|i'd|i've|im|want|would|so|now|what|need|am|also|looking|it|they|loved|liked|enjoyed|now)\b))\b|[,.?!;:]|$)/g;
const JA_NOT = /([^、。,.!?！？\s「」『』]+?)以外/g;
const JA_READ = /([^、。,.!?！？\s「」『』]+?)(?:は|も)(?:もう|既に|すでに)?(?:読んだ|読みました|読了|持って(?:る|います|ます)|(?:アニメ(?:で)?)?(?:見た|観た|見ました|観ました))/g;
// A title ruled out without は: 「ベルセルクとヴィンランド・サガ読了済み」「呪術廻戦なしで」「進撃の巨人を除いて」
// 「ワンピース抜きで」. (The word itself ends the title: 読了, なし/無し, 除いて/除く, 抜き.)
const JA_RULED_OUT = /([^、。,.!?！？\s「」『』]+?)(?:は|を|も)?(?:もう|既に|すでに)?(?:読了(?:済み?|した)?|(?:なし|無し|抜き)(?:で|に)|(?:を)?除(?:いて|く|外して|外で))/g;
// Titles read listed before "already": "read berserk, vagabond, vinland saga already", "finished Monster already".
// A title whose anime was watched: "seen the attack on titan anime so not that", "watched the Frieren anime".
const EN_SEEN_ANIME = /\b(?:seen|watched|saw)\s+(?:the\s+)?(.+?)\s+anime\b/g;
const EN_READ_ALREADY = /\b(?:read|finished|own|seen|watched)\s+(.+?)\s+already\b/g;
// "I own all of One Piece", "I've read every volume of Naruto": the whole title is had.
const WHOLE_OF = /^(?:every (?:single )?(?:volume|book|issue|chapter)|all (?:the )?(?:volumes|books)|each volume|the whole(?: thing)?|all|every(?:thing)?|each)\s+(?:of\s+)?/;

// "not by Ai Yazawa", "nothing by Oda", "except Urasawa's", 「矢沢あい以外の作家」「尾田先生以外」.
const EN_NOT_BY = /\b(?:not|nothing|none|anything but|except|other than|no)\s+(?:\w+\s+){0,2}?(?:by|from)\s+(.+?)(?=\s+(?:but|and|or|please|pls|though)\b|[,.?!;:]|$)/g;
const JA_NOT_BY = /([^、。,.!?！？\s「」『』]+?)(?:先生|さん|氏)?(?:以外の(?:作家|作者|漫画家|先生)|の作品以外|先生以外|さん以外)/g;

// Words that trail a ruled-out name without being part of it: "not Junji Ito tho", "no Naruto this time".
// ...and how much a title was liked ("I liked Vinland Saga a lot", "loved Monster so much").
const TRAILING_FILLERS = /(?:\s+(?:here|tho|though|this time|this round|please|pls|plz|lol|either|anymore|any more|again|for now|ok|okay|thanks|thx|really|at all|i guess|haha|lmao|a lot|a ton|lots|loads|so much|very much|too|as well))+$/;

/** A ruled-out phrase without the words that trail it ("junji ito tho" → "junji ito"). */
function withoutFillers(phrase: string): string {
  return phrase.replace(TRAILING_FILLERS, '').trim();
}

/** Authors a request rules out, as written ("not by Ai Yazawa" → "ai yazawa"). */
export function extractAuthorExclusions(t: string): string[] {
  const out: string[] = [];
  if (!MAY_EXCLUDE.test(t) && !/by|from/.test(t)) return out;
  for (const re of [EN_NOT_BY, JA_NOT_BY]) {
    re.lastIndex = 0;
    for (const m of t.matchAll(re)) {
      const name = withoutFillers(cleanTitle(m[1])).replace(/'s$/, '');
      if (name && !out.includes(name)) out.push(name);
    }
  }
  return out;
}

/** Phrases a request rules out, as written ("not Naruto" → "naruto"): titles, or genre words the caller maps to tags. */
export function extractExclusions(t: string): string[] {
  const out: string[] = [];
  if (!MAY_EXCLUDE.test(t)) return out;
  for (const re of [EN_NOT, EN_READ, EN_READ_ALREADY, EN_SEEN_ANIME, JA_NOT, JA_READ, JA_RULED_OUT]) {
    re.lastIndex = 0;
    for (const m of t.matchAll(re)) {
      // "not Naruto or Bleach", 「ワンピースとナルト以外」: each title ruled out.
      for (const part of m[1].replace(/^(?:(?:i'?ve|i have|i|already)\s+)*(?:already\s+)?(?:read|finished|own|have|seen|watched)\s+/, '').split(/\s*(?:,|、|\bor\b|\bnor\b|\band\b|と|や)\s*/)) {
        const phrase = withoutFillers(cleanTitle(part).replace(WHOLE_OF, '').replace(/\s+(?:anime|manga|series|show)$/, ''));
        if (/^(?:the|a|an)?\s*(?:anime|manga|series|show|it|that|this|them)$/.test(phrase)) continue;
        // "not by Ai Yazawa" rules out an author (extractAuthorExclusions), not a title.
        // "I've read all of his", "I own all of them": works pointed at, not a title's name.
        if (phrase && !POINTED_WORKS.test(phrase.replace(READ_LEAD, '')) && !/^(?:(?:\w+\s+){0,2}?(?:by|from)\s)|(?:先生|さん|氏)$|^の?作品$/.test(phrase) && !out.includes(phrase)) out.push(phrase);
      }
    }
  }
  return out;
}

const EN_SAME_AUTHOR =
  /\bsame (?:author|artist|mangaka|writer|creator)\b|\bby (?:the same|that|this|him|her|them)(?: (?:author|artist|mangaka|writer|creator|person))?\b|\bother (?:works|books|series|manga|titles|stuff) (?:by|from)\b|\bmore (?:from|by) (?:the|that|this) (?:author|artist|mangaka|writer)|\b(?:author|artist|mangaka)'s other\b|\b(?:he|she|they) (?:wrote|drew|made)\b|\bwhat else (?:did|has|have) (?:he|she|they|the author|the artist)\b|\b(?:of|by) (?:hers|his|theirs)\b|\b(?:her|his|their) other (?:works|books|series|manga|titles|stuff|ones)\b/;
const JA_SAME_AUTHOR = /同じ(?:作者|著者|作家|先生|漫画家|人)|(?:作者|著者|作家|先生|漫画家)の(?:他|ほか|別)の|(?:他|ほか)の作品|この(?:作者|先生|人)の|(?:他|ほか)に(?:どんな|何か|なにか)?(?:作品|漫画|マンガ)?を?(?:描|書)い/;

// Words that only point at works ("all of his", "everything of hers", "them all"): no title.
const POINTED_WORKS = /^(?:(?:all|every|everything|each|most|any|of|his|hers|her|their|theirs|them|those|these|it|that|the|stuff|works?|books?|manga|series|titles?|ones?)\s*)+$/;
const READ_LEAD = /^(?:i'?ve|i have|i|already)\s+(?:already\s+)?(?:read|finished|own|got|have)\s+/;
// Having read an author's works already ("not Junji Ito tho, I've read all of his") asks for
// something else, not more by them.
const READ_ALL_OF = /\b(?:i'?ve|i have|i|already)\s+(?:already\s+)?(?:read|finished|own|got|have)\s+(?:all|every(?:thing)?|most|each)\s+(?:one\s+)?(?:of\s+)?(?:his|hers|her|theirs|their)\b(?:\s+(?:stuff|works?|books?|manga|series|titles))?/g;

// Checking a fact is no request for more by them: "maybe Mob Psycho 100 instead, same author right?",
// "is it by the same author?", 「同じ作者だよね？」.
const SAME_AUTHOR_CHECK = /\bsame (?:author|artist|mangaka|writer|creator|guy|person)\b(?: as [^,?.!]+)?,?\s*(?:right|correct|yeah|yes|no|isn'?t it|aren'?t they|huh|too|as well)\s*\?|\b(?:is|was) (?:it|that|this|that one|this one|he|she)\b[^?.!]{0,30}\bsame (?:author|artist|mangaka|writer|creator|guy|person)\b|\bare (?:they|those|these|both)\b[^?.!]{0,30}\bsame (?:author|artist|mangaka|writer|creator|guy|person)\b|同じ(?:作者|著者|作家|先生|漫画家|人)(?:の作品)?(?:だよね|ですよね|でしたっけ|だっけ|なの|なんですか|ですか)/g;

/** True when the request is for more by the same author. */
export function asksSameAuthor(t: string): boolean {
  const asked = t.replace(READ_ALL_OF, ' ').replace(SAME_AUTHOR_CHECK, ' ');
  return EN_SAME_AUTHOR.test(asked) || JA_SAME_AUTHOR.test(asked);
}

const EN_NEXT =
  /\bnext (?:vol(?:ume)?|book|one|release|installment|part|tankobon)\b|\b(?:the )?next (?:[^\s?,]+ ){1,4}(?:vol(?:ume)?|book|installment|tankobon)\b(?!\s*#?\d)|\b(?:upcoming|new|newer) (?:vol(?:ume)?|release|book)s?\b|\bnext (?:come|comes|coming) out\b|\bthe next\b(?=\s*(?:\?|$|come|out|release|due))|\bwhen(?:'s| does| will| is) the next\b|\bwhen(?:'s| does| will| is) (?:the )?(?:new|next) (?:one|vol(?:ume)?|book)\b|\bany new (?:ones|volumes)\b|\b(?:the )?(?:one|volume|vol|book) after(?: that| it)?\b|\bafter that one\b|\bwhat(?:'s| is| comes) (?:next|after(?: (?:that|it|this|vol(?:ume)?\.?\s*\d{1,3}))?)\b/;
// ...and "the price of the last JJK", "how much is the latest Kingdom": the last volume of the title after it.
const EN_LAST = /\b(?:last|final|latest|newest|most recent|current) (?:vol(?:ume)?|book|one|release|installment|tankobon)\b|\b(?:price|prices|cost|costs|how much|in stock)\b(?:\s+(?:is|are|of|for|does))*\s+the (?:last|final|latest|newest|most recent)\b(?!\s+(?:game|of\b|one standing))/;
// 新刊 is the coming volume; 最新刊 the latest one out.
const JA_NEXT = /次の巻|次巻|続巻|続刊|続き|(?<!最)新刊|最新刊の次|次のやつ|次は(?:いつ|何)|次の(?:は|って)(?:いつ|何)|その次(?!に(?:何|なに|読))/;
const JA_LAST = /最新刊|最終巻|最後の巻|最新の巻|最新巻/;

// A new volume asked about as still to come ("is there a new Death Note volume coming?", "is a new
// Overlord volume coming out soon?", 「キングダムの最新刊っていつ出る？」): the next one, not the latest out.
// Said of the past ("when did the latest one come out?", 「最新刊はいつ出ました？」) it stays the latest.
// (A title's abbreviation is no sentence end: "a new Kaiju No. 8 volume".)
const EN_NEWISH = /\b(?:new|newer|newest|latest|another|more)\b(?:[^.?!]|(?<=\b(?:no|vol|dr|mr|mrs|ms|st|jr))\.){0,40}?\b(?:vol(?:ume)?s?|books?|releases?|ones?|installments?)\b/;
const EN_FUTURE = /\b(?:coming|come out|comes out|will (?:\w+ )?(?:come|be out|be released|release|drop)|planned|announced|scheduled|upcoming|soon|any time soon|on the way|pre-?order(?:ed|ing)?)\b/;
const EN_PAST = /\b(?:did|came|was|were|has been|have been)\b|\breleased\b(?! (?:soon|next))/;
const JA_NEWISH = /最新刊|最新巻|最新の巻|新しい巻|新しいの/;
const JA_FUTURE = /いつ(?:頃|ごろ)?(?:出る|出ます|出そう|発売(?:され(?:る|ます)|します|予定)?)|出ます(?:か|\?|？)|出る(?:の|予定|んですか|かな)|発売予定|予定(?:は|って|ある|あり)|予約(?:でき|した|する)|まだ(?:出て|発売)/;
const JA_PAST = /出ました|出た(?:の|っけ|んですか)?|発売された|発売しました/;

// Something new of a title asked as still to come with no word for a volume ("any new yotsuba coming?",
// "is a new Frieren coming out soon?"): with one series found, that is its next volume (see gather).
const EN_NEW_OF = /\b(?:any(?:thing)?|something|a|some) new\b/;

/** True when a message asks whether something new (of the title it names) is still to come, with no volume word. */
export function asksNewComing(t: string): boolean {
  return EN_NEW_OF.test(t) && EN_FUTURE.test(t) && !EN_PAST.test(t);
}

/** True when a message asks about a new volume still to come (the next one), not the latest out. */
export function asksComingVolume(t: string): boolean {
  return (EN_NEWISH.test(t) && EN_FUTURE.test(t) && !EN_PAST.test(t)) || (JA_NEWISH.test(t) && JA_FUTURE.test(t) && !JA_PAST.test(t)) || asksForPreorders(t);
}

// What a series has up for preorder ("any preorders for One Piece?", "is anything up for preorder?",
// 「ワンピースの予約受付中の巻ある？」): its announced volumes, i.e. the next one. Not how preordering
// works ("how do preorders work?", "when am I charged for a preorder?": a policy question) and not one
// already placed ("did my preorder ship?").
const EN_PREORDERS = /\b(?:any|are there|is there|got any|what)\b[^.?!]{0,24}?\bpre-?orders?\b(?! (?:work|policy|rules?|payment|charge))|\bpre-?orders? (?:for|of|on)\b|\b(?:up|open|available) (?:for|to) pre-?order\b/;
const JA_PREORDERS = /予約(?:受付中|受け付け中|受付|可能)(?:の|な)?(?:巻|もの|本)?(?:は|って|が)?(?:ある|あります|でき)|予約できる(?:巻|本|の)/;

/** True when the message asks what a series has up for preorder (the next, announced volume). */
export function asksForPreorders(t: string): boolean {
  return (EN_PREORDERS.test(t) && !/\b(?:my|mine|i (?:pre-?)?ordered|did)\b/.test(t)) || (JA_PREORDERS.test(t) && !JA_PAST.test(t));
}

// Where the customer is in a series ("I'm on vol 10", "I've read up to 10", "finished volume 3",
// 「10巻まで読んだ」「70巻まで持ってる」): the next volume for them is the one after it, not the
// series' newest. (A volume asked for, "is vol 4 in?", is no position.)
const EN_POSITION =
  /\b(?:i'?m|i am|we'?re) (?:on|at|up to|caught up to|through) (?:vol(?:ume)?\.?\s*|book\s*|#)?(\d{1,3})\b|\b(?:read|got|have|own|bought|collected|finished|caught up)\s+(?:up to|through|till|until|to)\s+(?:vol(?:ume)?\.?\s*|book\s*|#)?(\d{1,3})\b|\b(?:just |already )?(?:finished|read|done with|completed)\s+(?:vol(?:ume)?\.?\s*|book\s*)(\d{1,3})\b|\bafter (?:vol(?:ume)?\.?\s*|book\s*|#)(\d{1,3})\b/i;
const JA_POSITION = /(\d{1,3})\s*巻(?:目)?\s*まで(?:は|を)?\s*(?:もう)?(?:読|持|買|揃|そろ|集|購入|追)|(\d{1,3})\s*巻(?:目)?\s*(?:を|は|まで)?\s*(?:読み終|読了|読んだ|買った)|(\d{1,3})\s*巻の(?:次|続き)/;

/** The last volume the customer says they have read or own ("I'm on vol 10", 「70巻まで持ってる」), if any. */
export function readingPosition(t: string): number | undefined {
  const m = EN_POSITION.exec(t) ?? JA_POSITION.exec(t.normalize('NFKC'));
  const n = m ? Number(m.slice(1).find((g) => g !== undefined)) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * True when the only thing that read as "the next volume" is a word for carrying on with a series
 * (「続き」「続きを買いたい」, "continue"): with a volume named beside it (「ガンツの続き買いたいんだけど4巻ある？」)
 * that volume is the one asked, not the series' next.
 */
export function continuesWithVolume(t: string): boolean {
  const plain = t.replace(/続き|\bcontinu(?:e|ing)\b/gi, '');
  return plain !== t && !EN_NEXT.test(plain) && !JA_NEXT.test(plain) && !asksComingVolume(plain);
}

// The volumes after the one in play: "and the rest?", "the remaining volumes", "everything after
// it", 「残りの巻は？」「それ以降は？」「その先全部」. (Not "the rest of my order": no volume is in play then.)
const EN_REST = /\b(?:the |all the |and the )?(?:rest|remaining(?: ones| volumes| vols| books)?|remainder)\b(?! of (?:my|the|your|our) (?:order|money|points|payment|balance))|\b(?:everything|all(?: the)? (?:ones|volumes|vols|books)?|the ones|the volumes) after (?:it|that|this|that one|this one)\b/i;
const JA_REST = /残り|それ以降|その先|以降の巻|そこから先|そっから先/;

/** True when a message asks for the volumes after the one in play ("and the rest?", 「残りの巻は？」). */
export function asksTheRest(t: string): boolean {
  return EN_REST.test(t) || JA_REST.test(t.normalize('NFKC'));
}

/** A volume named by its place in the series: the next one, or the last/latest one. */
export function extractVolumeRef(t: string): 'next' | 'last' | undefined {
  if (EN_NEXT.test(t) || JA_NEXT.test(t) || asksComingVolume(t)) return 'next';
  if (EN_LAST.test(t) || JA_LAST.test(t)) return 'last';
  return undefined;
}

const FORMATS: [RegExp, ProductFormatWord][] = [
  [/\b(?:digital|e-?books?|kindle|electronic|ebook edition)\b|電子版|電子書籍|デジタル版?|電子で/, 'digital'],
  [/\b(?:kanzenban|perfect edition|complete edition|deluxe edition)\b|完全版/, 'kanzenban'],
  // "and box 1?", 「BOX3の値段は？」: a box set by its number. A box alone: 「デスノートのBOXって」「BOXもある？」
  // (Latin BOX in Japanese text), "is there a box?", "the box" — not a title's word ("Blue Box", "Box of Light").
  [/\b(?:box ?sets?|boxed sets?|collector'?s box)\b|\bbox(?=\s*(?:#|no\.?\s*)?\d)|\b(?:a|the|any|that|this) box\b(?!\s+(?:of|[a-z]+ (?:vol|volume)))|\b(?:the )?(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|last) box(?:ed)?(?: ?sets?)?\b(?!\s+of)|(?<![a-z]\s?)\bbox\b(?=\s*[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}？?])|ボックス|セット/u, 'box_set'],
  // "The regular edition", 「紙のほうは？」, 通常版: the ordinary print volume (not 表紙, a cover).
  [/\b(?:paperback|print(?:ed)? (?:edition|version|copy|one)|physical (?:copy|edition|book|one)|tankobon|(?:regular|normal|standard|ordinary) (?:edition|version|one|volume|vol)s?)\b|(?<![表和手型色])紙(?:の(?:本|ほう|方|やつ|版)|で|版|は|が)|通常版|単行本/, 'tankobon'],
];

// The whole series at once: "how much for all of them?", "the whole series", 「全巻でいくら？」「まとめて」.
// Also with the title between ("every Monster volume", "all the Frieren books"), and a count of
// them (「全12巻の合計」, "all 18 volumes").
const EN_WHOLE = /\b(?:all (?:of )?(?:them|the volumes|volumes|the books|\d+ (?:volumes|books))|whole series|entire series|full series|complete series|complete set|full set|complete run|whole run|entire run|every volume|all \d+|(?<=\b(?:buy|buying|get|getting|would|does|do|is|are|cost of|price of|much|for) )all of(?! (?:them|it|this|that|those|these|your|you|my|our)\b)|the whole of\b|(?:every|each) (?:(?!of\b|one\b)[\p{L}\d'!:.-]+ ){1,4}(?:volume|book)|all (?:the |of the )?(?:(?!of\b)[\p{L}\d'!:.-]+ ){1,4}(?:volumes|books))\b/u;
// ...and every volume bought to complete a set: 「1巻から全部そろえる」「最新刊まで全部買う」「全部集めたら」.
const JA_WHOLE = /全巻(?!セット)|全部で|全部まとめて|まとめて|一式|全冊|全\s*\d{1,3}\s*(?:巻|冊)(?!セット)|全部(?:そろえ|揃え|そろ|揃|買|集め|購入)|(?:\d{1,3}\s*巻|最初|一巻)から(?:最新刊|最新巻|最終巻|最後|全部)/;

/** True when the first volume is named as where a run starts (「1巻から全部」「最初から」, "from vol 1 to the latest"), not as the volume asked. */
export function fromFirstVolume(t: string): boolean {
  // (Not a range with its own end: 「1巻から4巻まで」, "from vol 1 to 4".)
  return /(?:(?:^|[^\d])1\s*巻(?:目)?|一巻|最初(?:の巻)?)から(?!\s*(?:第\s*)?[\d一二三四五六七八九十]+\s*巻)|\bfrom (?:vol(?:ume)?\.?\s*|book\s*|#)?(?:1|one)\b(?!\s*(?:-|to|through|thru|till|until)\s*(?:vol(?:ume)?\.?\s*)?\d)|\bfrom the (?:first|start|beginning)\b/i.test(t.normalize('NFKC'));
}

// ...a run from the first volume to the newest ("from vol 1 to the latest", "from the start up to the current one").
const EN_RUN = /\bfrom (?:the )?(?:vol(?:ume)?\.?\s*|book\s*|#)?(?:1|one|first(?: (?:one|volume|vol|book))?|start|beginning) (?:up )?(?:to|through|thru|till|until) (?:the )?(?:latest|newest|last|end|final|current|most recent)\b/i;

/** True when a message asks about every volume of a series at once (a total price, what is in stock). */
export function asksWholeSeries(t: string): boolean {
  return EN_WHOLE.test(t) || JA_WHOLE.test(t) || EN_RUN.test(t);
}

const EN_PREVIOUS = /\b(?:the )?(?:one|volume|vol|book) before(?: that| it| this)?\b|\bprevious (?:one|volume|vol|book)\b|\bvolume before\b/;
const JA_PREVIOUS = /前の巻|前巻|ひとつ前|一つ前|1つ前|一個前|1個前|その前/;

/** True when a message asks for the volume before the one the conversation is on ("the one before?", 「その前の巻は？」). */
export function asksPreviousVolume(t: string): boolean {
  return EN_PREVIOUS.test(t) || JA_PREVIOUS.test(t);
}

// A format taken back ("forget the ebook, I'll get the paperback", "not the box set", 「電子じゃなくて紙で」): not the one asked.
const FORMAT_WORD = /(?:the |a |an |that |this )?(?:digital|e-?books?|kindle|electronic|paperbacks?|print(?:ed)?|physical|box ?sets?|kanzenban)(?: (?:one|version|edition|copy))?\b/.source;
const FORMAT_TAKEN_BACK = new RegExp(
  `\\b(?:not|forget(?: about)?|instead of|rather than|skip|never ?mind(?: about)?|don'?t want|nvm)\\s+${FORMAT_WORD}|(?:電子版?|電子書籍|デジタル版?|紙(?:の本)?|単行本|完全版|ボックス|box|セット)(?:は|の方は|のほうは)?(?:じゃなくて|じゃなく|ではなくて|ではなく|でなくて|やめて|やめ|いらない|なしで)`,
  'g',
);

/** The product format a message names, if any (one it takes back aside). */
export function extractFormat(t: string): ProductFormatWord | undefined {
  const kept = t.replace(FORMAT_TAKEN_BACK, ' ');
  for (const [re, format] of FORMATS) if (re.test(kept)) return format;
  return undefined;
}
