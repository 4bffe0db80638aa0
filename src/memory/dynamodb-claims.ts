import { checkClaim, type ClaimsOptions, type MessageClaims } from './message-claims.ts';
import { isConditionFailed, ttlSeconds, type DynamoTable, type TableSpec } from '../store/dynamodb.ts';

/**
 * Table layout: one item per message being answered.
 *
 *   sessionId   HASH (S)    the conversation
 *   messageId   RANGE (S)   the client's message id
 *   holder      S           who answers it (node and attempt)
 *   leaseUntil  N           ms until which the claim holds; past it anyone may take it over
 *   expiresAt   N           TTL attribute, epoch s: a while after the lease (a dead holder's item)
 *
 * A claim is one PutItem conditional on "nobody, a lease that ran out, or me": exactly one of any
 * number of concurrent claimants wins, on any number of nodes, without a transaction. A release
 * is a DeleteItem conditional on the holder. Items live seconds: a session's claims share its
 * partition key but are written once per message, so a viral session adds no hot claim traffic.
 */
export const CLAIMS_TABLE: TableSpec = { hashKey: 'sessionId', rangeKey: 'messageId', ttlAttribute: 'expiresAt' };

/** How long after its lease an item left by a dead holder may be deleted by TTL. */
const KEEP_AFTER_LEASE_MS = 10 * 60_000;

/** Message-id claims in a DynamoDB table (see CLAIMS_TABLE); the caller owns the client. */
export function createDynamoClaims(table: DynamoTable, options: ClaimsOptions = {}): MessageClaims {
  const now = options.now ?? Date.now;
  let closed = false;
  const check = (signal?: AbortSignal) => {
    if (closed) throw new Error('message claims store is closed');
    signal?.throwIfAborted();
  };
  return {
    async claim(sessionId, messageId, holder, leaseMs, opts) {
      check(opts?.signal);
      checkClaim(leaseMs);
      for (;;) {
        const t = now();
        try {
          await table.put(
            {
              Item: { sessionId, messageId, holder, leaseUntil: t + leaseMs, expiresAt: ttlSeconds(t + leaseMs + KEEP_AFTER_LEASE_MS) },
              ConditionExpression: 'attribute_not_exists(sessionId) OR leaseUntil < :now OR holder = :holder',
              ExpressionAttributeValues: { ':now': t, ':holder': holder },
              // DynamoDB sends the holder's item back with the refusal (one round trip); dynalite does not.
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
            opts?.signal,
          );
          return { won: true };
        } catch (error) {
          if (!isConditionFailed(error)) throw error;
          const old = (error as { Item?: { holder?: { S?: string }; leaseUntil?: { N?: string } } }).Item;
          if (old?.holder?.S !== undefined && old.leaseUntil?.N !== undefined) return { won: false, holder: old.holder.S, leaseUntil: Number(old.leaseUntil.N) };
          const { Item } = await table.get({ Key: { sessionId, messageId }, ConsistentRead: true }, opts?.signal);
          // Released between the refusal and this read: claim again.
          if (Item) return { won: false, holder: Item.holder as string, leaseUntil: Item.leaseUntil as number };
        }
      }
    },
    async release(sessionId, messageId, holder, opts) {
      check(opts?.signal);
      try {
        await table.delete({ Key: { sessionId, messageId }, ConditionExpression: 'holder = :holder', ExpressionAttributeValues: { ':holder': holder } }, opts?.signal);
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
    close() {
      closed = true;
    },
  };
}
