import { createTokenSource } from './credentials.ts';
import { LatencyHistogram } from './histogram.ts';
import { REPLY_KINDS, replyKind, type ReplyKind } from './outcome.ts';
import type { Profile } from './profile.ts';
import { createProgress } from './progress.ts';
import { createRng, type Rng } from './random.ts';
import { sseOpener, wsOpener, type ChatEvents, type ChatOpener, type ChatSession, type RateChat } from './rate-chats.ts';
import type { LatencySummary, LoadTestResult, MessageStats, SloVerdict, TimePoint } from './result.ts';
import { replyVerdicts, type SloTargets } from './slo.ts';
import type { Target } from './targets.ts';
import { planSession } from './traffic.ts';

/** The message-rate (open-loop) mode: messages at a fixed rate over a pool of persistent chats. */
export interface RateOptions {
  profile: Profile;
  transport: 'ws' | 'sse';
  targets: Target[];
  /** Messages per second offered. */
  rate: number;
  /** Length of the measured window. */
  durationMs: number;
  /** Messages sent before the window at the same rate, not measured (JIT, caches, pools warm up). */
  warmupMs: number;
  /** Persistent chats the messages are spread over. */
  chats: number;
  /** `uniform`: exactly 1/rate apart; `poisson`: exponential gaps at the same mean rate. */
  arrivals: 'uniform' | 'poisson';
  messageTimeoutMs: number;
  seed: number;
  slo: SloTargets;
  jwtSecret?: Uint8Array;
  /** Knee search: steps `from`, `from + step`, … up to `to`; stops after a step misses an objective twice in a row. */
  knee?: { from: number; step: number; to: number };
  /** Everything stops this long after the start. */
  maxDurationMs: number;
  /**
   * Chats behave like the chat page when their connection goes (WebSocket only): reconnect with
   * the session's resume token (at once with up to 500 ms jitter after a close 1001/1012, else
   * backoff from 500 ms with full jitter), then send again, with the same id, a message whose
   * `end` never came (at most 3 times; then it fails as `dropped`). Off: a dropped reply fails
   * and the chat is replaced by a new conversation. @default false
   */
  resume?: boolean;
  progress?: NodeJS.WriteStream | NodeJS.WritableStream;
  given: Record<string, unknown>;
}

/** Live counters of the whole run: messages sent, replies that reached `end`, failures. */
export interface RateCounters {
  sent: number;
  ended: number;
  failed: number;
}

/** Told when a measured window opens and closes (benches read the server's CPU at these edges). */
export interface RateHooks {
  onWindow?(edge: 'start' | 'end', step: number, rate: number, counters: Readonly<RateCounters>): void;
  /** Told each reply that ended in the measured window: the text sent (JSON-encoded, as it went out), the client's first-token time (ms from its slot, -1 without a token) and the raw `end` frame. */
  onReply?(reply: { text: string; ttftMs: number; end: string }): void;
}

/** The figures of one measured window. */
export interface RateFigures {
  /** Messages per second offered. */
  rate: number;
  windowS: number;
  /** Messages due in the window. */
  scheduled: number;
  /** Replies that reached `end`, per second of the window. */
  achievedPerS: number;
  /** Time to first token and to `end`, from each message's *scheduled* time (coordinated omission corrected). */
  ttft: LatencySummary;
  ttlt: LatencySummary;
  /** From the actual send, to show what the correction changes. */
  ttftUncorrected: LatencySummary;
  /** The service's own `end.timings.firstTokenMs`, all replies and those a model answered (not templates, not cached). */
  serverFirstTokenMs: LatencySummary;
  serverFirstTokenModelMs: LatencySummary;
  /** Replies by kind and failures by code; `not_sent`: still waiting for a free chat when the run ended. */
  replies: Record<ReplyKind, number>;
  errors: Record<string, number>;
  /** Shares of the messages due in the window (0..1). */
  shares: { answered: number; degraded: number; unanswered: number; interrupted: number; failed: number };
  /** Messages that found every chat busy at their slot and waited for one (their latency counts from the slot). */
  waitedForChat: number;
  chatWaitMs: LatencySummary;
  /** How late the generator itself sent messages that had a free chat (its own timer and event-loop delay). */
  sendLagMs: LatencySummary;
  /** The generator's CPU over the window, % of one core. */
  generatorCpuPct: number;
  slo: SloVerdict[];
  passed: boolean;
  /** With `resume`: what the chats went through (connections that went, and the messages they carried). */
  resume?: ResumeFigures;
}

/** Reconnects and resends of the window (`resume` mode); reconnects are counted when they happen. */
export interface ResumeFigures {
  /** Connections that went (closed by the server or dropped) and were opened again. */
  reconnects: number;
  /** Of them, closed by the server with 1001/1012 (a node draining or going away). */
  restartCloses: number;
  /** From the close to the next `session` frame. */
  reconnectMs: LatencySummary;
  /** Connection attempts that failed before one got its `session` frame. */
  failedAttempts: number;
  /** Messages sent again (same id) after their connection went mid-reply. */
  resends: number;
  /** Replies whose `end` said `replayed` (the turn was stored before the connection went). */
  replayed: number;
  /** Reconnects that got another session than the one they asked to resume (the conversation lost). */
  sessionsChanged: number;
  /** `end` frames for a message id already answered (an answer given twice). */
  duplicateEnds: number;
  /** `end` frames for an id this chat was not waiting for and never got an answer to. */
  strayEnds: number;
}

/** A rate result: the common result format plus `rate` (the headline window) and `knee` when searched. */
export type RateResult = LoadTestResult & { rate: RateFigures; knee?: { objectiveMs: number; steps: RateFigures[]; knee: number | null }; warnings: string[]; resume?: ResumeFigures };

/** Messages a chat cycles through (its session's planned messages), JSON-escaped once. */
interface ChatScript {
  texts: string[];
  token?: string;
}

/** State of one chat slot of the pool, reused for every message (no per-message objects). */
interface Slot {
  chat: RateChat | undefined;
  script: ChatScript;
  busy: boolean;
  /** In the idle ring (at most once; an entry whose chat went down meanwhile is skipped). */
  inRing: boolean;
  seq: number;
  cursor: number;
  slotAt: number;
  sentAt: number;
  firstAt: number;
  measured: boolean;
  /** Resume mode: the message in flight (its id and escaped text, for a resend) and the chat's conversation. */
  id: string;
  text: string;
  resends: number;
  session: ChatSession | undefined;
  /** Waiting for a reconnect to send the message in flight again. */
  resending: boolean;
  downAt: number;
  attempt: number;
}

/** How many times a message cut off by its connection is sent again (the chat page's MAX_RESENDS). */
const MAX_RESENDS = 3;
/** The chat page's reconnect delays (src/web/chat.js). */
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 15_000;
const RESTART_JITTER_MS = 500;
const RESTART_CODES = new Set([1001, 1012]);

/** Reconnect and resend tallies (a window's, or the whole run's). */
class ResumeTally {
  readonly reconnectMs = new LatencyHistogram();
  reconnects = 0;
  restartCloses = 0;
  failedAttempts = 0;
  resends = 0;
  replayed = 0;
  sessionsChanged = 0;
  duplicateEnds = 0;
  strayEnds = 0;
  figures(): ResumeFigures {
    const { reconnects, restartCloses, failedAttempts, resends, replayed, sessionsChanged, duplicateEnds, strayEnds } = this;
    return { reconnects, restartCloses, reconnectMs: this.reconnectMs.summary(), failedAttempts, resends, replayed, sessionsChanged, duplicateEnds, strayEnds };
  }
}

/** One measured window's accumulators. */
class Window {
  readonly ttft = new LatencyHistogram();
  readonly ttlt = new LatencyHistogram();
  readonly ttftUncorrected = new LatencyHistogram();
  readonly serverFirst = new LatencyHistogram();
  readonly serverFirstModel = new LatencyHistogram();
  readonly chatWait = new LatencyHistogram();
  readonly sendLag = new LatencyHistogram();
  readonly replies: Record<ReplyKind, number> = { answered: 0, degraded: 0, unanswered: 0, interrupted: 0 };
  readonly errors: Record<string, number> = {};
  scheduled = 0;
  waitedForChat = 0;
  cpuUs = 0;
  readonly resume = new ResumeTally();
  readonly rate: number;
  readonly startAt: number;
  readonly endAt: number;
  constructor(rate: number, startAt: number, endAt: number) {
    this.rate = rate;
    this.startAt = startAt;
    this.endAt = endAt;
  }
  fail(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }
}

/** Per-second timeline of the whole run (completions), for the report's plots. */
class Timeline {
  private readonly t0: number;
  private readonly points: { messages: number; errors: number; ttft: LatencyHistogram; ttlt: LatencyHistogram; phase: string; busy: number }[] = [];
  phase = '';
  constructor(t0: number) {
    this.t0 = t0;
  }
  private at(at: number) {
    const t = Math.max(0, Math.floor((at - this.t0) / 1000));
    while (this.points.length <= t) this.points.push({ messages: 0, errors: 0, ttft: new LatencyHistogram(), ttlt: new LatencyHistogram(), phase: this.phase, busy: 0 });
    return this.points[t];
  }
  done(at: number, ttft: number, ttlt: number): void {
    const p = this.at(at);
    p.messages++;
    if (ttft >= 0) p.ttft.record(ttft);
    p.ttlt.record(ttlt);
  }
  failed(at: number): void {
    const p = this.at(at);
    p.messages++;
    p.errors++;
  }
  sample(at: number, busy: number): void {
    const p = this.at(at);
    p.busy = busy;
    p.phase = this.phase;
  }
  toJSON(): TimePoint[] {
    return this.points.map((p, t) => ({ t, phase: p.phase, sessionsOpen: p.busy, messages: p.messages, errors: p.errors, ttftP50: p.ttft.percentile(50), ttftP99: p.ttft.percentile(99), ttltP99: p.ttlt.percentile(99) }));
  }
}

/**
 * A fixed pool of persistent chats and the open-loop schedule over it. A message due at its slot
 * goes to a chat that is free (least recently used first, so messages spread over the customers);
 * when every chat is busy it waits, in order, for the next chat that frees up, and its latency
 * still counts from its slot. That is the honest reading of "one reply in flight per chat": the
 * schedule never bends to the server (a slow server makes the waits, and the latencies, grow),
 * and a message is never dropped for lack of a chat. Messages that had to wait are counted; many
 * of them mean the pool is too small for rate × reply time (Little's law) or the server is slow.
 */
export class RatePool {
  private readonly o: RateOptions;
  private readonly opener: ChatOpener;
  private readonly slots: Slot[] = [];
  /** Free slots, a ring in least-recently-used order. */
  private readonly idle: Int32Array;
  private idleHead = 0;
  private idleCount = 0;
  /** Slot times of messages waiting for a free chat, a growable ring. */
  private backlog = new Float64Array(1024);
  private backlogHead = 0;
  private backlogCount = 0;
  private window: Window | undefined;
  private readonly all = { ttft: new LatencyHistogram(), ttlt: new LatencyHistogram(), messages: 0 };
  private readonly replyTotals: Record<ReplyKind, number> = { answered: 0, degraded: 0, unanswered: 0, interrupted: 0 };
  private readonly errorTotals: Record<string, number> = {};
  readonly timeline: Timeline;
  /** Live counters for benches: replies that reached `end`, and failures, over the whole run. */
  readonly counters: RateCounters = { ended: 0, failed: 0, sent: 0 };
  private recentTtft = new LatencyHistogram();
  private reconnects = 0;
  private readonly resumeTotals = new ResumeTally();
  /** Resume mode: ids answered, per chat (an answer given twice is counted, not taken for the next reply). */
  private readonly answered: Set<string>[] = [];
  /** Resume mode: acknowledged message ids (an `end` came) by session id, for checking the store afterwards. */
  private readonly acked = new Map<string, string[]>();
  /** The current run's reply hook (RateHooks.onReply). */
  private onReply: RateHooks['onReply'];
  /** Set by close(): chats that go down are not reopened. */
  private closing = false;
  private readonly events: ChatEvents;
  private readonly t0: number;
  private readonly stop: AbortSignal;

  constructor(o: RateOptions, t0: number, stop: AbortSignal) {
    this.o = o;
    this.t0 = t0;
    this.stop = stop;
    if (o.resume && o.transport !== 'ws') throw new RangeError('resume is for WebSocket chats');
    this.opener = o.transport === 'ws' ? wsOpener({ allEnds: o.resume }) : sseOpener();
    this.idle = new Int32Array(o.chats);
    this.timeline = new Timeline(t0);
    this.events = {
      token: (chat, at) => {
        const s = this.slots[chat.index];
        if (s.chat === chat && s.busy && s.firstAt === 0) s.firstAt = at;
      },
      end: (chat, at, frame) => this.onEnd(chat, at, frame),
      failed: (chat, at, code) => this.onFailed(chat, at, code),
      closed: (chat) => {
        const s = this.slots[chat.index];
        if (s.chat !== chat || s.busy) return;
        if (o.resume) this.resumeChat(chat.index, chat.closeCode ?? 0);
        else this.reopen(chat.index);
      },
    };
  }

  /** Opens every chat (a bounded number at a time); rejects if none could be opened. */
  async open(): Promise<{ opened: number; failed: number; errors: string[] }> {
    const { o } = this;
    const rng = createRng(o.seed);
    const tokens = o.jwtSecret ? createTokenSource(o.jwtSecret) : undefined;
    // A chat that asked for a human would have every later message appended to its handoff
    // ticket; no customer keeps chatting at this pace after that, so escalation is left out.
    const mix = { ...o.profile.intentMix, escalation: 0 };
    const profile = { ...o.profile, intentMix: Object.values(mix).some((v) => (v ?? 0) > 0) ? mix : o.profile.intentMix };
    for (let i = 0; i < o.chats; i++) {
      const plan = planSession(profile, rng, 0);
      this.slots.push({ chat: undefined, script: { texts: plan.messages.map((m) => JSON.stringify(m.text)), token: plan.account && tokens ? await tokens(plan.account) : undefined }, busy: false, inRing: false, seq: 0, cursor: 0, slotAt: 0, sentAt: 0, firstAt: 0, measured: false, id: '', text: '', resends: 0, session: undefined, resending: false, downAt: 0, attempt: 0 });
      this.answered.push(new Set());
    }
    let opened = 0;
    const errors: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < o.chats && !this.stop.aborted) {
        const i = next++;
        try {
          this.slots[i].chat = await this.opener.open(i, o.targets[i % o.targets.length], this.slots[i].script.token, this.events, o.messageTimeoutMs);
          this.slots[i].session = this.slots[i].chat!.session;
          this.release(i);
          opened++;
        } catch (error) {
          if (errors.length < 5) errors.push((error as Error).message);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(64, o.chats) }, worker));
    return { opened, failed: o.chats - opened, errors };
  }

  /**
   * Runs one schedule: messages at `rate`/s from `warmupMs` before the window to its end, then
   * waits (up to the message timeout) for the replies and waiting messages of the window.
   */
  async run(rate: number, step: number, hooks: RateHooks = {}): Promise<RateFigures> {
    const { o } = this;
    this.onReply = hooks.onReply;
    const rng = createRng(o.seed ^ (0x5eed + step));
    const start = performance.now();
    const windowStart = start + o.warmupMs;
    const windowEnd = windowStart + o.durationMs;
    const interval = 1000 / rate;
    const gap = o.arrivals === 'poisson' ? (r: Rng) => -Math.log(1 - r.float()) * interval : () => interval;
    let nextDue = start;
    let k = 0;
    const w = new Window(rate, windowStart, windowEnd);
    let windowOpen = false;
    let cpuStart = process.cpuUsage();
    this.timeline.phase = o.warmupMs > 0 ? `warm-up ${rate}/s` : `${rate}/s`;

    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const tick = () => {
        const now = performance.now();
        if (!windowOpen && now >= windowStart) {
          windowOpen = true;
          this.window = w;
          this.timeline.phase = `${rate}/s`;
          cpuStart = process.cpuUsage();
          hooks.onWindow?.('start', step, rate, this.counters);
        }
        // Every message whose slot has come goes now; a late timer sends a short burst, each
        // message still timed from its own slot.
        while (nextDue <= now && nextDue < windowEnd && !this.stop.aborted) {
          this.dispatch(nextDue, nextDue >= windowStart ? w : undefined);
          k++;
          nextDue = o.arrivals === 'uniform' ? start + k * interval : nextDue + gap(rng);
        }
        if (nextDue >= windowEnd || this.stop.aborted) {
          resolve();
          return;
        }
        timer = setTimeout(tick, Math.max(0, nextDue - performance.now()));
      };
      tick();
      this.stop.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
    if (!windowOpen) {
      this.window = w;
      hooks.onWindow?.('start', step, rate, this.counters);
    }
    const cpu = process.cpuUsage(cpuStart);
    w.cpuUs = cpu.user + cpu.system;
    hooks.onWindow?.('end', step, rate, this.counters);
    const elapsedWindow = Math.max(1, performance.now() - Math.min(performance.now(), windowStart));
    // The window's stragglers: replies in flight and messages still waiting for a chat.
    const drainUntil = performance.now() + o.messageTimeoutMs;
    while ((this.busyCount() > 0 || this.backlogCount > 0) && performance.now() < drainUntil && !this.stop.aborted) {
      await new Promise((r) => setTimeout(r, 20));
      this.sweepTimeouts();
    }
    while (this.backlogCount > 0) {
      const slotAt = this.takeBacklog();
      if (slotAt >= windowStart) w.fail('not_sent');
    }
    this.window = undefined;
    return this.figures(w, Math.min(elapsedWindow, o.durationMs));
  }

  /** Checks replies past the message timeout (called by the caller's 1 s tick and while draining). */
  sweepTimeouts(): void {
    const now = performance.now();
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (!s.busy || now - s.sentAt < this.o.messageTimeoutMs) continue;
      const chat = s.chat;
      this.counters.failed++;
      this.record(s, now, undefined, 'timeout');
      s.busy = false;
      if (this.o.resume) {
        // Still reconnecting: the reconnect lets the chat take the next message.
        if (s.resending) {
          s.resending = false;
          continue;
        }
        // The late reply must not be taken for the next one: a new connection, the same conversation.
        s.chat = undefined;
        chat?.terminate();
        this.resumeChat(i, 0, true);
        continue;
      }
      chat!.terminate();
      this.reopen(i);
    }
  }

  /** Chats with a reply in flight. */
  busyCount(): number {
    let n = 0;
    for (const s of this.slots) if (s.busy) n++;
    return n;
  }

  /** p99 first token of the replies since the last call (progress line). */
  takeRecentP99(): number {
    const p = this.recentTtft.percentile(99);
    this.recentTtft = new LatencyHistogram();
    return p;
  }

  /** Resume mode: reconnects and resends over the whole run. */
  resumeFigures(): ResumeFigures {
    return this.resumeTotals.figures();
  }

  /** Resume mode: the message ids each session got an `end` for (to check against the store). */
  acknowledged(): ReadonlyMap<string, readonly string[]> {
    return this.acked;
  }

  /** Open chats by the node that took them (the upgrade's `X-Served-By`; WebSocket chats behind a load balancer). */
  chatsByNode(): Record<string, number> {
    const by: Record<string, number> = {};
    for (const s of this.slots) {
      const node = s.chat ? (s.chat.session?.servedBy ?? 'unknown') : 'reconnecting';
      by[node] = (by[node] ?? 0) + 1;
    }
    return by;
  }

  /** Whole-run figures for the common result format. */
  totals(): { messages: number; ttft: LatencySummary; ttlt: LatencySummary; replies: Record<ReplyKind, number>; errors: Record<string, number>; reconnects: number } {
    return { messages: this.all.messages, ttft: this.all.ttft.summary(), ttlt: this.all.ttlt.summary(), replies: { ...this.replyTotals }, errors: { ...this.errorTotals }, reconnects: this.reconnects };
  }

  /** A histogram of whole-run corrected first tokens, for the report. */
  ttftBuckets(): [number, number][] {
    return this.all.ttft.buckets();
  }

  close(): void {
    this.closing = true;
    for (const s of this.slots) s.chat?.terminate();
    this.opener.close();
  }

  private dispatch(slotAt: number, w: Window | undefined): void {
    if (w) w.scheduled++;
    while (this.idleCount > 0) {
      const i = this.idle[this.idleHead];
      this.idleHead = (this.idleHead + 1) % this.idle.length;
      this.idleCount--;
      this.slots[i].inRing = false;
      if (!this.slots[i].chat) continue; // went down while idle; it rejoins once reconnected
      this.send(i, slotAt, w, false);
      return;
    }
    if (w) w.waitedForChat++;
    if (this.backlogCount === this.backlog.length) {
      const bigger = new Float64Array(this.backlog.length * 2);
      for (let j = 0; j < this.backlogCount; j++) bigger[j] = this.backlog[(this.backlogHead + j) % this.backlog.length];
      this.backlog = bigger;
      this.backlogHead = 0;
    }
    this.backlog[(this.backlogHead + this.backlogCount) % this.backlog.length] = slotAt;
    this.backlogCount++;
  }

  private takeBacklog(): number {
    const slotAt = this.backlog[this.backlogHead];
    this.backlogHead = (this.backlogHead + 1) % this.backlog.length;
    this.backlogCount--;
    return slotAt;
  }

  /** Sends the next message of slot `i`; `waited`: it had found every chat busy at its slot. */
  private send(i: number, slotAt: number, w: Window | undefined, waited: boolean): void {
    const s = this.slots[i];
    const now = performance.now();
    s.busy = true;
    s.slotAt = slotAt;
    s.sentAt = now;
    s.firstAt = 0;
    s.measured = w !== undefined;
    if (w) (waited ? w.chatWait : w.sendLag).record(now - slotAt);
    const text = s.script.texts[s.cursor];
    s.cursor = (s.cursor + 1) % s.script.texts.length;
    this.counters.sent++;
    s.id = `r${i}-${++s.seq}`;
    s.text = text;
    s.resends = 0;
    s.chat!.send(s.id, text);
  }

  /** A chat is free again: it takes the oldest waiting message, or joins the idle ring. */
  private release(i: number): void {
    if (this.stop.aborted || this.closing) return;
    if (this.backlogCount > 0) {
      const slotAt = this.takeBacklog();
      const w = this.window && slotAt >= this.window.startAt && slotAt < this.window.endAt ? this.window : undefined;
      this.send(i, slotAt, w, true);
      return;
    }
    if (this.slots[i].inRing) return;
    this.slots[i].inRing = true;
    this.idle[(this.idleHead + this.idleCount) % this.idle.length] = i;
    this.idleCount++;
  }

  private onEnd(chat: RateChat, at: number, frame: string): void {
    const s = this.slots[chat.index];
    if (this.o.resume) {
      // Only the reply to the message in flight ends it; any other `end` is an answer given twice
      // (an id already answered) or one nobody asked this chat for.
      const replyTo = (JSON.parse(frame) as { replyTo?: string }).replyTo ?? '';
      if (s.chat !== chat || !s.busy || replyTo !== s.id) {
        const twice = this.answered[chat.index].has(replyTo);
        for (const t of [this.resumeTotals, this.window?.resume]) if (t) twice ? t.duplicateEnds++ : t.strayEnds++;
        return;
      }
      this.answered[chat.index].add(replyTo);
      const sessionId = s.session?.sessionId ?? '';
      let ids = this.acked.get(sessionId);
      if (!ids) this.acked.set(sessionId, (ids = []));
      ids.push(replyTo);
    } else if (s.chat !== chat || !s.busy) return;
    s.busy = false;
    this.counters.ended++;
    this.record(s, at, frame, undefined);
    this.release(chat.index);
  }

  private onFailed(chat: RateChat, at: number, code: string): void {
    const s = this.slots[chat.index];
    if (s.chat !== chat || !s.busy) return;
    if (code === 'dropped' && this.o.resume) {
      s.chat = undefined;
      // The chat page keeps a reply cut off mid-stream open and sends its message again once the
      // next connection is up; after MAX_RESENDS it gives up (the message fails as `dropped`).
      if (s.resends < MAX_RESENDS) {
        s.resending = true;
        this.resumeChat(chat.index, chat.closeCode ?? 0);
        return;
      }
      s.busy = false;
      this.counters.failed++;
      this.record(s, at, undefined, code);
      this.resumeChat(chat.index, chat.closeCode ?? 0);
      return;
    }
    s.busy = false;
    this.counters.failed++;
    this.record(s, at, undefined, code);
    // A refusal leaves the chat usable; a dropped connection is replaced.
    if (code === 'dropped') this.reopen(chat.index);
    else this.release(chat.index);
  }

  private record(s: Slot, at: number, frame: string | undefined, code: string | undefined): void {
    this.all.messages++;
    if (code !== undefined) {
      this.errorTotals[code] = (this.errorTotals[code] ?? 0) + 1;
      this.timeline.failed(at);
      if (s.measured && this.window) this.window.fail(code);
      return;
    }
    const end = JSON.parse(frame!) as { degraded?: string[]; interrupted?: boolean; replayed?: boolean; timings?: { firstTokenMs?: number }; route?: { route?: string } };
    const kind = replyKind(end);
    if (end.replayed) {
      this.resumeTotals.replayed++;
      if (s.measured && this.window) this.window.resume.replayed++;
    }
    this.replyTotals[kind]++;
    const ttft = s.firstAt > 0 ? s.firstAt - s.slotAt : -1;
    const ttlt = at - s.slotAt;
    if (ttft >= 0) {
      this.all.ttft.record(ttft);
      this.recentTtft.record(ttft);
    }
    this.all.ttlt.record(ttlt);
    this.timeline.done(at, ttft, ttlt);
    const w = this.window;
    if (!s.measured || !w) return;
    w.replies[kind]++;
    if (ttft >= 0) {
      w.ttft.record(ttft);
      w.ttftUncorrected.record(s.firstAt - s.sentAt);
    }
    w.ttlt.record(ttlt);
    this.onReply?.({ text: s.text, ttftMs: ttft, end: frame! });
    const server = end.timings?.firstTokenMs;
    if (typeof server === 'number') {
      w.serverFirst.record(server);
      const route = end.route?.route;
      if (route === 'large' || route === 'small') w.serverFirstModel.record(server);
    }
  }

  private reopen(i: number): void {
    const s = this.slots[i];
    s.chat = undefined;
    s.busy = false;
    if (this.stop.aborted || this.closing) return;
    this.reconnects++;
    const attempt = (delayMs: number) => {
      if (this.stop.aborted || this.closing) return;
      this.opener.open(i, this.o.targets[i % this.o.targets.length], s.script.token, this.events, this.o.messageTimeoutMs).then(
        (chat) => {
          if (this.stop.aborted || this.closing) return chat.terminate();
          s.chat = chat;
          this.release(i);
        },
        () => setTimeout(() => attempt(Math.min(2000, delayMs * 2)), delayMs).unref(),
      );
    };
    attempt(100);
  }

  /**
   * Resume mode: the chat's connection went (`closeCode` 1001/1012: the server closed it on
   * purpose; `now`: no wait, after a timeout); reconnect as the chat page does, to the same
   * conversation, then send the message in flight again or take the next one.
   */
  private resumeChat(i: number, closeCode: number, now = false): void {
    const s = this.slots[i];
    s.chat = undefined;
    if (this.stop.aborted || this.closing) return;
    const restart = RESTART_CODES.has(closeCode);
    const tallies = [this.resumeTotals, this.window?.resume].filter((t) => t !== undefined);
    s.downAt = performance.now();
    this.reconnects++;
    for (const t of tallies) {
      t.reconnects++;
      if (restart) t.restartCloses++;
    }
    // A planned restart is no failure: no backoff, and the next failure starts from the base again.
    if (restart) s.attempt = 0;
    const delay = () => {
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** s.attempt++);
      return Math.max(250, Math.random() * ceiling);
    };
    const attempt = () => {
      if (this.stop.aborted || this.closing) return;
      this.opener.open(i, this.o.targets[i % this.o.targets.length], s.script.token, this.events, this.o.messageTimeoutMs, s.session).then(
        (chat) => {
          if (this.stop.aborted || this.closing) return chat.terminate();
          const took = performance.now() - s.downAt;
          for (const t of tallies) {
            t.reconnectMs.record(took);
            if (s.session && chat.session?.sessionId !== s.session.sessionId) t.sessionsChanged++;
          }
          s.chat = chat;
          s.session = chat.session ?? s.session;
          if (s.busy && s.resending) {
            s.resending = false;
            s.resends++;
            s.firstAt = 0;
            for (const t of tallies) t.resends++;
            chat.send(s.id, s.text);
            return;
          }
          if (!s.busy) this.release(i);
        },
        () => {
          for (const t of tallies) t.failedAttempts++;
          setTimeout(attempt, delay()).unref();
        },
      );
    };
    if (now) attempt();
    else setTimeout(attempt, restart ? Math.random() * RESTART_JITTER_MS : delay()).unref();
  }

  private figures(w: Window, windowMs: number): RateFigures {
    const answeredAll = REPLY_KINDS.reduce((n, k) => n + w.replies[k], 0);
    const failed = Object.values(w.errors).reduce((a, b) => a + b, 0);
    const denom = Math.max(1, w.scheduled);
    const stats: Pick<MessageStats, 'messages' | 'replies'> = { messages: w.scheduled, replies: w.replies };
    const slo: SloVerdict[] = [];
    const ttft = w.ttft.summary();
    if (ttft.count > 0) slo.push({ name: 'p99_ttft', objective: `p99 ttft < ${this.o.slo.p99TtftMs} ms`, actual: ttft.p99, threshold: this.o.slo.p99TtftMs, held: ttft.p99 < this.o.slo.p99TtftMs });
    else slo.push({ name: 'p99_ttft', objective: `p99 ttft < ${this.o.slo.p99TtftMs} ms`, actual: 0, threshold: this.o.slo.p99TtftMs, held: false });
    const errorRate = failed / denom;
    slo.push({ name: 'error_rate', objective: `errors < ${(this.o.slo.errorRate * 100).toFixed(2)}%`, actual: Number((errorRate * 100).toFixed(4)), threshold: Number((this.o.slo.errorRate * 100).toFixed(4)), held: w.scheduled > 0 && errorRate < this.o.slo.errorRate });
    slo.push(...replyVerdicts(this.o.slo, stats));
    const share = (n: number) => Number((n / denom).toFixed(5));
    return {
      rate: w.rate,
      windowS: Number((windowMs / 1000).toFixed(3)),
      scheduled: w.scheduled,
      achievedPerS: Number((answeredAll / (windowMs / 1000)).toFixed(1)),
      ttft,
      ttlt: w.ttlt.summary(),
      ttftUncorrected: w.ttftUncorrected.summary(),
      serverFirstTokenMs: w.serverFirst.summary(),
      serverFirstTokenModelMs: w.serverFirstModel.summary(),
      replies: { ...w.replies },
      errors: { ...w.errors },
      shares: { answered: share(w.replies.answered), degraded: share(w.replies.degraded), unanswered: share(w.replies.unanswered), interrupted: share(w.replies.interrupted), failed: share(failed) },
      waitedForChat: w.waitedForChat,
      chatWaitMs: w.chatWait.summary(),
      sendLagMs: w.sendLag.summary(),
      generatorCpuPct: Number(((w.cpuUs / 1000 / windowMs) * 100).toFixed(1)),
      slo,
      passed: slo.every((v) => v.held),
      ...(this.o.resume ? { resume: w.resume.figures() } : {}),
    };
  }
}

/**
 * Runs the message-rate mode: opens the chat pool, then one schedule at `rate` (or the knee
 * search: steps of rising rate until one misses an objective), and returns the result whose
 * headline is the open-loop figure. Never throws for what the server does.
 */
export async function runRate(o: RateOptions, hooks: RateHooks = {}): Promise<RateResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const hardStop = new AbortController();
  const hardTimer = setTimeout(() => hardStop.abort(), o.maxDurationMs);
  const pool = new RatePool(o, t0, hardStop.signal);
  const progress = o.progress ? createProgress(o.progress) : undefined;
  const warnings: string[] = [];
  let lastSent = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    pool.sweepTimeouts();
    const busy = pool.busyCount();
    pool.timeline.sample(now, busy);
    const t = pool.totals();
    progress?.update({ elapsedS: (now - t0) / 1000, phase: pool.timeline.phase, sessionsOpen: busy, messagesPerS: pool.counters.sent - lastSent, p99TtftMs: pool.takeRecentP99(), errors: Object.values(t.errors).reduce((a, b) => a + b, 0), messages: t.messages });
    lastSent = pool.counters.sent;
  }, 1000);

  const steps: RateFigures[] = [];
  let knee: number | null = null;
  try {
    const opened = await pool.open();
    if (opened.failed > 0) warnings.push(`${opened.failed} of ${o.chats} chats could not be opened${opened.errors.length ? ` (${opened.errors[0]})` : ''}`);
    if (opened.opened > 0) {
      if (o.knee) {
        for (let r = o.knee.from, step = 0; r <= o.knee.to + 1e-9 && !hardStop.signal.aborted; r += o.knee.step, step++) {
          let f = await pool.run(r, step, hooks);
          steps.push(f);
          // A shared machine has hiccups: a step that misses is run once more, and only a
          // second miss ends the search (both runs are reported).
          if (!f.passed) {
            f = await pool.run(r, step, hooks);
            steps.push(f);
          }
          if (!f.passed) break;
          knee = r;
        }
      } else steps.push(await pool.run(o.rate, 0, hooks));
    }
  } finally {
    clearInterval(tick);
    clearTimeout(hardTimer);
    progress?.done();
    pool.close();
  }

  const emptySummary: LatencySummary = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  // The headline: the single window, or the knee's step (the last one that held).
  const headline = o.knee ? (steps.filter((s) => s.passed).at(-1) ?? steps.at(-1)) : steps[0];
  const figures: RateFigures = headline ?? {
    rate: o.rate, windowS: 0, scheduled: 0, achievedPerS: 0, ttft: emptySummary, ttlt: emptySummary, ttftUncorrected: emptySummary, serverFirstTokenMs: emptySummary, serverFirstTokenModelMs: emptySummary,
    replies: { answered: 0, degraded: 0, unanswered: 0, interrupted: 0 }, errors: { connect_failed: o.chats }, shares: { answered: 0, degraded: 0, unanswered: 0, interrupted: 0, failed: 1 }, waitedForChat: 0, chatWaitMs: emptySummary, sendLagMs: emptySummary, generatorCpuPct: 0,
    slo: [{ name: 'p99_ttft', objective: `p99 ttft < ${o.slo.p99TtftMs} ms`, actual: 0, threshold: o.slo.p99TtftMs, held: false }], passed: false,
  };
  for (const s of steps) {
    if (s.scheduled > 0 && s.waitedForChat / s.scheduled > 0.01) warnings.push(`${s.rate}/s: ${s.waitedForChat} of ${s.scheduled} messages found all ${o.chats} chats busy and waited (counted from their slot); if the server is healthy, raise --chats`);
    if (s.sendLagMs.p99 > 5) warnings.push(`${s.rate}/s: the generator sent p99 ${s.sendLagMs.p99.toFixed(1)} ms late with a free chat (its own CPU or event loop): latencies include that`);
  }
  if (hardStop.signal.aborted) warnings.push(`stopped by --max-duration (${o.maxDurationMs} ms)`);
  const totals = pool.totals();
  if (totals.reconnects > 0) warnings.push(`${totals.reconnects} chats were reconnected after a drop or timeout`);
  const endAt = performance.now();
  return {
    tool: 'manga-assist-loadtest',
    version: 1,
    startedAt: startedAt.toISOString(),
    durationS: Number(((endAt - t0) / 1000).toFixed(3)),
    targets: o.targets.map((t) => (o.transport === 'ws' ? t.ws : t.http)),
    mode: 'rate',
    transport: o.transport,
    profile: o.profile.name,
    options: { ...o.given, rate: o.rate, durationMs: o.durationMs, warmupMs: o.warmupMs, chats: o.chats, arrivals: o.arrivals, knee: o.knee, seed: o.seed, messageTimeoutMs: o.messageTimeoutMs, signedIn: o.jwtSecret !== undefined, slo: o.slo },
    sessions: { started: o.chats, completed: o.chats, failed: 0 },
    overall: { messages: figures.scheduled, ttft: figures.ttft, interToken: emptySummary, ttlt: figures.ttlt, errors: figures.errors, replies: figures.replies },
    byIntent: {},
    ttftUncorrected: figures.ttftUncorrected,
    serverTimings: { firstTokenMs: { p50: figures.serverFirstTokenMs.p50, p99: figures.serverFirstTokenMs.p99, count: figures.serverFirstTokenMs.count } },
    timeline: pool.timeline.toJSON(),
    ttftHistogram: pool.ttftBuckets(),
    slo: o.knee ? [{ name: 'knee', objective: `some rate from ${o.knee.from}/s holds every objective`, actual: knee ?? 0, threshold: o.knee.from, held: knee !== null }] : figures.slo,
    passed: o.knee ? knee !== null : figures.passed,
    rate: figures,
    ...(o.knee ? { knee: { objectiveMs: o.slo.p99TtftMs, steps, knee } } : {}),
    ...(o.resume ? { resume: pool.resumeFigures() } : {}),
    warnings,
  };
}
