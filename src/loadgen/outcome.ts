/**
 * How a reply that reached its `end` frame turned out, as the customer saw it. The service's own
 * outcome label (src/chat/pipeline.ts `ReplyOutcome`) is not on the wire, so it is read back from
 * the frame: an answer engine that was down or past its deadline gives the brief "unavailable"
 * message with `degraded: ["llm"]` (unanswered); a stream cut after the first token sets
 * `interrupted` (also with `llm` degraded); any other fallback that shaped the reply leaves its
 * dependency in `degraded`.
 */
export type ReplyKind = 'answered' | 'degraded' | 'unanswered' | 'interrupted';

/** The kinds, in the order summaries show them. */
export const REPLY_KINDS: readonly ReplyKind[] = ['answered', 'degraded', 'unanswered', 'interrupted'];

/** Classifies an `end` frame (only `degraded` and `interrupted` are read). */
export function replyKind(end: { degraded?: unknown; interrupted?: unknown }): ReplyKind {
  if (end.interrupted === true) return 'interrupted';
  const degraded = Array.isArray(end.degraded) ? end.degraded : undefined;
  if (!degraded || degraded.length === 0) return 'answered';
  return degraded.includes('llm') ? 'unanswered' : 'degraded';
}
