/**
 * Which running promotions a question is about: "any deals on Slam Dunk?" asks for the ones that
 * list Slam Dunk, "a coupon for new members?" the welcome offer, 「送料無料のキャンペーンはいつまで？」
 * the free-shipping one. Matched on the promotions' own words (both languages), what they are (a
 * code, free shipping, points), and the series they list; never on words every promotion uses.
 */
import type { Promotion } from './types.ts';
import type { Product, ProductFormat } from '../catalog/types.ts';
import { memoizeText } from '../shared/memo.ts';

/** Folds width and case. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const JA_CONTENT = /[\p{Script=Han}\p{Script=Katakana}ー]+/gu;
// Words of any promotion question: they say a promotion is wanted, not which.
const GENERIC = new Set(
  'any the and for you your are there have what which when deal deals sale sales promotion promotions campaign campaigns discount discounts offer offers right now current currently running store shop manga order orders please about with get one'.split(' '),
);
const GENERIC_JA = /キャンペーン|セール|割引|お得|安く|開催|実施|教え|今|やって|ありま|です|ます/g;

// Seasons and events as customers name them in either language: 「お正月のセール」 is the New Year sale.
const EVENTS: [RegExp, string][] = [
  [/お?正月|年始|新年|新春|new ?year/g, ' newyear 新春 '],
  [/golden ?week|ゴールデン ?ウィーク|\bgw\b/g, ' goldenweek ゴールデンウィーク '],
  [/halloween|ハロウィン/g, ' halloween ハロウィン '],
  [/christmas|xmas|クリスマス/g, ' christmas クリスマス '],
  [/summer|夏/g, ' summer 夏季 '],
  [/winter|冬/g, ' winter 冬季 '],
];

/** Stemmed English words and Japanese content bigrams (as `ja:`), without the words every promotion question uses. */
// Each question reads every promotion's own text, several times over: terms are made once per
// text (read-only: callers only look them up and spread them).
const terms = memoizeText(readTerms, 512);

function readTerms(text: string): Set<string> {
  const out = new Set<string>();
  let t = fold(text);
  for (const [re, as] of EVENTS) t = t.replace(re, as);
  for (const w of t.match(/[a-z0-9]{3,}/g) ?? []) {
    if (GENERIC.has(w)) continue;
    out.add(w.length > 4 ? w.replace(/(?:ing|ed|es|s)$/, '') : w);
  }
  for (const run of t.replace(GENERIC_JA, ' ').match(JA_CONTENT) ?? []) {
    if (run.length === 1) continue;
    for (let i = 0; i + 1 < run.length; i++) out.add(`ja:${run.slice(i, i + 2)}`);
  }
  return out;
}

/** A promotion's own words: its titles, descriptions and code ("can I still use SPOOKY20?" names the Halloween sale). */
function own(p: Promotion): string {
  return `${p.title} ${p.titleJa} ${p.description} ${p.descriptionJa} ${p.code ?? ''}`;
}

// A points multiplier named ("double points", 「ポイント2倍」, "5x"): the campaigns of that multiplier, not every points campaign.
const MULTIPLIERS: [RegExp, number][] = [
  [/\bdouble\b|\btwice\b|\b2\s*x\b|\bx\s*2\b|2\s*倍|二倍/i, 2],
  [/\btriple\b|\b3\s*x\b|\bx\s*3\b|3\s*倍|三倍/i, 3],
  [/\bfive times\b|\b5\s*x\b|\bx\s*5\b|5\s*倍|五倍/i, 5],
];

/** What kind of promotion a question asks for, by the promotion's own fields. */
const KINDS: { asks: RegExp; is: (p: Promotion) => boolean }[] = [
  { asks: /coupon|promo ?code|discount code|\bcode\b|クーポン|コード/, is: (p) => p.code !== undefined },
  { asks: /free shipping|shipping|postage|送料|配送/, is: (p) => p.kind === 'free_shipping' },
  { asks: /\bpoints?\b|ポイント/, is: (p) => p.kind === 'points_multiplier' },
  { asks: /bundle|bulk|\bset of\b|まとめ買い|まとめて/, is: (p) => p.kind === 'bundle' },
  { asks: /new (?:member|customer|account)s?|first (?:order|purchase|time)|sign(?:ing)? up|welcome|新規|初めて|はじめて|初回/, is: (p) => /first order|new member|初回|新規/i.test(`${p.description} ${p.descriptionJa}`) },
];

/**
 * The running promotions a question picks out, best first: by kind (a code, free shipping,
 * points, a bundle, a welcome offer) and by the words it shares with a promotion's titles and
 * descriptions that few promotions share. Empty when it asks for promotions in general.
 */
export function promotionsAskedFor(question: string, promotions: Promotion[]): Promotion[] {
  if (promotions.length === 0) return [];
  const q = fold(question);
  const asked = terms(question);
  const docs = promotions.map((p) => terms(own(p)));
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d) df.set(t, (df.get(t) ?? 0) + 1);
  const scored = promotions.map((p, i) => {
    let score = 0;
    for (const k of KINDS) if (k.asks.test(q) && k.is(p)) score += 2;
    // "Do I get the double points?": a points campaign of another multiplier is not what was asked.
    const times = MULTIPLIERS.find(([re]) => re.test(q))?.[1];
    if (times !== undefined && p.kind === 'points_multiplier' && p.value !== times) score = 0;
    for (const t of asked) {
      const n = df.get(t) ?? 0;
      // A word most running promotions share ("off", "points") picks none of them out; one
      // Japanese bigram alone is too weak a sign (スラムダンク shares スラ with スライム).
      if (docs[i].has(t) && n <= Math.max(1, promotions.length / 3)) score += t.startsWith('ja:') ? 0.5 : 1;
    }
    return { p, score };
  });
  const best = Math.max(...scored.map((s) => s.score));
  // Only the ones picked out clearly: "extra points for Prime?" is the Prime offer, not every points campaign.
  return scored.filter((s) => s.score >= 1 && s.score >= 0.6 * best).sort((a, b) => b.score - a.score).map((s) => s.p);
}

/**
 * The promotions not running now (ended, or not started yet) that a question names by their own
 * words ("is the Halloween sale still on?", 「お正月のセールは？」), best first: the ones it picks out
 * from all of them, running or not, with a word of their own — a kind alone ("free shipping")
 * names the running one, not last spring's.
 */
export function notRunningNamed(question: string, running: Promotion[], others: Promotion[]): Promotion[] {
  if (others.length === 0) return [];
  const all = [...running, ...others];
  const picked = promotionsAskedFor(question, all);
  const asked = terms(question);
  const namedByOwnWord = (p: Promotion) => {
    const mine = terms(own(p));
    return [...asked].some((t) => mine.has(t) && all.filter((x) => terms(own(x)).has(t)).length <= 2);
  };
  // Only when one of them is what the question picks out first (a running one named better wins).
  return picked[0] && others.includes(picked[0]) ? picked.filter((p) => others.includes(p) && namedByOwnWord(p)) : [];
}

/**
 * True when a promotion question names something particular ("a student discount?", 「学割」) that
 * no running promotion's words share: the answer says none is about that before listing them.
 */
export function namesSomethingElse(question: string, promotions: Promotion[]): boolean {
  const known = new Set(promotions.flatMap((p) => [...terms(own(p))]));
  const asked = [...terms(question)].filter((t) => !ASKING.has(t));
  return asked.length > 0 && asked.every((t) => !known.has(t));
}
// Words of a question about promotions that name nothing in particular.
const ASKING = new Set('anything something got there now today this week month store website site available then else again also still more other others ja:今日 ja:今週 ja:今月'.split(' '));

/** Running promotions that list the series, and the store-wide ones that apply to it as well. */
export function promotionsForSeries(seriesId: string, promotions: Promotion[]): { specific: Promotion[]; storeWide: Promotion[] } {
  return {
    specific: promotions.filter((p) => p.seriesIds.includes(seriesId)),
    storeWide: promotions.filter((p) => p.seriesIds.length === 0),
  };
}

// What a promotion question says besides a title: removed before the title search, so "any deals
// on Slam Dunk?" searches "slam dunk" and "any sales right now?" searches nothing.
const PROMO_WORDS_EN = /\b(?:is|are|there|any|some|the|a|an|on|for|of|in|to|with|do|does|you|your|have|has|got|get|now|right|current(?:ly)?|running|deals?|sales?|promotions?|promos?|campaigns?|discounts?|offers?|coupons?|codes?|cheaper|cheap|reduced|price|prices|points?|bonus|special|it|this|that|them|kanzenban|edition|editions|volumes?|manga|series|please|what|which|how|about|anything|many|much|will|would|can|could|should|i'?ll|i'?m|i'?ve|i|we|my|me|earn|earned|earning|buy|buying|bought|purchase|purchases|purchasing|if|when|rate|times|multiplier|double|triple|specifically|particular|been|eyeing|eye|looking|thinking|considering|interested|want|wanting|wanna|planning|starting)\b/gi;
// (「フリーレンのポイント5倍ってまだやってます？」: the campaign's rate and まだ are no words of the title.)
const PROMO_WORDS_JA = /(?:の|で|は|が|も|に|を|って)?(?:キャンペーン|セール|割引|クーポン|ポイント(?:[0-9０-９]+倍)?|[0-9０-９]+倍|特典|お得|何倍|何%|何パーセント|買うと|買ったら|購入すると|貯まる|たまる|もらえる|付く|つく|安く(?:なって(?:る|います|ます)?|なる|なり(?:ます)?)?か?|値下げ|完全版|単行本|電子版|全巻|全部|全て|まとめて)(?:は|が|を|って|も(?!らえ)|の)?|もらえ(?:る|ます|ません)?か?|(?:あり|ある|なって|なり|やって|して)(?:ます|ません)?(?:か)?|(?:い|おり)ます(?:か)?|ですか|ますか|でしょうか|教えて(?:ください)?|ください|今|まだ|何か|なにか|どれくらい|どのくらい|どれぐらい|いくつ|いくら|何|どう|[？?！!。、]/g;

// "The kanzenban one", "that Slam Dunk one": a promotion pointed at by a word of it; "one" names no title.
const THE_X_ONE = /\b((?:the|that|this) [\p{L}\p{N}' -]{2,30}?) ones?\b/giu;
// When a promotion ends, asked ("when does it end", "until when", "how long does it last"): no words of a title.
const ASKS_END = /\bwhen (?:does|do|will|is|did) (?:it|that|this|they|those|these)(?: one)? (?:end|ending|expire|expiring|finish|stop|close|run out|be over)\b|\bwhen (?:is|are) (?:it|that|this|they) (?:over|ending)\b|\b(?:until|till|til) when\b|\bhow long (?:does|will|is|do) (?:it|that|this|they) (?:last|run|go on|valid)\b|\bend date\b/gi;

/** The part of a promotion question that may name a title, or '' when it names none. */
export function promotionTitleQuery(text: string): string {
  const q = text
    .normalize('NFKC')
    .replace(THE_X_ONE, '$1')
    .replace(ASKS_END, ' ')
    .replace(PROMO_WORDS_JA, ' ')
    .replace(PROMO_WORDS_EN, ' ')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(q);
  return cjk ? (q.replace(/ /g, '').length >= 2 ? q : '') : q.length >= 3 ? q : '';
}

// A follow-up that keeps to the promotions just listed ("anything for Slam Dunk specifically?",
// "any on sports manga?", 「スラムダンクは？」): the promotions for what it names, not a recommendation.
const CONTINUES = /^(?:and|so|ok(?:ay)?|then|also)\b|^(?:what|how) about\b|^any(?:thing|one)?\b(?: else)?(?: (?:specific(?:ally)?|special))? (?:for|on|with|about)\b|\bspecific(?:ally)?\b|\bin particular\b|(?:は|も|だと|なら|の場合は?|について(?:は)?)[？?]?$|(?:には|にも|は|で)(?:何か)?(?:ある|あります|ない|ありません)(?:か)?[？?]?$|対象(?:は|に|の|です)/i;
const ASKS_OTHER = /recommend|suggest|similar|\blike\b|\bread\b|おすすめ|似た|みたいな|読みたい|面白い/i;
/** Intents a short follow-up may be misread as, which the promotions just listed override. */
const MISREAD = new Set(['recommendation', 'product_search', 'product_question', 'price_availability', 'chitchat', 'out_of_scope']);

/** True when the message continues the promotions the last answer listed, rather than asking something new. */
export function continuesPromotions(text: string, history: readonly { role: string; intent?: string }[], intent: string): boolean {
  const last = history.filter((m) => m.role === 'assistant').at(-1);
  if (last?.intent !== 'promotion' || !MISREAD.has(intent)) return false;
  const t = text.normalize('NFKC').trim();
  return t.length <= 80 && CONTINUES.test(t) && !ASKS_OTHER.test(t);
}

/** The formats a promotion covers, as its own description says: print books, digital editions, both, or not said. */
export function promotionFormats(p: Promotion): 'print' | 'digital' | 'both' | undefined {
  const d = fold(`${p.description} ${p.descriptionJa}`);
  const print = /\bprint\b|paper|tankobon|kanzenban|紙|単行本|完全版/.test(d);
  const digital = /digital|e-?books?|電子/.test(d);
  return print && digital ? 'both' : print ? 'print' : digital ? 'digital' : undefined;
}

/** The format a question asks a promotion to cover ("does the coupon work on ebooks?", 「電子書籍にも使えますか」), if any. */
export function formatAsked(question: string): 'print' | 'digital' | undefined {
  const q = fold(question);
  if (/digital|e-?books?|kindle|電子/.test(q)) return 'digital';
  if (/\bprint\b|paper(?:back)?|physical|紙/.test(q)) return 'print';
  return undefined;
}

/** True when a question asks whether promotions can be used together ("with the fair", 「併用」). */
export function asksCombining(question: string): boolean {
  return /\bcombin|\bstack|together|at the same time|\bboth\b|along with|on top of|\bduring\b|\bwith (?:the|a|another|other) (?:\w+ )?(?:fair|sale|promotion|campaign|coupon|discount|bundle|code)|併用|一緒に|同時に|重ね|と(?:一緒|同時)|(?:フェア|セール|キャンペーン)(?:中|の期間)に/i.test(question.normalize('NFKC'));
}

/**
 * The formats a percent-off promotion discounts, from its own description: the kanzenban
 * editions ("15% off the kanzenban editions of …", 完全版), box sets, print or digital only;
 * undefined when it names none (every format).
 */
export function discountedFormats(p: Promotion): ProductFormat[] | undefined {
  const d = fold(`${p.description} ${p.descriptionJa}`);
  if (/kanzenban|完全版/.test(d)) return ['kanzenban'];
  if (/box ?sets?|ボックス|box/.test(d) && !/print|紙/.test(d)) return ['box_set'];
  const covers = promotionFormats(p);
  if (covers === 'print') return ['tankobon', 'kanzenban', 'box_set'];
  if (covers === 'digital') return ['digital'];
  return undefined;
}

/** A product's price during a percent-off promotion made for its series, rounded down to the yen. */
export interface PromotedPrice {
  product: Product;
  promotion: Promotion;
  priceJpy: number;
}

/**
 * The promoted prices of `products` (one volume's formats) under the running percent-off
 * promotions made for their series, without a code or a condition (a welcome coupon or a bundle
 * is a condition, said by its own line, not a price).
 */
export function promotedPrices(promotions: Promotion[], products: Product[]): PromotedPrice[] {
  const out: PromotedPrice[] = [];
  for (const p of promotions) {
    if (p.kind !== 'percent_off' || !p.value || p.code || p.seriesIds.length === 0) continue;
    const formats = discountedFormats(p);
    for (const product of products) {
      if (!p.seriesIds.includes(product.seriesId) || (formats && !formats.includes(product.format))) continue;
      if (out.some((x) => x.product.id === product.id)) continue;
      out.push({ product, promotion: p, priceJpy: Math.floor((product.priceJpy * (100 - p.value)) / 100) });
    }
  }
  return out;
}
