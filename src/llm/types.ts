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
  /**
   * The series the customer named in an order question ("the Vinland Saga order"), in their
   * language, and whether `orders` are the ones holding it (false: none of theirs does, and
   * `orders` are their latest instead).
   */
  orderNamed?: { title: string; found: boolean };
  promotions: Promotion[];
  reviews: ReviewSummary[];
  /** Services that failed or timed out for this message, for honest fallbacks ('catalog', 'orders', ...). */
  degraded: string[];
  /** When true, the customer has to sign in to see order data. */
  needsSignIn?: boolean;
  /** A human handoff ticket opened (or joined) for this message: staff will reply in this chat. */
  handoff?: { ticketId: string };
  /** Store pages the answer may link to (fallbacks: search page, order tracking page, support). */
  links: { search: string; orderTracking: string; support: string };
}

/** Which model answers and why, sent once before the first token by engines that route. */
export interface RouteInfo {
  /** 'template' (no model), 'small' or 'large'. */
  route: 'template' | 'small' | 'large';
  /** The model id that answers ('template' for templates). */
  model: string;
  /** Why this route (src/llm/routing/types.ts RouteReason). */
  reason: string;
  /** 0 Prime, 1 member, 2 guest. */
  priority: 0 | 1 | 2;
  /** Time spent waiting for a model connection, ms. */
  queueMs: number;
  /** Models tried before this one failed before their first token. */
  failedOver?: string[];
}

/** One piece of a streamed answer. */
export type AnswerChunk =
  | { type: 'token'; text: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number; model: string }
  | ({ type: 'route' } & RouteInfo);

/**
 * Thrown by an engine when its stream breaks after the first token (the model disconnected or
 * stalled): the customer has part of an answer and must get a clear ending, not a silent stop.
 */
export class AnswerInterruptedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnswerInterruptedError';
  }
}

/** Port: writes the answer. Real LLM providers implement the same port. */
export interface AnswerEngine {
  readonly name: string;
  /**
   * Streams the answer to `grounding` token by token. Stops promptly (without throwing after
   * the last yielded chunk) when `signal` aborts: the customer went away.
   */
  stream(grounding: Grounding, opts: { signal?: AbortSignal }): AsyncIterable<AnswerChunk>;
}
