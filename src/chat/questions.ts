/**
 * A message that asks several things ("how much is shipping, and how many volumes does One Piece
 * have?", 「返金はいつですか？あとポイントはどうなりますか？」) split into its questions, so each is
 * answered from its own section or lookup. A statement before a question ("I want to preorder the
 * next One Piece.") is kept with it as what the question is about, not answered on its own.
 */

// Where one question ends: a question or exclamation mark, a Japanese full stop, a line break,
// an English full stop after a word (not "vol." or "Dr." before a number or name).
const END = /(?<=[?？!！。])\s*|\n+|(?<=[a-z]{3})\.\s+(?=[A-Za-z])/;
// Words that start another question: "also", "plus", "btw", 「あと」「それと」.
const CONNECTOR = /(?:^|\s*[,、]\s*|\s+)(?:and also|oh and|also|plus|btw|by the way|one more thing|another thing)\b[,:]?\s*|(?:^|(?<=[、,]\s*))(?:あと|それと|それから|ついでに|ちなみに|また)(?:[、,]|\s)\s*/i;
// "… and how many volumes …": "and" before a question word starts a second question.
const AND_QUESTION = /\s*,?\s+and\s+(?=(?:how|what|when|where|which|who|why|can|could|do|does|did|is|are|will|would|should|may)\b)/i;
// What a question looks like, in either language.
const ASKS = /[?？]|^(?:how|what|what's|whats|when|where|which|who|why|can|could|do|does|did|is|are|will|would|should|may|any|is there|are there)\b|(?:ますか|ですか|でしょうか|ますでしょうか|できる|できます|教えて|知りたい|いくら|いつ|どこ|どう|何|ください|か)[。！]?$/i;

// A request put as a wish: "I (really) don't want …", "I'd like …", "please …", 「…してほしい」「…ないようにしたい」.
const WISH = /\bi (?:really |just |also )?(?:don'?t|do not) want\b|\bi'?d (?:like|prefer|rather)\b|\bi would (?:like|prefer|rather)\b|\bplease\b|(?:ほしい|欲しい|ください|下さい|たいです|ないように(?:したい|お願い))[。！!]?$/i;

/** True when a piece of a message asks something (rather than saying something about it). */
function asks(piece: string): boolean {
  // "…come out? and when's the next one": a question after the one before, led by "and".
  return ASKS.test(piece.trim().replace(LEAD, ''));
}
const LEAD = /^(?:and|so|then|but|or|ok|okay)[,\s]+/i;

/**
 * The questions of a message, in order; one entry when it asks one thing. Statements are kept
 * with the question after them ("I'm in Canada. Can you ship Berserk?" is one question).
 */
export function splitQuestions(text: string): string[] {
  const pieces = text
    .normalize('NFKC')
    .split(END)
    .flatMap((p) => p.split(CONNECTOR))
    .flatMap((p) => p.split(AND_QUESTION))
    .map((p) => p?.trim() ?? '')
    .filter((p) => p.replace(/[\p{P}\p{S}\s]/gu, '').length >= 2);
  const out: string[] = [];
  let pending = '';
  for (const piece of pieces) {
    const joined = pending ? `${pending} ${piece}` : piece;
    if (asks(piece)) {
      out.push(joined);
      pending = '';
    } else pending = joined;
  }
  if (pending) {
    // A wish said after the questions ("…and can I add a message card? Also I really don't want the
    // price showing in the box.") asks for something of its own; other statements belong to the last question.
    if (out.length > 0 && !WISH.test(pending)) out[out.length - 1] = `${out[out.length - 1]} ${pending}`;
    else out.push(pending);
  }
  return out.length > 0 ? out : [text];
}

// Where one title's volume ends and another title starts: after a volume number, "and", "&",
// "plus", a comma, と or 、 ("Chiikawa vol 1 and Kagurabachi vol 2", 「ちいかわ1巻とカグラバチ2巻」).
// ...or before another volume of a title written volume first ("vol 1 of Fullmetal Alchemist and vol 1 of The Promised Neverland").
const AFTER_VOLUME = /(?<=\d\s*(?:巻|冊)?)\s*(?:,?\s*\band\b|&|\+|\bplus\b|,|、|と|及び|および)\s*(?=\D)|(?<=[a-z!?.'])\s*(?:,?\s*\band\b|&|\+|\bplus\b|,)\s*(?=(?:the )?vol(?:ume)?\.?\s*#?\d)/i;

/**
 * Two titles asked in one question, each with its own volume ("how much are Chiikawa vol 1 and
 * Kagurabachi vol 2?"): the two parts, each to be looked up on its own; undefined otherwise
 * ("volumes 1 and 2" of one title names one title). `namesTitle` says whether a part has words
 * of a title beside its volume and question words.
 */
export function titleParts(text: string, hasVolume: (part: string) => boolean, namesTitle: (part: string) => boolean): [string, string] | undefined {
  const t = text.normalize('NFKC');
  const m = AFTER_VOLUME.exec(t);
  if (!m) return undefined;
  const first = t.slice(0, m.index).trim();
  const second = t.slice(m.index + m[0].length).trim();
  // A third title is not split further: two parts, each a title with its own volume ("…, are they in stock?" is no third).
  const third = AFTER_VOLUME.exec(second);
  if (third && hasVolume(second.slice(third.index + third[0].length))) return undefined;
  if (!hasVolume(first) || !hasVolume(second) || !namesTitle(first) || !namesTitle(second)) return undefined;
  return [first, second];
}
