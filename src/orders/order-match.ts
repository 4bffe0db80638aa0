/**
 * Which of a customer's orders a message is about: "when will the Vinland Saga order arrive?",
 * 「ドラゴンボールの注文はいつ届く？」 and "and the Vinland Saga one?" name a series, and the answer
 * is the order holding it, not the latest. Only ever run over the asker's own orders.
 */
import type { ProductFormat } from '../catalog/types.ts';
import type { Order } from './types.ts';
import { memoizeText } from '../shared/memo.ts';

/** What one order line is in the catalog: its series (and how customers name it), volume and format. */
export interface OrderItem {
  seriesId: string;
  volume: number;
  format: ProductFormat;
  /** Every name of the series: title, English and Japanese titles, aliases. */
  names: string[];
  /** The series' Japanese title, for listing the item to a Japanese customer. */
  titleJa?: string;
}

/** Folds a name or message for matching: width, case, punctuation and spacing. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, ' ').trim();
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * Names worth matching: the whole name and its head before a subtitle ("Orb" of "Orb: On the
 * Movements …"), and the parts of a Japanese title a customer shortens it to (「フリーレン」 of
 * 葬送のフリーレン, 「薬屋」 of 薬屋のひとりごと, 「ヴィンランド」 of ヴィンランド・サガ): matched only
 * among the customer's own orders, so a part is distinct enough there.
 */
// Every order question reads every line of the customer's orders: a name's variants and its
// whole-word pattern are made once (read-only: callers only iterate them).
const variants = memoizeText(readVariants, 4096);

function readVariants(name: string): string[] {
  const head = name.split(/\s*[:：~〜\-–—]\s+|\s*[:：~〜]\s*/)[0];
  const parts = CJK.test(name) ? name.normalize('NFKC').split(/の|・|=|\s+|[。、!?！？―]/u).filter(shortName) : [];
  return [...new Set([name, head, ...parts])].map(fold).filter((n) => (CJK.test(n) ? n.replace(/ /g, '').length >= 2 : n.length >= 3));
}

// A part of a Japanese title that names it alone: two or more kanji or katakana, or five or more
// hiragana (ひとりごと; not について); not a word every order question has (「注文」「本」).
const SHORT_NAME = /^(?:[\p{Script=Han}\p{Script=Katakana}ー]{2,}|[\p{Script=Hiragana}ー]{5,})$/u;
const NOT_A_NAME = /^(?:注文|商品|漫画|マンガ|全巻|完全版|新装版|愛蔵版|電子版|単行本|上巻|下巻|最新刊)$/;
function shortName(part: string): boolean {
  return SHORT_NAME.test(part) && !NOT_A_NAME.test(part);
}

/** True when the message says `name`: as whole words in Latin script, anywhere in Japanese. */
function says(folded: string, compact: string, name: string): boolean {
  if (CJK.test(name)) return compact.includes(name.replace(/ /g, ''));
  // Whole words: a Latin name ends at a space or where Japanese starts (「Givenの注文」).
  return folded.includes(name) && wholeWord(name).test(folded);
}

/** A Latin name as a whole word: not inside a longer word, Japanese on either side allowed. */
const wholeWord = memoizeText(wholeWordOf, 4096);

// No g or y flag: test() and replace() keep no state in it, so one pattern serves every caller.
function wholeWordOf(name: string): RegExp {
  return new RegExp(`(?<![a-z0-9])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9])`);
}

/** The series named in an order line's own title ("Vinland Saga Vol. 28" → "vinland saga"), when the catalog cannot tell. */
function lineSeriesName(title: string): string {
  return title.replace(/\s*(?:\(digital\)|kanzenban|box set\s*\d*|vol\.?\s*\d+).*$/i, '').trim();
}

/**
 * The orders of `orders` that hold a series the message names, newest first, and the series.
 * Names come from the catalog (`items`, by product id) and, for lines it does not know, from the
 * line's own title. `searched` are series a fuzzy title search found in the message (typos, kana
 * spellings): an order holding one of them is named too.
 */
export function ordersNamed(text: string, orders: Order[], items: ReadonlyMap<string, OrderItem>, searched: string[] = []): { orders: Order[]; seriesIds: string[] } {
  const folded = fold(text);
  const compact = folded.replace(/ /g, '');
  const named = new Set<string>();
  // Longest names first: "Dragon Ball Super" is not "Dragon Ball".
  const candidates: { key: string; name: string }[] = [];
  for (const o of orders) {
    for (const l of o.lines) {
      const item = items.get(l.productId);
      const key = item?.seriesId ?? `line:${fold(lineSeriesName(l.title))}`;
      for (const n of item ? item.names.flatMap(variants) : variants(lineSeriesName(l.title))) candidates.push({ key, name: n });
    }
  }
  candidates.sort((a, b) => b.name.length - a.name.length);
  let rest = folded;
  let restCompact = compact;
  for (const c of candidates) {
    if (!says(rest, restCompact, c.name)) continue;
    named.add(c.key);
    // A name counted once: the shorter names inside it are not named again.
    rest = rest.replace(wholeWord(c.name), ' ').trim();
    restCompact = restCompact.replace(c.name.replace(/ /g, ''), '');
  }
  for (const id of searched) named.add(id);
  const keyOf = (productId: string, title: string) => items.get(productId)?.seriesId ?? `line:${fold(lineSeriesName(title))}`;
  const matching = orders.filter((o) => o.lines.some((l) => named.has(keyOf(l.productId, l.title))));
  return { orders: newestFirst(matching), seriesIds: [...named].filter((k) => !k.startsWith('line:')) };
}

/** Orders newest first (by when they were placed, then by number). */
export function newestFirst(orders: Order[]): Order[] {
  return [...orders].sort((a, b) => (a.placedAt < b.placedAt ? 1 : a.placedAt > b.placedAt ? -1 : a.id < b.id ? 1 : -1));
}

// What an order question says besides the title: removed before the title search, so "where is
// my order?" searches nothing and "the Vinland Saga order" searches "vinland saga".
const ORDER_WORDS_EN = /\b(?:everything|all|again|items?|contents?|inside|total|cost|many|much|quantity|show|list|in it|when|will|would|where|what|which|whats|how|is|are|was|did|does|do|has|have|had|the|a|an|my|mine|me|i|i'?ve|it|its|one|ones|and|also|about|of|for|with|from|to|order(?:ed|s)?|purchase[sd]?|buy|buying|bought|volumes?|vols?|books?|copies|copy|package|parcel|shipment|deliver(?:y|ed)?|arrive[sd]?|arriving|come|coming|came|ship(?:ped|ping)?|status|track(?:ing)?|happened|happen|been|being|yet|still|last|latest|recent|please|pls|can|you|tell|check|get|got|received?|cancel(?:led|ed)?|paid|pay|payment|refund|return(?:ed)?)\b/gi;
const ORDER_WORDS_JA = /(?:の|を|で)?(?:全部|全て|すべて|商品|中身|内容|合計(?:金額)?|金額|何冊|何点|いくら|予約注文|ご?注文|予約|購入した(?:もの|本)?|買った(?:本|もの)?|頼んだ(?:もの|本)?|荷物|配送状況|配送|発送|到着|状況|ステータス|追跡)(?:は|が|を|って|も|の)?|いつ(?:頃|ごろ)?|どこ(?:に|で)?|どう(?:なり|なって|なった|したら)?|届(?:く|き|いた|かない|いてない|いていない)?|(?:あり|あるん?|ない|なく)(?:ます)?|した(?:ん)?(?:です|だ)?(?:が|けど)?|でき(?:る|ます|ません)?|(?:い|おり)ます(?:か)?|ている|てる|ました|ません|ますか|ですか|でしょうか|ください|教えて|まだ|もう|んですが|んだけど|だけど|けど|大丈夫|支払(?:って|い|う)?|払って|キャンセル|返品|返金|今|っけ|入って(?:い)?(?:た|る)|入った|か(?=[\s？?]|$)|[？?！!。、]/g;

/** The part of an order question that may name a title, or '' when it names none. */
export function orderTitleQuery(text: string): string {
  return orderTitleAndVolume(text).query;
}

// A volume named beside the title ("Frieren 14", 「フリーレンの13巻」, "vol. 3"): not part of the title searched.
const VOLUME_WORD = /(?:第\s*)?(\d{1,3})\s*巻(?:目)?|\bvol(?:ume)?s?\.?\s*(\d{1,3})\b|#\s*(\d{1,3})\b/i;

/**
 * The title an order question names, without its order words and without the volume named
 * beside it, and that volume: "when did my order with frieren 14 in it arrive?" → "frieren", 14;
 * 「フリーレンの13巻を頼んだ注文」 → 「フリーレン」, 13.
 */
export function orderTitleAndVolume(text: string): { query: string; volume?: number } {
  let volume: number | undefined;
  const q0 = text
    .normalize('NFKC')
    .replace(/MA-\d{8}-\d{4}/gi, ' ')
    .replace(VOLUME_WORD, (_m, a?: string, b?: string, c?: string) => {
      volume = Number(a ?? b ?? c);
      return ' ';
    })
    .replace(ORDER_WORDS_JA, ' ')
    .replace(ORDER_WORDS_EN, ' ')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // A number left after a Latin title ("frieren 14") is the volume, when the title has a word of its own.
  let q = q0;
  const trailing = /^(.*[a-z].*?)\s+(\d{1,3})$/i.exec(q0);
  if (volume === undefined && trailing && trailing[1].replace(/[^a-z]/gi, '').length >= 3) {
    volume = Number(trailing[2]);
    q = trailing[1];
  }
  // Particles left where order words were taken out (「ダンダダンの が」).
  q = q.replace(/(?<=^|\s)[がをはにもと](?=\s|$)/g, ' ').replace(/の(?=\s|$)/g, ' ').replace(/\s+/g, ' ').trim();
  const query = CJK.test(q) ? (q.replace(/ /g, '').length >= 2 ? q : '') : q.length >= 3 ? q : '';
  return query ? { query, ...(volume !== undefined ? { volume } : {}) } : { query: '' };
}

const ORDER_NUMBER = /MA-\d{8}-\d{4}/i;

/**
 * The order the conversation is on: the one the latest of the last two answers described — its
 * recorded `about.orderId`, else the first order number it gave. Undefined when neither did.
 */
export function orderInPlay(history: readonly { role: string; text: string; about?: object }[]): string | undefined {
  const answers = history.filter((m) => m.role === 'assistant').slice(-2).reverse();
  for (const a of answers) {
    const id = (a.about as { orderId?: string } | undefined)?.orderId ?? ORDER_NUMBER.exec(a.text)?.[0];
    if (id) return id.toUpperCase();
  }
  return undefined;
}

// The customer's own order, return or purchase ("did my Berserk return get refunded?", "the
// Given volumes I ordered", 「注文したギヴン」, 「まとめ買いした注文」「予約した注文」): a policy question about something they did.
const OWN_ORDER = /\bmy\b[^.?!]{0,40}\b(?:orders?|returns?|refunds?|parcels?|packages?|purchases?|deliver(?:y|ies)|shipments?|box(?:es)?|books?|volumes?|vols?|copy|copies|manga)\b|\bi (?:ordered|returned|bought|purchased|placed|sent (?:it |them )?back)\b|\b(?:book|books|manga|volume|volumes|parcel|package|copy|item|items)\b (?:that |which )?(?:arrived|came|was delivered|were delivered|i got|i received)\b|届いた(?:本|商品|荷物|もの|漫画|マンガ|巻)|注文した|返品した|返送した|購入した|買った|頼んだ|(?:まとめ)?買いした(?!い|く|ら)|[^\s、。]した(?:ご)?注文|(?:私|僕|俺|わたし)の(?:注文|返品|荷物)/i;
// "It", "that order": the order the conversation is on.
const THAT_ORDER = /\b(?:it|that|this|the) (?:order|one|parcel|package)\b|\b(?:cancel|return|refund|change) it\b|その注文|この注文|あの注文|その分|それ/i;

// What happens to an order: a question with one of these that names a title of the customer's
// orders is about that order, possessive or not (「ベルセルクの返品、返金されましたか？」).
const CALL_OFF = /\bcancel\b|キャンセル|取り消|取消|(?:やめ|止め)(?:たい|ます|とく)/i;
const TRANSACTION = /\b(?:order(?:ed|s)?|returns?|returned|refund(?:ed|s)?|cancel(?:led|ed|lation)?|deliver(?:y|ed)|arriv(?:e|ed|al)|shipped|parcel|package|paid|payment|get here|got here)\b|注文|返品|返金|キャンセル|届|配送|発送|荷物|支払|払(?:う|え|い|っ)/i;

/**
 * What a policy question says about the customer's own orders: 'own' when it is about one of
 * theirs ("my …", "I ordered …", an order number, "it" with an order in play), 'transaction' when
 * it asks what happened to an order (returned, refunded, delivered) and may name one by title.
 */
export function speaksOfOwnOrder(text: string, inPlay: boolean): 'own' | 'transaction' | undefined {
  const t = text.normalize('NFKC');
  // With an order in play, calling one off (「やっぱりキャンセルしたい」, "cancel after all") or
  // changing where it goes ("can I still change the address?") or adding to it ("can I add another book to it?") is about that order.
  if (OWN_ORDER.test(t) || ORDER_NUMBER.test(t) || (inPlay && (THAT_ORDER.test(t) || CALL_OFF.test(t) || asksAddressChange(t) || asksOrderAddition(t) || asksPointsEarned(t)))) return 'own';
  return TRANSACTION.test(t) ? 'transaction' : undefined;
}

// Changing where an order goes: "can I change the (delivery|shipping) address", "send it to a
// different address", 「届け先を変更したい」「住所変えられる？」.
const ADDRESS_CHANGE = /\b(?:change|update|edit|correct|fix|switch)\b[^.?!]{0,30}\b(?:address|destination)\b|\b(?:address|destination)\b[^.?!]{0,20}\b(?:change|wrong|update|different)|\b(?:different|another|new|other) (?:address|destination)\b|\bsend it (?:to|somewhere) (?:else|another|a different)|(?:住所|届け先|お届け先|配送先|送り先|宛先)[^。？?]{0,8}(?:変更|変え|変わ|修正|間違|訂正)|(?:別の|違う|新しい)(?:住所|届け先|お届け先|配送先|送り先)/i;

// An order of theirs named by what it holds ("the Golden Kamuy order", "my order of Frieren 13",
// 「ゴールデンカムイ1〜5巻の注文っていつ届いてた？」): not a wish to order (「注文したい」「注文方法」, "can I order …").
const THEIR_ORDER = /(?<!\b(?:place|make|put in|submit|complete|finish)\s)\b(?:my|the|that|this)\b[^.?!]{1,40}\border\b(?!\s*(?:it|them|online|now|more|a|an|some|one|these|those|from you|form|page|button)\b)|\bmy order (?:of|with|for)\b|\border (?:i placed|i made)\b|[^\s、。]の(?:ご)?注文(?!方法|の仕方|したい|する|しよう|でき|を|し(?:て|ます|たい))/i;

/** True when the message speaks of an order of theirs by what it holds (not of ordering something). */
export function speaksOfTheirOrder(text: string): boolean {
  const t = text.normalize('NFKC');
  return THEIR_ORDER.test(t) || OWN_ORDER.test(t.replace(/(?:注文|購入|予約)し(?:たい|よう)|買いたい/g, ' '));
}

// Points earned asked of a purchase ("did I get points for it?", "have the points been added yet?",
// 「ポイントってもう付いてる？いつ付くの？」): with an order in play, that order's points. (Paying with
// points, "can I use points on it?", is not this.)
const POINTS_EARNED = /\b(?:get|got|earn(?:ed)?|receive[d]?)\b[^.?!]{0,20}\bpoints?\b|\bpoints?\b[^.?!]{0,30}\b(?:back|returned|refunded|come back)\b|ポイント[^。？?]{0,12}(?:戻|返っ|返還)|\bpoints?\b[^.?!]{0,30}\b(?:added|credited|show(?:n|ed)? up|for (?:it|that|this|them)|on (?:it|that|this)|yet|already)\b|ポイント[^。？?]{0,12}(?:付いて|ついて|付いた|ついた|付く|つく|付与|もらえ|入って|入る|入った|加算|反映)/i;

/** True when the message asks about the points a purchase earned (when they come, whether they have). */
export function asksPointsEarned(text: string): boolean {
  const t = text.normalize('NFKC');
  return POINTS_EARNED.test(t) && !/\b(?:use|pay|spend|redeem)\b[^.?!]{0,20}\bpoints?\b|ポイント(?:で|を)(?:払|使|支払)/i.test(t);
}

// Asking what they bought or ordered ("what did I buy back in October?", "what have I ordered this
// month", 「10月に何買ったっけ？」「先月なに注文したっけ」): a question about their orders, however it is read alone.
const WHAT_THEY_BOUGHT = /\b(?:did|have|had) (?:i|we) (?:already |ever |previously |just )?(?:buy|bought|order|ordered|purchase|purchased|pre-?order|pre-?ordered)\b|(?:注文|購入|予約)(?:し(?:まし)?た|済み)(?:っけ|かな|か[？?]|[？?])|(?:買|頼)(?:いまし|みまし|っ|ん)(?:た|だ)っけ|\bwhat (?:did|have|had) (?:i|we) (?:just |already |ever |last )?(?:buy|bought|order|ordered|purchase|purchased|pre-?order|pre-?ordered|get|got)\b|\bwhat (?:i|we)(?:'ve| have)? (?:bought|ordered|purchased)\b|\bwhat was in my (?:last |latest |recent )?(?:order|purchase|package|parcel)\b|(?:何|なに|なん)(?:を)?(?:買った|買いました|注文した|注文しました|頼んだ|頼みました|購入した|購入しました)|(?:買った|注文した|頼んだ|購入した)(?:の|もの|本)(?:って|は)(?:何|なに|なん)/i;

/** True when the message asks what the customer bought or ordered (their orders, by when or in general). */
export function asksWhatTheyBought(text: string): boolean {
  return WHAT_THEY_BOUGHT.test(text.normalize('NFKC'));
}

// How many orders they have placed ("how many orders have I placed?", "what's my order count?", "how many
// times have I ordered from you?", 「今まで何回注文した？」「注文件数は？」「何件注文してる？」): a count of their
// own orders, answered from them (each listed), not a policy question. (Not "how many books are in my
// order?": HOW many of an item, read by the order's lines.)
const ORDER_COUNT = /\bhow many (?:(?:separate |different |total )?(?:orders|purchases)|times (?:have |did )?(?:i|we) (?:ordered|order|bought|buy|purchased|purchase|shopped|shop))\b|\b(?:number|count|total) of (?:my |our )?(?:orders|purchases)\b|\b(?:my |our )order (?:count|total count|history count)\b|(?:何回|何度|何件)(?:くらい|ぐらい)?(?:も)?(?:注文|購入|買い物|買っ|頼ん)|(?:注文|購入)(?:した)?(?:の)?(?:回数|件数)|(?:注文|購入)(?:は|って|を)?(?:今まで|これまで|全部で)?(?:何回|何件|何度)/i;

/** True when the message asks how many orders the customer has placed. */
export function asksOrderCount(text: string): boolean {
  return ORDER_COUNT.test(text.normalize('NFKC'));
}

// Asking whether something they bought can be read or is theirs yet ("can I read it yet?", "is it in my
// library?", 「ワンピースの電子版、もう読める？」「もう読めますか」): with a title of their orders named, that order
// (a digital one is read in the library once delivered), not the product's price.
const READY_TO_READ = /\bcan i (?:read|open|download|access) (?:it|them|this|that|the)\b|\b(?:read|readable|available to read)\b[^.?!]{0,20}\b(?:yet|now|already)\b|\bin my (?:library|bookshelf|bookshelves|account)\b|もう読め|読めるように|読めます(?:か)?[？?]|読める(?:の|か|かな)?\s*[？?]|ライブラリ|本棚に/i;

// Whether something came ("did the gantz volumes get here?", "has the Witch Hat Atelier arrived?",
// 「ガンツ届いた？」「もう来た？」): of a title in their orders, about that order. (Not "has it come out?": a release.)
const ARRIVED_ASKED = /\b(?:did|has|have|had)\b[^.?!]{0,40}\b(?:arrived?|get here|got here|come|came|been delivered|turn(?:ed)? up|show(?:n|ed)? up|reach(?:ed)? (?:me|you|here))\b(?!\s+out)|届いた(?:\s*[?？]|か|かな|っけ|の\s*[?？])|届いて(?:い)?(?:る|ます|た)(?:\s*[?？]|か|っけ)|来(?:て)?た(?:\s*[?？]|か|かな|っけ)/i;

// Who carried it or its tracking number ("which carrier?", "who delivered it?", "what company brought
// it", 「誰が配達したの？」「どこの業者？」).
const ASKS_CARRIER = /\b(?:carrier|courier|shipped (?:it )?(?:with|by|via)|delivery company|tracking)\b|\bwho\b[^.?!]{0,25}\b(?:deliver|ship|bring|brought|carr|sent|send|drop)\w*|\b(?:shipping|delivery|delivering|parcel|postal) (?:company|service|firm)\b|\bwhat (?:company|service)\b|\b(?:delivered|shipped|sent|coming|came) (?:it |them )?(?:by|via|with) (?:who|whom|which|what)\b|業者|運送|宅配|追跡|お問い合わせ番号|どこの会社|何便|(?:誰|だれ|どこ)が(?:配達|運|届け|発送|持って)|(?:配達|配送|発送)(?:した|して(?:くれ)?る)?の(?:は|って)(?:誰|だれ|どこ)/i;

/** True when the message asks who carried an order, or its tracking number. */
export function asksCarrier(text: string): boolean {
  return ASKS_CARRIER.test(text);
}

// A refund asked of something ("how much is the refund for berserk?", 「ベルセルクの返金っていくら？」): of a title in their orders, about that order.
const REFUND_ASKED = /\brefund(?:s|ed)?\b|返金/i;

/** True when the message asks about a refund. */
export function asksRefund(text: string): boolean {
  return REFUND_ASKED.test(text.normalize('NFKC'));
}

/** True when the message asks whether something has arrived (not whether it came out). */
export function asksIfArrived(text: string): boolean {
  return ARRIVED_ASKED.test(text.normalize('NFKC'));
}

/** True when the message asks whether something can be read (or is in their library) yet. */
export function asksIfReadable(text: string): boolean {
  return READY_TO_READ.test(text.normalize('NFKC'));
}

// Adding to an order already placed: "can I add another book to it?", "add vol 3 to my order",
// 「この注文に1冊追加できる？」「追加注文できる？」「同梱できる？」 (not gift wrapping or a message card,
// which the gift page adds at checkout, nor the cart).
const ORDER_ADDITION = /\badd(?:ing)?\b[^.?!]{0,40}\b(?:to|into|onto) (?:it|that|this|(?:my|the|that|this|the same|my (?:last|latest|recent|current)) order)\b|\b(?:include|put|throw)\b[^.?!]{0,30}\b(?:in|into|with) (?:it|that|(?:my|the|that|this|the same) (?:order|box|parcel|package|shipment))\b|\badd (?:more|another|something|an item|items|a book|books|one more)\b[^.?!]{0,20}\border\b|(?:この|その|あの|前の|さっきの|私の)?注文に[^。？?]{0,12}(?:追加|足し|足せ|加え|入れ)|追加(?:で)?注文|同梱|(?:1|一|もう1|もう一|もう)冊追加/i;
const NOT_AN_ITEM = /\bgift|\bwrap|message card|\bnote\b|\bcart\b|\bbasket\b|ラッピング|ギフト|メッセージカード|カート|カゴ|かご/i;

/** True when the message asks to add an item to an order already placed (not gift wrapping, not the cart). */
export function asksOrderAddition(text: string): boolean {
  const t = text.normalize('NFKC');
  return ORDER_ADDITION.test(t) && !NOT_AN_ITEM.test(t);
}

/** True when the message asks to change where an order goes (its delivery address). */
export function asksAddressChange(text: string): boolean {
  return ADDRESS_CHANGE.test(text.normalize('NFKC'));
}

// An order that has not come when it should have ("it's late", 「まだ届かない」).
const LATE = /\blate\b|delay|overdue|(?:has|have|had)n'?t (?:arrived|come|been delivered)|not (?:arrived|here|delivered) yet|still (?:not|hasn'?t|haven'?t)|never (?:arrived|came)|taking (?:forever|so long|too long)|遅れ|遅延|届かない|届いていない|届いてない|来ない|まだ届/i;

// Asking which of their orders have not come yet ("which of my orders haven't arrived?", "anything
// still on the way?", 「まだ届いていない注文ある？」): a question about their orders in general, answered
// with the open ones — not with their latest order, which may well have arrived. "It", "that order"
// (the order in play) is not this question.
const UNDELIVERED_EN = /\b(?:which|what|any|anything|all|orders|ones|stuff)\b[^.?!]{0,40}(?:(?:\bnot|n't|\bnever) (?:yet )?(?:arrived|come|shown up|turned up|come in|been (?:delivered|shipped)|delivered|here|received|shipped)|\bstill (?:on (?:the|its) way|in transit|coming|pending|open|out)\b|\bon (?:the|its|their) way\b|\bin transit\b|\byet to (?:arrive|come|ship)\b)|\b(?:undelivered|outstanding|open|pending) orders\b/i;
const UNDELIVERED_JA = /(?:届いて(?:い)?ない|届いておりません|届いていません|届かない|未着|まだ(?:届|来て)|配送中|発送前|未発送)[^。？?]{0,6}(?:注文|もの|の|やつ|分)|(?:注文|もの)[^。？?]{0,12}(?:届いて(?:い)?ない|届いていません|届かない|未着)/;
const THAT_ONE = /\b(?:it|that|this|the) (?:order|one|parcel|package)\b|\b(?:it|it's|its)\b|その|この|それ/i;

// An English question about their own things: "any new volume on the way?" is no order question.
const THEIRS_EN = /\b(?:orders?|mine|my|i (?:ordered|bought|purchased)|parcels?|packages?|shipments?|deliver(?:y|ies)|do i have|i(?:'m| am) (?:still )?waiting)\b/i;

/** True when the message asks which of their orders have not arrived (in general, not about the one in play). */
export function asksUndelivered(text: string): boolean {
  const t = text.normalize('NFKC');
  if (THAT_ONE.test(t) && !/\b(?:which|any)\b|どれ|どの|ある(?:\?|？|$|か)|あります/.test(t)) return false;
  return (UNDELIVERED_EN.test(t) && THEIRS_EN.test(t)) || UNDELIVERED_JA.test(t);
}

// When something will come ("when will my order arrive?", "tracking?",
// 「注文した本はいつ届きますか」「いつ発送されますか」「追跡番号は？」): about an order still on its way — not
// one that arrived ("when was it delivered?", 「届いた本」 are about a delivered one). ("Where is my
// order?" stays with their latest order: the main suite's ord-en-latest-then-vinland expects it.)
const ARRIVAL_EN = /\b(?:when (?:will|would|does|do|is|are|should|can)\b[^.?!]{0,40}\b(?:arrive|come|get here|be delivered|deliver|ship|be shipped|be here|reach)|arriv(?:e|ing|al)\b(?!d)|track(?:ing)?\b|eta\b|on (?:its|the) way|delivery date|(?:still )?(?:coming|in transit))/i;
const ARRIVAL_JA = /いつ(?:頃|ごろ)?(?:に)?(?:届|着|来|発送|配達|出荷)|届きますか|届く(?:の|か|予定|かな)|届きそう|到着(?:予定|日|は)|配達(?:予定|日|は)|発送(?:予定|日|は|され(?:ます|る))|追跡/;

/** True when the message asks when (or whether) an order will come: about the ones still on their way. */
export function asksArrival(text: string): boolean {
  const t = text.normalize('NFKC');
  return ARRIVAL_EN.test(t) || ARRIVAL_JA.test(t);
}

/** An order that has not reached the customer yet, and still will. */
export function isOpen(order: Order): boolean {
  return order.status === 'pending_payment' || order.status === 'processing' || order.status === 'shipped' || order.status === 'out_for_delivery';
}

// An order picked out by its status ("the one that shipped", "the delivered one", 「発送済みのほう」,
// 「キャンセルした注文」): among several of theirs, the one in that state. Said of an order, never
// asked of one ("has it shipped?" asks the status of the order in play).
const STATUS_WORDS: readonly [RegExp, readonly Order['status'][]][] = [
  [/out for delivery|配達中/, ['out_for_delivery']],
  [/shipped|sent out|dispatched|発送済み|発送された|発送した|出荷済み/, ['shipped', 'out_for_delivery']],
  [/delivered|arrived|配達完了|配達済み|お届け済み|届いた|届いている|届いてる/, ['delivered']],
  [/cancel+ed|キャンセル(?:済み|した|された|になった)/, ['cancelled']],
  [/returned|refunded|返品(?:済み|した)/, ['returned']],
  [/awaiting payment|waiting for payment|unpaid|not paid|pending payment|支払い待ち|お支払い待ち|未払い|入金待ち/, ['pending_payment']],
  [/being prepared|processing|preparing|発送準備中|準備中/, ['processing']],
];
const PICK_EN = /\b(?:the|that) (?:one|order|parcel|package)s? (?:that(?:'s| is| was| has| have| got)? |which (?:is|was|has) |i (?:had|got) )(?:been |already )?([a-z ]{3,24})|\bthe ([a-z]{4,12}) (?:one|order)\b|\bthe (?:one|order)s? ((?:out for delivery|awaiting payment|being prepared|in transit))\b/i;
const PICK_JA = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]{2,10})(?:の)?(?:ほう|方|注文|やつ|もの|分)/u;

/** The statuses a message picks one of their orders by, if it does ("the shipped one" → shipped or out for delivery). */
export function orderStatusPicked(text: string): readonly Order['status'][] | undefined {
  const t = text.normalize('NFKC');
  const said = [PICK_EN.exec(t), PICK_JA.exec(t), STATUS_ASKED_EN.exec(t)].flatMap((m) => (m ? [m[1] ?? m[2] ?? m[3] ?? ''] : [])).filter((x) => x !== '');
  for (const phrase of said) {
    for (const [re, statuses] of STATUS_WORDS) if (re.test(phrase.toLowerCase())) return statuses;
  }
  return undefined;
}

// Which of theirs are in a state, asked of the state itself ("what's still processing?", "anything
// pending payment on my account?", "is anything out for delivery?", "which orders were cancelled?"):
// the words a store's order page shows, never a catalog's — so with them a signed-in customer asks about their orders.
const STATUS_ASKED_EN = /\b(?:what(?:'s| is| are)|which(?: (?:of my )?(?:orders?|ones?|stuff|items?))?|anything|any (?:of my )?(?:orders?|items?|stuff)|(?:my|the) orders?)\b(?: (?:of mine|on my account|in my account))?\s+(?:that(?:'s| is| are| was| were| got)? |which (?:is|are|was|were) |(?:is|are|was|were|got|has been|have been) )?(?:still |currently |now |already )?(?:been )?(out for delivery|pending payment|awaiting payment|waiting for payment|unpaid|not paid|processing|being prepared|returned|cancell?ed|refunded)\b/i;
// Asking for a rule of orders in a state ("can I cancel an order that's processing?", "what does pending payment mean?"): no order picked by it.
const RULE_ASKED = /\b(?:can|could|may|should|how (?:do|can|long|does)|what does|mean|means)\b|でき(?:る|ます)|方法|どうすれば|どうしたら|とは|って何|意味/i;

/**
 * The statuses a signed-in customer asks which of their orders are in ("what's still processing?",
 * 「支払い待ちの注文はございますか」, "the one that was returned - how much was it?"), when the message is
 * not a rule asked of orders in that state: an order question, however the classifier read it alone.
 */
export function asksOrdersInStatus(text: string): readonly Order['status'][] | undefined {
  const t = text.normalize('NFKC');
  if (RULE_ASKED.test(t)) return undefined;
  return orderStatusPicked(t);
}

// Which or whether any of their orders ("which orders…", "anything …?", "do I have any …", 「…ある？」「ございますか」「どれ」).
const WHICH_ORDERS = /\b(?:any|anything|which|what(?:'s| is| are)|do i have|is there|are there|all)\b|ある(?:\s*[?？]|$|か|の)|あります|ございます|どれ|どの/i;

/** True when the message asks which of their orders (or whether any) are so, not about one of them. */
export function asksWhichOrders(text: string): boolean {
  return WHICH_ORDERS.test(text.normalize('NFKC'));
}

/** True when the status is asked of their orders in general ("what's still processing?"), not picked as one ("the processing one"): every order in it is the answer. */
export function asksAllInStatus(text: string): boolean {
  const t = text.normalize('NFKC');
  return STATUS_ASKED_EN.test(t) && !PICK_EN.test(t);
}

// Carriers as customers name them ("the Sagawa one", "my Yamato parcel", 「日本郵便で届く予定の注文」,
// 「クロネコのやつ」), each with the carrier name the order records.
const CARRIER_NAMES: readonly [RegExp, string][] = [
  [/\byamato\b|\bkuroneko\b|ヤマト|クロネコ|黒猫/i, 'Yamato Transport'],
  [/\bjapan post\b|\byu-?pac(?:k|ket)\b|\bjp post\b|日本郵便|郵便局?|ゆうパック|ゆうパケット/i, 'Japan Post'],
  [/\bsagawa\b|佐川/i, 'Sagawa Express'],
];
// A carrier said to pick an order out ("the sagawa one", "coming by Japan Post", 「ヤマトで来る注文」), not asked about ("where do I track Sagawa?").
const CARRIER_PICKS = /(?:yamato|kuroneko|japan post|jp post|yu-?pac(?:k|ket)|sagawa)(?:\s+(?:express|transport))?\s+(?:one|order|parcel|package|delivery|shipment|box)s?\b|\b(?:by|via|with|through|from)\s+(?:yamato|kuroneko|japan post|jp post|yu-?pac(?:k|ket)|sagawa)\b|(?:ヤマト|クロネコ|黒猫|日本郵便|郵便|ゆうパック|ゆうパケット|佐川)(?:急便|運輸)?(?:で|から|の)[^。？?]{0,10}(?:注文|荷物|やつ|分|方|ほう|もの|届|来|配達|発送)/i;

/** The carrier a message picks one of their orders by ("the sagawa one", 「日本郵便で届く予定の注文」), as orders record it. */
export function orderCarrierPicked(text: string): string | undefined {
  const t = text.normalize('NFKC');
  if (!CARRIER_PICKS.test(t)) return undefined;
  return CARRIER_NAMES.find(([re]) => re.test(t))?.[1];
}

/** The order of theirs whose tracking number the message gives back ("tracking 592604118833 - where is it?"; spaces and dashes ignored). */
export function orderByTracking(text: string, orders: readonly Order[]): Order | undefined {
  const digits = text.normalize('NFKC').replace(/(?<=\d)[\s-](?=\d)/g, '').match(/\d{8,16}/g);
  if (!digits) return undefined;
  return orders.find((o) => o.trackingNumber !== undefined && digits.includes(o.trackingNumber));
}

// An order picked by what it cost: "the expensive one", "which of my orders cost the most?", 「一番高い注文」; "the cheapest order", 「安い方」.
const PRICIEST = /\b(?:most expensive|priciest|costliest|biggest|largest|expensive (?:one|order))\b|\bcost(?:s|ed)? (?:me )?the most\b|\bspent the most\b|(?:一番|いちばん|最も|もっとも)(?:高い|高かった|高額)|高(?:い|かった)(?:方|ほう|やつ|注文)|高額(?:な|の)(?:注文|やつ|方)/i;
const CHEAPEST = /\b(?:cheapest|least expensive|smallest|cheap(?:er)? (?:one|order))\b|\bcost(?:s|ed)? (?:me )?the least\b|(?:一番|いちばん|最も|もっとも)(?:安い|安かった)|安(?:い|かった)(?:方|ほう|やつ|注文)/i;

/** True when the message picks an order by its carrier, cost or a tracking number (maybe not the one in play). */
export function picksAnotherOrder(text: string): boolean {
  return orderCarrierPicked(text) !== undefined || orderPricePicked(text) !== undefined || /\d{8,16}/.test(text.normalize('NFKC').replace(/(?<=\d)[\s-](?=\d)/g, ''));
}

/** Whether a message picks one of their orders by its total: 'most' ("the expensive one") or 'least' ("the cheapest order"). */
export function orderPricePicked(text: string): 'most' | 'least' | undefined {
  const t = text.normalize('NFKC');
  return PRICIEST.test(t) ? 'most' : CHEAPEST.test(t) ? 'least' : undefined;
}

// "Where is the Medalist one now?", 「メダリストのは今どこ？」, 「…のはどうなってますか？」: where something is, with their orders in play, is where the parcel is.
const WHERE_IS = /\bwhere(?:'s| is| are)\b|\bhow(?:'s| is) (?:it|that one) (?:going|doing)\b|どうなって|どこ(?:に|まで|ら)?(?:ある|あります|いる|です|\?|？|$)|今どこ|どの(?:辺|あたり)/i;

/** True when the message asks where something is (with their orders in play: where that order is). */
export function asksWhereItIs(text: string): boolean {
  return WHERE_IS.test(text.normalize('NFKC'));
}

// A customer saying who they are: a name ("I'm John Smith", "my name is …", 「田中です」, 「名前は…」) or an email address.
const IDENTIFIES = /[\w.+-]+@[\w-]+\.[\w.]+|\b(?:(?:i'?m|i am)\s+(?!(?:fine|ok|okay|good|great|sorry|not|so|just|here|back|sure|done|looking|trying|confused|annoyed|angry|upset|a|an|the|very|really|still|signed|logged|new|from|in|on|at|waiting)\b)|my name is\s+|name'?s\s+)[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?\s*(?:[,.!]|$)|\bmy (?:e-?mail|email address) is\b|\b(?:it'?s |it is |order(?:ed)? |placed )?under (?:the name (?:of )?|my name,? )?[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?\b|\b(?:look|check|search|find) (?:it|me|them|my order|the order)s? up\b|\b(?:look|check|search|find)\b[^.?!]{0,20}\bby (?:my |the )?(?:name|e-?mail)\b|名義|(?:名前|メール(?:アドレス)?)で(?:調べ|探|検索|確認|見つけ)|(?:名前|氏名)は|と申します|^[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}ー\s]{2,10}です[。!！]?$|メール(?:アドレス)?は/iu;

/** True when the message gives the customer's name or email address. */
export function identifiesThemselves(text: string): boolean {
  return IDENTIFIES.test(text.normalize('NFKC').trim());
}

// Their latest order, by name ("what was my last order?", 「最新の注文は？」): not the one in play.
const LATEST_ORDER = /\b(?:last|latest|newest|most recent) (?:order|purchase|one)\b|最新の注文|最後の注文|直近の注文|一番新しい注文|いちばん新しい注文/i;

/** True when the message asks for their latest order by name. */
export function asksLatestOrder(text: string): boolean {
  return LATEST_ORDER.test(text.normalize('NFKC'));
}

/** True when the message says an order is late or has not arrived. */
export function saysLate(text: string): boolean {
  return LATE.test(text.normalize('NFKC'));
}

/** True when an order is past its estimated delivery date (YYYY-MM-DD `today`, the store's calendar) and not yet delivered. */
export function isLate(order: Order, today: string): boolean {
  const open = order.status === 'processing' || order.status === 'shipped' || order.status === 'out_for_delivery';
  return open && order.estimatedDelivery !== undefined && order.estimatedDelivery.slice(0, 10) < today;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_EN = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const monthOf = (word: string) => MONTHS.findIndex((m) => m.startsWith(word.slice(0, 3))) + 1;
const pad = (n: number) => String(n).padStart(2, '0');
/** YYYY-MM-DD of a day `days` after `day` (negative: before). */
function shift(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
/** The latest year in which month/day is not after `today`: "November 20" asked in December is this year's. */
function pastYear(today: string, month: number, day = 1): number {
  const year = Number(today.slice(0, 4));
  return `${year}-${pad(month)}-${pad(day)}` <= today ? year : year - 1;
}
function monthSpan(year: number, month: number): { from: string; to: string } {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(last)}` };
}

/**
 * When the message places the order it means ("the one from October", "back in october", 「10月に
 * 買った」, 「11月20日の注文」, "last month", 先月の, 「先週頼んだ」, "yesterday"): the days it spans,
 * inclusive, YYYY-MM-DD by the store's calendar (`today`). Undefined when it names no time.
 */
export function orderPeriod(text: string, today: string): { from: string; to: string; earlier?: { from: string; to: string } } | undefined {
  const t = text.normalize('NFKC').toLowerCase();
  const jaDay = /(?<!\d)(1[0-2]|[1-9])\s*月\s*(3[01]|[12]\d|[1-9])\s*日|(?<![\d/.-])(1[0-2]|[1-9])\/(3[01]|[12]\d|[1-9])(?![\d/])/.exec(t);
  const enDay = new RegExp(`\\b${MONTH_EN}\\.? (3[01]|[12]\\d|[1-9])(?:st|nd|rd|th)?\\b|\\b(3[01]|[12]\\d|[1-9])(?:st|nd|rd|th)? (?:of )?${MONTH_EN}\\b`).exec(t);
  if (jaDay || enDay) {
    const month = jaDay ? Number(jaDay[1] ?? jaDay[3]) : monthOf(enDay![1] ?? enDay![4]);
    const day = jaDay ? Number(jaDay[2] ?? jaDay[4]) : Number(enDay![2] ?? enDay![3]);
    const d = `${pastYear(today, month, day)}-${pad(month)}-${pad(day)}`;
    return { from: d, to: d };
  }
  // A day of the month alone ("my order from the 19th", 「19日に頼んだやつ」, 「19日の注文」): the latest such day not after today.
  const dayOnly = /\b(?:from|on|of|placed|made|ordered) (?:on )?the (3[01]|[12]\d|[1-9])(?:st|nd|rd|th)\b|(?<![\d月/])(3[01]|[12]\d|[1-9])\s*日(?:に(?:注文|頼|買|購入)|の(?:注文|やつ|分|ご注文))/.exec(t);
  if (dayOnly) {
    // This month's when it has come, else last month's; with no order on it, the month before's (`earlier`).
    const day = Number(dayOnly[1] ?? dayOnly[2]);
    const dates: string[] = [];
    for (let back = 0, at = `${today.slice(0, 7)}-01`; back < 3 && dates.length < 2; back++, at = shift(at, -1).slice(0, 7) + '-01') {
      const [year, month] = [Number(at.slice(0, 4)), Number(at.slice(5, 7))];
      const d = `${year}-${pad(month)}-${pad(day)}`;
      if (day <= new Date(Date.UTC(year, month, 0)).getUTCDate() && d <= today) dates.push(d);
    }
    if (dates.length > 0) return { from: dates[0], to: dates[0], ...(dates[1] ? { earlier: { from: dates[1], to: dates[1] } } : {}) };
  }
  if (/\blast month\b|\bprevious month\b|先月|前の月/.test(t)) {
    const first = `${today.slice(0, 7)}-01`;
    const prev = shift(first, -1);
    return monthSpan(Number(prev.slice(0, 4)), Number(prev.slice(5, 7)));
  }
  if (/\bthis month\b|今月/.test(t)) return monthSpan(Number(today.slice(0, 4)), Number(today.slice(5, 7)));
  if (/\blast week\b|\bprevious week\b|先週/.test(t)) {
    // The calendar week before this one (Monday to Sunday).
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
    const monday = shift(today, -weekday - 7);
    return { from: monday, to: shift(monday, 6) };
  }
  if (/\byesterday\b|昨日/.test(t)) {
    const d = shift(today, -1);
    return { from: d, to: d };
  }
  const en = new RegExp(`\\b(?:in|from|of|since|during|back in|placed in|ordered in|made in)\\s+${MONTH_EN}\\b|\\b${MONTH_EN}(?:'s)? (?:order|one|purchase)s?\\b`).exec(t);
  // A month alone (「10月の注文」, "my October order"); "may" only after in/from ("in May").
  const bare = new RegExp(`\\b(january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\b`).exec(t);
  const ja = /(?<!\d)(1[0-2]|[1-9])\s*月(?!\s*\d)/.exec(t);
  const month = en ? monthOf(en[1] ?? en[2]) : bare ? monthOf(bare[1]) : ja ? Number(ja[1]) : undefined;
  return month ? monthSpan(pastYear(today, month), month) : undefined;
}

// What an order held, said to pick it out: "the one with the box sets", 「BOXセットの注文」, "the
// digital one", 「電子版の注文」, 「紙の方」, "the kanzenban order".
const KIND_WORDS: readonly [RegExp, (format: ProductFormat) => boolean][] = [
  [/\bbox(?:ed)?[ -]?sets?\b|\bboxes\b|\bbox\b|ボックス|box|全巻セット/i, (f) => f === 'box_set'],
  [/\bdigital\b|\be-?books?\b|\bkindle\b|電子/i, (f) => f === 'digital'],
  [/\bkanzenban\b|\bperfect edition\b|完全版/i, (f) => f === 'kanzenban'],
  [/\b(?:print|printed|paperback|physical|paper)\b|紙の|単行本/i, (f) => f !== 'digital'],
];

/** Whether a line's format is of the kind the message picks an order by, when it picks one ("the digital one"). */
export function orderKindPicked(text: string): ((format: ProductFormat) => boolean) | undefined {
  const t = text.normalize('NFKC');
  // Every kind named counts: "the box set order and the digital one, what did they cost?" asks of both orders, not the first.
  const kinds = KIND_WORDS.filter(([re]) => re.test(t)).map(([, fits]) => fits);
  return kinds.length === 0 ? undefined : kinds.length === 1 ? kinds[0] : (f) => kinds.some((fits) => fits(f));
}

// A volume named as the one they ordered ("and 13, the one I ordered", 「注文したやつの13巻もいくら？」) ...
const ORDERED_AS_NAME = /\b(?:the one|the vol(?:ume)?|that one|one|which|that) (?:i|we)(?:'ve| have)? (?:already |just )?(?:ordered|bought|pre-?ordered|purchased)\b|(?:注文|購入|予約)(?:し(?:まし)?た|済みの?)(?:やつ|巻|本|の|方|ほう)/gi;
// ... that asks nothing of that order: where it is, when it comes, its state, or the order itself.
const ORDER_STATE_ASKED = /\b(?:where|status|ship|shipped|shipping|arrive|arrived|arriving|deliver|delivered|delivery|track|tracking|cancel|come|coming|came|yet|order|orders|parcel|package|did i|have i)\b|届|発送|配送|配達|いつ|キャンセル|追跡|状況|荷物|注文|っけ/i;

/**
 * True when the message names a volume as the one they ordered and asks nothing of the order
 * ("and 13, the one I ordered"): the volume's facts, with their order of it said beside them.
 */
export function namesVolumeAsOrdered(text: string): boolean {
  const t = text.normalize('NFKC');
  return new RegExp(ORDERED_AS_NAME.source, 'i').test(t) && !ORDER_STATE_ASKED.test(t.replace(ORDERED_AS_NAME, ' '));
}
