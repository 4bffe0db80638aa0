// What a small-talk message is, for an answer that fits it: a question about the assistant
// itself ("are you human or AI?", 「誰が作ったの？」), a request to be answered in another language,
// thanks, an acknowledgement ("ok", "👍"), a bare "?" or emoji, a greeting, a goodbye.
// Hand-written: a handful of closed forms per language, read after the classifier said chitchat
// (and to keep "human or AI?" from being read as a choice between two titles).

import { languageRequest } from './language.ts';

/** The kinds of small talk answered differently. */
export type SmallTalk = 'assistant' | 'language' | 'thanks' | 'acknowledgement' | 'unclear' | 'farewell' | 'greeting';

// About the assistant: what or who it is, who made it, whether a person is typing.
const EN_ASSISTANT =
  /\b(?:are|r) (?:you|u|ya) (?:an? |even |really |actually |just |like )*(?:human|person|people|real|bot|robot|ai|a\.i\.|machine|computer|program|chat ?bot|automated|live|actual|alive|man|woman|guy|girl|staff|employee)\b|\b(?:am i|are we|is (?:this|it)|i'?m) (?:talking|chatting|speaking|texting) (?:to|with) (?:a |an )?(?:human|person|real|bot|robot|ai|machine)|\b(?:is|am) (?:this|that) (?:an? )?(?:human|person|real person|bot|robot|ai|chat ?bot|automated|machine)\b|\bwho (?:made|built|created|programmed|designed|developed|trained|makes|runs|owns) (?:you|u|this bot|this chat)\b|\bwho (?:are|r) (?:you|u)\b|\bwho (?:am i|are we) (?:talking|chatting|speaking|texting) (?:to|with)\b|\bwhat (?:are|r) (?:you|u)\b(?!\s+(?:selling|recommending|offering|talking))|\bwhat(?:'s| is) your name\b|\b(?:human|person|bot|robot|ai) or (?:an? )?(?:human|person|bot|robot|ai|machine)\b|\bwhich (?:ai|model|llm)\b|\b(?:are|r) (?:you|u) (?:chat ?gpt|gpt|claude|gemini|an llm)\b|\bis (?:this|it) (?:chat ?gpt|gpt|claude|gemini|an? (?:ai|bot|llm|chat ?bot))(?=\s*(?:[?!.]|$|or\b|lol\b))|\b(?:which|what) (?:company|team|firm|people) (?:made|built|created|runs|owns|developed) (?:you|u|this)\b|^(?:a |an )?(?:human|person|real person|robot|ai|chat ?bot)\s*\?+$|\b(?:is|are) (?:there )?(?:a |an )?(?:real |actual |live )?(?:human|person|people|someone|somebody|bot|ai|machine|computer|robot)s? (?:answering|replying|typing|writing|responding)(?: (?:this|these|me|my messages?|here|now))?\s*(?:[?!.]|$)|\b(?:are|is) (?:these|your|the|this|those) (?:answers?|replies|responses|messages|chat|reply) (?:automated|automatic|generated|ai[- ]generated|(?:written|typed|sent) by (?:a |an )?(?:bot|ai|machine|human|person|real person))\b/;
const JA_ASSISTANT =
  /(?:(?<![\u3040-\u30ff\u3400-\u9fff])(?:人間|ひと|人|機械|本物の人|生身)|(?<![a-z])(?:ai|bot)|エーアイ|ボット|ロボット|自動応答|プログラム|中の人)(?:さん)?(?:です|なの|なん|だよね|ですよね|じゃない|でしょ|いる|いない|？|\?)|(?:誰|だれ)が(?:作|つく|開発|運営)|あなた(?:は|って)(?:誰|だれ|何|なに|なん)|(?:あなた|君|きみ|ボット|bot)の(?:お)?名前|^(?:お)?名前(?:は|って)?(?:何|なに|なん|ある|あるの)?(?:ですか|なの)?[？?]*$|(?:人|ひと)(?:が|と)(?:話|やり取り|対応|返信|返事)して(?:る|いる|ます)|(?:(?<![\u3400-\u9fff])(?:人間|人)|ひと|(?<![a-z])(?:ai|bot)(?![a-z])|エーアイ|ボット|ロボット|機械|プログラム|自動)(?:が|で)(?:答え|こたえ|回答|返信|返事|対応|応答|書い|打っ|入力|喋っ|しゃべっ)(?:して)?(?:て|る|い|ま)|(?:あなた|君|きみ|これ|こちら|この(?:チャット|返信|回答|会話|サービス|アシスタント)|相手)(?:は|って|も|、)?\s*(?:人間|(?<![\u3400-\u9fff])人|ひと|(?<![a-z])ai(?![a-z])|エーアイ|ボット|bot|ロボット|機械|プログラム|自動(?:応答|返信)?)(?:です|なの|なん|だよね|ですよね|じゃない|でしょ|か[？?]?$|[？?]|$)|(?:答え|回答|返信|返事|対応|応答)(?:して)?(?:い)?る(?:の|人)(?:は|って)(?:人間|人|ひと|ai|ボット|ロボット|機械)|(?:話し|喋っ|しゃべっ|チャットし|やり取りし|やりとりし)て(?:い)?る(?:の|人|相手)(?:は|って|も)?\s*(?:人間|人|ひと|ai|ボット|ロボット|機械)/;
const EN_THANKS = /\b(?:thanks?|thx|ty|tysm|thank you|appreciate(?:d| it)?|cheers)\b/;
const JA_THANKS = /ありがと|感謝|助か|サンキュ/;
const EN_FAREWELL = /^(?:ok(?:ay)?[,!.]?\s+)?(?:bye|goodbye|good bye|see (?:you|ya)|cya|later|good night|gn|take care|that'?s all|that is all|nothing else|i'?m done|all good)\b/;
const JA_FAREWELL = /^(?:じゃあ|では|それでは)?[、,]?\s*(?:さようなら|さよなら|バイバイ|ばいばい|またね|また来ます|おやすみ|失礼します|以上です|大丈夫です|もう大丈夫)/;
const EN_ACK = /^(?:ok(?:ay)?|k+|kk|okie|okey|alright|all right|got it|gotcha|i see|cool|nice|great|good|fine|sure|sounds good|perfect|understood|noted|right|yes|yeah|yep|yup|hmm+|mm+|ah+|oh+|lol|haha+|wow|nvm|never ?mind|no worries|np)(?:[\s,.!]+(?:ok(?:ay)?|then|thanks?|thx|cool|nice|great|good|got it|i see|lol))*[\s.!…]*$/;
const JA_ACK = /^(?:はい|うん|了解|りょうかい|りょ|おけ|おk|オッケー|おっけー|OK|ok|やっぱいいや|大丈夫です|なんでもない|何でもない|えっ|え|わかった|分かった|わかりました|分かりました|なるほど|そっか|そうなんだ|そうなんですね|いいね|いいですね|へー|へえ|ふーん|ほう|すごい|了解です|承知しました)(?:です|しました|!|！|。|、|w|ｗ|～|〜|ー)*$/;
const GREETING = /^(?:hi|hello|hey|heya|hiya|yo|howdy|good (?:morning|afternoon|evening)|sup|what'?s up)\b|^(?:こんにちは|こんばんは|おはよう|はじめまして|やあ|どうも|もしもし)/;
// Nothing but punctuation, emoji and symbols: "?", "??", "🙂", "👍", "...".
const NO_WORDS = /^[\s\p{P}\p{S}\p{Extended_Pictographic}\u200d\ufe0f]*$/u;
const THUMBS = /^[\s👍👌🙆🆗✅✔️]+$/u;

/** The kind of small talk a message is, or undefined when it is not one of these. */
export function smallTalkKind(text: string): SmallTalk | undefined {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (languageRequest(t)) return 'language';
  if (EN_ASSISTANT.test(t) || JA_ASSISTANT.test(t)) return 'assistant';
  if (THUMBS.test(t)) return 'acknowledgement';
  if (NO_WORDS.test(t)) return 'unclear';
  if (EN_THANKS.test(t) || JA_THANKS.test(t)) return 'thanks';
  if (EN_FAREWELL.test(t) || JA_FAREWELL.test(t)) return 'farewell';
  if (EN_ACK.test(t) || JA_ACK.test(t)) return 'acknowledgement';
  if (GREETING.test(t)) return 'greeting';
  return undefined;
}

/** True when a message asks about the assistant itself ("are you a bot?", "who made you?", 「AIですか？」). */
export function asksAboutAssistant(text: string): boolean {
  const t = text.normalize('NFKC').trim().toLowerCase();
  return EN_ASSISTANT.test(t) || JA_ASSISTANT.test(t);
}
