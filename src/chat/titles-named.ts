import type { IntentClassifier } from '../understanding/types.ts';

/**
 * The message with the catalog titles it names taken out, for the questions about the store's
 * rules read from its words: a title's own words ("Trigun Maximum", "Maximum Ride", "Limit") are
 * no upper limit, gift or price asked. The classifier's name finder already leaves alone names
 * made only of the store's everyday words ("Gift", "Free"), so those still read as asked.
 * Without a name finder (a classifier that has none) the message is returned as it is.
 */
export function withoutTitlesNamed(classifier: IntentClassifier, text: string): string {
  const titles = (classifier.names?.(text) ?? []).filter((n) => n.kind === 'title');
  let out = text.normalize('NFKC');
  for (const { text: name } of titles) {
    // The finder reads the message lower-cased with every run of digits as one 0 ("mob psycho 0").
    const pattern = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/0/g, '[0-9]+');
    out = out.replace(new RegExp(pattern, 'iu'), ' ');
  }
  return out;
}
