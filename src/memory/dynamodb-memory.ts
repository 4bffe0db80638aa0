import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallOptions } from '../shared/call.ts';
import type { ConversationMemory, StoredMessage } from './types.ts';
import { resolveMemoryOptions, type MemoryOptions } from './options.ts';
import { isConditionFailed, scanAll, ttlSeconds, type DynamoTable, type TableSpec } from '../store/dynamodb.ts';

/**
 * Table layout: one item per conversation, keyed by session id.
 *
 *   sessionId   HASH (S)   the conversation
 *   messages    L of M     its last `window` messages, oldest first (StoredMessage, cards and all)
 *   ids         L of S     user message ids accepted, oldest first: the last `idsKept` (100)
 *   lastActive  N          ms of the last append: the idle clock, checked on every read
 *   expiresAt   N          TTL attribute, epoch s: lastActive + the idle TTL ("session lifetime, TTL expiry")
 *   rev         S          random revision; every write is conditional on the revision it read
 *
 * Why one item and not one per message: the window is small (10 messages, typically 10-20 KB with
 * cards), so a conversation fits one item far below the 400 KB limit, and then
 *  - a load is one strongly consistent GetItem of one key, whatever the history;
 *  - an append is one conditional PutItem: the turn (question and answer) lands whole or not at
 *    all, with no transaction (dynalite has no TransactWriteItems), and it is durable when the
 *    call resolves;
 *  - the TTL is exact: the whole conversation expires together, refreshed by every append, where
 *    per-message items would each carry the TTL of their own write and an old message still in
 *    the window could be deleted under a live conversation;
 *  - trimming is free (the rewritten item holds only the window) and expiry deletes one item.
 * The price: an append rewrites the window (WCU ~ item size, ~10-20 per message versus ~5-8 for
 * per-message items), paid for exactness and one round trip per read.
 *
 * Expired items: DynamoDB's TTL deletes them up to days late (dynalite never does), so every read
 * filters on lastActive with the injected clock, and an append to an expired conversation starts
 * it afresh. `expire()` is a Scan for local engines and tests; in AWS the TTL does that work.
 *
 * Hot sessions: a conversation's reads are one GetItem on one partition; thousands of readers of
 * one shared session are coalesced and cached above this store (cached-memory.ts), and throttled
 * reads back off 100/200/400 ms plus jitter (store/dynamodb.ts).
 */
export const MEMORY_TABLE: TableSpec = { hashKey: 'sessionId', ttlAttribute: 'expiresAt' };

/** Options of the DynamoDB conversation memory. */
export interface DynamoMemoryOptions extends MemoryOptions {
  /** Conversations whose last item this process keeps, so its next append needs no read first. @default 1000 */
  knownSessions?: number;
}

interface Item {
  sessionId: string;
  messages: StoredMessage[];
  ids: string[];
  lastActive: number;
  expiresAt: number;
  rev: string;
}

/** Conflicting writes of one conversation by other nodes retried before giving up (each retry re-reads it). */
const MAX_WRITE_ATTEMPTS = 8;

/** Conversation memory in a DynamoDB table (see MEMORY_TABLE); the caller owns the client. */
export function createDynamoMemory(table: DynamoTable, options: DynamoMemoryOptions): ConversationMemory {
  const { window, idsKept, idleTtlMs, now } = resolveMemoryOptions(options);
  const knownMax = options.knownSessions ?? 1000;
  // The item this process last read or wrote per conversation (least recently used first): an
  // append is conditional on its revision, so a stale one costs a retry, never a lost message.
  const known = new Map<string, Item>();
  const queues = new Map<string, Promise<void>>();
  let closed = false;

  const guard = (opts?: CallOptions): void => {
    if (closed) throw new Error('conversation memory is closed');
    opts?.signal?.throwIfAborted();
  };
  const remember = (item: Item): void => {
    known.delete(item.sessionId);
    known.set(item.sessionId, item);
    if (known.size > knownMax) known.delete(known.keys().next().value as string);
  };
  const alive = (item: Item | undefined, t: number): item is Item => item !== undefined && item.lastActive >= t - idleTtlMs;
  const read = async (sessionId: string, signal?: AbortSignal): Promise<Item | undefined> => {
    const { Item } = await table.get({ Key: { sessionId }, ConsistentRead: true }, signal);
    const item = Item as Item | undefined;
    if (item) remember(item);
    else known.delete(sessionId);
    return item;
  };

  /** One append: the item this process knows (or reads), plus the messages, written if nobody wrote in between. */
  const write = async (sessionId: string, messages: StoredMessage[], signal?: AbortSignal): Promise<void> => {
    let base = known.get(sessionId);
    let mustRead = base === undefined;
    for (let attempt = 1; ; attempt++) {
      if (mustRead) base = await read(sessionId, signal);
      const t = now();
      // An expired conversation still stored (TTL is late) is not continued: it starts afresh.
      const live = alive(base, t) ? base : undefined;
      const ids = live ? [...live.ids] : [];
      for (const m of messages) if (m.role === 'user' && !ids.includes(m.messageId)) ids.push(m.messageId);
      const next: Item = {
        sessionId,
        messages: [...(live?.messages ?? []), ...structuredClone(messages)].slice(-window),
        ids: ids.slice(-idsKept),
        lastActive: t,
        expiresAt: ttlSeconds(t + idleTtlMs),
        rev: randomBytes(8).toString('hex'),
      };
      try {
        await table.put(
          base
            ? { Item: next, ConditionExpression: '#rev = :rev', ExpressionAttributeNames: { '#rev': 'rev' }, ExpressionAttributeValues: { ':rev': base.rev } }
            : { Item: next, ConditionExpression: 'attribute_not_exists(sessionId)' },
          signal,
        );
        remember(next);
        return;
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        // Another node wrote first: read theirs and redo, after a short random pause so two
        // nodes that collided do not collide again in step.
        known.delete(sessionId);
        mustRead = true;
        if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error(`conversation ${sessionId.slice(0, 60)}: ${attempt} conflicting writes in a row`, { cause: error });
        await sleep(Math.random() * 5 * attempt, undefined, { signal }).catch((e: unknown) => {
          throw signal?.reason ?? e;
        });
      }
    }
  };

  return {
    async load(sessionId, opts) {
      guard(opts);
      const item = await read(sessionId, opts?.signal);
      // Copies: the remembered item is the base of the next append.
      return alive(item, now()) ? structuredClone(item.messages.slice(-window)) : [];
    },

    async append(sessionId, messages, opts) {
      guard(opts);
      // Appends of one conversation from this process go one after another (they would only
      // conflict with each other): what is left to conflict is another node's append.
      const previous = queues.get(sessionId);
      const mine = (previous ?? Promise.resolve()).then(() => write(sessionId, messages, opts?.signal));
      const settled = mine.then(() => {}, () => {});
      queues.set(sessionId, settled);
      void settled.then(() => {
        if (queues.get(sessionId) === settled) queues.delete(sessionId);
      });
      return mine;
    },

    async hasMessage(sessionId, messageId, opts) {
      guard(opts);
      const { Item } = await table.get({ Key: { sessionId }, ConsistentRead: true, ProjectionExpression: 'ids, lastActive' }, opts?.signal);
      const item = Item as Pick<Item, 'ids' | 'lastActive'> | undefined;
      return item !== undefined && item.lastActive >= now() - idleTtlMs && item.ids.includes(messageId);
    },

    async expire(at) {
      guard();
      const cutoff = (at ?? now()) - idleTtlMs;
      let removed = 0;
      for await (const page of scanAll(table, {
        FilterExpression: 'lastActive < :cutoff',
        ProjectionExpression: 'sessionId',
        ExpressionAttributeValues: { ':cutoff': cutoff },
      })) {
        const results = await Promise.allSettled(
          page.map((item) =>
            // Only if still idle: an append that raced the scan keeps its conversation.
            table.delete({ Key: { sessionId: item.sessionId }, ConditionExpression: 'lastActive < :cutoff', ExpressionAttributeValues: { ':cutoff': cutoff } }),
          ),
        );
        for (const [i, r] of results.entries()) {
          if (r.status === 'fulfilled') {
            removed++;
            known.delete(page[i].sessionId as string);
          } else if (!isConditionFailed(r.reason)) throw r.reason;
        }
      }
      return removed;
    },

    close() {
      closed = true;
      known.clear();
    },
  };
}
