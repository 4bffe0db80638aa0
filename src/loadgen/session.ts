import type { Clock } from './clock.ts';
import type { MetricsCollector } from './metrics.ts';
import type { Target } from './targets.ts';
import type { SessionPlan } from './traffic.ts';
import { ConnectError, type ChatTransport } from './transport.ts';

/** What one virtual customer needs to run its session. */
export interface SessionContext {
  transport: ChatTransport;
  target: Target;
  token?: string;
  clock: Clock;
  metrics: MetricsCollector;
  plan: SessionPlan;
  /** Intended start of the session (clock ms). */
  startAt: number;
  /**
   * Open model: message i is due at start + think₀ + … + thinkᵢ whatever the server does
   * (latency counts from then). Closed model: think time starts when the previous reply ended.
   */
  openModel: boolean;
  messageTimeoutMs: number;
  /** Whether a message due at this clock time belongs to a peak phase. */
  peakAt(at: number): boolean;
  /** Unique prefix for message ids (ids must be unique within a session). */
  idPrefix: string;
  /** Hard stop: the connection is cut, replies in flight are abandoned. */
  signal: AbortSignal;
  /** Soft stop: no further message is sent, the reply in flight is awaited. */
  drain?: AbortSignal;
}

/** How a session ended: all messages sent, cut short by a failure, or stopped by the generator. */
export type SessionEnd = 'completed' | 'failed' | 'aborted';

/** Errors after which the connection is not usable for the rest of the session. */
const TERMINAL = new Set(['timeout', 'dropped', 'aborted']);

/**
 * Runs one session: connect, then each message at its due time, waiting for its reply before
 * the next (a customer reads the answer first, and the server answers one message of a
 * connection at a time anyway).
 */
export async function runSession(ctx: SessionContext): Promise<SessionEnd> {
  const { plan, clock } = ctx;
  let connection;
  try {
    connection = await ctx.transport.connect(ctx.target, ctx.token, ctx.signal, ctx.messageTimeoutMs);
  } catch (error) {
    const code = error instanceof ConnectError ? error.code : 'connect_failed';
    if (code === 'aborted' || ctx.signal.aborted) return 'aborted';
    ctx.metrics.recordConnectFailure(plan.messages[0].intent, code, ctx.startAt);
    return 'failed';
  }
  try {
    let due = ctx.startAt;
    const wake = ctx.drain ? AbortSignal.any([ctx.signal, ctx.drain]) : ctx.signal;
    for (const [i, m] of plan.messages.entries()) {
      due = (ctx.openModel ? due : clock.now()) + m.thinkMs;
      await clock.sleepUntil(due, wake);
      if (wake.aborted) return 'aborted';
      const outcome = await connection.ask(`${ctx.idPrefix}-${i + 1}`, m.text, ctx.messageTimeoutMs);
      ctx.metrics.record({ intent: m.intent, peak: plan.burst || ctx.peakAt(due), intendedAt: due, outcome });
      if (outcome.error === 'aborted') return 'aborted';
      if (outcome.error && TERMINAL.has(outcome.error)) return 'failed';
    }
    return 'completed';
  } finally {
    connection.close();
  }
}
