/**
 * What a customer says around the store's 18+ rule, read from the message alone (no catalog):
 * an age they state about themself ("I'm 25, trust me", 「大人です」), a "why not?" or an
 * insistence after a refusal, a question whether a title suits a reader ("is it ok for my 12
 * year old?", 「中学生でも読めますか？」), a minor using a parent's account, and a customer abroad.
 * Grammar over both languages, not phrase lists: a first-person subject with an age, a
 * question word, a reader with a suitability word. The pipeline decides what to answer.
 */
import type { Audience } from '../recommendations/filters.ts';

/** An age the customer states about themself: a number when given, and whether it is 18 or over. */
export interface AgeClaim {
  age?: number;
  adult: boolean;
}

const WORD_NUMBERS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
};
const EN_NUMBER = `(\\d{1,2}|${Object.keys(WORD_NUMBERS).join('|')})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?`;
const KANJI_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

function numberOf(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (WORD_NUMBERS[word] ?? NaN);
}

function kanjiNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '二十' || s === 'はたち') return 20;
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (m) return (m[1] ? KANJI_DIGITS[m[1]] : 1) * 10 + (m[2] ? KANJI_DIGITS[m[2]] : 0);
  return KANJI_DIGITS[s] ?? NaN;
}

// "I'm 25", "im 30 years old", "I am over 18", "I'm 18+", "I'm twenty-five", "my age is 40", "25 years old here".
// Not "I'm 5 volumes in": a number followed by a count of something else is no age.
const EN_SELF_AGE = new RegExp(
  `\\b(?:i'?m|i am|im|i'm already|my age is|age:?)\\s+(?:only |already |just |now |turning |like |literally |actually |well |way )?(over |above |older than |past |under |below |younger than )?${EN_NUMBER}(\\s*\\+)?(?!\\s*(?:%|vol|volumes?|books?|yen|¥|dollars?|usd|euros?|pages?|copies|items?|orders?|chapters?|episodes?|minutes?|mins?|hours?|days?|weeks?|months?|in\\b|of\\b|times?\\b|cm|kg))(?:\\b|$)`,
  'i',
);
const EN_AGE_HERE = new RegExp(`\\b${EN_NUMBER}\\s*(?:years?|yrs?)[\\s-]*old\\s+(?:here|myself|now)\\b|\\b${EN_NUMBER}\\s*(?:y\\/?o|years?[\\s-]*old)\\s+(?:adult|man|woman|guy|lady|person)\\b`, 'i');
const EN_ADULT =
  /\b(?:i'?m|i am|im|i'm already)\s+(?:an? )?(?:(?:grown|full[- ]grown|legal|consenting)\s+)?(?:adult|grown[- ]?up|grown (?:man|woman)|of (?:legal )?age|old enough|legal|not (?:a )?(?:kid|child|minor|teen(?:ager)?)|not underage)\b|\badult here\b|\bover the age of 18\b/i;
const EN_MINOR = /\b(?:i'?m|i am|im)\s+(?:(?:still |only |just )?(?:a )?(?:minor|underage|under[- ]age|kid|child)|in (?:middle|high|junior high) school|a (?:middle|high)[- ]?schooler|a (?:high school|middle school) student)\b/i;
// 「25歳です」「もう20歳超えてるので」「18歳以上です」「二十歳です」: an age followed by a copula or "over", never by の (「10歳の息子」).
const JA_SELF_AGE = /(?:私|わたし|僕|ぼく|俺|おれ|自分|うち|わたくし)?(?:は|も)?(?:もう|すでに|既に|とっくに)?(\d{1,2}|[一二三四五六七八九]?十[一二三四五六七八九]?|二十|はたち)\s*(?:歳|才)?\s*(以上|未満|を?超え|を?過ぎ|越え)?(?:てる|ている|ています|てます)?\s*(?:です|だ|だよ|だし|だけど|ですが|ですけど|なので|ので|から|なんで|だから|なんだけど|なんですけど|になりました|になった|です。|。|！|!|$)/;
const JA_ADULT = /(?:もう|すでに|既に|とっくに|一応|立派な)?(?:大人|成人|(?<!未)成年|社会人|二十歳以上|20歳以上|18歳以上|十八歳以上)(?:して(?:い)?(?:ます|る)|済み|ずみ|です|だ|だよ|だし|だけど|ですが|なので|だから|なんだけど|なんですけど|なんですが|になりました)|未成年(?:じゃない|ではない|ではありません|じゃありません)/;
const JA_MINOR = /(?:私|わたし|僕|ぼく|俺|おれ|自分|うち)?(?:は)?(?:まだ)?(?:未成年|中学生|高校生|中学|高校)(?:です|だ|だけど|ですが|なので|だから|なんですけど|なんだけど)/;

/** The age the customer states about themself, if they do ("I'm 25, trust me", 「大人です」, "I'm 17"). */
export function ageClaim(text: string): AgeClaim | undefined {
  const t = text.normalize('NFKC');
  if (EN_MINOR.test(t)) return { adult: false };
  const self = EN_SELF_AGE.exec(t);
  const here = self ? undefined : EN_AGE_HERE.exec(t);
  const said = self ? { bound: self[1], number: self[2], plus: self[3], text: self[0] } : here ? { bound: undefined, number: here[1] ?? here[2], plus: undefined, text: here[0] } : undefined;
  if (said) {
    const age = numberOf(said.number.toLowerCase()) + tensAndUnits(said.text);
    if (!Number.isNaN(age) && age >= 5 && age <= 99) {
      const under = /under|below|younger/i.test(said.bound ?? '');
      // "over 17", "18+": at least that age.
      const over = !under && (said.bound !== undefined || said.plus !== undefined);
      return { age, adult: under ? false : over ? age >= 17 : age >= 18 };
    }
  }
  if (EN_ADULT.test(t)) return { adult: true };
  const ja = JA_SELF_AGE.exec(t);
  if (ja && (ja[2] !== undefined || /歳|才/.test(ja[0]) || /^(?:二十|はたち)/.test(ja[1]))) {
    const age = kanjiNumber(ja[1]);
    if (!Number.isNaN(age) && age >= 5 && age <= 99) {
      const under = ja[2] === '未満';
      return { age, adult: under ? false : ja[2] !== undefined ? age >= 17 : age >= 18 };
    }
  }
  if (JA_ADULT.test(t)) return { adult: true };
  if (JA_MINOR.test(t)) return { adult: false };
  return undefined;
}

// "twenty-five": the units after a tens word.
function tensAndUnits(match: string): number {
  const m = /(?:twenty|thirty|forty|fifty|sixty|seventy)[- ](one|two|three|four|five|six|seven|eight|nine)\b/i.exec(match);
  return m ? ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'].indexOf(m[1].toLowerCase()) + 1 : 0;
}

const EN_WHY = /\b(?:why|how come|what(?:'s| is) (?:the )?(?:problem|issue|reason|deal)|what do you mean|for what reason|reason)\b|^\s*(?:huh|what)\s*\??\s*$/i;
const JA_WHY = /なんで(?!す|も)|なぜ|何故|どうして|何で|理由|どういうこと|どういう意味/;
const EN_INSIST =
  /\b(?:just (?:show|tell|let|give|sell)|show (?:me|it)|let me (?:see|buy|have|read)|sell (?:it|me)|please|pls|plz|come on|c'?mon|seriously|trust me|ridiculous|stupid|unfair|nonsense|annoying|i promise|i swear|it'?s (?:fine|ok(?:ay)?)|that'?s (?:dumb|silly|unfair)|no way)\b/i;
const JA_INSIST = /見せて|みせて|教えて|売って|買わせて|お願い|おねがい|いいじゃん|いいでしょ|ケチ|けち|意味(?:が)?(?:わから|分から)|おかしい|ひどい|酷い|大丈夫(?:だ|です)から|本当|ほんと|信じて|嘘じゃない/;
const EN_PERSON = /\b(?:human|person|staff|agent|operator|representative|rep|manager|someone real|real person|talk to someone|speak to someone|customer service|support team)\b/i;
const JA_PERSON = /担当|スタッフ|人間|オペレーター|有人|人と話|係の人|責任者/;

/** A "why not?" (or "what do you mean?") after a refusal. */
export function asksWhy(text: string): boolean {
  return EN_WHY.test(text) || JA_WHY.test(text);
}

/** The customer pushes back on a refusal ("just show me", "come on", 「お願い」, 「ケチ」). */
export function insists(text: string): boolean {
  return EN_INSIST.test(text) || JA_INSIST.test(text);
}

// Words around a pushback that name nothing ("ok but why not?", "come on, just show it to me").
const EN_AROUND = new Set(
  ('a an the and or but so then ok okay well oh hey hmm huh what why not no yes yeah it its it\'s this that me i you u your my can can\'t cant could couldn\'t ' +
    'do does don\'t dont is isn\'t are aren\'t was see show tell let buy sell have get read just please pls plz come on really seriously trust promise swear ' +
    'im i\'m am over under old years year age adult grown up enough real really actually already here now to for of in at with about all any one title manga book series ' +
    'mean meant problem issue reason deal how because stupid ridiculous unfair dumb silly annoying nonsense fine way bro dude man lol wtf omg sure ' +
    'literally honestly totally definitely obviously clearly seriously legit legally officially grown person guy woman lady confirmed verified')
    .split(' '),
);
const JA_AROUND = /なんで|なぜ|何故|どうして|何で|理由|どういうこと|どういう意味|見せて|みせて|教えて|売って|買わせて|買えない|見れない|見られない|読めない|お願い|おねがい|いいじゃん|いいでしょ|ケチ|けち|意味|わから|分から|おかしい|ひどい|酷い|大丈夫|本当|ほんと|信じて|嘘|大人|成人|社会人|未成年|\d+|[一二三四五六七八九十]+|歳|才|以上|超え|過ぎ|してます|してる|てる|ている|てます|ので|んです|ん|か|ください|下さい|ちょうだい|でしょ|じゃん|です|ます|だよ|だ|よ|ね|の|は|が|を|に|で|も|って|けど|から|もう|ダメ|だめ|駄目|なの|なん|じゃない|ない|なに|何|え|あ|[?？!！。、,.…〜~\s]/g;

/** True when the message is only a pushback or an age claim (nothing else asked, no title named): a follow-up to a refusal. */
export function pushbackOnly(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  if (/[\u3040-\u30ff\u3400-\u9fff]/.test(t)) return t.replace(JA_AROUND, '').replace(/[a-z0-9'\s]+/g, '').length <= 1;
  return t.split(/[^a-z0-9']+/).filter(Boolean).every((w) => EN_AROUND.has(w) || /^\d+\+?$/.test(w) || WORD_NUMBERS[w] !== undefined);
}

// How to get a title withheld from them ("how can I buy it?", "can I buy it if I log in?", "I'm
// signed in, why can't I order it?", 「どうすれば買えますか」「ログインしたら買えるの？」「ログインしてるのになんで買えないの？」).
const EN_HOW_TO_GET = /\bhow (?:can|do|could|would|should) i (?:buy|get|see|order|read|purchase|unlock|access)\b|\b(?:can|could|will) i (?:buy|get|see|order|read|purchase) (?:it|them|this|that|those|these)\b[^.?!]*\b(?:if|once|after|when) i(?:'m| am)? (?:sign|log|register|make|create|signed|logged)|\bi(?:'m| am) (?:already )?(?:signed|logged) in\b|\bif i (?:sign|log) in\b/i;
const JA_HOW_TO_GET = /(?:どう|どのように)(?:すれば|したら|やったら|やれば)[^。？?]{0,8}(?:買|購入|見|読|注文)|(?:買う|購入する|見る|読む|注文する)(?:には|ためには|方法)|ログイン(?:したら|すれば|すると|してる|している|しています|してるのに|しているのに)|会員(?:になれば|になったら|登録すれば|登録したら)/;

/** After a title was withheld: how to get it ("how can I buy it?", 「ログインしたら買えるの？」). */
export function asksHowToGet(text: string): boolean {
  const t = text.normalize('NFKC');
  return EN_HOW_TO_GET.test(t) || JA_HOW_TO_GET.test(t);
}

// The words a question about the title just withheld may add to a pushback ("I'm 25, trust me. how
// much is vol 1?", "can I buy it if I log in?"): it names nothing else, so it is about that title.
const EN_ABOUT_IT = new Set('much price prices cost costs vol vol. volume volumes first last order ordered purchase cart add log login logged logging sign signed signin register account member if once after still then get got buy bought would will should read access unlock already'.split(' '));
const JA_ABOUT_IT = /(?:よう)?(?:に)?(?:なり|なる|なれ)|[めけれ]る|買(?:え|う|い|っ)|購入|注文|ログイン|会員|登録|値段|価格|いくら|巻|どう(?:すれば|したら|やったら|やれば)|には|ため|方法|でき(?:る|ます|ない|ません)?|したら|すれば|すると|して(?:い)?る|しています|のに|なのに|られ|れる|れない|見|読|[1-9１-９]/g;

/** True when the message, besides a pushback, an age claim or a how-to-get question, only asks about the title in play (its price, buying it). */
export function aboutWithheldOnly(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  if (/[\u3040-\u30ff\u3400-\u9fff]/.test(t)) return t.replace(JA_ABOUT_IT, '').replace(JA_AROUND, '').replace(/[a-z0-9'\s]+/g, '').length <= 1;
  return t.split(/[^a-z0-9'.]+/).map((w) => w.replace(/\.$/, '')).filter(Boolean).every((w) => EN_AROUND.has(w) || EN_ABOUT_IT.has(w) || /^\d+\+?$/.test(w) || WORD_NUMBERS[w] !== undefined);
}

const EN_SIMILAR = /\b(?:similar|like (?:that|it|this|those)|something else|anything else|other (?:manga|titles?|series|ones?|books?)|alternatives?|instead)\b/i;
const JA_SIMILAR = /似た|似てる|似ている|みたいな|ような|代わり|かわり|(?:他|ほか|別)の(?:作品|漫画|マンガ|もの|本|シリーズ)/;

/** After a refusal: "recommend something similar I can buy", 「似たような作品で買えるものを教えて」. */
export function asksSimilar(text: string): boolean {
  return EN_SIMILAR.test(text) || JA_SIMILAR.test(text);
}

/** The customer asks for a person: a refusal's follow-up that still goes to staff. */
export function asksForPerson(text: string): boolean {
  return EN_PERSON.test(text) || JA_PERSON.test(text);
}

/** Who a suitability question is about, and how old they are when it says. */
export interface SuitabilityQuestion {
  audience?: Audience;
  age?: number;
  /** The reader as the customer named them ("my 12 year old", 中学生), for the answer to echo. */
  reader?: string;
  /** What the customer asks the title has ("is it gory?", 「泣ける？」): answered yes or no first. */
  content?: ContentAspect[];
}

/** Content a customer asks a title has or lacks: gore, violence, horror, sexual content, sadness, darkness, comedy. */
export type ContentAspect = 'gore' | 'violence' | 'horror' | 'sexual' | 'sad' | 'dark' | 'funny';

// The words of each aspect as an adjective or noun a customer asks about one title with.
const EN_CONTENT: [ContentAspect, string][] = [
  ['gore', 'gory|gore|bloody|blood|gruesome|graphic(?! novels?)|gross|grotesque|disgusting'],
  ['violence', 'violent|violence|brutal|fighting|fights'],
  ['horror', 'scary|creepy|spooky|horror|frightening|terrifying|horrifying'],
  ['sexual', 'sexual|sexy|lewd|ecchi|fan ?service|nudity|nude|raunchy|smutty|risque|racy|spicy|erotic|sex scenes?'],
  ['sad', 'sad|tear-?jerker|tearjerking|heartbreaking|emotional|make (?:me|you|people) cry|a tragedy|tragic'],
  ['dark', 'dark|heavy|depressing|bleak|disturbing|grim|mature'],
  ['funny', 'funny|hilarious|comedy|comedic|lighthearted|light-hearted|humou?rous'],
];
const JA_CONTENT: [ContentAspect, string][] = [
  ['gore', 'グロ|ぐろ|残酷|残虐|流血|血みどろ|血まみれ|血が(?:出|いっぱい|多)'],
  ['violence', '暴力|バイオレンス|過激な(?:描写|シーン)'],
  ['horror', '怖|こわ(?!れ|し)|コワ|恐ろし|ホラー'],
  ['sexual', 'エロ|えろ|エッチ|えっち|お色気|性的|性描写|際どい|きわどい|セクシー|下ネタ'],
  ['sad', '泣け|泣き|悲し|かなし|切な|せつな|号泣|感動'],
  ['dark', '暗い|くらい(?=[？?]|です|の|かな)|重い|おもい(?=[？?]|です|の|かな)|鬱|うつ(?:展開|になる)|ダーク|シリアス|救いが(?:ない|なさ)'],
  ['funny', '笑え|わらえ|ギャグ|コメディ|明るい|あかるい'],
];
const enWords = EN_CONTENT.map(([, w]) => w).join('|');
const jaWords = JA_CONTENT.map(([, w]) => w).join('|');
// Words that make the question stronger or softer, not another subject ("is it too gory", 「ちょっとグロい？」).
const EN_DEGREE = '(?:(?:too|very|really|super|kinda|kind of|sort of|a bit|a little|at all|that|so|pretty|quite|overly|extremely|like|particularly|very)\\s+)*';
const JA_DEGREE = '(?:ちょっと|ちょい|結構|けっこう|かなり|すごく|すごい|めっちゃ|めちゃくちゃ|とても|やっぱり?|もしかして|割と|わりと|相当|そんなに|あんまり|あまり)?';
// The content word ends what is asked ("is it scary?", "too violent for a 12 year old", "sad at all"):
// not a word inside a name ("is the halloween horror sale still on?").
const EN_PREDICATE_END = '(?=\\s*(?:[?!.,;:]|$)|\\s+(?:at all|though|tho|or not|for\\b|enough|to read|in (?:places|parts|it)|too|right|really|lol|or\\b|and\\b|like\\b))';
// "is it gory?", "is Berserk too violent", "isn't this one kind of dark?", "does it have fan service?",
// "how scary is it?", "is there a lot of gore in it?": a yes/no question about what one title has.
const EN_CONTENT_QUESTION = new RegExp(
  `\\b(?:is|isn't|was|would|will)\\s+(?:it|this|that|this one|that one|the (?:series|manga|story|book)|[^.?!,]{1,40}?)\\s+(?:be\\s+)?${EN_DEGREE}(?:an?\\s+)?(?:${enWords})\\b${EN_PREDICATE_END}|` +
    `\\b(?:does|do|will|would)\\s+(?:it|this|that|this one|that one|the (?:series|manga|story|book)|[^.?!,]{1,40}?)\\s+(?:have|contain|include|show|get)\\s+(?:any|a lot of|lots of|much|some|many|a|too much)?\\s*(?:${enWords})\\b|` +
    `\\bhow\\s+(?:${enWords})\\s+(?:is|was|does)\\b|` +
    `\\b(?:is|are)\\s+there\\s+(?:any|a lot of|lots of|much|some|many|too much)?\\s*(?:${enWords})\\b[^.?!]{0,20}\\bin (?:it|this|that|the series)\\b`,
  'i',
);
// 「グロい？」「怖いですか」「これって泣ける？」「暴力描写ある？」「エロいシーンありますか」「ちょっと重い？」:
// the content word is the predicate, and the message ends as a question. Not a wish for titles of
// the kind (「グロいのある？」「怖いやつ読みたい」「泣けるおすすめ」).
const JA_CONTENT_QUESTION = new RegExp(
  `(?:^|って|は|、|,|\\s)${JA_DEGREE}(?:${jaWords})(?:[\\u3041-\\u309fー]|描写|シーン|表現|要素|展開|場面|的|系|感じ|部分|内容|話){0,12}(?:[？?]|か|かな|かね|の|ある|あります|ない|です)[？?！!。…\\s]*$`,
);
const JA_CONTENT_REQUEST = /(?:の|やつ|もの|もん|作品|漫画|マンガ|まんが|本|系|話)(?:が|は|って|で)?(?:ある|あり|ない|ほしい|欲しい|読みたい|いい|探|教え|おすすめ)|おすすめ|オススメ|お勧め|教えて|探して|読みたい|欲しい|ほしい|(?:は|が)(?:嫌|いや|苦手|無理|だめ|ダメ)|(?:の|で|が)(?:ないの|ないやつ|ない作品)/;

/**
 * True when words the input filter found are the word of a content question about sexual
 * content ("is it lewd?", 「エロい？」 about one title): asked of a title, answered from its tags.
 */
export function sexualContentWord(words: string): boolean {
  const [, en] = EN_CONTENT.find(([a]) => a === 'sexual')!;
  const [, ja] = JA_CONTENT.find(([a]) => a === 'sexual')!;
  return new RegExp(`^(?:${en}|${ja})$`, 'i').test(words.normalize('NFKC').trim());
}

/** What a yes/no question about one title's content asks ("is it gory?", 「グロい？」, 「泣ける？」); empty when it is none. */
export function contentAspects(text: string): ContentAspect[] {
  const t = text.normalize('NFKC');
  const en = EN_CONTENT_QUESTION.exec(t);
  // "is it scary or more gross?", "is it violent and dark?": a second quality asked after or/and is asked too.
  const more = en ? (t.slice(en.index + en[0].length).match(/^\s+(?:or|and)\s+(?:(?:more|less|just|really|kinda|very|too)\s+)?[^.?!,]{0,30}/i)?.[0] ?? '') : '';
  if (en) return EN_CONTENT.filter(([, w]) => new RegExp(`\\b(?:${w})\\b`, 'i').test(en[0] + more)).map(([a]) => a);
  if (!/[\u3040-\u30ff\u3400-\u9fff]/.test(t) || JA_CONTENT_REQUEST.test(t)) return [];
  const ja = JA_CONTENT_QUESTION.exec(t);
  if (!ja) return [];
  return JA_CONTENT.filter(([, w]) => new RegExp(w).test(ja[0])).map(([a]) => a);
}

// "is it for adults?", "is this meant for kids?", 「大人向け？」「子供向けですか」: who a title is written for.
const EN_FOR_WHOM = /\b(?:is|isn't|was)\s+(?:it|this|that|this one|that one|the (?:series|manga|story|book)|[^.?!,]{1,40}?)\s+(?:only |more |mainly |mostly |really |meant |made |written |aimed at |aimed |intended |targeted (?:at )?|geared (?:towards? )?)?(?:for |at )?(?:(adults?|grown[- ]?ups?|older readers|mature readers)|(kids|children|young (?:kids|children|readers)|little kids)|(teens|teenagers|young adults))\b/i;
const JA_FOR_WHOM = /(?:(大人|成人|おとな)|(子供|子ども|こども|キッズ|小学生|児童)|(中高生|中学生|高校生|ティーン|若者))(?:向け|むけ)(?:なの|です|でしょう|ですか|かな|の|な(?:ん)?ですか)?[？?]*$/;

// A question whether something suits a reader: "is X ok/suitable/appropriate/safe for ...",
// "too violent for ...", "can my son read X", "kid friendly", "what age is X for", "age rating".
const EN_SUITS =
  /\b(?:ok(?:ay)?|alright|all right|fine|suitable|appropriate|inappropriate|safe|good|too (?:violent|scary|mature|graphic|gory|dark|adult|sexual|explicit|much|intense|old)|ready for)\b[^.?!]{0,40}?\b(?:for|to read)\b|\b(?:kid|child|family|teen)[- ]?(?:friendly|safe|appropriate)\b|\bage[- ]appropriate\b|\bcan (?:my|a|an|our|the|his|her|he|she|they)\b[^.?!]{0,30}?\bread\b|\bwhat age\b|\bhow old\b[^.?!]{0,30}?\b(?:read|be|for)\b|\bage (?:rating|range|limit|restriction|group)\b|\b(?:rated|rating)\b[^.?!]{0,20}\b(?:for|age)\b|\bwould (?:it|this|that|\w+) be (?:ok(?:ay)?|suitable|appropriate|fine|alright)\b|\b(?:is|are) (?:it|this|that|these|they|\w+(?: \w+){0,4}) (?:ok(?:ay)?|suitable|appropriate|safe|fine|alright|kid[- ]friendly)\b/i;
// 「中学生でも読めますか」「小学生が読んでも大丈夫」「子供に読ませても平気？」「何歳から」「対象年齢は」「年齢制限ありますか」.
// Whether a title is sold 18+ at all: "is Berserk 18+?", "adults only?", 「ベルセルクって18禁ですか？」「成人向け？」.
const EN_ADULT_ONLY = /(?:\b18\s*\+|\br-?18\b|\badults?[- ]only\b|\b(?:an? )?adult (?:manga|title|series|book)\b|\bage[- ]restricted\b|\bx-rated\b|\bfor (?:over|above) 18s?\b|\bover[- ]18s? only\b)/i;
const JA_ADULT_ONLY = /18禁|R-?18|成人向け|成年向け|18歳未満|18歳以上(?:限定|のみ|向け)|年齢確認(?:が)?(?:必要|いる|要る)|アダルト/;

/** True when words the input filter found are a rating label ("18+", "adults only", 18禁, 成人向け), not an explicit term. */
export function ratingLabel(words: string): boolean {
  const t = words.normalize('NFKC');
  return EN_ADULT_ONLY.test(t) || JA_ADULT_ONLY.test(t);
}

const JA_SUITS =
  /読め(?:ます|る)|読んでも(?:大丈夫|いい|良い|平気|問題)|読ませ(?:ても|て(?:も)?(?:大丈夫|いい|良い|平気))|読ませられ|(?:でも|に|には|が)(?:大丈夫|平気|問題ない|早い|はやい|向いて|適して|ふさわしい)|何歳(?:から|向け|くらい|ぐらい)|対象年齢|年齢制限|年齢層|向け(?:です|なの|でしょう|ですか|かな)|(?:刺激|描写)が(?:強|きつ|キツ|激し)|(?:グロ|エロ|怖|こわ)い(?:です|でしょう)?か/;
// Readers: an age ("12 year old", 「10歳」), or a school stage, a child, a teen.
const EN_READER_AGE =
  /\b(\d{1,2})[\s-]*(?:years?|yrs?)[\s-]*old\b|\b(\d{1,2})\s*(?:yo|y\/o)\b|\baged?\s+(\d{1,2})\b|\b(?:he|she|they|son|daughter|kid|child|nephew|niece|boy|girl|grandson|granddaughter)(?:'s| is| are| turned| turns)\s+(?:only |just |almost |nearly )?(\d{1,2})\b/i;
const JA_READER_AGE = /(\d{1,2})\s*(?:歳|才)/;
const EN_READER =
  /\b(?:my|a|an|our|his|her|the)?\s*(?:little |young |teenage |\d{1,2}[\s-]*(?:years?|yrs?)[\s-]*old |\d{1,2}\s*yo )?(?:kids?|child|children|son|daughter|boy|girl|nephew|niece|grandson|granddaughter|grandkids?|grandchild(?:ren)?|teens?|teenagers?|tweens?|students?|middle schooler|high schooler|young readers?|minors?)\b/i;
const JA_READER = /小学生|小学校|低学年|高学年|中学生|中学|高校生|高校|中高生|子供|子ども|こども|息子|娘|甥|姪|孫|幼稚園|保育園|園児|児童|未成年|ティーン/;

function audienceOfAge(age: number): Audience {
  return age <= 12 ? 'child' : age <= 17 ? 'teen' : 'adult';
}

function readerAudience(reader: string): Audience | undefined {
  if (/中学|高校|中高生|ティーン|teen|tween|middle school|high school|minor|未成年/i.test(reader)) return 'teen';
  if (/小学|低学年|高学年|幼稚園|保育園|園児|児童|子供|子ども|こども|kid|child|little|young|grand/i.test(reader)) return 'child';
  // 息子, 娘, son, daughter, nephew, student without an age: young, not necessarily a child.
  return undefined;
}

/**
 * A question whether a title suits a reader ("is Attack on Titan ok for my 12 year old?",
 * 「進撃の巨人って中学生でも読めますか？」, "what age is Berserk for?"), with the reader's age
 * group when it says; undefined for anything else, including a request for titles for a reader
 * ("manga for a 10-year-old": a recommendation, not a question about one title).
 */
export function suitabilityQuestion(text: string): SuitabilityQuestion | undefined {
  const t = text.normalize('NFKC');
  const content = contentAspects(t);
  const forWhom = EN_FOR_WHOM.exec(t) ?? JA_FOR_WHOM.exec(t);
  // "is it for adults?": who it is written for; "is it for kids?" / 「子供向け？」: as for a child.
  if (forWhom) {
    const audience: Audience = forWhom[1] ? 'adult' : forWhom[2] ? 'child' : 'teen';
    return { audience, reader: forWhom[0].match(/adults?|grown[- ]?ups?|older readers|mature readers|kids|children|young (?:kids|children|readers)|little kids|teens|teenagers|young adults|大人|成人|おとな|子供|子ども|こども|キッズ|小学生|児童|中高生|中学生|高校生|ティーン|若者/i)?.[0], ...(content.length > 0 ? { content } : {}) };
  }
  const adultOnly = EN_ADULT_ONLY.test(t) || JA_ADULT_ONLY.test(t);
  if (!EN_SUITS.test(t) && !JA_SUITS.test(t) && !adultOnly) return content.length > 0 ? { content } : undefined;
  const enAge = EN_READER_AGE.exec(t);
  const jaAge = JA_READER_AGE.exec(t);
  const ageText = enAge ? (enAge[1] ?? enAge[2] ?? enAge[3] ?? enAge[4]) : jaAge?.[1];
  const age = ageText !== undefined ? Number(ageText) : undefined;
  const reader = (EN_READER.exec(t)?.[0] ?? JA_READER.exec(t)?.[0])?.trim();
  const asksAge = adultOnly || /\bwhat age\b|\bhow old\b|\bage (?:rating|range|limit|restriction|group)\b|何歳|対象年齢|年齢制限|年齢層/i.test(t);
  // A suitability word alone ("is it good?", 「読めますか」 about where to read) is no audience question.
  if (age === undefined && reader === undefined && !asksAge) return content.length > 0 ? { content } : undefined;
  const audience = age !== undefined ? audienceOfAge(age) : reader ? readerAudience(reader) : undefined;
  return { ...(audience ? { audience } : {}), ...(age !== undefined ? { age } : {}), ...(reader ? { reader } : {}), ...(content.length > 0 ? { content } : {}) };
}

// What is not the title in a suitability question: the question words, the reader, their age.
const EN_NOT_SUBJECT: RegExp[] = [
  /^\s*(?:so|ok(?:ay)?|hey|hi|also|and|but|hmm+)?[,\s]*(?:is|are|would|will|could|should|does|do|was)\s+/i,
  /\b(?:be\s+)?(?:ok(?:ay)?|alright|all right|fine|suitable|appropriate|inappropriate|safe|good|too (?:violent|scary|mature|graphic|gory|dark|adult|sexual|explicit|much|intense|old)|ready)\b(?:\s+enough)?(?:\s+(?:for|to read)\b.*)?$/i,
  /\b(?:kid|child|family|teen)[- ]?(?:friendly|safe|appropriate)\b/gi,
  /\bage[- ]appropriate\b/gi,
  /\bcan (?:my|a|an|our|the|his|her|he|she|they)\b(?:\s+(?!read\b)[\w'-]+){0,4}?\s+read\b/gi,
  /\b(?:what age|how old)(?:\s+(?:is|are|should|would|do|does|must))?(?:\s+(?:you|one|a kid|someone|my \w+))?(?:\s+be)?(?:\s+to read)?\b/gi,
  /\b(?:age (?:rating|range|limit|restriction|group))(?:\s+(?:of|for))?\b/gi,
  /\b(?:for|to read)\s*$/i,
  /\b(?:is|are) (?:it|this|that|these|they)\b/gi,
  /\b(?:though|tho|really|actually|honestly|please|pls)\b/gi,
  new RegExp(EN_ADULT_ONLY.source, 'gi'),
  /\b(?:an?|only|just)\s*(?=(?:manga|title|series|book)?\s*$)|\s(?:manga|title|series|book)\s*$/gi,
  // A content question's words: "is Berserk too gory?", "does Punpun have fan service?", "how scary is Uzumaki?", "is it for adults?".
  new RegExp(`^\\s*how\\s+(?:${enWords})\\s+(?:is|was|does)\\s+`, 'i'),
  new RegExp(`\\s+(?:be\\s+)?${EN_DEGREE}(?:an?\\s+)?(?:${enWords})\\b.*$`, 'i'),
  /\s+(?:have|has|contain|include|show|get)(?:\s+(?:any|a lot of|lots of|much|some|many|a|too much))?\s*$/i,
  /^there\b(?:\s+(?:any|a lot of|lots of|much|some|many|too much))?\s*$/i,
  /\s+(?:only |more |mainly |mostly |really |meant |made |written |aimed at |aimed |intended |targeted (?:at )?|geared (?:towards? )?)?(?:for |at )(?:adults?|grown[- ]?ups?|older readers|mature readers|kids|children|young (?:kids|children|readers)|little kids|teens|teenagers|young adults)\b.*$/i,
];
const JA_NOT_SUBJECT: RegExp[] = [
  new RegExp(`${JA_DEGREE}(?:${jaWords}).*$`),
  /(?:大人|成人|おとな|子供|子ども|こども|キッズ|小学生|児童|中高生|中学生|高校生|ティーン|若者)(?:向け|むけ).*$/,
  new RegExp(JA_SUITS.source, 'g'),
  new RegExp(`(?:${JA_ADULT_ONLY.source}|成人|成年)(?:の)?(?:作品|漫画|マンガ)?`, 'g'),
  /(?:\d{1,2}|[一二三四五六七八九十]+)\s*(?:歳|才)(?:の|に|が|でも|は)?/g,
  new RegExp(`(?:${JA_READER.source})(?:の方|さん|ちゃん|くん)?(?:の|に|が|でも|は|には|にも)?`, 'g'),
  /(?:お)?子(?:さん|さま|様)?(?=に|が|は|でも|には)|内容的に|な?内容(?:は|って|が|です)?|平気|大丈夫|問題(?:ない|ありません)?|(?:を)?(?:買って|読ませて|プレゼントして)(?:あげ)?たい(?:んです|んだ)?(?:が|けど|けれど)?|(?:んです|んだ)?(?:けど|が)$|ですか|でしょうか|かな|(?:か|ね|よ|な)+$|(?:って|は|を|が|の|も|に|でも)+$|^(?:の|に|が|を|は|って)+/g,
];
const PRONOUN_ONLY = /^(?:it|this|that|this one|that one|these|those|they|the series|this series|this manga|that manga|これ|それ|あれ|この作品|その作品|この漫画|その漫画|このシリーズ|そのシリーズ)?$/i;

/**
 * Where the title of a suitability question may be, best first: the clause that asks the
 * question without its question words, then the whole message without them ("my son is 10, can
 * he read Tokyo Ghoul?" → "Tokyo Ghoul"; 「小学生の娘に鬼滅の刃を…大丈夫ですか？」 → 鬼滅の刃). An
 * empty string: the message names no title ("is it ok for a 12 year old though?").
 */
export function suitabilitySubjects(text: string): string[] {
  const t = text.normalize('NFKC');
  const japanese = /[\u3040-\u30ff\u3400-\u9fff]/.test(t);
  const strip = (x: string): string => {
    // Removing one phrase can bare the next ("…って" after 「か」 goes): until nothing changes.
    for (let before = ''; before !== x; ) {
      before = x;
      for (const re of japanese ? [...JA_NOT_SUBJECT, ...EN_NOT_SUBJECT] : EN_NOT_SUBJECT) x = x.replace(re, ' ').trim();
      x = x.replace(/[?？！。、,]+$/g, '').replace(/\s+/g, ' ').trim();
      if (japanese) x = x.replace(/\s*(?:か|ね|よ)$/, '').trim();
    }
    return x;
  };
  // Clauses end at a question mark, a comma or a full stop before a space (not "Yotsuba&!" or "Dr.").
  const clauses = t.split(/[?？。、,]|[!！.](?=\s+[a-z])/i).map((c) => c.trim()).filter(Boolean);
  const asking = clauses.find((c) => EN_SUITS.test(c) || JA_SUITS.test(c) || EN_ADULT_ONLY.test(c) || JA_ADULT_ONLY.test(c));
  const out = [...(asking ? [strip(asking)] : []), strip(t)].map((x) => (PRONOUN_ONLY.test(x) ? '' : x));
  const named = out.filter(Boolean);
  return named.length > 0 ? [...new Set(named)] : [''];
}

// A request for titles ("recommend something ok for a 10 year old", 「小学生向けのおすすめ」): not a question about one title.
const EN_REQUEST = /\b(?:recommend|recommendation|suggest|suggestion|any (?:good )?(?:manga|series|titles?|books?|comics?)|some (?:manga|series|titles?|books?)|something|anything|what (?:manga|series|titles?|books?)|which (?:manga|series|titles?|books?)|looking for (?:a |some )?(?:manga|series|book))\b/i;
const JA_REQUEST = /おすすめ|オススメ|お勧め|お薦め|何か|なにか|どれが|どんな(?:漫画|マンガ|作品)|(?:漫画|マンガ|作品)(?:を|は)?(?:教えて|探して|ありますか|ある\?|ある？)/;

/** True when the message asks for titles (a recommendation) rather than about one title. */
export function requestsTitles(text: string): boolean {
  return EN_REQUEST.test(text) || JA_REQUEST.test(text);
}

// A minor on an account that is not theirs, or a parent asking how to keep one from 18+ titles.
const EN_MINOR_WHO =
  /\b(?:my (?:kid|kids|child|children|son|daughter|teen|teenager|little brother|little sister|younger brother|younger sister|nephew|niece)|a (?:minor|kid|child)|minors?|underage|under[- ]age|i'?m (?:1[0-7]|only 1[0-7]|a minor|underage)|i am (?:1[0-7]|a minor|underage))\b/i;
const EN_PARENT_ACCOUNT = /\b(?:my|our|his|her|their|(?:my )?(?:mom|mum|mother|dad|father|parent|parents|brother|sister)'?s?)\s+account\b|\baccount\b[^.?!]{0,30}\b(?:my|our) (?:kid|child|son|daughter)|\bon (?:my|our) account\b|\bfamily account\b/i;
const JA_MINOR_WHO = /子供|子ども|こども|息子|娘|未成年|中学生|高校生|小学生|弟|妹|甥|姪/;
const JA_PARENT_ACCOUNT = /(?:私|わたし|僕|俺|親|母|父|ママ|パパ|お母さん|お父さん|家族|夫|妻)の?アカウント|アカウント(?:を|で)(?:勝手に|使っ|使わ|利用)/;

/** A minor using a parent's account, or a parent asking to keep their child from 18+ titles on their account. */
export function minorOnAccount(text: string): boolean {
  const t = text.normalize('NFKC');
  return (EN_MINOR_WHO.test(t) && EN_PARENT_ACCOUNT.test(t)) || (JA_MINOR_WHO.test(t) && JA_PARENT_ACCOUNT.test(t));
}

// Places outside Japan a customer names ("I'm in Canada", "ship to the US", 「海外から」).
const EN_ABROAD =
  /\b(?:abroad|overseas|international(?:ly)?|outside (?:of )?japan|usa|u\.s\.a?\.?|united states|america|canada|mexico|brazil|uk|u\.k\.|britain|england|scotland|ireland|france|germany|italy|spain|portugal|netherlands|belgium|sweden|norway|denmark|finland|poland|europe|australia|new zealand|china|korea|taiwan|hong kong|singapore|thailand|philippines|vietnam|malaysia|indonesia|india)\b|\bthe (?:us|states)\b|\b(?:to|in|from) (?:the )?US\b/i;
const JA_ABROAD = /海外|国外|外国|アメリカ|米国|カナダ|イギリス|英国|フランス|ドイツ|ヨーロッパ|欧州|オーストラリア|中国|韓国|台湾|香港|シンガポール|タイ(?![ァ-ヶー])|ブラジル/;

/** The customer says they are (or ship) outside Japan: 18+ titles are not shipped abroad. */
export function mentionsAbroad(text: string): boolean {
  return EN_ABROAD.test(text) || JA_ABROAD.test(text);
}

/**
 * What the store does differently for 18+ titles (data/kb age-restricted: delivery, payment,
 * digital editions), as a customer may ask it about one: shipped abroad, as an e-book, paid by
 * phone bill, picked up at a convenience store, gift-wrapped, in what packaging.
 */
export type AgeAspect = 'abroad' | 'digital' | 'carrier' | 'konbini' | 'wrapping' | 'packaging';

const ASPECTS: [AgeAspect, RegExp][] = [
  ['digital', /\b(?:digital|e-?books?|kindle|electronic (?:version|edition|copy)|e-?reader|read (?:it )?online)\b|電子(?:書籍|版)?|デジタル/i],
  ['carrier', /\b(?:carrier (?:billing|payment)|phone bill|mobile (?:bill|carrier)|docomo|softbank)\b|キャリア決済|携帯(?:料金|決済|払い|代)|ドコモ|ソフトバンク/i],
  ['konbini', /\b(?:convenience[- ]store|konbini|7-?eleven|lawson|family ?mart)\b[^.?!]{0,30}\b(?:pick(?:ing)?[- ]?up|collect|deliver(?:y|ed)?)\b|\b(?:pick(?:ing)?[- ]?up|collect)\b[^.?!]{0,30}?\b(?:at|from) (?:a |the |my )?(?:convenience store|konbini|7-?eleven|lawson|family ?mart)\b|コンビニ(?:で)?(?:受け?取|受取)/i],
  ['wrapping', /\bgift[- ]?wrap|\bwrapp(?:ed|ing)\b|ラッピング|包装/i],
  ['packaging', /\b(?:packag(?:e|ing)|discreet(?:ly)?|plain box|what'?s inside|delivery slip|(?:my )?(?:parents?|family|wife|husband|roommate) (?:see|know|find out))\b|梱包|中身|バレ|家族に(?:知られ|見られ|ばれ)|納品書/i],
];

/** The 18+ rules a message asks about beside the title (abroad, e-book, phone bill, konbini pickup, wrapping, packaging). */
export function ageAspects(text: string, earlier: string[] = []): AgeAspect[] {
  const t = text.normalize('NFKC');
  // Where the customer said they are earlier in the visit stays true ("I'm in Canada. Can you ship Berserk 1-3?",
  // then "and Gantz? I'm 40"): 18+ titles are not shipped abroad either.
  const abroad = mentionsAbroad(t) || earlier.some((x) => mentionsAbroad(x.normalize('NFKC')));
  return [...(abroad ? ['abroad' as const] : []), ...ASPECTS.filter(([, re]) => re.test(t)).map(([a]) => a)];
}

/** "I already confirmed my age", 「年齢確認はもうしました」: an unconfirmed account may need to sign in again. */
export function saysConfirmed(text: string): boolean {
  return /\b(?:i(?:'ve| have)? (?:already |just )?(?:confirmed|verified)|(?:already|just) (?:confirmed|verified)|(?:my )?age is (?:already )?(?:confirmed|verified))\b/i.test(text) || /年齢確認(?:は|を|も)?(?:もう|すでに|既に)?(?:した|しました|して(?:い)?ます|済|済ませ|終わ)/.test(text);
}
