// Resolves what a message points at in the conversation: "the second one" / "2つ目" (a position
// in the latest list shown), "it" / "それ" (the series just shown), "それの3巻" (that series plus a
// volume), and follow-ups that name no title at all — "how much is volume 1?", 「在庫ありますか？」,
// "when does the next volume come out?", "who is the author?", "anything else by the same
// author?" — which are about the series the conversation is on, with the volume it was on ("is it
// in stock?" after volume 10 is about volume 10). "Which one is longer?" after a comparison is
// about the series compared; "only finished ones please" after a recommendation narrows it.
// Hand-written rules over what the assistant recorded per turn (TurnContext.seriesIds/about): the
// referent is known exactly, so no coreference model is needed.

import { extractEntities, extractOrdinal, extractVolume, extractVolumes, volumeRange, withoutKindWords } from './entities.ts';
import { asksLighter, withoutLighter, asksPreviousVolume, asksSameAuthor, asksShort, extractAudience, extractFormat, extractMaxVolumes, extractStatus, extractVolumeRef } from './constraints.ts';
import { comparisonParts } from './comparison.ts';
import { asksEveryVolume, followUpShape, leftoverOf } from './follow-up-words.ts';
import type { ComparativePick, Intent, Language, RecommendationWish, ReferenceResolver, ResolvedReference, TurnAbout, TurnContext } from './types.ts';
import { namesVolumeAsOrdered } from '../orders/order-match.ts';

export { followUpShape, leftoverOf };

// Deictic words. Bare "that"/"this" are left out in English because they are mostly
// conjunctions or determiners of something named ("I heard that Frieren ...").
const EN_PRONOUN =
  /\b(?:it|its|it's|that one|this one|those|them|that series|this series|that manga|this manga|that title|this title|that book|this book|of that|of this|the same one|same series)\b/;
// Idioms where "it" points at nothing ("is it possible to return", "it's been a week", "forget it");
// removed before looking for pronouns.
const EN_DUMMY_IT =
  /\b(?:is it possible|it's (?:ok|okay|fine|alright|all right|been|possible)|it is (?:ok|okay|fine|possible)|it has been|it was supposed|forget it|never ?mind|it seems|it says|it said|it shows|make it)\b/g;
// それ but not それぞれ/それとも/それで/それに/それから/それなら (conjunctions); これ but not これから/これまで.
// (A choice said with it is the pronoun: 「それにします」「じゃあそれで」「それでお願いします」.)
const JA_PRONOUN =
  /それ(?!ぞれ|とも|から|なら|じゃ|で(?!\s*(?:します|しよう|お願い|いい|大丈夫|$|[!！。.]))|に(?!\s*(?:します|しよう|する|決め)))|これ(?!から|まで)|あれ(?!から|ほど)|その(?:漫画|マンガ|まんが|作品|シリーズ|本|タイトル|やつ|巻|\d)|この(?:漫画|マンガ|まんが|作品|シリーズ|本|タイトル|やつ)|そっち|こっち|あっち|そちら|同じ作品/;

/** Normalised for "does the last answer mention it": lower case, no spaces or punctuation. */
const squash = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');

// A store-policy question names a policy matter; a question about a series' books does not
// ("how many books are out?" is not about membership, 「電子書籍でもありますか」 not about refunds).
const POLICY_WORDS = /\b(?:preorder|pre-order|reserve|cancel|cancell?ation|return|returns|refund|ship|shipping|delivery|deliver|pay|payment|points?|coupon|account|member|membership|prime|gift|wrap|policy|fee|device|download|read it on)\b|予約|キャンセル|返品|返金|交換|配送|送料|発送|支払|決済|ポイント|クーポン|会員|アカウント|ギフト|ラッピング|端末|ダウンロード|読み方/;

// A place in a list of picks named as such: "the top pick", "your first recommendation", "the #1 suggestion", 「1位の」「一番上の」.
const LIST_PLACE = /\b(?:picks?|recommendations?|suggestions?|options?|choices?|recs?|results?)\b|\btop\b|一番上|いちばん上|(?:1|一)位/;

// Another title asked the same short way: "and Bleach?", "what about Bleach?", 「BLEACHは？」「BLEACHの方は？」.
// ("What about the Gantz one" typed without its question mark asks the same.)
// (After an acknowledgement too: "ok and the berserk ones?", "thanks, what about Nana?".)
const EN_AND_X = /^(?:(?:ok(?:ay)?|alright|right|cool|great|thanks|thank you|got it|i see|so|oh|hmm)[\s,.!]+)?(?:and|what about|how about|also)\s+[^?]{2,40}\?\s*$|^(?:(?:ok(?:ay)?|alright|right|cool|great|thanks|thank you|got it|i see|so|oh|hmm)[\s,.!]+)?(?:what|how) about\s+[^?.!]{2,40}$/;
const JA_X_WA = /^[^、。？?]{2,30}?(?:は|の方は|のほうは|って|も)\s*[?？]\s*$/;

const HOW_MANY = /\bhow many\b|何巻|全何巻|何冊/;

// Asking to buy ("can I get the first one?", 「1つ目ください」).
const BUY = /\b(?:get|buy|purchase|order|want|take)\b|ください|下さい|欲しい|ほしい|買い|購入/;

// An order question names an order, a parcel or a delivery; a volume question does not.
const ORDER_WORDS = /\b(?:order|orders|ordered|package|parcel|delivery|deliver|delivered|shipped|shipment|tracking|arrive|arrived|carrier|courier)\b|注文|配送|届|発送|荷物|業者|運送|宅配/;
// What only an order answers, asked with an order in play: its carrier ("which carrier?", 「配送業者は？」), even when read as a policy question.
// ...and what a refund of it comes to ("how much do I get back?", 「いくら戻ってくる？」「返金額は？」).
const ORDER_TOTAL = /\b(?:total|altogether|in all|how much (?:was|did|were))\b|\bhow much (?:will|do|would|did|am|are|is) (?:i|we|it|that)\b[^.?!]{0,20}\b(?:get|getting|got|be) (?:back|refunded)\b|\b(?:refund|refunded) (?:amount|total)\b|\bhow much (?:is|was|will be) (?:the |my )?refund\b|\bhow much (?:will|would|is|was) (?:it|that|this)(?: one)?(?: be| come to| cost)?\s*[?!.]*$|\bhow much (?:do|did|will|would|should) (?:i|we) (?:owe|have to pay|need to pay|pay)\b|\b(?:all )?(?:that|those|it) (?:come|came|comes) to\b|合計|全部で|総額|いくらだった|いくらでした|いくら払|いくら(?:くらい|ぐらい|位)?(?:戻|返っ|返金)|返金(?:額|金額)|(?:返金|戻って|戻る|返って)[^。？?]{0,10}(?:いくら|金額)/;
// The words of a question about the order in play besides the title it may name ("list everything that was in it", 「中身は何でしたっけ」).
const ORDER_DETAIL_FILLER = /中身|内容|全部|全て|すべて|何(?:で(?:した|す))?|なん(?:だった|でした|だ|です)?|だった|でした|っけ|教えて|おしえて|ください|(?:配送|配達)(?:会社|業者)?|運送|宅配|会社|業者|どこ(?:の|から)?|送られ(?:て(?:る|い(?:る|ます)))?|(?:もら|いただ)(?:え|け)(?:ます(?:か)?|る|ない)?|もう一度|いくら|くらい|ぐらい|(?:戻|返)っ?て(?:くる|きます|くるの|きますか)?|戻る|返金(?:額|金額)?|されます|される|\b(?:list|show|tell|me|everything|all|again|else|that|what|was|were|in|it|one|items?|contents?|please|pls|and|who|which|is|company|delivering|shipping|carrying|bringing|how|much|did|do|will|would|i|we|spen[dt]|paid|pay|get|back|refund(?:ed)?|amount|total|altogether|inside|remind|recall|forgot|forget|cost|costs|price|be|come|wat|wut|exactly|again|just|there|owe|have|need|to|all|those|came|comes|should)\b|入って(?:る|た|い(?:る|た|ます|ました))?|それ|その|あれ/g;
// So is what it held ("list everything that was in it", 「中身は何でしたっけ」) and when it is due ("when's it due?").
// ...and when it came, or what else it held ("the delivery date?", 「配達日は？」「その時ほかに何買ってたっけ」) — not a date to choose or change.
const ORDER_ONLY = /(?:配達|到着|お届け)日(?![^。？?]{0,12}(?:指定|変更|選))|\b(?:delivery|arrival) date\b(?![^.?!]{0,12}\b(?:choose|change|pick|select|set)\b)|(?:他|ほか)に(?:何|なに|なん)(?:を)?(?:買|注文|頼|購入)|\bwhat else (?:did|had|have) (?:i|we) (?:buy|bought|get|got|order|ordered)\b|\b(?:carrier|courier|tracking (?:number|no|#)|which company|(?:delivery|shipping) company|contents)\b|(?:配送|運送|宅配|配達)(?:会社|業者)|どこの(?:会社|業者)|何便|\bwho(?:'s| is| will be)? (?:delivering|shipping|carrying|bringing)\b|\b(?:what(?:'s|s)?|wat|wut|wht|everything|all|items?|anything) (?:(?:that|else) )?(?:was|were|is|came|i (?:got|had|ordered))? ?(?:in|inside) (?:it|that(?: one)?|there|the (?:box|parcel|package|order))\b|\b(?:what|wat|wut)(?:'s|s| is| was| were)? inside\b|\bwhen(?:'s| is| was| will)? (?:it|that(?: one)?) (?:due|supposed to (?:arrive|come|get here)|getting here|get here)\b|業者|運送会社|宅配会社|追跡番号|お問い合わせ番号|中身|内容|(?:何|なに)(?:が)?入っ|入って(?:い)?た(?:の|もの|商品)/;

// One of their orders picked by what it held or when it was placed ("the digital one", "the one from October", 「電子版の方」「10月のやつ」).
const ORDER_PICK_EN = /\bthe other (?:one|order)\b|\b(?:what|how) about (?:(?:the|my) (?:ones?|orders?|stuff) )?(?:from |in |placed in )?(?:the )?(?:last month|this month|last week|(?:jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)[a-z]*|may)\b|^(?:(?:and|ok|okay|oh|sorry)[,.!\s]+)*(?:and )?(?:(?:the|my) (?:ones?|orders?) )?(?:from |in )(?:last month|this month|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\s*\??$|\b(?:the|that) (?:digital|e-?book|print(?:ed)?|paperback|physical|box(?:ed)?[ -]?sets?|kanzenban|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*) (?:one|order)s?\b|\bthe (?:one|order)s? (?:from|in|on|placed (?:in|on)|with the) (?:the (?=\d))?(?:last|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|box|digital|\d)/;
const ORDER_PICK_JA = /もう(?:一|1|ひと)(?:つ|個|こ)(?:の(?:方|ほう|やつ|注文)|は|って)|(?:他|ほか|別)の(?:方|ほう|やつ)|(?:電子(?:版|書籍)?|紙|単行本|完全版|ボックス|box|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*日|先月|先週|今月)の(?:方|ほう|やつ|注文|分)|(?:\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|先月|先週|今月)(?:の|に(?:買った|頼んだ|注文した)(?:の|やつ|分)?)?(?:は|って)\s*[？?]?\s*$|(?:\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|先月|先週|今月)の(?:やつ|注文|分|ほう|方)?(?:だった|でした)/;

// The points a purchase earned ("did I get points for it?", 「ポイントってもう付いてる？」), not a campaign.
const POINTS_EARNED_OF_IT = /\b(?:get|got|earn(?:ed)?|receive[d]?)\b[^.?!]{0,20}\bpoints?\b|\bpoints?\b[^.?!]{0,30}\b(?:back|returned|refunded|come back)\b|ポイント[^。？?]{0,12}(?:戻|返っ|返還)|\bpoints?\b[^.?!]{0,30}\b(?:added|credited|show(?:n|ed)? up|for (?:it|that|this|them)|on (?:it|that|this)|yet|already)\b|ポイント[^。？?]{0,12}(?:付いて|ついて|付いた|ついた|付く|つく|付与|もらえ|入って|入る|入った|加算|反映)/;
const CAMPAIGN_WORDS = /\b(?:sales?|coupons?|discounts?|promos?|promotions?|campaigns?|fairs?|deals?|double|triple|bonus)\b|セール|クーポン|割引|キャンペーン|フェア|倍/;

// "More like the second one", "something similar to that", 「それに似た漫画」.
const EN_LIKE_IT =
  /\b(?:more|something|anything|others?|stuff|ones?|manga|series) (?:like|similar to) (?:the|that|this|it|them|those)\b|\bsimilar (?:to )?(?:that|this|it|the)\b|\bin the same vein\b|\b(?:anything|something|more|others?|ones?|manga|series|titles?) similar\b|\bsimilar (?:ones|manga|series|titles|stuff|books)\b|\bwhat(?:'?s| is| else is) similar\b|\bsimilar,? (?:but|except|only|without|minus|yet)\b|\b(?:similar|same) (?:vibes?|feel|tone|kind of (?:thing|stuff|story|manga)|energy|atmosphere|mood)\b/;
// 「似たような作品」「似てるやつ」「同じような漫画」「同系統の」 with no title: like the series in play.
const JA_LIKE_IT = /(?:に|と)似た|(?:に|と)似て(?:る|い)|^(?:じゃあ|では|なら|それなら)?[、,\s]*(?:似た|似てる|同じ)(?:ような|感じ|系)|似てる(?:漫画|マンガ|作品|の|やつ)|同系統|みたいな(?:漫画|マンガ|作品|の|やつ)|のような(?:漫画|マンガ|作品)|っぽい(?:漫画|マンガ|作品|の)/;
const EN_LIKE_IT_ALL = new RegExp(EN_LIKE_IT.source, 'g');
const JA_LIKE_IT_ALL = new RegExp(JA_LIKE_IT.source, 'g');
// The feel asked beside a like phrase ("similar vibe but happier", 「同じような雰囲気で」): no title.
const FEEL_WORDS = /^(?:vibes?|feel|feeling|tone|style|energy|kind|type|thing|things|stuff|atmosphere|mood|雰囲気|感じ|系統|ノリ|テイスト|作風|空気感)$/;
// More of the same request: "show me more", "anything else?", "others?", 「他には？」「別のある？」.
const EN_MORE = /\b(?:more|others|other ones|anything else|something else|else|another|different ones|next (?:ones|few|page)|new ones)\b/;
// The picks shown already read or owned ("I read the first two", "already have that one", "read those",
// 「それは読んだ」「全部持ってる」): the same request without them.
const EN_HAD_SHOWN = /\b(?:i'?ve|i have|i|already)\s+(?:already\s+)?(?:read|finished|own|have|got|seen)\s+(?:(?:all|both|each|the first|the last|the top)\s*(?:of\s+)?(?:two|three|few|\d)?\s*)?(?:those|these|them|that(?: one)?|this(?: one)?|it|the first (?:two|three|few|\d|one)|ones?)\b/;
const JA_HAD_SHOWN = /(?:それ|これ|あれ|全部|ぜんぶ|どれも|最初の(?:[0-9０-９一二三]+(?:つ|冊|作品?)?)?|上の(?:[0-9０-９一二三]+(?:つ|冊))?)(?:は|も|とも)?(?:もう|既に|すでに|全部)?(?:読んだ|読みました|読了|持って(?:る|います|ます))/;
const EN_MORE_ABOUT = /\bmore (?:about|details|detail|info|information|on)\b|\btell me more\b/;
const JA_MORE = /他に|ほかに|他の(?!作品)|ほかの(?!作品)|別の|もっと(?:見|教え|紹介|ある)|まだある|以外に/;
// A comparison asked again: "which one is longer?", "and the other?", 「どっちが長い？」.
const EN_WHICH = /\b(?:which(?: one)?|the other(?: one)?|both|each|either|compared?|vs|versus|difference)\b/;
const JA_WHICH = /どっち|どちら|どれ(?:が|も|か|です|でしょう|？|\?|$)|両方|それぞれ|比べ|違い/;
// A request being narrowed rather than replaced: "only finished ones", "shorter please", 「もうちょっと短いのがいい」.
const EN_NARROWING = /\b(?:only|just|but|instead|rather|maybe|preferably|ideally|ones|any of them|of those|among them|what about|how about|something|anything)\b/;
const JA_NARROWING = /だけ|のみ|もっと|もう少し|もうちょっと|ちょっと|のがいい|のが良い|のがいいな|じゃあ|では|なら|ほうがいい|方がいい|にして|で(?:お願い|おねがい)/;
// A question for a series' name in a language: "what's it called in English?", "the English title?", 「英語のタイトルは？」「日本語だと何ていうの？」.
const NAME_ASKED = /\b(?:called|named|known as) in (?:english|japanese|the us|america|japan)\b|\b(?:english|japanese|original|romaji|official|us|american) (?:title|name|version's (?:title|name))\b|\bin (?:english|japanese),? (?:what'?s|what is) (?:it|the title|the name)\b|(?:英語|日本語|英題|原題|海外|アメリカ)(?:で|の|だと|では)?(?:タイトル|題名|名前|何て|なんて|何と|なんと|どう)|(?:英題|原題)(?:は|って)/;
// Words of such a question, besides the series it is about.
const NAME_WORDS = /\b(?:what'?s|what is|whats|called|named|known|as|english|japanese|original|romaji|official|title|name|version'?s|us|american|america|japan|in|the|it|its|this|that|one|series|manga)\b|英語|日本語|英題|原題|海外|アメリカ|タイトル|題名|名前|何て|なんて|何と|なんと|言う|いう|いい?ます|ですか|どう|だと|では|で|の|は|って/g;
// The picks just shown, as a group: "which of those", "any of them", "these", 「その中で」「どれ」.
const PICKS_REFERENCE = /\b(?:those|these|them|any of|which of|ones)\b|その中|この中|そのうち|このうち|それらの|これらの|どれ/;
// A requirement on the picks rather than a question about one: "it has to be finished", "should be short", 「…じゃないと」.
const REQUIREMENT = /\b(?:has to|have to|needs? to|should|must|gotta|ought to|would prefer|i'?d prefer|prefer(?:ably)?)\b|じゃないと|でないと|がいい|が良い|にして/;
// A question about one series: "is it finished?", "does it have an anime?", "who wrote it?", 「それって完結してる？」.
const ASKS_OF_ONE = /^(?:(?:and|so|ok|okay|but|then|hmm+|wait|oh)[,\s]+)*(?:is|was|are|were|does|did|do|has|have|how|who|what|whats|what's|when|where|can|could|will|would)\b|^(?:じゃあ|で|それで)?[、,\s]*(?:それ|これ|あれ|その|この)[^。]*[?？か]\s*$/;
// Who the picks are for liking a kind, no title: "she loves comedy", "my son likes sports", "he's really into mecha".
const READER_LIKES = /\b(?:she|he|they|we|i|my \w+|our \w+)(?:'s|'re| is| are)?\s+(?:really |also |just |totally |so )?(?:loves?|likes?|enjoys?|adores?|prefers?|into|obsessed with|a fan of)\b/g;
// Words a wish leaves once its kind words are out, naming no title: kana of the wish itself (「サッカーのがいい」 → のがいい), "prefer", "funnier", "5 volumes max", 「10巻以内」.
const WISH_LEFT = /^(?:[\p{Script=Hiragana}ー]+|prefer\w*|rather|instead|\w+ier|max(?:imum)?|min(?:imum)?|tops|以内|以下|以上|未満|程度|くらい|位)$/u;
// A new request said as one ("now something funny", "something different: horror", 「今度はギャグ漫画がいい」)...
const FRESH_REQUEST =
  /\b(?:now|this time|for a change|change of pace|switch(?:ing)? (?:it up|gears|to)|(?:something|anything) (?:completely |totally |entirely )?(?:different|else entirely)|different (?:genre|kind|type))\b|今度は|次は|気分を変えて|気分転換|違うジャンル|別のジャンル|ガラッと/;
// ...unless it keeps the last one ("now also funny", "still short", "of those", 「その中で」「同じ条件で」).
const KEEPS_REQUEST = /\b(?:also|still|too|as well|same|of those|of them|of these|among|which|any of)\b|その中|この中|そのうち|それらの|これらの|さらに|同じ|引き続き|まだ/;
// ...or a whole request of its own: opened as one ("a josei manga that's finished, not more than 12 volumes",
// "I'm looking for a finished horror one under 5 volumes") with a kind and more of its own.
const REQUEST_OPENING = /^(?:(?:ok|okay|so|hmm+|alright|right)[,\s]+)?(?:a|an|i(?:'m| am) looking for|looking for|i (?:want|need)|i'd like|can you recommend|recommend(?: me)?|do you have|got any)\b/;

/** True when a message asks anew for a kind the request just answered did not have: the last list's constraints stay behind. */
function asksNewKind(text: string, t: string, wish: RecommendationWish): boolean {
  if (KEEPS_REQUEST.test(t)) return false;
  const e = extractEntities(text);
  // A kind said as an addition ("plus a bit of comedy", 「ミステリー要素もあると嬉しい」) narrows the picks: no new request.
  if (e.addsTags) return false;
  const own = [e.status, e.maxVolumes ?? e.minVolumes ?? e.shorter, e.audience].filter((x) => x !== undefined).length;
  if (!FRESH_REQUEST.test(t) && !(REQUEST_OPENING.test(t) && own >= 2)) return false;
  const before = [...wish.genres, ...wish.themes];
  return [...e.genres, ...e.themes].some((k) => !before.includes(k)) || (e.demographic !== undefined && e.demographic !== wish.demographic);
}

const EN_ASKS_RECOMMENDATION = /\b(?:recommend|recommendation|suggest|suggestion)s?\b/;
const JA_ASKS_RECOMMENDATION = /おすすめ|オススメ|お勧め|お薦め/;
// Words that ask for price or stock, for choosing between the two catalog intents.
// A total ("total?", "altogether?", 「合計は？」) asks the price of the volumes in play, all of them at once.
const EN_PRICE_STOCK = /\b(?:price|prices|cost|costs|how much|stock|available|left|preorder|pre-order|buy|release|released|out|coming|come|total|altogether|in all)\b/;
// (「血が出るのは避けたい」: what comes out in a story is no release.)
const JA_PRICE_STOCK = /在庫|いくら|値段|価格|発売|いつ|(?<!が)出る|(?<!が)出ます|予約|買え|入荷|合計|総額/;

// A question about when a volume comes out (the next release), not about the volume after one.
const RELEASE_TIMING = /\bwhen\b|\brelease|\bcom(?:e|es|ing) out\b|\bout yet\b|いつ|発売|出る|出ます|出ない/;

/** Intents the classifier gives a follow-up it cannot read without the conversation. */
const UNSURE: ReadonlySet<Intent> = new Set(['chitchat', 'out_of_scope']);
const CATALOG_OR_UNSURE: ReadonlySet<Intent> = new Set(['chitchat', 'out_of_scope', 'product_search', 'product_question', 'price_availability', 'recommendation']);

function latestAssistantWithSeries(history: TurnContext[]): TurnContext | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn.role === 'assistant' && ((turn.seriesIds && turn.seriesIds.length > 0) || turn.about?.compared)) return turn;
  }
  return undefined;
}

/**
 * The format the customer named after the answer that showed the series in play ("ok forget the
 * ebook, I'll get the paperback. what's shipping?", answered with the fee): it replaces the format
 * that answer was about for what follows ("is vol 5 in stock too?").
 */
function formatSaidSince(history: TurnContext[], shown: TurnContext | undefined): ReturnType<typeof extractFormat> {
  let out: ReturnType<typeof extractFormat>;
  for (let i = shown ? history.lastIndexOf(shown) + 1 : history.length; i < history.length; i++) {
    if (history[i].role === 'user') out = extractFormat(history[i].text.normalize('NFKC').toLowerCase()) ?? out;
  }
  return out;
}

// Words that make "the second one" a volume of the series in play: its price, stock, a purchase.
const VOLUME_MEANT = /\b(?:how much|price|prices|cost|costs|in stock|stock|buy|order|cart|preorder|available|digital|paperback|volume|vol)\b|いくら|値段|価格|在庫|買|購入|注文|予約|電子|巻/;

/**
 * The list an answer about one series was picked from: the answers with series before it were
 * about one series of a list each, up to the list itself ("recommend horror" → "is the first one
 * scary?" → Berserk → "is the second one finished?" → Tokyo Ghoul → "who wrote the third one?").
 */
function listBefore(history: TurnContext[], shown: TurnContext | undefined): string[] | undefined {
  if (!shown?.seriesIds || new Set(shown.seriesIds).size !== 1) return undefined;
  const picked = new Set(shown.seriesIds);
  const at = history.lastIndexOf(shown);
  for (let i = at - 1, answers = 0; i >= 0 && answers < 6; i--) {
    const turn = history[i];
    if (turn.role !== 'assistant' || !turn.seriesIds || turn.seriesIds.length === 0) continue;
    answers++;
    const ids = [...new Set(turn.seriesIds)];
    if (ids.length === 1) {
      picked.add(ids[0]);
      continue;
    }
    return [...picked].every((id) => ids.includes(id)) ? ids : undefined;
  }
  return undefined;
}

function latestAbout(history: TurnContext[], has: (a: TurnAbout) => boolean): TurnAbout | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn.role !== 'assistant') continue;
    if (turn.about && has(turn.about)) return turn.about;
    // Only the latest answer with series counts: an older request is not being narrowed.
    if (turn.seriesIds && turn.seriesIds.length > 0) return undefined;
  }
  return undefined;
}

/** The one series a turn was about: recorded, or the only series it showed. */
function focusOf(turn: TurnContext | undefined): string | undefined {
  if (!turn) return undefined;
  if (turn.about?.focus) return turn.about.focus;
  return turn.seriesIds && turn.seriesIds.length === 1 ? turn.seriesIds[0] : undefined;
}

// A bare number right after a box set asked ("what about 3?", 「3も」 after box set 2) is another box set:
// with no volume word, the number counts what was asked before.
const VOLUME_WORD = /巻|冊|\b(?:vols?|volumes?|books?|v)\b|\bv\d/i;
function boxSetAgain(t: string, format: string | undefined, volume: number | undefined, about: { format?: string; volume?: number } | undefined): boolean {
  return format === undefined && volume !== undefined && about?.format === 'box_set' && volume !== about.volume && !VOLUME_WORD.test(t);
}

// The single volumes weighed against the box set in play ("vs buying all 12 singles?", "and buying volumes 1 to 3
// separately would cost?", 「バラで買うと？」): the box set's format is not carried into them.
function singlesAgainstBox(t: string, format: string): boolean {
  return format === 'box_set' && asksEveryVolume(t) === 'singles';
}

// Numbers that are no volume: a price, an age, a date, a count ("all 18", 「全30巻」), a rank or a limit.
const BARE_NUMBER =
  /(?<![\d.,¥$:/#-]|\btop |\bunder |\bover |\bthan |\bleast |\bmost |\bup to |\bfor |\bage |\ball |全\s*)(\d{1,3})(?![\d:/%+]|[.,]\d|\s*(?:円|yen|ドル|dollars?|歳|才|years?|yrs?|yo\b|日|days?|時|月|年|volumes|vols|books|冊|人|個|つ|番|位|点|%|巻(?:以内|以下|未満|以上|まで)))/g;

/** Bare numbers of a follow-up about the series in play ("what about 13?", "2 and 3 as well", "21 not 12"), in order: the first is the one meant. */
function bareVolumes(t: string): number[] {
  const all = [...t.matchAll(BARE_NUMBER)].map((m) => Number(m[1])).filter((n) => n > 0);
  // "21 not 12": the number ruled out is not asked for.
  const ruledOut = [...t.matchAll(/\b(?:not|instead of|rather than)\s+(?:vol(?:ume)?\.?\s*|#)?(\d{1,3})\b|(\d{1,3})\s*巻?\s*(?:じゃなく|ではなく|でなく)/g)].map((m) => Number(m[1] ?? m[2]));
  return bareRange(t) ?? [...new Set(all.filter((n) => !ruledOut.includes(n)))];
}

/**
 * The volumes a message asks in questions of their own about one series ("kingdom 77 price? and
 * is 76 in stock?", 「107巻いくら？106巻は在庫ある？」): the first question's volume, then each later
 * question's that names no title of its own; undefined under two.
 */
export function volumesOfQuestions(questions: string[]): number[] | undefined {
  // A polite request is a sentence of its own, not a question (「…17巻の在庫はございますでしょうか。
  // また、18巻の発売日も教えていただけますと幸いです。」): each sentence that asks a price, stock or date.
  const parts = questions.flatMap((q) => q.split(/(?<=。)/)).filter((p) => EN_PRICE_STOCK.test(p.toLowerCase()) || JA_PRICE_STOCK.test(p) || /[?？]/.test(p));
  if (parts.length < 2) return undefined;
  const out: number[] = [];
  for (const q of parts) {
    const t = q.normalize('NFKC').toLowerCase();
    // (The first volume may come with the title; a later one naming a title of its own is another title's.)
    if (out.length > 0 && leftoverOf(t).kind === 'title') continue;
    const v = extractVolume(t) ?? (out.length > 0 ? bareVolumes(t)[0] : undefined);
    if (v !== undefined && !out.includes(v)) out.push(v);
  }
  return out.length > 1 && out.length <= 10 ? out : undefined;
}

// Every volume of the series, in words no volumes in play can mean ("all 18 volumes", "the whole
// series", 「全30巻」「全巻」; not "all of them", which may be the volumes just asked): the volume
// in play is not carried into it.
const WHOLE_SERIES = /\b(?:whole|entire|complete|full) (?:series|run|set|collection)\b|\bthe whole (?:thing|lot|of)\b|\ball \d{1,3}\b|\bevery (?:single )?volume\b|\ball (?:the )?volumes\b|全巻(?!セット)|全\s*\d{1,3}\s*(?:巻|冊)(?!セット)|全冊|一式/;

/**
 * Every volume of the series asked ("the whole series", 全巻), not the volume in play; "all of it",
 * 「全部」, "collect it completely" too when one volume is in play. After several volumes (asked
 * together or one at a time), "all of it" / 「3冊全部で」 is those volumes.
 */
function asksWholeSeries(t: string, history: TurnContext[], focus: string | undefined): boolean {
  if (WHOLE_SERIES.test(t)) return true;
  return asksEveryVolume(t) === 'all' && (focus === undefined || volumesAskedOf(history, focus).length <= 1);
}

// A price of the volumes in play added up: "both together", "total?", 「2冊で合計」「あわせて」.
const EN_TOGETHER = /\b(?:total|together|altogether|combined|in all|both|sum)\b/;
const JA_TOGETHER = /合計|総額|両方|あわせて|合わせて|全部で|(?:\d+|二|三|四|五)冊で/;

/**
 * The volumes asked about the series in play, one answer at a time ("vol 7?" then "and vol 8?"),
 * from the latest answer back to the first that was about another series; at most ten, in order.
 */
function volumesAskedOf(history: TurnContext[], focus: string): number[] {
  const out = new Set<number>();
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn.role !== 'assistant') continue;
    if (turn.about?.focus !== focus || turn.about.volume === undefined) break;
    for (const v of turn.about.volumes ?? [turn.about.volume]) out.add(v);
  }
  return out.size <= 10 ? [...out].sort((a, b) => a - b) : [];
}

/** "1 to 5", "1 through 5", 「1から5」 about the series in play: a range of volumes, every one of them. */
function bareRange(t: string): number[] | undefined {
  // A comma after the range ends it ("3 thru 6, total?"); a decimal ("1-2.5") is no range.
  const range = /(?<![\d.,¥$])(\d{1,3})\s*(?:to|through|thru|-|–|~|〜|～|から)\s*(\d{1,3})(?![\d%]|[.,]\d|\s*(?:円|yen|歳|日|days?|years?|時|%))/.exec(t);
  if (!range) return undefined;
  return volumeRange(Number(range[1]), Number(range[2]));
}

// What a question about a series asks: price, stock, release, format, author, status, length, story.
const SERIES_ASK =
  /\b(?:price|prices|cost|costs|how much|total|totals|sum|altogether|combined|stock|available|availability|buy|get|preorder|pre-order|release|released|come out|out yet|when|digital|ebook|e-book|paperback|print|edition|version|kanzenban|box|author|wrote|writer|artist|mangaka|creator|drew|finished|complete|completed|ongoing|ended|hiatus|status|how many|how long|volumes?|vols?|books?|story|plot|synopsis|about|genre|rating|reviews?)\b|在庫|いくら|値段|価格|税込|発売|いつ|出る|出ます|出て|入荷|予約|買え|購入|電子|デジタル|紙|完全版|単行本|ボックス|セット|作者|著者|作家|漫画家|描|書い|完結|連載|何巻|巻|冊|長さ|あらすじ|内容|話|ジャンル|評価|レビュー/;

const REQUEST_LIKE =
  /\b(?:something|anything|ones|others|another|other (?:series|manga|titles|books)|similar|recommend\w*|suggest\w*|any of (?:those|them)|under \d+|less than|fewer than|at most|up to|no more than|at least|more than)\b|何か|なにか|おすすめ|オススメ|お勧め|他の|ほかの|似た|以内|以下|未満|以上|短め|長め/;
const PREORDER = /\bpre-?orders?\b|\breserve\b|予約/;
// The original work a spin-off or sequel comes from: 「本編」「無印」, "the original", "the main series".
const ORIGINAL_WORK = /本編|無印|\bthe (?:original|main)(?: (?:series|story|manga|one|run))?\b|\boriginal (?:series|manga)\b/;
// A request to buy or hold the volume in play ("put me down for it", "I'll take it", 「買います」「それください」): about that volume.
const BUY_REQUEST = /\bput me down\b|\bsign me up\b|\bcount me in\b|\breserve\b|\bi(?:'ll| will|'d like to| would like to| want to| wanna) (?:take|buy|get|order|grab|purchase|pre-?order)\b|\b(?:order|buy|get|grab|hold|save) (?:it|that|this|one|them|a copy) for me\b|予約して(?:ください|下さい|おいて|ほしい|欲しい|もらえ|くれ|$|[。！!?？])|予約(?:したい|します|お願い)|予約し(?:とき|ておき)たい|買います|買いたい|購入(?:します|したい|希望)|(?:それ|これ|その巻|この巻)(?:を)?(?:ください|下さい)|(?:それ|これ|あれ|その巻|この巻|そっち|こっち|そちら|こちら)(?:に|で)(?:します|しよう|する|決めた|決めます|お願いします)|(?:それ|これ|そっち|こっち)で\s*(?:$|[!！。.])|\bi(?:'ll| will) go with (?:it|that|this|the)\b|\badd (?:it|that|this|them|that one|this one) to (?:my |the )?cart\b|\bi(?:'ll| will) have (?:it|that|this|that one|this one)\b|\b(?:add|put|throw|stick|pop)(?: (?:it|that|this|them|those|these|one|ones|both|all|vol|vols|volume|volumes|v?\d+(?:-\d+)?|the|first|second|third|last|latest|next|a|copy|copies|of|and|too|also))* (?:to|in|into) (?:my |the |your )?(?:shopping )?(?:cart|basket)\b|(?:カート|カゴ|かご)(?:に|へ)(?:入れ|いれ|追加|入)[\u3041-\u309f]*/;

// Volumes asked as well as the one in play: "2 and 3 as well", "vol 2 too", 「2巻も一緒に」.
const EN_ALSO = /\b(?:too|as well|also|both|together|along with|plus)\b/;
// (「BOX2と3も合わせて」「3巻も含めて」: added to the one in play.)
const JA_ALSO = /巻も|も一緒|もお願い|もください|も欲しい|もほしい|両方|も(?:合わせて|あわせて|含めて|入れて)/;

// A choice among the series just compared, by a fact: "the shorter one", "whichever is cheaper", 「短い方」「安いほう」「人気のほう」.
const PICKS: [RegExp, ComparativePick][] = [
  [/\b(?:the|whichever(?: one)?(?: is|'s)(?: the)?) (?:shorter|shortest)\b|\bthe one with (?:fewer|less) volumes\b|短い(?:方|ほう|の)|巻数(?:が|の)少ない/, { by: 'volumes', most: false }],
  [/\b(?:the|whichever(?: one)?(?: is|'s)(?: the)?) (?:longer|longest)\b|\bthe one with more volumes\b|長い(?:方|ほう|の)|巻数(?:が|の)多い/, { by: 'volumes', most: true }],
  [/\b(?:the|whichever(?: one)?(?: is|'s)(?: the)?) (?:better|best|higher|highest)[- ]?(?:rated|scored|one)?\b|評価(?:が|の)高い(?:方|ほう|の)/, { by: 'rating', most: true }],
  [/\b(?:the|whichever(?: one)?(?: is|'s)(?: the)?) (?:more|most) popular\b|人気(?:が|の)?(?:ある|高い)?(?:方|ほう)/, { by: 'popularity', most: true }],
  [/\b(?:the|whichever(?: one)?(?: is|'s)(?: the)?) (?:cheaper|cheapest)\b|安い(?:方|ほう|の)/, { by: 'price', most: false }],
  [/\b(?:the|whichever(?: one)?(?: is|'s)(?: the)?) (?:finished|complete|completed|ended)(?: one| series)?\b|完結(?:した|してる|している|済み)(?:方|ほう|の)/, { by: 'finished', most: true }],
  [/\b(?:the|whichever(?: one)?(?: is|'s)(?: the)?) (?:ongoing|running)(?: one| series)?\b|連載中の(?:方|ほう)/, { by: 'finished', most: false }],
  // By when they began: "the older one", "the one that came out first", 「古いほう」「先に始まった方」, "the newer one", 「新しいほう」.
  [
    /\b(?:the|whichever(?: one)?(?: is|'s)(?: the)?) (?:older|oldest|earlier|earliest)(?: one| series| title)?\b|\bthe one (?:that )?(?:came out|started|began|come out) (?:first|earlier)\b|古い(?:方|ほう|やつ|作品)|(?:一番|いちばん|最も)古いの|古いのの|昔の(?:方|ほう)|先に(?:始まった|出た|連載(?:が|を)?(?:始まった|開始した))(?:方|ほう|の)/,
    { by: 'started', most: false },
  ],
  [
    /\b(?:the|whichever(?: one)?(?: is|'s)(?: the)?) (?:newer|newest|more recent|most recent|younger)(?: one| series| title)?\b|\bthe one (?:that )?(?:came out|started|began|come out) (?:later|last|more recently)\b|新しい(?:方|ほう|やつ|作品)|(?:一番|いちばん|最も)新しいの|新しいのの|後に(?:始まった|出た)(?:方|ほう|の)|あとに(?:始まった|出た)(?:方|ほう|の)/,
    { by: 'started', most: true },
  ],
];

// The first or the last of the series compared, by its place: "the former", 「前者」; "the latter", 「後者」.
const FORMER = /\bthe former\b|前者/;
// Only the choice, nothing else asked ("and the longer one?", 「もう一方は？」): the same question about it, in the volume in play.
const BARE_CHOICE = /^(?:and|what about|how about|ok|then|so)?[\s,]*(?:the\s+)?[\w-]+(?:\s+one)?(?:\s+then)?\s*[?？]?$|^(?:じゃあ|では|で)?[、\s]*[^、。？?\s]{0,8}(?:ほう|方|前者|後者)(?:は|も)?[？?]?$/;
const OTHER_ONE = /\bthe other(?: one| series| title| manga)?\b|もう一方|もう片方|もうひとつの方|もう一つの方|他方/;
const LATTER = /\bthe latter\b|後者/;

// Words that weigh series compared against each other, read as no title after a comparison.
// (方 of 両方 is no 'one' of a pick: 「両方とも連載中？」 asks of both.)
const COMPARATIVE_WORDS =
  /\b(?:former|latter|whichever|fewer|older|oldest|newer|newest|earlier|earliest|longer|longest|shorter|shortest|cheaper|cheapest|pricier|better|higher|rated|popular|finished|complete|completed|ongoing|recent|younger|began|begun)\b|前者|後者|(?:一番|いちばん|最も)|先に|後に|あとに|始ま(?:った|って|り|る|りました)|開始|連載(?:中|が|を)?|古い|新しい|長い|短い|安い|高い|(?:巻数|冊数)(?:が|は|の)?|多い|少ない|(?:も|を)?(?:比べ|くらべ|比較し)(?:て(?:みて|ください|下さい|ほしい)?|る|たい|たら)?|完結(?:した|してる|している|済み)?|人気|評価|(?:の)?(?:ほう|(?<!両)方)/g;

// A correction naming the title meant instead ("no sorry, I meant Skip to Loafer", "not that one, the
// Berserk one", 「いや、ベルセルクの方です」「ガンツじゃなくてベルセルク」): another title, the short way.
const CORRECTED_TO = /\b(?:i meant|i mean|meant to say|not that one|i was (?:asking|talking) about|i'm (?:asking|talking) about)\b|じゃなくて|ではなく|(?:^|[、,\s])いや[、,\s]|(?:の方|のほう)(?:です|だよ|だって|ね|でした)/;

/** True when a message asks about another title the short way ("and the Gantz one?", "what about Nana?", 「ガンツの方は？」). */
export function asksAnotherTitle(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase().trim();
  return EN_AND_X.test(t) || JA_X_WA.test(t);
}

/** True when a message corrects the title it meant ("no sorry, I meant Skip to Loafer", 「ガンツじゃなくてベルセルク」). */
export function correctsTitle(text: string): boolean {
  return CORRECTED_TO.test(text.normalize('NFKC').toLowerCase().trim());
}

// A superlative over series by a fact: "which one is the shortest?", "the cheapest one?", "most
// popular of those?", 「一番短いのは？」「どれが一番人気？」「いちばん評価が高いのはどれ」. Not a
// volume's ("the latest volume", 「最新刊」): volume words other than a count of them rule it out.
const EN_SUPERLATIVE = /\b(?:shortest|longest|cheapest|priciest|newest|oldest|earliest|most recent|most popular|least popular|best[- ]rated|highest[- ]rated|top[- ]rated|best|fewest volumes|most volumes|least volumes)\b/;
const EN_SUPERLATIVE_OF = /\bwhich\b|\b(?:the|whichever)\s+(?:[\w-]+\s+){0,2}one\b|\b(?:of|among) (?:them|those|these|the three|the two|the four|all of them)\b/;
// Asking for other titles ("recommend the best one", "any other shorter one?"), not about the ones listed.
const ASKS_OTHERS = /\b(?:recommend\w*|suggest\w*|any|another|other|others|else|similar)\b|おすすめ|オススメ|お勧め|他の|ほかの|別の|似た/;
const JA_SUPERLATIVE = /(?:一番|いちばん|最も|もっとも)(?:の)?(?:短|長|安|高|人気|新し|古|評価|面白|おもしろ|売れ|巻数)|どれが[^。]{0,10}(?:短|長|安|人気|新し|古|評価|売れ)|(?:短|長|安|新し|古)いのはどれ|人気なのはどれ/;
// 「…なのはどれ」「どれが…」: the question word of a choice among them, no title.
const WHICH_OF_THEM = /(?:な)?の(?:は|が)?(?:どれ|どっち|どちら)(?:です|でしょう)?(?:か)?|どれ(?:が|か)?/g;
// (A count of them is no volume: "give me its volume count", "and how many volumes?", 「巻数も教えて」.)
const VOLUME_ASKED = /\b(?:vol|vols|volume|volumes)\b(?<!\b(?:most|fewest|least|how many|number of) (?:volumes|vols))(?!\s+count)|(?<!何)巻(?!数)/;

/** A superlative question over the series just listed ("which one is the shortest?", 「一番人気なのはどれ？」). */
export function asksListSuperlative(t: string): boolean {
  if (VOLUME_ASKED.test(t) || ASKS_OTHERS.test(t)) return false;
  return (EN_SUPERLATIVE.test(t) && EN_SUPERLATIVE_OF.test(t)) || JA_SUPERLATIVE.test(t);
}

// A question over every series of a list: "which of them are finished?", "are any of those still
// running?", "are they all complete?", 「その中で完結してるのは？」「どれが完結してる？」「どれも連載中？」.
const OVER_LIST =
  /\b(?:which|any|all|each|how many|both|none|either) of (?:them|those|these|the (?:three|four|five|[2-9]))\b|\bwhich ones?\b|\bare (?:they|those|these|all of them) (?:all )?(?:finished|complete|completed|done|over|ongoing|still|running)\b|その中|この中|そのうち|このうち|どれが|どれも|どれか|(?:は|って)どれ|それぞれ/;

/** A question over every series of a list just shown ("which of them are finished?", 「どれが完結してる？」), not about one of them. */
export function asksOverList(t: string): boolean {
  return !VOLUME_ASKED.test(t) && OVER_LIST.test(t);
}

/**
 * The series of the latest list the conversation showed (an author's works, search results; not
 * picks, whose wish narrows instead), when the answers since were about one of them ("tell me about
 * Monster" after Naoki Urasawa's works): a question over "them" still ranges over that list.
 */
function latestList(history: TurnContext[]): string[] | undefined {
  let answers = 0;
  let focus: string | undefined;
  for (let i = history.length - 1; i >= 0 && answers < 3; i--) {
    const turn = history[i];
    if (turn.role !== 'assistant') continue;
    answers++;
    const ids = [...new Set(turn.seriesIds ?? [])];
    if (turn.about?.wish || turn.about?.compared) return undefined;
    if (ids.length > 1) return focus === undefined || ids.includes(focus) ? ids : undefined;
    const one = focusOf(turn);
    if (!one || (focus !== undefined && one !== focus)) return undefined;
    focus = one;
  }
  return undefined;
}

/** Which of the series compared a message picks by a fact ("the shorter one"), if it does. */
export function comparativePick(t: string): ComparativePick | undefined {
  return PICKS.find(([re]) => re.test(t))?.[1];
}

/** The order the last order answer was about, within the last few answers. */
function orderInPlay(history: TurnContext[]): string | undefined {
  let answers = 0;
  for (let i = history.length - 1; i >= 0 && answers < 4; i--) {
    const turn = history[i];
    if (turn.role !== 'assistant') continue;
    answers++;
    if (turn.about?.orderId) return turn.about.orderId;
  }
  return undefined;
}

/** The text of the answer that showed the series in play. */
function answerText(history: TurnContext[], shown: TurnContext | undefined): string {
  return shown?.text ?? [...history].reverse().find((m) => m.role === 'assistant')?.text ?? '';
}

/** True when every word is in the text (a title the answer named: "frieren" in "Frieren: Beyond Journey's End"). */
function namedIn(words: string[], text: string): boolean {
  const answer = squash(text);
  return words.length > 0 && words.every((w) => squash(w).length >= 2 && answer.includes(squash(w)));
}

/** Creates the rule-based reference resolver over the conversation's recorded series ids. */
export function createReferenceResolver(): ReferenceResolver {
  const inner: ReferenceResolver = {
    resolve(text: string, language: Language, history: TurnContext[], intent?: Intent): ResolvedReference {
      // Both languages' patterns apply whatever `language` says: short mixed lines ("それ vol 3?") are common.
      void language;
      const t = text.normalize('NFKC').toLowerCase();
      const shape = followUpShape(t);
      // What the message says beside follow-up words: nothing, everyday words, or a possible title.
      // (The words of a request to buy — "add it to my cart", 「カートに入れて」 — are no title beside the volume in play.)
      const left = leftoverOf(BUY_REQUEST.test(t) ? t.replace(new RegExp(BUY_REQUEST.source, 'g'), ' ') : t);
      let volumes = extractVolumes(t);
      let volume = volumes?.[0] ?? extractVolume(t);
      // 「やっぱ15巻までならOK」 right after picks: 15巻まで is the length limit, not volume 15 (a price or stock word keeps the volume).
      if (volume !== undefined && volumes === undefined && volume === extractMaxVolumes(t) && !EN_PRICE_STOCK.test(t) && !JA_PRICE_STOCK.test(t) && latestAbout(history, (a) => a.wish !== undefined)) volume = undefined;
      let volumeRef = extractVolumeRef(t) ?? (BARE_NEXT.test(t.trim()) ? ('next' as const) : undefined);
      const previous = asksPreviousVolume(t);
      const format = extractFormat(t) ?? (PAPER.test(t) ? ('tankobon' as const) : undefined);
      const shown = latestAssistantWithSeries(history);
      const focus = focusOf(shown);
      // A request for other series ("something shorter, under 15 volumes", "any similar ones?") is
      // no question about the series in play, whatever everyday words it has: only follow-up words
      // make it one (as before), the recommendation rules read the rest.
      const request = REQUEST_LIKE.test(t);
      // A bare number about the series in play is a volume ("ok what about 13?", "sorry typo, 21
      // not 12", "2 and 3 as well"), and volumes asked "too" join the one in play (「2巻も一緒に」).
      // A bare range ("what's the total if I buy 1 through 5?") is every volume of it, whatever single number was read.
      const ranged = focus && left.kind !== 'title' && !request && volumes === undefined ? bareRange(t) : undefined;
      if (ranged) {
        volumes = ranged;
        volume = ranged[0];
      }
      if (focus && left.kind !== 'title' && !request && volume === undefined && volumeRef === undefined) {
        const bare = bareVolumes(t);
        if (bare.length > 0) {
          volume = bare[0];
          if (bare.length > 1) volumes = bare;
        }
      }
      const inPlay = shown?.about?.focus === focus ? shown?.about : undefined;
      if (focus && left.kind !== 'title' && volume !== undefined && inPlay?.volume !== undefined && (EN_ALSO.test(t) || JA_ALSO.test(t))) {
        const joined = [...new Set([...(inPlay.volumes ?? [inPlay.volume]), ...(volumes ?? [volume])])].sort((a, b) => a - b);
        if (joined.length > 1 && joined.length <= 10) {
          volumes = joined;
          volume = joined[0];
        }
      }
      const priceOrStock = EN_PRICE_STOCK.test(t) || JA_PRICE_STOCK.test(t) || BUY_REQUEST.test(t) || volume !== undefined || format !== undefined;
      // "Can I preorder it?" about a series with no volume in play: the volume up for preorder, the next one.
      if (focus && volume === undefined && volumeRef === undefined && inPlay?.volume === undefined && PREORDER.test(t)) volumeRef = 'next';
      // The classifier's intent, corrected only where the conversation settles it: small talk or
      // "out of scope" for a follow-up it could not read, a search for a question about the series
      // in play, a general question that asks a price ("how much is the last volume?").
      const catalogIntent = (target: Intent): Intent | undefined => {
        if (intent === undefined || UNSURE.has(intent) || intent === 'product_search') return target;
        // "And when is 77 coming?" right after volume 76 asks about a volume, not a parcel.
        // ...and "is that the last one?" right after a volume asks about the series' last volume.
        if (intent === 'order_status' && (volume !== undefined || volumeRef !== undefined) && !ORDER_WORDS.test(t)) return target;
        // ...so does "and 13, the one I ordered": the order only says which volume, nothing is asked of the order.
        if (intent === 'order_status' && volume !== undefined && namesVolumeAsOrdered(t)) return target;
        // "ugh ok what about 41" after volume 40: a sigh beside a volume asked is that volume (a person asked for still is escalation: understand.ts).
        if (intent === 'escalation' && volume !== undefined && !ORDER_WORDS.test(t)) return target;
        // A policy answer for a question about the series in play that names no policy matter.
        if (intent === 'faq' && left.kind !== 'title' && (!POLICY_WORDS.test(t) || BUY_REQUEST.test(t))) return target;
        if (intent === 'product_question' && target === 'price_availability') return target;
        if (intent === 'recommendation' && target !== 'recommendation') return target;
        return undefined;
      };
      // How many volumes a series has is a question about the series; a volume's price, stock or date a price question.
      const asked = (): Intent => (HOW_MANY.test(t) ? 'product_question' : priceOrStock || volumeRef || volume !== undefined ? 'price_availability' : 'product_question');
      const extras = (r: ResolvedReference): ResolvedReference => {
        const out: ResolvedReference = { ...r };
        if (volume !== undefined) out.volume = volume;
        if (volumes) out.volumes = volumes;
        if (volumeRef) out.volumeRef = volumeRef;
        // "How much is the next one?" after volume 3 is volume 4; "when is the next volume?" asks
        // about the next release, whatever volume was asked before.
        if (volumeRef === 'next' && shown?.about?.volume !== undefined && out.seriesId === shown.about.focus && !RELEASE_TIMING.test(t)) out.previousVolume = shown.about.volume;
        if (format) out.format = format;
        return out;
      };

      // The order the conversation is on: 「追跡番号は？」, "and when does it arrive?" stay on it;
      // a title asked about with an order word (「…15巻も同じ注文ですか？」) is an order question.
      const order = orderInPlay(history);
      // Right after an order answer, "what was the total?" / 「合計いくらだった？」 asks about that order.
      const orderOnly = ORDER_ONLY.test(t) || (lastAnswerOrder(history) !== undefined && ORDER_TOTAL.test(t));
      // Another of their orders picked out by what it held or when it was placed, right after an order
      // answer ("what about the digital one?", 「10月のやつは？」): an order question, which one read by the order lookup.
      // Right after an order answer, the points it earned ("did I get points for it?", 「ポイントってもう付いてる？」)
      // are a question about that order's points (the policy read for its status), not a campaign list.
      if (order && lastAnswerOrder(history) !== undefined && POINTS_EARNED_OF_IT.test(t) && !CAMPAIGN_WORDS.test(t) && intent !== 'faq' && intent !== 'order_status') return { via: 'order-points', intent: 'faq' };
      if (order && lastAnswerOrder(history) !== undefined && (ORDER_PICK_EN.test(t) || ORDER_PICK_JA.test(t))) return { via: 'order-pick', ...(intent !== 'order_status' ? { intent: 'order_status' as const } : {}) };
      if (order && (ORDER_WORDS.test(t) || orderOnly || intent === 'order_status')) {
        const fixed = intent !== 'order_status' && (intent === undefined || CATALOG_OR_UNSURE.has(intent) || (intent === 'faq' && orderOnly)) ? ('order_status' as const) : undefined;
        // What it held, when it is due: words that read as a title alone (「中身」, "list") are not one here.
        const titleLeft = left.kind === 'title' && (!orderOnly || leftoverOf(t.replace(ORDER_DETAIL_FILLER, ' ')).kind === 'title');
        if (!titleLeft && (intent === 'order_status' || fixed)) return { orderId: order, via: 'order', ...(fixed ? { intent: fixed } : {}) };
        // ...and what only an order answers, asked of an order named by its title ("and the kingdom one, what was in it?"):
        // the order lookup picks the order that held it.
        if (fixed && (ORDER_WORDS.test(t) || orderOnly)) return { via: 'order-title', intent: fixed };
      }
      // "Volume 2 of the one before?", 「さっきのやつの2巻は？」: a volume of the series the conversation was on before this one
      // — or, right after an answer about something else (a policy, a promotion list), the series in play itself.
      const detour = history.length > 0 && [...history].reverse().find((m) => m.role === 'assistant') !== shown;
      const before = volume !== undefined && focus && PREVIOUS_SERIES.test(t) ? (detour ? focus : seriesBefore(history, focus)) : undefined;
      if (before) {
        const fixed = catalogIntent(asked());
        return extras({ seriesId: before, via: 'previous-series', titleFree: true, ...(fixed && fixed !== intent ? { intent: fixed } : {}) });
      }
      const ordinal = extractOrdinal(t);
      // "More like the second one", "something similar to that": a recommendation seeded by it.
      // (「全巻セットみたいなの」 is something like a box set of it: a product, not a wish for similar series.)
      const likeIt = (EN_LIKE_IT.test(t) || JA_LIKE_IT.test(t)) && format !== 'box_set';
      const recommendIt = (): Intent | undefined => (intent === undefined || CATALOG_OR_UNSURE.has(intent)) && intent !== 'recommendation' ? 'recommendation' : undefined;
      // "Is the second one finished?" right after an answer about the first of a list ("is the first
      // one scary?"): the list is what its ordinals still count, when the place is another series of
      // it and nothing is asked of a volume (a price, stock: "how much is the second one?" is its Vol. 2).
      const list = ordinal !== undefined && volume === undefined && !likeIt && !VOLUME_MEANT.test(t) ? listBefore(history, shown) : undefined;
      // (A place named as the list's — "your top recommendation", "the first pick" — is the list's even when the answer
      // since was about that same series: no volume of it, unlike "can I get the first one?" after one series.)
      if (list && list[ordinal! - 1] && (list[ordinal! - 1] !== shown!.seriesIds![0] || LIST_PLACE.test(t))) {
        const fixed = catalogIntent(asked());
        return extras({ seriesId: list[ordinal! - 1], via: 'ordinal', ...(shape.titleFree ? { titleFree: true } : {}), ...(fixed && fixed !== intent ? { intent: fixed } : {}) });
      }
      if (shown?.seriesIds && shown.seriesIds.length > 0 && ordinal !== undefined) {
        // An ordinal past the end of the list points at nothing; better no answer than a wrong one.
        // One series shown: "can I get the first one?", "and the 3rd?" is its volume, not a list position.
        if (shown.seriesIds.length === 1 && volume === undefined && !likeIt) volume = ordinal;
        const id = shown.seriesIds.length === 1 ? shown.seriesIds[0] : shown.seriesIds[ordinal - 1];
        if (!id) return {};
        const fixed = likeIt ? recommendIt() : catalogIntent(asked());
        return extras({ seriesId: id, via: 'ordinal', ...(shape.titleFree ? { titleFree: true } : {}), ...(fixed && fixed !== intent ? { intent: fixed } : {}) });
      }

      // "Which one is longer?" right after a comparison: about all the series compared; after an
      // answer about one of them ("the shorter one"), the others are still there to choose from.
      const comparedNow = shown?.about?.compared;
      const pickedFrom = comparedNow ? undefined : shown?.about?.pickedFrom;
      // "Which one is the shortest?", 「一番人気なのはどれ？」 right after a list (an author's works,
      // search results, picks): the series listed, compared by the store's facts.
      const listedIds = [...new Set(shown?.seriesIds ?? [])];
      // ...and "which of them are finished?" over that list, also after an answer about one of them.
      const listed = !comparedNow && !pickedFrom && listedIds.length > 1 && asksListSuperlative(t) ? listedIds : !comparedNow && !pickedFrom && asksOverList(t) ? latestList(history) : undefined;
      const compared = comparedNow ?? pickedFrom ?? listed;
      const which = EN_WHICH.test(t) || JA_WHICH.test(t);
      // "And the other one?", 「もう一方は？」 after an answer about one of them: the other one.
      if (pickedFrom && focus && pickedFrom.includes(focus) && OTHER_ONE.test(t)) {
        const others = pickedFrom.filter((id) => id !== focus);
        if (others.length === 1 && leftoverOf(t.replace(COMPARATIVE_WORDS, ' ').replace(OTHER_ONE, ' ')).kind !== 'title') {
          if (volume === undefined && volumeRef === undefined && shown?.about?.volume !== undefined && shown.about.focus === focus && (priceOrStock || BARE_CHOICE.test(t.trim()))) volume = shown.about.volume;
          const fixed = catalogIntent(asked());
          return extras({ seriesId: others[0], chosenFrom: [...pickedFrom], titleFree: true, via: 'compared-other', ...(fixed && fixed !== intent ? { intent: fixed } : {}) });
        }
      }
      // "OK the shorter one then, how much is vol 1?", 「じゃあ短い方の1巻は？」: one of the series compared, picked by the facts.
      // Words that weigh the series ("older", "came out first") name no title.
      const leftCompared = compared ? leftoverOf(t.replace(COMPARATIVE_WORDS, ' ').replace(WHICH_OF_THEM, ' ')) : left;
      const pick = compared && compared.length > 1 && !which && leftCompared.kind !== 'title' ? comparativePick(t) : undefined;
      // 「前者」「後者」, "the former", "the latter": one of the series compared by its place in the comparison.
      const place = compared && compared.length > 1 && !which ? (FORMER.test(t) ? 0 : LATTER.test(t) ? compared.length - 1 : undefined) : undefined;
      if (compared && place !== undefined && leftCompared.kind !== 'title') {
        const fixed = catalogIntent(asked());
        return extras({ seriesId: compared[place], chosenFrom: [...compared], titleFree: true, via: 'compared-place', ...(fixed && fixed !== intent ? { intent: fixed } : {}) });
      }
      if (compared && pick) {
        // "Volume 2 of the newest one": the number is the volume; "newest" picked the series, not the latest volume.
        if (volume !== undefined && pick.by === 'started') volumeRef = undefined;
        // "And the longer one?" after volume 1 of the shorter one: volume 1 of it.
        if (pickedFrom && volume === undefined && volumeRef === undefined && shown?.about?.volume !== undefined && (priceOrStock || BARE_CHOICE.test(t.trim()))) volume = shown.about.volume;
        const fixed = catalogIntent(asked());
        return extras({ seriesIds: [...compared], seriesId: compared[0], pick, chosenFrom: [...compared], titleFree: true, via: 'compared-pick', ...(fixed && fixed !== intent ? { intent: fixed } : {}) });
      }
      if (compared && compared.length > 1 && leftCompared.kind !== 'title' && (which || listed || (shape.cue && comparedNow))) {
        // 「安いのはどっち？」 reads as a promotion question to a classifier that sees no conversation.
        // ...and "which one has more volumes out" reads as a parcel question to it ("out").
        const fixed = intent === undefined || UNSURE.has(intent) || intent === 'recommendation' || intent === 'product_search' || (intent === 'promotion' && which) || (intent === 'order_status' && which && !ORDER_WORDS.test(t)) ? 'product_question' : undefined;
        return { seriesIds: [...compared], seriesId: compared[0], comparing: true, titleFree: true, via: 'compared', ...(fixed && fixed !== intent ? { intent: fixed } : {}) };
      }

      const pronoun = EN_PRONOUN.test(t.replace(EN_DUMMY_IT, ' ')) || JA_PRONOUN.test(t);
      // "What's it called in English?", 「英語のタイトルは？」: the name of the series in play, in that language.
      if (focus && NAME_ASKED.test(t) && leftoverOf(t.replace(NAME_WORDS, ' ')).kind !== 'title' && (intent === undefined || CATALOG_OR_UNSURE.has(intent) || intent === 'faq')) {
        return { seriesId: focus, via: 'name', titleFree: true, ...(intent !== 'product_question' ? { intent: 'product_question' as const } : {}) };
      }
      // Words that may be a title, all of them in the answer about the series in play ("can I
      // preorder that frieren volume?"): they name that series, not another.
      // When it showed several series (an author's works, search results), words it named may be
      // another of them ("how long is Gyo?" after Junji Ito's list led by Uzumaki): the title
      // search decides, unless they are in the series in play's own id ("the punpun one").
      const severalShown = new Set(shown?.seriesIds ?? []).size > 1;
      // "How about the kaiju one, volume 4?" right after an answer about two series (Sakamoto Days and Kaiju No. 8):
      // the one of them its words name (the words of its catalog id), not the one the answer led with.
      const shownNamed = severalShown && left.kind === 'title' && !request ? [...new Set(shown!.seriesIds!)].filter((id) => left.words.every((w) => squash(w).length >= 3 && squash(id).includes(squash(w)))) : [];
      if (shownNamed.length === 1 && shownNamed[0] !== focus && !ORIGINAL_WORK.test(t)) {
        const fixed = catalogIntent(asked());
        return extras({ seriesId: shownNamed[0], via: 'shown-named', titleFree: true, ...(fixed && fixed !== intent ? { intent: fixed } : {}) });
      }
      // ...unless it asks for the original the series in play comes from (「本編のGANTZは？」 after Gantz:G, "the original Gantz").
      const namesFocus = left.kind === 'title' && focus !== undefined && !ORIGINAL_WORK.test(t) && namedIn(left.words, answerText(history, shown)) && (!severalShown || left.words.every((w) => squash(focus).includes(squash(w))));
      // The message adds nothing that names another title: it is about the series in play.
      const aboutInPlay = request ? shape.titleFree : left.kind !== 'title' || namesFocus;

      // "Only finished ones please" after a recommendation: the same request, narrowed.
      const wish = latestAbout(history, (a) => a.wish !== undefined)?.wish;
      // A new kind asked for after picks ("now something funny", 「今度はギャグ漫画がいい」): a new request —
      // the last list's length, status, likeness and exclusions stay behind; who it is for carries.
      if (wish && !pronoun && (intent === undefined || CATALOG_OR_UNSURE.has(intent)) && volume === undefined && !priceOrStock && asksNewKind(text, t, wish)) {
        const reader = wish.audience ? { narrows: { genres: [], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [], audience: wish.audience } } : {};
        return { ...reader, via: 'new-request', ...(intent !== 'recommendation' ? { intent: 'recommendation' as const } : {}) };
      }
      // "Show me more", "anything else?", "I've read all of those": the same request without what was shown.
      // (Saying the picks were read is about them whatever the classifier guessed: no FAQ, no small talk.)
      const hadShown = EN_HAD_SHOWN.test(t) || JA_HAD_SHOWN.test(t);
      if (wish && (EN_MORE.test(t) || JA_MORE.test(t) || hadShown) && !EN_MORE_ABOUT.test(t) && !asksSameAuthor(t) && volume === undefined && (intent === undefined || CATALOG_OR_UNSURE.has(intent) || intent === 'out_of_scope' || (hadShown && (intent === 'faq' || intent === 'chitchat')))) {
        const seen = [...new Set([...wish.excludeSeriesIds, ...(shown?.seriesIds ?? [])])];
        return { narrows: { ...wish, excludeSeriesIds: seen }, via: 'more', ...(intent !== 'recommendation' ? { intent: 'recommendation' as const } : {}) };
      }
      // Narrowed by a status, a length or an audience ("only finished ones please").
      if (wish && !pronoun && (intent === undefined || CATALOG_OR_UNSURE.has(intent))) {
        const narrowsBy =
          extractStatus(t) !== undefined || extractMaxVolumes(t) !== undefined || asksShort(t) || asksLighter(t) || extractAudience(t) !== undefined;
        // Narrowing words, or a bare constraint that asks for no new recommendation ("finished ones?").
        const refining = EN_NARROWING.test(t) || JA_NARROWING.test(t) || (narrowsBy && !(EN_ASKS_RECOMMENDATION.test(t) || JA_ASKS_RECOMMENDATION.test(t)));
        if ((narrowsBy || intent === 'recommendation') && refining && volume === undefined && !priceOrStock) {
          return { narrows: wish, via: 'narrowing', ...(intent !== 'recommendation' ? { intent: 'recommendation' as const } : {}) };
        }
      }
      // ...also by a kind, by what is ruled out ("nothing with gore please", 「Xは持ってるから、それ以外で」),
      // and by a constraint said of the picks ("which of those are finished?", "it has to be
      // finished"). 「学校が舞台のものは除いてください」 reads as a complaint to a classifier that sees no conversation.
      if (wish && (intent === undefined || CATALOG_OR_UNSURE.has(intent) || intent === 'escalation')) {
        const e = extractEntities(text);
        const rulesOut = (e.excludeTags?.length ?? 0) + (e.excludeTopics?.length ?? 0) + (e.excludeQueries?.length ?? 0) + (e.excludeAuthorQueries?.length ?? 0) + (e.excludeDemographics?.length ?? 0) > 0;
        const kind = e.genres.length + e.themes.length > 0 || e.demographic !== undefined;
        const narrowsBy = kind || rulesOut || e.minVolumes !== undefined || e.startedFrom !== undefined || e.startedTo !== undefined || extractStatus(t) !== undefined || extractMaxVolumes(t) !== undefined || asksShort(t) || e.lighter === true || extractAudience(t) !== undefined;
        // "Is it finished?" asks about one series shown; "which of those are finished?", "it has to
        // be finished", "something with sports in it" ask the picks to be so.
        const asksOfOne = pronoun && !rulesOut && !PICKS_REFERENCE.test(t) && !REQUIREMENT.test(t) && ASKS_OF_ONE.test(t);
        // A title left once the kind words are out ("is Monster shoujo?") is asked about, unless it is ruled out.
        const rest = leftoverOf(withoutKindWords(text).replace(READER_LIKES, ' '));
        // (A lighter tone asked of them, "those look too grim, something lighter?", names none.)
        // (Nor does a kind said as an addition: 「要素もあると嬉しい」 beside ミステリー is no title.)
        const namesTitle = !rulesOut && !e.lighter && !e.addsTags && rest.kind === 'title' && !rest.words.every((w) => WISH_LEFT.test(w));
        const asksAnew = EN_ASKS_RECOMMENDATION.test(t) || JA_ASKS_RECOMMENDATION.test(t);
        const refining = EN_NARROWING.test(t) || JA_NARROWING.test(t) || PICKS_REFERENCE.test(t) || REQUIREMENT.test(t) || rulesOut || (narrowsBy && !asksAnew);
        if ((narrowsBy || intent === 'recommendation') && (intent !== 'escalation' || kind || rulesOut) && !asksOfOne && !namesTitle && refining && volume === undefined && !priceOrStock) {
          return { narrows: wish, via: 'narrowing', ...(intent !== 'recommendation' ? { intent: 'recommendation' as const } : {}) };
        }
      }

      // "Anything else by the same author?": recommendations seeded by the series in play.
      if (asksSameAuthor(t) && (focus ?? shown?.seriesIds?.[0])) {
        const fixed = intent === undefined || UNSURE.has(intent) || intent === 'product_search' || intent === 'product_question' ? 'recommendation' : undefined;
        return { seriesId: focus ?? shown!.seriesIds![0], via: 'same-author', titleFree: shape.titleFree, ...(fixed && fixed !== intent ? { intent: fixed } : {}) };
      }

      // (「似たような作品でもっと短いのある？」: everyday words beside it name no other title either.)
      // ...nor do the words of what the picks should be beside it ("whats similar but less depressing", 「似たような歴史もので
      //完結してるやつ」): a kind, a lighter tone, a length — still like the series in play, which is not among them.
      // (The like phrase and a tone taken out first: 「同じような雰囲気で暗くないの」 leaves 雰囲気, a feel, not a title.)
      const wishBeside = likeIt && left.kind === 'title' && leftoverOf(withoutKindWords(withoutLighter(t).replace(EN_LIKE_IT_ALL, ' ').replace(JA_LIKE_IT_ALL, ' '))).words.every((w) => WISH_LEFT.test(w) || FEEL_WORDS.test(w) || asksLighter(w) || asksLighter(`less ${w}`));
      if (shown?.seriesIds && shown.seriesIds.length > 0 && (pronoun || shape.titleFree || left.kind !== 'title' || wishBeside) && likeIt) {
        const fixed = recommendIt();
        return { seriesId: focus ?? shown.seriesIds[0], via: 'like-it', ...(fixed ? { intent: fixed } : {}) };
      }
      // A pronoun beside another title ("also One Piece vol 46, is that one in stock?") is about that title.
      if (shown?.seriesIds && shown.seriesIds.length > 0 && pronoun && (aboutInPlay || !focus || request)) {
        const seriesId = focus ?? shown.seriesIds[0];
        // "How much is that in total?" after several volumes: all of them.
        if (volume === undefined && volumeRef === undefined && shown.about?.volume !== undefined && seriesId === shown.about.focus && priceOrStock && !asksWholeSeries(t, history, seriesId)) {
          volume = shown.about.volume;
          if (shown.about.volumes && shown.about.volumes.length > 1) volumes = shown.about.volumes;
          // 「その2冊で合計は？」 after volumes asked one at a time: all of them.
          else if (EN_TOGETHER.test(t) || JA_TOGETHER.test(t) || asksEveryVolume(t) === 'all') {
            const asked = volumesAskedOf(history, seriesId);
            if (asked.length > 1) volumes = asked;
          }
        }
        const fixed = aboutInPlay ? catalogIntent(asked()) : undefined;
        return extras({
          seriesId,
          via: 'pronoun',
          ...(aboutInPlay ? { titleFree: true } : {}),
          ...(format === undefined && volume === shown.about?.volume && shown.about?.format && !singlesAgainstBox(t, shown.about.format) ? { format: formatSaidSince(history, shown) ?? shown.about.format } : boxSetAgain(t, format, volume, shown.about) ? { format: 'box_set' as const } : {}),
          ...(fixed && fixed !== intent ? { intent: fixed } : {}),
        });
      }

      // A message that names no title but asks about a series: the series the conversation is on.
      // Everyday words beside weak cues are small talk ("great, thank you so much", "thanks, that's
      // all"): with words of its own, a follow-up must ask something a series answers.
      // A parcel's question ("it's been 10 days, where is my order") asks nothing of the series.
      // ("Is there a sequel?", 「外伝は？」 asks for the series derived from it: SPIN_OFF.)
      // ...and every volume of it, or the single volumes against the box set in play ("vs buying all 12 singles?").
      const asks = volume !== undefined || format !== undefined || volumeRef !== undefined || previous || ((SERIES_ASK.test(t) || SPIN_OFF.test(t) || asksEveryVolume(t) !== undefined || WHOLE_SERIES.test(t)) && !ORDER_WORDS.test(t));
      // (A request to buy — 「カートに入れて」 — asks for the volume in play too.)
      if (focus && aboutInPlay && (left.kind === 'none' ? shape.cue || volume !== undefined || BUY_REQUEST.test(t) : asks || BUY_REQUEST.test(t))) {
        const about = shown?.about;
        // "The one before?" / 「その前の巻は？」: the volume before the one the conversation was on.
        if (volume === undefined && previous && about?.volume !== undefined && about.volume > 1) volume = about.volume - 1;
        // A bare number in a follow-up about volumes ("and when is 77 coming?") is a volume.
        if (volume === undefined && volumeRef === undefined && !asksWholeSeries(t, history, focus)) {
          // (「2冊でいくら？」 counts the volumes in play: no volume 2.)
          const bare = /(?:^|[^\d])(\d{1,3})(?![\d%円歳才年月日時分冊]|\s*(?:books|volumes|vols)\b)/.exec(t);
          if (bare && about?.volume !== undefined) volume = Number(bare[1]);
        }
        // "Is it in stock?" / 「在庫ありますか？」 / "the digital edition?" stay on the volume(s) asked.
        let carried: number[] | undefined;
        if (volume === undefined && volumeRef === undefined && about?.volume !== undefined && (priceOrStock || intent === 'price_availability') && !asksWholeSeries(t, history, focus)) {
          volume = about.volume;
          carried = about.volumes;
          // "How much for both together?", 「その2冊で合計いくら？」 after volumes asked one at a time: all of them.
          const asked = EN_TOGETHER.test(t) || JA_TOGETHER.test(t) || asksEveryVolume(t) === 'all' ? volumesAskedOf(history, focus) : [];
          if (!carried && asked.length > 1) {
            carried = asked;
            volume = asked[0];
          }
        }
        const fixed = catalogIntent(asked());
        return extras({
          seriesId: focus,
          via: 'follow-up',
          titleFree: true,
          ...(carried ? { volumes: carried } : {}),
          ...(format === undefined && about?.format && volume === about.volume && !singlesAgainstBox(t, about.format) ? { format: formatSaidSince(history, shown) ?? about.format } : boxSetAgain(t, format, volume, about) ? { format: 'box_set' as const } : {}),
          ...(fixed && fixed !== intent ? { intent: fixed } : {}),
        });
      }
      // A question about "the next volume" or "volume 1" with no series in play (or several, none
      // singled out): which series is meant is asked, rather than "first" searched as a title.
      if (shape.titleFree && shape.cue && !pronoun && (intent === undefined || CATALOG_OR_UNSURE.has(intent)) && intent !== 'recommendation') {
        const fixed = catalogIntent(asked());
        return { titleFree: true, via: 'no-referent', ...(fixed && fixed !== intent ? { intent: fixed } : {}) };
      }
      // A request shaped like a recommendation — a volume limit, an audience, or a status, length
      // or exclusion with a genre ("a finished romance manga under 10 volumes", "any romance not by
      // Ai Yazawa?") — is one, whatever a classifier that weighs "finished", "volumes" or an
      // author's name made of it.
      if (intent !== undefined && (UNSURE.has(intent) || intent === 'product_question' || intent === 'product_search') && volume === undefined && !pronoun) {
        // The raw text: the pipeline extracted this message's entities just before (kept, not redone).
        const e = extractEntities(text);
        const kind = e.genres.length + e.themes.length > 0 || e.demographic !== undefined;
        // An audience alone is not enough for a question about a series ("is Chainsaw Man ok for a 10-year-old?").
        const audience = e.audience !== undefined && intent !== 'product_question';
        const narrowed = e.status !== undefined || e.shorter || e.minVolumes !== undefined || (e.excludeQueries?.length ?? 0) > 0 || (e.excludeAuthorQueries?.length ?? 0) > 0;
        if (e.maxVolumes !== undefined || audience || (kind && narrowed)) return { via: 'request-shape', intent: 'recommendation' };
      }
      // "Naruto or Bleach?" read as small talk: a comparison is a question about those series.
      if (intent !== undefined && UNSURE.has(intent) && comparisonParts(text)) return { via: 'comparison', intent: 'product_question' };
      // "BORUTOは？", "and Bleach?", "what about Bleach?" in a conversation about a series: another
      // title, asked the same way — a search for it, not small talk.
      if (intent !== undefined && UNSURE.has(intent) && focus && !shape.titleFree && shape.rest.length >= 2 && (EN_AND_X.test(t) || JA_X_WA.test(t))) {
        return { via: 'another-title', intent: 'product_search' };
      }
      // A title just shown, asked about again ("じゃあハイキューの1巻ください" after a comparison):
      // not small talk, whatever the classifier made of it. The title search finds which one.
      if (intent !== undefined && UNSURE.has(intent) && shape.cue && shape.rest.length >= 2) {
        const lastAnswer = [...history].reverse().find((m) => m.role === 'assistant');
        if (lastAnswer && squash(lastAnswer.text).includes(squash(shape.rest))) return { via: 'shown-title', intent: asked() };
      }
      return {};
    },
  };
  return { resolve: (text, language, history, intent) => withEveryVolume(text, intent, inner.resolve(text, language, history, intent)) };
}

// Intents a question about every volume of a series is misread as ("box set or the singles, which is cheaper?" as a promotion).
const EVERY_VOLUME_MISREAD: ReadonlySet<Intent> = new Set(['promotion', 'product_question', 'product_search', 'chitchat', 'out_of_scope', 'recommendation']);

/**
 * A box set weighed against the single volumes, or which volumes are sold out: a question about
 * the prices and stock of the series' volumes, whatever "cheaper" or "which" made the classifier read.
 */
// Intents a question about a box set is misread as, and the words that make it a question about a sale after all.
const BOX_MISREAD: ReadonlySet<Intent> = new Set(['promotion', 'recommendation', 'chitchat', 'out_of_scope', 'product_search']);
const PROMOTION_WORDS = /\b(?:sales?|coupons?|discounts?|promos?|promotions?|campaigns?|fairs?|deals?|offers?|points?|bundles?)\b|セール|クーポン|割引|キャンペーン|フェア|ポイント|まとめ買い|特典|お得/;

// What every volume costs: 「合計金額」「いくら」, "how much", "total".
const WHOLE_PRICE = /いくら|値段|価格|金額|合計|総額|\bhow much\b|\btotal\b|\bcost\b|\bprice\b/;
const SPIN_OFF = /スピンオフ|スピン・オフ|続編|外伝|番外編|前日譚|\bspin-? ?offs?\b|\bsequels?\b|\bprequels?\b/;

function withEveryVolume(text: string, intent: Intent | undefined, r: ResolvedReference): ResolvedReference {
  if (r.intent || r.orderId || intent === undefined) return r;
  // A box set asked about ("is there a box?", 「全巻セットみたいなのある？」) is a product, not a sale or a kind of manga.
  const t0 = text.normalize('NFKC').toLowerCase();
  if (BOX_MISREAD.has(intent) && extractFormat(t0) === 'box_set' && !PROMOTION_WORDS.test(t0)) return { ...r, intent: 'price_availability' };
  // A spin-off or a sequel asked for (「キメツ学園っていうスピンオフあります？」) is a title, not a sale: the オフ of スピンオフ is no discount.
  if (intent === 'promotion' && SPIN_OFF.test(t0) && !PROMOTION_WORDS.test(t0) && !/\d+\s*(?:%|％)\s*(?:オフ|off)/.test(t0)) return { ...r, intent: 'product_search' };
  const every = asksEveryVolume(text);
  const t = text.normalize('NFKC').toLowerCase();
  // The price of every volume ("MONSTERを全巻まとめて購入したいのですが、全18巻の合計金額を…") is no
  // order of theirs, whatever 購入 and 合計 made the classifier read, unless it speaks of one.
  if (intent === 'order_status' && (every === 'all' || WHOLE_SERIES.test(t)) && !ORDER_WORDS.test(t)) return { ...r, intent: 'price_availability' };
  // ...nor a policy question (「ブルーロックを全巻まとめて購入した場合の合計金額は？」 read as the account-lock page) when it names no policy matter.
  if (intent === 'faq' && (every === 'all' || WHOLE_SERIES.test(t)) && WHOLE_PRICE.test(t) && !POLICY_WORDS.test(t)) return { ...r, intent: 'price_availability' };
  if (every !== 'singles' && every !== 'soldOut') return r;
  if (EVERY_VOLUME_MISREAD.has(intent) || (intent === 'faq' && !POLICY_WORDS.test(t))) return { ...r, intent: 'price_availability' };
  return r;
}

// The print edition named plainly: "the paper one", "a physical copy", "printed".
const PAPER = /\b(?:paper|physical|printed|hard ?copy)(?: ones?| versions?| cop(?:y|ies)| editions?| books?| volumes?)?\b/;
// "Next?", "and the next one?", 「次は？」「じゃあ次」: the volume after the one in play.
const BARE_NEXT = /^(?:(?:and|ok|okay|so|then)[,\s]+)*(?:the )?(?:next|nxt|nex)(?: one| vol| volume)?(?: then| please| pls)?\s*[?？!.]*$|^(?:じゃあ|で|それで|では)?[、,\s]*(?:次|つぎ)(?:は|の|のは|も|のも|の巻は|のやつは)?(?:？|\?|!|！)*$/;
// The series before the one in play: "of the one before", "the previous one", "the other one", 「さっきの」「前の」.
const PREVIOUS_SERIES = /\b(?:of|for|from) (?:the )?(?:one|series|manga|title) before\b|\b(?:of|for|from) the (?:previous|earlier|other|first) (?:one|series|manga|title)\b|さっきの(?:やつ|方|ほう|作品|漫画|マンガ|シリーズ)|前の(?:やつ|作品|漫画|マンガ|シリーズ)|最初の(?:やつ|作品|漫画|マンガ|シリーズ)/;

/** The series the conversation was on before `focus` (the latest answer about another one). */
function seriesBefore(history: TurnContext[], focus: string): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn.role !== 'assistant') continue;
    const f = focusOf(turn);
    if (f && f !== focus) return f;
  }
  return undefined;
}

/** The order the latest answer described, if it described one ("what was the total?" right after it). */
function lastAnswerOrder(history: TurnContext[]): string | undefined {
  const last = [...history].reverse().find((m) => m.role === 'assistant');
  return last?.about?.orderId;
}
