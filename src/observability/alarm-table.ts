import type { Match, MetricsHistory } from './history.ts';

/** What one evaluation of a rule found: the value compared with the threshold (null: too little traffic to judge) and, for per-dependency alarms, which ones breach. */
export interface AlarmEvaluation {
  value: number | null;
  subjects?: string[];
}

/** One row of the design's alarm table, as data the in-service evaluator runs. */
export interface AlarmRule {
  /** Identical to `alert:` in the Prometheus rules file. */
  name: string;
  severity: 'SEV-2' | 'SEV-3';
  /** What the design says to do. */
  action: string;
  /** The condition in words, at the design's durations. */
  summary: string;
  /** The value in words for chat-ops text ("p99 first token"). */
  quantity: string;
  /** How value and threshold are shown: seconds, a percentage, a count. */
  unit: 's' | 'ratio' | 'count';
  /** Look-back of one evaluation (before ALARM_TIME_SCALE); 0 for alarms on the latest gauge reading. */
  windowMs: number;
  /** How long the condition must hold before firing (before ALARM_TIME_SCALE); 0 fires at once. */
  forMs: number;
  /** Breaching means value > threshold. */
  threshold: number;
  /** Events the denominator needs in the window to judge at all; below it the value is null (not breaching). */
  minEvents: number;
  /** Computes the value at `at` over `windowMs` (already scaled). */
  evaluate(history: MetricsHistory, at: number, windowMs: number): AlarmEvaluation;
}

const P = 'mangaassist_';
const MINUTE = 60_000;
/** Ratio alarms need this many events in their window: 1 failure in 3 messages at night is not a 33 % error rate worth a page. */
export const MIN_RATIO_EVENTS = 20;

function total(m: Map<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

function sumIncrease(h: MetricsHistory, name: string, at: number, windowMs: number, match?: Match): number {
  return total(h.increase(name, { windowMs, at, match }));
}

function ratio(numerator: number, denominator: number, minEvents: number): number | null {
  return denominator > 0 && denominator >= minEvents ? numerator / denominator : null;
}

/** The design's alarm table (Observability and Alerting). */
export const ALARM_RULES: readonly AlarmRule[] = [
  {
    name: 'FirstTokenP99High',
    severity: 'SEV-2',
    action: 'Page on-call',
    summary: 'p99 first token > 3 s for 5 min',
    quantity: 'p99 first token',
    unit: 's',
    windowMs: MINUTE,
    forMs: 5 * MINUTE,
    threshold: 3,
    minEvents: 0,
    evaluate: (h, at, windowMs) => ({ value: h.quantile(0.99, `${P}first_token_seconds`, { windowMs, at }) }),
  },
  {
    name: 'ErrorRateHigh',
    severity: 'SEV-2',
    action: 'Page on-call',
    summary: 'failed, unanswered or interrupted messages > 1 % for 5 min',
    quantity: 'error rate',
    unit: 'ratio',
    windowMs: MINUTE,
    forMs: 5 * MINUTE,
    threshold: 0.01,
    minEvents: MIN_RATIO_EVENTS,
    evaluate(h, at, windowMs) {
      const all = sumIncrease(h, `${P}messages_total`, at, windowMs);
      const bad = sumIncrease(h, `${P}messages_total`, at, windowMs, { outcome: /failed|unanswered|interrupted/ });
      return { value: ratio(bad, all, this.minEvents) };
    },
  },
  {
    name: 'GuardrailBlockRateHigh',
    severity: 'SEV-3',
    action: 'Investigate prompt or content issue',
    summary: 'guardrail blocks and revisions > 10 % of messages for 15 min',
    quantity: 'guardrail block rate',
    unit: 'ratio',
    windowMs: MINUTE,
    forMs: 15 * MINUTE,
    threshold: 0.1,
    minEvents: MIN_RATIO_EVENTS,
    evaluate(h, at, windowMs) {
      const name = `${P}guardrail_checks_total`;
      const checks = sumIncrease(h, name, at, windowMs, { stage: 'input' });
      const blocked = sumIncrease(h, name, at, windowMs, { stage: 'input', result: 'blocked' });
      const revised = sumIncrease(h, name, at, windowMs, { stage: 'output', result: 'revised' });
      return { value: ratio(blocked + revised, checks, this.minEvents) };
    },
  },
  {
    name: 'LlmTimeoutRateHigh',
    severity: 'SEV-2',
    action: 'Check Bedrock quotas and fallback behavior',
    summary: 'model calls timing out > 5 % for 5 min',
    quantity: 'LLM timeout rate',
    unit: 'ratio',
    windowMs: MINUTE,
    forMs: 5 * MINUTE,
    threshold: 0.05,
    minEvents: MIN_RATIO_EVENTS,
    evaluate(h, at, windowMs) {
      const all = sumIncrease(h, `${P}llm_calls_total`, at, windowMs);
      const timeouts = sumIncrease(h, `${P}llm_calls_total`, at, windowMs, { outcome: 'timeout' });
      return { value: ratio(timeouts, all, this.minEvents) };
    },
  },
  {
    name: 'StoreThrottling',
    severity: 'SEV-3',
    action: 'Review access patterns',
    summary: 'any durable store throttle',
    quantity: 'store throttles',
    unit: 'count',
    windowMs: MINUTE,
    forMs: 0,
    threshold: 0,
    minEvents: 0,
    evaluate(h, at, windowMs) {
      const byStore = h.increase(`${P}store_throttles_total`, { windowMs, at, by: ['store'] });
      const subjects = [...byStore].filter(([, n]) => n > 0).map(([store]) => store).sort();
      return { value: total(byStore), subjects };
    },
  },
  {
    name: 'CircuitBreakerOpen',
    severity: 'SEV-3',
    action: 'Investigate dependency health',
    summary: 'any circuit breaker open or half-open (not yet recovered)',
    quantity: 'open circuits',
    unit: 'count',
    windowMs: 0,
    forMs: 0,
    threshold: 0,
    minEvents: 0,
    evaluate(h, at) {
      const states = h.gauge(`${P}circuit_state`, { at, by: ['dependency'], agg: 'max' });
      // Half-open (2) is still not recovered: counting only open (1) sent a false "resolved" at every
      // failed half-open probe (the ops drill showed it). Isolated (3) is an operator's own decision.
      const subjects = [...states].filter(([, s]) => s === 1 || s === 2).map(([d]) => d).sort();
      return { value: states.size ? subjects.length : null, subjects };
    },
  },
  {
    name: 'OpenChatsHigh',
    severity: 'SEV-3',
    action: 'Pre-scale capacity',
    summary: 'open chats > 80 % of provisioned capacity',
    quantity: 'open chats',
    unit: 'ratio',
    windowMs: 0,
    forMs: 0,
    threshold: 0.8,
    minEvents: 0,
    evaluate(h, at) {
      const open = h.gauge(`${P}open_chats`, { at }).get('');
      const capacity = h.gauge(`${P}open_chats_capacity`, { at }).get('');
      return { value: open !== undefined && capacity ? open / capacity : null };
    },
  },
];

function trim(n: number): string {
  return String(Number(n.toPrecision(3)));
}

/** A value or threshold as shown to people: "4.2 s", "2.5 %", "3". */
export function formatAlarmValue(rule: Pick<AlarmRule, 'unit'>, value: number): string {
  if (rule.unit === 's') return `${trim(value)} s`;
  if (rule.unit === 'ratio') return `${trim(value * 100)} %`;
  return trim(value);
}

/** A duration as shown to people: "5 min", "15 s". */
export function formatDuration(ms: number): string {
  return ms >= MINUTE ? `${trim(ms / MINUTE)} min` : `${trim(ms / 1000)} s`;
}
