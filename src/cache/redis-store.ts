import type { Redis } from 'ioredis';
import { raceAbort } from '../resilience/abort.ts';
import type { CallOptions } from '../shared/call.ts';
import type { CacheEntry, CacheStore } from './types.ts';

// Why Lua: storing an entry is SET plus, per tag, SADD and an expiry that may only grow. As
// separate commands that is a round trip each (or a MULTI whose expiry logic cannot read the
// current TTL); a script is one round trip and nobody sees the value without its tag index.
//
// Each tag is a SET of the full Redis keys carrying it. Its expiry is raised to the longest-lived
// entry added (PTTL compare in Lua rather than PEXPIRE GT: GT treats a fresh set, which has no
// TTL, as infinite and would never set one). Members whose entry has since expired stay in
// the set, so a tag written forever (never idle long enough to expire) would grow without bound
// and make its invalidation ever slower. Each write therefore samples two members of every tag
// it touches and removes those whose key is gone: like Redis's own active expiry, this keeps at
// most about half of a set's members dead, for two EXISTS per tag per write.
//
// An overwrite does not remove the key from the tag sets of its previous entry (that would mean
// reading and decoding the old entry in the script on every write): invalidating an old tag
// still removes the new value. That only over-invalidates, which is safe for a cache.
//
// Cluster: the scripts touch keys they are not given in KEYS (tag members), which Redis Cluster
// refuses. The service targets a single primary with replicas (ElastiCache cluster mode disabled).
//
// KEYS: the entry key, then its tag sets. ARGV: the encoded entry, its TTL in ms.
const SET_SCRIPT = `
local key = KEYS[1]
local px = tonumber(ARGV[2])
redis.call('SET', key, ARGV[1], 'PX', px)
for i = 2, #KEYS do
  local tag = KEYS[i]
  for _, member in ipairs(redis.call('SRANDMEMBER', tag, 2)) do
    if member ~= key and redis.call('EXISTS', member) == 0 then redis.call('SREM', tag, member) end
  end
  redis.call('SADD', tag, key)
  if redis.call('PTTL', tag) < px then redis.call('PEXPIRE', tag, px) end
end
return 1
`;

// KEYS: tag sets. UNLINK frees memory off the main thread; it is sent in slices because Lua's
// unpack() has a stack limit of a few thousand values.
const INVALIDATE_SCRIPT = `
for i = 1, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members, 500 do
    redis.call('UNLINK', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('UNLINK', KEYS[i])
end
return 1
`;

const SET_COMMAND = 'mangaAssistCacheSet';
const INVALIDATE_COMMAND = 'mangaAssistCacheInvalidate';

type ScriptCommand = (numKeys: number, ...keysAndArgs: string[]) => Promise<unknown>;

/**
 * Encoding version, first in the header. A reader that meets another version (a rolling deploy
 * that changed the format) treats the entry as a miss instead of failing on every read of it.
 */
const FORMAT = 1;

/** Options of the Redis cache tier. */
export interface RedisStoreOptions {
  /** Client for reads; owned by the caller, who also closes it. */
  redis: Redis;
  /** Client for writes; owned by the caller. @default `redis` */
  writer?: Redis;
  /** Prefix of every key, entry and tag set. @default 'mangaassist:cache:' */
  prefix?: string;
  /** An entry whose value is larger (UTF-8 bytes) is not stored, and the key's older value is removed. */
  maxEntryBytes: number;
  now?: () => number;
}

/**
 * The shared cache tier (L2) in Redis: one string per entry, expiring at its `staleUntil`, and
 * one set per tag naming the entries that carry it.
 *
 * Two connections: ioredis pipelines every command of a client on one socket and Redis answers
 * them in order, so a read issued behind slow writes (large values still being transferred, a
 * burst of writes after many misses, a congested link to the primary) waits for all of them.
 * Reads are on the request path and writes are not, so writes get their own connection. This
 * does not help against a long script: Redis runs one command at a time for every connection.
 * `redis` may also point at a replica while `writer` points at the primary; a read right after
 * a write may then miss until the replica catches up, which a cache tolerates.
 */
export function createRedisStore(opts: RedisStoreOptions): CacheStore {
  const prefix = opts.prefix ?? 'mangaassist:cache:';
  const now = opts.now ?? Date.now;
  const reader = opts.redis;
  const writer = opts.writer ?? opts.redis;
  // ioredis sends EVALSHA, and EVAL once when the server answers NOSCRIPT (first use, restart).
  writer.defineCommand(SET_COMMAND, { lua: SET_SCRIPT });
  writer.defineCommand(INVALIDATE_COMMAND, { lua: INVALIDATE_SCRIPT });
  const commands = writer as unknown as Record<string, ScriptCommand>;
  const setScript = commands[SET_COMMAND].bind(writer);
  const invalidateScript = commands[INVALIDATE_COMMAND].bind(writer);

  const entryKey = (key: string) => prefix + key;
  const tagKey = (tag: string) => `${prefix}tag:${tag}`;
  const live = (raw: string | null): CacheEntry | undefined => {
    if (raw === null) return undefined;
    const entry = decode(raw);
    return entry && entry.staleUntil > now() ? entry : undefined;
  };

  return {
    name: 'redis',
    async get(key, callOpts?: CallOptions) {
      const signal = callOpts?.signal;
      signal?.throwIfAborted();
      const reply = reader.get(entryKey(key));
      return live(signal ? await raceAbort(reply, signal) : await reply);
    },
    async getMany(keys, callOpts?: CallOptions) {
      if (keys.length === 0) return [];
      const signal = callOpts?.signal;
      signal?.throwIfAborted();
      const reply = reader.mget(keys.map(entryKey));
      return (signal ? await raceAbort(reply, signal) : await reply).map(live);
    },
    async set(key, entry) {
      if (Buffer.byteLength(entry.value) > opts.maxEntryBytes) {
        // The key's previous value describes an older state of the origin than the one just
        // computed: serving it on would be serving data known to be superseded.
        await writer.unlink(entryKey(key));
        return false;
      }
      const ttlMs = Math.ceil(entry.staleUntil - now());
      if (ttlMs <= 0) return false;
      await setScript(1 + entry.tags.length, entryKey(key), ...entry.tags.map(tagKey), encode(entry), String(ttlMs));
      return true;
    },
    async delete(keys) {
      if (keys.length === 0) return;
      await writer.unlink(...keys.map(entryKey));
    },
    async invalidateTags(tags) {
      if (tags.length === 0) return;
      await invalidateScript(tags.length, ...tags.map(tagKey));
    },
    // The clients are injected, so whoever created them closes them.
    async close() {},
  };
}

/**
 * A header line (JSON array: format, times, tags) then the value as is. Nesting the value in a
 * JSON object would escape every quote of it a second time, and cost a second pass to undo; JSON
 * never contains a raw newline, so the first one ends the header.
 */
function encode(entry: CacheEntry): string {
  const header = [FORMAT, entry.freshUntil, entry.staleUntil, entry.storedAt, entry.computeMs, entry.tags];
  return `${JSON.stringify(header)}\n${entry.value}`;
}

function decode(raw: string): CacheEntry | undefined {
  const newline = raw.indexOf('\n');
  if (newline < 0) throw new Error('malformed cache entry: no header');
  const header = JSON.parse(raw.slice(0, newline)) as unknown[];
  if (header[0] !== FORMAT) return undefined;
  const [, freshUntil, staleUntil, storedAt, computeMs, tags] = header as [number, number, number, number, number, string[]];
  return { value: raw.slice(newline + 1), freshUntil, staleUntil, storedAt, computeMs, tags };
}
