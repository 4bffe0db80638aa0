import { endianness } from 'node:os';
import type { Redis } from 'ioredis';
import { raceAbort } from '../../resilience/abort.ts';
import type { CallOptions } from '../../shared/call.ts';
import type { SemanticEntry, SemanticMatch, SemanticStore } from '../types.ts';
import { bestMatch, isLive, validateOptions } from './in-process-semantic-store.ts';

// Layout: one LIST per partition at `<prefix><partition>`, newest entry at the head, each
// element a JSON array [storedAt, vector, question, answer] with the vector as base64 of its
// float32 bytes (little-endian): about 2.7 KB for 512 dimensions against ~10 KB as JSON numbers,
// and bit-exact, so a node reading the entry computes the same similarity as the one that wrote it.
//
// Why the similarity is computed here and not in Redis: vanilla Redis 7.0 has no vector index
// (that is Redis Stack's RediSearch, or ElastiCache's vector search). Partitions are small and
// bounded by `maxPerPartition` by design, since a question is only compared with questions about
// the same policy topic or series, so one LRANGE plus a few dozen dot products is cheap. An
// adapter over a server-side vector index is what large partitions would need instead.
//
// Expiry has two layers: PEXPIRE on every add removes partitions nobody writes to any more (in
// Redis's clock), and each element's storedAt lets `nearest` skip entries older than the TTL in a
// partition that keeps being written to (the key's TTL is refreshed by each add, not per element).
//
// Cluster: SCAN in dropPartitions walks one node. Like the rate limiter, this targets a single
// primary with replicas (ElastiCache cluster mode disabled).

// LPUSH, LTRIM and PEXPIRE in one script: a single command per add (one round trip, atomic, so a
// reader never sees the list longer than maxPerPartition or a key left without a TTL).
// KEYS[1]: the partition. ARGV: encoded entry, maxPerPartition - 1, ttl ms.
const ADD_SCRIPT = `
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

const COMMAND = 'mangaAssistSemanticAdd';

type AddCommand = (key: string, entry: string, lastIndex: string, ttlMs: string) => Promise<number>;

/** Options of {@link createRedisSemanticStore}. */
export interface RedisSemanticStoreOptions {
  /** Client for lookups (may be a replica: a miss just after another node's add costs one answer). Owned by the caller. */
  redis: Redis;
  /** Client for adds and drops, which must reach the primary. @default redis */
  writer?: Redis;
  /** Prefix of every partition key. @default 'mangaassist:sem:' */
  prefix?: string;
  /** How long an entry may be served after its `storedAt`; also each partition key's PEXPIRE. */
  ttlMs: number;
  /** Entries kept per partition; the most recently added win. */
  maxPerPartition: number;
  /** Clock in epoch ms for the storedAt check. @default Date.now */
  now?: () => number;
}

/** The semantic answer cache shared by every node: one LRANGE per lookup, one EVALSHA per add. */
export function createRedisSemanticStore(opts: RedisSemanticStoreOptions): SemanticStore {
  validateOptions(opts);
  const reader = opts.redis;
  const writer = opts.writer ?? opts.redis;
  const prefix = opts.prefix ?? 'mangaassist:sem:';
  const now = opts.now ?? Date.now;
  writer.defineCommand(COMMAND, { numberOfKeys: 1, lua: ADD_SCRIPT });
  const addScript = (writer as unknown as Record<string, AddCommand>)[COMMAND].bind(writer);

  return {
    name: 'redis',

    async nearest(partition: string, vector: Float32Array, threshold: number, callOpts?: CallOptions): Promise<SemanticMatch | undefined> {
      const signal = callOpts?.signal;
      signal?.throwIfAborted();
      const reply = reader.lrange(prefix + partition, 0, -1);
      const raw = signal ? await raceAbort(reply, signal) : await reply;
      const at = now();
      const live: SemanticEntry[] = [];
      // The list is newest first; bestMatch wants oldest first so the newest wins a tie.
      for (let i = raw.length - 1; i >= 0; i--) {
        const entry = decodeEntry(raw[i]);
        if (entry && isLive(entry, at, opts.ttlMs)) live.push(entry);
      }
      return bestMatch(live, vector, threshold);
    },

    async add(partition: string, entry: SemanticEntry): Promise<void> {
      if (!isLive(entry, now(), opts.ttlMs)) return;
      await addScript(prefix + partition, encodeEntry(entry), String(opts.maxPerPartition - 1), String(Math.ceil(opts.ttlMs)));
    },

    async dropPartitions(prefixes: string[]): Promise<void> {
      // Rare (a policy page or a series changed), so a SCAN over the keyspace is acceptable.
      // Scanned on the writer: a lagging replica could miss a partition created a moment ago.
      for (const p of prefixes) {
        const exact = prefix + p;
        await writer.unlink(exact);
        const match = `${escapeGlob(exact)}:*`;
        let cursor = '0';
        do {
          const [next, keys] = await writer.scan(cursor, 'MATCH', match, 'COUNT', 1000);
          if (keys.length > 0) await writer.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
      }
    },

    // The clients are injected, so whoever created them closes them.
    async close() {},
  };
}

/** Makes every character of `s` literal in a Redis glob pattern (`*`, `?`, `[...]`, `\`). */
export function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

const LITTLE_ENDIAN = endianness() === 'LE';

export function encodeEntry(entry: SemanticEntry): string {
  const v = entry.vector;
  let bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (!LITTLE_ENDIAN) bytes = Buffer.from(bytes).swap32();
  return JSON.stringify([entry.storedAt, bytes.toString('base64'), entry.question, entry.answer]);
}

/** The entry, or undefined for an element this version cannot read (it is then just never matched). */
export function decodeEntry(raw: string): SemanticEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [storedAt, vector, question, answer] = parsed as unknown[];
  if (typeof storedAt !== 'number' || typeof vector !== 'string' || typeof question !== 'string' || typeof answer !== 'string') return undefined;
  const bytes = Buffer.from(vector, 'base64');
  if (bytes.length % 4 !== 0) return undefined;
  if (!LITTLE_ENDIAN) bytes.swap32();
  // Copied into a fresh buffer: the decoded bytes may sit at an offset that is not 4-aligned.
  const floats = new Float32Array(bytes.length / 4);
  new Uint8Array(floats.buffer).set(bytes);
  return { vector: floats, question, answer, storedAt };
}
