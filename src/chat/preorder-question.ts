// A question about a volume that also asks how its preorder is delivered ("if I preorder Frieren 15,
// will it arrive on release day?", 「スパイファミリー16巻、予約したら発売日に届く？」): the volume's facts
// answer part of it, the preorder page's rule the rest.
import { conceptsOf, showsPreorder } from '../retrieval/policy-sections.ts';

/** True when a question asks how a preorder is delivered (arrives on release day, when it ships). */
export function asksPreorderDelivery(text: string): boolean {
  const asked = conceptsOf(text, true);
  // ("Does it come on the release date?": coming on the day is its delivery too.)
  return asked.has('preorder') && (asked.has('delivery') || asked.has('shipping') || (asked.has('release') && COMES.test(text.normalize('NFKC'))));
}

// Coming to the customer: "does it come / get here / reach me", 「来る」「着く」.
const COMES = /\b(?:come|comes|coming|get here|gets here|reach|reaches|be here|show up|turn up)\b|来る|来ます|着く|着きます/i;

// Arriving on the day it comes out: "will it arrive on the day?", "on release day", 「発売日に届く？」「当日に着く？」.
const ON_RELEASE_DAY = /\b(?:on|by|for) (?:the )?(?:release )?day\b|\brelease (?:day|date)\b|\bday (?:it|they) (?:comes?|is|are) out\b|\bday of (?:the )?release\b|発売日(?:に|当日|中)|発売(?:の)?当日|当日(?:に|中)?(?:届|着|来)/i;

/**
 * True when a message, right after an answer that showed a volume up for preorder ("blue box 21
 * release date?"), asks whether it arrives on release day ("I live in Hokkaido, will it arrive on
 * the day?", 「沖縄だと発売日に届かない？」): the preorder page's release-day rule, not an order of theirs.
 */
export function asksPreorderArrivalAfterShown(text: string, lastAnswer: string | undefined): boolean {
  if (lastAnswer === undefined || !showsPreorder(lastAnswer)) return false;
  const t = text.normalize('NFKC');
  const asked = conceptsOf(t, true);
  return ON_RELEASE_DAY.test(t) && (asked.has('delivery') || asked.has('shipping') || COMES.test(t));
}

/**
 * True when a question asks to preorder a volume as an e-book ("can I preorder the digital edition
 * of One Piece 113?", 「電子版で予約できる？」): the volume's facts, and the rule that digital
 * editions cannot be preordered beside them.
 */
export function asksDigitalPreorder(text: string): boolean {
  const asked = conceptsOf(text, true);
  return asked.has('preorder') && asked.has('digital');
}
