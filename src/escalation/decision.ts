// Whether a message that sounds like an escalation should open a handoff ticket. The classifier's
// `escalation` label covers anger, complaints and requests for a person alike; only a request for
// a person (or a complaint meant for staff) opens a ticket. A question about support ("what hours
// are your staff there?", 「電話番号は？」) is a policy question; an outburst with nothing asked is
// answered calmly, offering a person, without a new ticket each time; a problem the store's policy
// answers (a damaged book) gets that answer.
// Hand-written: the request forms of a handful of verbs per language, not a list of sentences.

import { asksAboutAssistant } from '../understanding/small-talk.ts';

/** What an escalation-sounding message asks of the store. */
export type EscalationKind =
  /** Asks for a person (or to complain to staff): a ticket. */
  | 'person'
  /** Asks about support itself (its hours, phone, how to reach it): a policy question. */
  | 'question'
  /** Anger or an insult with nothing asked: a calm reply offering a person. */
  | 'outburst'
  /** A problem the policy pages answer (a damaged book), no person asked: that answer. */
  | 'problem'
  /** Anything else (a double charge told): staff must see it, a ticket. */
  | 'other';

// People the customer may ask for.
const EN_PERSON =
  /\b(?:humans?|(?:real |live |actual |a )?person|people|some(?:one|body)(?: (?:real|else|who|from|in charge))?|agents?|staff(?: member)?|operators?|representative|rep|manager|supervisor|boss|employee|customer (?:service|support|care)|support (?:team|staff|agent|person)|live (?:chat|support)|real support|person in charge|(?:your|the) (?:team|superior|owner))\b/;
// Asking to be put through to one: "talk to", "get me", "connect me", "I want", "can I speak".
const EN_REQUEST =
  /\b(?:talk|speak|chat|text)(?:ing)? (?:to|with)\b|\b(?:get|give|put|connect|transfer|pass|send|hand|switch|forward) (?:me|us|this|it)\b|\b(?:i|we) (?:want|need|demand|would like|'d like|wanna|must)\b|\b(?:can|could|may|let) (?:i|me|you|u)\b|\bplease\b|\bpls\b|\bnow\b|\bimmediately\b|\bright now\b|\bis there (?:a|any|an)\b|\bescalate|\bcall me\b|\bcontact me\b|\bemail me\b|\bnot (?:a |another )?(?:bot|chat ?bot|machine|robot|ai)\b|\b(?:can|could|would|will) (?:a|an|the|your|some|one of your) [^.?!]{0,25}\b(?:help|assist|look into|sort out|handle|deal with)\b|^\W*(?:an? |the |your )?\S+\W*$/;
// Asking for staff without naming one: to complain, to escalate, not a bot; a lawyer as a threat
// ("I'm contacting my lawyer"), not one asked for ("can you recommend a good lawyer?": out of scope).
const EN_TO_STAFF = /\b(?:escalate|complain|complaints?(?: department)?|formal complaint|consumer (?:agency|affairs|center|centre)|chargeback|(?<!(?:recommend|suggest|find|know|know of|need|looking for|searching for|any|good|great|cheap|best)(?: me)?(?: (?:a|an|any|some))?(?: (?:good|great|cheap|decent|reliable))? )lawyers?|sue you)\b|\b(?:stop|no more) (?:giving me )?(?:automated|bot|canned|robot) (?:answers|replies|responses)\b|\breal help\b/;
// A question about support itself: when, how, which number.
// Its email address or contact form too ("is there an email address for your support team?").
const EN_QUESTION = /\b(?:can|could|may) (?:i|we) (?:just )?(?:call|phone|ring)\b|\b(?:call|phone|ring) (?:you|someone|somebody|support|customer (?:service|support))\b|\b(?:do|does|are|is|can|will)\b[^.?!]{0,40}\b(?:weekends?|holidays|sundays|saturdays)\b|\bdo you (?:have|offer) (?:a |any )?(?:live chat|phone (?:support|line)|human support)\b|\b(?:what|which) (?:time|hours?|days?)\b|\bhours\b|\bwhen (?:is|are|can|do|does|will)\b|\bphone(?: number)?\b|\btelephone\b|\bhow (?:do|can|could) (?:i|you|we) (?:contact|reach|get in touch|e-?mail|write to)\b|\bopen(?:ing)? (?:hours|times)\b|\be-?mail (?:address|addy)\b|\bwhat'?s (?:your|the) (?:\w+ ){0,2}e-?mail\b|\bcontact (?:form|details|info(?:rmation)?|page|address)\b/;

const JA_PERSON = /人間|生身|(?<![一-龯])人(?:と|に|が)|担当(?:者|の方)?|スタッフ|オペレーター|オペレータ|責任者|店長|上司|上の人|有人|社員|係の人|窓口の人|サポートの方|誰か|偉い人|えらい人|管理者|マネージャー/;
// (Not 思い出せない: 「タイトルが思い出せない」 remembers, it sends for nobody.)
const JA_REQUEST = /たい(?:です|んです|のですが|んだけど|んですけど)?|話せ(?:ます|る)|相談(?:でき|したい|させ)|させて|代わ(?:って|れ|りたい)|かわって|(?<!思い|おもい)(?:出して|出せ|だして|だせ)|呼んで|呼べ|よんで|つないで|繋いで|つなげ|繋げ|お願い|おねがい|ください|下さい|頂け|いただけ|もらえ|ほしい|欲しい|希望|対応して|連絡(?:して|を)|電話して|^[^。？?]{0,8}$/;
const JA_TO_STAFF = /苦情|クレーム|消費者(?:センター|庁)|訴え|(?<!(?:いい|良い|おすすめの|オススメの|優秀な|安い)(?:感じの)?)弁護士(?!(?:さん)?(?:を|の|は)?(?:紹介|教え|探|知ら|知って|おすすめ|オススメ|いませ|いない))|ボットじゃ(?:なく|話にならない)|AIじゃ(?:なく|話にならない)|自動応答(?:じゃ|では)(?:なく|話にならない)|話にならない/;
const JA_QUESTION = /電話(?:も|で|は)(?:でき|話せ|問い合わせ|お問い合わせ|相談|つなが)|電話(?:したい|をかけたい|かけたい)|土日|週末|祝日|何時|なんじ|時間(?:は|帯|を)|営業時間|受付時間|いつ(?:から|まで|なら|でも)?|電話番号|連絡先|メールアドレス|問い合わせフォーム|お問い合わせフォーム|何日|曜日|方法|どうやって|どうすれば|どこから/;

// Anger with nothing asked: the insult words the guardrail knows aside, these.
const EN_OUTBURST =
  /\b(?:outrageous|unbelievable|ridiculous|unacceptable|absurd|joke|pathetic|useless|garbage|trash|rubbish|awful|terrible|horrible|worst|stupid|dumb|idiots?|incompetent|frustrat\w*|angry|mad|furious|livid|annoyed|pissed|fed up|sick of|tired of|patience|not helping|no help|waste of time|driving me crazy|hate|wtf|ugh|seriously|disgrace|scam\w*|sucks?)\b/;
const JA_OUTBURST = /ふざけ|いい加減|ありえない|あり得ない|最悪|最低|使えな|役に立たな|役立たず|ポンコツ|バカ|ばか|馬鹿|アホ|あほ|クソ|くそ|ゴミ|ごみ|カス|むかつ|ムカつ|腹(?:が)?立|イライラ|いらいら|怒|うんざり|がっかり|呆れ|あきれ|話にならない|どうなってる|なめて|舐めて|ひどい|酷い/;

/** Problems the store's policy pages answer (what is done about a damaged book, when a refund arrives). */
const ANSWERED_PROBLEMS = new Set(['damaged', 'wrong-item', 'refund', 'returns', 'cancel', 'lost', 'payment-fail']);

// Anger at the store or the assistant, unmistakable in any message ("your site is garbage, how
// much is shipping?"): the request is answered after an apology. Narrower than an outburst:
// "I hate horror" or "not too terrible" is no complaint.
const EN_ANGER =
  /\b(?:useless|garbage|trash|rubbish|pathetic|stupid|dumb|idiots?|incompetent|ridiculous|outrageous|unacceptable|worst (?:store|shop|service|site|bot|experience)|wtf|scam(?:mers?)?|fed up|furious|livid|pissed(?: off)?|waste of (?:my )?time|(?:you|u|ya|you guys|y'?all|this (?:bot|store|shop|site|website|app|service|chat))(?: really| so| just)? sucks?)\b/;
const JA_ANGER = /ふざけ|いい加減にし|ありえない|あり得ない|最悪|使えな|役に立たな|役立たず|ポンコツ|バカ|馬鹿|アホ|クソ|ゴミ|むかつ|ムカつ|腹(?:が)?立|イライラ|話にならない|なめて|舐めて/;

// Anger words that are also plain nouns of a story or a thing ("a kid thrown into a garbage dump",
// 「ゴミの世界に落とされる少年」「ゴミ山で戦う」, "a manga about trash collectors"): anger only in a clause
// aimed at the store or the assistant ("this store is garbage", 「ゴミみたいな店」) or one that is
// nothing but the word ("garbage.", 「ゴミ」).
const PLAIN_NOUN = /^(?:garbage|trash|rubbish|ゴミ)$/;

/** True when the message is angry at the store or the assistant, whatever else it asks. */
export function soundsAngry(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  if (!EN_ANGER.test(t) && !JA_ANGER.test(t)) return false;
  return (t.match(CLAUSE) ?? [t]).some((clause) => {
    const words = [...(clause.match(EN_ANGER_ALL) ?? []), ...(clause.match(JA_ANGER_ALL) ?? [])];
    if (words.length === 0) return false;
    if (words.some((w) => !PLAIN_NOUN.test(w)) || VENT_TARGET.test(clause)) return true;
    const rest = clause.replace(EN_ANGER_ALL, ' ').replace(JA_ANGER_ALL, ' ').replace(VENT_FILLER, ' ');
    return !/[\p{L}\p{N}]{2,}/u.test(rest);
  });
}

// A clause of a message, with the punctuation that ends it.
const CLAUSE = /[^、。,.!！?？\n]+[、。,.!！?？\n]*/gu;
// A clause that asks or requests something: kept, whatever it calls the store.
const CLAUSE_ASKS =
  /[?？]|\b(?:do|does|did|can|could|would|will|have|has|is|are)\s+(?:you|u|ya|i|we|there|it)\b|\b(?:show|give|find|tell|get|send)\s+me\b|\bi\s+(?:want|need|would like|'d like|am looking|'m looking)\b|\b(?:please|pls|plz|how much|how many|in stock)\b|ありますか|あります$|ある$|ある[かの]|いくら|教えて|ください|下さい|欲しい|ほしい|探して|ますか|ですか|できる[？?]?$|知りたい|したい/u;
// Whom the venting is aimed at: the store, its site, the assistant.
const VENT_TARGET =
  /\b(?:you|u|ur|your|you'?re|ya|store|shop|site|website|bot|chat ?bot|assistant|ai|service|app|staff|company|this place)\b|店|サイト|ボット|ぼっと|チャット|アシスタント|お前|おまえ|あんた|てめ|貴様|対応|サービス|アプリ|(?<![a-z])ai(?![a-z])|機械|ロボット|会社|運営/u;
// What is left of a clause that is nothing but anger once the anger words are gone ("ugh, seriously?", 「最悪だな」).
const VENT_FILLER =
  /\b(?:this|that|it|it'?s|that'?s|is|are|so|such|a|an|the|just|really|totally|absolutely|ugh|omg|man|lol|seriously|what|how|too|very|fucking|damn|freaking)\b|だな|だね|だよ|です|すぎ|過ぎ|マジで|マジ|まじ|本当に|ほんとに|ほんと|な|だ|よ|ね|わ|ー|〜|~|w+/gu;
const EN_ANGER_ALL = new RegExp(EN_ANGER.source, 'gu');
const JA_ANGER_ALL = new RegExp(JA_ANGER.source, 'gu');

/**
 * The message without the clauses that only vent at the store ("this store is garbage like a
 * dumpster", 「ゴミみたいな店だな」) when another clause asks something: read as it stands, the
 * venting's simile would be a wish for titles like it (「ゴミみたいな」 → picks like the title asked
 * for) and the whole message an outburst, the real question (One Piece vol 1) never answered. The
 * anger is still heard (soundsAngry and the guardrail's insult findings run on the whole message:
 * the answer opens with an apology). `insults` are the words the guardrail found as insults. Only
 * called for an angry message; a message that is all venting is left as it was.
 */
export function withoutVenting(text: string, insults: readonly string[] = []): string {
  const clauses = text.match(CLAUSE) ?? [];
  if (clauses.length < 2) return text;
  const vents = (clause: string): boolean => {
    const t = clause.normalize('NFKC').toLowerCase();
    const angry = EN_ANGER.test(t) || JA_ANGER.test(t) || insults.some((w) => w.length > 0 && t.includes(w.normalize('NFKC').toLowerCase()));
    if (!angry || CLAUSE_ASKS.test(t)) return false;
    if (VENT_TARGET.test(t)) return true;
    // Nothing but anger ("wtf", 「最悪」): no title or request hides in it (バカとテストと召喚獣 is a title).
    let rest = t.replace(EN_ANGER_ALL, ' ').replace(JA_ANGER_ALL, ' ');
    for (const w of insults) rest = rest.split(w.normalize('NFKC').toLowerCase()).join(' ');
    return !/[\p{L}\p{N}]{2,}/u.test(rest.replace(VENT_FILLER, ' '));
  };
  const kept = clauses.filter((c) => !vents(c));
  if (kept.length === clauses.length || kept.length === 0) return text;
  const rest = kept.join('').trim();
  return /[\p{L}\p{N}]/u.test(rest) ? rest : text;
}

// Support named without a person ("when is support open?", 「窓口は何時まで？」).
const SUPPORT_WORD = /support|サポート|窓口|問い合わせ|お問合せ/;
// What else a sentence beside a request for a person may ask about: an order, a parcel, a book, a rule.
const OTHER_SUBJECT = /\b(?:orders?|deliver\w*|arriv\w*|ship\w*|parcel|package|refunds?|returns?|points|price|stock|volumes?|manga|books?)\b|注文|届|配送|発送|返品|返金|ポイント|在庫|巻|値段|価格|送料|荷物/;
// A sentence of a message: up to ? ! 。 or a line break, or a full stop before a space.
const SENTENCE = /[^?？!！。\n]+?(?:[?？!！。\n]+|\.(?=\s)|$)/gu;

/** True when the message asks to be put through to a person (or to complain to staff). */
export function asksForPerson(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase().trim();
  if (EN_TO_STAFF.test(t) || JA_TO_STAFF.test(t)) return true;
  if (personAsked(t)) return true;
  // ...in one sentence, with a question about support in another ("can I speak to someone? what
  // hours are your staff around"): both are asked — a person, and the hours (composeEscalation).
  const sentences = sentencesOf(t);
  return sentences.length > 1 && sentences.some((s) => personAsked(s));
}

/**
 * The sentences of a folded message; an English one also at its commas ("i need a real person,
 * when are you open?"). A Japanese clause before 、 often carries the request's verb for what
 * follows (「担当者に電話したいんですけど、電話番号を教えて」), so Japanese is cut at sentence ends only.
 */
function sentencesOf(t: string): string[] {
  const out: string[] = [];
  for (const s of t.match(SENTENCE) ?? []) {
    if (/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(s)) out.push(s.trim());
    else out.push(...s.split(/,\s+/).map((p) => p.trim()));
  }
  return out.filter((s) => s.length > 0);
}

/** True when `t` (folded) asks for a person and not only about support. */
function personAsked(t: string): boolean {
  // "Am I talking to a real person?", 「人間ですか？」 ask what the assistant is, not for someone else.
  if (asksAboutAssistant(t)) return false;
  if (EN_PERSON.test(t) && EN_REQUEST.test(t) && !asksAboutSupport(t)) return true;
  return JA_PERSON.test(t) && JA_REQUEST.test(t) && !asksAboutSupport(t);
}

/**
 * The sentences of a message asking for a person that ask about support itself (its hours, its
 * phone): answered with the handoff ("can I speak to someone? what hours are your staff around"
 * → the hours). undefined when none does, or no person is asked for.
 */
export function supportQuestionBeside(text: string): string | undefined {
  const t = text.normalize('NFKC').toLowerCase().trim();
  if (!asksForPerson(t)) return undefined;
  // A sentence on another subject is no question about support (「あとこの注文いつ届くの？」: いつ asks of the order).
  const asked = sentencesOf(t).filter((s) => asksAboutSupport(s) && !personAsked(s) && (EN_PERSON.test(s) || JA_PERSON.test(s) || SUPPORT_WORD.test(s) || !OTHER_SUBJECT.test(s)));
  if (asked.length === 0) return undefined;
  const question = asked.join(' ');
  // "what time are they available?", 「何時まで対応していますか？」: the staff of the other sentence are who is meant.
  if (EN_PERSON.test(question) || JA_PERSON.test(question) || SUPPORT_WORD.test(question)) return question;
  return /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(question) ? `スタッフ ${question}` : `support staff ${question}`;
}

// A charge the customer says is wrong: twice, double, more than ordered ("I was charged twice for
// order X", 「二重に引き落とされた」). No policy page answers it: staff must look at the payment.
const BILLING_ERROR =
  /\b(?:charged|billed|debited|taken)\b[^.?!]{0,20}\b(?:twice|two times|double|2x|x2|again|more than once|too much|extra)\b|\bdouble[- ]?(?:charged|billed|charge|charges|payment|payments|billing)\b|\bduplicate (?:charges?|payments?|transactions?)\b|\bcharged (?:me )?(?:for|on) (?:the same|one) (?:order|thing) (?:twice|two times)\b|二重(?:に)?(?:請求|引き落と|決済|課金|支払|払|引かれ)|(?:2|二)回(?:も)?(?:請求|引き落と|決済|課金|引かれ)|(?:請求|引き落とし|決済)(?:が|を)?(?:2|二)回|多く(?:請求|引き落と|引かれ)|余分に(?:請求|引き落と|引かれ)/i;

/** True when the message says they were charged wrongly (twice, double, too much): staff must see it, a ticket. */
export function reportsBillingError(text: string): boolean {
  return BILLING_ERROR.test(text.normalize('NFKC').toLowerCase());
}

// How soon staff answer ("how long until they reply?", 「返事はいつ来る？」).
const EN_REPLY_TIME = /\bhow (?:long|soon|quickly|fast)\b[^.?!]{0,40}\b(?:reply|replies|respond|response|answer|get back|hear back|write back)\b|\bwhen (?:will|do|does|would|can|should) (?:they|someone|somebody|staff|you|i|we)\b[^.?!]{0,30}\b(?:reply|respond|answer|get back|hear back|hear from|contact)\b/;
const JA_REPLY_TIME = /(?:返信|返事|回答|連絡)[^。？?]{0,8}(?:いつ|どのくらい|どれくらい|どのぐらい|どれぐらい|何時間|何日|何分)|(?:いつ|どのくらい|どれくらい|どのぐらい|どれぐらい|何時間|何日|何分)[^。？?]{0,8}(?:返信|返事|回答|連絡)/;

/**
 * A question about the support staff with nothing else asked, worded for the policy search: right
 * after a handoff the staff are who "they" are ("how long until they reply?", 「何時まで対応してる？」);
 * naming them, any time ("when are agents available?"). undefined when it asks for a person, or of
 * another subject (「いつ届く？」 asks of a parcel).
 */
export function supportQuestion(text: string, afterHandoff: boolean): string | undefined {
  const t = text.normalize('NFKC').toLowerCase().trim();
  if (asksForPerson(t) || asksAboutAssistant(t)) return undefined;
  if (!asksAboutSupport(t) && !EN_REPLY_TIME.test(t) && !JA_REPLY_TIME.test(t)) return undefined;
  const named = EN_PERSON.test(t) || JA_PERSON.test(t) || SUPPORT_WORD.test(t);
  if (named) return t;
  if (!afterHandoff || OTHER_SUBJECT.test(t)) return undefined;
  // How soon they reply is the contact form's reply time; anything else (hours) the staff's.
  const replyTime = EN_REPLY_TIME.test(t) || JA_REPLY_TIME.test(t);
  if (/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(t)) return replyTime ? `サポート お問い合わせ 営業日 返信 ${t}` : `スタッフ ${t}`;
  return replyTime ? `support email form reply ${t}` : `support staff ${t}`;
}

/** True when the message asks about support itself (its hours, its phone number, how to reach it) rather than for it. */
function asksAboutSupport(t: string): boolean {
  // "can I talk to someone now?" asks for a person; "when can I talk to someone?" asks when.
  return EN_QUESTION.test(t) || (JA_QUESTION.test(t) && !/(?:(?<!電)話したい|代わって|出して|出せ|呼んで|つないで|繋いで|お願い)/.test(t));
}

/** True when the message is anger (an insult, an outburst) without a request in it. */
export function soundsUpset(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  return EN_OUTBURST.test(t) || JA_OUTBURST.test(t);
}

/**
 * What an escalation-sounding message asks: a person, a question about support, an outburst
 * only, or a problem told. `concepts` are the policy topics the message speaks of: a problem the
 * policy pages answer (a damaged book, a late refund) is answered, not handed over.
 */
export function escalationKind(text: string, concepts: ReadonlySet<string>): EscalationKind {

  const t = text.normalize('NFKC').toLowerCase().trim();
  if (asksForPerson(t)) return 'person';
  if ((EN_PERSON.test(t) || JA_PERSON.test(t) || SUPPORT_WORD.test(t)) && asksAboutSupport(t)) return 'question';
  // A wrong charge is no problem the policy pages answer (a failed payment is): staff must look at it.
  if (reportsBillingError(t)) return 'other';
  if (problemAnswered(concepts)) return 'problem';
  if (soundsUpset(t)) return 'outburst';
  return 'other';
}

/** True when the policy topics of a message include a problem the policy pages answer (a damaged book, a refund). */
export function problemAnswered(concepts: ReadonlySet<string>): boolean {
  return [...concepts].some((c) => ANSWERED_PROBLEMS.has(c));
}
