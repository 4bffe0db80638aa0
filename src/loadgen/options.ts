import { parseArgs } from 'node:util';
import type { Clock } from './clock.ts';
import { readJwtSecret } from './credentials.ts';
import { parseDurationMs, parsePhases, totalPhaseMs, UsageError } from './phases.ts';
import { loadProfile, ProfileError, type Phase, type Profile } from './profile.ts';
import type { SloTargets } from './slo.ts';
import { parseTargets, type Target } from './targets.ts';
import type { RateOptions } from './rate.ts';

/** Everything a load run needs, resolved from the profile and the command line. */
export interface LoadTestOptions {
  profile: Profile;
  mode: 'open' | 'closed';
  transport: 'ws' | 'sse';
  targets: Target[];
  /** Open model: session arrival phases. */
  phases: Phase[];
  arrivals: 'uniform' | 'poisson';
  /** Closed model: virtual users, each running sessions back to back, for `durationMs`. */
  concurrency: number;
  durationMs: number;
  /** Multiplies every think time (0: no thinking, maximum throughput). */
  thinkScale: number;
  /** No more sessions are started after this many. */
  maxSessions: number;
  /** Hard cap: everything stops this long after the start, whatever is still running. */
  maxDurationMs: number;
  messageTimeoutMs: number;
  seed: number;
  slo: SloTargets;
  /** Signs member and Prime tokens; without it every session is a guest. */
  jwtSecret?: Uint8Array;
  /** Where the live progress line goes (none when undefined). */
  progress?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Clock for tests; real time otherwise. */
  clock?: Clock;
  /** The options as given, echoed in the result. */
  given: Record<string, unknown>;
}

/** Idle mode: many held-open WebSocket chats, to measure connection capacity and memory. */
export interface IdleOptions {
  target: Target;
  connections: number;
  holdMs: number;
  /** Connections opened per second at most. */
  openRate: number;
  /** Source addresses 127.0.0.2 … used round-robin (each gives ~28k ephemeral ports). */
  sourceAddresses: number;
  serverPid?: number;
  maxDurationMs: number;
  connectTimeoutMs: number;
  progress?: NodeJS.WriteStream | NodeJS.WritableStream;
  given: Record<string, unknown>;
}

/** What the command line asked for. */
export type Command =
  | { kind: 'help' }
  | { kind: 'load'; options: LoadTestOptions; out?: string; report?: string }
  | { kind: 'idle'; options: IdleOptions; out?: string; report?: string }
  | { kind: 'rate'; options: RateOptions; out?: string; report?: string };

const spec = {
  help: { type: 'boolean', short: 'h' },
  profile: { type: 'string' },
  mode: { type: 'string' },
  targets: { type: 'string' },
  transport: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  phases: { type: 'string' },
  arrivals: { type: 'string' },
  concurrency: { type: 'string' },
  'think-scale': { type: 'string' },
  'max-sessions': { type: 'string' },
  'max-duration': { type: 'string' },
  'message-timeout': { type: 'string' },
  out: { type: 'string' },
  report: { type: 'string' },
  seed: { type: 'string' },
  'slo-p99-ttft-ms': { type: 'string' },
  'slo-peak-p99-ttft-ms': { type: 'string' },
  'slo-error-rate': { type: 'string' },
  'slo-unanswered-rate': { type: 'string' },
  'slo-degraded-rate': { type: 'string' },
  chats: { type: 'string' },
  warmup: { type: 'string' },
  knee: { type: 'string' },
  resume: { type: 'boolean' },
  'jwt-secret': { type: 'string' },
  'data-dir': { type: 'string' },
  'allow-remote': { type: 'boolean' },
  'no-bursts': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  connections: { type: 'string' },
  hold: { type: 'string' },
  'open-rate': { type: 'string' },
  'source-addresses': { type: 'string' },
  'server-pid': { type: 'string' },
} as const;

/** The `--help` text. */
export const USAGE = `Usage: npm run loadtest -- [options]

Load:   --profile NAME|FILE     default | viral | path to a profile JSON (default: default)
        --targets URL[,URL]     services, sessions round-robin (default: http://127.0.0.1:3000)
        --transport ws|sse      WebSocket chat or POST /v1/chat/stream (default: ws)
        --mode rate|open|closed|idle (default: open; --concurrency implies closed, --knee rate)
Rate:   --mode rate --rate N --duration D   N messages/s, open loop, over a pool of persistent chats;
                                latency from each message's scheduled time (the headline figure)
        --chats N               persistent chats (default 256); one reply in flight per chat
        --warmup D              sent at the rate before the measured window, not measured (default 3s)
        --knee FROM:STEP:TO     step the rate up; report the highest rate that holds every objective
        --resume                chats act like the chat page when their connection goes: reconnect to
                                the same session, send the unanswered message again (same id)
Open:   --phases SPEC           e.g. ramp:0-50:30s,hold:50:60s,spike:200:10s,step:20:30s[:peak]
        --rate N --duration D   shorthand for one hold phase of N sessions/s
        --arrivals uniform|poisson
        --no-bursts             ignore the profile's viral bursts
Closed: --concurrency N --duration D   N users running sessions back to back
Both:   --think-scale X         multiply think times (0 = none)
        --max-sessions N  --max-duration D (hard cap)  --message-timeout D (default 30s)
        --seed N  --out result.json  --report report.html  --quiet
        --slo-p99-ttft-ms MS  --slo-peak-p99-ttft-ms MS  --slo-error-rate FRACTION
        --slo-unanswered-rate FRACTION  --slo-degraded-rate FRACTION   (default: the error rate)
        --jwt-secret S | --data-dir DIR   sign member/Prime tokens (else all guests)
        --allow-remote          permit a non-loopback target
Idle:   --mode idle --connections N --hold D --open-rate N/s --source-addresses K --server-pid PID
Exit:   0 all SLOs held, 1 an SLO failed, 2 usage error`;

function num(value: string | undefined, name: string, opts: { int?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (opts.int && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    throw new UsageError(`bad --${name} "${value}"`);
  }
  return n;
}

function oneOf<T extends string>(value: string | undefined, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Parses the command line (throws UsageError or ProfileError); `profile` replaces `--profile` (tests). */
export function parseCommand(argv: string[], overrides: { profile?: Profile; clock?: Clock } = {}): Command {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  const given = Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'jwt-secret'));
  const allowRemote = values['allow-remote'] ?? false;
  const targets = parseTargets(values.targets ?? 'http://127.0.0.1:3000', allowRemote);
  const progress = values.quiet ? undefined : process.stderr;
  const mode = oneOf(values.mode, 'mode', ['open', 'closed', 'idle', 'rate'] as const) ?? (values.knee ? 'rate' : values.concurrency ? 'closed' : 'open');

  if (mode === 'idle') {
    const connections = num(values.connections, 'connections', { int: true, min: 1, max: 1_000_000 }) ?? 1000;
    const holdMs = values.hold ? parseDurationMs(values.hold) : 60_000;
    const openRate = num(values['open-rate'], 'open-rate', { min: 1 }) ?? 2000;
    // ~28k ephemeral ports per (source, destination) pair; 25k per source leaves headroom.
    const sourceAddresses = num(values['source-addresses'], 'source-addresses', { int: true, min: 1, max: 254 }) ?? Math.ceil(connections / 25_000);
    const connectTimeoutMs = values['message-timeout'] ? parseDurationMs(values['message-timeout']) : 10_000;
    const maxDurationMs = values['max-duration'] ? parseDurationMs(values['max-duration']) : (connections / openRate) * 1000 + holdMs + connectTimeoutMs + 30_000;
    const serverPid = num(values['server-pid'], 'server-pid', { int: true, min: 1 });
    if (!targets[0].loopback && sourceAddresses > 1) throw new UsageError('--source-addresses > 1 needs a loopback target (127.0.0.x source addresses)');
    return {
      kind: 'idle',
      out: values.out,
      report: values.report,
      options: { target: targets[0], connections, holdMs, openRate, sourceAddresses, serverPid, maxDurationMs, connectTimeoutMs, progress, given },
    };
  }

  let profile: Profile;
  try {
    profile = overrides.profile ?? loadProfile(values.profile ?? 'default');
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(error.message);
    throw error;
  }
  if (values['no-bursts']) profile = { ...profile, bursts: [] };
  if (mode === 'rate') return rateCommand(values, profile, targets, progress, given);
  const durationMs = values.duration ? parseDurationMs(values.duration) : 60_000;
  const rate = num(values.rate, 'rate', { min: 0 });
  if (values.phases && rate !== undefined) throw new UsageError('give either --phases or --rate, not both');
  const phases = values.phases ? parsePhases(values.phases) : rate !== undefined ? [{ kind: 'hold' as const, rate, durationS: durationMs / 1000 }] : profile.phases;
  const concurrency = num(values.concurrency, 'concurrency', { int: true, min: 1, max: 100_000 }) ?? 10;
  const thinkScale = num(values['think-scale'], 'think-scale', { min: 0 }) ?? 1;
  const messageTimeoutMs = values['message-timeout'] ? parseDurationMs(values['message-timeout']) : profile.messageTimeoutMs;
  // A session that starts at the very end still gets to finish, within reason.
  const longestSessionMs = profile.sessionMessages.max * (profile.thinkTimeMs.max * thinkScale + messageTimeoutMs);
  const runMs = mode === 'open' ? totalPhaseMs(phases) : durationMs;
  const maxDurationMs = values['max-duration'] ? parseDurationMs(values['max-duration']) : runMs + Math.min(longestSessionMs, 120_000) + 5_000;
  let jwtSecret: Uint8Array | undefined;
  try {
    jwtSecret = readJwtSecret({ jwtSecret: values['jwt-secret'], dataDir: values['data-dir'] });
  } catch (error) {
    throw new UsageError(`cannot read the JWT secret: ${(error as Error).message}`);
  }
  return {
    kind: 'load',
    out: values.out,
    report: values.report,
    options: {
      profile,
      mode,
      transport: oneOf(values.transport, 'transport', ['ws', 'sse'] as const) ?? 'ws',
      targets,
      phases,
      arrivals: oneOf(values.arrivals, 'arrivals', ['uniform', 'poisson'] as const) ?? profile.arrivals,
      concurrency,
      durationMs,
      thinkScale,
      maxSessions: num(values['max-sessions'], 'max-sessions', { int: true, min: 1 }) ?? 10_000_000,
      maxDurationMs,
      messageTimeoutMs,
      seed: num(values.seed, 'seed', { int: true }) ?? 1,
      slo: {
        p99TtftMs: num(values['slo-p99-ttft-ms'], 'slo-p99-ttft-ms', { min: 0 }) ?? profile.slo.p99TtftMs,
        peakP99TtftMs: num(values['slo-peak-p99-ttft-ms'], 'slo-peak-p99-ttft-ms', { min: 0 }) ?? profile.slo.peakP99TtftMs,
        errorRate: num(values['slo-error-rate'], 'slo-error-rate', { min: 0, max: 1 }) ?? profile.slo.errorRate,
        unansweredRate: num(values['slo-unanswered-rate'], 'slo-unanswered-rate', { min: 0, max: 1 }),
        degradedRate: num(values['slo-degraded-rate'], 'slo-degraded-rate', { min: 0, max: 1 }),
      },
      jwtSecret,
      progress,
      clock: overrides.clock,
      given,
    },
  };
}

/** `--mode rate`: messages per second over persistent chats, or the knee search. */
function rateCommand(values: Record<string, string | boolean | undefined>, profile: Profile, targets: Target[], progress: RateOptions['progress'], given: Record<string, unknown>): Command {
  const str = (k: string) => values[k] as string | undefined;
  let knee: RateOptions['knee'];
  if (str('knee')) {
    const parts = str('knee')!.split(':').map(Number);
    if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n)) || parts[0] <= 0 || parts[1] <= 0 || parts[2] < parts[0]) throw new UsageError(`bad --knee "${str('knee')}" (FROM:STEP:TO, e.g. 100:100:1500)`);
    knee = { from: parts[0], step: parts[1], to: parts[2] };
  }
  const rate = num(str('rate'), 'rate', { min: 0.1, max: 100_000 }) ?? knee?.from;
  if (rate === undefined) throw new UsageError('--mode rate needs --rate N (messages per second) or --knee FROM:STEP:TO');
  const durationMs = str('duration') ? parseDurationMs(str('duration')!) : 20_000;
  const warmupMs = str('warmup') ? parseDurationMs(str('warmup')!) : 3_000;
  const messageTimeoutMs = str('message-timeout') ? parseDurationMs(str('message-timeout')!) : profile.messageTimeoutMs;
  const steps = knee ? Math.floor((knee.to - knee.from) / knee.step + 1e-9) + 1 : 1;
  const maxDurationMs = str('max-duration') ? parseDurationMs(str('max-duration')!) : steps * (warmupMs + durationMs + messageTimeoutMs) + 60_000;
  if (values.resume && str('transport') === 'sse') throw new UsageError('--resume is for WebSocket chats (--transport ws)');
  let jwtSecret: Uint8Array | undefined;
  try {
    jwtSecret = readJwtSecret({ jwtSecret: str('jwt-secret'), dataDir: str('data-dir') });
  } catch (error) {
    throw new UsageError(`cannot read the JWT secret: ${(error as Error).message}`);
  }
  return {
    kind: 'rate',
    out: str('out'),
    report: str('report'),
    options: {
      profile,
      transport: oneOf(str('transport'), 'transport', ['ws', 'sse'] as const) ?? 'ws',
      targets,
      rate,
      durationMs,
      warmupMs,
      chats: num(str('chats'), 'chats', { int: true, min: 1, max: 100_000 }) ?? 256,
      arrivals: oneOf(str('arrivals'), 'arrivals', ['uniform', 'poisson'] as const) ?? 'uniform',
      messageTimeoutMs,
      seed: num(str('seed'), 'seed', { int: true }) ?? 1,
      slo: {
        p99TtftMs: num(str('slo-p99-ttft-ms'), 'slo-p99-ttft-ms', { min: 0 }) ?? profile.slo.p99TtftMs,
        peakP99TtftMs: profile.slo.peakP99TtftMs,
        errorRate: num(str('slo-error-rate'), 'slo-error-rate', { min: 0, max: 1 }) ?? profile.slo.errorRate,
        unansweredRate: num(str('slo-unanswered-rate'), 'slo-unanswered-rate', { min: 0, max: 1 }),
        degradedRate: num(str('slo-degraded-rate'), 'slo-degraded-rate', { min: 0, max: 1 }),
      },
      jwtSecret,
      knee,
      maxDurationMs,
      resume: values.resume === true,
      progress,
      given,
    },
  };
}
