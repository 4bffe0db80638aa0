import type { CallOptions } from '../shared/call.ts';
import type { ProductCard } from '../chat/protocol.ts';
import type { TurnAbout } from '../understanding/types.ts';

/** One stored message of a conversation. */
export interface StoredMessage {
  role: 'user' | 'assistant';
  text: string;
  /** Client message id (user turns) or the id it replied to (assistant turns). */
  messageId: string;
  intent?: string;
  language?: 'ja' | 'en';
  /** Series and products the assistant showed, in order, for reference resolution. */
  seriesIds?: string[];
  productIds?: string[];
  /** Assistant turns: the product cards sent with the answer, so a retried message gets the same reply back. */
  cards?: ProductCard[];
  /** Assistant turns: what the answer was about (the volume asked, the series compared, the request met), for follow-ups. */
  about?: TurnAbout;
  at: number; // epoch ms
}

/** Port: conversation memory (tier 1). Keeps the last N messages per session; sessions expire when idle. */
export interface ConversationMemory {
  /** The session's last messages, oldest first (at most the configured window, 10 by default). */
  load(sessionId: string, opts?: CallOptions & { fresh?: boolean }): Promise<StoredMessage[]>;
  /** Append messages, trim to the window, and refresh the idle expiry. */
  append(sessionId: string, messages: StoredMessage[], opts?: CallOptions): Promise<void>;
  /** Whether a user message id was already accepted in this session (idempotent replies). */
  hasMessage(sessionId: string, messageId: string, opts?: CallOptions): Promise<boolean>;
  /** Delete sessions idle longer than the configured time; returns how many were removed. */
  expire(now?: number): Promise<number>;
  close(): void;
}
