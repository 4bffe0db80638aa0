import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type DeleteCommandOutput,
  type GetCommandInput,
  type GetCommandOutput,
  type PutCommandInput,
  type PutCommandOutput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { isStoreThrottle, markThrottleCounted } from '../observability/store-throttle.ts';

/**
 * The DynamoDB side of the durable stores: one client per process, one handle per table, and the
 * design's throttling policy (scenario 4, "thundering herd on DynamoDB").
 *
 * Throttling: a request DynamoDB throttles (ProvisionedThroughputExceededException,
 * ThrottlingException, RequestLimitExceeded) was not applied, so it is always safe to send again.
 * It is retried after 100, 200 and 400 ms plus 0-50 ms of jitter, then the error surfaces. Each
 * throttled attempt is counted (the store-throttle metric and its "any throttle" alarm), not only
 * the ones that end in failure. The SDK's own retries are off (`maxAttempts: 1`): its standard
 * strategy (@smithy/core retry: StandardRetryStrategy with DefaultRetryBackoffStrategy) waits a
 * uniform random time in [0, base x 2^attempt) with a 500-1000 ms base for throttles, three
 * attempts, behind a retry-token bucket, and would hide every throttled attempt from the metric.
 * Other failures (5xx, a cut connection) are not retried here: an ambiguous write may have been
 * applied, and the callers' guards know which calls are idempotent.
 */

/** Backoff before each retry of a throttled request, ms (the design's 100/200/400). */
export const THROTTLE_BACKOFF_MS: readonly number[] = [100, 200, 400];
/** Random jitter added to each backoff, ms: [0, this). */
export const THROTTLE_JITTER_MS = 50;

/** Connection settings of the DynamoDB client. */
export interface DynamoClientOptions {
  region: string;
  /** A local engine (dynalite, DynamoDB Local) or a VPC endpoint; unset: the region's endpoint. */
  endpoint?: string;
  /** Static credentials; unset: fixed dummy ones for a loopback endpoint, else the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Longest wait for a TCP/TLS connection. @default 1000 */
  connectTimeoutMs?: number;
  /** Backstop for a request whose caller set no deadline: the socket may stay idle this long. @default 5000 */
  requestTimeoutMs?: number;
  /** Keep-alive sockets per endpoint. @default 128 */
  maxSockets?: number;
}

/** A document client (plain JavaScript values in and out) plus what closes it. */
export interface DynamoClient {
  doc: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  destroy(): void;
}

/** Opens the process's DynamoDB client: keep-alive sockets, SDK retries off (see above). */
export function createDynamoClient(opts: DynamoClientOptions): DynamoClient {
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 128 };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  const raw = new DynamoDBClient({
    region: opts.region,
    endpoint: opts.endpoint,
    // Local engines accept any signature; without this a developer's machine would need AWS
    // credentials (or wait for the instance-metadata lookup to time out) to talk to dynalite.
    credentials: opts.credentials ?? (opts.endpoint && isLoopback(opts.endpoint) ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent, httpsAgent, connectionTimeout: opts.connectTimeoutMs ?? 1000, requestTimeout: opts.requestTimeoutMs ?? 5000 }),
  });
  // Undefined fields of optional properties are left out rather than refused.
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    doc,
    raw,
    destroy() {
      raw.destroy();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/**
 * What a store needs of its table: string keys, secondary indexes (projecting every attribute)
 * and the TTL attribute (epoch seconds). The same shape will drive the infrastructure code.
 */
export interface TableSpec {
  hashKey: string;
  rangeKey?: string;
  indexes?: { name: string; hashKey: string; rangeKey?: string }[];
  ttlAttribute?: string;
}

/** How a table handle behaves. */
export interface TableOptions {
  /** Create the table (on-demand capacity, the spec's indexes and TTL) when it does not exist: local, dev and tests. */
  create?: boolean;
  /** Called once per throttled attempt (the store-throttle metric). */
  onThrottle?: () => void;
  /** Waits between throttled attempts (tests record the schedule instead of waiting). @default timers */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of the jitter. @default Math.random */
  random?: () => number;
}

/** One table: its name, typed single-table calls with the throttle policy, creation and a readiness probe. */
export interface DynamoTable {
  readonly name: string;
  get(input: Omit<GetCommandInput, 'TableName'>, signal?: AbortSignal): Promise<GetCommandOutput>;
  put(input: Omit<PutCommandInput, 'TableName'>, signal?: AbortSignal): Promise<PutCommandOutput>;
  update(input: Omit<UpdateCommandInput, 'TableName'>, signal?: AbortSignal): Promise<UpdateCommandOutput>;
  delete(input: Omit<DeleteCommandInput, 'TableName'>, signal?: AbortSignal): Promise<DeleteCommandOutput>;
  query(input: Omit<QueryCommandInput, 'TableName'>, signal?: AbortSignal): Promise<QueryCommandOutput>;
  scan(input: Omit<ScanCommandInput, 'TableName'>, signal?: AbortSignal): Promise<ScanCommandOutput>;
  /** Resolves once the table can be used (created first when `create` is on); a failure is retried by the next call. */
  ready(): Promise<void>;
  /** One cheap read of a key that never exists: throws unless the table answers (readiness checks). */
  ping(signal?: AbortSignal): Promise<void>;
}

/** A handle on table `name` shaped like `spec`. */
export function openTable(client: DynamoClient, name: string, spec: TableSpec, opts: TableOptions = {}): DynamoTable {
  const sleep = opts.sleep ?? abortableSleep;
  const random = opts.random ?? Math.random;
  let readiness: Promise<void> | undefined;

  const ready = (): Promise<void> => {
    if (!opts.create) return Promise.resolve();
    readiness ??= ensureTable(client.raw, name, spec).catch((error: unknown) => {
      readiness = undefined;
      throw error;
    });
    return readiness;
  };

  async function run<T>(signal: AbortSignal | undefined, call: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    await ready();
    for (let retry = 0; ; retry++) {
      try {
        return await call(signal);
      } catch (error) {
        // The SDK's AbortError wraps the reason; callers see their own (a deadline, a departure).
        if (signal?.aborted) throw signal.reason;
        if (!isStoreThrottle(error)) throw error;
        opts.onThrottle?.();
        // Counted here, attempt by attempt: the store-throttle proxy above must not count it again.
        if (retry >= THROTTLE_BACKOFF_MS.length) throw markThrottleCounted(error);
        await sleep(THROTTLE_BACKOFF_MS[retry] + random() * THROTTLE_JITTER_MS, signal);
      }
    }
  }
  const sent = (signal: AbortSignal | undefined) => (signal ? { abortSignal: signal } : undefined);

  const table: DynamoTable = {
    name,
    get: (input, signal) => run(signal, (s) => client.doc.send(new GetCommand({ ...input, TableName: name }), sent(s))),
    put: (input, signal) => run(signal, (s) => client.doc.send(new PutCommand({ ...input, TableName: name }), sent(s))),
    update: (input, signal) => run(signal, (s) => client.doc.send(new UpdateCommand({ ...input, TableName: name }), sent(s))),
    delete: (input, signal) => run(signal, (s) => client.doc.send(new DeleteCommand({ ...input, TableName: name }), sent(s))),
    query: (input, signal) => run(signal, (s) => client.doc.send(new QueryCommand({ ...input, TableName: name }), sent(s))),
    scan: (input, signal) => run(signal, (s) => client.doc.send(new ScanCommand({ ...input, TableName: name }), sent(s))),
    ready,
    async ping(signal) {
      const key: Record<string, string> = { [spec.hashKey]: '\u0000readyz' };
      if (spec.rangeKey) key[spec.rangeKey] = '\u0000readyz';
      await table.get({ Key: key, ProjectionExpression: '#k', ExpressionAttributeNames: { '#k': spec.hashKey } }, signal);
    },
  };
  return table;
}

/** True for the error of a conditional write whose condition did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

/**
 * Creates table `name` (on-demand capacity, the design's choice for the sessions table) with the
 * spec's keys and indexes when it does not exist, waits until it and its indexes are active, and
 * turns TTL on. Safe to race: a second creator waits for the first one's table.
 */
export async function ensureTable(raw: DynamoDBClient, name: string, spec: TableSpec, opts: { timeoutMs?: number } = {}): Promise<void> {
  let exists = true;
  try {
    await raw.send(new DescribeTableCommand({ TableName: name }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    exists = false;
  }
  if (!exists) {
    const attributes = new Map<string, AttributeDefinition>();
    const keyAttr = (attr: string) => attributes.set(attr, { AttributeName: attr, AttributeType: 'S' });
    keyAttr(spec.hashKey);
    if (spec.rangeKey) keyAttr(spec.rangeKey);
    const indexes: GlobalSecondaryIndex[] = (spec.indexes ?? []).map((ix) => {
      keyAttr(ix.hashKey);
      if (ix.rangeKey) keyAttr(ix.rangeKey);
      return {
        IndexName: ix.name,
        KeySchema: [{ AttributeName: ix.hashKey, KeyType: 'HASH' }, ...(ix.rangeKey ? [{ AttributeName: ix.rangeKey, KeyType: 'RANGE' as const }] : [])],
        Projection: { ProjectionType: 'ALL' },
      };
    });
    try {
      await raw.send(new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes.values()],
        KeySchema: [{ AttributeName: spec.hashKey, KeyType: 'HASH' }, ...(spec.rangeKey ? [{ AttributeName: spec.rangeKey, KeyType: 'RANGE' as const }] : [])],
        ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
      }));
    } catch (error) {
      // Another process (a sibling worker, another node) is creating it: wait for theirs.
      if ((error as Error).name !== 'ResourceInUseException') throw error;
    }
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (let poll = 0; ; poll++) {
    const { Table } = await raw.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE' && (Table.GlobalSecondaryIndexes ?? []).every((ix) => ix.IndexStatus === 'ACTIVE')) break;
    if (Date.now() > deadline) throw new Error(`DynamoDB table ${name} is not active after ${opts.timeoutMs ?? 120_000} ms`);
    // Local engines activate a table at once, DynamoDB in seconds.
    await abortableSleep(Math.min(1000, 20 * 2 ** poll));
  }
  if (spec.ttlAttribute && !exists) {
    try {
      await raw.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true } }));
    } catch (error) {
      // dynalite has no TTL at all (it never deletes); the adapters filter expired items on read.
      if ((error as Error).name !== 'UnknownOperationException' && !/already enabled/i.test(String((error as Error).message))) throw error;
    }
  }
}

/** Epoch seconds at which DynamoDB's TTL may delete an item that stops being live at `ms` (rounded up: never early). */
export function ttlSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

/** Pages through every item a scan finds, one page at a time (bounded memory). */
export async function* scanAll(table: DynamoTable, input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'>, signal?: AbortSignal): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.scan({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }, signal);
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Every item of a query, following pages. */
export async function queryAll(table: DynamoTable, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.query({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }, signal);
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
