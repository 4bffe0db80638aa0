import { withoutFalseStart } from '../understanding/false-start.ts';
import { numbersAsDigits } from '../understanding/numerals.ts';
import { memoizeText } from '../shared/memo.ts';

/**
 * Strips the request around a title so catalog search sees "one piece", not "do you have one
 * piece vol 3 in stock?". What is left is the *content* of the message: the words the request
 * language does not explain. The catalog search is given the whole message beside it
 * (`searchSeries(query, { context })`): it finds a title inside the message — words of the
 * request language included ("Your Name.", "I Am a Hero") — as long as the title covers some of
 * this content, and weighs the content left outside the title against it. So removing a word
 * that a title also has costs nothing, and leaving request words in costs a little.
 *
 * Three passes: numbers in roles that are never part of a title (ages, prices, ranges, counts),
 * phrases of the request (English and Japanese) — titleQuery() — then, for a search given the
 * message (titleSearch()), single words of the English request language (REQUEST_WORDS: function
 * words, the store's vocabulary, languages and places).
 */

/** A message's words, for a title search: the content (`query`) and the whole message (`context`). */
export interface TitleSearch {
  query: string;
  context: string;
}

/**
 * What searchSeries is given for a message: its content (the title query without the request
 * language's single words) and the message itself as context. Searching `titleQuery(text)`
 * without context (comparisons' parts, order and promotion titles) keeps request words in.
 */
export function titleSearch(text: string): TitleSearch {
  return { query: contentOf(titleQuery(text)), context: text };
}

// Numbers that are never part of a title, whatever surrounds them ("Golgo 13", "Mob Psycho 100"
// and "20th Century Boys" keep theirs): ages, prices, ranges of volumes, counts of copies.
const NUMBER_ROLES = [
  // Japanese first: "1〜3巻" must go whole, not leave 巻 behind an English range.
  /[0-9]+\s*(歳|才|円|冊|日|週間|ヶ月|か月|時間|%|％)/g,
  /[0-9]+\s*(巻)?\s*[〜~～\-ー]\s*[0-9]+\s*(巻)?/g,
  /[0-9]+巻から[0-9]+巻/g,
  /\b(i'?m|i am|he'?s|she'?s|he is|she is|they'?re|who is|who'?s|turning|turned|aged?)\s+\d{1,2}\b(\s*(years?|yrs?|y\.?o\.?)(\s*-?\s*old)?)?/gi,
  /\b\d{1,2}\s*-?\s*(years?|yrs?|y\.?o\.?|y\/o)(\s*-?\s*olds?)?\b/gi,
  /[¥$€£]\s*\d[\d,.]*\s*k?\b|\b\d[\d,.]*\s*(yen|jpy|usd|dollars?|bucks|euros?|pounds?|gbp|cad|aud)\b/gi,
  /\b\d+\s*(-|–|—|~|〜|to|through|thru)\s*\d+\b/gi,
  /\b\d+(st|nd|rd|th)\s+(one|volumes?|vols?|books?|issues?|editions?|copy|copies|parts?)\b/gi,
  /\b\d+\s*(copies|copy|sets?|books?|items?|volumes?|vols?|days?|weeks?|months?|hours?|%)(?![\p{L}\p{N}])/giu,
  // A volume in romaji Japanese: "dai 10 kan", "10 kan", "10-kanme".
  /\b(dai\s*-?\s*)?\d{1,3}\s*-?\s*kan(me)?\b/gi,
];

const EN_PHRASES = [
  // "The next" in a question of when ("when's the next Berserk out?", "when does the next Kingdom
  // come out"): the next volume, not a title's word (first: the phrases below take "when does" away).
  /(?<=\bwhen(?:'s|’s| is| does| will| do| are)?\b.{0,12})\bthe next\b/giu,
  // "the price of the last JJK": the last volume of the title after it (constraints.ts EN_LAST), no word of it
  // (first, as above).
  /(?<=\b(?:price|prices|cost|costs|how much|in stock)\b(?:\s+(?:is|are|of|for|does))*\s+)the (?:last|final|latest|newest|most recent)\b(?!\s+(?:game|of\b|one standing))/gi,
  /\b(do|does|did) (you|u) (guys )?(have|sell|carry|stock)\b/gi,
  /\b(i'?m|i am) (looking|searching) for\b/gi,
  /\b(can|could) (you|u) (find|show|tell me about|recommend)\b/gi,
  /\b(is|are|was) there\b/gi,
  /\b(what|how) (is|are|about)\b/gi,
  // "how many parts does JoJo have?", "which part is the latest": parts of a franchise, not a title.
  /\b(how many (parts|arcs)( (are there|does|do|is|in|of))?|(which|what) part (is|was) (the )?(latest|newest|last|final)( one)?|(the )?(latest|newest|last|final) part( of)?|(does|do) (it|they) have|(has|have) how many parts|have in total|in total|so far)\b/gi,
  /\b(how much|how many|price of|the price|in stock|available|availability|out of stock|release date|when does|when is|come out|comes out)\b/gi,
  /\b(something|anything|manga|mangas|series|books?|comics?|titles?) (like|similar to)\b/gi,
  /\b(who (wrote|writes|drew|draws|made|is the author of)|written by|drawn by|the author of|what'?s (it|this|that) about|what happens in)\b/gi,
  // Facts asked as a list of nouns beside the title ("Psyren: status + volume count", "number of volumes and
  // status of Psyren"): the status word only where it is joined to a count (a title may hold "Status"), then the count.
  /\b(?:(?:publication|publishing|serialization|release) )?status\s*(?:\+|&|,|\/|\band\b)\s*(?=(?:the )?(?:total )?(?:(?:volume|vol) count|number of (?:volumes|vols)|volumes\b))/gi,
  /(?<=\b(?:(?:volume|vol) count|number of (?:volumes|vols)|volumes)\s*)(?:\+|&|,|\/|\band\b)\s*(?:(?:the )?(?:publication |publishing |serialization |release )?status)\b/gi,
  /\b(?:the )?(?:total )?(?:(?:volume|vol) count|number of (?:volumes|vols))(?: of)?\b/gi,
  /\b(is (it|this|that) (finished|complete|completed|over|ongoing|still running|done)|(finished|completed|complete|ongoing|how many volumes|how many books))\b/gi,
  // A name's possessive before what it made ("Tezuka's manga", "Urasawa's works"): the name alone, an author or title to look up.
  // (Not one inside a title: "Natsume's Book of Friends".)
  /(?<=\p{L})['’]s(?=\s+(?:manga|mangas|works?|stuff|books?|series|comics?|titles?|other (?:works|manga|series|books))\b(?!\s*(?:of|for|to|about|and|&)\b))/giu,
  /\b(recommend(ation)?s?|suggest(ion)?s?|please|pls|thanks|thank you|hi|hello|hey)\b/gi,
  /\b(also|too|as well|(i'?m |i am )?(also )?looking for|i (want|need)( to (buy|get|read|pre-?order|reserve))?|i'?d like( to (buy|get|read|pre-?order|reserve))?|(want|need) to (buy|get|read|pre-?order|reserve)|buy|purchase|searching for|find)\b/gi,
  /\b((to |can i |could i )?(pre-?order|reserve)( for)?)\b/gi,
  // (Typed fast: "volum 40", "volumn 3", "vo 2".)
  /\b(vol(ume|um|umn|ue|me)?\.?\s*#?\d+(st|nd|rd|th)?|vo\.?\s*\d+|#\d+|v\d+|\d+(st|nd|rd|th) (vol(ume)?|book))\b/gi,
  // A volume number corrected: "volume 13, not 30", "vol 30, sorry, 13".
  /\b(not|instead of|rather than|i mean|i meant|sorry|no wait)\s*,?\s*(vol(ume)?\.?\s*|#)?\d+\b/gi,
  /\b(prices?|costs?)\b/gi,
  // Formats and editions are asked about, never part of the title asked for.
  /\b(the )?(digital|e-?books?|kindle|paperback|tankobon|kanzenban|box ?sets?|boxed set)( (version|edition|copy|copies|format|one))?\b/gi,
  /\b(the )?(perfect|complete|deluxe|collector'?s|physical|print(ed)?) (version|edition|copy|copies|format)\b/gi,
  /\b(version|edition)( of)?\b/gi,
  // Openers and corrections before the title meant: "ok so…", "ah forget that. I meant Mushishi", "oops sorry, I meant …".
  /^(?:(?:ok(?:ay)?|so|well|um+|yes|yeah|no|and|then|also|hmm+|great|cool|nice|never ?mind|nvm|actually|oh+|ah+|oops|sorry|my bad|wait|forget (?:it|that)|scratch that|ignore that)\b[\s,.!…]*)+(?:i meant|i mean)?\b/gi,
  // Not "next", "last" or "first": titles have them (Next Life, The Last Game); the search weighs them instead.
  // Except where a volume word follows within a few words: "the last dandadan volume", "the final
  // one": then it picks a volume (a title that has the word is still found in the message).
  /\b(the )?(very )?(last|final|latest|newest|most recent|current|next|upcoming)\b(?=\s+(?:[\p{L}\p{N}'’-]+\s+){0,5}?(vol(ume)?s?\b|books?\b|issues?\b|ones?\b|installments?\b|tankobon\b))/giu,
  /\b(coming|come out|out yet|released?)\b/gi,
  /\b(right now|at the moment|at present|currently)\b/gi,
  /\b(about|tell me|show me|the manga|the series|manga|series|any|have|got|sell|by|for|of|the|a|an|and|or|me|you|your|store|shop|do|is|it|in|still|new|latest|volume|volumes|who|what|wrote)\b/gi,
];

const JA_PHRASES = [
  // 「…の15巻の方はどうなってますか」「…っていつ出ますか」: how a thing stands, when it comes out — read
  // whole, before the endings below take them apart and leave 「どうな」 or 「出」 behind.
  /の(方|ほう)(は|って)(?=どう|\s|$|[？?])/g,
  /(は|って)?どう(なって(い)?(ます|る)|なり(まし)?た|です|でしょう)(か)?/g,
  /(は|って|の)?いつ(頃|ごろ)?(に)?(出|発売さ?れ?)(ます|る|ました|た)(か|の)?/g,
  // Facts asked about a title are no part of it: its author (「ノラガミの作者は？」), its readership
  // (「ナナって少女漫画ですか？」), when it began (「いつから連載？」), its length (「巻数は？」).
  // (Asked, not described: 「漫画家を目指す話」 keeps its word.)
  /(の|って)?(原作者|作者|著者|作家|漫画家|作画)(さん)?((は|って|を)?(誰|だれ)|は|って)?(です|でしょう)?(か)?(?=\s|$|[？?、。!！,.])/g,
  // A readership asked OF a title ("ナナって少女漫画ですか", "少女漫画？" of the series in play), not
  // one asked FOR: 「少女漫画でおすすめある？」 is that kind of manga, and keeps its words.
  /(の|って|は)(少年|青年|少女|女性|児童)(漫画|マンガ|誌|向け)(なん|なの)?(です|でしょう)?(か)?|(?<![\p{L}\p{N}])(少年|青年|少女|女性|児童)(漫画|マンガ|誌|向け)(なん|なの)?(です|でしょう)?(か)?(?=\s*(?:[？?]|$))/gu,
  /(は|って|の)?(いつから|いつ頃から|いつごろから|何年から|何年に)(の)?(連載|始ま|スタート|開始)?[ぁ-ん]*/g,
  /(は|って|の)?連載(開始|中|して(い)?(ます|る|た)|され(て(い)?(ます|る|た))?)?(の|は)?/g,
  /(の)?(巻数|全巻数)(は|って)?/g,
  // A kind of manga before the title: 「音楽漫画のBECK」「恋愛マンガのNANA」.
  /(?<=^|\s)[\p{Script=Han}\p{Script=Katakana}ー]{1,6}(漫画|マンガ)の(?=\S)/gu,
  // "マギは何巻まで出てますか": how far a series has got, before 巻 numbers and ますか go one by one.
  /(は|って)?(何巻|なんかん)まで(出て(い)?(ます|る)(か)?|(あり|出)ますか|ある)?/g,
  // 「ジョジョって何部まであるの」「何部作？」: how many parts, not a title.
  /(は|って)?(全部で)?(何部|なんぶ)(まで|作|目)?(出て(い)?(ます|る)(か)?|(あり|出)ますか|ある(の|ん)?(ですか)?|です(か)?)?/g,
  // 「全何巻？」「全部で何巻ありますか」: how many volumes, not a title.
  /(は|って)?(全部で)?全?(何巻|なんかん|何冊)(ある|あります|出て(い)?(ます|る)|です)?(か)?/g,
  /第?[0-9０-９一二三四五六七八九十百]+巻(目)?/g,
  // A volume corrected: 「13巻じゃなくて14巻でした」「14巻の間違いです」.
  /(じゃなくて|じゃなく|ではなく|でなく)/g,
  /(の)?(間違い|誤り)(でした|です|だった)?|でした/g,
  /(ごめん(なさい)?|すみません|すいません|失礼しました)/g,
  // Which volumes are sold out: 「フリーレンで在庫切れの巻ってある？」「品切れになってる巻は？」 (gone whole, before 在庫 alone leaves 切れ).
  /(在庫切れ|在庫がない|在庫のない|在庫なし|品切れ|売り切れ|売切れ|欠品)(の|に?なって(い)?る|して(い)?る)?(巻|もの|やつ|の)?(って|は|が|も)?/g,
  /(ってありますか|はありますか|ありますか|あります？|ある？|あるの？|置いて(?:い)?ます(?:か)?|置いてる|置いてあ(?:ります|る)(?:か)?|売って(?:い)?ます(?:か)?|売ってる|(?:取り)?扱って(?:い)?ます(?:か)?|(?:取り)?扱ってる|在庫(は|って)?|いくら(ですか)?|値段(は)?|価格(は)?|発売日(は)?|いつ発売|いつ出る|について(教えて)?(ください)?|を探して(います|る)|探してます|を教えて(ください)?|教えて(ください)?|ください|みたいな(漫画|マンガ|作品)?|のような(漫画|マンガ|作品)?|に似た(漫画|マンガ|作品)?|っぽい(漫画|マンガ|作品)?|おすすめ(は)?|オススメ|どんな話|どういう話|って何巻まで|何巻まで|完結(して(い)?(ます|る)(か)?|した(の)?|済み)?|ですか|ますか|[？?！!。、]+)/g,
  /(の)?(電子版|電子書籍(版)?|完全版|愛蔵版|新装版|文庫版|漫画版|マンガ版|コミック版|BOXセット|ボックスセット|box ?セット|全巻セット|紙の本|紙版|単行本|最新刊|新刊|最終巻|次の巻|続き|続刊|全巻)/gi,
  // When something comes out or came out: 「はいつですか」「もう出ましたか」「出た？」.
  /(は|って|の)?いつ(頃|ごろ)?(ですか|でしょうか|になりますか|なの|なん)?/g,
  /(は|って)?(もう)?出(まし)?た(の|ん)?(か|ですか)?/g,
  // Wishes and requests around a title: 「買いたいです」「欲しいです」「送ってもらえますか」「予約したいのですが」.
  // (「買いたいんだけど」: the longest ending first, so no だけど is left for the title search.)
  /(を|が|も)?(買い|読み|予約し|注文し|取り寄せ)たい(んです(けど|が)?|んだけど|んだが|のですが|のです|です(けど|が)?|けど|ん|の)?/g,
  /(を|が|も)?欲しい(んです(けど|が)?|んだけど|んだが|のですが|のです|です(けど|が)?|けど|ん|の)?/g,
  // Whether it can be preordered or ordered: 「フリーレン15巻って予約できる？」「予約は可能ですか」「取り置きできますか」.
  /(は|って|を|も)?(予約|取り置き|取り寄せ|注文|購入)(は|って|を|も)?(でき(る|ます|ません)?|出来(る|ます|ません)?|可能)(か|の|ん)?(です(か)?|でしょうか|かな)?/g,
  // A range's ends and a purchase's condition: 「1巻から5巻まで」「電子版で買うと」「まとめて購入したら」 (area B: totals).
  /(?<=\s|^)(から|まで)(?=\s|$)/g,
  /(を|で)?(まとめて|一緒に|全部で)?(買う|買った|購入する|購入した)(と|ら|場合)(は)?/g,
  /(を|って)?(送って|発送して|届けて|取り置きして)(もらえ|いただけ|くれ)?(ますか|る？|る)?/g,
  /(取り扱い|取扱い)(は)?(ございますか|ありますか)?|ございますか|ございません/g,
  /^(じゃあ|では|それでは|あと|それと|ちなみに|なら|えっと|ところで)/g,
  // Another work named to say what the title is: 「NARUTOの続編のBORUTO」「キメツ学園っていうスピンオフ」 ask for
  // BORUTO and キメツ学園, not NARUTO; "a sequel" or "a spin-off" is no word of the title.
  /[^\s、。,]+?の(続編|続き|スピンオフ|外伝|番外編|前日譚|後日談|新作|新シリーズ)(の|で|、|,)/g,
  /(って|という|っていう|とかいう)?(続編|スピンオフ|外伝|番外編|前日譚|後日談)(作品|漫画|マンガ)?(は|が|って|も)?/g,
  // "井上雄彦さんの作品って何がありますか" → the author: honorifics and "works/books of" are never the name.
  /(さん|先生|氏)?の(作品|漫画|マンガ|まんが|本|シリーズ|コミック)(って|は|を|が)?(何|なに|どれ)?(が|か)?/g,
  /(って|は)?(何|なに|どれ)(が|か)$/g,
  // "サイレンって漫画", "ソウルイーターの漫画": the word for manga after a title is not the title.
  /(って|という|っていう|の)(漫画|マンガ|まんが)/g,
  /(は|って)?いつ(出|で|発売)[^\s]*\s*$/g,
  /(って|は)出(て(い)?(ます|る)?|ます|る)?(か)?\s*$/g,
  /の巻(って|は)?/g,
];

/**
 * Words of the English request language, written as the name index folds them (lower case, no
 * apostrophes: "what's" is "whats"): function words, the store's words (buying, shipping, formats,
 * prices, ages, family), languages, countries and cities a customer ships to. Never a whole title
 * customers ask for on their own — and a title that has them is still found inside the message
 * (see above). Not here on purpose: "first", "last", "next" (The Last Game: the search weighs
 * them instead), "love", "another", "real", "monster" (titles of their own).
 */
const REQUEST_WORDS = new Set(
  `a an the this that these those there theres here some any all both each every either neither none such
  i im ive id ill me my mine myself you youre youve youd youll your yours yourself u ur ya we us our ours
  they theyre them their he hes him his she shes her hers it its itself ones someone anyone somebody
  what whats which who whos whom whose when whens where wheres why how hows whether if
  is isnt are arent was wasnt be been being am do does doesnt did didnt dont done doing
  have has had havent hasnt having can cant cannot could couldnt would wouldnt will wont shall should shouldnt
  may might must need needs needed want wants wanted wanna gonna gotta like likes liked
  get gets got getting gotten buy buys buying bought purchase purchased purchasing order orders ordering ordered
  preorder preorders preordering preordered pre reserve reserved reservation send sending sent ship ships shipping shipped
  deliver delivers delivering delivered delivery arrive arrives arriving arrived reach reaches take takes taking took
  cost costs costing pay paying paid sell sells selling sold carry carries carrying stock stocks stocked instock
  restock restocks restocked restocking find finding found look looks looking search searching searched read reads reading
  start starting started continue continuing know knows tell telling told show showing check checking thinking think thought
  heard hear hearing says said say saying recommend recommends recommended recommendation recommendations suggest suggestion
  wait waiting come comes coming came go goes going gone went out released release releases releasing published
  finished finish complete completed completes ongoing ended concluded running
  gift gifts wrap wrapping wrapped allowed allow ok okay suitable appropriate fine safe
  good great nice cool awesome worth cheaper cheap cheapest expensive pricey price prices priced pricing much many
  more most less least total totals discount discounts discounted sale sales deal deals coupon coupons points free
  available availability possible left remaining copies copy volume volumes vol vols book books issue issues
  edition editions version versions format formats print printed paper paperback paperbacks hardcover hardback physical
  digital ebook ebooks kindle tankobon kanzenban box boxed boxset boxsets set sets bundle bundles
  series manga mangas comic comics title titles arc arcs chapter chapters anime
  japanese english french german spanish chinese korean italian portuguese language languages translated translation
  year years yr yrs yo old age aged ages kid kids child children son sons daughter daughters brother brothers sister sisters
  friend friends cousin cousins mom mum dad mother father parents nephew niece grandson granddaughter
  teen teens teenager teenagers adult adults birthday christmas xmas present presents
  store shop site website online account app phone asap soon now today tomorrow yet still already again anymore
  also too just only really very so then than as and or but nor not no yes yeah yep nope damn dang darn ugh aww oof meh bummer gimme lemme
  please pls plz thanks thank thx ty hi hello hey hiya dear sir madam evening morning afternoon
  quick q question questions vs versus compared compare comparison
  else other others draw draws drew drawn drawing write writes wrote written writing work works guy person made make makes creator creators mangaka artist artists author authors
  shounen shonen seinen shoujo shojo josei demographic readership began begin debut debuted serialized serialised
  about of in on at to for from with without by into onto up off under between through thru until till per via around after before
  second third latest newest new newer older earliest final previous whole full entire single
  rest few several lot lots bit anything something everything nothing together long both one
  two three four five six seven eight nine ten eleven twelve
  thing things stuff chance way time times week weeks month months date dates
  express standard international overseas abroad country countries domestic tracking track package packages parcel address
  cash card cards credit debit paypal paypay cod convenience fee fees tax taxes customs
  yen jpy usd dollar dollars bucks euro euros pounds gbp cad aud budget spend spending spent afford money
  member members membership prime login signed sign cancel cancelled refund refunds return returns returned exchange
  damaged missing wrong violent violence gory scary sad funny mature explicit rated rating ratings review reviews
  popular famous best better top similar kind sort type genre genres fan fans huge favorite favourite favorites
  hooked obsessed enjoy enjoyed loved loves watching watched saw seen
  us usa uk america american canada canadian australia australian germany france brazil singapore japan china korea
  taiwan hong kong india mexico spain italy netherlands sweden norway finland denmark philippines indonesia thailand
  vietnam malaysia europe asia ireland scotland switzerland austria belgium poland portugal argentina chile
  toronto vancouver montreal london paris berlin sydney melbourne seoul manila jakarta bangkok
  osaka kyoto okinawa hokkaido sapporo fukuoka nagoya kobe sendai hiroshima nagano`.split(/\s+/),
);

const CONTRACTION_LEFT = /(^|\s)['’][a-z]{0,2}(?![\p{L}\p{N}])/giu;

// Another work named only to say who made the one asked for: "Goodbye, Eri is by the chainsaw man
// guy", "Look Back from the author of Chainsaw Man", "Dandadan's author's other one", 「チェンソーマンの
// 作者のさよなら絵梨」「聲の形と同じ作者の…」. That work is no part of the title asked for — when
// something else is named beside it (asked alone, "who's the chainsaw man guy?", it is the subject).
const AUTHOR_POINTERS = [
  /\b(?:by|from|of) (?:the |that )([\p{L}\p{N}'’ :.-]{2,40}?) (?:guy|dude|author|mangaka|creator|artist|writer|person|lady|woman)\b/giu,
  /\b(?:by|from) (?:the |that )?(?:author|creator|mangaka|artist|writer|person|guy) (?:of|behind|who (?:made|wrote|drew)) ([\p{L}\p{N}'’ :.-]{2,40}?)(?=\s*(?:[,?!]|$|\b(?:do|does|is|are|right|too|as well|in stock)\b))/giu,
  /\b(?:by|from) ([\p{L}\p{N}'’ :.-]{2,40}?)['’]s (?:author|creator|mangaka|artist|writer)\b/giu,
  /(?<=^|[\s、。,])([^\s、。,？?！!]{2,30}?)(?:の|と同じ)(?:作者|作家|漫画家|著者|人)(?:さん|先生)?(?:の|が(?:描|書)いた|による)(?=\S)/gu,
];

/** The message without another work named only to point at the author of the one asked for, when something else is left. */
function withoutAuthorPointer(text: string): string {
  let out = text;
  for (const re of AUTHOR_POINTERS) out = out.replace(re, ' ');
  if (out === text) return text;
  // (What is left must name something: not only request words, "anything else by the X guy?", nor 「…の作品ある？」.)
  const left = tidy(phrasesOut(out))
    .replace(/[\p{Script=Latin}\p{N}'’]+/gu, (w) => (REQUEST_WORDS.has(w.toLowerCase().replace(/['’]/g, '')) ? ' ' : w))
    .replace(/作品|漫画|マンガ|まんが|シリーズ|やつ|もの|他|ほか|別|[のはがをもとでにって]/gu, '');
  return /\p{L}{2}/u.test(left) ? out : text;
}

/** The part of a message that names a title or an author. */
export function titleQuery(text: string): string {
  return recentTitleQueries(text);
}

// One message's title query is asked for several times over (understanding, the title lookup,
// the kind-of-manga check), each a pass of ~150 patterns: the last few are kept.
const recentTitleQueries = memoizeText(readTitleQuery, 64);

// One name in Japanese title marks (『鬼滅の刀』), which set off nothing but a work's title.
const TITLE_MARKED = /『([^』]{2,40})』/gu;

function readTitleQuery(text: string): string {
  // A long message that sets one title off in 『』 (「先日から娘が『鬼滅の刀』にハマっておりまして、…全部で何巻ありますでしょうか」):
  // that title is what it names; the rest of the letter is no part of it.
  const marked = [...text.normalize('NFKC').matchAll(TITLE_MARKED)];
  if (marked.length === 1 && text.length > marked[0][0].length + 30) return tidy(marked[0][1]);
  // "volume twenty six", 十三巻: volume numbers as digits, so the volume phrases below remove them.
  return tidy(phrasesOut(withoutAuthorPointer(text.normalize('NFKC'))).replace(CONTRACTION_LEFT, ' '));
}

/** The message with its numbers in roles and the phrases of the request taken out (untidied). */
function phrasesOut(text: string): string {
  let q = numbersAsDigits(withoutFalseStart(text.normalize('NFKC')));
  q = q.replace(/MA-\d{8}-\d{4}/gi, ' ');
  for (const re of NUMBER_ROLES) q = q.replace(re, ' ');
  for (const re of JA_PHRASES) q = q.replace(re, ' ');
  for (const re of EN_PHRASES) q = q.replace(re, ' ');
  // What a removed word leaves of a contraction ("what's" → "'s") goes too (titleQuery).
  return q;
}

/**
 * The content of a message: its title query without the single words of the request language
 * (a word glued to Japanese, Berserkの, is a word too). Only for a search given the message as
 * context, which finds titles that have such words. A message made of nothing else keeps them:
 * a title of request words ("From Me to You") is then searched as before, and "the second one"
 * stays as vague as it is.
 */
function contentOf(query: string): string {
  // A word before a Latin word that ends in kana is part of a mixed-script title (To LOVEる).
  const content = tidy(query.replace(JA_REQUEST_HEAD, ' ').replace(JA_REQUEST_TAIL, ' ').replace(/[\p{Script=Latin}\p{N}'’]+(?!\s+\p{Script=Latin}+[\p{Script=Hiragana}\p{Script=Katakana}](?<![のはがをもにでとやへ]))/gu, (w) => (REQUEST_WORDS.has(w.toLowerCase().replace(/['’]/g, '')) ? ' ' : w)));
  return /\p{L}/u.test(content) ? content : query;
}

// Words of the Japanese request language (the store's words: preorders, stock, prices, releases),
// made into a run of their own beside a title by a particle: 「フリーレンの予約受付中の巻」 →
// フリーレン. Only a whole run of them, at either end of a piece and apart from the title by a
// particle, goes: a title's own kanji (予約 inside a longer word) stay.
const JA_REQUEST_MORPHEME = '(?:予約|受付|受け付け|受付け|在庫|注文|購入|発売|販売|入荷|再入荷|品切れ|売り切れ|在庫切れ|送料|配送|発送|値段|価格|金額|合計|割引|最新|新刊|最新刊|状況|情報|対象)';
const JA_REQUEST_RUN = `${JA_REQUEST_MORPHEME}(?:${JA_REQUEST_MORPHEME}|中|済み|予定|可能)*`;
const JA_REQUEST_TAIL = new RegExp(`(?<=[\\p{L}\\p{N}])(?:の|は|が|を|で|に|も|と)${JA_REQUEST_RUN}(?=\\s|$)`, 'gu');
const JA_REQUEST_HEAD = new RegExp(`(?<=^|\\s)${JA_REQUEST_RUN}(?:の|は|が|を|で|に|も|と)(?=[\\p{L}\\p{N}])`, 'gu');

// Particles a removed phrase leaves at either end of a piece of the message: 「NANAの21巻の値段と在庫は？」
// leaves "NANAの の と"; only "NANA" names a title.
const LOOSE_PARTICLE = /^(?:の|は|が|を|も|と|で|に|へ|や|か|って|から|まで|より)+$/u;
// Right after kanji, katakana or Latin letters only: 「異世界もの」 ends with a word, not a particle.
const TRAILING_PARTICLES = /(?<=[\p{Script=Han}\p{Script=Katakana}\p{Script=Latin}ー])(?:の|は|が|を|も|と|で|に|へ|や|か|って|から|まで|より)+$/u;

/** Punctuation and spaces evened out, and the particles a removed phrase left at the end ("ワンピースの" → "ワンピース"). */
function tidy(text: string): string {
  let q = text.replace(/[?!.,。、？！「」『』"]/g, ' ').replace(/\s+/g, ' ').trim();
  // A piece of Japanese that was cut out of the message ends no title with a particle, nor is one.
  // (Only whole particles go, and particles after a word with kanji, katakana or Latin letters:
  // a kana title may begin or end with one — となりの怪物くん, よつばと!, のだめ.)
  if (/[\p{Script=Hiragana}]/u.test(q)) q = q.split(' ').filter((w) => !LOOSE_PARTICLE.test(w)).map((w) => (/[\p{Script=Han}\p{Script=Katakana}\p{Script=Latin}]/u.test(w) ? w.replace(TRAILING_PARTICLES, '') || w : w)).join(' ');
  q = q.replace(/(は|って)?(ある|あります|ない|ありません)(か|の)?$/u, '').trim();
  return q.replace(/[のはがをもって]+$/u, '').trim();
}
