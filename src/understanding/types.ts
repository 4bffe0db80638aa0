/** The ten intents of the wire contract (protocol.md, "Understanding"). */
export const INTENTS = [
  'product_search',
  'product_question',
  'recommendation',
  'price_availability',
  'order_status',
  'faq',
  'promotion',
  'chitchat',
  'escalation',
  'out_of_scope',
] as const;

export type Intent = (typeof INTENTS)[number];

/** The reply is written in the customer's language: Japanese or English. */
export type Language = 'ja' | 'en';

/** What the classifier says about one message. */
export interface IntentResult {
  intent: Intent;
  /** Posterior probability of `intent`, 0..1. */
  confidence: number;
  language: Language;
}

/** Port: an in-process intent classifier (must answer in well under a millisecond). */
export interface IntentClassifier {
  classify(text: string, language?: Language): IntentResult;
}

/** One earlier turn, as the reference resolver sees it. */
export interface TurnContext {
  role: 'user' | 'assistant';
  text: string;
  /** Series ids the turn showed or talked about, in the order they were shown. */
  seriesIds?: string[];
  /** Product ids (volumes) the turn showed, in order. */
  productIds?: string[];
}

/** What a message refers to in the conversation ("the second one", "それの3巻"). */
export interface ResolvedReference {
  /** Series the message points at, resolved from earlier turns. */
  seriesId?: string;
  /** A volume number the message names ("vol 3", "3巻"), if any. */
  volume?: number;
  /** How it was resolved, for debugging and tests: 'ordinal', 'pronoun', 'last-shown'... */
  via?: string;
}

/** Port: resolves references to earlier turns of the conversation. */
export interface ReferenceResolver {
  resolve(text: string, language: Language, history: TurnContext[]): ResolvedReference;
}

/** Things named in a message that lookups need (both languages, canonical MyAnimeList names). */
export interface Entities {
  /** A volume number ("vol 3", "3巻"). */
  volume?: number;
  /** An order number such as MA-20261104-0007. */
  orderId?: string;
  /** An ordinal reference ("the second one", "2つ目"). */
  ordinal?: number;
  genres: string[];
  themes: string[];
  demographic?: string;
}
