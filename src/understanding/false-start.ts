/**
 * A false start taken back before a question ("ok add... actually how much is volume 1 of it",
 * 「あ、やっぱりその1巻は？」): read without it, the question is about what is in play (lead's
 * finding L10). Used by the title query (no title search for "add actually") and by the follow-up
 * reading (its words are no title's).
 */

// A false start taken back: "ok add... actually how much is volume 1 of it", "cart... no wait, is
// vol 3 of it in stock?", "so, hmm, wait, is that one finished?" — what was begun and dropped, and
// the filler and the word that takes it back, are no title. Only a short start (four words or
// fewer) cut off (…, ..., —, a comma) before a word that takes it back, and only when what follows
// points back at what is in play (it, that, その…): "Berserk… actually is vol 3 in?" keeps Berserk.
const EN_TAKE_BACK = String.raw`(?:actually|wait|no wait|no no|no|hmm+|um+|uh+|oh|i mean|scratch that|never ?mind|on second thought|ok so|okay so|so|ok|okay|well)`;
const FALSE_START = new RegExp(String.raw`^(?:[\p{L}\p{N}'’]+\s*){0,4}?(?:\.{2,}|…+|—|--|,)\s*(?:${EN_TAKE_BACK}\b[\s,.!…]*)+(?=\S)`, 'iu');
const LEADING_FILLER = new RegExp(String.raw`^(?:${EN_TAKE_BACK}\b[\s,.!…]+)+(?=\S)`, 'iu');
const POINTS_BACK = /\b(?:it|its|that|this|that one|this one|them|those|the (?:first|second|third|last|same) one)\b|その|それ|あれ|この|これ|あの/i;
// 「あ、やっぱりその1巻は？」「えーと、それの2巻いくら」「いや、やっぱそれの…」: fillers and a change of mind before the question.
// 「わかった。じゃあ、チ。の1巻は？」「了解、では…」: an acknowledgement before the question is no title either.
const JA_FILLER = /^(?:(?:あ|あっ|ああ|えっと|えーと|えーっと|えー|うーん|うーむ|んー|いや|いやいや|あー|じゃあ|じゃ|ところで|そうだ|わかった|分かった|わかりました|分かりました|了解|了解です|りょうかい|なるほど|そっか|そうか|そうなんだ|オッケー|おっけー|うん)[、,。\s！!…]+|(?:やっぱり|やっぱ|やはり)[、,\s]*)+/u;

/** The message without a false start and the fillers before its question, when they stand apart from it. */
export function withoutFalseStart(text: string): string {
  const t = text.trim();
  const ja = t.replace(JA_FILLER, '');
  if (ja !== t) return ja;
  if (!POINTS_BACK.test(t)) return t;
  const cut = t.replace(FALSE_START, '');
  return cut !== t && POINTS_BACK.test(cut) ? cut : t.replace(LEADING_FILLER, '');
}
