import type { Intent, Language } from '../understanding/types.ts';
import type { Series, Product, ProductFormat } from '../catalog/types.ts';
import type { ComparisonAspect } from '../understanding/comparison.ts';
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
  /** The volume the customer asked about, if one was named ("vol 3", "3巻") or the conversation was on it. */
  requestedVolume?: number;
  /** The format the customer asked about ("the digital edition", 完全版). */
  requestedFormat?: ProductFormat;
  /** Several volumes asked about at once ("volumes 2 and 3", 「1〜3巻」); `requestedVolume` is the first. */
  requestedVolumes?: number[];
  /** Every volume at once ("how much for all of them?", 「全巻でいくら？」): the total, and what is in stock. */
  wholeSeries?: boolean;
  /** ...asked as which volumes are sold out ("any volumes out of stock?", 「在庫がない巻は？」): that answer comes first. */
  soldOutAsked?: boolean;
  /** Only the volumes in stock were asked for ("only the ones in stock" after the whole series' total): their total, the rest named. */
  inStockOnly?: boolean;
  /** The customer asks what the items named cost together ("both box sets together", 「まとめて買ったら合計いくら？」). */
  sumAsked?: boolean;
  /**
   * The customer asks which way of buying costs less ("is digital cheaper?", "the cheapest way to
   * get all of them", 「紙と電子どっちが安い？」): the answer leads with the ways compared, cheapest first.
   */
  cheaperAsked?: boolean;
  /** The formats a buying question weighs when it names two or more ("the kanzenban or the regular edition?"): only those compared. */
  cheaperOf?: ProductFormat[];
  /**
   * A volume asked for by its place ("the next volume", 最終巻): `after` is the volume it follows
   * (the one asked before, else the latest released); `none` when the store lists no such
   * volume — the series is finished, or the next one is not announced yet.
   */
  volumeAsked?: { ref: 'next' | 'last'; after?: number; none?: boolean };
  /** The message asks about a series without naming one, and the conversation has none in play: ask which. */
  askWhich?: boolean;
  /**
   * The customer asks to compare `series` (every one named, in the order named), on these aspects
   * (none: everything); `missing`: names in the comparison the catalog does not have; `withheld`:
   * how many series named are sold 18+ to confirmed adults only and may not be shown to this customer
   * (`withheldTold`: the answer's 18+ notice has said so already); `written`: the Japanese name the
   * customer wrote for a series the catalog has no Japanese title for, by series id.
   */
  comparison?: {
    aspects: ComparisonAspect[];
    missing?: string[];
    withheld?: number;
    withheldTold?: boolean;
    written?: Record<string, string>;
    /** The series are the numbered parts of one franchise ("how many parts does JoJo have?"), in order: its name, how many the catalog has, their numbers, the latest. */
    parts?: { franchise: string; count: number; numbers: number[]; latest: string };
    /** The series are the spin-offs and sequels the catalog links to one series ("is there a sequel?"): its title, and how many were left out as 18+ for this customer. */
    spinOffs?: {
      of: string;
      withheld: number;
      /** A sequel asked about as planned ("is a sequel planned?", 「続編の予定は？」): the series' own state and next announced volume, from the catalog. */
      plans?: { status: string; volumes?: number; next?: { volume: number; releaseDate: string } };
    };
  };
  /** What a recommendation request asked for, and what came of it. */
  recommendation?: RecommendationAsk;
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
  orderNamed?: { title: string; found: boolean; seriesId?: string };
  /**
   * The customer asked which of their orders have not arrived: `orders` are the open ones (or, when none is, their latest);
   * 'arriving': when their order will come, naming none: `orders` are the open ones first, then the rest (answered in that order).
   * 'picked': the orders placed when the customer said, or holding the kind they named (「先月の注文」, "the box set order"), newest first.
   * 'noneInPeriod': a time was named ("my order from the 31st", 「先週の注文」) and none of theirs was placed then: `orders` are their latest.
   */
  ordersAsked?: 'undelivered' | 'arriving' | 'picked' | 'noneInStatus' | 'noneInPeriod';
  /** With 'noneInStatus': the state asked of their orders ("anything pending payment?") that none of them is in; `orders` are their latest. */
  statusAsked?: Order['status'];
  /** What the orders listed came to together was asked ("how much did I spend in total?" after several were shown): their sum leads. */
  ordersSum?: boolean;
  /** The customer asked how many orders they placed: the count of g.orders leads. */
  ordersCount?: boolean;
  /** The series a promotion question is about ("any deals on Slam Dunk?"), its title in the customer's language. */
  promotionFor?: { seriesId: string; title: string };
  promotions: Promotion[];
  /** What a purchase asked about would earn in points (a points question naming a series, or with one in play). */
  pointsEstimate?: PointsEstimate;
  /** Promotions the customer named that are not running now: ended, or not started yet. */
  promotionsNotRunning?: { promotion: Promotion; state: 'ended' | 'upcoming' }[];
  reviews: ReviewSummary[];
  /** Services that failed or timed out for this message, for honest fallbacks ('catalog', 'orders', ...). */
  degraded: string[];
  /** When true, the customer has to sign in to see order data. */
  needsSignIn?: boolean;
  /** A human handoff ticket opened (or joined) for this message: staff will reply in this chat. */
  handoff?: { ticketId: string };
  /** Store pages the answer may link to (fallbacks: search page, order tracking page, support). */
  links: { search: string; orderTracking: string; support: string };
  /**
   * A message that asked several things: the one question this grounding answers, with what came
   * before it (earlier parts of the message, earlier questions), when that is not the whole text.
   */
  question?: { text: string; context: string[] };
  /** The message's other questions, each with its own grounding (a policy section, a series), answered after this one. */
  also?: Grounding[];
  /** An `also` answered before the main answer: what the store sells ahead of the title asked "in English" (the Japanese editions). */
  first?: boolean;
  /**
   * A request to buy or preorder the volume asked ("put me down for it", 「予約したいです」): the
   * open order of theirs that already holds it, else (not out yet) the preorders page's rule for
   * this customer — who may preorder (`guest`), or when they are charged.
   */
  /** `buy`: the volume is out, so how to buy it leads. */
  purchase?: { volume: number; ordered?: { orderId: string; status: string }; rule?: ScoredDoc; guest?: boolean; buy?: boolean };
}

/**
 * Points a purchase would earn, from live prices: subtotal × the tier's base rate (percent) ×
 * the running campaign's multiplier, rounded down. A guest earns none (`points` 0); `memberPoints`
 * is what the same purchase earns a member.
 */
export interface PointsEstimate {
  seriesId: string;
  /** The series' title in the customer's language. */
  title: string;
  items: { volume: number; format: ProductFormat; priceJpy: number }[];
  subtotal: number;
  tier: 'guest' | 'member' | 'prime';
  ratePercent: number;
  multiplier: number;
  campaign?: Promotion;
  points: number;
  memberPoints?: number;
}

/** A recommendation request in catalog terms, for the answer to say what it honoured (and a model to see it). */
export interface RecommendationAsk {
  genres: string[];
  themes: string[];
  demographic?: string;
  /** At most this many volumes (also when "shorter" than a seed was resolved to a number). */
  maxVolumes?: number;
  /** At least this many volumes ("a long series"). */
  minVolumes?: number;
  /** Demographics ruled out ("not shoujo"). */
  excludedDemographics?: string[];
  /** The years the series began within ("from the 2010s", "something more recent"). */
  started?: { from?: number; to?: number };
  status?: 'finished' | 'publishing';
  audience?: 'child' | 'teen' | 'adult';
  /** Series the customer likes: the picks resemble them and never include them. */
  like: Series[];
  /** Only series by the authors of `like`. */
  sameAuthor?: boolean;
  /** "Shorter" than the series liked. */
  shorter?: boolean;
  /** Lighter in tone ("less dark", 「もっと明るいの」): the dark tags left out. */
  lighter?: boolean;
  /** Series, tags and authors ruled out. */
  excluded: Series[];
  excludedTags: string[];
  excludedAuthors?: string[];
  /** Only these authors' works were asked for ("Rumiko Takahashi's finished series"). */
  authors?: string[];
  /** Nothing in the catalog fits every constraint: no cards, and the answer says so. */
  nothingFits?: boolean;
  /** When nothing fits: the constraint whose removal lets something fit, and a few such series (named, not carded). */
  nearest?: { without: 'maxVolumes' | 'status' | 'tags' | 'demographic' | 'like'; series: Series[] };
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
