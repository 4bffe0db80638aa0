import { z } from 'zod';
import type { Intent, Language } from '../understanding/types.ts';
import type { ErrorCode } from '../errors.ts';
import type { RouteInfo } from '../llm/types.ts';

/** A product card as the wire contract shows it (protocol.md, `products` frame). */
export interface ProductCard {
  /** Product id of a volume, or the series id when the store lists the series without volumes for sale. */
  id: string;
  seriesId: string;
  title: string;
  /**
   * Extension: the English title, or null when the series has none (then `title` is what English
   * readers know it by). Absent on cards stored before it existed.
   */
  titleEn?: string | null;
  titleJa: string | null;
  authors: string[];
  /** null: the series is listed, but no volume is for sale yet (extension of the contract). */
  volume: number | null;
  priceJpy: number | null;
  inStock: boolean;
  format?: string;
  releaseDate?: string;
}

/** Segment timings of one reply, in ms; `totalMs` and `firstTokenMs` always present. */
export type Timings = Record<string, number> & { totalMs: number; firstTokenMs: number };

/** The frames of one reply, in order, before the transport adds `replyTo`. */
export type ReplyFrame =
  | { type: 'start'; intent: Intent; language: Language; confidence: number }
  | { type: 'token'; text: string }
  | { type: 'products'; items: ProductCard[] }
  /**
   * Extension: the answer already streamed broke the store's content rules (found by a check
   * that ran while tokens flowed): the client replaces the reply's text with `text`.
   */
  | { type: 'revise'; text: string; reason: string }
  | {
      type: 'end';
      timings: Timings;
      /** Extension: the message's trace id (OpenTelemetry, 32 hex digits): find this reply's trace and log lines by it. */
      traceId: string;
      degraded?: string[];
      /** Extension: a human handoff ticket is open for this conversation; staff replies arrive as `agent_message` frames. */
      handoff?: { ticketId: string };
      /** Extension: which model answered, why, at what priority, and how long it queued. */
      route?: RouteInfo;
      /** Extension: the message was blocked, or the answer revised or cut by a guardrail (category). */
      guardrail?: { blocked?: string; revised?: string };
      /** Extension: the model's stream broke after the first token; the reply ends with a notice. */
      interrupted?: true;
      /** The message id was answered before and its turn is stored: this is that answer again (protocol.md). */
      replayed?: true;
    }
  | { type: 'error'; code: ErrorCode; message: string; retryAfterMs?: number };

/** Client → server frames on the WebSocket. Unknown keys are ignored, unknown types refused. */
export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('user_message'),
    id: z.string().min(1).max(128),
    text: z.string(),
  }),
  z.object({ type: z.literal('ping') }),
]);

export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** Body of POST /v1/chat and /v1/chat/stream. */
export const chatBodySchema = z.object({
  text: z.string(),
  sessionId: z.string().min(1).max(128).optional(),
  /** The `resumeToken` of that session, proving a guest owns it (protocol.md). */
  resumeToken: z.string().min(1).max(256).optional(),
  /** Optional client message id for idempotent retries (generated when absent). */
  id: z.string().min(1).max(128).optional(),
});

/** Body of POST /v1/nlu/intent. */
export const intentBodySchema = z.object({ text: z.string() });
