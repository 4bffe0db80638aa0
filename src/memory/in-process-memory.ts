import type { CallOptions } from '../shared/call.ts';
import type { ConversationMemory, StoredMessage } from './types.ts';
import { resolveMemoryOptions, type MemoryOptions } from './options.ts';

/** Options of the in-process conversation memory. */
export interface InProcessMemoryOptions extends MemoryOptions {
  /** Most sessions held; the least recently used one is dropped beyond it. @default 10000 */
  maxSessions?: number;
}

interface Session {
  messages: StoredMessage[];
  // Insertion-ordered, so the oldest id is the first one to drop.
  ids: Set<string>;
  lastActiveAt: number;
}

/** Conversation memory in a bounded Map (LRU on sessions): for tests and single-process ephemeral use. */
export function createInProcessMemory(options: InProcessMemoryOptions): ConversationMemory {
  const { window, idsKept, idleTtlMs, now } = resolveMemoryOptions(options);
  const maxSessions = options.maxSessions ?? 10_000;
  if (!Number.isInteger(maxSessions) || maxSessions < 1) throw new RangeError(`maxSessions must be a positive integer, got ${maxSessions}`);

  // A Map iterates in insertion order; re-inserting on use makes the first key the least recently used.
  const sessions = new Map<string, Session>();
  let closed = false;

  const guard = (opts?: CallOptions): void => {
    if (closed) throw new Error('conversation memory is closed');
    opts?.signal?.throwIfAborted();
  };
  const live = (sessionId: string): Session | undefined => {
    const s = sessions.get(sessionId);
    if (!s) return undefined;
    if (s.lastActiveAt < now() - idleTtlMs) {
      sessions.delete(sessionId);
      return undefined;
    }
    sessions.delete(sessionId);
    sessions.set(sessionId, s);
    return s;
  };

  return {
    async load(sessionId, opts) {
      guard(opts);
      const s = live(sessionId);
      // Copies, so a caller mutating what it loaded cannot rewrite history.
      return s ? s.messages.map(copy) : [];
    },

    async append(sessionId, messages, opts) {
      guard(opts);
      let s = live(sessionId);
      if (!s) {
        s = { messages: [], ids: new Set(), lastActiveAt: 0 };
        sessions.set(sessionId, s);
        while (sessions.size > maxSessions) sessions.delete(sessions.keys().next().value as string);
      }
      s.lastActiveAt = now();
      for (const m of messages) {
        s.messages.push(copy(m));
        if (m.role === 'user') s.ids.add(m.messageId);
      }
      if (s.messages.length > window) s.messages.splice(0, s.messages.length - window);
      for (const id of s.ids) {
        if (s.ids.size <= idsKept) break;
        s.ids.delete(id);
      }
    },

    async hasMessage(sessionId, messageId, opts) {
      guard(opts);
      return live(sessionId)?.ids.has(messageId) ?? false;
    },

    async expire(at) {
      guard();
      const cutoff = (at ?? now()) - idleTtlMs;
      let removed = 0;
      for (const [id, s] of sessions) {
        if (s.lastActiveAt < cutoff) {
          sessions.delete(id);
          removed++;
        }
      }
      return removed;
    },

    close() {
      closed = true;
      sessions.clear();
    },
  };
}

function copy(m: StoredMessage): StoredMessage {
  const c: StoredMessage = { ...m };
  if (m.seriesIds) c.seriesIds = [...m.seriesIds];
  if (m.productIds) c.productIds = [...m.productIds];
  if (m.cards) c.cards = m.cards.map((card) => ({ ...card, authors: [...card.authors] }));
  if (m.about) c.about = structuredClone(m.about);
  return c;
}
