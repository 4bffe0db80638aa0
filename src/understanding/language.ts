import type { Language } from './types.ts';

// Script ranges. Hand-written because the question is only "which script dominates", which a
// general language-ID library (trained on long prose) answers worse for short mixed chat lines
// such as "ワンピースの108巻 price?".
const KANA = /[\u3040-\u309f\u30a0-\u30ff\uff66-\uff9f]/u;
const KANJI = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;
const LATIN_LETTER = /[A-Za-z\uff21-\uff3a\uff41-\uff5a]/gu;

/** Detects Japanese vs English from the script: any kana means Japanese, else kanji-heavy means Japanese, else English. */
export function detectLanguage(text: string): Language {
  // A single kana is decisive: English customers do not type kana, while Japanese customers
  // routinely mix in English titles and words.
  if (KANA.test(text)) return 'ja';
  const kanji = text.match(KANJI)?.length ?? 0;
  if (kanji === 0) return 'en';
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  // Kanji-only lines ("鬼滅 在庫") are Japanese; a lone kanji title in an English sentence is
  // not. One kanji carries roughly a word's meaning, so weigh it like ~3 Latin letters.
  return kanji * 3 >= latin ? 'ja' : 'en';
}

// Any letter of either script: a message that is nothing but catalog names, numbers and
// punctuation has no words of the customer's own to decide by.
const ANY_LETTER = /[A-Za-z\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

/**
 * The language of the customer's own words: the catalog names in the text (`names`, spans of
 * it) are left out, so "進撃の巨人 vol 7 price pls" is English and 「Chainsaw Manの12巻ある？」
 * Japanese. A text that is only names (a bare title) is judged by the names themselves.
 */
export function detectLanguageAround(text: string, names: readonly { start: number; end: number }[]): Language {
  if (names.length === 0) return detectLanguage(text);
  let rest = '';
  let at = 0;
  for (const span of names) {
    rest += `${text.slice(at, span.start)} `;
    at = span.end;
  }
  rest += text.slice(at);
  return ANY_LETTER.test(rest) ? detectLanguage(rest) : detectLanguage(text);
}

const EN_LANGUAGE = '(japanese|english|nihongo|eigo)';
// Asking to be answered in a language: a verb of talking ("answer in Japanese", "switch to
// English", "can you speak Japanese?"), or the language alone as the whole message ("English
// please"). Not "is it in English?" or "do you have it in Japanese?" (editions of a book).
const EN_REQUESTS = [
  new RegExp(`\\b(?:answer|answering|reply|replying|respond|responding|talk|talking|speak|speaking|write|writing|chat|chatting|continue|communicate|explain|text|type|message|help me|say (?:it|that)|repeat (?:it|that)|tell me)(?:\\s+(?:to me|me|back|us|with me|that|it))?\\s+(?:only\\s+|just\\s+)?in\\s+${EN_LANGUAGE}\\b`),
  new RegExp(`\\b(?:switch|change|go back|swap|move|stick|keep it)(?:\\s+(?:back|over|it|this|the chat|the conversation|the language))?\\s+(?:to|with)\\s+${EN_LANGUAGE}\\b`),
  new RegExp(`\\b(?:do|can|could|would) (?:you|u) (?:speak|use|understand|do|handle) ${EN_LANGUAGE}\\b|\\b(?:use|speak) ${EN_LANGUAGE}(?: please| pls| instead| from now on| with me|$)`),
  new RegExp(`^(?:(?:ok|okay|um|hmm|sorry|hi|hello)[,!.]?\\s+)?(?:in\\s+|only\\s+)?${EN_LANGUAGE}(?:\\s+(?:please|pls|plz|only|ok|okay|is fine|is better|from now on|instead))*[\\s.!?]*$`),
  new RegExp(`\\b${EN_LANGUAGE}\\s+(?:from now on|going forward|for the rest)\\b`),
  new RegExp(`\\b(?:can|could|shall|may) (?:we|i|you) (?:do|continue|have|keep|go on|carry on|switch|chat|talk)(?: (?:with|on with))? ?(?:this|it|the (?:chat|conversation))? in ${EN_LANGUAGE}\\b`),
];
// "In English please" is a request, unless the message is about a book: "do you have One Piece in English please?".
const EN_IN_PLEASE = new RegExp(`\\bin ${EN_LANGUAGE},? (?:please|pls|plz|instead)\\b`);
const ABOUT_A_BOOK = /\b(?:edition|editions|version|translation|translated|volume|volumes|vol|copy|copies|book|books|have|sell|carry|stock|available|published|release|released|print|digital)\b/;
// "I can't read Japanese", "I don't speak English well": the other language.
const EN_CANNOT = new RegExp(`\\b(?:i )?(?:can'?t|cannot|can not|don'?t|do not|doesn'?t)\\s+(?:really\\s+)?(?:read|speak|understand|know)\\s+${EN_LANGUAGE}\\b`);
const JA_LANGUAGE = '(日本語|英語|にほんご|えいご|English|english|Japanese|japanese)';
const JA_REQUESTS = [
  new RegExp(`${JA_LANGUAGE}\\s*(?:で|でも)\\s*(?:お願い|おねがい|答え|こたえ|回答|返事|返信|話|はな|書い|かい|説明|対応|会話|やり取り|やりとり|教え|おしえ|喋|しゃべ|チャット|いい|良い|大丈夫|よろしく|頼|たの|お答え|ご対応|ご案内|案内|返して|ok|おk|OK|ＯＫ|可能|できます|出来ます|いけ|してもら|して(?:くれ|ください|下さい|ほしい|欲しい))`),
  new RegExp(`${JA_LANGUAGE}\\s*(?:に|へ)\\s*(?:切り替え|切替|切りかえ|変え|かえ|変更|して|戻し|もどし)`),
  new RegExp(`^\\s*${JA_LANGUAGE}\\s*(?:で|でお願いします|でおねがい)?\\s*[。！!？?]*\\s*$`),
];
const JA_CANNOT = new RegExp(`${JA_LANGUAGE}\\s*(?:が|は)?\\s*(?:わからない|分からない|わかりません|分かりません|読めない|読めません|苦手|できない|できません)`);

function languageNamed(word: string): Language {
  return /japanese|nihongo|日本語|にほんご/i.test(word) ? 'ja' : 'en';
}

const MAY_NAME_LANGUAGE = /japanese|english|nihongo|eigo|日本語|英語|にほんご|えいご/i;

/**
 * The language the customer asks to be answered in from now on ("can you answer in Japanese from
 * now on?", "English please", 「英語で答えて」, "I can't read Japanese"), if the message asks.
 */
export function languageRequest(text: string): Language | undefined {
  if (!MAY_NAME_LANGUAGE.test(text)) return undefined;
  const t = text.normalize('NFKC').toLowerCase().trim();
  for (const re of EN_REQUESTS) {
    const m = re.exec(t);
    if (m) return languageNamed(m.slice(1).find(Boolean) ?? '');
  }
  const please = EN_IN_PLEASE.exec(t);
  if (please && !ABOUT_A_BOOK.test(t)) return languageNamed(please[1]);
  const cannot = EN_CANNOT.exec(t) ?? JA_CANNOT.exec(t);
  if (cannot) return languageNamed(cannot[1]) === 'ja' ? 'en' : 'ja';
  for (const re of JA_REQUESTS) {
    const m = re.exec(t);
    if (m) return languageNamed(m[1]);
  }
  return undefined;
}

/** The reply language a conversation's turns carry forward (the latest one recorded), if any. */
export function preferredLanguage(history: readonly { role: string; about?: { replyLanguage?: Language } }[]): Language | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const preferred = history[i].role === 'assistant' ? history[i].about?.replyLanguage : undefined;
    if (preferred) return preferred;
  }
  return undefined;
}

// A message with no words to judge by: punctuation, emoji, digits, or a Latin token of three
// letters at most ("?", "👍", "3", "ok", "thx") — Japanese customers type those too.
const NO_WORDS = /^[^A-Za-z\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*(?:[A-Za-z]{1,3}[^A-Za-z\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*)?$/u;

/**
 * The language a message is answered in when no language was asked for: the customer's words,
 * or — for a message without words of either language ("?", "👍", "ok") — the conversation's.
 */
export function conversationLanguage(text: string, messageLanguage: Language, history: readonly { role: string; language?: Language }[]): Language {
  if (!NO_WORDS.test(text.normalize('NFKC'))) return messageLanguage;
  for (let i = history.length - 1; i >= 0; i--) {
    const earlier = history[i].language;
    if (earlier) return earlier;
  }
  return messageLanguage;
}
