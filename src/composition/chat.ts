import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { ChatError } from '../errors.ts';
import { createChatPipeline, type ChatPipeline } from '../chat/pipeline.ts';
import { createMessageClaimer } from '../chat/message-claim.ts';
import type { MessageClaims } from '../memory/message-claims.ts';
import { extractEntities, withAuthorsRuledOut } from '../understanding/entities.ts';
import { createReferenceResolver } from '../understanding/references.ts';
import type { TrainedIntentClassifier } from '../understanding/classifier.ts';
import { INTENTS, type Intent } from '../understanding/types.ts';
import type { OrderService } from '../orders/types.ts';
import type { AnswerEngine } from '../llm/types.ts';
import type { SemanticCache } from '../cache/semantic/semantic-cache.ts';
import type { StoreGuardrails } from '../guardrails/guardrails.ts';
import type { Brownout } from '../admission/brownout.ts';
import type { Escalations } from '../escalation/types.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Tracing } from '../observability/tracing.ts';
import type { Guards } from '../resilience/registry.ts';
import { createFallbackLists, type FallbackLists } from '../recommendations/fallback-lists.ts';
import type { RecommendationService } from '../recommendations/types.ts';
import type { CachedData } from './cached-data.ts';
import type { Retrieval } from './retrieval.ts';
import type { Dependency } from './resilience.ts';
import { observeReply, observeSegments, SERVER_SIDE } from './operations.ts';
import { counterSeries, histogramSeries } from '../observability/bound-series.ts';

/** What the chat pipeline is wired from: every other capability it calls. */
export interface ChatParts {
  classifier: TrainedIntentClassifier;
  retrieval: Retrieval;
  /** The cached catalog, recommendations, promotions, reviews and conversation memory. */
  data: CachedData;
  orders: OrderService;
  engine: AnswerEngine;
  guards: Guards;
  /** Per-dependency deadlines (resilience.ts). */
  timeouts: Record<Dependency, number>;
  fallbackLists: FallbackLists;
  brownout: Brownout;
  answerCache?: SemanticCache;
  /** The message-id claims store and this process's name in them (used when claimsWanted()). */
  claims: MessageClaims;
  nodeId: string;
  tracing: Tracing;
  escalations: Escalations;
  guardrails?: StoreGuardrails;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Recommendations down → trending or popular: lists kept from the engine while it is up,
 * refreshed every 5 minutes; the first lists are fetched before this resolves.
 */
export async function startFallbackLists(recommendations: RecommendationService, logger: Logger): Promise<FallbackLists> {
  const fallbackLists = createFallbackLists(recommendations, { refreshMs: 5 * 60_000, onError: (err) => logger.warn({ err }, 'fallback list refresh failed') });
  await fallbackLists.refresh();
  return fallbackLists;
}

/** The chat pipeline (src/chat/pipeline.ts: the request path as steps) over the other capabilities, observed by metrics and logs. */
export function createChat(config: Config, parts: ChatParts): ChatPipeline {
  const { classifier, retrieval, data, guards, escalations, metrics, logger } = parts;
  const base = config.STORE_BASE_URL.replace(/\/$/, '');
  const chunkSeries = new Map<string, (value: number) => void>();
  const checkSeries = new Map<string, (by?: number) => void>();
  return createChatPipeline({
    classifier,
    // The customer's own words decide, not the script of a title they typed.
    detectLanguage: (text) => classifier.language(text),
    // A name ruled out is an author's when the catalog says so ("not Junji Ito tho").
    extractEntities: (text, language) => withAuthorsRuledOut(extractEntities(text, language), () => classifier.names(text)),
    references: createReferenceResolver(),
    retriever: retrieval.retriever,
    knowledgeBase: retrieval.knowledgeBase,
    catalog: data.catalog,
    recommendations: data.recommendations,
    orders: parts.orders,
    promotions: data.promotions,
    reviews: data.reviews,
    memory: data.memory,
    engine: parts.engine,
    guards,
    fallbackLists: parts.fallbackLists,
    brownout: parts.brownout,
    onFallback: (dependency) => metrics.fallbacks.inc({ dependency }),
    answerCache: parts.answerCache,
    claimer: claimsWanted(config)
      ? createMessageClaimer({ claims: parts.claims, nodeId: parts.nodeId, leaseMs: config.MESSAGE_CLAIM_LEASE_MS, guard: guards.get('memory'), deadlineMs: config.MEMORY_TIMEOUT_MS, onBackgroundError: (what, err) => logger.warn({ err, what }, 'message claim') })
      : undefined,
    links: { search: (q) => `${base}/search?q=${encodeURIComponent(q)}`, orderTracking: `${base}/orders`, support: `${base}/support` },
    deadlines: { budget: config.MESSAGE_BUDGET_MS, ...parts.timeouts },
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    minDescribedScore: config.SERIES_MATCH_MIN_SCORE,
    onBackgroundError: (what, err, traceId) => logger.warn({ err, what, trace_id: traceId }, 'background step failed'),
    tracing: parts.tracing,
    handoff: {
      open: async (req, opts) => {
        const r = await escalations.open({ sessionId: req.sessionId, customer: { kind: req.customer.kind, customerId: req.customer.customerId, name: req.customer.name }, language: req.language, text: req.text }, opts);
        return { ticketId: r.ticket.id, created: r.created };
      },
      customerSaid: (sessionId, text) => escalations.customerSaid(sessionId, text),
    },
    guardrails: parts.guardrails,
    guardrailSyncIntents: new Set(intentList(config.GUARDRAILS_SYNC_INTENTS, 'GUARDRAILS_SYNC_INTENTS')),
    guardrailChunkChars: config.GUARDRAILS_CHUNK_CHARS,
    onGuardrail: (e) => {
      // Several per message (the input, each chunk of the answer, the answer): label sets bound once (bound-series.ts).
      if (e.type === 'chunk') {
        let observe = chunkSeries.get(e.mode);
        if (!observe) chunkSeries.set(e.mode, (observe = histogramSeries(metrics.guardrailChunkSeconds, { mode: e.mode })));
        observe(e.ms / 1000);
      } else {
        const result = e.type === 'input' ? (e.blocked ? 'blocked' : e.redacted ? 'redacted' : 'pass') : e.revised ? 'revised' : 'pass';
        let inc = checkSeries.get(`${e.type}|${result}`);
        if (!inc) checkSeries.set(`${e.type}|${result}`, (inc = counterSeries(metrics.guardrailChecks, { stage: e.type, result })));
        inc();
        for (const f of e.verdict.findings) metrics.guardrailFindings.inc({ stage: e.type, category: f.category });
      }
    },
    onReply: (e) => observeReply(e, metrics, logger),
    onReplyFailed: (e) => {
      observeSegments(e.timings, metrics);
      if (!(e.error instanceof ChatError) || SERVER_SIDE.has(e.error.code)) logger.warn({ trace_id: e.traceId, err: e.error, timings: e.timings }, 'reply failed');
    },
  });
}

/** Whether message ids are claimed in the store: whenever more than one process may answer one session. */
function claimsWanted(config: Config): boolean {
  if (config.MESSAGE_CLAIMS !== 'auto') return config.MESSAGE_CLAIMS === 'on';
  return config.WORKERS > 1 || config.STORE_BACKEND === 'dynamodb' || config.BUS_BACKEND === 'redis';
}

/** A comma-separated list of intents from configuration; an unknown one stops start-up with its name. */
function intentList(spec: string, option: string): Intent[] {
  const out = spec.split(',').map((x) => x.trim()).filter(Boolean);
  for (const i of out) if (!(INTENTS as readonly string[]).includes(i)) throw new Error(`Invalid configuration: ${option}: unknown intent "${i}"`);
  return out as Intent[];
}
