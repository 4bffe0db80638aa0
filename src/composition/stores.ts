import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { ConversationMemory } from '../memory/types.ts';
import type { MessageClaims } from '../memory/message-claims.ts';
import type { SessionOwnership } from '../sessions/types.ts';
import type { TicketStore } from '../escalation/types.ts';
import type { ShareStore } from '../sharing/types.ts';
import { countThrottles } from '../observability/store-throttle.ts';
import { openDatabase } from '../store/sqlite.ts';
import { createSqliteMemory } from '../memory/sqlite-memory.ts';
import { createSqliteOwnership } from '../sessions/sqlite-ownership.ts';
import { createSqliteClaims } from '../memory/sqlite-claims.ts';
import { openSqliteTicketStore } from '../escalation/sqlite-ticket-store.ts';
import type { DynamoTable, TableSpec } from '../store/dynamodb.ts';
import { createSqliteShares } from '../sharing/sqlite-shares.ts';

/**
 * The durable stores of the conversation: its messages, its owner, its handoff tickets, the
 * claims that answer each message id once, and its shared read-only copies. Each is a port with an SQLite adapter (one machine)
 * and a DynamoDB adapter (a fleet); STORE_BACKEND picks the set.
 */
export interface Stores {
  backend: Config['STORE_BACKEND'];
  memory: ConversationMemory;
  ownership: SessionOwnership;
  tickets: TicketStore;
  claims: MessageClaims;
  /** Shared conversations ("share this conversation": read-only snapshots behind a random id). */
  shares: ShareStore;
  /** Whether the service must delete expired conversations and owners itself (SQLite; DynamoDB with DYNAMODB_EXPIRE_SWEEP). */
  sweeps: boolean;
  /** Readiness: the configured store answers a read (each DynamoDB table, or the SQLite file). */
  check(): Promise<boolean>;
  close(): void;
}

/** DynamoDB table names of the stores under a prefix. */
export function dynamoTableNames(prefix: string): { memory: string; ownership: string; tickets: string; claims: string; shares: string } {
  return { memory: `${prefix}conversations`, ownership: `${prefix}session-owners`, tickets: `${prefix}tickets`, claims: `${prefix}message-claims`, shares: `${prefix}shared-conversations` };
}

/**
 * Opens the stores of the configured backend, each counted by the store-throttle metric under its
 * name. With DYNAMODB_CREATE_TABLES the tables exist and are active when this returns.
 */
export async function createStores(config: Config, ctx: { dataDir: string; throttled: (store: string) => () => void }): Promise<Stores> {
  const { dataDir, throttled } = ctx;
  const memoryOptions = { window: config.MEMORY_WINDOW, idleTtlMs: config.SESSION_IDLE_TTL_MS, liveSessions: config.MEMORY_LIVE_SESSIONS };
  const ownershipOptions = { ttlMs: config.SESSION_OWNER_TTL_MS };

  if (config.STORE_BACKEND === 'sqlite') {
    // One file for the conversation's state (a file per store keeps the hot memory writes clear
    // of the catalog's import lock); tickets in their own.
    const memoryDb = openDatabase(join(dataDir, 'memory.sqlite'));
    const stores = {
      // Workers share the file: each checks for the others' appends before using its live copies.
      memory: countThrottles(createSqliteMemory(memoryDb, { ...memoryOptions, sharedFile: config.WORKERS > 1 }), throttled('memory')),
      ownership: countThrottles(createSqliteOwnership(memoryDb, ownershipOptions), throttled('memory')),
      claims: countThrottles(createSqliteClaims(memoryDb), throttled('memory')),
      shares: countThrottles(createSqliteShares(memoryDb), throttled('shares')),
      tickets: countThrottles(openSqliteTicketStore(join(dataDir, 'tickets.sqlite')), throttled('tickets')),
    };
    return {
      backend: 'sqlite',
      ...stores,
      sweeps: true,
      async check() {
        try {
          memoryDb.prepare('SELECT 1').get();
          return true;
        } catch {
          return false;
        }
      },
      close() {
        stores.memory.close();
        stores.ownership.close();
        stores.claims.close();
        stores.shares.close();
        stores.tickets.close();
        memoryDb.close();
      },
    };
  }

  // The DynamoDB adapters (and the AWS SDK under them) are loaded only for this backend: importing
  // them cost ~100 ms of every start on SQLite (issue 16: cold start).
  const [{ createDynamoClient, openTable }, { createDynamoMemory, MEMORY_TABLE }, { createDynamoOwnership, OWNERSHIP_TABLE }, { createDynamoClaims, CLAIMS_TABLE }, { createDynamoTicketStore, TICKETS_TABLE }, { createDynamoShares, SHARES_TABLE }] = await Promise.all([
    import('../store/dynamodb.ts'),
    import('../memory/dynamodb-memory.ts'),
    import('../sessions/dynamodb-ownership.ts'),
    import('../memory/dynamodb-claims.ts'),
    import('../escalation/dynamodb-ticket-store.ts'),
    import('../sharing/dynamodb-shares.ts'),
  ]);
  const client = createDynamoClient({ region: config.DYNAMODB_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const names = dynamoTableNames(config.DYNAMODB_TABLE_PREFIX);
  const table = (name: string, spec: TableSpec, store: string): DynamoTable =>
    openTable(client, name, spec, { create: config.DYNAMODB_CREATE_TABLES, onThrottle: throttled(store) });
  const tables = {
    memory: table(names.memory, MEMORY_TABLE, 'memory'),
    ownership: table(names.ownership, OWNERSHIP_TABLE, 'sessions'),
    tickets: table(names.tickets, TICKETS_TABLE, 'tickets'),
    claims: table(names.claims, CLAIMS_TABLE, 'claims'),
    shares: table(names.shares, SHARES_TABLE, 'shares'),
  };
  try {
    await Promise.all(Object.values(tables).map((t) => t.ready()));
  } catch (error) {
    client.destroy();
    throw error;
  }
  // The adapters count every throttled attempt themselves; the proxy counts whatever else escapes.
  const stores = {
    memory: countThrottles(createDynamoMemory(tables.memory, memoryOptions), throttled('memory')),
    ownership: countThrottles(createDynamoOwnership(tables.ownership, ownershipOptions), throttled('sessions')),
    tickets: countThrottles(createDynamoTicketStore(tables.tickets), throttled('tickets')),
    claims: countThrottles(createDynamoClaims(tables.claims), throttled('claims')),
    shares: countThrottles(createDynamoShares(tables.shares), throttled('shares')),
  };
  return {
    backend: 'dynamodb',
    ...stores,
    sweeps: config.DYNAMODB_EXPIRE_SWEEP,
    async check() {
      try {
        await Promise.all(Object.values(tables).map((t) => t.ping(AbortSignal.timeout(1000))));
        return true;
      } catch {
        return false;
      }
    },
    close() {
      stores.memory.close();
      stores.ownership.close();
      stores.claims.close();
      stores.shares.close();
      stores.tickets.close();
      client.destroy();
    },
  };
}

/**
 * Deletes expired conversations, owners and shared copies every MEMORY_EXPIRE_INTERVAL_MS (at
 * least 1 s) when the stores need it (`sweeps`): DynamoDB's TTL deletes expired items itself
 * (reads ignore them until it does). `memory` is the conversation memory as the chat reads it.
 * Returns the stop.
 */
export function startExpirySweeps(config: Config, ctx: { stores: Stores; memory: ConversationMemory; logger: Logger }): () => void {
  const { stores, memory, logger } = ctx;
  const expiry = stores.sweeps
    ? setInterval(() => {
        void memory.expire().catch((err) => logger.warn({ err }, 'memory expiry failed'));
        void stores.ownership.expire().catch((err) => logger.warn({ err }, 'session ownership expiry failed'));
        void stores.shares.expire().catch((err) => logger.warn({ err }, 'shared conversation expiry failed'));
      }, Math.max(1000, config.MEMORY_EXPIRE_INTERVAL_MS))
    : undefined;
  expiry?.unref();
  return () => clearInterval(expiry);
}
