/**
 * Graceful drain of one process (SIGTERM: a rolling deploy, a scale-in, a node replaced). The
 * load balancer learns from /readyz that this node is leaving and sends new chats elsewhere;
 * every open chat and streaming reply here is a member of the drain: told when it begins, it
 * finishes what is in flight and leaves (a WebSocket closes with 1012 "service restart", and its
 * client reconnects at once to another node). Past the deadline the members still here are
 * forced out: their clients send the cut-off message again, with the same id, on their new
 * connection, where it is replayed if it was stored and answered if not.
 */

/** One open chat or streaming reply that a drain waits for. */
export interface DrainMember {
  /** The drain began: finish what is in flight, then leave. Called once. */
  drain(): void;
  /** The deadline passed: leave now, cutting what is still in flight. Called at most once. */
  force(): void;
}

/** How a drain ended. */
export interface DrainResult {
  /** From start to the last member leaving (or being forced out). */
  waitedMs: number;
  /** Members that were still here at the deadline and were forced out. */
  forced: number;
}

/** The drain of one process: who is still here, and whether it has begun. */
export interface Drain {
  /** True from the moment the drain begins: readiness fails and new chats are refused. */
  readonly draining: boolean;
  /** Holds the drain open until the returned function is called (idempotent). Joining a drain that has begun is told at once. */
  join(member: DrainMember): () => void;
  /** Begins the drain (a second call returns the first one's promise); resolves once every member left, or forced them out after `timeoutMs`. */
  start(timeoutMs: number): Promise<DrainResult>;
  /** Forces out every member now (a second signal: the operator does not want to wait). */
  hurry(): void;
  /** Members still here. */
  size(): number;
}

/** Options of a drain. */
export interface DrainOptions {
  /** After forcing, how long members get to leave before the drain resolves anyway. @default 1000 */
  forceGraceMs?: number;
  /** Told when a member's drain() or force() throws; the drain goes on. */
  onError?: (err: unknown) => void;
}

/** Creates the drain of this process; nothing happens until start(). */
export function createDrain(opts: DrainOptions = {}): Drain {
  const forceGraceMs = opts.forceGraceMs ?? 1000;
  const members = new Map<DrainMember, { forced: boolean }>();
  let draining = false;
  let started: Promise<DrainResult> | undefined;
  let emptied: (() => void) | undefined;
  let forcedCount = 0;

  const call = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      opts.onError?.(err);
    }
  };
  const forceAll = () => {
    for (const [member, state] of members) {
      if (state.forced) continue;
      state.forced = true;
      forcedCount++;
      call(() => member.force());
    }
  };

  return {
    get draining() {
      return draining;
    },
    join(member) {
      const state = { forced: false };
      members.set(member, state);
      if (draining) call(() => member.drain());
      let left = false;
      return () => {
        if (left) return;
        left = true;
        members.delete(member);
        if (members.size === 0) emptied?.();
      };
    },
    start(timeoutMs) {
      if (started) return started;
      draining = true;
      const t0 = performance.now();
      started = new Promise<DrainResult>((resolve) => {
        let graceTimer: NodeJS.Timeout | undefined;
        let finished = false;
        const done = () => {
          if (finished) return;
          finished = true;
          clearTimeout(deadline);
          clearTimeout(graceTimer);
          emptied = undefined;
          resolve({ waitedMs: Math.round(performance.now() - t0), forced: forcedCount });
        };
        const deadline = setTimeout(() => {
          forceAll();
          // Forced members usually leave at once (then the drain is already done).
          if (!finished) graceTimer = setTimeout(done, forceGraceMs);
        }, timeoutMs);
        emptied = done;
        // Told after the deadline is armed: a member that leaves at once may empty the drain.
        for (const member of [...members.keys()]) call(() => member.drain());
        if (members.size === 0) done();
      });
      return started;
    },
    hurry() {
      forceAll();
    },
    size: () => members.size,
  };
}
