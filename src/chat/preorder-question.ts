// A question about a volume that also asks how its preorder is delivered ("if I preorder Frieren 15,
// will it arrive on release day?", 「スパイファミリー16巻、予約したら発売日に届く？」): the volume's facts
// answer part of it, the preorder page's rule the rest.
import { conceptsOf } from '../retrieval/policy-sections.ts';

/** True when a question asks how a preorder is delivered (arrives on release day, when it ships). */
export function asksPreorderDelivery(text: string): boolean {
  const asked = conceptsOf(text, true);
  // ("Does it come on the release date?": coming on the day is its delivery too.)
  return asked.has('preorder') && (asked.has('delivery') || asked.has('shipping') || (asked.has('release') && COMES.test(text.normalize('NFKC'))));
}

// Coming to the customer: "does it come / get here / reach me", 「来る」「着く」.
const COMES = /\b(?:come|comes|coming|get here|gets here|reach|reaches|be here|show up|turn up)\b|来る|来ます|着く|着きます/i;
