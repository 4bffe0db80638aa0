import WebSocket from 'ws';
import { setTimeout as sleep } from 'node:timers/promises';
import { realClock } from './clock.ts';
import { LatencyHistogram } from './histogram.ts';
import type { IdleOptions } from './options.ts';
import { createProgress } from './progress.ts';
import type { LoadTestResult, TimePoint } from './result.ts';
import { readRssBytes } from './rss.ts';

/** Connections being opened at once, at most: the open rate is the limit, this only bounds a stalled server. */
const MAX_PENDING = 2000;

/** Idle figures beyond the fixed result format: the server's memory, when its pid was given. */
export interface IdleExtras {
  serverRssBytes?: { before: number; held: number };
  bytesPerConnection?: number;
  connectMs: ReturnType<LatencyHistogram['summary']>;
  failures: Record<string, number>;
}

/**
 * Idle mode: opens many WebSocket chats at a bounded rate and holds them without sending a
 * message (the `ws` client answers the server's pings by itself), then closes them all. Source
 * addresses 127.0.0.2 … 127.0.0.(K+1) are used round-robin because one (source, destination)
 * address pair has only ~28k ephemeral ports. With the server's pid, its RSS before and while
 * holding gives the memory one idle connection costs.
 */
export async function runIdle(o: IdleOptions): Promise<LoadTestResult> {
  const clock = realClock;
  const startedAt = new Date();
  const t0 = clock.now();
  const hardStop = new AbortController();
  const hardTimer = setTimeout(() => hardStop.abort(), o.maxDurationMs);
  const rssBefore = o.serverPid ? readRssBytes(o.serverPid) : undefined;
  const sockets = new Set<WebSocket>();
  const connectMs = new LatencyHistogram();
  const failures: Record<string, number> = {};
  let opened = 0;
  let failed = 0;
  let pending = 0;
  let phase = 'opening';
  const timeline: TimePoint[] = [];
  const progress = o.progress ? createProgress(o.progress) : undefined;
  const tick = setInterval(() => {
    const t = Math.floor((clock.now() - t0) / 1000);
    timeline.push({ t, phase, sessionsOpen: sockets.size, messages: 0, errors: failed, ttftP50: 0, ttftP99: 0, ttltP99: 0 });
    progress?.update({ elapsedS: t, phase, sessionsOpen: sockets.size, messagesPerS: 0, p99TtftMs: connectMs.percentile(99), errors: failed, messages: opened + failed });
  }, 1000);

  const fail = (code: string) => {
    failed++;
    failures[code] = (failures[code] ?? 0) + 1;
  };
  const openOne = (i: number) =>
    new Promise<void>((resolve) => {
      const localAddress = o.sourceAddresses > 1 ? `127.0.0.${2 + (i % o.sourceAddresses)}` : undefined;
      const began = clock.now();
      const socket = new WebSocket(`${o.target.ws}/v1/chat/ws`, { perMessageDeflate: false, handshakeTimeout: o.connectTimeoutMs, localAddress });
      let settled = false;
      const timer = setTimeout(() => settle('timeout'), o.connectTimeoutMs);
      const settle = (error?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          fail(error);
          socket.terminate();
        } else {
          opened++;
          connectMs.record(clock.now() - began);
          sockets.add(socket);
        }
        resolve();
      };
      socket.once('message', (data) => settle(String(data).includes('"session"') ? undefined : 'refused'));
      socket.on('error', (e: NodeJS.ErrnoException) => settle(e.code ?? 'connect_failed'));
      socket.on('close', () => {
        sockets.delete(socket);
        settle('connect_failed');
      });
    });

  const inflight = new Set<Promise<void>>();
  for (let i = 0; i < o.connections && !hardStop.signal.aborted; i++) {
    await clock.sleepUntil(t0 + (i / o.openRate) * 1000, hardStop.signal);
    while (pending >= MAX_PENDING && !hardStop.signal.aborted) await Promise.race(inflight);
    pending++;
    const p: Promise<void> = openOne(i).then(() => {
      pending--;
      inflight.delete(p);
    });
    inflight.add(p);
  }
  await Promise.all(inflight);

  phase = 'holding';
  const holdStart = clock.now();
  await sleep(Math.max(0, Math.min(o.holdMs, t0 + o.maxDurationMs - holdStart)), undefined, { signal: hardStop.signal }).catch(() => undefined);
  const heldS = (clock.now() - holdStart) / 1000;
  const rssHeld = o.serverPid ? readRssBytes(o.serverPid) : undefined;
  const stillOpen = sockets.size;

  phase = 'closing';
  for (const s of sockets) s.close();
  await sleep(Math.min(2000, 100 + sockets.size / 10));
  for (const s of sockets) s.terminate();
  clearInterval(tick);
  clearTimeout(hardTimer);
  progress?.done();

  const extras: IdleExtras = { connectMs: connectMs.summary(), failures };
  if (rssBefore !== undefined && rssHeld !== undefined) {
    extras.serverRssBytes = { before: rssBefore, held: rssHeld };
    if (stillOpen > 0) extras.bytesPerConnection = Math.round((rssHeld - rssBefore) / stillOpen);
  }
  const empty = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    tool: 'manga-assist-loadtest',
    version: 1,
    startedAt: startedAt.toISOString(),
    durationS: Number(((clock.now() - t0) / 1000).toFixed(3)),
    targets: [o.target.ws],
    mode: 'idle',
    transport: 'ws',
    profile: 'idle',
    options: { ...o.given, connections: o.connections, holdMs: o.holdMs, openRate: o.openRate, sourceAddresses: o.sourceAddresses, serverPid: o.serverPid },
    sessions: { started: o.connections, completed: opened, failed },
    overall: { messages: 0, ttft: empty, interToken: empty, ttlt: empty, errors: failures },
    byIntent: {},
    serverTimings: {},
    timeline,
    ttftHistogram: [],
    slo: [
      { name: 'connections_opened', objective: `all ${o.connections} connections open`, actual: opened, threshold: o.connections, held: opened === o.connections },
      { name: 'connections_held', objective: `all opened connections survive the hold`, actual: stillOpen, threshold: opened, held: stillOpen === opened },
    ],
    passed: opened === o.connections && stillOpen === opened,
    idle: { target: o.connections, opened, failed, heldS: Number(heldS.toFixed(1)), sourceAddresses: o.sourceAddresses, ...extras },
  };
}
