import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { createDispatcher, type Handled } from './dispatcher.ts';
import { BUS_TIMEOUT_MS, warnBusError, type BusOptions } from './in-process-bus.ts';
import { followSubscription } from './redis-subscription.ts';
import { BusError, type MessageBus } from './types.ts';

// The message bus across the nodes of a fleet, over Redis (ElastiCache in the design).
//
// Publication: one Lua script numbers the message (INCR: one sequence for the whole bus), keeps
// it under its key if retained, reads which nodes are present and PUBLISHes it, all in one step.
// Redis runs scripts one at a time and pushes a channel's messages to every subscriber in the
// order it ran the PUBLISHes, so every node sees the same order: the sequence's.
//
// Answers: a node that handled a message PUBLISHes its answers (or its handlers' errors) to the
// publisher's own channel. The publisher waits for the nodes that were present when the message
// went out: present means a heartbeat in the last 3 periods (a sorted set scored by expiry, in
// Redis's clock so the nodes' clocks do not matter). A node that leaves (closes, or stops
// heartbeating) is not waited for once it is gone; one that stays but does not answer fails the
// publish after the timeout, named. A node that joins while a message is on its way may handle it
// without being waited for.
//
// Retained state: a hash of the latest message of every (topic, key) with its sequence number. A
// node joining the bus subscribes first, then reads the hash and the sequence in one step, so
// every retained message is in what it read or arrives after it (one in both is handled once).
// The hash lives while the fleet does: every heartbeat extends it, so a rolling restart keeps it,
// and a fleet that has been gone for BUS_STATE_TTL_MS starts clean.
//
// Gaps: pub/sub keeps nothing for a subscriber that is away. When a node's subscriber connection
// comes back it reads the hash again and hands its handlers the latest message of every key that
// changed since the last message it saw (in order), then reports the gap: what was not retained
// (a push, a data-change event) is for the gap's listeners to recover. Redis may come back empty
// (a restart without persistence): a new random epoch, kept beside the sequence, says so, and the
// node first writes back the retained state it holds (what another node already wrote back wins).

/** Options of the Redis message bus. */
export interface RedisMessageBusOptions extends BusOptions {
  /** Runs the scripts and publishes answers; owned by the caller. Fail-fast (no offline queue) is right: a publish that cannot go out should say so now. */
  publisher: Redis;
  /** A dedicated client with its offline queue on (a subscribed connection runs no other command); owned by the caller. */
  subscriber: Redis;
  /** This node's name on the bus, unique in the fleet (hostname:pid). */
  nodeId: string;
  /** Prefix of the bus's keys and channels: fleets (or environments) sharing one Redis use different ones. @default 'mangaassist:bus' */
  prefix?: string;
  /** A node is present while it heartbeats; it is gone 3 periods after its last one. @default 1000 */
  heartbeatMs?: number;
  /** Retained state outlives the last node's heartbeat this long. @default 300000 */
  stateTtlMs?: number;
  /** How long start-up waits to be in sync before going on without the fleet (Redis down); it syncs once Redis answers, as after a gap. @default 2000 */
  startupWaitMs?: number;
}

/** The bus of a fleet: a MessageBus whose members are nodes that may come and go. */
export interface FleetBus extends MessageBus {
  readonly nodeId: string;
  /** Nodes present now (their heartbeat has not expired), this one included while it is in sync. */
  members(): Promise<string[]>;
  /**
   * Called after the bus may have missed messages (its connection was lost, or start-up went on
   * without Redis): retained state is already re-synced; what was not retained is for the
   * listener to recover. Returns the unsubscribe.
   */
  onGap(listener: () => void): () => void;
  /** Whether this node is connected and in sync with the fleet now (publish refuses otherwise). */
  inSync(): boolean;
}

/** One message as it travels: the script puts `<epoch> <seq> ` in front of this JSON. */
interface Body {
  /** topic */
  t: string;
  /** message */
  m: unknown;
  /** retain key */
  k?: string;
  /** publisher's node */
  f: string;
  /** publisher's call id */
  i: string;
}

interface Envelope extends Body {
  epoch: string;
  seq: number;
}

/** A node's answer to one message, on the publisher's own channel. */
interface Ack {
  i: string;
  n: string;
  a: unknown[];
  e: string[];
}

interface Call {
  /** Nodes still to answer; undefined until the script said who was present. */
  waiting?: Set<string>;
  /** Nodes that answered (before the script's reply too). */
  answered: Set<string>;
  handled: Handled;
  finish(): void;
}

// KEYS: 1 seq, 2 epoch, 3 retained hash, 4 nodes (sorted set, score = presence expiry in ms).
const KEY_COUNT = 4;

const NOW = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`;
const KEEP = `for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end`;

// ARGV: 1 epoch candidate, 2 state ttl, 3 channel, 4 body, 5 retained field ('' = not retained)
const PUBLISH = `
redis.call('SET', KEYS[2], ARGV[1], 'NX')
local epoch = redis.call('GET', KEYS[2])
local seq = redis.call('INCR', KEYS[1])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[3], ARGV[5], seq .. ' ' .. ARGV[4]) end
${KEEP}
${NOW}
local members = redis.call('ZRANGEBYSCORE', KEYS[4], now, '+inf')
redis.call('PUBLISH', ARGV[3], epoch .. ' ' .. seq .. ' ' .. ARGV[4])
return members`;

// ARGV: 1 epoch candidate, 2 state ttl → epoch, seq, retained values ('<seq> <body>')
const SNAPSHOT = `
redis.call('SET', KEYS[2], ARGV[1], 'NX')
${KEEP}
return {redis.call('GET', KEYS[2]), tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('HVALS', KEYS[3])}`;

// ARGV: 1 expected epoch, 2 state ttl, then field, body pairs → 1, or 0 when the epoch moved on
const SEED = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
for i = 3, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[3], ARGV[i]) == 0 then
    local seq = redis.call('INCR', KEYS[1])
    redis.call('HSET', KEYS[3], ARGV[i], seq .. ' ' .. ARGV[i + 1])
  end
end
${KEEP}
return 1`;

// ARGV: 1 epoch candidate, 2 state ttl, 3 node, 4 presence ttl → the epoch
const HEARTBEAT = `
${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. now)
redis.call('ZADD', KEYS[4], now + tonumber(ARGV[4]), ARGV[3])
redis.call('PEXPIRE', KEYS[4], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1], 'NX')
${KEEP}
return redis.call('GET', KEYS[2])`;

const MEMBERS = `
${NOW}
return redis.call('ZRANGEBYSCORE', KEYS[4], now, '+inf')`;

// ARGV: 1 node, 2 channel of leaves
const LEAVE = `
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[1])
return 1`;

/** The bus's Redis keys and channels under a prefix; the keys share a hash slot (`{prefix}`) so the scripts also run on Redis Cluster. */
export function busNames(prefix: string): { keys: string[]; all: string; left: string; to: (node: string) => string } {
  const slot = `{${prefix}}`;
  return {
    keys: [`${slot}:seq`, `${slot}:epoch`, `${slot}:retained`, `${slot}:nodes`],
    all: `${prefix}:all`,
    left: `${prefix}:left`,
    to: (node) => `${prefix}:to:${node}`,
  };
}

/**
 * Joins the fleet's bus; resolves once in sync (subscribed, retained state read, presence
 * registered), or after `startupWaitMs` without Redis (then it syncs when Redis answers and
 * reports that as a gap).
 */
export async function createRedisMessageBus(opts: RedisMessageBusOptions): Promise<FleetBus> {
  const { publisher, subscriber, nodeId } = opts;
  if (!nodeId || /\s/.test(nodeId)) throw new Error(`bus node id must be non-empty without spaces: "${nodeId}"`);
  const timeoutMs = opts.timeoutMs ?? BUS_TIMEOUT_MS;
  const heartbeatMs = opts.heartbeatMs ?? 1000;
  const stateTtlMs = opts.stateTtlMs ?? 300_000;
  const onError = opts.onError ?? warnBusError;
  const names = busNames(opts.prefix ?? 'mangaassist:bus');
  const mine = names.to(nodeId);
  const dispatcher = createDispatcher(onError);
  const calls = new Map<string, Call>();
  const gapListeners = new Set<() => void>();
  // A fresh epoch id is offered with every script; only the first one after Redis lost its data sticks.
  const candidate = () => randomBytes(8).toString('hex');
  const run = (script: string, ...args: (string | number)[]) => publisher.eval(script, KEY_COUNT, ...names.keys, ...args);

  let closed = false;
  let synced = false;
  /** The subscriber connection is down (messages are being missed). */
  let lost = false;
  let started = false;
  /** The Redis state this node's copy follows: its epoch and the last sequence number it handled. */
  let epoch: string | undefined;
  let lastSeq = 0;
  /** Messages that arrived while (re)syncing, handled once the snapshot is in. */
  let buffer: Envelope[] | undefined = [];
  let nextCall = 0;

  // ---- receiving --------------------------------------------------------------------------

  const parseEnvelope = (raw: string): Envelope | undefined => {
    const a = raw.indexOf(' ');
    const b = raw.indexOf(' ', a + 1);
    try {
      const body = JSON.parse(raw.slice(b + 1)) as Body;
      if (a < 1 || b < 0 || typeof body.t !== 'string' || typeof body.f !== 'string') throw new Error('not a bus message');
      return { ...body, epoch: raw.slice(0, a), seq: Number(raw.slice(a + 1, b)) };
    } catch (err) {
      onError(new Error(`malformed bus message: ${raw.slice(0, 200)} (${(err as Error).message})`));
      return undefined;
    }
  };

  /** Tells the publisher of `env` what this node made of it. */
  const answer = (env: Envelope, handled: Handled): void => {
    let answers: unknown[];
    try {
      answers = JSON.parse(JSON.stringify(handled.answers.map((x) => (x === undefined ? null : x)))) as unknown[];
    } catch (err) {
      answers = [];
      handled.errors.push(`answer not serialisable: ${(err as Error).message}`);
    }
    const ack: Ack = { i: env.i, n: nodeId, a: answers, e: handled.errors };
    if (env.f === nodeId) acknowledged(ack);
    else publisher.publish(names.to(env.f), JSON.stringify(ack)).catch(onError);
  };

  /** Hands a message to this node's subscribers; answers its publisher unless it is a replay. */
  const handle = (env: Envelope, answering: boolean): void => {
    if (env.epoch === epoch) lastSeq = Math.max(lastSeq, env.seq);
    void dispatcher.deliver(env.t, env.m, env.k).then((handled) => {
      if (answering) answer(env, handled);
    });
  };

  const receive = (env: Envelope): void => {
    if (buffer) {
      buffer.push(env);
      return;
    }
    // Another epoch: Redis lost its data under a connection that stayed up (FLUSHALL). Re-sync.
    if (env.epoch !== epoch) {
      buffer = [env];
      requestSync();
      return;
    }
    if (env.seq <= lastSeq) return;
    handle(env, true);
  };

  const acknowledged = (ack: Ack): void => {
    const call = calls.get(ack.i);
    if (!call || call.answered.has(ack.n)) return;
    call.answered.add(ack.n);
    call.handled.answers.push(...ack.a);
    call.handled.errors.push(...ack.e.map((e) => (ack.n === nodeId ? e : `${e} (node ${ack.n})`)));
    call.waiting?.delete(ack.n);
    settle(call);
  };

  const settle = (call: Call): void => {
    if (call.waiting && call.waiting.size === 0) call.finish();
  };

  const departed = (node: string): void => {
    for (const call of calls.values()) {
      if (call.waiting?.delete(node)) settle(call);
    }
  };

  const onMessage = (channel: string, raw: string) => {
    if (closed) return;
    if (channel === names.all) {
      const env = parseEnvelope(raw);
      if (env) receive(env);
    } else if (channel === mine) {
      try {
        acknowledged(JSON.parse(raw) as Ack);
      } catch (err) {
        onError(err);
      }
    } else if (channel === names.left) departed(raw);
  };
  subscriber.on('message', onMessage);

  // ---- sync (join, and after every gap) ---------------------------------------------------

  const snapshot = async (): Promise<{ epoch: string; seq: number; entries: Envelope[] }> => {
    const [e, seq, values] = (await run(SNAPSHOT, candidate(), stateTtlMs)) as [string, number, string[]];
    const entries: Envelope[] = [];
    for (const v of values) {
      const env = parseEnvelope(`${e} ${v}`);
      if (env) entries.push(env);
    }
    return { epoch: e, seq: Number(seq), entries: entries.sort((a, b) => a.seq - b.seq) };
  };

  const field = (topic: string, key: string) => JSON.stringify([topic, key]);

  async function syncOnce(): Promise<void> {
    let snap = await snapshot();
    // What this node holds, to compare with (an unknown epoch: Redis lost its data, or this node never synced).
    const held = new Map(dispatcher.retained().map(([topic, key, message]) => [field(topic, key), JSON.stringify(message)]));
    let since: number | undefined;
    if (epoch === snap.epoch) since = lastSeq;
    else if (held.size > 0) {
      // Redis came back empty: write back what this node holds, in its order, where nobody did yet.
      const pairs = dispatcher.retained().flatMap(([topic, key, message]) => [field(topic, key), JSON.stringify({ t: topic, m: message, k: key, f: nodeId, i: '' } satisfies Body)]);
      await run(SEED, snap.epoch, stateTtlMs, ...pairs);
      snap = await snapshot();
    }
    epoch = snap.epoch;
    lastSeq = since ?? 0;
    // Up to the snapshot, one order: the retained messages this node missed (by sequence when it
    // follows this epoch, else those that differ from what it holds) and what arrived meanwhile,
    // answered, as a publisher may wait for this node. A retained one that arrived but was
    // replaced since (the snapshot has a later one of its key) is answered without handling.
    const arrived = buffer ?? [];
    const latest = new Map(snap.entries.map((env) => [field(env.t, env.k!), env.seq]));
    const early = new Map(arrived.filter((env) => env.epoch === snap.epoch && env.seq <= snap.seq).map((env) => [env.seq, env]));
    const steps: { env: Envelope; answer: boolean }[] = [];
    for (const env of snap.entries) {
      const missed = since !== undefined ? env.seq > since : held.get(field(env.t, env.k!)) !== JSON.stringify(env.m);
      if (missed && !early.has(env.seq)) steps.push({ env, answer: false });
    }
    for (const env of early.values()) {
      if (env.k !== undefined && latest.get(field(env.t, env.k)) !== env.seq) answer(env, { answers: [], errors: [] });
      else steps.push({ env, answer: true });
    }
    for (const { env, answer } of steps.sort((x, y) => x.env.seq - y.env.seq)) handle(env, answer);
    lastSeq = Math.max(lastSeq, snap.seq);
    // Then what is newer, as live messages (no await from the snapshot to here: nothing overtakes).
    buffer = undefined;
    synced = true;
    for (const env of arrived) if (!early.has(env.seq) || env.epoch !== snap.epoch) receive(env);
    // Lost again meanwhile: the sync that follows its return takes it from here.
    if (lost) {
      synced = false;
      buffer = [];
      return;
    }
    // Presence: from now on a publisher waits for this node (a failure here is retried by the next beat).
    await heartbeat().catch(onError);
  }

  let syncing: Promise<void> | undefined;
  let again = false;
  /** Runs syncs until one finishes with nothing newer asking for another; retries while Redis does not answer. */
  function requestSync(): void {
    synced = false;
    buffer ??= [];
    if (syncing) {
      again = true;
      return;
    }
    syncing = (async () => {
      for (let attempt = 0; !closed; attempt++) {
        again = false;
        synced = false;
        buffer ??= [];
        try {
          await syncOnce();
          if (!again) break;
        } catch (err) {
          onError(err);
          await sleep(Math.min(100 * 2 ** attempt, heartbeatMs * 5));
        }
      }
      syncing = undefined;
      if (!closed && synced && started) {
        for (const listener of [...gapListeners]) {
          try {
            listener();
          } catch (err) {
            onError(err);
          }
        }
      }
    })();
  }

  // ---- presence ----------------------------------------------------------------------------

  async function heartbeat(): Promise<void> {
    const e = (await run(HEARTBEAT, candidate(), stateTtlMs, nodeId, heartbeatMs * 3)) as string;
    if (epoch !== undefined && e !== epoch && synced) requestSync();
  }
  const beat = setInterval(() => {
    if (synced && !closed) heartbeat().catch(onError);
  }, heartbeatMs);
  beat.unref();

  const members = async (): Promise<string[]> => (await run(MEMBERS)) as string[];

  // ---- start ------------------------------------------------------------------------------

  const followed = await followSubscription({
    subscriber,
    channels: [names.all, mine, names.left],
    onLost: () => {
      lost = true;
      synced = false;
      buffer ??= [];
    },
    onRestored: () => {
      lost = false;
      requestSync();
    },
    onError,
    startupWaitMs: opts.startupWaitMs ?? 2000,
  });
  if (followed.subscribedAtStart) {
    requestSync();
    const waited = opts.startupWaitMs ?? 2000;
    await Promise.race([syncing, sleep(waited, undefined, { ref: false })]);
  }
  started = true;

  return {
    nodeId,
    async publish(topic, message, publishOpts) {
      if (closed) throw new BusError(topic, ['the bus is closed']);
      if (!synced) throw new BusError(topic, [`node ${nodeId} is not in sync with the bus (Redis unreachable, or catching up)`]);
      const id = String(++nextCall);
      const retain = publishOpts?.retain;
      const body: Body = { t: topic, m: message === undefined ? null : message, ...(retain !== undefined ? { k: retain } : {}), f: nodeId, i: id };
      let timer: ReturnType<typeof setTimeout> | undefined;
      let recheck: ReturnType<typeof setInterval> | undefined;
      const call: Call = { answered: new Set(), handled: { answers: [], errors: [] }, finish: () => {} };
      const done = new Promise<Handled>((resolve) => {
        call.finish = () => {
          if (!calls.delete(id)) return;
          clearTimeout(timer);
          clearInterval(recheck);
          resolve(call.handled);
        };
      });
      calls.set(id, call);
      let present: string[];
      try {
        present = (await run(PUBLISH, candidate(), stateTtlMs, names.all, JSON.stringify(body), retain !== undefined ? field(topic, retain) : '')) as string[];
      } catch (err) {
        calls.delete(id);
        throw new BusError(topic, [`not published: ${(err as Error).message}`]);
      }
      // This node too, present or not: publish resolves once its own subscribers have handled it.
      call.waiting = new Set([...present, nodeId].filter((n) => !call.answered.has(n)));
      timer = setTimeout(() => {
        call.handled.errors.push(`no answer within ${timeoutMs} ms from ${[...call.waiting!].map((n) => `node ${n}`).join(', ')}`);
        call.finish();
      }, timeoutMs);
      // A node that stopped heartbeating (killed, cut off) is not waited for once its presence expired.
      recheck = setInterval(() => {
        members().then((now) => {
          const live = new Set(now);
          for (const n of [...call.waiting!]) if (!live.has(n) && n !== nodeId) departed(n);
        }, () => {});
      }, heartbeatMs);
      settle(call);
      const handled = await done;
      if (handled.errors.length) throw new BusError(topic, handled.errors);
      return handled.answers;
    },
    subscribe: (topic, handler) => dispatcher.subscribe(topic, handler),
    members,
    onGap(listener) {
      const entry = () => listener();
      gapListeners.add(entry);
      return () => {
        gapListeners.delete(entry);
      };
    },
    inSync: () => synced && !closed,
    async close() {
      if (closed) return;
      const wasSynced = synced;
      closed = true;
      synced = false;
      clearInterval(beat);
      for (const call of [...calls.values()]) {
        call.handled.errors.push('the bus is closed');
        call.finish();
      }
      subscriber.off('message', onMessage);
      // Publishers stop waiting for this node now rather than when its presence expires.
      if (wasSynced) await run(LEAVE, nodeId, names.left).catch(onError);
      await followed.stop().catch(onError);
      gapListeners.clear();
      dispatcher.clear();
    },
  };
}
