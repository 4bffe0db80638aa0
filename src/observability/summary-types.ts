/**
 * What the operations page draws: the JSON of `GET /v1/ops/summary`. Computed from the sampled
 * metric history (the same numbers /metrics exports), so the page, the alarms and Prometheus
 * never disagree. Rates are per second, durations in ms, ratios 0..1; a value that cannot be
 * computed (no traffic in the step) is null, never 0, so a chart shows a gap instead of a lie.
 */
export interface OpsSummary {
  /** When the summary was computed (epoch ms). */
  at: number;
  /** Distance between two chart points, ms (the sampling interval). */
  stepMs: number;
  /** Span of the "now" figures below, ms (default 60 s). */
  windowMs: number;
  /** Time series for the charts: every array is aligned with `times`. */
  series: {
    /** Epoch ms of each point. */
    times: number[];
    /** Customer messages per second (every outcome). */
    messagesPerSec: (number | null)[];
    /** Share of messages that failed, went unanswered or were interrupted. */
    errorRatio: (number | null)[];
    /** First token percentiles. */
    firstTokenMs: { p50: (number | null)[]; p95: (number | null)[]; p99: (number | null)[] };
    /** Whole-answer percentiles. */
    replyMs: { p50: (number | null)[]; p95: (number | null)[]; p99: (number | null)[] };
    /** p95 of each pipeline segment (one line per segment seen). */
    segmentP95Ms: Record<string, (number | null)[]>;
    /** Model tokens per second by direction. */
    tokensPerSec: { input: (number | null)[]; output: (number | null)[] };
    /** Share of messages that opened a handoff ticket. */
    escalationRatio: (number | null)[];
    /** Open chats. */
    openChats: (number | null)[];
  };
  /** The last `windowMs`. */
  now: {
    messagesPerSec: number | null;
    errorRatio: number | null;
    escalationRatio: number | null;
    firstTokenMs: { p50: number | null; p95: number | null; p99: number | null };
    /** Messages by intent. */
    intents: Record<string, number>;
    /** Messages by outcome. */
    outcomes: Record<string, number>;
    /** Error frames and refusals by code. */
    errorsByCode: Record<string, number>;
    /** Every segment seen, slowest p95 first: the top row is where a slow reply spends its time. */
    segments: { segment: string; count: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null }[];
    /** Model tokens by model and direction. */
    tokens: { model: string; input: number; output: number }[];
    /** Every guarded dependency's circuit. */
    breakers: { dependency: string; state: 'closed' | 'open' | 'half_open' | 'isolated' }[];
    /** Data and answer caches: lookups by result, hit ratio = (hit + stale + l2_hit + coalesced) / all. */
    caches: { cache: string; lookups: number; hitRatio: number | null }[];
    /** Model connection pools. */
    pools: { pool: string; size: number; inUse: number; queued: number }[];
    openChats: number;
    openChatsCapacity: number;
    /** Guardrail blocks and revisions over the window. */
    guardrail: { checks: number; blocked: number; revised: number };
  };
  /** The alarm table as evaluated in the service right now. */
  alarms: AlarmStatus[];
}

/** One row of the alarm table. */
export interface AlarmStatus {
  /** Stable name, identical in the Prometheus rules file (`alert:`). */
  name: string;
  severity: 'SEV-2' | 'SEV-3';
  /** What the design says to do. */
  action: string;
  /** The condition in words, e.g. "p99 first token > 3 s for 5 min". */
  summary: string;
  state: 'ok' | 'pending' | 'firing';
  /** The last evaluated value (null: not enough traffic to judge) and the threshold it is compared with. */
  value: number | null;
  threshold: number;
  /** Epoch ms the current state began. */
  since: number;
  /** For breakers and stores: which ones (e.g. ["catalog"]). */
  subjects?: string[];
}
