// The chat pipeline's contract: the request it takes, the ports it is built over, what it reports.
import type { CatalogService } from '../catalog/types.ts';
import type { RecommendationService } from '../recommendations/types.ts';
import type { OrderService } from '../orders/types.ts';
import type { PromotionService } from '../promotions/types.ts';
import type { ReviewService } from '../reviews/types.ts';
import type { ConversationMemory } from '../memory/types.ts';
import type { IndexedDoc, Retriever } from '../retrieval/types.ts';
import type { AnswerEngine, Grounding, RouteInfo } from '../llm/types.ts';
import type { Entities, Intent, IntentClassifier, IntentResult, Language, ReferenceResolver } from '../understanding/types.ts';
import type { DependencyGuard } from '../resilience/types.ts';
import type { FallbackLists } from '../recommendations/fallback-lists.ts';
import type { MessageClaimer } from './message-claim.ts';
import type { ReplyFrame } from './protocol.ts';
import type { SemanticCache } from '../cache/semantic/semantic-cache.ts';
import type { Guardrails, Verdict } from '../guardrails/types.ts';
import type { Tracing } from '../observability/tracing.ts';

/** Who is asking: guests have a session only; members and Prime customers are signed in. */
export type Customer = Grounding['customer'];

/** One accepted customer message. */
export interface ChatRequest {
  sessionId: string;
  /** Client-chosen id; a repeated id in the same session is not answered twice. */
  messageId: string;
  text: string;
  customer: Customer;
  /** Aborts when the customer goes away (socket closed, HTTP request aborted). */
  signal: AbortSignal;
  /**
   * The transport's token writer, when it has one: the engine's tokens of the answer are handed
   * to it as they are produced instead of being yielded as `token` frames (fixed replies, replays
   * and notices still come as frames). Order with the other frames is kept: the reply generator
   * does not resume after yielding a frame until the consumer asks for the next one, so a frame
   * is always handled before any token written after it. Saves the frame object and three
   * async-generator hops per token (answer, pipeline, transport).
   */
  onToken?: (text: string) => void;
}

/** Deadlines of the downstream calls, in ms (config: *_TIMEOUT_MS). */
export interface Deadlines {
  budget: number;
  memory: number;
  retrieval: number;
  catalog: number;
  recommendations: number;
  orders: number;
  promotions: number;
  reviews: number;
  /** First token of the answer engine. */
  llm: number;
  /** Opening a human handoff ticket. */
  handoff: number;
}

/** Names of the guarded dependencies the pipeline calls (one guard each). */
export const PIPELINE_DEPENDENCIES = ['memory', 'retrieval', 'catalog', 'recommendations', 'orders', 'promotions', 'reviews', 'llm', 'handoff'] as const;

/** One of the guarded dependencies. */
export type PipelineDependency = (typeof PIPELINE_DEPENDENCIES)[number];

/** Everything the pipeline talks to: ports only, wired by the composition root. */
export interface PipelineDeps {
  classifier: IntentClassifier;
  detectLanguage: (text: string) => Language;
  extractEntities: (text: string, language: Language) => Entities;
  references: ReferenceResolver;
  retriever: Retriever;
  catalog: CatalogService;
  recommendations: RecommendationService;
  orders: OrderService;
  promotions: PromotionService;
  reviews: ReviewService;
  memory: ConversationMemory;
  engine: AnswerEngine;
  /** One guard per dependency (breaker, pool, retries, faults): every downstream call goes through it. */
  guards: { get(dependency: string): DependencyGuard };
  /** Trending/popular lists kept from the recommendation engine, for when it is down. */
  fallbackLists: Pick<FallbackLists, 'pick'>;
  /** Overload state: tier-3 calls are skipped under brownout; messages in flight are counted. */
  brownout?: { skipsTier3(): boolean; enter(): () => void; skipped(dependency: 'promotions' | 'reviews'): void };
  /** Told when a design fallback is served, by the dependency it covers. */
  onFallback?: (dependency: string) => void;
  links: { search: (query: string) => string; orderTracking: string; support: string };
  deadlines: Deadlines;
  maxMessageChars: number;
  /** Retrieval score a series found by description needs to be shown (scale of the reranker in use). */
  minDescribedScore: number;
  /**
   * The knowledge base's sections (the documents retrieval indexes): a policy question is answered
   * from the section that matches it. Absent: only the sections retrieval returned are ranked.
   */
  knowledgeBase?: IndexedDoc[];
  /** Semantic answer cache: answers that depend on nobody and nothing live, replayed instead of asking the engine again. */
  answerCache?: SemanticCache;
  /** Claims each message id across processes (workers, nodes) so it is answered once; absent: one process answers each session. */
  claimer?: MessageClaimer;
  /** Told about failures the customer does not see (tier 3, memory writes). */
  onBackgroundError?: (what: string, error: unknown, traceId?: string) => void;
  /**
   * Content filters on the customer's message (before any model sees it) and on the answer
   * while it streams. Absent: no filtering.
   */
  guardrails?: Guardrails;
  /** Intents whose answer is checked before it is sent (high risk: orders, payments); the rest stream first and are revised if a late check fails. */
  guardrailSyncIntents?: ReadonlySet<Intent>;
  /** Characters of answer per streaming check. */
  guardrailChunkChars?: number;
  /** Told every guardrail decision (metrics). */
  onGuardrail?: (e: GuardrailEvent) => void;
  /** Told at the end of every reply that was sent to its end (metrics, slow-message logs). */
  onReply?: (e: ReplyEvent) => void;
  /** Told when a message ends in an error instead of a reply (the segments it went through, its trace). */
  onReplyFailed?: (e: { timings: Record<string, number>; traceId: string; error: unknown }) => void;
  /** One trace per message (OpenTelemetry); absent: no spans, an all-zero trace id. */
  tracing?: Pick<Tracing, 'startMessage'>;
  /**
   * Human handoff: the `escalation` intent opens a ticket (or joins the session's open one), and
   * later messages of a session with an open ticket are added to its thread for the operator.
   */
  handoff?: {
    open(req: { sessionId: string; customer: Customer; language: Language; text: string }, opts: { signal: AbortSignal }): Promise<{ ticketId: string; created: boolean }>;
    customerSaid(sessionId: string, text: string): Promise<void>;
  };
  now?: () => Date;
}

/** How a reply that reached its end turned out (metrics label `outcome`). */
export type ReplyOutcome = 'answered' | 'degraded' | 'unanswered' | 'blocked' | 'revised' | 'interrupted' | 'replayed';

/** A reply that reached its `end` frame. */
export interface ReplyEvent {
  intent: Intent;
  language: Language;
  customer: Customer['kind'];
  route?: RouteInfo;
  firstTokenMs: number;
  totalMs: number;
  interrupted: boolean;
  outcome: ReplyOutcome;
  /** Every segment's duration (the `end` frame's timings). */
  timings: Record<string, number>;
  degraded: string[];
  traceId: string;
  /** A handoff ticket was opened by this message (not joined). */
  handoffOpened: boolean;
}

/** One guardrail decision: a message checked, an answer chunk checked, a block or a revision. */
export type GuardrailEvent =
  | { type: 'input'; verdict: Verdict; blocked: boolean; redacted: boolean }
  | { type: 'chunk'; ms: number; chars: number; mode: 'sync' | 'async' }
  | { type: 'output'; verdict: Verdict; revised: boolean };

/** The chat pipeline: one message in, the frames of its reply out. */
export interface ChatPipeline {
  reply(req: ChatRequest): AsyncGenerator<ReplyFrame>;
  /** The checks a message's text must pass (empty, too long), for transports to run before admission. */
  validate(text: string): string;
  /** Intent and language only (POST /v1/nlu/intent). */
  understand(text: string): IntentResult;
}

