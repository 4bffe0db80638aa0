// The words of a follow-up: what asks something about a series (cues: price, stock, volume,
// author, status ...), what may surround them without naming a title (filler), and everyday
// words a customer adds ("hmm", "right away", 「今すぐ」「一緒に」). A message made only of these
// is about the series the conversation is on; anything else left may be a title of its own.
// Shared by the reference resolver and the comparison parser (a part of "finished or still
// going?" made only of these words is no title to compare).

import { extractVolume } from './entities.ts';
import { withoutFalseStart } from './false-start.ts';
import { numbersAsDigits } from './numerals.ts';

// Words of an English follow-up that ask something about the series in play (any one of them
// makes a title-free message a follow-up) ...
export const EN_CUES = new Set(
  ('price prices priced cost costs much cheap cheaper cheapest pricier priciest expensive stock stocked available availability left copies sold restock restocked back preorder pre-order reserve buy ' +
    // The volumes after the one in play ("and the rest?", "the remaining ones").
    'rest remaining remainder ' +
    'release released releases releasing date dates when out come comes coming due published publish before previous ' +
    'vol vols volume volumes book books tankobon digital ebook e-book kindle edition editions version versions format formats kanzenban box set sets print paperback physical ' +
    'author authors wrote write writer written drew draws drawn artist mangaka illustrator creator created made makes who ' +
    'finished finish complete completed ongoing running over ended end done concluded hiatus status ' +
    'many long longer longest shorter shortest short length number count total all whole entire every everything altogether set full run collection collect collecting fully completely ' +
    'together combined separately individually single singles boxes ' +
    // When it began and who it is for ("what year did it begin, and is it shounen?").
    'begin began begun start started starting year debut debuted serialized serialised shounen shonen seinen shoujo shojo josei demographic ' +
    'next nxt after last latest newest final first second third fourth fifth sixth 1st 2nd 3rd 4th 5th 6th ' +
    'about tell details detail synopsis story plot summary genre genres rating rated score reviews review like similar ' +
    'better best popular which compare difference differ')
    .split(' '),
);
// ... and words that may surround them without naming a title. Anything else left in the message
// is taken to be a title (or another subject), so the message is not a title-free follow-up.
export const EN_FILLER = new Set(
  ('what whats what\'s how and or is are was were there any the a an of for do does did you your have has had it its it\'s that this ' +
    'one ones those them in on please pls plz also too then ok okay so i i\'m im can could would should like to want wanna still yet ' +
    'japanese english me my tell show give let know by same else anything something series manga title titles again hmm oh and but ' +
    'be will going gonna right now currently already just get got much more any there\'s there is if we will from with than the up its ' +
    'option pick result item suggestion recommendation through thru till two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty ' +
    // Corrections and hesitations around a follow-up ("ignore that, I meant volume 3").
    'ignore meant mean sorry actually oops wait no instead rather never mind hmm um uh ah ahh aw eh hm mm alright ugh make ' +
    // Something weighed against what was shown ("vs the box set?", "compared to the ebook?").
    'vs vs. versus compared compare against')
    .split(' '),
);

// Japanese follow-up phrases (cues), longest first when removed; what is left after them and the
// particles must be empty for the message to name no title.
const JA_CUES = [
  '在庫', '在庫切れ', '品切れ', '品切', '売り切れ', '売切れ', '欠品', 'いくら', 'おいくら', '値段', '価格', '税込', '発売日', '発売', 'いつ', '出る', '出ます', '出ますか', '出た', '出てる', '出てます', '入荷', '再入荷', '予約',
  '買える', '買えます', '購入', '最新刊', '最新巻', '最新の巻', '新しい巻', '一番新しい', 'いちばん新しい', '最終巻', '最後の巻', '次の巻', '次巻', '続巻', '続刊', '新刊', '巻', '冊',
  '電子版', '電子書籍', '電子', 'デジタル', '完全版', '単行本', '紙', 'ボックス', 'セット', '作者', '著者', '作家', '漫画家', '誰', '描いた', '書いた', '描いてる',
  '完結', '連載中', '連載', '何巻', '全何巻', '全部で', '何冊', '長い', '短い', '長さ', 'あらすじ', 'どんな話', 'どういう話', '内容', 'ジャンル', '評価', 'レビュー',
  '詳しく', '教えて', '番目', 'つ目', '同じ作者', '他の作品', 'ほかの作品', 'どっち', 'どちら', '両方', 'それぞれ', '人気', '面白い', 'おもしろい', 'おすすめ',
  '安い', '高い', 'お得', '評価', '次', '前', '全巻', '全部', '残り', 'それ以降', 'その先', '以降', 'まとめて', '合計', '一式', '総額', '金額', '単品', 'バラ', '揃え', 'そろえ', 'あわせて', '合わせて',
  'いつから', '何年から', '連載開始', '始まった', '始まりました', '少年漫画', '青年漫画', '少女漫画', '女性漫画', '少年誌', '青年誌', '少女誌',
  // The manga of the series in play, after its anime was asked about: 「じゃあ原作の1巻はいくら？」.
  '原作', '原作漫画',
  // When stock or a volume is due (「在庫入る予定ある？」「入荷予定は？」).
  '予定',
];
const JA_FILLER = [
  'ありますか', 'あります', 'ある', 'ない', 'ですか', 'ます', 'です', 'ください', '下さい', 'ほしい', '欲しい', 'じゃあ', 'では', 'なら', 'まだ', 'もう', 'どう',
  'してる', 'してます', 'している', 'しました', 'して', 'します', 'した', 'する', 'できる', 'できます', 'って', 'について', 'の方', 'ほう', 'やつ', 'もの', 'こと', 'シリーズ',
  '漫画', 'マンガ', 'まんが', '作品', 'これ', 'それ', 'あれ', 'この', 'その', 'あの', '最初', '最後', '一番', 'いちばん', 'まで', 'あと',
  'みたいな', 'みたい', 'ような', 'っぽい', 'さん', '様', '先生', 'さっき', '先ほど', '無視', '間違え', '間違い', 'すみません', 'すいません', 'ごめん', '訂正', 'でした', 'だった', 'やっぱり', 'じゃなくて', 'ではなく', 'の', '第', '目', 'め', '全', '今', '何', 'ね', 'よ', 'か', 'な',
  // (Removed before the particles: 「とりあえず14巻も」 would lose its と and leave a run of kana.)
  'とりあえず', 'ひとまず',
];
const JA_PARTICLES = /[はがをにでとものもへやかねよなっ]|[?？!！。、,.\s・…〜~ー]/g;
const byLength = (a: string, b: string) => b.length - a.length;
const JA_CUE_RE = new RegExp([...JA_CUES].sort(byLength).join('|'), 'g');
const JA_FILLER_RE = new RegExp([...JA_FILLER].sort(byLength).join('|'), 'g');
const JA_CUE_TEST = new RegExp(JA_CUE_RE.source);
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;
const NUMBER = /[0-9〇一二三四五六七八九十百]+/g;

/**
 * Whether a message names no title of its own (`titleFree`) and asks something about a series
 * (`cue`): "how much is volume 1?", 「在庫ありますか？」, "who is the author?".
 */
export function followUpShape(text: string): { titleFree: boolean; cue: boolean; rest: string } {
  // Volume numbers in words are numbers ("volume thirteen, not thirty" names no title).
  const t = numbersAsDigits(withoutFalseStart(text.normalize('NFKC')).toLowerCase());
  if (JAPANESE.test(t)) {
    const cue = JA_CUE_TEST.test(t) || extractVolume(t) !== undefined || (t.match(/[a-z0-9'-]+/g) ?? []).some((w) => EN_CUES.has(w));
    // English words mixed in ("じゃあ digital は？") are checked word by word like English.
    const rest = t.replace(JA_CUE_RE, ' ').replace(JA_FILLER_RE, ' ').replace(NUMBER, ' ').replace(JA_PARTICLES, '');
    const words = rest.split(/[^a-z0-9'-]+/).filter(Boolean);
    const latinOnly = rest.replace(/[a-z0-9'\-\s]/g, '') === '';
    const other = words.filter((w) => !EN_CUES.has(w) && !EN_FILLER.has(w));
    return { titleFree: latinOnly && other.length === 0, cue, rest: [rest.replace(/[a-z0-9'\-\s]+/g, ''), ...other].join(' ').trim() };
  }
  // "when's", "what’s": the word without its "'s".
  // (A range of volumes, "vols 1-3", is numbers too, no word of a title.)
  const words = t.replace(/['’]s\b/g, '').split(/[^a-z0-9'-]+/).filter((w) => w && !/^#?\d+(?:st|nd|rd|th)?$/.test(w) && !/^\d{1,3}-\d{1,3}$/.test(w) && !/^v\d+$/.test(w));
  const cue = words.some((w) => EN_CUES.has(w)) || /\d/.test(t);
  const other = words.filter((w) => !EN_CUES.has(w) && !EN_FILLER.has(w));
  return { titleFree: words.length > 0 && other.length === 0, cue, rest: other.join(' ') };
}

// Everyday words that are no title on their own. A follow-up is rarely only follow-up words:
// "hmm out of stock. can I get the digital one right away?", "sorry typo, 21 not 12", "what
// about the regular edition vol 7?" carry words of their own, and those must not turn a question
// about the series in play into a title search. Words that may be a title (anything else) still
// go to the search, where a title named outright wins over the conversation.
export const EN_COMMON = new Set(
  ('about above across actually after again against ago all almost alone along already alright although always am among another anyway anyways ' +
    'anyone anybody anywhere around as ask asked asking at away back bad basically be because been being below best between big bit both bought bring ' +
    'busy but buy buying by came cant can\'t care cause check checked checking clear come coming cool could couldnt couldn\'t day days definitely did ' +
    'didnt didn\'t different do does doesnt doesn\'t doing done dont don\'t down during each early easy edition editions either enough even ever every ' +
    'exactly except fast few fine first for found friend friends from fun gift give glad go goes going gone good got great guess guys had happen ' +
    'happy hard has hasnt hate have havent haven\'t having he hear heard hello help her here hers hey hi him his hold home hope hopefully hours how however ' +
    'huh i\'d i\'ll i\'ve id idea if ill im in instead into is isnt isn\'t it itself ive just keep kind kinda know known late later least less let lets ' +
    'let\'s like liked likes little look looking looks lol lot lots love main maybe me mine minute mind mine miss moment month months more most much ' +
    'must my myself need needed needs never new nice no nope not nothing now number of off oh ok okay old on once only or order ordered other others ' +
    'otherwise our out over own paper part people perhaps place plan planning please pls plz possible pretty probably put quick quickly quite rather ' +
    'read reading ready real really reason regular right said same say saying says see seems seen sell selling send sent she should show shown ' +
    'since so some someone something sometime soon sorry sound sounds start started still store such suppose sure take taking talk tell than thank ' +
    'tracking track package parcel delivery deliver delivered shipping shipped shipment arrive arrived arriving carrier courier company physical printed copy copies ' +
    'cancel cancelled canceled cancellation return returned refund refunded change changed address pay paid payment btw fyi tbh imo idk omg ya ur u ' +
    'thanks thanx that thats that\'s the their theirs them then there these they thing things think this tho though thought thx time times to today ' +
    'together told tomorrow tonight too took total try trying typo uh um under understand unless until up us use used usual usually very wait want ' +
    'wanted wants was wasnt wasn\'t way we week weeks well went were what when where whether which while who whole whom whose why will wish with ' +
    // Estimates and chat spellings ("how much would all of it cost roughly", "which volumes r out of stock").
    'roughly approximately approx around estimate ballpark r n gimme lemme q qs question questions ' +
    // A feeling said before the question ("damn. which volumes are sold out right now", "ugh, what about vol 2").
    'damn dang darn dammit shoot crap ugh argh aww oof meh whoa bummer shame pity sad unfortunately man dude ' +
    // A spin-off or sequel asked for with a series in play ("is there a sequel?") is about that series.
    'spin spin-off spin-offs spinoff spinoffs sequel sequels prequel prequels ' +
    'without wonder wondering work works worth would wouldnt wouldn\'t wow wrong yeah year years yep yes yet you you\'re youre your yours').split(' '),
);
// Japanese everyday words left after the follow-up words and particles are removed
// (「電子版なら今すぐ買えますか？」, 「2巻も一緒に買いたいんですけど」, 「あ、ごめん」).
const JA_COMMON = [
  '今すぐ', 'すぐに', 'すぐ', '一緒', 'いっしょ', '買いたい', '読みたい', '知りたい', '欲しい', 'ほしい', '大丈夫', 'ちなみに', 'ところで', 'やっぱり', 'えっと', 'あの',
  'んです', 'んだけど', 'けど', 'けれど', 'でしょうか', 'でしょう', 'だろう', 'かな', 'かも', 'ありがとう', 'お願い', 'おねがい', 'よろしく', 'ちょっと', 'とりあえず',
  '注文', '追跡', '番号', '配送', '発送', '荷物', '業者', '運送', '宅配', '会社', '届く', '届き', '届い', '到着', '状況', '確認', '通常', '普通', 'ふつう', 'フツー', '版', '方', '本', '手に入', '入手',
  'どんな', 'どう', 'どの', 'こんな', 'そんな', 'あんな', 'いくつ', 'なんで', 'なぜ', 'もっと', 'すごく', 'とても', 'たくさん', 'みんな', 'ぜんぶ', 'ございます', 'ございました', 'ござい', 'でしょうか',
  'られ', 'られる', 'れる', 'ません', 'ましょう', 'ました', 'ならない', 'なります', 'なる', 'いただけ', 'いただき', 'ください', 'ちゃんと', 'きちんと', 'ですよね', 'よね', 'けれども',
  'スピンオフ', '続編', '外伝', '番外編', '前日譚', '後日談',
  // A condition on the answer (「在庫ある？なければいつ入荷？」「もし品切れの場合は？」「次いつ入る？」).
  'なければ', '無ければ', 'なかったら', '無かったら', 'ないなら', '無いなら', '場合', 'もしも', 'もし', 'だめなら', 'ダメなら', '入ります', '入る',
  // A place counted back or on (「ひとつ前の巻」「ふたつ前」): no title.
  'ひとつ', 'ふたつ',
  'ごめん', 'すみません', 'あ', 'え', 'う', 'ん', 'る', 'い', 'た', 'だ', 'て', 'し', 'く', 'れ', 'ら', 'そう',
];
const JA_COMMON_RE = new RegExp([...JA_COMMON].sort(byLength).join('|'), 'g');
const JA_FILLER_LONG_RE = new RegExp(JA_FILLER.filter((w) => w.length > 1).sort(byLength).join('|'), 'g');
const JA_COMMON_LONG_RE = new RegExp(JA_COMMON.filter((w) => w.length > 1).sort(byLength).join('|'), 'g');
// A run that may be (part of) a title: katakana or kanji of two or more, Latin letters, or
// hiragana of three or more left after the everyday words (ちはやふる, よつば…).
const TITLE_RUN = /[\u30a0-\u30ff]{2,}|[\u3400-\u9fff]{2,}|[a-z]{2,}|[\u3041-\u309f]{3,}/;

// Particles after a word of a kana run (「ちはやふるの」「よつばとの」): Japanese particles follow what they mark.
const EDGE_PARTICLES = /[はがをにでとものもへやかねよなっ]+$/;

/**
 * Runs of hiragana that are no follow-up or everyday words: a title written in kana
 * (「ちはやふるの1巻は？」), which removing particles one character at a time would break up.
 */
function kanaWords(t: string): string[] {
  // A run right after a kanji is its inflection (買いたい, 出てる, 描いて), not a word of its own.
  return (t.match(/(?<![\u3400-\u9fff\u3041-\u309f])[\u3041-\u309f]{3,}/g) ?? [])
    .map((run) => run.replace(JA_CUE_RE, ' ').replace(JA_FILLER_LONG_RE, ' ').replace(JA_COMMON_LONG_RE, ' '))
    .flatMap((run) => run.split(/\s+/).map((w) => w.replace(EDGE_PARTICLES, '')))
    .filter((w) => w.length >= 3);
}

/**
 * What a message says beside its follow-up words: `none`, only everyday words (`common`: still
 * a question about the series in play), or words that may name a title of their own (`title`).
 */
export function leftoverOf(text: string): { kind: 'none' | 'common' | 'title'; words: string[] } {
  const shape = followUpShape(text);
  if (shape.titleFree || shape.rest === '') return { kind: 'none', words: [] };
  const t = text.normalize('NFKC').toLowerCase();
  if (JAPANESE.test(t)) {
    const [ja, ...en] = shape.rest.split(' ');
    const jaLeft = (ja ?? '').replace(JA_COMMON_RE, ' ');
    const words = [...jaLeft.split(/\s+/).filter((w) => TITLE_RUN.test(w)), ...kanaWords(t), ...en.filter((w) => !EN_COMMON.has(w))];
    return { kind: words.length > 0 ? 'title' : 'common', words };
  }
  // A dash or other stray punctuation ("the finished one - is vol 2 in stock?") is no word of a title.
  const words = shape.rest.split(/\s+/).filter((w) => w && !EN_COMMON.has(w) && /[\p{L}\p{N}]/u.test(w));
  return { kind: words.length > 0 ? 'title' : 'common', words };
}


// Every volume of a series at once, in words a customer uses besides "all volumes" / 全巻:
// "how much would all of it cost?", "all six" (the count in words too), "the whole thing", 「全部揃えたら」 ...
const EN_ALL_OF_IT = /\b(?:all of (?:it|them|this|that|those)|all (?:of )?(?:the )?(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)\b(?! ?(?:yen|jpy|dollars?|%|years?|yrs?|days?))(?: (?:volumes|vols|books))?|the whole (?:thing|lot|run|set|collection|series)|(?:whole|entire|complete|full) (?:run|collection|series|set)|everything|every (?:single )?(?:one|volume|book)|all the (?:volumes|books)|all (?:volumes|books)|buy(?:ing)? (?:them|it) all|collect(?:ing)? (?:them|it) all|(?:buy|get|own|collect)(?:t?ing)? (?:each|both|them|the two|either)(?: of them| series)? (?:complete|in full|entirely|whole)|(?:complete|full) sets? of (?:each|both|them)|(?:collect|buy|get|own)(?:t?ing)?(?: (?:it|them|this|that|both|each|one|the series|the whole thing))? (?:fully|completely|in full|entirely)|(?:fully|completely) collect(?:ing)?|complete (?:the|my|a) (?:collection|set|series|run))\b/;
const JA_ALL_OF_IT = /全部|ぜんぶ|全巻|全冊|揃え|そろえ|コンプリート|一気に|まとめ買い|まとめて|全\s*\d{1,3}\s*(?:巻|冊)(?!セット)/;
// ... a box set weighed against the single volumes: "cheaper than buying them separately?", 「バラで買うより」.
const EN_SINGLES = /\b(?:separately|individually|one by one|single (?:volumes|books|copies)|singles|each volume|(?:the )?individual (?:volumes|books))\b/;
// (バラ/ばら only as a way of buying — バラで, バラ売り, ばら買い, バラだと: ベルサイユのばら is a title.)
const JA_SINGLES = /(?:バラ|ばら)(?=\s*(?:で|売り|買い|だと|なら|の方|のほう|のが|より))|単品|単巻|個別|(?:1|一)(?:冊|巻)ずつ|一つずつ/;
// ... also a box set weighed against every volume with no word for "separately": "is the box set
// cheaper than buying all 27?", "box set vs the whole series", 「BOXと全12巻、どっちが安い？」.
const EN_BOX_VS_ALL = /\bbox(?:ed)?(?: ?sets?)?\b[^.?!]{0,60}\b(?:cheaper|cheapest|vs\.?|versus|than|compared?|better deal|worth it|difference)\b[^.?!]{0,40}\b(?:all(?: of them| \d+| the volumes| volumes)?|the whole (?:series|thing)|every volume)\b|\b(?:all \d+(?: volumes| books)?|every volume|the whole series)\b[^.?!]{0,60}\b(?:cheaper|vs\.?|versus|than|compared?|or)\b[^.?!]{0,40}\bbox(?:ed)?(?: ?sets?)?\b/;
const JA_BOX_VS_ALL = /(?:box|ボックス|セット)[^。？?]{0,30}(?:全\s*\d{1,3}\s*巻|全巻)[^。？?]{0,20}(?:安い|お得|比べ|どっち|どちら|違い)|(?:全\s*\d{1,3}\s*巻|全巻)[^。？?]{0,30}(?:box|ボックス|セット)[^。？?]{0,20}(?:安い|お得|比べ|どっち|どちら|違い)/;
// ... or which of them are sold out: "which volumes are out of stock?", 「在庫切れの巻はどれ？」.
const EN_SOLD_OUT = /\b(?:out of stock|sold out|unavailable|not in stock|no stock)\b/;
const EN_WHICH_VOLUMES = /\b(?:volumes|vols|books|ones|numbers|which|what|whats|any|anything)\b/;
const JA_SOLD_OUT = /在庫切れ|在庫がない|在庫ない|在庫なし|品切れ|売り切れ|欠品|入荷待ち/;
const JA_WHICH_VOLUMES = /どれ|どの巻|何巻|どこ|ある|教えて|一覧|リスト/;
// ... or the volumes named by it: 「在庫がない巻は？」「品切れの巻って？」.
const JA_SOLD_OUT_VOLUMES = /(?:在庫切れ|在庫がない|在庫のない|在庫ない|在庫なし|品切れ|売り切れ|欠品|入荷待ち)(?:の|に?なってる|になっている|している|してる)?巻(?!数)/;

/**
 * Whether a message asks about every volume of the series at once, and how: a total (`all`), a
 * box set against buying the volumes one by one (`singles`), or which volumes are sold out
 * (`soldOut`). Numbers in it are then counts ("the 12 volumes"), not a volume asked for.
 */
// Only the volumes that are in stock ("what if I only buy the ones in stock?", "just what's available",
// 「在庫ある分だけだといくら？」「在庫のある巻だけ」): the whole series narrowed to what can ship now.
const EN_IN_STOCK_ONLY = /\b(?:only|just)\b[^.?!]{0,40}\b(?:in[- ]stock|available(?: now)?|on hand)\b|\b(?:in[- ]stock|available) (?:ones?|volumes?|vols?|books?|copies) only\b|\bwhat(?:'s| is|ever'?s)? (?:in stock|available)\b(?![^.?!]{0,20}\b(?:of|for)\b)/;
const JA_IN_STOCK_ONLY = /在庫(?:が|の)?(?:ある|あり)(?:分|やつ|巻|もの|の)?(?:だけ|のみ)|在庫分(?:だけ|のみ)?|在庫(?:が|の)?(?:ある|あり)(?:分|巻)/;

/** True when the message narrows what is bought to the volumes in stock ("only the ones in stock", 「在庫ある分だけ」). */
export function asksInStockOnly(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  return EN_IN_STOCK_ONLY.test(t) || JA_IN_STOCK_ONLY.test(t);
}

export function asksEveryVolume(text: string): 'all' | 'singles' | 'soldOut' | undefined {
  const t = text.normalize('NFKC').toLowerCase();
  // "Is vol 3 sold out? what a pity": one volume's stock, not a list.
  const one = extractVolume(t) !== undefined;
  const en = EN_SOLD_OUT.test(t) && EN_WHICH_VOLUMES.test(t) && !/\bis (?:it|that|this)\b/.test(t);
  const ja = JA_SOLD_OUT.test(t) && (JA_WHICH_VOLUMES.test(t) || JA_SOLD_OUT_VOLUMES.test(t)) && !/(?:これ|それ|この巻|その巻)/.test(t);
  if (!one && (en || ja)) return 'soldOut';
  if (EN_SINGLES.test(t) || JA_SINGLES.test(t) || EN_BOX_VS_ALL.test(t) || JA_BOX_VS_ALL.test(t)) return 'singles';
  if (EN_ALL_OF_IT.test(t) || JA_ALL_OF_IT.test(t)) return 'all';
  return undefined;
}
