// Concept features: a word the labelled data never paired with an intent still means something
// the data did teach ("this bot sucks" is an insult even though "sucks" is in no example;
// 「いい加減にしろ」 likewise). Each concept is a hand-kept list of English words and Japanese
// phrases; a message that uses any of them gets the concept's one feature, whose weight the
// classifier learns from every example that uses any member. The lists are domain vocabulary,
// not intents: the model decides what a concept means in context.

/** A concept: its name (for tests and debugging) and one pattern over the normalised message. */
interface Concept {
  name: string;
  pattern: RegExp;
}

const en = (words: string): string => `\\b(?:${words.trim().split(/\s*\|\s*/).join('|')})\\b`;
const ja = (phrases: string): string => `(?:${phrases.trim().split(/\s*\|\s*/).join('|')})`;

// Text arrives NFKC-normalised and lower-cased, digit runs as "0" (see features.ts).
const CONCEPTS: readonly Concept[] = [
  {
    name: 'insult',
    pattern: new RegExp(
      [
        en(`stupid | dumb | dumbest | idiot | idiots | idiotic | moron | morons | useless | pathetic | garbage | trash | rubbish | crap | crappy | sucks | suck | sucky | junk | lame | joke | clown | clowns | ridiculous | incompetent | worthless | awful | terrible | horrible | worst | hate | shut up | wtf | damn | hell | screw | f\\*+k | f\\*+ | fuck | fucking | bs | bullshit | scam | scammers | ripoff | rip-off | disgrace | disgusting | unacceptable | ugh`),
        ja(`バカ|ばか|馬鹿|アホ|あほ|ボケ|クソ|くそ|糞|ゴミ|ごみ|カス|ポンコツ|役立たず|役に立たない|使えない|使えねー|最悪|最低|ひどい|酷い|ふざけ|いい加減|なめて|舐めて|ありえない|あり得ない|むかつ|ムカつ|腹立|イライラ|いらいら|うざ|ウザ|黙れ|だまれ|てめえ|お前ら|詐欺|ぼったくり|呆れ|あきれ|がっかり|うんざり|激怒|怒って|怒り`),
      ].join('|'),
    ),
  },
  {
    name: 'human',
    pattern: new RegExp(
      [
        en(`human | humans | person | people | someone | somebody | agent | agents | staff | operator | representative | rep | manager | supervisor | employee | real person | live chat | live agent | customer service | customer support | support team`),
        ja(`人間|生身|担当|スタッフ|オペレーター|オペレータ|責任者|店長|上司|有人|社員|係の人|人と話|人に代わ|人に繋|人につな|窓口の人|サポートの方|誰か`),
      ].join('|'),
    ),
  },
  {
    name: 'greeting',
    pattern: new RegExp(
      [
        en(`hi+ | hello+ | hey+ | yo | hiya | howdy | heya | henlo | good morning | good evening | good afternoon | morning | evening | greetings | sup | whats up | what's up`),
        ja(`こんにちは|こんちは|こんばんは|おはよう|はじめまして|初めまして|やあ|どうも|もしもし|よろしく`),
      ].join('|'),
    ),
  },
  {
    name: 'thanks-bye',
    pattern: new RegExp(
      [
        en(`thanks | thank | thx | ty | tysm | cheers | appreciate | appreciated | bye | goodbye | cya | see ya | see you | later | good night | goodnight | night | that's all | thats all | that's it | nothing else | never mind | nevermind`),
        ja(`ありがと|ありがとう|感謝|助か|さようなら|バイバイ|ばいばい|またね|また来|おやすみ|以上です|大丈夫です|いいです|結構です|また今度`),
      ].join('|'),
    ),
  },
  {
    name: 'bot',
    pattern: new RegExp(
      [
        en(`bot | chatbot | robot | ai | assistant | machine | automated | who are you | are you | who made | who built | your name`),
        ja(`ボット|ロボット|ai|あなた|君|きみ|自動`),
      ].join('|'),
    ),
  },
  {
    name: 'policy',
    pattern: new RegExp(
      [
        en(`shipping | ship | delivery | deliver | courier | postage | return | returns | returning | refund | refunds | refunded | exchange | damaged | torn | defective | broken | missing page | payment | pay | paying | paypay | card | credit | debit | konbini | bank transfer | cash on delivery | cod | crypto | bitcoin | ethereum | points | point | membership | member | prime | subscription | trial | preorder | preorders | pre-order | reserve | cancel | cancellation | gift wrap | wrapping | account | password | login | log in | sign in | email | phone | call | contact | hours | age | 0\\+ | adult | r0 | policy | overseas | international | abroad`),
        ja(`送料|配送|発送|配達|届く日数|何日|お届け|返品|返金|交換|破れ|汚れ|折れ|不良|落丁|支払|払え|払い|決済|カード|コンビニ|振込|代引|ポイント|会員|プライム|解約|無料体験|お試し|予約|キャンセル|取り消|ラッピング|包装|アカウント|パスワード|ログイン|メール|電話|問い合わせ|問合せ|営業時間|年齢|成人|0禁|海外|規約|ギフト`),
      ].join('|'),
    ),
  },
  {
    name: 'promotion',
    pattern: new RegExp(
      [
        en(`sale | sales | discount | discounts | discounted | deal | deals | coupon | coupons | promo | promotion | promotions | code | voucher | campaign | fair | offer | offers | cheaper | bargain | special | bonus | off | black friday | cyber monday`),
        ja(`セール|割引|値引|値下|安く|安い|お得|クーポン|コード|キャンペーン|フェア|特典|還元|倍|off|オフ|半額|まとめ割|タイムセール`),
      ].join('|'),
    ),
  },
  {
    name: 'order',
    pattern: new RegExp(
      [
        en(`my order | my orders | order | ordered | package | parcel | tracking | track | shipped | arrive | arrived | arriving | delivered | on its way | on the way | my purchase | bought | status`),
        ja(`注文|荷物|追跡|発送され|届い|届か|届き|届く|配達中|配達済|購入した|買った|頼んだ|状況`),
      ].join('|'),
    ),
  },
  {
    name: 'price-stock',
    pattern: new RegExp(
      [
        en(`price | prices | cost | costs | how much | yen | ¥ | stock | in stock | available | availability | sold out | left | copies | restock | release | released | release date | come out | comes out | out yet | volume | vol | volumes | box set | kanzenban | digital version | digital edition | paperback`),
        ja(`いくら|値段|価格|円|在庫|売り切れ|品切れ|残り|入荷|再入荷|発売|新刊|最新刊|巻|box|ボックス|完全版|電子版|単行本`),
      ].join('|'),
    ),
  },
  {
    name: 'recommend',
    pattern: new RegExp(
      [
        en(`recommend | recommendation | recommendations | recs | rec | suggest | suggestion | suggestions | similar | like | something | anything | what should i read | what to read | good | best | top | popular | trending | gift`),
        ja(`おすすめ|オススメ|お勧め|お薦め|似た|似てる|みたいな|っぽい|ような|何か|なにか|面白い|人気|売れ|プレゼント|読みたい`),
      ].join('|'),
    ),
  },
  {
    name: 'manga',
    pattern: new RegExp(
      [
        en(`manga | manhwa | comic | comics | series | title | book | books | story | volume | author | artist | mangaka`),
        ja(`漫画|まんが|マンガ|作品|シリーズ|タイトル|本|話|作者|作家|先生`),
      ].join('|'),
    ),
  },
  {
    name: 'outside',
    pattern: new RegExp(
      [
        en(`weather | rain | snow | forecast | stock market | stocks | shares | nikkei | nasdaq | invest | investing | exchange rate | dollar | euro | homework | essay | exam | math | equation | translate | translation | poem | haiku | recipe | cook | cooking | restaurant | ramen | sushi | cafe | bar | pub | sightseeing | travel | hotel | flight | movie | movies | film | tv | netflix | music | song | songs | game | games | politics | election | president | prime minister | capital | population | weight | workout | doctor | medicine | coding | python | javascript | wifi | laptop | smartphone | tablet | figure | figures | plush | cosplay | blu-ray | dvd | stream | streaming | watch | episode | season | anime`),
        ja(`天気|雨|雪|株価|株式|株を|株は|株の|投資|為替|レート|宿題|作文|レポート|試験|数学|翻訳|英訳|詩|レシピ|料理の作り方|作り方|レストラン|ホテル|飛行機|新幹線|映画|ドラマ|テレビ|音楽|曲|ゲーム|政治|選挙|総理|首都|人口|歴史|ダイエット|病気|プログラミング|wi-fi|wifi|パソコン|スマホ|タブレット|フィギュア|ぬいぐるみ|コスプレ|ブルーレイ|dvd|配信|アニメ|競馬|宝くじ|ラーメン|寿司|すし|カフェ|居酒屋|焼肉|観光|旅行|レストラン`),
      ].join('|'),
    ),
  },
];

/** How many concepts there are. */
export const CONCEPT_COUNT = CONCEPTS.length;

/** True when the normalised message uses concept `index` (0 ≤ index < CONCEPT_COUNT). */
export function usesConcept(normalised: string, index: number): boolean {
  return CONCEPTS[index].pattern.test(normalised);
}

/** Names of the concepts a normalised message uses (for tests and debugging). */
export function conceptsOf(normalised: string): string[] {
  return CONCEPTS.filter((c) => c.pattern.test(normalised)).map((c) => c.name);
}
