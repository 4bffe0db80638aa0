import type { ShareStore, SharedView } from './types.ts';
import { isConditionFailed, scanAll, ttlSeconds, type DynamoTable, type TableSpec } from '../store/dynamodb.ts';

/**
 * Table layout: one item per share, keyed by its random id.
 *
 *   shareId     HASH (S)   128 random bits, base64url
 *   owner       S          `customer:<id>` or `guest:<token hash>`: who may revoke it
 *   createdAt   N          ms
 *   expiresAtMs N          ms: the link's end, checked on every read
 *   expiresAt   N          TTL attribute, epoch s (DynamoDB deletes it late; reads ignore it meanwhile)
 *   view        S          the shared view as JSON (read whole, never updated: no nested map to keep in step)
 *
 * The design's scenario 4 is about exactly this item: 10,000 people opening one link within
 * minutes is a hot key. The adapter does one strongly consistent GetItem per call (a share read
 * right after it was made must not be missed and then cached as "none"); the read path above it
 * (shared-links.ts) makes sure calls are rare: one in flight per id per node, then the in-process
 * cache and Redis. Throttled calls back off 100/200/400 ms plus jitter (store/dynamodb.ts).
 */
export const SHARES_TABLE: TableSpec = { hashKey: 'shareId', ttlAttribute: 'expiresAt' };

interface Item {
  shareId: string;
  owner: string;
  createdAt: number;
  expiresAtMs: number;
  view: string;
}

/** Shared conversations in a DynamoDB table (see SHARES_TABLE); the caller owns the client. */
export function createDynamoShares(table: DynamoTable, options: { now?: () => number } = {}): ShareStore {
  const now = options.now ?? Date.now;
  let closed = false;
  const check = (signal?: AbortSignal) => {
    if (closed) throw new Error('share store is closed');
    signal?.throwIfAborted();
  };
  return {
    async create(record, opts) {
      check(opts?.signal);
      const { view } = record;
      const item: Item & { expiresAt: number } = {
        shareId: view.shareId,
        owner: record.owner,
        createdAt: view.createdAt,
        expiresAtMs: view.expiresAt,
        expiresAt: ttlSeconds(view.expiresAt),
        view: JSON.stringify(view),
      };
      try {
        await table.put({ Item: item, ConditionExpression: 'attribute_not_exists(shareId)' }, opts?.signal);
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },

    async get(shareId, opts) {
      check(opts?.signal);
      const { Item } = await table.get({ Key: { shareId }, ConsistentRead: true }, opts?.signal);
      const item = Item as Item | undefined;
      if (!item || item.expiresAtMs <= now()) return undefined;
      return { owner: item.owner, view: JSON.parse(item.view) as SharedView };
    },

    async delete(shareId, owners, opts) {
      check(opts?.signal);
      if (owners.length === 0) return false;
      const values: Record<string, string> = {};
      owners.forEach((o, i) => (values[`:o${i}`] = o));
      try {
        await table.delete(
          { Key: { shareId }, ConditionExpression: `#owner IN (${Object.keys(values).join(', ')})`, ExpressionAttributeNames: { '#owner': 'owner' }, ExpressionAttributeValues: values },
          opts?.signal,
        );
        return true;
      } catch (error) {
        // Absent, or someone else's: the same answer, so a stranger learns nothing about the id.
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },

    async expire(at) {
      check();
      const cutoff = at ?? now();
      let removed = 0;
      for await (const page of scanAll(table, { FilterExpression: 'expiresAtMs <= :cutoff', ProjectionExpression: 'shareId', ExpressionAttributeValues: { ':cutoff': cutoff } })) {
        const results = await Promise.allSettled(
          page.map((item) => table.delete({ Key: { shareId: item.shareId }, ConditionExpression: 'expiresAtMs <= :cutoff', ExpressionAttributeValues: { ':cutoff': cutoff } })),
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

