/**
 * A question about the promotions the last answer named: "until when?", "do I need a code?",
 * "does the Slam Dunk one work on digital?", 「プライム会員も対象？」. The answer is about those
 * promotions (the ones the conversation is on), and says first what was asked of them.
 */

/** What a follow-up asks of the promotions in play: their end date, their code, the formats they cover, who qualifies. */
export type PromotionDetail = 'until' | 'code' | 'format' | 'who';

// "until when?", "when does it end", "how long is it valid", "does it expire", 「いつまで？」「期限は？」.
const UNTIL_EN = /\b(?:until|till|til) when\b|\bwhen (?:does|do|will|is) (?:it|that|this|they|those|these|the \w+(?: \w+)?) (?:end|ending|expire|expiring|finish|stop|over|run out|close)\b|\bhow long (?:is|are|does|do|will|can)\b(?!.*\btake\b)|\bexpir(?:e|es|y|ation)\b|\bend date\b|\bdeadline\b|\bhow much longer\b|\bstill (?:valid|running|on)\b|\bvalid (?:until|till|for how long)\b|\blast(?:s)? (?:until|till)\b/i;
const UNTIL_JA = /いつまで|期限|期間|終了日|いつ終わ|いつで終わ|有効期/;
// "do I need a code?", "is there a coupon code for it", 「コードは必要？」「クーポンいる？」.
const CODE = /\b(?:promo |coupon |discount )?codes?\b|\bcoupons?\b|クーポン|コード/i;
// A format the promotion may or may not cover, asked with a word of fitting ("does it work on digital?", 「電子書籍も対象？」).
const FORMAT_WORD = /\bdigital\b|\be-?books?\b|\bkindle\b|\bprint(?:ed)?\b|\bpaper(?:back)?s?\b|\bphysical\b|\bkanzenban\b|\bbox ?sets?\b|\btankobon\b|電子|紙の本|紙版|紙で|完全版|単行本|BOX|ボックス/i;
const FITS = /\b(?:work|works|apply|applies|count|counts|valid|usable|use it|used|good|cover|covers|include|includes|eligible|only|qualify|qualifies|for|too|also|either|as well)\b|対象|使え|適用|含ま|有効|だけ|のみ|も[？?]?$|でも/i;
// Who qualifies: Prime or other members, guests, new customers ("what about for Prime?", 「会員じゃなくても使える？」).
const WHO = /\bprime\b|\bmembers?\b|\bguests?\b|\bnew (?:customers?|members?|accounts?)\b|\bwho (?:can|gets|qualifies|is eligible)\b|\beligib|\bqualif|プライム|会員|ゲスト|新規|誰でも|誰が/i;

/** What the message asks of promotions already named, if it asks one of these things (the first that fits). */
export function promotionDetailAsked(text: string): PromotionDetail | undefined {
  const t = text.normalize('NFKC');
  if (UNTIL_EN.test(t) || UNTIL_JA.test(t)) return 'until';
  if (CODE.test(t)) return 'code';
  if (FORMAT_WORD.test(t) && FITS.test(t)) return 'format';
  if (WHO.test(t)) return 'who';
  return undefined;
}

/** The promotions the last answer was about (its `about.promotions`), or none. */
export function promotionsInPlay(history: readonly { role: string; about?: { promotions?: string[] } }[]): string[] {
  const last = history.filter((m) => m.role === 'assistant').at(-1);
  return last?.about?.promotions ?? [];
}

// A volume or its price or stock named ("転スラの29巻の値段は？", "is vol 3 in stock?"): a catalog question, whatever came before.
const OF_A_VOLUME = /\bvol(?:ume)?s?\.?\s*#?\d|\bv\d+\b|\d+\s*巻|第\s*\d+\s*巻|\bin stock\b|\bstock\b|在庫|値段|価格|いくら|\bhow much (?:is|are|does|do) (?:vol|volume|the (?:first|last|latest|next))/i;
// A wish for other books ("anything similar?"), not a question about the promotions.
const ASKS_OTHER = /recommend|suggest|similar|\blike\b|\bread\b|おすすめ|似た|みたいな|読みたい|面白い/i;
// Words that point at a promotion already named ("it", "the Slam Dunk one", "that sale", それ, そのフェア).
// ...or by what kind it is: "the bundle", "the free shipping", 「まとめ買いのやつ」「送料無料の」.
const REFERS = /\b(?:it|that|this|they|them|those|these|one|ones|sale|fair|offer|deal|deals|promotion|promo|campaign|coupon|code|discount|points|bundle|free shipping|welcome)\b|\d+\s*%\s*off|それ|これ|その|この|あれ|やつ|フェア|セール|キャンペーン|クーポン|割引|ポイント|まとめ買い|送料無料|オフ|使え|対象|適用/i;
// Words of expiring (what points, links and store credit do) rather than of a campaign ending.
const EXPIRES = /\bexpir(?:e|es|ed|y|ing|ation)\b|\bvalid\b|有効期|失効|期限切れ/i;
// A promotion named by what it is (not "points": the points rule has an expiry of its own).
const PROMOTION_NAMED = /\b(?:sale|fair|offer|deal|deals|promotion|promo|campaign|coupon|code|discount|bundle|free shipping|welcome)\b|\d+\s*%\s*off|フェア|セール|キャンペーン|クーポン|割引|まとめ買い|送料無料|オフ/i;
// "what about for Prime?", "anything for members?", 「プライム会員向けのは？」: who a promotion is for, not how membership works.
const FOR_WHOM = /\bfor\b|向け|限定|対象|だと|なら|(?:は|って)[？?]?$/i;
const MEMBERSHIP_RULES = /\bhow (?:do|can|would) (?:i|we|you)\b|\bjoin|\bsign(?:ing)? up\b|\bbecome\b|\bcancel|\bcost\b|\bprice\b|\bfee\b|\bfree trial\b|登録|入会|解約|退会|料金|会費|年会費|月額|無料体験/i;
// "what's on right now then", "what else is running?", 「今やってるのは？」: the running promotions again.
const WHATS_ON = /^(?:(?:ok(?:ay)?|so|then|and|alright|right)[,.!\s]+)*what(?:'s| is| are|s)? (?:on|running|available|going on)\b|\bwhat else is (?:on|running)\b|開催中|やってる/i;

/** True when the message names a volume, its price or its stock: a catalog question, even right after the promotions. */
export function asksOfAVolume(text: string): boolean {
  return OF_A_VOLUME.test(text.normalize('NFKC'));
}

/** A fragment with nothing of its own besides what it asks: a few words, or a short Japanese question. */
function bare(t: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(t) ? t.replace(/[\s\p{P}\p{S}]+/gu, '').length <= 12 : t.split(/\s+/).filter(Boolean).length <= 4;
}

/** Intents a question about the promotions in play may be misread as (a title search, small talk, a policy question). */
const MISREAD = new Set(['recommendation', 'product_search', 'product_question', 'price_availability', 'chitchat', 'out_of_scope']);

/**
 * True when the message asks something of the promotions the last answer named — when it ends,
 * its code, whether it covers a format, whom it is for, what else is on — and was read as
 * something else: "until when?" after a policy answer that gave the winter free shipping
 * (a policy question alone), "which ones need a code?" after the list (a recommendation),
 * "does the Slam Dunk one work on digital?" (a digital-editions policy), 「電子書籍でも使える？」
 * (a price question). A volume's price or stock, or a wish for other books, is never one.
 */
export function asksOfPromotionsInPlay(text: string, history: readonly { role: string; intent?: string; about?: { promotions?: string[] } }[], intent: string): boolean {
  if (intent === 'promotion') return false;
  const last = history.filter((m) => m.role === 'assistant').at(-1);
  const promotionAnswer = last?.intent === 'promotion';
  if (!promotionAnswer && (last?.about?.promotions?.length ?? 0) === 0) return false;
  const t = text.normalize('NFKC').trim();
  if (t.length > 80 || OF_A_VOLUME.test(t) || ASKS_OTHER.test(t)) return false;
  const misread = MISREAD.has(intent);
  const policy = intent === 'faq' || intent === 'order_status';
  switch (promotionDetailAsked(t)) {
    // Its end date or its code: after any answer that named promotions, said of one of them or
    // in a bare fragment ("until when?", 「いつまで？」) — "how long is the email confirmation link
    // valid?" after a points answer has a subject of its own.
    case 'until':
    case 'code':
      // After a policy answer that only mentioned a promotion beside its rule (the points page
      // and the Prime double points), an expiry asked of nothing named (「有効期限はありますか」,
      // "do they expire?") is the rule's own: points, links and credit expire; a promotion ends.
      if (!promotionAnswer && EXPIRES.test(t) && !PROMOTION_NAMED.test(t)) return false;
      return (misread || policy) && (REFERS.test(t) || bare(t));
    // A format or whom it is for: right after a promotion answer, said of a promotion.
    case 'format':
      return promotionAnswer && (misread || intent === 'faq') && REFERS.test(t);
    case 'who':
      return promotionAnswer && (misread || intent === 'faq') && t.length <= 50 && FOR_WHOM.test(t) && !MEMBERSHIP_RULES.test(t);
    default:
      return promotionAnswer && misread && WHATS_ON.test(t);
  }
}

// A coupon code typed as codes are written (letters then digits: "WELCOME10", "spooky20"), not a volume ("vol10").
const CODE_TYPED = /(?<![a-z0-9])(?!(?:vol|volume|box|set|part)\d)[a-z]{4,12}\d{1,3}(?![a-z0-9])/i;
// ...with a word of using it ("can I use WELCOME10?", 「SPOOKY20は使えますか」).
const USING = /\b(?:use|using|used|apply|applies|applied|valid|work|works|still|enter|redeem|code|coupon|eligible)\b|使え|使う|使用|適用|有効|入力|コード|クーポン/i;

// What an order question asks: where it is, when it comes, its status or tracking.
const ORDER_ASKS = /\bwhere\b|\barriv|\btrack|\bstatus\b|\bdeliver|\bshipped\b|\bcancel|\brefund|届|発送|追跡|状況|キャンセル|返金/i;

/**
 * True when the message asks about a coupon code it names ("can I use WELCOME10? I've ordered
 * before", 「SPOOKY20はまだ使えますか」) and was read as a policy question or something else: a promotion question.
 */
export function asksAboutACode(text: string, intent: string): boolean {
  const t = text.normalize('NFKC');
  // "I've ordered before" is no question about an order; "where is my order?" is.
  const orderQuestion = intent === 'order_status' && ORDER_ASKS.test(t);
  if (intent !== 'faq' && !MISREAD.has(intent) && (intent !== 'order_status' || orderQuestion)) return false;
  return CODE_TYPED.test(t) && USING.test(t);
}

// Whether it applies to the one asking: "do I get…", "am I eligible", "can I use…", 「私も対象？」「2倍になる？」.
const ASKS_IF_MINE = /\bdo i (?:get|qualify|earn|have)\b|\bam i (?:eligible|getting|included)\b|\bcan i (?:get|use|have)\b|\bfor me\b|\bwould i\b|\bdoes (?:it|that|this) apply to me\b|対象|もらえ|なります|なる[？?]?$|使え|私|自分|僕|俺/i;

/** True when the message asks whether a promotion applies to the customer asking (or says who qualifies). */
export function asksIfItApplies(text: string): boolean {
  const t = text.normalize('NFKC');
  return ASKS_IF_MINE.test(t) || promotionDetailAsked(t) === 'who';
}

/** True when a promotion's own data says it is for Prime members ("Prime members earn double points", 「プライム会員の方は」). */
export function forPrimeOnly(p: { title: string; titleJa: string; description: string; descriptionJa: string }): boolean {
  return /\bprime\b/i.test(`${p.title} ${p.description}`) || /プライム会員/.test(`${p.titleJa} ${p.descriptionJa}`);
}

