import type { OwnershipOptions, SessionOwner, SessionOwnership } from './types.ts';
import { isConditionFailed, scanAll, ttlSeconds, type DynamoTable, type TableSpec } from '../store/dynamodb.ts';

/**
 * Table layout: one item per conversation, keyed by session id.
 *
 *   sessionId   HASH (S)   the conversation
 *   customerId  S          a signed-in owner ...
 *   tokenHash   S          ... or the SHA-256 of a guest's resume token (exactly one of the two)
 *   createdAt   N          ms of the claim: the lifetime counts from it, checked on every read
 *   expiresAt   N          TTL attribute, epoch s: createdAt + the lifetime (30 days)
 *
 * Its own table, not the conversations' item: messages expire after 30 idle minutes, the owner
 * must be known for days (an operator's late reply), and the two are read at different moments.
 * Exactly-once without transactions: a claim is a PutItem conditional on no live owner, a
 * transfer an UpdateItem conditional on the current owner, so two nodes can never both win.
 */
export const OWNERSHIP_TABLE: TableSpec = { hashKey: 'sessionId', ttlAttribute: 'expiresAt' };

interface Item {
  sessionId: string;
  customerId?: string;
  tokenHash?: string;
  createdAt: number;
}

/** Session ownership in a DynamoDB table (see OWNERSHIP_TABLE); the caller owns the client. */
export function createDynamoOwnership(table: DynamoTable, options: OwnershipOptions): SessionOwnership {
  const now = options.now ?? Date.now;
  let closed = false;
  const check = (signal?: AbortSignal) => {
    if (closed) throw new Error('session ownership store is closed');
    signal?.throwIfAborted();
  };
  /** The owner's attribute and value, and the other one (which must not be there). */
  const field = (o: SessionOwner): { name: 'customerId' | 'tokenHash'; value: string; other: 'customerId' | 'tokenHash' } =>
    o.kind === 'customer' ? { name: 'customerId', value: o.customerId, other: 'tokenHash' } : { name: 'tokenHash', value: o.tokenHash, other: 'customerId' };

  return {
    async ownerOf(sessionId, opts) {
      check(opts?.signal);
      const { Item } = await table.get({ Key: { sessionId }, ConsistentRead: true }, opts?.signal);
      const item = Item as Item | undefined;
      // Past its lifetime it is gone, whether or not the TTL has deleted it yet.
      if (!item || item.createdAt < now() - options.ttlMs) return undefined;
      return item.customerId !== undefined ? { kind: 'customer', customerId: item.customerId } : { kind: 'guest', tokenHash: item.tokenHash! };
    },

    async claim(sessionId, owner, opts) {
      check(opts?.signal);
      const t = now();
      const f = field(owner);
      try {
        await table.put(
          {
            Item: { sessionId, [f.name]: f.value, createdAt: t, expiresAt: ttlSeconds(t + options.ttlMs) },
            // New ids only; an expired owner still stored (TTL is late) is replaced as if gone.
            ConditionExpression: 'attribute_not_exists(sessionId) OR createdAt < :cutoff',
            ExpressionAttributeValues: { ':cutoff': t - options.ttlMs },
          },
          opts?.signal,
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },

    async transfer(sessionId, from, to, opts) {
      check(opts?.signal);
      const was = field(from);
      const next = field(to);
      try {
        await table.update(
          {
            Key: { sessionId },
            UpdateExpression: was.name === next.name ? 'SET #to = :to' : 'SET #to = :to REMOVE #from',
            ConditionExpression: 'createdAt >= :cutoff AND #from = :from',
            ExpressionAttributeNames: { '#to': next.name, '#from': was.name },
            ExpressionAttributeValues: { ':to': next.value, ':from': was.value, ':cutoff': now() - options.ttlMs },
          },
          opts?.signal,
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },

    async expire(at) {
      check();
      const cutoff = (at ?? now()) - options.ttlMs;
      let removed = 0;
      for await (const page of scanAll(table, { FilterExpression: 'createdAt < :cutoff', ProjectionExpression: 'sessionId', ExpressionAttributeValues: { ':cutoff': cutoff } })) {
        const results = await Promise.allSettled(
          page.map((item) => table.delete({ Key: { sessionId: item.sessionId }, ConditionExpression: 'createdAt < :cutoff', ExpressionAttributeValues: { ':cutoff': cutoff } })),
        );
        for (const r of results) {
          if (r.status === 'fulfilled') removed++;
          else if (!isConditionFailed(r.reason)) throw r.reason;
        }
      }
      return removed;
    },

    close() {
      closed = true;
    },
  };
}
