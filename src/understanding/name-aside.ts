/**
 * A title's other name given in brackets beside it: 「僕だけがいない街（英語だとErased）はありますか」,
 * 「ヒロアカ（英題：My Hero Academia）」, "do you have Erased (Boku dake ga Inai Machi in Japanese)?",
 * "Frieren (aka Sousou no Frieren)". The title before it already names the series; the aside's
 * language words read as a request to switch language or a question about editions, and its second
 * name breaks the title search of the first. Read without it, the message is the question it is.
 */

// The aside names a language, a country or another name: 英語だと / 英題 / 原題 / 日本語で / 略して / 通称 …
const JA_ASIDE = /[（(]\s*(?:英語|英題|英語名|英語版|英語タイトル|英名|原題|邦題|日本語|日本語名|日本語タイトル|日本だと|日本では|海外だと|海外では|アメリカだと|アメリカでは|ローマ字|略して|略称|通称|別名)(?:だと|では|で|は|名|の|:|：|=|＝|\s)*[^()（）]{1,60}?[)）]/gu;
const EN_ASIDE =
  /\s*[（(]\s*(?:(?:aka|a\.k\.a\.?|also known as|also called|known as|english(?: title| name)?|japanese(?: title| name)?|jp|jpn|eng|en|ja|romaji|original(?: title)?|in (?:english|japanese|japan|the us|romaji))\b[:\s=]*[^()（）]{1,60}?|[^()（）]{1,60}?\s(?:in|in the) (?:english|japanese|japan|romaji|the us|the west)|[^()（）]{1,60}?\s(?:in|on) (?:english|japanese)(?: version| edition)?)\s*[)）]/giu;

// Words of a request inside the brackets: the aside asks something, it gives no name.
const ASKS = /\b(?:please|pls|plz|reply|answer|respond|talk|write|speak)\b|お願い|おねがい|で(?:答え|回答|返事|話|書い|説明|教え)|ください|下さい/iu;

/** The message without a bracketed other name of the title beside it (unchanged when it has none). */
export function withoutNameAside(text: string): string {
  if (!/[(（]/.test(text)) return text;
  // Only an aside after a name (not a message's opening bracket), and none that asks something ("(in English please)").
  const drop = (aside: string, at: number) => (at > 0 && !ASKS.test(aside) ? '' : aside);
  const out = text.replace(JA_ASIDE, drop).replace(EN_ASIDE, drop);
  // Nothing left but the aside: keep the message as it was.
  return out.trim().length > 0 ? out : text;
}
