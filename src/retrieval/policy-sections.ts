/**
 * Finds the knowledge-base section that answers a store-policy question, and the sentences of it
 * that give the answer. Each section (a `##` heading and its paragraph) is one document; a
 * question is matched to sections by what it is about (concepts shared by both languages: "how
 * much" and いくら both ask for a price, PayPay and konbini are payment methods in either
 * language) and by the words it shares with the section, the heading counting most. The
 * question's own words decide; earlier questions of the conversation break ties ("is there a
 * free trial?" after "how much does Prime cost?").
 */
import type { IndexedDoc, ScoredDoc } from './types.ts';
import { asksPayWithPoints } from '../understanding/buying.ts';

/** One thing a question can be about, and how it reads in English and Japanese text. */
interface Concept {
  id: string;
  pattern: RegExp;
  /** Only a question asks this (a duration, a price); sections answer it with `answer`. */
  answer?: RegExp;
  /** Concepts a question about this one is also about ("damaged" is a returns question). */
  implies?: string[];
  /** Tested on the text as written (not lower-cased): "US" the country, not "us". */
  cased?: RegExp;
  /** Below 1 for concepts that say little about which section answers ("when", "how do I"). */
  weight?: number;
}

// Concepts are matched on the NFKC-folded, lower-cased text of both questions and sections.
// Each pattern lists the English and Japanese ways of saying it; keep them narrow: a concept
// that fires on everything decides nothing.
const CONCEPTS: Concept[] = [
  { id: 'price', pattern: /送料|how much|\bwhat(?:'?s| is) (?:the )?(?:shipping|postage)\b(?! (?:times?|speed|options?|methods?|carriers?|like|from|to (?:okinawa|hokkaido)))|\bpay (?:for )?(?:the )?(?:shipping|postage|delivery)\b|\bcharge (?:for|to)\b|what do you charge|\bcosts?\b|(?<!see (?:the |any )?)\bprices?\b|\bfees?\b|\bexpensive|\bcheap|\brates?\b|いくら|料金|費用|手数料|値段|価格|代金|代は|[¥￥]\s?\d|\d[\d,]*\s?円|\d[\d,]*\s?yen\b/, answer: /[¥￥]\s?\d|\d[\d,]*\s?円|\bfree\b|無料/ },
  { id: 'free', pattern: /\bfree\b|no charge|at no cost|無料|タダ|ただで/ },
  { id: 'threshold', pattern: /\bminimum|\bat least\b|\bspend\b|\bor more\b|\bover ¥|\bunder ¥|\b(?:over|under|above|below) \d[\d,]*\s?(?:yen|円)|\b(?:go(?:es)? |am |is |spend |get )?(?:over|above|under|below) \d[\d,]{2,}\b(?! (?:days?|hours?|volumes?|vols?|books?|items?|copies|kg|g)\b)|以上|未満|条件|いくらから|いくら以上/ },
  { id: 'shipping', pattern: /\bgo(?:es)? out\b|\bship|postage|\bsend\b(?! (?:it |them |the book |a book |an item )?back)|\bsent\b|dispatch|leaves? the warehouse|(?<!on )deliver(?:y|ing) (?:fee|cost|charge|price)s?|送料|配送|発送|出荷|送って|送れ|送り/ },
  // Where parcels leave from: the warehouse.
  { id: 'origin', pattern: /ship(?:ped|s)? (?:out )?from|sent from|come from|dispatched from|from (?:our|the) warehouse|の倉庫から|where(?:'s| is) (?:your|the) warehouse|warehouse (?:location|located|address)|where are you (?:located|based)|どこから(?:発送|届|送|出荷|来)|倉庫(?:は|って)?どこ|倉庫の(?:場所|住所)|発送元/ },
  { id: 'delivery', weight: 0.7, pattern: /(?<!cash on )deliver|arriv|\breceive|\bget (?:it|my|the)\b|届|配達|着く/ },
  { id: 'international', cased: /\bU\.?S\.?A?\b/, pattern: /hawaii|alaska|california|texas|florida|\b(?:to|in|from|into|near|live in|based in) (?:new york|chicago|seattle|los angeles|san francisco|boston|toronto|vancouver|montreal|london|paris|berlin|sydney|melbourne|seoul|beijing|shanghai|taipei|bangkok|manila)\b|(?:ハワイ|アラスカ|カリフォルニア|ニューヨーク|ロンドン|パリ|ベルリン|シドニー|ソウル|北京|上海|台北|バンコク)(?=\s*(?:に|へ|まで|から|だと|なら|在住|住|の(?:送料|配送|方))|$)|united states|\bthe states\b|united kingdom|\bu\.s\.|international|overseas|abroad|outside (?:of )?japan|\busa\b|america|canada|mexico|europe|\buk\b|britain|england|france|germany|italy|spain|australia|new zealand|oceania|\basia\b|china|korea|taiwan|hong kong|singapore|thailand|philippines|vietnam|malaysia|indonesia|brazil|africa|countr(?:y|ies)|customs|address in japan|dut(?:y|ies)|\bems\b|epacket|海外|国際|アメリカ|米国|カナダ|ヨーロッパ|欧州|イギリス|フランス|ドイツ|オーストラリア|オセアニア|アジア|(?<!・)中国(?!・|地方)|韓国|台湾|香港|シンガポール|(?<![ァ-ヶー])タイ(?![ァ-ヶー])|北米|関税|eパケット|日本国内の(?:ご請求先)?住所/ },
  { id: 'customs', pattern: /customs|dut(?:y|ies)|import (?:tax|fee)|tariff|関税|輸入/ },
  // (States and cities customers name instead of their country — Hawaii is the US, "to Toronto" Canada; a city only
  // as a destination, never ソウルイーター's ソウル.)
  { id: 'zone-west', cased: /\bU\.?S\.?A?\b/, pattern: /hawaii|alaska|california|texas|florida|\b(?:to|in|from|into|near|live in|based in) (?:new york|chicago|seattle|los angeles|san francisco|boston|toronto|vancouver|montreal|london|paris|berlin|sydney|melbourne)\b|(?:ハワイ|アラスカ|カリフォルニア|ニューヨーク|ロンドン|パリ|ベルリン|シドニー)(?=\s*(?:に|へ|まで|から|だと|なら|在住|住|の(?:送料|配送|方))|$)|united states|\bthe states\b|united kingdom|\bu\.s\.|\busa\b|america|canada|mexico|europe|\buk\b|britain|england|france|germany|italy|spain|australia|new zealand|oceania|北米|アメリカ|米国|カナダ|ヨーロッパ|欧州|イギリス|フランス|ドイツ|オーストラリア|オセアニア/ },
  { id: 'zone-asia', pattern: /\b(?:to|in|from|into|near|live in|based in) (?:seoul|beijing|shanghai|taipei|bangkok|manila)\b|(?:ソウル|北京|上海|台北|バンコク)(?=\s*(?:に|へ|まで|から|だと|なら|在住|住|の(?:送料|配送|方))|$)|\basia\b|china|korea|taiwan|hong kong|singapore|thailand|philippines|vietnam|malaysia|indonesia|アジア|(?<!・)中国(?!・|地方)|韓国|台湾|香港|シンガポール|(?<![ァ-ヶー])タイ(?![ァ-ヶー])/ },
  { id: 'zone-other', pattern: /other regions|brazil|africa|middle east|south america|argentina|chile|india|その他の地域|ブラジル|アフリカ|中東|南米|インド/ },
  { id: 'hokkaido', pattern: /hokkaido|sapporo|北海道|札幌/ },
  { id: 'okinawa', pattern: /okinawa|remote island|沖縄|離島/ },
  // Regions as the delivery table names them, and the prefectures and cities in each.
  { id: 'region-kanto', pattern: /kanto|tokyo|kanagawa|yokohama|kawasaki|saitama|chiba|ibaraki|tochigi|gunma|関東|東京|神奈川|横浜|川崎|埼玉|千葉|茨城|栃木|群馬/ },
  { id: 'region-chubu', pattern: /chubu|aichi|nagoya|shizuoka|niigata|nagano|gifu|yamanashi|toyama|ishikawa|kanazawa|fukui|中部|愛知|名古屋|静岡|新潟|長野|岐阜|山梨|富山|石川|金沢|福井/ },
  { id: 'region-kansai', pattern: /kansai|kinki|osaka|kyoto|kobe|hyogo|nara|shiga|wakayama|関西|近畿|大阪|京都|神戸|兵庫|奈良|滋賀|和歌山/ },
  { id: 'region-tohoku', pattern: /tohoku|aomori|iwate|miyagi|sendai|akita|yamagata|fukushima|東北|青森|岩手|宮城|仙台|秋田|山形|福島/ },
  { id: 'region-chugoku', pattern: /chugoku|hiroshima|okayama|yamaguchi|tottori|shimane|中国地方|(?<=・)中国(?=・)|広島|岡山|山口|鳥取|島根/ },
  { id: 'region-shikoku', pattern: /shikoku|ehime|matsuyama|kagawa|takamatsu|tokushima|kochi|四国|愛媛|松山|香川|高松|徳島|高知/ },
  { id: 'region-kyushu', pattern: /kyushu|fukuoka|hakata|nagasaki|kumamoto|oita|miyazaki|kagoshima|九州|福岡|博多|佐賀|長崎|熊本|大分|宮崎|鹿児島/ },
  { id: 'duration', pattern: /(?:delivery|shipping|transit) times\b|shipping time\b|how long(?! (?:after [^?.]{0,30} )?do i have)(?! (?:does|should|must|can|is|do) (?:my |the |a )?password)|how many (?:business )?days(?! (?:after [^?.]{0,30} )?do i have)|how soon|how quickly|how fast|when will|when would|when do(?:es)? (?:i|it|my|the)|when can i (?:get|expect)|(?<!期限(?:は|って|が)?)何日(?!以内|まで)|何営業日|いつ(?:届|頃|ごろ|返金|戻)|どのくらい|どれくらい|日数|(?<!お試し|無料|体験|試用|無料体験)期間|何週間/, answer: /\d+\s*(?:to|-|–)?\s*\d*\s*(?:business |working )?(?:days?|weeks?|hours?|months?|minutes?)\b|next[- ]day|same day|\d+\s*[〜~～-]?\s*\d*\s*(?:営業)?日|\d+\s*(?:時間|週間|か月|ヶ月|分間)|翌日|当日/ },
  { id: 'deadline', pattern: /いつまで|期限|by when|\b(?:return|refund|cancell?ation|exchange) (?:window|period|time ?frame)\b|返品(?:できる|可能な)?期間|\bwhen\b[^?.]*\bby\s*\??$|deadline|how (?:long|many (?:business )?days) (?:after [^?.]{0,30} )?do i have|何日以内|何日まで|time limit|within \d|\d+\s*日以内|以内に/, answer: /within \d+|\d+\s*日以内/ },
  { id: 'timing', weight: 0.5, pattern: /\bwhen\b|いつ|タイミング|時期/ },
  { id: 'procedure', weight: 0.5, implies: ['steps'], pattern: /(?:したい|する)(?:場合|時|とき|んだけど|んですけど|のですが|んですが)(?:は)?[、,]?\s*どう(?:すれば|したら|やって)|how (?:do|can|should) i|where (?:do|can|should) i (?:drop|send|bring|take|hand|start|begin|initiate|request|submit|file|go to)|where (?:do|can) (?:i|you) (?:make|open|get) (?:a|the) (?:return|request)|how (?:to|do i|can i) (?:start|begin|initiate)|(?:どこ|どう)(?:から|で)(?:申し込|申込|手続|始め)|申し?込み(?:方|方法)|手続き(?:は|って)?(?:どこ|どう)|drop(?:-| )?off|how to\b|\bsteps\b|step[- ]by[- ]step|procedure|\bprocess\b|\bhow\s*\?*\s*$|手順|(?<!支払い?|決済|お支払い)方法|やり方|どうやって/ },
  // "What should I do?": advice, which for a fault is the remedy before any steps.
  { id: 'advice', weight: 0.3, pattern: /what (?:should|do|can) i do|what now|help me|どうしたら|どうすれば|どうしよう/ },
  // A numbered list in a section: the steps a "how do I" question asks for.
  { id: 'steps', pattern: /(?:^|\n)\s*1\.\s/ },
  { id: 'release', pattern: /release|came out|comes out|発売/ },
  { id: 'cutoff', pattern: /same[- ]day|cut-?off|by what time|what time|\btoday\b|当日|締め?切|何時まで|今日中|今日/, answer: /\d{1,2}:\d{2}|午後\d+時|\d+時まで/ },
  { id: 'holiday', pattern: /new year|holiday|january 1\b|\bjan\.? 1\b|obon|christmas|closed|closure|年末年始|正月|お盆|1月1日|休み|休業|年末/ },
  // Weather and delays: the delays section.
  { id: 'late', pattern: /\blate\b|delay|overdue|typhoon|heavy snow|遅れ|遅延|台風|大雪/ },
  { id: 'slot', pattern: /time of day|(?:choose|pick|select|set) (?:a |the |what |my )?(?:delivery )?time|配達(?:の)?時間|時間(?:を)?(?:選|指定)|time slot|time window|delivery time|specific time|(?<!(?:this|yesterday|last) )\bmorning\b|(?<!(?:this|yesterday|last) )\bevening\b|時間指定|時間帯|午前中|夜間/ },
  { id: 'carrier', pattern: /carrier(?! billing)|courier|yamato|japan post|sagawa|yu-?packet|配送業者|ヤマト|日本郵便|佐川|ゆうパケット/ },
  // Mailbox delivery (Yu-Packet): its own times, no time slot.
  { id: 'mailbox', pattern: /yu-?packet|mail ?box|post ?box|letterbox|small orders?|郵便受け|ポスト|ゆうパケット/ },
  { id: 'next-day', pattern: /next[- ]day|翌日/ },
  { id: 'split', pattern: /\bmix|\btogether\b|the rest later|rest (?:of it )?later|what'?s in stock (?:now|first)|混ぜ|同時(?:に)?注文|一緒に注文|\bsplit\b|separately|partial|available items first|(?:ship|send) (?:what|the items?|the ones?)[^.?]* first|wait for everything|all together|分割|別々|先に(?:発送|送|出荷)|ある分だけ|揃ってから|揃うまで|まとめて/ },
  // "How can I pay?", 「支払い方法は？」: the list of methods, not one method or the steps of something.
  { id: 'methods', implies: ['payment'], pattern: /payment (?:methods?|options?|types?)|(?:methods?|options?|ways?|forms?|types?) (?:of|for|to) (?:pay(?:ing|ment)?)|(?:how|what) (?:can|do|could|should|may) (?:i|we|you) pay\b|(?:ways?|methods?|options?|forms?) (?:can|do|could|should|may) (?:i|we|you) (?:use to )?pay\b|\bwhat (?:else )?(?:can|do) (?:i|we) (?:pay (?:with|by)|use to pay)\b|\bwhat else (?:can|do) (?:i|we) (?:use|pay)\b|\b(?:any )?other (?:ways|methods|options) to pay\b|(?:options?|choices?|ways?) (?:do (?:i|we) have|are there|have (?:i|we) got) (?:to|for) pay|which (?:payment|payments|card|cards|methods?|ways?|options?) (?:can|do|could|may) (?:i|we|you) (?:use|pay|accept)|pay (?:with|by) what|what (?:can|do) (?:i|you) (?:pay|accept)|what do you accept|支払(?:い)?方法|払い方|決済方法|(?:支払|払)い?(?:って|は)?どう(?:やって|すれば|したら|する)|how (?:am i|are we|is one) (?:supposed|meant|expected|able) to pay\b|how (?:would|will|shall) (?:i|we) pay\b|how (?:do|can|should) (?:i|we) (?:make (?:a |the )?)?payments?\b|どう(?:やって|すれば|したら)?(?:お)?(?:支払|払)(?:え|お|う|い)|(?:何|なに)で(?:お)?(?:支払|払)(?:え|お|う|い)|(?:支払|決済)(?:い)?(?:は|に|で)?(?:何|なに)|(?:何|なに)(?:が|で)(?:使え|払え|支払)/ },
  { id: 'payment', weight: 0.8, pattern: /\bpay\b|\bpaying\b|\bpayment|\bpaid\b|\baccept|支払|払え|払い|払う|決済|使え/ },
  // Who bears a cost ("who pays the transfer fee?", 「送料は誰が負担？」): the sentence that says whose it is.
  { id: 'payer', pattern: /who (?:pays|covers|is charged|has to pay|bears)|who'?s paying|\b(?:get|be|am i) (?:hit|stuck|slapped|saddled) with\b|(?:こっち|こちら|そっち|そちら|私|わたし|自分|客|お客(?:さん|様|さま)?|購入者|当店|店)(?:の)?持ち|(?:do|does|will|would) (?:i|you|we|the (?:customer|store|buyer|recipient)) (?:have to )?(?:pay|cover) (?:for )?(?:the|it|that|this)\b|誰が(?:払|支払|負担|持)|どっちが(?:払|負担)|どちらが(?:払|負担)|(?:の|は|って)?負担/, answer: /\bpaid by\b|\bwe pay\b|at our (?:cost|expense)|負担/ },
  { id: 'paypay', pattern: /paypay|ペイペイ/ },
  { id: 'card', pattern: /credit|debit|クレカ|\bvisa\b|mastercard|\bjcb\b|amex|american express|diners|クレジット|デビット|ダイナース/ },
  { id: 'konbini', pattern: /konbini|convenience store|7-eleven|seven[- ]eleven|lawson|familymart|ministop|seicomart|コンビニ|セブン|ローソン|ファミリーマート|ファミマ|ミニストップ/ },
  { id: 'bank', pattern: /bank transfer|wire transfer|\btransfer (?:fees?|charges?|costs?)\b|\bbank\b|銀行|振込|振り込/ },
  { id: 'cod', pattern: /cash on delivery|\bcod\b|pay (?:the driver|on delivery)|\bcash\b|代引|代金引換|着払|現金/ },
  // An upper bound asked for ("is there a maximum?", 「いくらまで」): the sentence that gives one.
  { id: 'limit', pattern: /\bthe most (?:i|you|we|one) (?:can|could|may)\b|\bmax(?:imum)?\b|\b(?:a|any|the|upper|spending|order) limit\b|\bcap\b|at most|how many [a-z ]{0,25}(?:can|may) (?:i|you|we)|\bhow much (?:can|may|could) (?:i|you|we|one) (?:pay|spend|order|use|charge|put)\b|上限|最大|いくらまで|(?:何|なん)(?:万)?円(?:まで|が上限|以内)|何件まで|何冊まで|何台まで|何件|何冊|\bup to [¥￥]\s?\d|\d[\d,]*\s?万?円までの?(?:ご注文|ご利用|お支払い|注文|利用)/, answer: /\bup to\b|まで/ },
  { id: 'carrier-billing', pattern: /carrier billing|phone bill|docomo|\bau\b|softbank|キャリア決済|携帯(?:電話)?(?:料金|代|払い|決済)|ドコモ|ソフトバンク/ },
  // Payment methods the store does not list: the answer is the list it does accept.
  { id: 'other-wallet', implies: ['payment'], pattern: /apple ?pay|google ?pay|line ?pay|paypal|rakuten ?pay|楽天ペイ|メルペイ|merpay|d払い|au ?pay|amazon ?pay|alipay|wechat ?pay|venmo|suica|pasmo|nanaco|waon|楽天edy|\bedy\b|交通系|bitcoin|仮想通貨/ },
  { id: 'not-accepted', pattern: /crypto|bitcoin|\bbtc\b|ethereum|cheques?\b|personal checks?|gift certificate|暗号資産|仮想通貨|ビットコイン|小切手|商品券/ },
  { id: 'preorder', pattern: /pre-?orders?|reserv|予約/ },
  // How long before release something can be reserved.
  { id: 'advance', pattern: /how (?:far|long|early) (?:ahead|in advance|before)|in advance|ahead of (?:the )?release|as soon as (?:the publisher|it is|they are) announce|months? before release|発表され次第|how early|when can i (?:start )?(?:to )?(?:pre-?order|reserve)|(?:どれくらい|どのくらい|何か?[月ヶ]|いつ)前から|いつ(?:頃|ごろ)?から(?:予約|注文|受け?付)|前もって|事前に/, answer: /months? before|か月前|ヶ月前/ },
  { id: 'billing-time', pattern: /\bcharged\b|\bbilled\b|\bbilling\b(?! address)|charge (?:my|me|you)|when (?:do|will|is) (?:i|you|it|my|the payment)[^?]*\bpa(?:y|id)\b|take (?:the )?(?:payment|money)|引き落と|請求|課金|決済され|支払(?:い)?(?:の)?タイミング|いつ(?:支払|払|決済)|(?:支払|払|決済)(?:い)?(?:は|って)?(?:いつ|何時)/ },
  { id: 'price-change', pattern: /price (?:drop|change|increase|goes (?:up|down)|guarantee)|cheaper later|lower price|値下が|値上が|価格の保証|安くなったら|価格が(?:下が|上が)/ },
  { id: 'bonus', pattern: /\bextras?\b|shikishi|acrylic|goodies|おまけ|色紙|bonus|tokuten|limited edition|特典|限定版/ },
  { id: 'returns', pattern: /sent back|\breturn|send (?:it |them |a book |the book )?back|exchange|返品|返送|返却|交換/ },
  // (BOX beside Japanese, 「ハイキューのBOX」, is one too; "in the box" is a parcel.)
  { id: 'box-set', pattern: /box ?sets?|boxed sets?|(?<!宅配|宅配便|郵便)ボックス|box\s*セット|(?<=[ぁ-んァ-ヶー一-龠])box|box(?=[ぁ-んァ-ヶー一-龠\d])/ },
  { id: 'refund', pattern: /money (?:\w+ )?back|お金(?:は|が)?(?:いつ)?(?:戻|返)|refund|money back|reimburs|返金|払い戻/ },
  { id: 'damaged', implies: ['returns', 'remedy'], pattern: /damage|broken|\btorn\b|ripped|\brip\b|\btear\b|crushed|\bbent\b|dented|defect|misprint|missing pages?|pages? (?:are |is )?missing|(?:jumps?|skips?|goes) (?:straight )?from page|pages? (?:\d+ )?(?:to \d+ )?(?:are |is )?(?:missing|duplicated|repeated|printed twice|blank)|duplicated pages?|blank pages?|binding|fell apart|falling apart|coming apart|loose pages?|faulty|\bwet\b|stain|scratch|upside down|out of order|smudg|faded|ink (?:is|has)|won'?t open|does(?:n'?t| not) open|破れ|破損|傷|汚れ|汚損|不良|落丁|乱丁|ページ(?:が|の)?(?:抜け|飛|欠け|足りな|重複|逆|白紙|外れ|取れ)|(?:同じ|重複した)ページ|(?:2|二)回印刷|白紙のページ|製本|綴じ|壊れ|折れ|潰れ|つぶれ|へこ|凹ん|濡れ|印刷ミス|開けない|欠落|欠け|不具合/ },
  // (A wrong book the customer chose — "I bought the wrong volume", 「間違えて違う巻を買っちゃった」 — is the
  // customer's mistake, change-mind below: no fault of the store's, no replacement at its cost.)
  { id: 'wrong-item', implies: ['returns', 'remedy'], pattern: /(?<!(?:bought|ordered|purchased|chose|picked|selected|clicked(?: on)?) (?:the |a )?)wrong (?:item|book|volume|title|edition|one)|not what i ordered|different (?:book|volume|item)|(?<!(?:ログイン|サインイン|パスワード|暗証番号)(?:を|が|に)?(?:何回か|何度か|何回も|何度も|数回|\d+回)?)(?<!(?:注文|購入|買う|買った|選ぶ|選んだ)(?:する|した)?(?:巻|本|商品|もの)?(?:を|の)?)間違(?!(?:えて|って|った)[^。？?!！]{0,12}?(?:買|注文|購入|ポチ))|違う(?:巻|商品|本|作品|もの)(?!を?(?:買|注文|購入|ポチ))|誤配送|別の(?:巻|商品|本)(?!を?(?:買|注文|購入|ポチ))|異なる(?:タイトル|巻|商品)/ },
  // What the store does about a fault: a question about damage asks for it.
  { id: 'remedy', pattern: /replacement|\breplace|we (?:will )?pay|at our (?:cost|expense)|交換品|当店負担|差し替え|代替品/ },
  // Opened and unopened are two answers ("opened items cannot be returned"; "unopened ones can, less
  // ¥350"): "I opened it" is one, "what if I hadn't opened it?", 「まだ開いてない」, 未開封 the other.
  { id: 'opened', pattern: /(?<!(?:not|n't|never|yet) (?:been |even |yet )?)\bopened\b|(?<!(?:not|n't|never) (?:even |yet )?)\bread (?:it|them|the book)\b|already read|(?<!未)開封(?!して(?:い)?(?:ない|ません)|していな|前)|読んだ|読んでしまった|読んじゃ|読み終わ|開けちゃ|開けてしま/ },
  { id: 'unopened', pattern: /unopened|unread|\b(?:still )?sealed\b|shrink|(?:not|n't|never|yet) (?:been |even |yet )?(?:opened|read)\b|未開封|未読|開封(?:して(?:い)?(?:ない|ません)|していな|前)|(?:開いて|開けて)(?:い)?(?:ない|ません|なくて)|読んで(?:い)?(?:ない|ません)|シュリンク/ },
  { id: 'change-mind', pattern: /changed? (?:my|your) mind|don'?t want|no longer want|(?<!\bif (?:i|we) )(?:did|do)(?:n'?t| not) (?:really )?(?:like|enjoy)\b|not (?:for me|my (?:thing|taste))|気に入らなかった(?!ら)|気に入らない(?!なら|場合|とき|時|ら)|好みじゃなかった(?!ら)|好みに合わなかった(?!ら)|合わなかった(?!ら)|mistake|by accident|accidentally|(?:bought|ordered|purchased|chose|picked|selected|clicked(?: on)?) (?:the |a )?wrong\b|都合|気が変わ|いらなくな|不要になった|間違えて|間違って|まちがえ|まちがっ|違う(?:巻|商品|本|作品|もの)を?(?:買|注文|購入|ポチ)|(?:注文|購入|買う|買った|選ぶ|選んだ)(?:する|した)?(?:巻|本|商品|もの)?(?:を|の)?間違/ },
  { id: 'cancel', pattern: /call (?:it )?off|cancel|\bstop (?:my|the|paying)|unsubscribe|\bquit\b|end my (?:subscription|membership|plan)|キャンセル|取り消|取消|解約|やめ(?:たい|たく|られ|る)|辞め|停止/ },
  { id: 'anytime', pattern: /any ?time|whenever|at any point|いつでも/ },
  { id: 'after-ship', pattern: /already (?:been )?shipped|has (?:been )?shipped|have (?:been )?shipped|was shipped|after (?:it |the order |my order )?(?:has )?ship|once (?:it )?ship|shipped orders|dispatched|on its way|refus|発送(?:後|済|されました|された|されて)|出荷(?:後|済|されました|された|されて)/ },
  { id: 'refuse', pattern: /refus|reject the (?:parcel|package|delivery)|受け?取り(?:を)?(?:辞退|拒否)|辞退|受取拒否/ },
  { id: 'before-ship', pattern: /before (?:it |the order )?ships?|not (?:yet )?(?:been )?shipped|has ?n'?t (?:been )?shipped|haven'?t (?:been )?shipped|still processing|\bpending\b|\bprocessing\b|発送前|まだ発送|未発送|処理中|入金待ち/ },
  { id: 'automatic', pattern: /on your own|by yourselves|don'?t pay|never pay|automatic|automatically|by itself|without (?:me|my)|unpaid|didn'?t pay|not paid|自動|勝手に|支払わな|払わな|未払/ },
  { id: 'points', pattern: /\bpoints?\b|ポイント/ },
  // Points spent on an order ("the points I used on it?", 「使ったポイントは戻る？」): what happens to them, not how many are earned.
  { id: 'points-used', pattern: /\bpoints? (?:i |you |we )?(?:had )?(?:used|spent|redeemed|paid with|applied)\b|\b(?:used|spent|redeemed|applied) (?:my |the |some |any |all (?:my |the )?)?points\b|\b(?:i|we) (?:partly |partially )?paid (?:partly |partially )?(?:with|in|using) points\b|(?:使っ|使用し|利用し|ご利用になっ|ご利用いただい|払っ)た(?:分の)?ポイント|ポイント(?:で|を)(?:使っ|使用し|利用し|払っ|支払っ)た/ },
  { id: 'earn', answer: /\d\s?%/, pattern: /\bearn|\bget (?:points|back)\b|\brates?\b|(?:extra|bonus|double|triple|more) points|points (?:bonus|multiplier|campaign)|ポイント(?:アップ|倍|還元)|percent|%|how many points|cash ?back|貯ま|貯め|たま(?:り|る)|獲得|付与|還元|ポイント(?:が|は|って)?もらえ|何%|何パーセント|付く|つく|ポイント(?:は|が|って|も)?(?:付き|つき|付け|つけ)/ },
  // When points reach the account ("when do they show up?"), not how many.
  // ("When do I get points for …?", 「ポイントはいつもらえる？」: when they arrive, not how many.)
  { id: 'credited', pattern: /\badded\b|credited|show up|\breflect|付与され|反映|加算|\bwhen (?:do|will|would|does|did|can|should) (?:i|we|you|it|they|the points?|my points?)(?: \w+ly)? (?:get|receive|see|be given|earn|have)\b[^?.]{0,20}\bpoints?\b|\bwhen (?:do|will|would|does) (?:the |my )?points? (?:come|arrive|appear|go in|land|get added)|ポイント(?:(?!倍|キャンペーン)[^。？?]){0,12}いつ(?!まで)|いつ(?!まで)[^。？?]{0,6}ポイント(?!\s*\d|倍)/ },
  // Campaign (bonus) points, which have their own rules.
  { id: 'campaign', pattern: /campaign|promotion|bonus points?|キャンペーン|ボーナス/ },
  { id: 'worth', pattern: /points? (?:is |are )?worth|worth (?:of )?(?:a |one |each )?points?|(?:one|1|a|each) point (?:is|=|equals)|points?'? (?:value|worth)|value of (?:a |one |each )?points?|1\s*ポイント(?:は|=|って|で)?(?:何円|いくら)|何円分|ポイントの価値/, answer: /1\s*point\s*=|1\s*ポイント\s*[=＝]/ },
  { id: 'expiry', pattern: /ポイント(?:の|は|って)?(?:有効)?期限|run out|disappear|go away|期限(?:って|は)?ある|expir|valid|validity|\blapse|\blast\b|\bforever\b|有効期限|期限切れ|失効|有効|消え/ },
  { id: 'balance', pattern: /balance|how many points (?:do |have )?i (?:have|got)|points? (?:do |have )?i (?:have|got)|(?:check|see|view|find|look up) (?:my |how many |our )?points|残高|何ポイント(?:ある|持|たま|貯ま)|ポイント(?:数)?(?:を|が)?(?:確認|見れ|見られ|見たい|知りたい|いくつ|どのくらい|どれくらい|何ポイント)|いくつ(?:持|あ)/ },
  { id: 'membership', pattern: /member|prime|subscri|\bplan\b|会員|プライム|サブスク|プラン/ },
  { id: 'prime', pattern: /paid (?:membership|plan|tier|member)|有料(?:会員|プラン)|prime|プライム/ },
  { id: 'early', pattern: /early access|first dibs|before (?:everyone|other (?:customers|people))|ahead of (?:everyone|others)|\bpriority\b|先行|先に(?:予約|買|購入)|いち早く/ },
  { id: 'yearly', pattern: /yearly|annual|per year|年額|年間プラン|年払い|年会費/ },
  { id: 'trial', answer: /\d+\s*[- ]?(?:日間|days?)\s*(?:の)?\s*(?:free|無料)/, pattern: /before (?:paying|i pay|committing|subscribing|i commit)|trial period|free period|無料期間|お試し期間|最初(?:は)?無料|無料で(?:使|試)|\btrial\b|try (?:it )?(?:out|for free|first)|test it|お試し|無料体験|体験/ },
  { id: 'benefit', pattern: /members can|benefit|perk|advantage|what do i get|worth it|特典|メリット|お得/ },
  { id: 'payment-fail', pattern: /(?:does|did)n'?t go through|bounce|お?支払い?(?:が|は)?でき(?:ない|なかった)|払えなかった|引き落とせな|payment fail|fails?\b|declined|didn'?t go through|決済(?:が)?でき(?:ない|なかった)|お支払いができなかった|(?<!(?:ログイン|サインイン|パスワード(?:入力)?)(?:に|を|が)?(?:何回も|何度も|数回|\d+回)?)失敗/ },
  // Print books as against digital ("points for a paper book order", 「紙の本だと？」): the line of a list of cases that is theirs.
  { id: 'print', pattern: /\bprint(?:ed)? (?:books?|editions?|copies|copy|versions?|volumes?|manga)\b|\bpaper (?:books?|copies|copy|versions?|editions?|volumes?|manga)\b|\bpaperbacks?\b|\bphysical (?:books?|copies|copy|versions?|editions?|volumes?|manga)\b|\bhard ?cop(?:y|ies)\b|紙の(?:本|書籍|漫画|マンガ|コミック)|紙版|紙で|単行本/ },
  { id: 'digital', pattern: /digital|e-?books?|electronic|kindle|\bapp\b|電子|デジタル|アプリ/ },
  { id: 'device', answer: /\b\d+ devices\b|\d+\s*台/, pattern: /devices?|phones?\b(?! ?(?:bill|number|line|call|support|contract))|tablets?|ipad|iphone|android|computers?|\bpcs?\b|screens?|offline|端末|[0-9何]台|スマホ|タブレット|パソコン|オフライン/ },
  { id: 'gift', pattern: /\bgift|(?<!shrink[- ]?)wrap|present\b|ラッピング|包装|プレゼント|ギフト|のし/ },
  // How a parcel is packed ("will it say what's inside?").
  // (Not an order being packed: "Orders are usually packed within a few hours", 梱包中, 梱包される.)
  { id: 'packaging', pattern: /packag|\bpacked (?:in|into|so|with|discreetly|securely|carefully|safely|well)\b|\bhow (?:is|are|do you|will) [^?.]{0,30}\bpacked\b|discreet|\bplain\b|what'?s inside|the contents|梱包(?!中|され|して)|外装|中身|無地/ },
  // Packed so nobody can tell what is inside ("will it come in a plain box? my kids open the mail",
  // 「家族にばれないように届けてもらえる？」): the plain packaging the store gives 18+ titles, on their page.
  { id: 'discreet', implies: ['packaging'], pattern: /discreet|\bplain (?:box|packag\w*|parcel|package|wrapping|envelope|cardboard|brown)|\bunmarked\b|\bwhat'?s inside\b|(?:tell|see|know|show|say) what(?:'s| is)? (?:inside|in it|in the (?:box|parcel|package))|\b(?:parents?|family|wife|husband|roommates?|kids?|children|mom|dad|mum|mother|father|partner)\s+(?:\w+\s+){0,2}(?:see|know|find out|open|opens|check|checks)\b|\bopen (?:the|my|our) (?:mail|post|parcels?|packages?)\b|中身(?:が|を)?(?:わから|分から|見え|バレ|ばれ|知られ)|無地|(?:ばれ|バレ|知られ|気づかれ)(?:ない|ずに|たくない|ません)|見られ(?:たくない|ずに)|(?:家族|親|両親|妻|夫|子供|子ども|同居人)に(?:見られ|内緒|秘密)|内緒で|こっそり/ },
  { id: 'message-card', implies: ['gift'], pattern: /message card|card message|add (?:a |an )?(?:little |short |small |personal )?(?:note|message)\b|メッセージカード|メッセージ/ },
  { id: 'price-slip', implies: ['gift'], pattern: /(?:don'?t|do not|doesn'?t|not) (?:want )?(?:the |any )?prices? (?:showing|shown|to show|on|in|visible)|\bpaperwork\b|receipt|invoice|packing slip|delivery slip|hide the price|without (?:the )?price|(?:値段|金額|価格)(?:が|は|って|も)?(?:(?:伝票|納品書|明細書?|送り状)(?:に|へ|に(?:は|も)))?(?:わから|分から|見え|書かれ|書いて|載|記載|表示|印字|入って|出)|(?:伝票|納品書|明細書?|送り状)(?:に|へ)(?:は|も)?(?:値段|金額|価格)|(?:値段|金額|価格)を(?:隠|伏せ|載せ)|shows? (?:the )?prices?|no prices|納品書|領収書|金額(?:の)?(?:記載|表示)/ },
  { id: 'account', pattern: /\baccount|register|sign ?up(?! (?:for|to) (?:prime|the paid|a paid|membership|the membership))|アカウント|登録/ },
  { id: 'create', pattern: /\bcreat|register|sign ?up(?! (?:for|to) (?:prime|the paid|a paid|membership|the membership))|open an account|make an account|new account|作成|新規|会員登録/ },
  { id: 'forgot', pattern: /can'?t remember|don'?t remember|思い出せ|forg[oe]t|\breset|can'?t (?:log|sign) ?in|locked out|忘れ|再設定|リセット/ },
  { id: 'password', pattern: /password|パスワード/ },
  { id: 'length', pattern: /characters|how long (?:does|should|must|can|is|do) (?:my |the |a )?password|password (?:length|requirements?|rules?)|minimum length|文字数|何文字|文字以上/, answer: /\d+ characters|\d+\s*文字/ },
  { id: 'login', pattern: /log ?in|sign(?:ing)? ?in\b|signin\b|2-step|two-factor|ログイン|サインイン|2段階/ },
  // 失敗 and 間違 of a sign-in only (ログインに失敗): a failed card payment is payment-fail, a wrong book wrong-item.
  { id: 'lockout', weight: 2, pattern: /keeps? (?:guessing|trying)|guess(?:es|ing)? (?:my |the )?password|brute[- ]?force|パスワードを(?:何度も|何回も)?(?:当て|推測|試)|総当たり|won'?t let me (?:in|log|sign)|can'?t get (?:in|into)|\b\d+ times|何度か|何回か|数回|\blocked\b|lock(?:ed)? out|too many (?:attempts|tries|times)|failed (?:sign-?in|log-?in|attempts?)|wrong (?:password )?(?:a bunch of|many|several|multiple|too many) times|(?:a bunch of|many|several|multiple|too many) times|attempts|何回も|何度も|ロック|(?:\d+|数)回(?:以上)?(?:間違|失敗)|(?:ログイン|サインイン|パスワード(?:入力)?)(?:に|を|が)?(?:何回も|何度も|数回|\d+回)?(?:間違|失敗)/ },
  // 2-step verification: a sign-in security setting, not the sign-in itself.
  { id: 'security', pattern: /2fa|two[- ]factor|2[- ]?step|two[- ]step|one[- ]time code|extra (?:security|step|layer)|(?<!your )\bsecur|authenticat|二段階|2段階|認証|セキュリティ/ },
  { id: 'delete', pattern: /(?:アカウント|会員登録|会員)(?:を|は)?(?:消|けし|消去|なくし)|\bdelet|clos(?:e|ing) (?:my |the )?account|remove (?:my )?account|deactivat|退会|削除/ },
  { id: 'guest', implies: ['eligibility'], pattern: /not (?:logged|signed) in|without (?:logging|signing) in|ログインしていない|ログインせず|未ログイン|without (?:signing|registering|making an account|creating an account)|need (?:an |to (?:have|make|create|open) an )?account|have to (?:sign ?up|register|make an account)|required to (?:sign|register)|アカウント(?:が|は)?(?:必要|なくても|無しで|なしで)|会員登録(?:が|は)?必要|登録しない(?:と|で)|\bguests?\b|without (?:an )?account|no account|ゲスト|アカウントなし|会員登録(?:なし|せず|しない)|(?<!会員)登録(?:なし|無し|せず|しないで|しなくても)/ },
  { id: 'eligibility', pattern: /who can|can guests|eligible|allowed to|only for|誰が|どなた|いただける方|できる方/ },
  { id: 'address', pattern: /(?<!e-?mail )(?<!\ban )(?<!\bto )address|住所|お届け先/ },
  { id: 'privacy', pattern: /personal info|privacy|personal (?:data|information)|my data|個人情報|データ/ },
  { id: 'contact', pattern: /contact|reach|get in touch|talk to|speak (?:to|with)|customer service|(?<!(?:do|does|can|will) (?:you|it|they|we) )\bsupport\b|問い合わせ|問合せ|連絡|サポート|窓口/ },
  { id: 'phone', pattern: /^phone$|phone (?:number|line|support|call)|by phone|on the phone|\bcall\b|telephone|\btel\b|toll[- ]free|電話|フリーダイヤル/, answer: /\d{3,4}-\d{3}-\d{3,4}|\+\d{1,3}-\d{1,4}-\d{3,4}-\d{3,4}/ },
  { id: 'email', pattern: /e-?mail|メール|フォーム|\bform\b/ },
  { id: 'hours', pattern: /(?<!\d\s?|\b(?:few|couple(?: of)?|several|many|some|two|three|four|five|six|twelve) )\bhours\b(?! ago| later| after)|opening|(?<!\b(?:to|kids?|children|son|daughter|family|they|he|she|someone|people) (?:\w+ )?)\bopen\b(?! (?:the|a|an|my|your|it|them|mail|parcels?|packages?|boxe?s?|letters?|post)\b)|what time|営業時間|対応時間|受付時間|何時/, answer: /\d{1,2}:\d{2}\s*(?:to|-|–)\s*\d{1,2}:\d{2}|\d{1,2}時\s*[〜~～-]\s*\d{1,2}時/ },
  { id: 'business-day', pattern: /business days?|working days?|営業日|休業日/ },
  { id: 'feedback', pattern: /feedback|suggestion|ご意見|要望|フィードバック/ },
  { id: 'human', pattern: /human|\bperson\b|\bagents?\b|\bstaff\b|operator|real people|someone|人間|スタッフ|担当者|オペレーター|有人/ },
  { id: 'tracking', pattern: /order status|how my order is doing|注文(?:の)?状況|\btrack|where is my|where'?s my|追跡|問い合わせ番号|お問い合わせ番号|追跡番号|配送状況|荷物(?:は|が)?どこ/ },
  // Where on the site something is shown ("where can I check …?").
  { id: 'where', weight: 0.7, pattern: /where to (?:check|see|find|look)|where (?:can|do|should) i (?:see|check|find|look)|どこで(?:確認|見|チェック)|どこを見|確認(?:する|できる)場所/ },
  { id: 'history', pattern: /\b(?:my|your|the) (?:ebook |digital )?library\b(?! (?:at|in|on) the)|本棚|order history|order records|注文(?:の)?記録|past (?:orders|purchases)|bought before|previous (?:orders|purchases)|purchase history|everything i(?:'ve| have)? (?:bought|ordered)|注文履歴|購入履歴|過去(?:に|の)(?:買|注文|購入)|買ったもの(?:の)?一覧/ },
  // An order past its expected date: the estimated-delivery rule.
  { id: 'estimate', pattern: /estimated|expected (?:date|delivery|arrival)|due date|予定日|お届け予定|到着予定/ },
  { id: 'no-info', pattern: /(?:does|did|is|has|have)n'?t (?:show(?:n|ing)?|appear(?:ed|ing)?|updat\w*) (?:anything|up|yet)|has ?n'?t (?:changed|moved|updated)|not (?:moving|moved|changing)|\bstop(?:s|ped)? (?:moving|updating|changing)\b|\bstuck\b|動か|動きません|止まって|変わらない|出てきません|表示されません|何も出|shows? nothing|nothing (?:shows|appears)|no (?:information|info|updates?)|not (?:updat|show|appear|work)|\bappear|blank|\bempty\b|反映|表示されない|出てこない|更新されない|情報がない/ },
  // Tracking that stopped moving (not yet shown is no-info alone): the estimated-delivery rule's "has not moved".
  { id: 'stalled', pattern: /has ?n'?t (?:moved|changed|updated)|(?:has |is |was )?not (?:moving|moved|changing|updat\w*)|\bstop(?:s|ped)? (?:moving|updating|changing)\b|\bstuck\b|\bstalled\b|for (?:several |a few |many |\d+ )?days\b|動か(?:な|ず)|動きません|止まって|止まった|変わらない|更新されない|何日も/ },
  { id: 'status', pattern: /\bstatus|\bmean\b|ステータス|状況|とは|意味/ },
  { id: 'lost', pattern: /says (?:it(?:'s| was| is| has been)? )?delivered but|\b(?:marked|shows?|showing|listed) (?:as )?delivered\b[^.?!]{0,30}\b(?:but|yet|no|not|nothing|never|where)\b|(?:配達済|配達完了|お届け済|届いた(?:こと)?)(?:み)?(?:に|と|って)?(?:なって|表示され|書いて|出て)[^。？?]{0,8}(?:のに|けど|が)|荷物が(?:ない|無い|ありません|来てない|届いてない)|(?:but|and) i (?:don'?t|do not) have (?:it|them)\b|見当たら|見当たり|nothing (?:at|on|by|in) (?:my|the) (?:door|porch|mailbox|doorstep)|(?:isn'?t|wasn'?t|not) (?:at|on) my (?:door|porch)|\blost\b|(?:is|are) ?n[o']t here|not here yet|can'?t find (?:it|my (?:parcel|package|box|order))|(?:box|parcel|package) (?:is )?missing|never (?:arrived|came|got|received)|did ?n'?t receive|have ?n'?t (?:got|received)|did ?n'?t (?:arrive|come|get)|has ?n'?t (?:arrived|come)|not received|missing (?:parcel|package|order)|届いていない|届いていません|届いておりません|届かない|届きません|届いてない|来ません|紛失|見つからない|来ない/ },
  { id: 'minor', pattern: /\bminors?\b|under 18|under-?age|\bkids?\b|children|\bchild\b|\b(?:my )?(?:son|daughter|teen(?:ager)?s?)\b|\b1[0-7][- ]?(?:years?[- ]old|yo|y\/o)\b|未成年|子ども|子供|息子|娘|中学生|高校生|小学生|1[0-7]歳/ },
  // Someone else on the customer's account ("my son used my account"), as the 18+ page's "a minor has used your account".
  { id: 'shared-account', implies: ['account'], pattern: /\b(?:use[ds]?|using|share[ds]?|sharing|borrow(?:s|ed|ing)?) (?:my|your|a|the|our|their|his|her|(?:my )?(?:parent|mom|mum|dad|father|mother)'?s?) account|\bon (?:my|your|our) account\b|アカウントを(?:使|利用|共有|借り)|アカウントで(?:買|購入|注文)/ },
  // The language of the books ("are your manga in English?", 日本語版ですか, "do you sell X in English?", 「英語で読める？」): the editions sold.
  { id: 'edition-language', pattern: /what language|which language|in what language|\blanguages?\b|translat|\b(?:japanese|english|french|spanish|german|chinese|korean|italian|portuguese) (?:editions?|versions?|translations?|books?|manga|volumes?|comics?|copies)\b|\b(?:manga|books?|volumes?|comics?|copies|titles|they|them|it|editions?) (?:are |is |come |written |printed |only )*in (?:english|japanese|french|spanish|german|chinese|korean|italian|portuguese)\b|\bin (?:english|japanese) or (?:english|japanese)\b|\b(?:sell|sold|have|carry|stock|get|buy|read|available|come|comes|offer)\b(?:(?!\b(?:answer|reply|respond|talk|speak|write|chat|switch|called|say|help)\b)[^.?!]){0,40}\bin (?:english|japanese|french|spanish|german|chinese|korean|italian|portuguese)\b|日本語版|英語版|(?:英|フランス|中国|韓国)語(?:で|の)(?:読め|読む|読みたい|買え|出て|ある|あり|売って)|[英和]訳|翻訳|言語|(?:何|どの|なに)語|(?:日本|英|フランス|中国|韓国)語(?:の|で)(?:本|漫画|マンガ|作品|書籍|出版)/ },
  // What a guest sees of an 18+ title: a blurred cover, no price.
  { id: 'blurred', implies: ['age', 'guest'], pattern: /blurr?(?:ed|y)|\bpixelated|(?:can'?t|cannot|don'?t|do not) see (?:the )?(?:prices?|covers?)|ぼか|ボカ|モザイク|(?:価格|値段|表紙)が(?:見えない|見られない|表示されない|出ない)/ },
  { id: 'age', pattern: /18 ?\+|18歳|18禁|(?:over|under) 18\b|18 or (?:older|over)|adult|(?<!on )\bage\b|r-?18|mature|hentai|explicit|成人|年齢(?!や)|アダルト|エロ/ },
];


/** Each concept's weight by id (a rarity weight is looked up for every term of every section at start). */
const CONCEPT_WEIGHT = new Map(CONCEPTS.map((c) => [c.id, c.weight ?? 1]));

/** The answer form of each concept that has one (a price, a number of days). */
const ANSWER_OF = new Map(CONCEPTS.filter((c) => c.answer).map((c) => [c.id, c.answer!]));

/** Folds width and case so one pattern serves full-width digits and capitals too. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Concepts already read, by text (as a statement, as a question): one message asks them of its
 * question and of the same section lines many times over (ranking, the answer's lines, the topic
 * in play), and each read runs ~120 patterns. A pure function of the text, so nothing to
 * invalidate; least recently used out past the bound.
 */
const READ_CONCEPTS = [new Map<string, string[]>(), new Map<string, string[]>()];
const READ_CONCEPTS_MAX = 2048;

/** The concepts a text speaks of; a question's also those they imply ("torn" asks about returns). */
export function conceptsOf(text: string, asked = false): Set<string> {
  const read = READ_CONCEPTS[asked ? 1 : 0];
  let ids = read.get(text);
  if (ids) {
    read.delete(text);
  } else {
    ids = [...readConcepts(text, asked)];
    if (read.size >= READ_CONCEPTS_MAX) read.delete(read.keys().next().value!);
  }
  read.set(text, ids);
  // A set of its own each time: callers may add to it.
  return new Set(ids);
}

// A scope the customer sets aside ("forget the ebook, I'll get the paperback", 「電子版はやめて紙で」):
// not asked, and no longer in play.
const DISMISSED = /\b(?:forget|never ?mind|not|skip|instead of|rather than|no) (?:about )?(?:the |that |this |an? )?(?:e-?books?|digital(?: editions?| versions?| ones?)?|kindle(?: versions?)?)\b|(?:電子(?:書籍|版)?|デジタル(?:版)?)(?:は|の方は|のほうは)?(?:やめ|いいや|いいです|なし|じゃなくて|ではなく)/g;
const PRINT_CHOSEN = /\b(?:paperbacks?|physical(?: copy| copies| books?| volumes?)?|print(?:ed)? (?:copy|copies|books?|volumes?|editions?|versions?))\b|紙(?:の本|の方|のほう|で|版)|単行本(?:で|の方|のほう|にし)/;
/**
 * The scopes a question sets aside: the e-book once the customer dismisses it or picks print
 * instead, or asks about shipping (an e-book is never shipped: "and shipped to Canada?" after
 * 18+ e-books is about 18+ books abroad).
 */
export function setAside(text: string): Set<string> {
  const t = fold(text);
  DISMISSED.lastIndex = 0;
  const shipped = CONCEPTS.find((c) => c.id === 'shipping')!.pattern.test(t) && !CONCEPTS.find((c) => c.id === 'digital')!.pattern.test(t);
  return new Set(DISMISSED.test(t) || PRINT_CHOSEN.test(t) || shipped ? ['digital'] : []);
}

// Making an account as the condition of another question ("when would I be charged if I did make an
// account?", 「アカウントを作ったらポイントはもらえる？」): the question is the rest.
const ACCOUNT_IF = /\bif (?:i|we) (?:did |do |were to |was to |just |then )?(?:make|made|create|created|open|opened|register|registered|sign(?:ed)? up|join|joined)(?: (?:an?|the|for an?) (?:account|membership))?\b|(?:アカウント|会員登録)(?:を)?(?:作っ|作成し|登録し|し)?(?:たら|れば|すれば)|(?:登録|会員に(?:なっ|な))(?:したら|すれば|たら|れば)/g;

// A way of paying the customer leaves out ("what else can I use besides a credit card?", 「クレカ以外だと何使える？」,
// 「代引きじゃなくて何がある？」): not asked about — the question is the other ways, the page's list.
const METHOD_WORD = String.raw`(?:(?:a |an |my |the )?(?:credit|debit)(?: or (?:credit|debit))?(?: cards?)?|(?:a |an |my |the )?cards?|paypay|konbini(?: payment)?|(?:a |the )?convenience store(?: payment)?|(?:a |the )?bank transfer|cash on delivery|\bcod\b|cash|クレカ|クレジット(?:カード)?|デビット(?:カード)?|カード|paypay|ペイペイ|コンビニ(?:払い|決済)?|銀行振込|振込|振り込み|代引き?|代金引換)`;
const EXCEPTED_METHOD = new RegExp(String.raw`\b(?:other than|besides|beside|except(?: for)?|apart from|aside from|instead of|rather than|without(?: using)?|if not|not with|no|(?:don'?t|do not|dont) (?:have|own|use|want to use)(?: an?| any)?)\s+${METHOD_WORD}|${METHOD_WORD}\s*(?:以外|じゃなく(?:て)?|ではなく(?:て)?|じゃない|を除いて|(?:は|を)?(?:使え|持って(?:い)?)(?:ない|ません))`, 'g');

/** True when the question leaves a way of paying out ("besides a card", 「クレカ以外」). */
function exceptsMethod(folded: string): boolean {
  EXCEPTED_METHOD.lastIndex = 0;
  return EXCEPTED_METHOD.test(folded);
}

/** The ways of paying a question leaves out ("besides a credit card": card), as concepts. */
export function exceptedMethods(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of fold(text).matchAll(EXCEPTED_METHOD)) for (const c of conceptsOf(m[0])) if (METHODS.has(c)) out.add(c);
  return out;
}

// A campaign's end, or its absence ("after the campaign ends", "once the promo is over", "normally",
// 「キャンペーン終わったら」「キャンペーン期間外は」「通常は」): what is asked is the store's own rule.
const AFTER_CAMPAIGN = /\b(?:after|once|when|if) (?:the |this |that |your )?(?:(?:free[- ]shipping |shipping |points? |winter |christmas |holiday )?(?:campaigns?|promos?|promotions?|sales?|offers?|deals?|fairs?)|free shipping)(?: period)? (?:ends?|is over|'s over|finish(?:es)?|expires?|runs? out|stops?|(?:is |are )?(?:done|gone|finished|ended))\b|\b(?:campaigns?|promos?|promotions?|sales?|offers?) (?:is |are |has |have )?(?:over|ended|finished|done)\b|\bafter (?:christmas|xmas|dec(?:ember)?\.? 25(?:th)?|the 25th)\b|\b(?:without|outside(?: of)?|apart from|not counting) (?:the |any |a )?(?:campaigns?|promos?|promotions?|sales?|offers?)\b|\b(?:normally|usually|regular(?:ly)?|ordinarily|standard)\b|キャンペーン(?:が|は|って)?(?:終わ|終了|過ぎ|明け|ない|なかったら|なければ)|(?:キャンペーン|セール)(?:期間)?(?:外|後|以外|のあと|の後)|(?:終わっ|終了し|過ぎ)たら|クリスマス(?:が)?(?:過ぎ|後|以降|のあと)|通常|普段|いつもは|本来/g;

/** The customer's own purchase ("bought it", 「買った」), and something the store sent or that arrived. */
const BOUGHT = /\b(?:bought|ordered|purchased|clicked|picked|chose|selected)\b|買っ|購入し|注文し|ポチ|選ん/;
const SENT = /\b(?:sent|send|shipped|ship|received|receive|arrived|came|got|get|delivered|deliver(?:y|ed)?|in the (?:box|parcel|package))\b|届|送られ|送って|入って|配達|発送/;

// A correction in the same message ("konbini deadline? oh wait, I mean bank transfer", 「コンビニ払いの期限って
// 何日？あ、やっぱ銀行振込の方で」): what follows it takes the place of what it names the same kind of.
const CORRECTION = /(?:^|[、。,.!?！？\s])(?:あ[、,]?\s*)?(?:いや[、,]?\s*)?(?:やっぱ(?:り)?|じゃなくて|ではなくて)|\b(?:i meant|i mean|no wait|scratch that|oops|actually make (?:it|that))\b/;

function readConcepts(text: string, asked: boolean): Set<string> {
  const corrected = asked ? CORRECTION.exec(fold(text)) : null;
  if (corrected && corrected.index > 0) {
    const before = readConcepts(text.normalize('NFKC').slice(0, corrected.index), true);
    const after = readConcepts(text.normalize('NFKC').slice(corrected.index + corrected[0].length), true);
    if (swapOut(before, after).length > 0) return new Set([...before, ...after]);
  }
  const folded = fold(text);
  const excepted = asked && exceptsMethod(folded);
  const rest = asked ? folded.replace(DISMISSED, ' ').replace(ACCOUNT_IF, ' ').replace(EXCEPTED_METHOD, ' ').replace(AFTER_CAMPAIGN, ' ') : folded;
  // (Nothing else asked: the account is the question, "what if I make an account?".)
  const t = asked && (excepted || (rest.replace(/[\s\p{P}]/gu, '').length > 0 && CONCEPTS.some((c) => c.pattern.test(rest)))) ? rest : asked ? folded.replace(DISMISSED, ' ') : folded;
  const written = text.normalize('NFKC');
  const out = new Set<string>();
  for (const c of CONCEPTS) {
    if (!c.pattern.test(t) && !c.cased?.test(written)) continue;
    out.add(c.id);
    if (asked) for (const i of c.implies ?? []) out.add(i);
  }
  // The ways left besides the one set aside: the list of ways to pay.
  if (excepted) {
    out.add('methods');
    out.add('payment');
  }
  // A wrong volume the customer bought ("it was the wrong volume, bought it 2 hours ago", 「違う巻を
  // 買ったみたい」) is their own mistake, not a wrong item the store sent: nothing was delivered wrong.
  if (asked && out.has('wrong-item') && BOUGHT.test(t) && !SENT.test(t)) {
    out.delete('wrong-item');
    out.delete('remedy');
    if (!CONCEPTS.find((c) => c.id === 'returns')!.pattern.test(t)) out.delete('returns');
    out.add('change-mind');
  }
  // A refund that "shows up" or is "reflected" is the money back arriving, not points credited.
  if (out.has('refund') && !out.has('points')) out.delete('credited');
  // Tracking that stopped moving is not tracking that has shown nothing yet (24 hours after shipping).
  if (out.has('stalled')) out.delete('no-info');
  // ...and tracking that "shows up" is tracking information appearing ("how long should tracking take to show up?").
  if (asked && out.has('tracking') && out.has('credited') && !out.has('points')) {
    out.delete('credited');
    out.add('no-info');
  }
  return out;
}

// "Can I …?", 「…できますか」, 「…したいです」: may I? — a hint that who may do it is part of the answer.
const ABILITY = /\b(?:can|could|may) i\b|\bam i (?:able|allowed)\b|できますか|できる[？?]|したい(?:です|んですが|のですが)?|してもいい/;

/**
 * Concepts that limit what a section applies to: a section headed "Digital editions" answers a
 * question about digital editions, not the same question about print books.
 */
export const SCOPES = ['digital', 'preorder', 'international', 'age', 'prime', 'gift', 'guest'];
/** Scopes of who asks (a Prime member, a guest), not of what is bought: they do not displace the item in play. */
const TIERS = new Set(['prime', 'guest']);
// Who asks said as a condition ("if I were Prime", 「プライムなら」): not the subject ("Prime's billing", 「プライムの引き落とし」).
const TIER_IF = /\b(?:if|as|since) (?:i'?m |i am |i was |i were |i become |i'?d be |we'?re )?(?:an? )?(?:prime|guest)(?: members?)?\b|(?:プライム|ゲスト)(?:会員)?(?:なら|だったら|だと|でも|の場合)/;
/**
 * True when a question names a scope of its own: the item's (an e-book, a preorder, 18+, a gift), or
 * who asks when that is its subject. Abroad is where it goes, not what is bought: "and shipped to
 * Canada?" after 18+ titles asks about shipping those abroad ("18+ titles are not shipped internationally").
 */
function namesItemScope(concepts: Set<string>, text: string): boolean {
  const conditional = TIER_IF.test(fold(text));
  return SCOPES.some((c) => concepts.has(c) && c !== 'international' && !(TIERS.has(c) && conditional));
}

/** The answer shapes a question asks for (a price, a duration) and the sentence forms that give them. */
export function answerShapes(question: string): RegExp[] {
  const t = fold(question);
  // "When will I be charged?" asks for a moment (when the item ships), not a number of days.
  const moment = CONCEPTS.find((c) => c.id === 'billing-time')!.pattern.test(t);
  return CONCEPTS.filter((c) => c.answer && c.pattern.test(t) && !(moment && c.id === 'duration')).map((c) => c.answer!);
}

const STOPWORDS = new Set(
  'the and for you your can are was with how what when does have this that from will about there which where who why would could should much many any some get got want need mine please thanks order orders store manga take takes long'.split(' '),
);
// Kanji/katakana runs carry the content of a Japanese sentence; hiragana is mostly grammar.
const JA_CONTENT = /[\p{Script=Han}\p{Script=Katakana}ー]+/gu;

/** Stemmed English words and Japanese content bigrams: word overlap without a tokenizer. */
export function termsOf(text: string): Set<string> {
  const out = new Set<string>();
  const t = fold(text);
  for (const w of t.match(/[a-z0-9]{3,}/g) ?? []) {
    if (!STOPWORDS.has(w)) out.add(w.length > 4 ? w.replace(/(?:ing|ed|es|s)$/, '') : w);
  }
  for (const run of t.match(JA_CONTENT) ?? []) {
    if (run.length === 1) out.add(run);
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  }
  return out;
}

/** The page and heading of a section title ("Shipping — Domestic shipping fees"). */
export function sectionHeading(doc: IndexedDoc): { page: string; heading: string } {
  const at = doc.title.indexOf(' — ');
  return at < 0 ? { page: doc.title, heading: '' } : { page: doc.title.slice(0, at), heading: doc.title.slice(at + 3) };
}

/**
 * Splits a paragraph into sentences: a Japanese stop ends one, an English stop only before
 * whitespace and not after a lone capital ("Monkey D. Luffy"); never inside brackets
 * (「(季節ごとに変わります。冬は雪の結晶柄です)」 stays in its sentence).
 */
function splitParagraph(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '（' || ch === '「') depth++;
    else if ((ch === ')' || ch === '）' || ch === '」') && depth > 0) depth--;
    else if (depth === 0 && (ch === '。' || ch === '！' || ch === '？')) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    } else if (depth === 0 && (ch === '.' || ch === '!' || ch === '?') && /\s/.test(text[i + 1] ?? '') && !/(?:^|\s)[A-Z]$/.test(text.slice(Math.max(0, i - 2), i))) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** One sentence of a section (a list item stays whole), and whether it is an item of a list (a bullet or a numbered step). */
export interface SectionLine {
  text: string;
  item: boolean;
  /** A numbered step ("1. Open /orders"): steps are followed together or not at all. */
  step?: boolean;
}

/** A section's text as plain sentences in reading order, list markers dropped but remembered. */
export function sectionLines(text: string): SectionLine[] {
  const out: SectionLine[] = [];
  for (const line of text.split(/\n+/)) {
    const item = /^\s*(?:[-*•・]|\d+\.)\s+/.test(line);
    const step = /^\s*\d+\.\s+/.test(line);
    const plain = line.replace(/^\s*(?:[-*•・]|\d+\.)\s+/, '').replace(/\*\*(.+?)\*\*/g, '$1');
    if (item) {
      const t = plain.replace(/\s+/g, ' ').trim();
      if (t) out.push(step ? { text: t, item, step } : { text: t, item });
      continue;
    }
    for (const t of splitParagraph(plain)) out.push({ text: t, item });
  }
  return out;
}

/** A section's text as plain sentences, in reading order. */
export function sectionSentences(text: string): string[] {
  return sectionLines(text).map((l) => l.text);
}

interface Prepared {
  doc: IndexedDoc;
  /** The page's first `##` section, or the text before it. */
  first: boolean;
  intro: boolean;
  /** Each sentence's concepts: one sentence that covers the whole question beats scattered mentions. */
  sentences: { text: string; concepts: Set<string>; scopes?: string[] }[];
  headingConcepts: Set<string>;
  bodyConcepts: Set<string>;
  pageConcepts: Set<string>;
  headingTerms: Set<string>;
  bodyTerms: Set<string>;
  /** The section's text folded (see `fold`), worked out on first use. */
  folded?: string;
}

/** A section's folded text: asked of every section for every question with an answer shape. */
function foldedText(s: Prepared): string {
  return (s.folded ??= fold(s.doc.text));
}

/** What a question is asked with: its text, language, and the conversation's earlier questions. */
export interface SectionQuery {
  text: string;
  language: 'en' | 'ja';
  /** Earlier questions of the conversation, most recent first: they break ties, never decide. */
  context?: string[];
  /** Sections retrieval found for the question, best first: a small nudge, for words no concept knows. */
  retrieved?: ScoredDoc[];
}

/** Ranks the sections of the knowledge base for one question. */
export interface PolicySections {
  /** Sections of the question's language (the other language when it has none), best first; empty when nothing matches. */
  rank(q: SectionQuery, limit?: number): ScoredDoc[];
}

// How much each kind of evidence counts. A concept in the heading says what the section is
// for; in the body it says the section mentions it; the page title places it. A heading concept
// the question does not share says the section is about something else. Shared words count
// less than concepts (they also match incidental wording) and are capped per question.
const W = {
  heading: 1,
  /** A heading concept its page title already names. */
  pageHeading: 0.6,
  body: 0.55,
  page: 0.5,
  headingMiss: 0.2,
  /** A concept the question only hints at, in a heading. */
  hinted: 0.3,
  headingTerm: 0.35,
  bodyTerm: 0.2,
  termCap: 1.2,
  shape: 0.5,
  /** The best single sentence's share of the question's concepts. */
  sentence: 0.5,
  /** A scope the question names ("for a preorder") that the section never mentions. */
  scopeMissing: 0.65,
  /** A section of the page about a scope the question names. */
  scopePage: 0.5,
  /** Each topic of the question (not a place, a form or a scope) that the section never mentions. */
  uncovered: 0.85,
  /** A question that asks only for a form (how long, how much) about a place or scope, and a section without that form anywhere. */
  formless: 0.5,
  /** The first section of a page: the page's main answer, for questions that name no detail. */
  first: 0.3,
  /** The text before a page's first heading: a summary, rarely the detail asked for. */
  intro: 0.9,
  /** A page's opening that introduces the list its sections are, for a question asking for that list. */
  listLead: 0.6,
  /** Out of scope: the section is headed (or its page titled) by a scope the conversation never named. */
  outOfScope: 0.55,
  pageOutOfScope: 0.7,
  contextScope: 0.85,
  /** A section about the scope the conversation is on with a sentence about what the question asks (half for a sentence that mentions the scope). */
  scopeInPlay: 1.5,
  context: 0.3,
  contextCap: 1,
  /** "and what about the US?", 「プライム会員だと？」: the question leans on the one before. */
  ellipticalContext: 0.7,
  /** An elliptical follow-up stays near the answer before it: that section, else its page. */
  staySection: 1,
  stayPage: 0.4,
  retrieved: 0.25,
} as const;

// A follow-up that only makes sense with the question before it.
// (After an acknowledgement too: "ok and after christmas?", "cool, what about Okinawa?")
export const ELLIPTICAL = /^(?:(?:ok(?:ay)?|cool|great|nice|alright|all right|right|got it|i see|thanks|thank you|hmm+|oh|ah|so)[,.!]*\s+)?(?:and|also|what about|how about|what if|then)\b|\b(?:for|with|on|about|of) (?:it|that|this|them|those)\b|^(?:と|で|じゃあ|では)|だと|の場合(?:は)?[？?]?$|なら[？?]?$|だったら|は[？?]$|^(?:それ|これ|その|そちら)|(?:こういう|こんな|この|その|そういう|そんな)場合|\bin (?:that|this|such a|which) case\b/i;

/**
 * Concepts that place or shape a question rather than say what it is about: a region, "when",
 * "how do I", "can I", "free". A section that shares only these with a question does not answer
 * it by themselves ("a physical shop in Tokyo?" is not a delivery-time question).
 */
const MODIFIERS = new Set([
  'print', 'timing', 'procedure', 'advice', 'eligibility', 'steps', 'delivery', 'anytime', 'free', 'status', 'payment', 'membership', 'account', 'contact', 'guest', 'human',
  'hokkaido', 'okinawa', 'zone-west', 'zone-asia', 'zone-other', 'region-kanto', 'region-chubu', 'region-kansai', 'region-tohoku', 'region-chugoku', 'region-shikoku', 'region-kyushu',
]);
/** The forms a figure is asked in (how much, how long, by when, up to what), not a topic of their own. */
const FIGURES = new Set(['price', 'duration', 'deadline', 'cutoff', 'limit', 'advance']);
/** Heading concepts a question of how long names by another of its concepts: a delivery takes as long as the shipment, after shipping. */
const IMPLIED_HEADING = new Map([['shipping', ['delivery']], ['after-ship', ['delivery']]]);
/** A page's opening that introduces what its sections list ("accepts the following payment methods"). */
const LIST_LEAD = /the following|次の|以下の/;
/** What a section needs to count as answering without a topic in common (see `answers`). */
const CONFIDENT = { wordsWithModifier: 0.5, words: 1, share: 0.6 } as const;

/** Prepares the knowledge-base sections once; ranking a question then reads only memory. */
export function createPolicySections(docs: IndexedDoc[]): PolicySections & { explain(q: SectionQuery, id: string): string } {
  const prepared = new Map<string, Prepared[]>();
  const seenPages = new Set<string>();
  for (const doc of docs) {
    if (doc.kind !== 'kb') continue;
    const { page, heading } = sectionHeading(doc);
    const headingConcepts = conceptsOf(heading);
    const p: Prepared = {
      doc,
      first: heading !== '' && !seenPages.has(`${doc.language}/${doc.ref}`),
      intro: heading === '',
      headingConcepts,
      bodyConcepts: conceptsOf(doc.text),
      pageConcepts: conceptsOf(page),
      headingTerms: termsOf(heading),
      bodyTerms: termsOf(doc.text),
      // A sentence is read under its heading: "within 7 days" under "Bank transfer" is about bank transfers.
      sentences: sectionSentences(doc.text).map((text) => ({ text: fold(text), concepts: new Set([...conceptsOf(text), ...headingConcepts]) })),
    };
    if (heading !== '') seenPages.add(`${doc.language}/${doc.ref}`);
    const lang = doc.language === 'ja' ? 'ja' : 'en';
    const list = prepared.get(lang);
    if (list) list.push(p);
    else prepared.set(lang, [p]);
  }
  // Rarity per language: a concept every section mentions ("shipping") tells little.
  const idf = new Map<string, Map<string, number>>();
  for (const [lang, sections] of prepared) {
    const df = new Map<string, number>();
    for (const s of sections) {
      for (const c of new Set([...s.headingConcepts, ...s.bodyConcepts])) df.set(`c:${c}`, (df.get(`c:${c}`) ?? 0) + 1);
      for (const t of new Set([...s.headingTerms, ...s.bodyTerms])) df.set(`t:${t}`, (df.get(`t:${t}`) ?? 0) + 1);
    }
    const n = sections.length;
    const weightOf = (key: string) => (key.startsWith('c:') ? (CONCEPT_WEIGHT.get(key.slice(2)) ?? 1) : 1);
    idf.set(lang, new Map([...df].map(([k, d]) => [k, weightOf(k) * Math.log(1 + n / d)])));
  }

  interface Asked {
    concepts: Set<string>;
    /** Concepts the question hints at without saying ("can I preorder?" hints at who may). */
    hinted: Set<string>;
    /** An elliptical follow-up's topic, carried from the question before: no heading about it is about something else. */
    carried?: Set<string>;
    /** It asks how long and about nothing but where or how it is put ("how long does delivery take?", not "when will I get the refund?"). */
    onlyHowLong?: boolean;
    terms: Set<string>;
    shapes: RegExp[];
    /** Each of `concepts`' and `terms`' weight, in their order, under the weights `by` (worked out once per ranking, not per section and sentence). */
    weighted?: { by: Map<string, number>; concepts: number[]; terms: number[] };
  }
  const weightsOf = (q: Asked, weights: Map<string, number>): { concepts: number[]; terms: number[] } => {
    if (q.weighted?.by !== weights) {
      q.weighted = { by: weights, concepts: [...q.concepts].map((c) => weights.get(`c:${c}`) ?? 0), terms: [...q.terms].map((t) => weights.get(`t:${t}`) ?? 0) };
    }
    return q.weighted;
  };
  const asked = (text: string, shapes = true): Asked => {
    const concepts = conceptsOf(text, true);
    const hinted = new Set<string>();
    if (ABILITY.test(fold(text)) && !concepts.has('eligibility')) hinted.add('eligibility');
    const onlyHowLong = concepts.has('duration') && [...concepts].every((c) => MODIFIERS.has(c) || ANSWER_OF.has(c) || PLACES.has(c) || c === 'shipping');
    return { concepts, hinted, onlyHowLong, terms: termsOf(text), shapes: shapes ? answerShapes(text) : [] };
  };

  /** How well section `s` answers `q`; `named` are the scopes the conversation has named so far. */
  function score(s: Prepared, q: Asked, weights: Map<string, number>, named: Set<string>, notes?: string[]): number {
    let total = 0;
    const { concepts: cw, terms: tw } = weightsOf(q, weights);
    let k = 0;
    for (const c of q.concepts) {
      const w = cw[k++];
      // A heading that repeats its page's subject ("Before you contact us" on the contact page)
      // says no more about it than any other section of that page.
      const place = s.headingConcepts.has(c) ? (s.pageConcepts.has(c) ? W.pageHeading : W.heading) : s.bodyConcepts.has(c) ? W.body : 0;
      const part = place * w + (s.pageConcepts.has(c) ? W.page * w : 0);
      if (part && notes) notes.push(`${c}+${part.toFixed(2)}`);
      total += part;
    }
    for (const c of q.hinted) {
      const w = weights.get(`c:${c}`) ?? 0;
      if (s.headingConcepts.has(c)) total += W.hinted * w;
    }
    // A heading about something else counts against a section only for a question that says what it is about.
    for (const c of q.concepts.size > 0 ? s.headingConcepts : []) {
      if (q.concepts.has(c) || q.hinted.has(c) || q.carried?.has(c) || s.pageConcepts.has(c)) continue;
      // (Not a heading the question names in other words: how long a delivery takes is how long the
      // shipment takes once shipped, so "how long does delivery take?" is not about something else than
      // "Standard domestic delivery (after shipping)". Only for how long: a delivery's fee or refusal is its own thing.)
      if (q.onlyHowLong && IMPLIED_HEADING.get(c)?.some((x) => q.concepts.has(x) || q.carried?.has(x))) continue;
      total -= W.headingMiss * (weights.get(`c:${c}`) ?? 0);
      notes?.push(`!${c}`);
    }
    let words = 0;
    k = 0;
    for (const t of q.terms) {
      const w = tw[k++];
      if (s.headingTerms.has(t)) words += W.headingTerm * w;
      else if (s.bodyTerms.has(t)) words += W.bodyTerm * w;
    }
    total += Math.min(words, W.termCap);
    notes?.push(`words+${Math.min(words, W.termCap).toFixed(2)}`);
    let best = 0;
    for (const sentence of s.sentences) {
      let covered = 0;
      k = 0;
      for (const c of q.concepts) {
        if (sentence.concepts.has(c)) covered += cw[k];
        k++;
      }
      if (q.shapes.length > 0 && q.shapes.some((re) => re.test(sentence.text))) covered += 1;
      // "Digital editions can be paid by card …" does not answer "can I pay by card?".
      const scopes = (sentence.scopes ??= SCOPES.filter((c) => sentence.concepts.has(c)));
      if (scopes.length > 0 && !scopes.some((c) => named.has(c))) covered *= 0.5;
      best = Math.max(best, covered);
    }
    total += W.sentence * best;
    notes?.push(`sentence+${(W.sentence * best).toFixed(2)}`);
    if (q.shapes.length > 0 && q.shapes.some((re) => re.test(foldedText(s)))) {
      total += W.shape;
      notes?.push('shape');
    }
    return total;
  }

  function rankAll(q: SectionQuery, explainId?: string): { ranked: ScoredDoc[]; notes: string[]; inPlay?: ScoredDoc } {
    const lang = prepared.has(q.language) ? q.language : q.language === 'ja' ? 'en' : 'ja';
    const sections = prepared.get(lang) ?? [];
    const weights = idf.get(lang) ?? new Map();
    const elliptical = leansOnContext(q.text, q.context);
    // An elliptical follow-up is the question before it, changed ("how much is shipping?" + "and
    // to the US?"): the question before counts more, and its answer is where the next one starts.
    const question = asked(q.text);
    const earlier = (q.context ?? []).slice(0, 2).map((text) => asked(text, false));
    // "And by bank transfer?" after the konbini deadline: the question before, with bank transfer in konbini's place.
    const swappedIn = elliptical && earlier[0] ? swapOut(earlier[0].concepts, question.concepts) : [];
    // A follow-up that asks another form of the same thing ("how long does it take?" after "how much
    // is shipping?", 「上限は？」 after the fee): the thing carries over, the form asked before does not.
    // (Only the forms of a figure: a phone number or opening hours asked before are what is talked about.)
    const forms = [...question.concepts].filter((c) => FIGURES.has(c));
    if (elliptical && forms.length > 0 && earlier[0]) for (const c of [...earlier[0].concepts]) if (FIGURES.has(c) && !question.concepts.has(c)) earlier[0].concepts.delete(c);
    // ...and what it is about is the thing asked before: a heading about that is not about something
    // else (though sharing it alone does not make a section an answer to the new question).
    if (elliptical && earlier[0]) for (const c of earlier[0].concepts) if (!FIGURES.has(c) && !question.concepts.has(c)) (question.carried ??= new Set()).add(c);
    const contextWeight = elliptical ? W.ellipticalContext : W.context;
    // Scopes the conversation has named: a section scoped to one of these is in scope.
    const named = new Set([...question.concepts, ...earlier.flatMap((e) => [...e.concepts])]);
    // The topic in play: a question that names no scope of its own ("can I pay cash on delivery?")
    // during a conversation about one (a preorder) asks about it there, when a sentence says so
    // ("Cash on delivery is not available for preorders").
    const topical = [...question.concepts].filter((c) => !MODIFIERS.has(c) && !SCOPES.includes(c));
    const aside = setAside(q.text);
    // (「プライムなら発売日に届きますか？」 about a preorder: who asks does not change what is bought.)
    const inPlay = namesItemScope(question.concepts, q.text) || topical.length === 0 ? [] : SCOPES.filter((c) => !aside.has(c) && !question.concepts.has(c) && earlier.some((e) => e.concepts.has(c)));
    // ...and it is asked of that item: who asks is the customer's tier, not the page to answer from.
    if (inPlay.length > 0 && [...TIERS].some((c) => question.concepts.has(c))) for (const c of [...TIERS, 'membership']) question.concepts.delete(c);
    const retrievedRank = new Map<string, number>();
    (q.retrieved ?? []).forEach((h, i) => {
      if (!retrievedRank.has(h.doc.id)) retrievedRank.set(h.doc.id, i);
    });
    const before = elliptical ? rankAll({ text: q.context![0], language: q.language, context: q.context!.slice(1) }).ranked[0]?.doc : undefined;
    // (A form the answer before does not give — "what about shipping time?" after the rates table —
    // is asked of its page, not of that section again.)
    const beforeSection = before && sections.find((p) => p.doc.id === before.id);
    const beforeLacksForm = !!beforeSection && forms.some((c) => !ANSWER_OF.get(c)!.test(foldedText(beforeSection)));
    // (A figure asked for alone counts as covered by a sentence that gives it: "how long does it take?" after shipping abroad
    // is the international delivery section's "EMS: 3 to 7 business days", though no word of it says "how long".)
    // (...or any question naming no place of its own while shipping abroad is in play: "how many days till it arrives?" after Germany.)
    const abroadInPlay = inPlay.includes('international') && ![...question.concepts].some((c) => PLACES.has(c));
    const answersInPlay = (x: { text: string; concepts: Set<string> }) => covers(x, topical) || ((elliptical || abroadInPlay) && topical.every((t) => x.concepts.has(t) || ANSWER_OF.get(t)?.test(fold(x.text))));
    const notes: string[] = [];
    const ranked: ScoredDoc[] = [];
    const inPlaySections: ScoredDoc[] = [];
    for (const s of sections) {
      const mine = s.doc.id === explainId ? notes : undefined;
      const own = score(s, question, weights, named, mine);
      // A section that shares nothing with the question itself is no answer to it, whatever the context.
      if (own <= 0) continue;
      let total = own;
      let carried = 0;
      earlier.forEach((e, i) => {
        carried += (contextWeight / (i + 1)) * Math.max(0, score(s, e, weights, named));
      });
      // A question that stands on its own is not pulled to the last topic: the earlier ones only break ties.
      total += elliptical ? carried : Math.min(carried, W.contextCap);
      // (Something swapped in: the section of that page about it — the bank transfer section after the
      // konbini one; the same table when it has a row for it — else the page.)
      const stays = swappedIn.length === 0 ? s.doc.id === before?.id : swappedIn.some((c) => s.headingConcepts.has(c) || (s.doc.id === before?.id && s.bodyConcepts.has(c)));
      if (before) total += s.doc.ref === before.ref ? (stays && !beforeLacksForm ? W.staySection : W.stayPage) : 0;
      const r = retrievedRank.get(s.doc.id);
      if (r !== undefined) total += W.retrieved / (1 + r);
      // What the question is about and the section never mentions ("refund" for the Prime prices).
      // A concept asked as a form (a price, a number of days) is covered by a sentence in that form.
      const missing = topical.filter((c) => !s.headingConcepts.has(c) && !s.bodyConcepts.has(c) && !s.pageConcepts.has(c) && !ANSWER_OF.get(c)?.test(foldedText(s))).length;
      // (Not while a scope is in play: "Cards are the only method for international orders" answers "bank transfer?".)
      if (missing > 0 && inPlay.length === 0) {
        total *= W.uncovered ** missing;
        mine?.push(`uncovered ${missing}`);
        // "How long does EMS take to Germany?" asks for days: the rates table names Germany's zone
        // but gives no number of days, so it cannot be the answer whatever else it shares.
        if (missing === topical.length && topical.every((c) => ANSWER_OF.has(c))) {
          total *= W.formless;
          mine?.push('formless');
        }
      }
      if (s.first) total += W.first;
      // ...unless it is the list's lead-in and the question asks for the list ("how can I pay?"):
      // then it is the answer, as a page's first section is for a question that names no detail.
      // Not for a list the question's scope is not on ("how can I pay from abroad?": the domestic list).
      // (Who asks, while an item's scope is in play, is no scope the section must speak of: a Prime
      // member's preorder arrives on release day as anyone's does.)
      const scopeMissing = SCOPES.some((c) => question.concepts.has(c) && !(TIERS.has(c) && inPlay.length > 0) && !s.headingConcepts.has(c) && !s.bodyConcepts.has(c) && !s.pageConcepts.has(c));
      if (s.intro && !scopeMissing && question.concepts.has('methods') && LIST_LEAD.test(s.doc.text)) total += W.listLead;
      else if (s.intro) total *= W.intro;
      if (scopeMissing) {
        total *= W.scopeMissing;
        mine?.push('scope missing');
      }
      // The page about a scope the question names (the 18+ page for "is adult manga packed discreetly?").
      // (Not the page of who asks when the question is about an item's scope: the preorder page, not Prime's, for a Prime member's preorder.)
      const itemScoped = inPlay.length > 0 || SCOPES.some((c) => question.concepts.has(c) && !TIERS.has(c));
      if (SCOPES.some((c) => question.concepts.has(c) && !(TIERS.has(c) && itemScoped) && s.pageConcepts.has(c))) {
        total += W.scopePage;
        mine?.push('scope page');
      }
      // Scopes judge a question that says what it is about; one that only shares words ("a blurred
      // cover?") is answered where the words are.
      // A section about the scope in play (the preorder page) counts more than a sentence that mentions it.
      const speaksInPlay = inPlay.length === 0 ? 0 : s.sentences.some((x) => answersInPlay(x) && inPlay.some((c) => s.pageConcepts.has(c) || s.headingConcepts.has(c))) ? W.scopeInPlay : s.sentences.some((x) => answersInPlay(x) && inPlay.some((c) => x.concepts.has(c))) ? W.scopeInPlay / 2 : 0;
      if (question.concepts.size > 0 && SCOPES.some((c) => s.headingConcepts.has(c) && !named.has(c))) {
        total *= W.outOfScope;
        mine?.push('out of scope');
      } else if (question.concepts.size > 0 && SCOPES.some((c) => s.pageConcepts.has(c) && !named.has(c))) {
        total *= W.pageOutOfScope;
        mine?.push('page out of scope');
      } else if (speaksInPlay > 0) {
        total += speaksInPlay;
        inPlaySections.push({ doc: s.doc, score: total });
        mine?.push('topic in play');
      } else if (!elliptical && question.concepts.size > 0 && SCOPES.some((c) => (s.headingConcepts.has(c) || s.pageConcepts.has(c)) && !question.concepts.has(c))) {
        // A scope only an earlier question named ("the ebook?" two questions ago) keeps a scoped
        // section in the running, not level with one the question itself is about.
        total *= W.contextScope;
        mine?.push('scope from context');
      }
      ranked.push({ doc: s.doc, score: total });
    }
    return { ranked: ranked.sort((a, b) => b.score - a.score), notes, inPlay: inPlaySections.sort((a, b) => b.score - a.score)[0] };
  }

  /**
   * Whether section `doc` clearly answers `q`: it speaks of a topic the question asks about
   * (not only a place or the form of the question), or, for a question no topic of the store's
   * knows, its words are most of the question's. "Do you have a physical shop in Tokyo?" shares
   * only Tokyo with the delivery table: no answer, rather than an unrelated one.
   */
  function answers(q: SectionQuery, doc: IndexedDoc): boolean {
    const lang = prepared.has(q.language) ? q.language : q.language === 'ja' ? 'en' : 'ja';
    const s = prepared.get(lang)?.find((p) => p.doc.id === doc.id);
    if (!s) return true;
    // A follow-up that leans on the question before it ("and to Okinawa?") is that question, changed.
    if (leansOnContext(q.text, q.context)) return true;
    const weights = idf.get(lang) ?? new Map<string, number>();
    const has = (c: string) => s.headingConcepts.has(c) || s.bodyConcepts.has(c) || s.pageConcepts.has(c);
    const concepts = [...conceptsOf(q.text, true)];
    if (concepts.some((c) => !MODIFIERS.has(c) && has(c))) return true;
    // A way to pay the store does not list ("do you take PayPal?", 「メルペイ使える？」): the payment page
    // answers it with the ways it does accept, though it never names that one.
    if (concepts.includes('other-wallet') && s.pageConcepts.has('payment')) return true;
    // A figure asked for (how many days, how much) that the section gives in that form places it as a
    // modifier does: "how many days to Sapporo?" is the delivery table's Hokkaido row and its days.
    const formed = concepts.filter((c) => !MODIFIERS.has(c) && ANSWER_OF.get(c)?.test(foldedText(s))).length;
    const modifiers = concepts.filter((c) => MODIFIERS.has(c) && has(c)).length + formed;
    const terms = [...termsOf(q.text)];
    let words = 0;
    let shared = 0;
    for (const t of terms) {
      const w = weights.get(`t:${t}`) ?? 0;
      if (s.headingTerms.has(t)) words += W.headingTerm * w;
      else if (s.bodyTerms.has(t)) words += W.bodyTerm * w;
      else continue;
      shared++;
    }
    words = Math.min(words, W.termCap);
    return modifiers >= 2 || (modifiers >= 1 && words >= CONFIDENT.wordsWithModifier) || (words >= CONFIDENT.words && shared >= CONFIDENT.share * terms.length);
  }

  return {
    rank(q, limit = 5) {
      const { ranked, inPlay } = rankAll(q);
      // No section clearly answers: nothing, so the answer says so instead of quoting one that does not.
      if (ranked[0] && !answers(q, ranked[0].doc)) return [];
      const top = ranked.slice(0, limit);
      // The section that says how the topic in play changes the answer goes with it, ranked or not.
      if (inPlay && !top.some((r) => r.doc.id === inPlay.doc.id)) top.push(inPlay);
      // A payment method the store does not list, or the list asked for ("how can I pay?"): every
      // section of the page, so the answer can say which methods it does accept.
      if (top[0] && (conceptsOf(q.text).has('other-wallet') || leadsList(top[0].doc, q.text))) {
        const page = top[0].doc;
        for (const p of prepared.get(page.language === 'ja' ? 'ja' : 'en') ?? []) {
          if (p.doc.ref === page.ref && !top.some((r) => r.doc.id === p.doc.id)) top.push({ doc: p.doc, score: 0 });
        }
      }
      // Paying with points ("do points work on digital?", 「ポイントで払える？」): the payment page's
      // points section — what a point is worth at checkout — goes with whichever section answers
      // the rest (digital editions' payment), ranked or not.
      if (top[0] && asksPayWithPoints(q.text)) {
        const lang = top[0].doc.language === 'ja' ? 'ja' : 'en';
        const points = (prepared.get(lang) ?? []).find((p) => p.pageConcepts.has('payment') && p.headingConcepts.has('points'));
        if (points && !top.some((r) => r.doc.id === points.doc.id)) top.push(ranked.find((r) => r.doc.id === points.doc.id) ?? { doc: points.doc, score: 0 });
      }
      // A fault reported (a torn cover): how to start the return goes with what the store does,
      // even when its section ranks lower.
      if (top[0] && reportsFault(q.text) && !top.some((r) => r.doc.ref === top[0].doc.ref && hasSteps(r.doc))) {
        const steps = ranked.find((r) => r.doc.ref === top[0].doc.ref && r.doc.language === top[0].doc.language && hasSteps(r.doc));
        if (steps) top.push(steps);
      }
      return top;
    },
    /** Why section `id` scored what it did (tuning aid). */
    explain(q, id) {
      const { ranked, notes } = rankAll(q, id);
      const at = ranked.findIndex((r) => r.doc.id === id);
      return `#${at + 1} ${at >= 0 ? ranked[at].score.toFixed(2) : '-'}: ${notes.join(' ')}`;
    },
  };
}

/** The sentences of a section that answer a question, and the ones that add to them. */
export interface SectionAnswer {
  /** One or two sentences that give what was asked (a lead-in line carries its list with it). */
  answer: SectionLine[];
  /** Other sentences of the section on the same subject, in reading order. */
  detail: SectionLine[];
  /** Some sentence answered the question itself (else `answer` is the section's opening). */
  matched: boolean;
}

const MAX_ANSWER = 2;
/**
 * What the asker's own tier weighs in picking sentences: a Prime member's rule is their answer
 * ("Prime members ship free"); a guest's is said too, next to what signing up would give.
 */
const TIER_WEIGHT: Record<string, number> = { prime: 2, guest: 0.75 };
/** Concepts asked by the form of their answer (a price, a duration, a deadline …). */
const SHAPED = new Set(CONCEPTS.filter((c) => c.answer).map((c) => c.id));
/** A yen amount in a question ("¥1,200", "1,200円分", "1200 yen"), if any. */
export function amountIn(text: string): number | undefined {
  const m = /[¥￥]\s?(\d[\d,]*)|(\d[\d,]*)\s?(?:円|yen\b)/i.exec(text.normalize('NFKC'));
  const n = m ? Number((m[1] ?? m[2]).replace(/,/g, '')) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

// A span of time as written ("3 days", 「3日」, "two weeks", 「24時間」), in either language.
const SPAN = /(\d+|one|two|three|four|five|six|seven|ten|thirty)\s*(?:(?:business |working )?(days?)|(hours?)|(weeks?)|(months?)|(?:営業)?(日)(?!本|曜|付|発売|(?:に|の)(?:発売|発送))|(時間)|(週間)|(か月|ヶ月|カ月))/gi;
const SPELLED: Record<string, string> = { one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', ten: '10', thirty: '30' };
/** The spans of time a text names, as "3d", "24h", "2w", "1m" (the same in both languages). */
export function spansIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.normalize('NFKC').matchAll(SPAN)) {
    const n = SPELLED[m[1].toLowerCase()] ?? m[1];
    const unit = m[2] || m[6] ? 'd' : m[3] || m[7] ? 'h' : m[4] || m[8] ? 'w' : 'm';
    out.add(`${n}${unit}`);
  }
  return out;
}

/**
 * Whether `amount` meets the yen threshold a sentence states ("¥2,000 or more", "under ¥2,000",
 * 「2,000円以上」「2,000円未満」, "up to ¥50,000"); undefined when it states none.
 */
export function thresholdMet(sentence: string, amount: number): boolean | undefined {
  const t = sentence.normalize('NFKC');
  const yen = (s: string) => Number(s.replace(/,/g, ''));
  let m = /[¥￥]\s?(\d[\d,]*) or more|(?:over|above|more than|at least) [¥￥]\s?(\d[\d,]*)|(\d[\d,]*)\s?円以上/i.exec(t);
  if (m) return amount >= yen(m[1] ?? m[2] ?? m[3]);
  m = /(?:under|less than|below) [¥￥]\s?(\d[\d,]*)|(\d[\d,]*)\s?円未満/i.exec(t);
  if (m) return amount < yen(m[1] ?? m[2]);
  m = /up to [¥￥]\s?(\d[\d,]*)|(\d[\d,]*)\s?円まで/i.exec(t);
  if (m) return amount <= yen(m[1] ?? m[2]);
  return undefined;
}

/** The runner-up sentence joins the answer when it scores at least this share of the best. */
const SECOND_SHARE = 0.7;
const MAX_DETAIL = 2;
const MAX_LIST_ITEMS = 4;

/** The customer's earlier questions in a conversation, most recent first (what "and to the US?" continues). */
export function earlierQuestions(history: { role: string; text: string }[]): string[] {
  const earlier = history.filter((m) => m.role === 'user').map((m) => m.text).reverse().slice(0, 2);
  // The last answer showed a volume up for preorder ("Chainsaw Man 22 release date?"): the
  // preorder is in play though the customer never said the word, so "can I pay cash on delivery
  // for it?" or 「プライムなら発売日に届きますか？」 next is asked of a preorder.
  const last = history.at(-1);
  if (earlier[0] && last?.role === 'assistant' && PREORDER_SHOWN.test(last.text) && !conceptsOf(earlier[0], true).has('preorder')) earlier[0] = `${earlier[0]} (preorder)`;
  // A scope set a few questions back and not left since (e-books, then "can I buy from abroad?",
  // "can I pay at a konbini?", then "I bought the wrong volume by mistake…"): still the one in play.
  // (Where the customer is, abroad, is a place the questions are asked from, not another subject.)
  const scoped = (t: string) => SCOPES.some((c) => c !== 'international' && conceptsOf(t, true).has(c));
  if (earlier.length === 2 && !earlier.some(scoped)) {
    const set = history.filter((m) => m.role === 'user').map((m) => m.text).reverse().slice(2, SCOPE_LOOKBACK).find(scoped);
    const scopes = set ? SCOPES.filter((c) => c !== 'international' && conceptsOf(set, true).has(c)) : [];
    if (scopes.length > 0) earlier[1] = `${earlier[1]} (${scopes.map((c) => SCOPE_WORD[c]).join(', ')})`;
  }
  return earlier;
}
/** How many of the customer's questions back a scope set earlier still counts. */
const SCOPE_LOOKBACK = 4;
/** Each scope as a word that reads as it (a marker added to an earlier question). */
const SCOPE_WORD: Record<string, string> = { digital: 'digital', preorder: 'preorder', international: 'overseas', age: '18+', prime: 'prime', gift: 'gift', guest: 'guest' };
/** How an answer shows a volume that is up for preorder (messages.ts: volume lines and the next volume). */
const PREORDER_SHOWN = /available for preorder|up for preorder|予約受付中|ご予約を承って/;

/** True when an answer showed a volume that is up for preorder. */
export function showsPreorder(answer: string): boolean {
  return PREORDER_SHOWN.test(answer);
}

// What an order question may also ask of the store's policy ("can I still cancel it?"), and what
// each order status adds to that question (a processing order is cancelled before it ships).
const ORDER_POLICY_ASKS = ['cancel', 'returns', 'refund', 'damaged', 'wrong-item', 'refuse', 'lost', 'change-mind', 'billing-time', 'no-info', 'stalled', 'points'];
/** What an order question asks about the order itself (where it is, its status): no store topic. */
const ORDER_ITSELF = new Set(['tracking', 'history', 'where', 'estimate', 'duration']);
const STATUS_HINTS: Record<string, string> = {
  pending_payment: 'payment deadline unpaid 支払期限 未払',
  processing: 'before it ships processing 発送前 処理中',
  shipped: 'already shipped 発送済み',
  out_for_delivery: 'already shipped 発送済み',
  delivered: 'delivered 配達完了',
  cancelled: 'cancelled キャンセル',
  returned: 'returned refund 返品 返金',
};

/**
 * The policy question inside an order question, read for that order's status ("can I still
 * cancel the Given order?" about a processing order asks about cancelling before shipping; no
 * status: a guest's, as asked), or undefined when it asks none (a payment worry counts only
 * while payment is awaited).
 */
export function orderPolicyQuestion(text: string, status?: string): string | undefined {
  const asked = conceptsOf(text, true);
  // A guest's question (no order to read it against: "will my preorder arrive on release day?",
  // "if I order now, does it ship today?") asks whatever store topic it names besides the order itself.
  const guestAsks = status === undefined && [...asked].some((c) => !MODIFIERS.has(c) && !ORDER_ITSELF.has(c));
  const asks = guestAsks || ORDER_POLICY_ASKS.some((c) => asked.has(c)) || (status === 'pending_payment' && asked.has('payment')) || checksTracking(text, asked, status);
  // Cancelling an order that awaits payment is cancelling it before it ships (free), not the
  // automatic cancellation of an unpaid one.
  const hint = status === 'pending_payment' && asked.has('cancel') && !asked.has('automatic') ? 'before it ships pending payment 発送前 入金待ち' : STATUS_HINTS[status ?? ''];
  return asks ? `${text} ${askedOf(text, asked, status) ?? hint ?? ''}`.trim() : undefined;
}

const SHIPPED = new Set(['shipped', 'out_for_delivery']);
// Where or how to follow a parcel ("where can I track it?", 「佐川ってどこで確認できる？」「ヤマトのサイトで見れる？」): the page's tracking numbers section.
const WHERE_TO_CHECK = /\bwhere (?:can|do|should|could) (?:i|we)\b|\bhow (?:can|do|should|could) (?:i|we) (?:check|track|see|follow|look)|\b(?:site|website|app|page)\b|どこで|どこから|どうやって|(?:確認|チェック)(?:でき|する|します|して)|見(?:れ|られ|る)(?:る|ます|ない)?(?:の|か)?\s*[？?]|サイト|アプリ|ページ/;

/** True when a question about a shipped or delivered order of theirs asks where or how to follow its parcel. */
function checksTracking(text: string, asked: Set<string>, status: string | undefined): boolean {
  return (SHIPPED.has(status ?? '') || status === 'delivered') && (asked.has('carrier') || asked.has('tracking')) && WHERE_TO_CHECK.test(fold(text));
}
// Past the date it was due ("way past that date", "hasn't moved in days", 「予定日を過ぎても動かない」).
const PAST_DUE = /\bpast\b|\bdays?\b|\bweeks?\b|\bmoved?\b|\bmoving\b|過ぎ|経っ|たって|日も|動/;

/**
 * What a question asks of an order in its state, when that is not the state's own rule: a fee for
 * cancelling (free before it ships — also asked of one already cancelled; refusing it once shipped),
 * tracking that has not moved on a shipped order (the estimated-delivery rule: past 2 days, an
 * investigation), when the points of an order arrive (the page's "when points are added").
 */
function askedOf(text: string, asked: Set<string>, status: string | undefined): string | undefined {
  if (status === undefined) return undefined;
  if (checksTracking(text, asked, status)) return 'tracking numbers carrier site 追跡番号 配送業者 サイト';
  if (asked.has('cancel') && (asked.has('price') || asked.has('free'))) return SHIPPED.has(status) || status === 'delivered' ? 'already shipped refuse the delivery 発送後 辞退' : 'before it ships free of charge 発送前 無料';
  // (Nothing shown yet right after shipping is the tracking page's 24 hours, not this.)
  if (SHIPPED.has(status) && (asked.has('late') || ((asked.has('no-info') || asked.has('stalled')) && PAST_DUE.test(fold(text))))) return 'estimated delivery date passed by more than 2 days tracking has not moved investigation お届け予定日 過ぎ 調査';
  if (asked.has('points') && !asked.has('payment') && !asked.has('balance') && !asked.has('expiry') && (status === 'delivered' || status === 'processing' || SHIPPED.has(status))) return 'when points are added print books when the order is delivered 付与される時期 紙の本 お届け完了';
  return undefined;
}

/**
 * The kinds of promotion that change what a section says, when one runs: a free-shipping campaign
 * changes the shipping fee, a points campaign the points earned.
 */
export function promotionKindsFor(section: IndexedDoc, question = ''): string[] {
  const { page, heading: title } = sectionHeading(section);
  const heading = conceptsOf(title);
  const asked = conceptsOf(question, true);
  const kinds: string[] = [];
  if (heading.has('shipping') && heading.has('price') && !heading.has('returns')) kinds.push('free_shipping');
  // A points question answered from the points page ("extra points on Frieren?" from "Using points") too.
  // ...and extra points asked of any page ("do prime members get extra points right now?" from the Prime section).
  if (heading.has('earn') || (heading.has('points') && heading.has('prime')) || (asked.has('earn') && (conceptsOf(page).has('points') || asked.has('points')))) kinds.push('points_multiplier');
  return kinds;
}

/** True when a text speaks of a concept, or gives the form of answer it asks for (a price, a number of days). */
/**
 * Where the words that name `concept` are in `text` (as folded), if they are there: two concepts read
 * from the same words (「何時まで」 is both the hours and a cut-off) are one thing asked, not two.
 */
export function conceptWords(text: string, concept: string): [number, number] | undefined {
  const c = CONCEPTS.find((x) => x.id === concept);
  const found = c ? new RegExp(c.pattern.source, c.pattern.flags.replace('g', '')).exec(fold(text)) : null;
  return found ? [found.index, found.index + found[0].length] : undefined;
}

export function speaksOf(text: string, concept: string): boolean {
  if (conceptsOf(text).has(concept)) return true;
  const answer = CONCEPTS.find((c) => c.id === concept)?.answer;
  return answer !== undefined && answer.test(fold(text));
}

/**
 * True when `doc` is a page's opening that introduces the list its sections are ("accepts the
 * following payment methods") and the question asks for that list ("how can I pay?").
 */
export function leadsList(doc: IndexedDoc, question: string): boolean {
  return sectionHeading(doc).heading === '' && LIST_LEAD.test(doc.text) && conceptsOf(question, true).has('methods');
}

// What a question about a title asks as well ("how much is volume 3?", "is it out yet?", "is it ok
// for my 12 year old?", "is it in English?"): no store topic by itself.
const PRODUCT_ASKS = new Set(['price', 'release', 'digital', 'bonus', 'preorder', 'age', 'minor', 'edition-language', 'duration', 'timing', 'box-set']);

/**
 * True when a question asks about a store topic (a fee, returns, points …), not only when or how;
 * `aboutTitles`: the question may be about a title, where a price or a release date is no store topic.
 */
export function asksPolicy(text: string, aboutTitles = false): boolean {
  return [...conceptsOf(text, true)].some((c) => !MODIFIERS.has(c) && !(aboutTitles && PRODUCT_ASKS.has(c)));
}

// The rules of points themselves: how long they last, when they arrive, what happens on a return.
const POINTS_RULES = ['expiry', 'returns', 'refund', 'cancel', 'balance', 'worth', 'credited', 'delete'];

/**
 * True when a question about campaigns asks a rule of the points they give ("how long do bonus
 * points last?", 「キャンペーンのポイントはいつ付く？」): the points page answers it, not the campaign list.
 */
export function asksPointsRule(text: string): boolean {
  const asked = conceptsOf(text, true);
  return asked.has('points') && POINTS_RULES.some((c) => asked.has(c));
}

/**
 * True when a question read as one about campaigns asks the store's own rule once they end ("how
 * much is shipping after the campaign?", 「キャンペーン終わったら送料いくら？」): the shipping or
 * points page answers it, with the campaign running now beside it.
 */
export function asksRuleAfterCampaign(text: string): boolean {
  AFTER_CAMPAIGN.lastIndex = 0;
  if (!AFTER_CAMPAIGN.test(fold(text))) return false;
  // (The campaign's own words say what it is about — "once the free shipping promo ends" — and the rest what is asked of it: "the normal fee?".)
  const said = conceptsOf(text);
  const asked = conceptsOf(text, true);
  return (said.has('shipping') || said.has('points')) && ['price', 'free', 'threshold', 'earn', 'points', 'shipping'].some((c) => asked.has(c));
}

// Concepts that do not make a question with 18+ words in it a question about the store's 18+ rules.
const AGE_ASIDE = new Set(['age', 'minor', 'price', 'threshold', 'limit', 'duration', 'timing', 'release', 'edition-language', 'bonus', 'shipping', 'free', 'delivery']);

/**
 * True when a question with 18+ words in it asks about the store's rules for such titles (paying
 * by phone bill, shipping abroad, plain packaging, digital editions), not for the titles themselves.
 */
export function asksAgePolicy(text: string): boolean {
  const asked = conceptsOf(text, true);
  return asked.has('age') && [...asked].some((c) => !MODIFIERS.has(c) && !AGE_ASIDE.has(c));
}

// Payment methods, one family: "cards are the only method accepted" answers a question about bank transfer.
const METHODS = new Set(['card', 'konbini', 'paypay', 'bank', 'cod', 'carrier-billing', 'other-wallet']);
const ONLY = /\bonly\b|のみ|だけ/;

/** True when a sentence speaks of everything a question asks about — or, saying "only" of one payment method, of any other. */
function covers(sentence: { text: string; concepts: Set<string> }, topical: string[]): boolean {
  const exclusive = ONLY.test(sentence.text) && [...sentence.concepts].some((c) => METHODS.has(c));
  return topical.every((t) => sentence.concepts.has(t) || (exclusive && (METHODS.has(t) || t === 'methods')));
}

/** The scopes in play for a question that names none: the ones its conversation's earlier questions named (a preorder). */
export function topicInPlay(question: string, context: string[]): string[] {
  const own = conceptsOf(question, true);
  if (namesItemScope(own, question)) return [];
  const earlier = new Set(context.slice(0, 2).flatMap((t) => [...conceptsOf(t, true)]));
  const aside = setAside(question);
  return SCOPES.filter((c) => earlier.has(c) && !aside.has(c) && !own.has(c));
}

/**
 * The topic in play and what a section says about it: when the question names no scope and the
 * conversation's earlier questions name one (a preorder), the scope and the lines of `section`
 * that speak of everything the question asks there ("Cash on delivery is not available for
 * preorders", or under the preorder page's charging section, the konbini line). Undefined otherwise.
 */
export function inPlayAnswer(section: IndexedDoc, q: { text: string; context?: string[] }): { scope: string; lines: SectionLine[]; about: boolean } | undefined {
  const own = conceptsOf(q.text, true);
  if (namesItemScope(own, q.text)) return undefined;
  const topical = [...own].filter((c) => !MODIFIERS.has(c) && !SCOPES.includes(c));
  if (topical.length === 0) return undefined;
  const earlier = new Set((q.context ?? []).slice(0, 2).flatMap((t) => [...conceptsOf(t, true)]));
  // A question that names what it asks only by its form ("2000円以上なら無料？" after 「送料っていくら？」,
  // "is it free over ¥2,000?") asks it of the subject of the question before: the shipping fee.
  const before = q.context?.[0] ?? '';
  const formOnly = topical.every((c) => ANSWER_OF.has(c) || c === 'threshold');
  if (formOnly) for (const c of conceptsOf(before, true)) if (!MODIFIERS.has(c) && !SCOPES.includes(c) && !topical.includes(c)) topical.push(c);
  // The fee for shipping asked ("送料", "postage"): a line of an item's price and its shipping date
  // (the preorder price guarantee) says nothing of it.
  const fee = SHIPPING_FEE.test(fold(q.text)) || (formOnly && SHIPPING_FEE.test(fold(before)));
  const { page, heading } = sectionHeading(section);
  const around = new Set([...conceptsOf(page), ...conceptsOf(heading)]);
  const aside = setAside(q.text);
  for (const scope of SCOPES.filter((c) => earlier.has(c) && !aside.has(c) && !own.has(c))) {
    const lines = sectionLines(section.text).filter((l) => {
      const c = new Set([...conceptsOf(l.text), ...conceptsOf(heading)]);
      return covers({ text: fold(l.text), concepts: c }, topical) && (c.has(scope) || around.has(scope)) && (!fee || SHIPPING_FEE.test(fold(l.text)));
    });
    // The lines that say it themselves first: under "Joining, changing and cancelling", "how do I
    // cancel it?" is "Cancel any time…", not "Join from…" (which the heading alone made match).
    const saying = lines.filter((l) => covers({ text: fold(l.text), concepts: conceptsOf(l.text) }, topical));
    // `about`: the section is about the scope (the preorder page), not one that mentions it in passing.
    if (lines.length > 0) return { scope, lines: saying.length > 0 ? saying : lines, about: around.has(scope) };
  }
  return undefined;
}

/** The fee for shipping, as a question asks it or a line states it ("送料", "free shipping", "how much is shipping"). */
const SHIPPING_FEE = /送料|postage|shipping (?:fees?|costs?|charges?|rates?|prices?)|free[- ]shipping|ships? (?:for )?free|shipping (?:is |be )?free|how much (?:is|does|for|would) (?:the )?shipping|shipping (?:cost|charge)/;

/** True when a section is a list of numbered steps ("1. Open /orders …"). */
export function hasSteps(doc: IndexedDoc): boolean {
  return sectionLines(doc.text).some((l) => l.step);
}

/** The payment method a question names that the knowledge base does not list ("Apple Pay"), as written. */
export function unlistedMethod(text: string): string | undefined {
  const wallet = CONCEPTS.find((c) => c.id === 'other-wallet')!;
  const m = new RegExp(wallet.pattern.source, 'i').exec(text.normalize('NFKC'));
  return m && !/bitcoin|仮想通貨/i.test(m[0]) ? m[0] : undefined;
}

/** True when the question reports a fault (damaged, wrong item): what the store does, then how to start, answer it. */
export function reportsFault(text: string): boolean {
  return conceptsOf(text, true).has('remedy') || asksWhyBlocked(text);
}

// "Why can't I see prices?", 「なんで表紙が見えないの？」: what the store's rule is, then how to get past it.
const WHY_BLOCKED = /\bwhy (?:can'?t|cannot|can i not|am i not able to|won'?t (?:it|you|the site) let me|don'?t i see|do i not see|is (?:it|the \w+) (?:blurr?ed|hidden|greyed out|locked))\b|(?:なぜ|なんで|どうして)[^。？?]{0,20}(?:できない|見えない|見られない|表示されない|買えない)|(?:できない|見えない|見られない|表示されない|買えない)(?:の)?(?:は)?(?:なぜ|なんで|どうして)/;

/** True when the question asks why something is not allowed or not shown: the steps that allow it answer it too. */
export function asksWhyBlocked(text: string): boolean {
  return WHY_BLOCKED.test(fold(text));
}

/**
 * True when a question only makes sense with the one before it: it says so ("and to the US?"), or
 * it asks for a figure and names nothing it is of ("is there a maximum amount?", 「上限金額ってある？」,
 * "how long does it take?" — the limit, the time of what the conversation is on).
 */
function leansOnContext(text: string, context: string[] | undefined): boolean {
  if (!context?.[0]) return false;
  if (ELLIPTICAL.test(text.normalize('NFKC').trim())) return true;
  // (Anything else it names stands it on its own: "how long does delivery to Okinawa take?" names delivery.)
  // (Paying, 使える, is how any payment question is put: "how much can I pay?" names no method.)
  const asked = [...conceptsOf(text, true)].filter((c) => !FORM_WORDS.has(c) && c !== 'payment');
  // ...or only where or for what (「海外に住んでても買えますか？」 after e-books: buying them from abroad).
  if (asked.length > 0 && asked.every((c) => SCOPES.includes(c) || PLACES.has(c))) return true;
  return asked.length > 0 && asked.every((c) => ANSWER_OF.has(c));
}
/** Where a question is asked from or to: a place is no topic. */
const PLACES = new Set(['international', 'zone-west', 'zone-asia', 'zone-other', 'hokkaido', 'okinawa', 'region-kanto', 'region-chubu', 'region-kansai', 'region-tohoku', 'region-chugoku', 'region-shikoku', 'region-kyushu']);
/** Concepts of how a question is put, not of what it is about ("when", "can I", "how do I"). */
const FORM_WORDS = new Set(['timing', 'eligibility', 'procedure', 'steps', 'advice', 'anytime', 'status']);

/** Concepts one of which an elliptical follow-up puts in the place of another: payment methods, places, tracking not shown yet or stopped. */
const FAMILIES = [['card', 'konbini', 'paypay', 'bank', 'cod', 'carrier-billing', 'other-wallet'], [...PLACES], ['no-info', 'stalled']].map((f) => new Set(f));

/**
 * Takes out of `earlier` (the concepts of the question before) the ones of a family the follow-up
 * names another of ("and by bank transfer?" after the konbini deadline: the deadline, of bank
 * transfer). Gives the concepts put in their place (none when nothing was swapped).
 */
export function swapOut(earlier: Set<string>, question: Set<string>): string[] {
  const swappedIn: string[] = [];
  for (const family of FAMILIES) {
    const fresh = [...question].filter((c) => family.has(c) && !earlier.has(c));
    const out = [...earlier].filter((c) => family.has(c) && !question.has(c));
    if (fresh.length === 0 || out.length === 0) continue;
    for (const c of out) earlier.delete(c);
    swappedIn.push(...fresh);
  }
  return swappedIn;
}

/** True when a follow-up only makes sense with the question before it ("and to the US?"). */
export function isElliptical(text: string): boolean {
  return ELLIPTICAL.test(text.normalize('NFKC').trim());
}

/**
 * Picks the sentences of `section` that answer the question: each sentence is scored by the
 * concepts it shares with the question (an elliptical follow-up is read with the question before
 * it), the answer shape asked for (a price, a duration) and shared words; a sentence about a scope
 * nobody asked about ("Digital editions can be paid by …") counts half. The best one or two are the
 * answer, in reading order; the rest that share something are detail.
 */
export function answerFrom(section: IndexedDoc, q: { text: string; context?: string[]; tier?: 'guest' | 'member' | 'prime' }): SectionAnswer {
  const lines = sectionLines(section.text);
  // The heading's and the page's subject is every sentence's: it cannot tell them apart.
  const { page, heading } = sectionHeading(section);
  const subject = new Set([...conceptsOf(heading), ...conceptsOf(page)]);
  const asked = new Map<string, number>();
  // An elliptical follow-up ("and for Prime members?") asks the question before it again, changed.
  const before = leansOnContext(q.text, q.context) ? q.context![0] : undefined;
  if (before) {
    const was = conceptsOf(before, true);
    swapOut(was, conceptsOf(q.text, true));
    for (const c of was) asked.set(c, 0.5);
  }
  for (const c of conceptsOf(q.text, true)) asked.set(c, 1);
  // The topic in play: a question naming no scope asks within the one the conversation is on
  // ("can I pay cash on delivery?" about a preorder: "Cash on delivery cannot be used for preorders").
  // ...and so does one that points back at what it asks about, whatever scope it names ("and can I get
  // them sent to Canada?" after 18+ titles: "age-restricted titles are not shipped outside Japan").
  if (!namesItemScope(new Set([...asked].filter(([, w]) => w === 1).map(([c]) => c)), q.text) || POINTS_BACK.test(fold(q.text))) {
    const aside = setAside(q.text);
    for (const t of q.context ?? []) for (const c of conceptsOf(t, true)) if (SCOPES.includes(c) && !asked.has(c) && !aside.has(c)) asked.set(c, 1);
  }
  // Who asks is part of the question: a Prime member's shipping is free, a guest earns no points.
  const tierConcept = q.tier === 'prime' ? 'prime' : q.tier === 'guest' ? 'guest' : undefined;
  if (tierConcept && !asked.has(tierConcept)) asked.set(tierConcept, TIER_WEIGHT[tierConcept]);
  // ...unless the heading lists several subjects and the question asks one of them and nothing else:
  // then the sentence that says it is the answer (「途中でやめたくなったら？」 under 入会・変更・解約 is
  // 「解約は…いつでも可能です」, not how to join).
  const listed = /[・、,]| and /.test(heading);
  const ownAll = conceptsOf(q.text, true);
  const headingSubject = [...conceptsOf(heading)].filter((c) => !MODIFIERS.has(c) && !FORM_WORDS.has(c));
  // (Only the way it is put besides: when, how, paying — no figure, place, tier or case of its own.)
  // (A section that is only a list of cases, "Print books: … Digital editions: …", has no rule to give whole: the question picks its case.)
  const whole = !before && !listed && lines[0] !== undefined && !lines[0].item && answerShapes(q.text).length === 0 && headingSubject.some((c) => ownAll.has(c)) && [...ownAll].every((c) => subject.has(c) || FORM_WORDS.has(c) || c === 'duration' || c === 'payment');
  const own = [...asked.keys()].filter((c) => !subject.has(c) && asked.get(c)! >= 1 && !FORM_WORDS.has(c));
  for (const c of subject) {
    if (listed && own.length === 0 && asked.get(c) === 1 && conceptsOf(heading).has(c) && !lines.every((l) => conceptsOf(l.text).has(c))) continue;
    asked.delete(c);
  }
  const named = new Set([...conceptsOf(q.text, true), ...(q.context ?? []).flatMap((t) => [...conceptsOf(t, true)]), ...(tierConcept ? [tierConcept] : [])]);
  const amount = amountIn(q.text);
  const spans = spansIn(q.text);
  const subjectTerms = termsOf(`${page} ${heading}`);
  const terms = new Map<string, number>();
  if (before) for (const t of termsOf(before)) if (!subjectTerms.has(t)) terms.set(t, 0.15);
  for (const t of termsOf(q.text)) if (!subjectTerms.has(t)) terms.set(t, 0.3);
  const shapes = answerShapes(q.text);
  const weight = (c: string) => CONCEPTS.find((x) => x.id === c)?.weight ?? 1;
  const scored = lines.map((line, i) => {
    const concepts = conceptsOf(line.text);
    let score = 0;
    // The form of what was asked (a price, a number of days) is the surest sign of the answer; it
    // stands for the concept that asked for it, which is not counted again.
    const shaped = shapes.some((re) => re.test(fold(line.text)));
    for (const c of concepts) if (!(shaped && SHAPED.has(c))) score += (asked.get(c) ?? 0) * weight(c);
    let words = 0;
    for (const t of termsOf(line.text)) words += terms.get(t) ?? 0;
    score += Math.min(words, 0.9);
    if (shaped) score += 1.5;
    // An amount the customer gave ("I'm buying ¥1,200") picks the rule whose threshold it meets.
    const applies = amount === undefined ? undefined : thresholdMet(line.text, amount);
    if (applies === true) score += 2;
    else if (applies === false) score *= 0.3;
    // A span of time the customer names ("what if it's been 3 days?", 「3日たったら」) picks the
    // sentence that names it ("If you still cannot find it within 3 days, contact support").
    if (spans.size > 0 && [...spansIn(line.text)].some((x) => spans.has(x))) score += 2;
    // A sentence only about scopes nobody asked for ("Digital editions can be paid by …"); the
    // scope of the page itself is every sentence's and tells none apart.
    const scopes = SCOPES.filter((c) => concepts.has(c));
    // ...unless it is the only sentence that speaks of something asked ("Box sets must be returned
    // complete, and preorder bonuses …" for a box-set question).
    const only = [...concepts].some((c) => (asked.get(c) ?? 0) >= 1 && lines.filter((l) => conceptsOf(l.text).has(c)).length === 1);
    if (scopes.length > 0 && !only && !scopes.some((c) => named.has(c) || subject.has(c))) score *= 0.5;
    return { i, score };
  });
  // Earlier sentences win ties: a section states its rule before its exceptions.
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.i - b.i);
  const top = ranked[0];
  // The answer in the order it is given: the best sentence (with its list) first, then the runner-up.
  const groups: number[][] = [];
  if (lines.length <= 2 && lines.every((l) => !l.item)) {
    // A section of a sentence or two is one answer: "Preorders need an account. Guests cannot preorder."
    groups.push(lines.map((_, n) => n));
  } else if (!top || top.score < (before ? 0.5 : 1) || whole) {
    // Nothing in it stands out: the question is the section's subject, and its opening the answer.
    // (So is one that asks what the heading says and nothing more: "when do I pay for a preorder?",
    // 「予約商品の支払いはいつ？」 under "When you are charged" — the rule and its list, not the konbini line.)
    groups.push(opening(lines, shapes.length > 0 ? MAX_ANSWER : MAX_LIST_ITEMS));
  } else {
    const relevant = (n: number) => scored[n].score > 0;
    groups.push(withList(lines, top.i, relevant));
    const second = ranked[1];
    if (second && second.score > 0 && second.score >= SECOND_SHARE * top.score && !groups[0].includes(second.i)) groups.push(withList(lines, second.i, relevant));
  }
  const picked = new Set<number>();
  const order: number[] = [];
  for (const group of groups) {
    for (const n of group) {
      if (picked.has(n) || order.length >= MAX_ANSWER + MAX_LIST_ITEMS) continue;
      picked.add(n);
      order.push(n);
      // An exception belongs with its rule ("non-refundable … The exception is a defect: …").
      const next = lines[n + 1];
      if (next && EXCEPTION.test(next.text) && !group.includes(n + 1) && !picked.has(n + 1)) {
        picked.add(n + 1);
        order.push(n + 1);
      } else if (next && EXCEPTION.test(lines[n].text) && !lines[n].item && !next.item && next.text.length <= 60 && !picked.has(n + 1)) {
        // ...and the short sentence that finishes an exception ("…contact support within 24 hours.
        // Once per account per year.") stays with it.
        picked.add(n + 1);
        order.push(n + 1);
      }
    }
  }
  const detail = scored.filter((s) => !picked.has(s.i) && s.score > 0.5).slice(0, MAX_DETAIL).map((s) => s.i);
  return { answer: order.map((n) => lines[n]), detail: detail.map((n) => lines[n]), matched: !!top && top.score >= (before ? 0.5 : 1) };
}

const EXCEPTION = /^(?:ただし|但し|例外|except|the exception|however|but )/i;
/** Words that point back at the things asked about before ("them", 「それ」). */
const POINTS_BACK = /\b(?:them|those|these|they)\b|それら|それ(?:を|は|も|って)/;

/**
 * A sentence with the list it introduces ("… if they are:" and its items), or a list item with
 * the line that introduces it when that line names what the list is ("Prime benefits:").
 */
function withList(lines: SectionLine[], at: number, relevant: (n: number) => boolean = () => true): number[] {
  const line = lines[at];
  // An exception is said after the rule it excepts (「ただし、誤って違う巻を購入し…」 follows
  // 「電子書籍は…キャンセルできません」): alone it answers a yes/no question back to front.
  const out = !line.item && !line.step && at > 0 && EXCEPTION.test(line.text) && !lines[at - 1].item && !lines[at - 1].step ? [at - 1, at] : [at];
  if (!line.item && introducesList(line.text)) {
    for (let n = at + 1; n < lines.length && lines[n].item && out.length <= MAX_LIST_ITEMS; n++) out.push(n);
    return out;
  }
  if (line.step) {
    let first = at;
    while (first > 0 && lines[first - 1].step) first--;
    const steps: number[] = [];
    for (let n = first; n < lines.length && lines[n].step; n++) steps.push(n);
    return steps;
  }
  if (line.item) {
    let lead = at - 1;
    while (lead >= 0 && lines[lead].item) lead--;
    let end = at + 1;
    while (end < lines.length && lines[end].item) end++;
    // A short list of parallel answers is one answer ("Members: 1%", "Prime members: 3%"): all of
    // it — but not an alternative the question is not about ("changed your mind" after "damaged").
    if (end - lead - 1 <= 2) for (let n = lead + 1; n < end; n++) if (n !== at && relevant(n)) out.push(n);
    if (lead >= 0 && introducesList(lines[lead].text) && lines[lead].text.length <= 40) out.push(lead);
  }
  return out.sort((a, b) => a - b);
}

/**
 * A section's opening: its first sentence (with the list it introduces), and the next when the
 * first is alone; for a section that is a list, its first items — two when a figure was asked for
 * (the rule and its threshold), a few for "what are …".
 */
function opening(lines: SectionLine[], items: number): number[] {
  if (lines.length === 0) return [];
  if (lines[0].item) {
    const out: number[] = [];
    for (let n = 0; n < lines.length && lines[n].item && out.length < items; n++) out.push(n);
    return out;
  }
  const first = withList(lines, 0);
  // A sentence followed by a list is its lead-in, however it ends (「…発送時に請求します。」 then each method's line).
  if (first.length === 1 && lines[1]?.item && !lines[1].step) {
    for (let n = 1; n < lines.length && lines[n].item && first.length <= MAX_LIST_ITEMS; n++) first.push(n);
    return first;
  }
  return first.length === 1 && lines.length > 1 ? [...first, ...withList(lines, 1)] : first;
}

function introducesList(text: string): boolean {
  return /[:：]$/.test(text) || /次の|以下の|the following/.test(text) || !/[.。!?！？)）]$/.test(text);
}
