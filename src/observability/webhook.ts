import { backoffDelay } from '../resilience/backoff.ts';

/** One message for the operators' chat-ops channel: an alarm that fired or cleared, a customer asking for a human. */
export interface ChatOpsMessage {
  kind: 'alarm' | 'escalation';
  /** One line a person reads first (Slack's `text`). */
  text: string;
  /** Colour of the attachment bar: firing/new ticket red or amber, resolved green. */
  severity?: 'critical' | 'warning' | 'info' | 'resolved';
  /** Key facts shown under the text (Slack attachment fields) and sent as-is for machine readers. */
  fields?: Record<string, string | number>;
  /** Where to act: the operations page, a ticket. */
  link?: string;
}

/** Posts chat-ops messages without ever holding up the caller. */
export interface Notifier {
  /** Queues the message; it is posted in the background, retried with backoff, and dropped (and logged) only after the last attempt. */
  notify(message: ChatOpsMessage): void;
  /** Resolves when every queued message was posted or given up on (tests, shutdown). */
  flush(): Promise<void>;
  /** Messages posted, failed for good, and waiting. */
  stats(): { sent: number; failed: number; pending: number };
  close(): Promise<void>;
}

export interface WebhookOptions {
  url: string;
  /** Deadline of one POST. */
  timeoutMs: number;
  /** Attempts per message (the first included). */
  attempts?: number;
  /** Messages kept waiting at most; beyond it the oldest are dropped (an alarm storm must not grow memory). */
  maxPending?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** Told when a message is given up on. */
  onError?: (error: unknown, message: ChatOpsMessage) => void;
  /** Told when a message was posted. */
  onSent?: (message: ChatOpsMessage) => void;
  random?: () => number;
}

const COLOURS: Record<NonNullable<ChatOpsMessage['severity']>, string> = {
  critical: '#d93025',
  warning: '#f9ab00',
  info: '#1a73e8',
  resolved: '#188038',
};

/**
 * The body of a Slack-compatible incoming webhook (`text` plus one legacy attachment with
 * fields), which Slack, Mattermost, Rocket.Chat and Microsoft Teams' Slack-compatible
 * connectors all accept. `mangaassist` carries the same facts for machine readers.
 */
export function chatOpsBody(m: ChatOpsMessage): Record<string, unknown> {
  const fields = Object.entries(m.fields ?? {}).map(([title, value]) => ({ title, value: String(value), short: String(value).length < 40 }));
  return {
    text: m.link ? `${m.text} <${m.link}|open>` : m.text,
    attachments: [{ color: COLOURS[m.severity ?? 'info'], fallback: m.text, fields }],
    mangaassist: { kind: m.kind, severity: m.severity ?? 'info', fields: m.fields ?? {}, ...(m.link ? { link: m.link } : {}) },
  };
}

/**
 * A webhook notifier: one message in flight at a time (chat-ops channels rate-limit posts, and
 * order matters: "fired" must arrive before "resolved"), retries with full-jitter backoff,
 * honours Retry-After on 429. Hand-written because it is a queue plus fetch: no library adds
 * anything here but weight.
 */
export function createWebhookNotifier(opts: WebhookOptions): Notifier {
  const attempts = opts.attempts ?? 3;
  const maxPending = opts.maxPending ?? 1000;
  const backoff = opts.backoff ?? { baseMs: 500, maxMs: 10_000 };
  const random = opts.random ?? Math.random;
  const queue: ChatOpsMessage[] = [];
  let sent = 0;
  let failed = 0;
  let running: Promise<void> | undefined;
  let closed = false;
  const stopping = new AbortController();

  async function post(m: ChatOpsMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const res = await fetch(opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(chatOpsBody(m)),
          signal: AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), stopping.signal]),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        const after = Number(res.headers.get('retry-after'));
        if (res.status === 429 && Number.isFinite(after)) retryAfterMs = after * 1000;
        // A 4xx other than 429 will not succeed on a retry: the payload or the URL is wrong.
        if (res.status < 500 && res.status !== 429) throw new Error(`webhook answered ${res.status}`);
        if (attempt >= attempts) throw new Error(`webhook answered ${res.status}`);
      } catch (error) {
        if (attempt >= attempts || stopping.signal.aborted || (error instanceof Error && /answered 4/.test(error.message))) throw error;
      }
      const delay = retryAfterMs ?? backoffDelay(attempt, backoff, random);
      await new Promise((resolve) => setTimeout(resolve, delay).unref?.());
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const m = queue.shift()!;
      try {
        await post(m);
        sent++;
        opts.onSent?.(m);
      } catch (error) {
        failed++;
        opts.onError?.(error, m);
      }
    }
    running = undefined;
  }

  return {
    notify(message) {
      if (closed) return;
      queue.push(message);
      while (queue.length > maxPending) {
        failed++;
        opts.onError?.(new Error('webhook queue full: oldest message dropped'), queue.shift()!);
      }
      running ??= drain();
    },
    async flush() {
      while (running) await running;
    },
    stats: () => ({ sent, failed, pending: queue.length + (running ? 1 : 0) }),
    async close() {
      closed = true;
      // Whatever is queued gets one bounded chance to go out, then in-flight posts are cut.
      const deadline = setTimeout(() => stopping.abort(), opts.timeoutMs);
      deadline.unref?.();
      await this.flush();
      clearTimeout(deadline);
    },
  };
}
