import type { ProductFormat } from '../catalog/types.ts';

// How a customer buys what is in play: which way costs less (print or digital, a box set or the
// single volumes, the cheapest way to get the whole series), and paying with points. Read alone,
// 「紙と電子どっちが安い？」 looks like a promotions question, "what's the cheapest way to get all of
// them" like nothing the store does, 「ポイント使える？」 like a points campaign: in a conversation
// about a series they ask the catalog's live prices, or how to pay.
// Hand-written: a comparison word beside a word of a format or a way of buying, in each language.

// "cheaper", "cheapest", "less expensive", "best deal", "price difference", 「安い」「お得」「差額」.
const EN_CHEAPER = /\b(?:cheap(?:er|est)|less expensive|more expensive|pricier|priciest|best (?:deal|price|value)|better (?:deal|value)|lowest (?:price|total)|(?:costs?|costing) (?:less|more)|price difference|difference in (?:price|cost)|save (?:more|money|the most))\b/;
const JA_CHEAPER = /安い|安く(?!な(?:って|る|り|った))|安価|お得|おとく|割安|差額|価格差|値段の差|(?:いくら|何円)(?:の)?差|(?:いくら|何円)(?:違|ちが)/;
// ...said of formats or ways of buying ("is digital cheaper?", "the box set or the singles",
// "the cheapest way to get all of them", 「紙と電子どっち」「一番安い買い方」).
const EN_WAYS = /\b(?:digital|e-?books?|kindle|electronic|print(?:ed)?|paper(?:back)?s?|physical|tankobon|kanzenban|box(?:ed)?(?: ?sets?)?|singles?|separately|individually|one by one|formats?|editions?|versions?|ways?|options?|how (?:to|should i|do i|can i) (?:buy|get|read|collect|own)|to (?:buy|get|read|collect|own)|buying|getting|collecting|all of (?:them|it)|the whole (?:series|thing|set|run)|whole series|every volume|all \d+)\b/;
const JA_WAYS = /紙|電子|デジタル|単行本|完全版|box|ボックス|セット|バラ|単品|単巻|全巻|全部|まとめ|揃え|そろえ|買い方|買う方法|購入方法|読み方|どっち|どちら/;
// A sale or coupon asked about is a promotion question ("is it cheaper during the sale?", 「安くなってる？」,
// 「まとめ買いでお得になるのがあるって聞いた」: a deal that makes it cheaper, not which way costs less).
const PROMOTION_WORDS = /\b(?:sales?|discounts?|coupons?|promo(?:tion)?s?|campaigns?|deals? on)\b|セール|割引|値引|クーポン|キャンペーン|フェア|(?:安く|お得に|おとくに)な(?:って|る|り|った)/;

/**
 * True when a message asks which way of buying costs less: print or digital, a box set or the
 * single volumes, the cheapest way to get the volumes or the series ("is digital cheaper?",
 * "what's the cheapest way to get all of them", 「紙と電子どっちが安い？」「一番安い買い方は？」).
 */
export function asksWhichCheaper(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  if (PROMOTION_WORDS.test(t)) return false;
  return (EN_CHEAPER.test(t) && EN_WAYS.test(t)) || (JA_CHEAPER.test(t) && JA_WAYS.test(t));
}

// Paying with points: "can I pay with my points?", "use points on digital", "redeem points",
// "do points work on digital?", 「ポイント使える？」「ポイントで払える？」「ポイント払い」.
const EN_PAY_WITH_POINTS = /\b(?:pay|paying|paid|buy|buying|purchase|purchasing|checkout|check out)\b[^.?!]{0,30}\b(?:with|using|by|in|from) (?:my |your |our |the |some |those |these )?(?:manga ?assist |store |reward )?points?\b|\b(?:use|using|redeem|redeeming|spend|spending|apply|applying)\b[^.?!]{0,25}\bpoints?\b|\bpoints?\b[^.?!]{0,25}\b(?:work|count|accepted|usable|valid|go)\b[^.?!]{0,15}\b(?:on|for|with|towards?)\b|\bpay(?:ing)? (?:in|with|by) points\b/;
// (…also with what it pays for between: 「ポイントって電子書籍にも使えますか」「ポイントは送料にも使える？」.)
const JA_PAY_WITH_POINTS = /ポイント(?:は|って|を|で|も)?(?:使|つか|利用|払|支払|はら|買|購入|充当)|ポイント(?:払い|決済)|ポイント(?:は|って|を|で|も)[^。？?！!]{1,12}?(?:に|で)(?:も|は)?(?:使え|使う|使っ|つかえ|利用|払え|支払|充当)/;
// Earning them is another question (rates, campaigns: "how many points do I earn?", 「ポイント何倍？」).
const EN_EARN = /\b(?:earn|earned|earning|get|gets|getting|give|gives|giving|rate|rates|multiplier|back|bonus|double|triple|\d+ ?x|x ?\d+)\b/;
const JA_EARN = /もらえ|貰え|貯ま|貯め|たま[るり]|付与|付く|つく|つき|還元|倍|何ポイント|ポイント数/;

/**
 * True when a message asks whether (or how) points can be used to pay ("can I pay with my
 * points?", "do points work on digital?", 「ポイント使える？」「ポイントで払える？」) — not how many
 * points a purchase earns.
 */
export function asksPayWithPoints(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  if (JA_PAY_WITH_POINTS.test(t)) return !/(?:使|利用|払|買|購入)[^。？?]{0,12}(?:もらえ|貰え|貯ま|付与|付く|つく|還元|何ポイント)/.test(t);
  if (!EN_PAY_WITH_POINTS.test(t)) return false;
  // "Do I earn points when I pay with points?" asks both; "can I use points and how many do I get?" too:
  // the using is asked, the earning answered beside it by the points page.
  return !(EN_EARN.test(t) && !/\b(?:pay|paying|use|using|redeem|redeeming|spend|spending)\b/.test(t));
}

// The words of a buying question around a title ("what's the cheapest way to buy all of Berserk?",
// 「ワンピースは紙と電子どっちが安い？」): taken out, the title is what is left to search.
const EN_BUYING_WORDS = /\b(?:what'?s|what is|which is|which|is|are|the|a|cheap(?:er|est)|less|more|expensive|pricier|priciest|best|lowest|deal|value|price|difference|costs?|way|ways|options?|to|buy|get|read|collect|own|all|of|them|it|for|in|on|or|than|print(?:ed)?|paperbacks?|physical|digital|e-?books?|kindle|formats?|editions?|versions?|box(?:ed)?|sets?|singles?|separately|individually|whole|series|every|volumes?)\b/g;
const JA_BUYING_WORDS = /一番|いちばん|安い|安く|お得|割安|買い方|買う方法|購入方法|読み方|紙|電子版|電子書籍|電子|デジタル版?|単行本|全巻|全部|まとめて|どっち|どちら|で|が|と|は|を|の|か|[？?、。！!]/g;

/** The message without the words of a buying question: the title it names, if any ("Berserk"). */
export function withoutBuyingWords(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(EN_BUYING_WORDS, ' ').replace(JA_BUYING_WORDS, ' ').replace(/\s+/g, ' ').trim();
}

// The formats a customer may weigh against each other, by the words for them.
const FORMAT_WORDS: [ProductFormat, RegExp][] = [
  ['tankobon', /\b(?:print(?:ed)?|paperbacks?|physical|tankobon|(?:regular|normal|standard|ordinary) (?:edition|version|ones?|volumes?))\b|(?<![表和手型色])紙|単行本|通常版/],
  ['kanzenban', /\b(?:kanzenban|perfect edition|complete edition|deluxe edition)\b|完全版/],
  ['digital', /\b(?:digital|e-?books?|kindle|electronic)\b|電子|デジタル/],
];

/**
 * The formats a buying question names, in the store's order ("is the kanzenban cheaper than the
 * regular edition?" weighs those two, not the digital edition beside them).
 */
export function formatsWeighed(text: string): ProductFormat[] {
  const t = text.normalize('NFKC').toLowerCase();
  return FORMAT_WORDS.filter(([, re]) => re.test(t)).map(([f]) => f);
}
