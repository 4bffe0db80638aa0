/**
 * Subjects the store has nothing on — legal or medical advice, the weather, the time, general
 * knowledge, homework, translating text, where to watch an anime, other shops' prices, bookings —
 * which the classifier may read as a policy question ("can I sue my landlord?" answered from the
 * shipping page), an escalation ("recommend a good lawyer?" opened a ticket) or a recommendation
 * ("my kid has a fever" answered with children's manga). Such a message is out of scope unless it
 * also asks about the store's own books, orders or rules.
 */

const SUBJECTS: [string, RegExp][] = [
  ['legal', /\b(?:sue|suing|lawsuit|lawyers?|attorneys?|legal advice|court case|my landlord)\b|弁護士|訴え(?:たい|る|られ)|訴訟|裁判|法律相談/i],
  ['medical', /\b(?:medicine|medication|doctor|fever|headache|stomach ?ache|symptoms?|diagnos\w*|prescription|pills?|dentist)\b|薬(?:を|は|飲|って)|病院|医者|熱が|頭痛|腹痛|症状|風邪/i],
  ['news', /\b(?:today'?s|the latest|world|breaking) news\b|\bnews today\b|\bstock market\b|\bshare prices?\b|\bexchange rate\b|\bsports? scores?\b|ニュース|株価|為替|試合結果/i],
  ['weather', /\bweather\b|\bforecast\b|\bwill it (?:rain|snow)\b|天気|気温|降水/i],
  ['time', /\bwhat time is it\b|\bwhat(?:'s| is) the time\b|\btime zone\b|今何時|今の時間|時差/i],
  ['knowledge', /\bcapital (?:city )?of\b|\bpopulation of\b|\bwho (?:is|was) the (?:president|prime minister)\b|\bhow tall is\b|首都|人口は|大統領|総理大臣/i],
  ['homework', /\bhomework\b|\bessay\b|\bmath (?:problem|question)s?\b|\bequations?\b|\bsolve (?:this|for)\b|宿題|方程式|作文|読書感想文/i],
  ['translation', /\btranslat(?:e|ing)\b|翻訳して|訳して(?:くれ|くださ|ほし|もらえ)|翻訳(?:を)?(?:お願い|頼|でき)/i],
  ['watching', /\b(?:where|how) (?:can|do|could|should) (?:i|we|you) (?:watch|stream)\b|\bwatch (?:it|the anime|the movie|the film|episodes?) (?:online|for free)\b|\b(?:on|streaming on) (?:netflix|crunchyroll|hulu|prime video|disney)\b|(?:アニメ|映画|劇場版|ドラマ)\S{0,6}?(?:どこで|何で|どうやって)?\S{0,3}?(?:見られ|観られ|見れ|観れ|視聴|配信され|配信して)/i],
  // Money of one's own (investing, side income, taxes, loans); not crypto, which the payment page answers (not accepted).
  ['money', /\binvest(?:ing)? (?:in )?(?:stocks?|shares|funds?|bonds?|crypto\w*|bitcoin|ethereum|real estate|property|the stock market|an? (?:index|mutual) fund|etfs?)\b|\b(?:investing|investment) (?:tips|advice|strateg\w*|portfolio|account)\b|\bhow (?:do|can|should) i (?:start )?invest(?:ing)?\b|\bshould i (?:buy|sell|invest in) (?:some )?(?:bitcoin|crypto\w*|ethereum|stocks?|shares)\b|\b(?:buy|buying|sell|selling|trade|trading|pick|picking) stocks\b|\bwhat stocks\b|\bmake (?:quick |easy |more |some |fast )?money\b|\bget rich\b|\btax (?:advice|deduction)s?\b|\bmortgage\b|\b(?:personal |student |car )?loans?\b|株で|株を|株の(?:買い方|始め方|銘柄)|株式投資|投資信託|投資(?:の|を)?(?:始め|方法|やり方|コツ|おすすめ|相談)|NISA|ニーサ|(?:ビットコイン|仮想通貨|暗号資産|株)(?:は|って|を)?(?:買うべき|買った方がいい|買い時|今買|儲か|上がる|下がる|値上がり)|儲け|儲か|稼ぐ|稼げ|副業|確定申告|節税|住宅ローン|借金/i],
  // Goods the store does not sell, asked to be picked ("what's the best laptop?", 「おすすめのスマホは？」) — not a
  // device to read the store's e-books on (the digital page answers that: READS_ON).
  ['goods', /\b(?:best|recommend\w*|which|good|suggest\w*|should i (?:buy|get))\b[^.?!]{0,20}\b(?:laptops?|(?:smart)?phones?(?! (?:number|no|line|support|call))|tablets?|ipads?|pcs?|computers?|cameras?|headphones|earbuds|tvs?|televisions?|(?:game )?consoles?|cars?|shoes|clothes|sneakers|watch(?:es)?)\b|(?:おすすめ|オススメ|いい|良い|どの|どんな)の?(?:スマホ|スマートフォン|携帯|パソコン|PC|ノートパソコン|タブレット|iPad|カメラ|イヤホン|ヘッドホン|テレビ|ゲーム機|車|服|靴|腕時計)|(?:スマホ|スマートフォン|パソコン|タブレット|カメラ|イヤホン|ヘッドホン|テレビ|ゲーム機)(?:は|って|を|で)?(?:どれ|何|なに|どこ)(?:が|を)?(?:いい|おすすめ|オススメ|買)/i],
  ['booking', /\b(?:book|reserve) (?:me )?(?:a )?(?:hotel|flight|table|room|ticket)\b|\brestaurant\b|ホテル|飛行機|レストラン|予約して(?:ほしい|ください)/i],
];

// Another shop's prices ("is Book-Off cheaper?", 「アマゾンの方が安い？」): the store cannot compare them.
const OTHER_SHOP = /\b(?:amazon|rakuten|book-?off|animate|kinokuniya|tsutaya|mercari|ebay)\b|アマゾン|楽天|ブックオフ|アニメイト|紀伊國屋|紀伊国屋|ツタヤ|TSUTAYA|メルカリ/i;
const COMPARES_PRICE = /\bcheaper\b|\bcheapest\b|\bprice match\b|\bless expensive\b|安い|高い|比較|どっちが/i;

// The store's own books, orders and rules: a message that asks about these is the store's, whatever else it says.
const STORE_TOPIC = /\bmanga\b|\btitles?\b|タイトル|作品|\bbooks\b|\bbook\b(?! (?:me|us|a|an)\b)|\bvolumes?\b|\bvol\.?\s*\d|\bseries\b|\bcomics?\b|\border(?:s|ed)?\b|\bshipping\b|\bship\b|\bdispatch\w*|\bdeliver\w*|\bsupport\b|\bopen\b|\bhours\b|\breturns?\b|\brefunds?\b|\bpoints\b|\bpay(?:ment)?\b|\bcoupons?\b|\bsales?\b|\bdiscounts?\b|\bdeals?\b|\bpromotions?\b|\bcampaigns?\b|\bprime (?:member|membership)\b|\baccount\b|\bedition\b|\bpreorder\w*|\bin stock\b|\bdigital\b|漫画|マンガ|まんが|コミック|単行本|巻|注文|配送|発送|出荷|届|送料|営業|受付|サポート|問い合わせ|お問合せ|返品|返金|ポイント|支払|クーポン|セール|割引|キャンペーン|フェア|会員|アカウント|予約|在庫|電子書籍|(?:英語|日本語|電子|完全|新装|愛蔵|紙)版/i;

// Reading the store's e-books on a device ("which tablet is best for reading?", 「スマホで読める？」): the digital page's.
const READS_ON = /\bread\w*|\be-?books?\b|\bapps?\b|\bkindle\b|読む|読め|読み|電子|アプリ|ダウンロード/i;

/** The subject the store cannot help with that the message asks about, if any (and it asks nothing of the store). */
export function outOfScopeSubject(text: string): string | undefined {
  const t = text.normalize('NFKC');
  // Comparing another shop's prices: out of scope even when it names manga.
  if (OTHER_SHOP.test(t) && COMPARES_PRICE.test(t)) return 'other-shop';
  if (STORE_TOPIC.test(t)) return undefined;
  const subject = SUBJECTS.find(([, re]) => re.test(t))?.[0];
  return subject === 'goods' && READS_ON.test(t) ? undefined : subject;
}

// Another medium made of a title (its anime, film, live action, a streaming service's version).
const OTHER_MEDIUM = /\b(?:anime|movies?|films?|live[- ]action|netflix|crunchyroll|hulu|tv (?:show|series)|season \d+)\b|アニメ|映画|劇場版|実写|ドラマ|Netflix版|ネトフリ/i;
// ...with a question about its manga: how many volumes, which volume, the original, buying it.
const OF_THE_MANGA = /\bmanga\b|\bvolumes?\b|\bvol\.?\s*\d|\bbooks?\b|\boriginal\b|\bsource material\b|原作|漫画|マンガ|まんが|コミック|単行本|何巻|\d+\s*巻/i;

/**
 * True when a message about an anime or film asks about its manga ("Netflix版のワンピースの原作は
 * 何巻まで？", "which volume does the Frieren anime end at?"): a question the store's books answer,
 * however the classifier read the other medium.
 */
export function asksAboutTheManga(text: string): boolean {
  const t = text.normalize('NFKC');
  return OTHER_MEDIUM.test(t) && OF_THE_MANGA.test(t);
}

/** The message without the words of the other medium, for the title search ("Netflix版のワンピースの原作" → "のワンピースの"). */
export function withoutOtherMedium(text: string): string {
  return text.normalize('NFKC').replace(new RegExp(OTHER_MEDIUM.source, 'gi'), ' ').replace(new RegExp(OF_THE_MANGA.source, 'gi'), ' ').replace(/\s+/g, ' ').trim();
}

// What is asked of another medium itself: its episodes, seasons, cast, where it streams, its ending.
const OF_THE_MEDIUM = /\b(?:episodes?|seasons?|eps?\b|voice actors?|cast|dub(?:bed)?|sub(?:bed|s)?|stream\w*|watch\w*|air(?:s|ed|ing)?|studio|opening|ending song|premiere\w*|in theaters?|theatrical|trailer|showing)\b|何話|話数|何期|何クール|第\d+期|声優|キャスト|放送|配信|視聴|見られ|観られ|見れ|観れ|主題歌|制作会社|公開|上映|放映|予告/i;

/** The title a question about another medium names, without the words of that medium or of what it asks of it ("how many seasons does the Frieren anime have?" → "how many does the Frieren have?"). */
export function titleOfOtherMedium(text: string): string {
  return withoutOtherMedium(text).replace(new RegExp(OF_THE_MEDIUM.source, 'gi'), ' ').replace(/\s+/g, ' ').trim();
}

/**
 * True when a message asks about a title's anime, film or other adaptation and not about its manga
 * (「鬼滅の刃のアニメ何話まである？」, "how many seasons does the Frieren anime have?"): the store
 * cannot answer that. Read as out of scope it is declined; read as a question about the title, the
 * answer says so before what it can tell (the manga).
 */
export function asksOfOtherMedium(text: string): boolean {
  const t = text.normalize('NFKC');
  return OTHER_MEDIUM.test(t) && OF_THE_MEDIUM.test(t) && !OF_THE_MANGA.test(t);
}
