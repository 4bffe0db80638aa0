import type { Redis } from 'ioredis';
import type { CallOptions } from '../../shared/call.ts';
import { resolveRequest, TOKEN_EPSILON } from './in-process-limiter.ts';
import type { Decision, RateLimiter, TakeRequest } from './types.ts';

// Why Lua: a decision reads several buckets, decides, then writes all or none. Done from the
// client that is a WATCH/MULTI loop of several round trips that retries under contention; a
// script is one round trip and atomic by construction.
//
// Why server time by default: nodes' clocks drift, and a bucket refilled by one node's clock and
// charged by another's would gain or lose tokens. TIME in the script gives every node one clock.
// Redis 7 replicates a script's effects rather than the script, so a non-deterministic call
// like TIME is safe. An injected clock (tests) is passed in ARGV[1] instead.
//
// Cluster: the keys of one decision (session, address, global LLM bucket) hash to different
// slots, which Redis Cluster refuses in one script; it would need hash tags or one decision per
// slot. The service targets a single primary with replicas (ElastiCache cluster mode disabled).
//
// Each bucket is a hash {t: tokens, u: last update ms, x: expires at ms}. `x` duplicates the
// PEXPIRE deadline in the script's clock: an injected clock is not Redis's clock, and an
// `onlyWhenNew` check needs to know whether a bucket is alive without knowing its rule.
//
// KEYS: the n request keys, then the keys named by `onlyWhenNew`.
// ARGV: now ('' = use TIME), n, epsilon, then per request: capacity, refill/s, cost, reserve,
// ttl ms, index in KEYS of its onlyWhenNew key (0 = none).
// Returns: {allowed 0/1, retryAfterMs, index of the first refusing request (0 = none),
// tokens per request left after the decision, as strings (a Lua number in a reply is truncated to an integer)}.
// The arithmetic mirrors in-process-limiter.ts expression for expression, so both adapters
// agree to the last bit at the boundaries.
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
end
local n = tonumber(ARGV[2])
local eps = tonumber(ARGV[3])

local reqs = {}
for i = 1, n do
  local a = 3 + (i - 1) * 6
  reqs[i] = { cap = tonumber(ARGV[a + 1]), rate = tonumber(ARGV[a + 2]), cost = tonumber(ARGV[a + 3]),
    reserve = tonumber(ARGV[a + 4]), ttl = tonumber(ARGV[a + 5]), newIdx = tonumber(ARGV[a + 6]) }
end

local function alive(key)
  local x = redis.call('HGET', key, 'x')
  return x and tonumber(x) > now
end
local function fits(tokens, r)
  return tokens + eps >= r.cost + r.reserve
end
local function tokensAt(t, u, at, r)
  return math.min(r.cap, t + ((at - u) * r.rate) / 1000)
end
local function waitMs(t, u, r)
  local cur = tokensAt(t, u, now, r)
  if r.cost + r.reserve > r.cap + eps then
    return math.max(1, math.ceil(((r.cap - cur) * 1000) / r.rate))
  end
  local w = math.max(1, math.ceil(((r.cost + r.reserve - eps - cur) * 1000) / r.rate))
  if not fits(tokensAt(t, u, now + w, r), r) then
    w = w + 1
  elseif w > 1 and fits(tokensAt(t, u, now + w - 1, r), r) then
    w = w - 1
  end
  return w
end

-- Judged before anything is charged: "new" means new before this decision.
local applies = {}
for i = 1, n do
  applies[i] = reqs[i].newIdx == 0 or not alive(KEYS[reqs[i].newIdx])
end

local working = {}
local current = {}
local after = {}
local allowed = true
local retry = 0
local denied = 0
for i = 1, n do
  local r = reqs[i]
  local key = KEYS[i]
  if not applies[i] then
    current[i] = r.cap
    after[i] = r.cap
  else
    local t, u = r.cap, now
    local h = redis.call('HMGET', key, 't', 'u', 'x')
    if h[3] and tonumber(h[3]) > now then
      t, u = tonumber(h[1]), tonumber(h[2])
    end
    current[i] = tokensAt(t, u, now, r)
    if working[key] then
      t, u = working[key], now
    end
    local tokens = tokensAt(t, u, now, r)
    if fits(tokens, r) then
      local left = math.max(0, tokens - r.cost)
      working[key] = left
      after[i] = left
    else
      allowed = false
      if denied == 0 then denied = i end
      retry = math.max(retry, waitMs(t, u, r))
      after[i] = tokens
    end
  end
end

local reply = { allowed and 1 or 0, allowed and 0 or retry, denied }
for i = 1, n do reply[3 + i] = string.format('%.17g', allowed and after[i] or current[i]) end
if not allowed then return reply end

for i = 1, n do
  if applies[i] then
    local key = KEYS[i]
    redis.call('HSET', key, 't', string.format('%.17g', working[key]), 'u', string.format('%.17g', now),
      'x', string.format('%.17g', now + reqs[i].ttl))
    redis.call('PEXPIRE', key, reqs[i].ttl)
  end
end
return reply
`;

const COMMAND = 'mangaAssistRateLimitTake';

type TakeCommand = (numKeys: number, ...keysAndArgs: string[]) => Promise<[number, number, number, ...string[]]>;

/** Options of the Redis limiter. */
export interface RedisLimiterOptions {
  /** An ioredis client; owned by the caller, who also closes it. */
  redis: Redis;
  /** Prefix of every bucket key. @default 'ma:rl:' */
  prefix?: string;
  /** Clock in epoch ms, passed to the script. @default Redis server TIME */
  now?: () => number;
}

/**
 * Token buckets in Redis, shared by every node: one EVALSHA per decision. ioredis's
 * `defineCommand` sends EVAL the first time on each connection and EVALSHA after that, and
 * re-sends EVAL when the server answers NOSCRIPT (after a restart or SCRIPT FLUSH): that one
 * decision then costs two round trips.
 */
export function createRedisLimiter(opts: RedisLimiterOptions): RateLimiter {
  const prefix = opts.prefix ?? 'ma:rl:';
  opts.redis.defineCommand(COMMAND, { lua: TAKE_SCRIPT });
  const take = (opts.redis as unknown as Record<string, TakeCommand>)[COMMAND].bind(opts.redis);

  return {
    name: 'redis',
    async take(requests: TakeRequest[], callOpts?: CallOptions): Promise<Decision> {
      const signal = callOpts?.signal;
      signal?.throwIfAborted();
      const resolved = requests.map(resolveRequest);
      const keys = resolved.map((r) => prefix + r.key);
      const args = [opts.now ? String(opts.now()) : '', String(resolved.length), String(TOKEN_EPSILON)];
      for (const r of resolved) {
        let newIdx = 0;
        if (r.onlyWhenNew !== undefined) newIdx = keys.push(prefix + r.onlyWhenNew);
        args.push(String(r.capacity), String(r.refillPerSec), String(r.cost), String(r.reserve), String(r.ttlMs), String(newIdx));
      }
      const reply = take(keys.length, ...keys, ...args);
      // An abort only stops the wait: a script already sent may still run and charge.
      const [allowed, retryAfterMs, denied, ...remaining] = signal ? await untilAborted(reply, signal) : await reply;
      const decision: Decision = { allowed: allowed === 1, retryAfterMs, remaining: remaining.map(Number) };
      if (denied > 0) decision.deniedKey = resolved[denied - 1].key;
      return decision;
    },
    // The client is injected, so whoever created it closes it.
    async close() {},
  };
}

/** `promise`, or a rejection with the signal's reason if it aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}
