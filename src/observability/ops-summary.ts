import type { Match, MetricsHistory, WindowOptions } from './history.ts';
import type { AlarmStatus, OpsSummary } from './summary-types.ts';

const P = 'mangaassist_';
const MESSAGES = `${P}messages_total`;
const FAILED: Match = { outcome: /failed|unanswered|interrupted/ };
/** Cache results that answered without going to the origin. */
const CACHE_HITS: Match = { result: /hit|stale|l2_hit|coalesced/ };
const SEMANTIC_LOOKUPS: Match = { result: /hit|miss|error/ };
const BREAKER_STATES = ['closed', 'open', 'half_open', 'isolated'] as const;

export interface OpsSummaryOptions {
  /** Span of the `now` figures (default 60 s). */
  windowMs?: number;
  /** Chart points at most (default 120). */
  points?: number;
  /** Summary time (default the latest sample). */
  at?: number;
}

function sum(m: Map<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

function record(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) if (v > 0) out[k] = v;
  return out;
}

function ms(seconds: number | null): number | null {
  return seconds === null ? null : seconds * 1000;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * Builds the JSON of `GET /v1/ops/summary` from the metric history: chart points per sample step
 * (each over [previous sample, sample]) and the "now" figures over the last `windowMs`.
 */
/** Segments that enclose other segments (ranked after the single steps). */
const ENCLOSING = new Set(['gather', 'generate']);

export function buildOpsSummary(history: MetricsHistory, alarms: AlarmStatus[], opts: OpsSummaryOptions = {}): OpsSummary {
  const windowMs = opts.windowMs ?? 60_000;
  const all = history.times();
  const at = opts.at ?? history.latest() ?? Date.now();
  let last = all.length;
  while (last > 0 && all[last - 1] > at) last--;
  const first = Math.max(0, last - (opts.points ?? 120));
  const times = all.slice(first, last);
  const steps: number[] = [];
  for (let i = Math.max(1, last - 10); i < last; i++) steps.push(all[i] - all[i - 1]);

  const segments = history.labelValues(`${P}segment_seconds_bucket`, 'segment');
  const inc = (name: string, w: WindowOptions, match?: Match) => sum(history.increase(name, { ...w, match }));
  const q = (quantile: number, histogram: string, w: WindowOptions) => ms(history.quantile(quantile, histogram, w));
  const perSec = (n: number, w: { from: number; to: number } | null) => (w ? n / ((w.to - w.from) / 1000) : null);
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

  const series: OpsSummary['series'] = {
    times,
    messagesPerSec: [],
    errorRatio: [],
    firstTokenMs: { p50: [], p95: [], p99: [] },
    replyMs: { p50: [], p95: [], p99: [] },
    segmentP95Ms: Object.fromEntries(segments.map((s) => [s, []])),
    tokensPerSec: { input: [], output: [] },
    escalationRatio: [],
    openChats: [],
  };
  for (let i = first; i < last; i++) {
    const t = all[i];
    const w: WindowOptions = { from: i > 0 ? all[i - 1] : t, at: t };
    const span = history.window(w);
    const messages = inc(MESSAGES, w);
    series.messagesPerSec.push(perSec(messages, span));
    series.errorRatio.push(share(inc(MESSAGES, w, FAILED), messages));
    series.escalationRatio.push(share(inc(`${P}escalations_total`, w, { event: 'opened' }), messages));
    for (const p of ['p50', 'p95', 'p99'] as const) {
      const quantile = Number(p.slice(1)) / 100;
      series.firstTokenMs[p].push(q(quantile, `${P}first_token_seconds`, w));
      series.replyMs[p].push(q(quantile, `${P}reply_seconds`, w));
    }
    const p95 = history.quantileBy(0.95, `${P}segment_seconds`, { ...w, by: ['segment'] });
    for (const s of segments) series.segmentP95Ms[s].push(ms(p95.get(s) ?? null));
    for (const direction of ['input', 'output'] as const) series.tokensPerSec[direction].push(perSec(inc(`${P}llm_tokens_total`, w, { direction }), span));
    series.openChats.push(history.gauge(`${P}open_chats`, { at: t }).get('') ?? null);
  }

  const w: WindowOptions = { windowMs, at };
  const span = history.window(w);
  const messages = inc(MESSAGES, w);
  const segmentCounts = history.increase(`${P}segment_seconds_count`, { ...w, by: ['segment'] });
  const segmentQ = (quantile: number) => history.quantileBy(quantile, `${P}segment_seconds`, { ...w, by: ['segment'] });
  const [s50, s95, s99] = [segmentQ(0.5), segmentQ(0.95), segmentQ(0.99)];
  const tokensIn = history.increase(`${P}llm_tokens_total`, { ...w, by: ['model'], match: { direction: 'input' } });
  const tokensOut = history.increase(`${P}llm_tokens_total`, { ...w, by: ['model'], match: { direction: 'output' } });
  const lookups = history.increase(`${P}cache_lookups_total`, { ...w, by: ['cache'] });
  const hits = history.increase(`${P}cache_lookups_total`, { ...w, by: ['cache'], match: CACHE_HITS });
  const semantic = history.increase(`${P}semantic_cache_total`, { ...w, by: ['result'], match: SEMANTIC_LOOKUPS });
  const gauge = (name: string, by?: string[]) => history.gauge(`${P}${name}`, { at, by });
  const poolSize = gauge('llm_pool_size', ['pool']);
  const poolInUse = gauge('llm_pool_in_use', ['pool']);
  const poolQueued = gauge('llm_pool_queued', ['pool']);
  const guardrail = (match: Match) => inc(`${P}guardrail_checks_total`, w, match);

  const caches: OpsSummary['now']['caches'] = [...lookups].map(([cache, n]) => ({ cache, lookups: n, hitRatio: share(hits.get(cache) ?? 0, n) }));
  // The semantic answer cache counts its lookups on its own counter, next to its writes.
  if (semantic.size > 0) {
    const n = sum(semantic);
    caches.push({ cache: 'semantic', lookups: n, hitRatio: share(semantic.get('hit') ?? 0, n) });
  }

  return {
    at,
    stepMs: median(steps),
    windowMs,
    series,
    now: {
      messagesPerSec: perSec(messages, span),
      errorRatio: share(inc(MESSAGES, w, FAILED), messages),
      escalationRatio: share(inc(`${P}escalations_total`, w, { event: 'opened' }), messages),
      firstTokenMs: {
        p50: q(0.5, `${P}first_token_seconds`, w),
        p95: q(0.95, `${P}first_token_seconds`, w),
        p99: q(0.99, `${P}first_token_seconds`, w),
      },
      intents: record(history.increase(MESSAGES, { ...w, by: ['intent'] })),
      outcomes: record(history.increase(MESSAGES, { ...w, by: ['outcome'] })),
      errorsByCode: record(history.increase(`${P}errors_total`, { ...w, by: ['code'] })),
      segments: segments
        .map((segment) => ({
          segment,
          count: segmentCounts.get(segment) ?? 0,
          p50Ms: ms(s50.get(segment) ?? null),
          p95Ms: ms(s95.get(segment) ?? null),
          p99Ms: ms(s99.get(segment) ?? null),
        }))
        // Slowest first; segments without observations in the window go last. `gather` (every
        // lookup together) and `generate` (the whole streamed answer) contain the others and are
        // always long, so they follow the single steps: the top row names the step at fault.
        .sort((a, b) => Number(ENCLOSING.has(a.segment)) - Number(ENCLOSING.has(b.segment)) || (b.p95Ms ?? -1) - (a.p95Ms ?? -1) || a.segment.localeCompare(b.segment)),
      tokens: [...new Set([...tokensIn.keys(), ...tokensOut.keys()])]
        .sort()
        .map((model) => ({ model, input: tokensIn.get(model) ?? 0, output: tokensOut.get(model) ?? 0 }))
        .filter((t) => t.input + t.output > 0),
      breakers: [...gauge('circuit_state', ['dependency'])]
        .filter(([, s]) => BREAKER_STATES[s] !== undefined)
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([dependency, s]) => ({ dependency, state: BREAKER_STATES[s] })),
      caches: caches.sort((a, b) => a.cache.localeCompare(b.cache)),
      pools: [...poolSize]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([pool, size]) => ({ pool, size, inUse: poolInUse.get(pool) ?? 0, queued: poolQueued.get(pool) ?? 0 })),
      openChats: gauge('open_chats').get('') ?? 0,
      openChatsCapacity: gauge('open_chats_capacity').get('') ?? 0,
      guardrail: {
        checks: guardrail({ stage: 'input' }),
        blocked: guardrail({ stage: 'input', result: 'blocked' }),
        revised: guardrail({ stage: 'output', result: 'revised' }),
      },
    },
    alarms,
  };
}
