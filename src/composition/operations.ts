import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { ErrorCode } from '../errors.ts';
import type { ReplyEvent } from '../chat/pipeline.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createWebhookNotifier, type ChatOpsMessage, type Notifier } from '../observability/webhook.ts';
import { createMetricsHistory, type MetricsHistory } from '../observability/history.ts';
import { createAlarmEvaluator, type AlarmEvaluator } from '../observability/alarms.ts';
import { ALARM_RULES } from '../observability/alarm-table.ts';
import { counterSeries, histogramSeries } from '../observability/bound-series.ts';
import { createSessionHub } from '../escalation/session-hub.ts';
import { createEscalations } from '../escalation/escalations.ts';
import type { Escalations, TicketStore } from '../escalation/types.ts';
import type { MessageBus } from '../messaging/types.ts';
import { operatorToken } from './secrets.ts';

/** What operators work with: alarms and their history, handoff tickets, the /ops credential. */
export interface Operations {
  opsUrl: string;
  opsToken: string;
  escalations: Escalations;
  history: MetricsHistory;
  alarms: AlarmEvaluator;
  close(): Promise<void>;
}

/**
 * Operations: chat-ops webhooks, human handoff over the ticket store (stores.ts opens it) with
 * operator replies carried by `bus` to whichever process holds the customer's chat, the sampled
 * metric history and the alarm table (started here: it samples every ALARM_EVAL_INTERVAL_MS).
 */
export function createOperations(config: Config, ctx: { metrics: Metrics; logger: Logger; dataDir: string; tickets: TicketStore; bus?: MessageBus }): Operations {
  const { metrics, logger, dataDir, tickets } = ctx;
  const webhooks = createNotifiers(config, metrics, logger);
  const opsUrl = `${config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`}/ops`;
  const escalations = createEscalations({
    store: tickets,
    hub: createSessionHub(),
    notify: webhooks.escalation ? (m) => webhooks.escalation!.notify(m) : undefined,
    opsUrl,
    onEvent: (event) => {
      metrics.escalations.inc({ event });
      if (event === 'opened') logger.info('handoff ticket opened');
    },
    bus: ctx.bus,
    onPushError: (err) => logger.warn({ err }, 'operator reply not carried to every process (stored: the customer gets it on reconnect)'),
  });
  const history = createMetricsHistory({
    registry: metrics.registry,
    retentionMs: config.METRICS_HISTORY_MS,
    maxSamples: Math.min(3600, Math.ceil(config.METRICS_HISTORY_MS / config.ALARM_EVAL_INTERVAL_MS) + 1),
    onError: (err) => logger.warn({ err }, 'metrics sample failed'),
  });
  const alarms = createAlarmEvaluator({
    history,
    rules: ALARM_RULES,
    timeScale: config.ALARM_TIME_SCALE,
    notify: webhooks.alarm ? (m) => webhooks.alarm!.notify(m) : undefined,
    link: opsUrl,
    onChange: (status) => {
      metrics.alarmState.set({ alarm: status.name }, status.state === 'firing' ? 2 : status.state === 'pending' ? 1 : 0);
      const line = { alarm: status.name, state: status.state, value: status.value, threshold: status.threshold, subjects: status.subjects };
      if (status.state === 'firing') logger.error(line, 'alarm firing');
      else logger.warn(line, status.state === 'ok' ? 'alarm resolved' : 'alarm pending');
    },
    onError: (err, rule) => logger.warn({ err, alarm: rule?.name }, 'alarm evaluation failed'),
  });
  for (const rule of ALARM_RULES) metrics.alarmState.set({ alarm: rule.name }, 0);
  alarms.start(config.ALARM_EVAL_INTERVAL_MS);
  const opsToken = operatorToken(config, dataDir);

  return {
    opsUrl,
    opsToken,
    escalations,
    history,
    alarms,
    async close() {
      escalations.stop();
      alarms.stop();
      await Promise.all([webhooks.alarm?.close(), webhooks.escalation?.close()]);
    },
  };
}

/** Chat-ops notifiers: alarms to ALARM_WEBHOOK_URL, handoffs to ESCALATION_WEBHOOK_URL (else the alarm one); one notifier per URL so order holds. */
function createNotifiers(config: Config, metrics: Metrics, logger: Logger): { alarm?: Notifier; escalation?: Notifier } {
  const made = new Map<string, Notifier>();
  const at = (url: string | undefined) => {
    if (!url) return undefined;
    let n = made.get(url);
    if (!n) {
      n = createWebhookNotifier({
        url,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        onSent: (m: ChatOpsMessage) => metrics.webhookPosts.inc({ kind: m.kind, outcome: 'sent' }),
        onError: (err, m) => {
          metrics.webhookPosts.inc({ kind: m.kind, outcome: 'failed' });
          if (m.kind === 'escalation') metrics.escalations.inc({ event: 'alert_failed' });
          logger.error({ err, kind: m.kind, text: m.text }, 'chat-ops webhook post failed');
        },
      });
      made.set(url, n);
    }
    return n;
  };
  return { alarm: at(config.ALARM_WEBHOOK_URL), escalation: at(config.ESCALATION_WEBHOOK_URL ?? config.ALARM_WEBHOOK_URL) };
}

/** Error codes that are the service's failure, not the customer's request or a limit: they count against the error-rate alarm. */
export const SERVER_SIDE = new Set<ErrorCode>(['unavailable', 'internal', 'not_ready']);

/** A reply that reached its end: latency per segment, first token and whole answer, messages by intent and outcome; slow or failed ones logged with their trace id. */
export function observeReply(e: ReplyEvent, metrics: Metrics, logger: Logger): void {
  const priority = e.customer === 'prime' ? 'P0' : e.customer === 'member' ? 'P1' : 'P2';
  const series = replySeries(metrics);
  const route = e.route?.route ?? 'none';
  bound(series.firstToken, `${priority}|${route}`, () => histogramSeries(metrics.firstTokenSeconds, { priority, route }))(e.firstTokenMs / 1000);
  bound(series.reply, e.intent, () => histogramSeries(metrics.replySeconds, { intent: e.intent }))(e.totalMs / 1000);
  observeSegments(e.timings, metrics);
  bound(series.messages, `${e.intent}|${e.outcome}`, () => counterSeries(metrics.messages, { intent: e.intent, outcome: e.outcome }))();
  // The design's first-token objective is 3 s at p99: a message past it, or not really answered, is worth a line.
  const slow = e.firstTokenMs > 3000;
  if (slow || e.outcome === 'unanswered' || e.outcome === 'interrupted') {
    logger.warn({ trace_id: e.traceId, intent: e.intent, outcome: e.outcome, customer: e.customer, degraded: e.degraded, timings: e.timings, route: e.route }, slow ? 'slow reply' : 'reply not answered');
  } else if (logger.isLevelEnabled('debug')) {
    // Built only when it will be written: at the default level this line is off, and it is one per message.
    logger.debug({ trace_id: e.traceId, intent: e.intent, outcome: e.outcome, timings: e.timings }, 'reply');
  }
}

/** Each segment's duration into the per-segment histogram (`totalMs`/`firstTokenMs` have their own). */
export function observeSegments(timings: Record<string, number>, metrics: Metrics): void {
  const segments = replySeries(metrics).segment;
  for (const key in timings) {
    if (key === 'totalMs' || key === 'firstTokenMs' || !key.endsWith('Ms')) continue;
    bound(segments, key, () => histogramSeries(metrics.segmentSeconds, { segment: key.slice(0, -2) }))(timings[key] / 1000);
  }
}

// The series a reply records into (~15 segments, first token, whole reply, message count), bound
// once per label set: the label values are the pipeline's own (segment names, intents, outcomes,
// priorities, routes: a fixed few dozen each), so these maps stay small.
interface ReplySeries {
  segment: Map<string, (seconds: number) => void>;
  firstToken: Map<string, (seconds: number) => void>;
  reply: Map<string, (seconds: number) => void>;
  messages: Map<string, () => void>;
}
const REPLY_SERIES = new WeakMap<Metrics, ReplySeries>();
function replySeries(metrics: Metrics): ReplySeries {
  let s = REPLY_SERIES.get(metrics);
  if (!s) REPLY_SERIES.set(metrics, (s = { segment: new Map(), firstToken: new Map(), reply: new Map(), messages: new Map() }));
  return s;
}
function bound<F>(map: Map<string, F>, key: string, make: () => F): F {
  let f = map.get(key);
  if (f === undefined) map.set(key, (f = make()));
  return f;
}
