import type { Intent, Language } from '../understanding/types.ts';
import type { Series, Product } from '../catalog/types.ts';
import type { Order } from '../orders/types.ts';
import type { Promotion } from '../promotions/types.ts';
import type { ReviewSummary } from '../reviews/types.ts';
import type { ScoredDoc } from '../retrieval/types.ts';
import type { StoredMessage } from '../memory/types.ts';

/** A series with its purchasable volumes (live prices), as the answer engine sees it. */
export interface SeriesWithProducts {
  series: Series;
  products: Product[];
  /** Why it is here: 'search', 'reference', 'recommendation:<reason>', ... */
  reasons?: string[];
}

/** Everything the pipeline found for one message: the answer must use nothing else. */
export interface Grounding {
  intent: Intent;
  language: Language;
  /** The customer's message. */
  text: string;
  /** Last messages of the conversation, oldest first. */
  history: StoredMessage[];
  customer: { kind: 'guest' | 'member' | 'prime'; customerId?: string; name?: string; ageConfirmed?: boolean };
  /** Series found by search, reference or recommendation, best first. */
  series: SeriesWithProducts[];
  /** The volume the customer asked about, if one was named ("vol 3", "3巻"). */
  requestedVolume?: number;
  /** Knowledge-base passages (policies, FAQ), best first. */
  passages: ScoredDoc[];
  orders: Order[];
  /** An order id the customer named that was not found among their own orders. */
  unknownOrderId?: string;
  promotions: Promotion[];
  reviews: ReviewSummary[];
  /** Services that failed or timed out for this message, for honest fallbacks ('catalog', 'orders', ...). */
  degraded: string[];
  /** When true, the customer has to sign in to see order data. */
  needsSignIn?: boolean;
  /** Store pages the answer may link to (fallbacks: search page, order tracking page, support). */
  links: { search: string; orderTracking: string; support: string };
}

/** One piece of a streamed answer. */
export type AnswerChunk =
  | { type: 'token'; text: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number; model: string };

/** Port: writes the answer. Real LLM providers implement the same port. */
export interface AnswerEngine {
  readonly name: string;
  /**
   * Streams the answer to `grounding` token by token. Stops promptly (without throwing after
   * the last yielded chunk) when `signal` aborts: the customer went away.
   */
  stream(grounding: Grounding, opts: { signal?: AbortSignal }): AsyncIterable<AnswerChunk>;
}
