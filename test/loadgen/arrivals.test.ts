import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalSchedule } from '../../src/loadgen/arrivals.ts';
import type { Clock } from '../../src/loadgen/clock.ts';
import { burstStarts, driveOpenArrivals, mergeStarts, type Start } from '../../src/loadgen/open-driver.ts';
import { parsePhases } from '../../src/loadgen/phases.ts';
import { createRng } from '../../src/loadgen/random.ts';

/** Virtual time: sleeping jumps the clock forward at once, so a 130 s schedule runs in milliseconds. */
function fakeClock(): Clock & { sleeps: number } {
  let t = 0;
  const clock = {
    sleeps: 0,
    now: () => t,
    sleepUntil(at: number) {
      clock.sleeps++;
      if (at > t) t = at;
      return Promise.resolve();
    },
  };
  return clock;
}

const DESIGN = 'ramp:0-50:30s,hold:50:60s,spike:200:10s,step:20:30s';

function countPerPhase(starts: Iterable<{ phaseIndex: number }>, phases: number): number[] {
  const counts = new Array(phases).fill(0);
  for (const s of starts) counts[s.phaseIndex]++;
  return counts;
}

test('uniform arrivals: each phase gets exactly the integral of its rate', () => {
  const phases = parsePhases(DESIGN);
  const schedule = new ArrivalSchedule(phases, 'uniform');
  const all: { atMs: number; phaseIndex: number }[] = [];
  for (let a = schedule.next(); a; a = schedule.next()) all.push(a);
  // ramp 0→50 over 30 s: 750; hold 50/s 60 s: 3000; spike 200/s 10 s: 2000; step 20/s 30 s: 600.
  assert.deepEqual(countPerPhase(all, 4), [750, 3000, 2000, 600]);
  for (let i = 1; i < all.length; i++) assert.ok(all[i].atMs > all[i - 1].atMs, 'strictly increasing');
  assert.ok(all.at(-1)!.atMs < 130_000);
  // Within the ramp the rate grows linearly: the second half gets three times the first.
  const firstHalf = all.filter((a) => a.atMs < 15_000).length;
  assert.equal(firstHalf, 187); // Λ(15 s) = 187.5: the 188th start falls exactly on 15 s
  assert.equal(all.filter((a) => a.phaseIndex === 0).length - firstHalf, 563);
});

test('poisson arrivals: counts near the integral, same seed same schedule', () => {
  const phases = parsePhases(DESIGN);
  const take = (seed: number) => {
    const s = new ArrivalSchedule(phases, 'poisson', createRng(seed));
    const out: { atMs: number; phaseIndex: number }[] = [];
    for (let a = s.next(); a; a = s.next()) out.push(a);
    return out;
  };
  const a = take(7);
  const counts = countPerPhase(a, 4);
  for (const [i, expected] of [750, 3000, 2000, 600].entries()) {
    // Poisson: standard deviation √n; 4σ bounds.
    assert.ok(Math.abs(counts[i] - expected) < 4 * Math.sqrt(expected), `phase ${i}: ${counts[i]} vs ${expected}`);
  }
  assert.deepEqual(take(7), a);
  assert.notDeepEqual(take(8).slice(0, 10), a.slice(0, 10));
});

test('a zero-rate phase starts nothing and shifts the next phase in time', () => {
  const schedule = new ArrivalSchedule(parsePhases('hold:0:5s,hold:2:5s'), 'uniform');
  const all: number[] = [];
  for (let a = schedule.next(); a; a = schedule.next()) all.push(a.atMs);
  assert.equal(all.length, 10);
  assert.ok(all[0] >= 5000 && all.at(-1)! < 10_000);
});

test('the open driver launches each start at its due time on a fake clock, per phase', async () => {
  const phases = parsePhases('ramp:0-10:10s,hold:10:10s,step:2:10s');
  const clock = fakeClock();
  const launched: { start: Start; due: number; now: number }[] = [];
  const n = await driveOpenArrivals(mergeStarts(new ArrivalSchedule(phases, 'uniform'), []), { clock, t0: 1000, maxSessions: 1e9, signal: new AbortController().signal }, (start, due) => {
    launched.push({ start, due, now: clock.now() });
  });
  assert.equal(n, 50 + 100 + 20);
  assert.deepEqual(countPerPhase(launched.map((l) => l.start), 3), [50, 100, 20]);
  for (const l of launched) {
    assert.equal(l.now, l.due, 'launched exactly when due');
    assert.equal(l.due, 1000 + l.start.atMs);
  }
  // Per second of the hold phase: 10 launches each.
  for (let s = 10; s < 20; s++) assert.equal(launched.filter((l) => l.start.atMs >= s * 1000 && l.start.atMs < (s + 1) * 1000).length, 10);
});

test('the open driver stops at maxSessions and on abort', async () => {
  const phases = parsePhases('hold:100:10s');
  const capped = await driveOpenArrivals(mergeStarts(new ArrivalSchedule(phases, 'uniform'), []), { clock: fakeClock(), t0: 0, maxSessions: 25, signal: new AbortController().signal }, () => {});
  assert.equal(capped, 25);
  const stop = new AbortController();
  let seen = 0;
  const aborted = await driveOpenArrivals(mergeStarts(new ArrivalSchedule(phases, 'uniform'), []), { clock: fakeClock(), t0: 0, maxSessions: 1e9, signal: stop.signal }, () => {
    if (++seen === 10) stop.abort();
  });
  assert.equal(aborted, 10);
});

test('viral bursts add their sessions at their time, merged in order with the phase arrivals', () => {
  const phases = parsePhases('hold:10:20s');
  const bursts = burstStarts([{ atS: 5, sessions: 100, overS: 2, seriesId: 'chainsaw-man', intents: ['product_search'] }, { atS: 30, sessions: 50, overS: 1, seriesId: 'x', intents: ['faq'] }], phases);
  assert.equal(bursts.length, 100, 'a burst after the phases is dropped');
  const merged = [...mergeStarts(new ArrivalSchedule(phases, 'uniform'), bursts)];
  assert.equal(merged.length, 200 + 100);
  for (let i = 1; i < merged.length; i++) assert.ok(merged[i].atMs >= merged[i - 1].atMs);
  const inBurst = merged.filter((s) => s.burst);
  assert.ok(inBurst.every((s) => s.atMs >= 5000 && s.atMs < 7000));
});
