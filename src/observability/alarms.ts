import { formatAlarmValue, formatDuration, type AlarmRule } from './alarm-table.ts';
import type { MetricsHistory } from './history.ts';
import type { AlarmStatus } from './summary-types.ts';
import type { ChatOpsMessage } from './webhook.ts';

export interface AlarmEvaluatorOptions {
  history: MetricsHistory;
  rules: readonly AlarmRule[];
  /** Multiplies every rule's window and `for` (ALARM_TIME_SCALE; drills use e.g. 0.05). Default 1. */
  timeScale?: number;
  /** Sends chat-ops messages: one when an alarm fires, one when it resolves, one when a firing alarm's subjects change. */
  notify?: (message: ChatOpsMessage) => void;
  /** Told of every state or subject change (e.g. to set the alarm_state gauge and log). */
  onChange?: (status: AlarmStatus) => void;
  /** Told when a rule throws or a timed sample fails; the rule keeps its previous state. */
  onError?: (error: unknown, rule?: AlarmRule) => void;
  /** Where operators act (the operations page), put on every message. */
  link?: string;
  now?: () => number;
}

/** The in-service alarm table: evaluates the rules over the metric history and tells chat-ops about transitions. */
export interface AlarmEvaluator {
  /** Evaluates every rule once at `at` (default the latest sample, or now() before any) and returns the statuses. */
  evaluate(at?: number): AlarmStatus[];
  /** The current status of every rule, in table order. */
  statuses(): AlarmStatus[];
  /** Samples the history and evaluates at once (the baseline), then every `intervalMs` (timer unref'd). */
  start(intervalMs: number): void;
  stop(): void;
}

/**
 * Creates the evaluator. Each rule runs a small state machine like Prometheus' `for`: ok → pending
 * while breaching for less than `for` → firing; any evaluation that does not breach (including
 * "too little traffic to judge") goes back to ok. A `for` of 0 fires on the first breach.
 */
export function createAlarmEvaluator(opts: AlarmEvaluatorOptions): AlarmEvaluator {
  const now = opts.now ?? Date.now;
  const scale = opts.timeScale ?? 1;
  const rules = opts.rules;
  const created = now();
  const states: AlarmStatus[] = rules.map((r) => ({
    name: r.name,
    severity: r.severity,
    action: r.action,
    summary: scale === 1 ? r.summary : `${r.summary} (drill: windows ×${scale}${r.forMs ? `, for ${formatDuration(r.forMs * scale)}` : ''})`,
    state: 'ok',
    value: null,
    threshold: r.threshold,
    since: created,
  }));
  let timer: ReturnType<typeof setInterval> | undefined;
  let running = false;

  function message(rule: AlarmRule, s: AlarmStatus, kind: 'firing' | 'resolved' | 'update'): ChatOpsMessage {
    const value = s.value === null ? 'no traffic to judge' : `${rule.quantity} ${formatAlarmValue(rule, s.value)}`;
    const subjects = s.subjects?.length ? ` (${s.subjects.join(', ')})` : '';
    const forMs = rule.forMs * scale;
    let text: string;
    if (kind === 'resolved') text = `[${rule.severity}] ${rule.name} resolved: ${value} (threshold ${formatAlarmValue(rule, rule.threshold)})`;
    else {
      const head = kind === 'firing' ? 'firing' : 'still firing';
      text = `[${rule.severity}] ${rule.name} ${head}: ${value} > ${formatAlarmValue(rule, rule.threshold)}${forMs ? ` for ${formatDuration(forMs)}` : ''}${subjects} — ${rule.action}`;
    }
    const fields: Record<string, string | number> = { alarm: rule.name, severity: rule.severity, state: kind === 'resolved' ? 'ok' : 'firing', threshold: rule.threshold };
    if (s.value !== null) fields.value = Number(s.value.toPrecision(4));
    if (s.subjects?.length) fields.subjects = s.subjects.join(', ');
    if (kind !== 'resolved') fields.action = rule.action;
    return {
      kind: 'alarm',
      text,
      severity: kind === 'resolved' ? 'resolved' : rule.severity === 'SEV-2' ? 'critical' : 'warning',
      fields,
      ...(opts.link ? { link: opts.link } : {}),
    };
  }

  function step(rule: AlarmRule, s: AlarmStatus, at: number): void {
    let result;
    try {
      result = rule.evaluate(opts.history, at, rule.windowMs * scale);
    } catch (error) {
      opts.onError?.(error, rule);
      return;
    }
    const before = s.state;
    const subjectsBefore = (s.subjects ?? []).join('\u0000');
    s.value = result.value;
    if (result.subjects?.length) s.subjects = result.subjects;
    else delete s.subjects;
    const breaching = result.value !== null && result.value > rule.threshold;
    if (!breaching) {
      if (before !== 'ok') {
        s.state = 'ok';
        s.since = at;
      }
    } else if (before === 'ok' && rule.forMs > 0) {
      s.state = 'pending';
      s.since = at;
    } else if (before !== 'firing' && (before === 'ok' || at - s.since >= rule.forMs * scale)) {
      s.state = 'firing';
      s.since = at;
    }
    const subjectsChanged = (s.subjects ?? []).join('\u0000') !== subjectsBefore;
    if (s.state === 'firing' && before !== 'firing') opts.notify?.(message(rule, s, 'firing'));
    else if (s.state === 'ok' && before === 'firing') opts.notify?.(message(rule, s, 'resolved'));
    else if (s.state === 'firing' && subjectsChanged) opts.notify?.(message(rule, s, 'update'));
    if (s.state !== before || (s.state === 'firing' && subjectsChanged)) opts.onChange?.({ ...s });
  }

  function snapshot(): AlarmStatus[] {
    return states.map((s) => ({ ...s, ...(s.subjects ? { subjects: [...s.subjects] } : {}) }));
  }

  function evaluate(at?: number): AlarmStatus[] {
    const t = at ?? opts.history.latest() ?? now();
    rules.forEach((rule, i) => step(rule, states[i], t));
    return snapshot();
  }

  return {
    evaluate,
    statuses: snapshot,
    start(intervalMs) {
      this.stop();
      const tick = () => {
        if (running) return;
        running = true;
        opts.history
          .sample()
          .then(() => {
            evaluate();
          })
          .catch((error) => opts.onError?.(error))
          .finally(() => (running = false));
      };
      // The first sample is taken now, before the server accepts traffic: the history's baseline.
      // Without it, messages answered before the first tick were already in the first sample, so
      // no window ever saw them increase (/ops showed no traffic until more arrived; the live
      // page test failed whenever Chromium started within one interval).
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
