import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBrownout, eventLoopSignal, type BrownoutChange, type BrownoutOptions, type LoadReading } from '../../src/admission/brownout.ts';

// Brownout levels from the event-loop delay and the messages in flight. The clock, the readings
// and the sample ticks are the test's: each `period` is one 500 ms sample with the given reading.

const GUEST = { kind: 'guest' } as const;
const MEMBER = { kind: 'member', customerId: 'm' } as const;
const PRIME = { kind: 'prime', customerId: 'p' } as const;

/** A brownout on the test's clock, readings and ticks; the in-flight gate of the delay is off unless `minInFlight` is given. */
function rig(opts: Partial<BrownoutOptions> = {}) {
  let t = 0;
  let reading: LoadReading = { lagP99Ms: 0, utilization: 0 };
  let tick: () => void = () => assert.fail('no tick scheduled');
  const changes: (BrownoutChange & { at: number })[] = [];
  const skipped: string[] = [];
  const b = createBrownout({
    lagMs: 60,
    maxInFlight: 100,
    minInFlight: 0,
    sampleMs: 500,
    now: () => t,
    signal: { read: () => reading, close() {} },
    schedule: (fn, ms) => {
      assert.equal(ms, 500);
      tick = fn;
      return () => (tick = () => assert.fail('ticked after close'));
    },
    onChange: (c) => changes.push({ ...c, at: t }),
    onSkipped: (d) => skipped.push(d),
    ...opts,
  });
  return {
    b,
    changes,
    skipped,
    /** One sample period ends with this reading (utilization 1 = the loop was busy throughout). */
    period(lagP99Ms: number, utilization = 1) {
      t += 500;
      reading = { lagP99Ms, utilization };
      tick();
      return b.level();
    },
    /** `seconds` of periods with the same reading. */
    hold(seconds: number, lagP99Ms: number, utilization = 1) {
      for (let i = 0; i < seconds * 2; i++) this.period(lagP99Ms, utilization);
      return b.level();
    },
    advance: (ms: number) => (t += ms),
    transitions: () => changes.map((c) => `${c.from}>${c.to}`),
  };
}

// 90 s of what this process's own loop read with one customer on a busy machine (2 CPU hogs in
// its session, load average ~8): p99 delay up to 163 ms, utilization at most 0.075 (recorded
// with the signal below, 39 periods, repeated).
const BUSY_MACHINE: LoadReading[] = [
  [60, 0.007], [34, 0.002], [128, 0.001], [72, 0.058], [69, 0.013], [128, 0.001], [71, 0.001], [44, 0.039], [27, 0.007], [71, 0.002],
  [37, 0.002], [54, 0.075], [98, 0.002], [24, 0.001], [163, 0.045], [118, 0.028], [22, 0.002], [19, 0.002], [72, 0.002], [38, 0.055],
  [80, 0.006], [58, 0.002], [86, 0.001], [29, 0.019], [82, 0.032], [24, 0.002], [28, 0.002], [41, 0.063], [28, 0.002], [66, 0.017],
  [40, 0.037], [52, 0.021], [14, 0.002], [15, 0.002], [25, 0.002], [42, 0.044], [66, 0.002], [21, 0.002], [37, 0.003],
].map(([lagP99Ms, utilization]) => ({ lagP99Ms, utilization }));

test('one customer on a busy machine: the delay of an idle loop changes nothing (issue 16)', () => {
  const r = rig({ minInFlight: undefined });
  for (let i = 0; i < 180; i++) {
    const { lagP99Ms, utilization } = BUSY_MACHINE[i % BUSY_MACHINE.length];
    // The customer's message is in flight during every other period.
    const leave = i % 2 === 0 ? r.b.enter() : undefined;
    r.period(lagP99Ms, utilization);
    leave?.();
  }
  assert.deepEqual(r.transitions(), []);
  assert.equal(r.b.skipsTier3(), false);
  // The same delays with the loop busy and many messages in flight are this process's own overload.
  const busy = rig({ minInFlight: undefined });
  const held = Array.from({ length: 20 }, () => busy.b.enter());
  for (const { lagP99Ms } of BUSY_MACHINE) busy.period(lagP99Ms, 0.9);
  assert.ok(busy.changes.length > 0 && busy.changes[0].to >= 1, busy.transitions().join(' '));
  for (const leave of held) leave();
  // Many customers at a modest load on that machine: the loop is mostly idle, so nothing either.
  const many = rig({ minInFlight: undefined });
  const chatting = Array.from({ length: 20 }, () => many.b.enter());
  for (const reading of BUSY_MACHINE) many.period(reading.lagP99Ms, reading.utilization);
  assert.deepEqual(many.transitions(), []);
  for (const leave of chatting) leave();
});

test('a busy loop with few messages in flight (a slow first message after start-up) changes nothing', () => {
  const r = rig({ minInFlight: undefined });
  const leaves = Array.from({ length: 7 }, () => r.b.enter());
  r.hold(5, 700, 0.99);
  assert.deepEqual(r.transitions(), [], '7 in flight: under the default 8');
  leaves.push(r.b.enter());
  r.period(700, 0.99);
  assert.equal(r.period(700, 0.99), 3, 'with 8 in flight the delay is overload: two periods later');
  assert.equal(r.changes[0].peakInFlight, 8);
  // The most in flight at once in a period counts, not how many are left at its end.
  const s = rig({ minInFlight: 8 });
  for (let i = 0; i < 2; i++) {
    const burst = Array.from({ length: 8 }, () => s.b.enter());
    for (const leave of burst) leave();
    s.period(700, 0.99);
  }
  assert.deepEqual(s.transitions(), ['0>3']);
  assert.equal(s.changes[0].inFlight, 0);
});

test('a process just started is not shed for its cold first seconds; after the grace the delay counts again', () => {
  // Without the grace (the option at 0): the burst of a cold start sheds members within a second.
  const cold = rig({ minInFlight: 8 });
  const coldHolders = Array.from({ length: 20 }, () => cold.b.enter());
  cold.hold(2, 1400, 1);
  assert.deepEqual(cold.transitions(), ['0>3']);
  for (const leave of coldHolders) leave();

  const r = rig({ minInFlight: 8, startGraceMs: 5000 });
  r.hold(3, 900, 1);
  assert.deepEqual(r.transitions(), [], 'no message yet: nothing to read the delay against');
  // The first messages arrive at a cold process: the loop falls behind, many in flight.
  const holders = Array.from({ length: 20 }, () => r.b.enter());
  r.hold(2, 1400, 1);
  assert.equal(r.b.level(), 0, 'within the grace the delay is not overload');
  assert.equal(r.b.sheds(MEMBER), false);
  assert.equal(r.b.sheds(GUEST), false);
  for (const leave of holders.splice(0, 15)) leave();
  r.hold(2.5, 5, 0.3);
  // Grace over (5 s since the first message): a real overload is shed as before.
  const more = Array.from({ length: 20 }, () => r.b.enter());
  assert.equal(r.period(700, 1), 0);
  assert.equal(r.period(700, 1), 3, 'two periods at 4x the threshold');
  assert.equal(r.b.sheds(MEMBER), true);
  for (const leave of [...holders, ...more]) leave();
  // The in-flight signal is not graced: a flood at start-up is refused at once.
  const f = rig({ startGraceMs: 5000, maxInFlight: 10 });
  Array.from({ length: 8 }, () => f.b.enter());
  assert.equal(f.b.level(), 2);
});

test('a level raised while the process is starting steps down as soon as the loop caught up; later the full dwell holds', () => {
  const r = rig({ minInFlight: 8, startGraceMs: 2000, startDwellMs: 1000, startPhaseMs: 15_000 });
  const holders = Array.from({ length: 20 }, () => r.b.enter());
  r.hold(2, 1400, 1); // the grace: not counted
  assert.equal(r.b.level(), 0);
  r.hold(1, 700, 1); // the backlog outlasts it: shed
  assert.equal(r.b.level(), 3);
  for (const leave of holders) leave();
  // Caught up: one level a second (the smoothed delay must fall under each exit threshold first).
  r.hold(6, 2, 0.2);
  assert.equal(r.b.level(), 0);
  const down = r.changes.filter((c) => c.cause === 'recovered');
  assert.deepEqual(down.map((c) => c.to), [2, 1, 0]);
  for (let i = 1; i < down.length; i++) assert.equal(down[i].at - down[i - 1].at, 1000);
  // After the start phase: the same overload is held 5 s per level.
  r.hold(10, 2, 0.2);
  const later = Array.from({ length: 20 }, () => r.b.enter());
  r.hold(1, 700, 1);
  assert.equal(r.b.level(), 3);
  for (const leave of later) leave();
  r.hold(4.5, 2, 0.2);
  assert.equal(r.b.level(), 3, 'held the full dwell');
  r.hold(1, 2, 0.2);
  assert.equal(r.b.level(), 2);
});

test('a delay flapping around the threshold raises level 1 once and holds it while it lasts', () => {
  const r = rig();
  // 90 s: two periods over the threshold, two under, as a loaded loop reads.
  for (let i = 0; i < 180; i++) r.period(i % 4 < 2 ? 75 : 20, 0.7);
  assert.deepEqual(r.transitions(), ['0>1']);
  assert.equal(r.changes[0].at, 1000, 'the second period in a row over 60 ms');
  assert.equal(r.changes[0].cause, 'event_loop_delay');
  // Then it passes: level 0 once the smoothed delay is under 30 ms and 5 s have passed.
  r.hold(10, 10, 0.3);
  assert.deepEqual(r.transitions(), ['0>1', '1>0']);
  assert.equal(r.changes[1].cause, 'recovered');
});

test('under the entry threshold but over the exit threshold, a level is held', () => {
  const r = rig();
  r.hold(1, 80);
  assert.equal(r.b.level(), 1);
  assert.equal(r.hold(30, 40), 1, '40 ms: below 60, above 30');
  r.hold(0.5, 10);
  assert.equal(r.b.level(), 1, 'one quiet period: the smoothed delay is still over 30 ms');
  assert.equal(r.hold(2, 10), 0);
  assert.deepEqual(r.transitions(), ['0>1', '1>0']);
  assert.ok(r.changes[1].lagSmoothedMs < 30, `left at ${r.changes[1].lagSmoothedMs} ms smoothed`);
});

test('one slow period (a garbage-collection pause) changes nothing; two in a row raise the level', () => {
  const r = rig();
  assert.equal(r.period(500), 0, 'a single spike is ignored');
  assert.equal(r.period(10), 0);
  assert.equal(r.period(10), 0);
  assert.equal(r.period(130), 0, 'first of two slow periods');
  assert.equal(r.period(125), 2, '2x the threshold twice in a row: guests shed');
  assert.equal(r.b.sheds(GUEST), true);
  assert.equal(r.b.sheds(MEMBER), false);
  assert.equal(r.b.skipsTier3(), true);
});

test('saturation steps up within a second: 4x the threshold sheds members too; Prime is never shed', () => {
  const r = rig();
  r.period(400);
  r.period(420);
  assert.equal(r.b.level(), 3);
  assert.equal(r.changes[0].at, 1000);
  assert.deepEqual(r.transitions(), ['0>3']);
  assert.equal(r.b.sheds(GUEST), true);
  assert.equal(r.b.sheds(MEMBER), true);
  assert.equal(r.b.sheds(PRIME), false);
  assert.deepEqual(
    { ...r.changes[0], at: undefined },
    { from: 0, to: 3, cause: 'event_loop_delay', lagP99Ms: 420, utilization: 1, peakInFlight: 0, lagSmoothedMs: 205.9, inFlight: 0, heldMs: 1000, at: undefined },
    'the change carries the signal values that decided it',
  );
});

test('rising is never held back by the dwell time', () => {
  const r = rig();
  r.hold(1, 70);
  assert.equal(r.b.level(), 1);
  r.period(300);
  assert.equal(r.period(300), 3, 'one second after level 1');
  assert.deepEqual(r.transitions(), ['0>1', '1>3']);
});

test('after saturation it steps down one level at a time, each held 5 s', () => {
  const r = rig();
  r.hold(20, 400);
  assert.equal(r.b.level(), 3);
  r.hold(30, 5, 0.2);
  assert.deepEqual(r.transitions(), ['0>3', '3>2', '2>1', '1>0']);
  const [up, ...down] = r.changes;
  assert.ok(down.every((c) => c.cause === 'recovered' && c.heldMs >= 5000), JSON.stringify(down));
  assert.equal(up.at, 1000);
  assert.equal(down[0].at, 22_000, 'held while the saturation lasted (until 20 s), then until the smoothed delay fell under 120 ms');
  assert.equal(down[1].at - down[0].at, 5000);
  assert.equal(down[2].at - down[1].at, 5000);
  // While stepping down a guest is shed until level 1: members first, then guests get back in.
  assert.equal(r.b.sheds(GUEST), false);
});

test('the dwell time, exit ratio and smoothing are options', () => {
  const r = rig({ minDwellMs: 0, lagExitRatio: 1, lagHalfLifeMs: 0 });
  r.hold(1, 400);
  assert.equal(r.b.level(), 3);
  assert.equal(r.period(5), 0, 'no dwell, no smoothing: straight down at the first quiet period');
  assert.deepEqual(r.transitions(), ['0>3', '3>2', '2>1', '1>0'], 'still one change per level');
});

test('messages in flight raise the level at once at 60/80/95 %, and lower it below 80 % of each after the dwell', () => {
  const r = rig({ lagMs: 0, maxInFlight: 20 });
  const leaves = Array.from({ length: 11 }, () => r.b.enter());
  assert.equal(r.b.level(), 0, '11/20');
  leaves.push(r.b.enter());
  assert.equal(r.b.level(), 1, '12/20 = 60 %');
  for (let i = 0; i < 4; i++) leaves.push(r.b.enter());
  assert.equal(r.b.level(), 2, '16/20 = 80 %');
  for (let i = 0; i < 3; i++) leaves.push(r.b.enter());
  assert.equal(r.b.level(), 3, '19/20 = 95 %');
  assert.deepEqual(r.changes.map((c) => c.cause), ['in_flight', 'in_flight', 'in_flight']);
  leaves.pop()!();
  leaves.at(-1)!();
  leaves.at(-1)!(); // leaving twice counts once
  assert.equal(r.b.status().inFlight, 17);
  r.advance(5000);
  r.period(0);
  assert.equal(r.b.level(), 3, '17/20 is over 80 % of 95 %');
  while (leaves.length > 15) leaves.pop()!();
  assert.equal(r.b.level(), 2, '15/20 < 15.2: one level down, at once since the dwell has passed');
  while (leaves.length > 0) leaves.pop()!();
  assert.equal(r.b.level(), 2, 'all done, but level 2 was entered just now');
  assert.equal(r.hold(5, 0), 1);
  assert.equal(r.hold(5, 0), 0);
  assert.deepEqual(r.transitions(), ['0>1', '1>2', '2>3', '3>2', '2>1', '1>0']);
});

test('messages in flight hovering at a threshold do not flap', () => {
  const r = rig({ lagMs: 0, maxInFlight: 100 });
  const held = Array.from({ length: 59 }, () => r.b.enter());
  for (let i = 0; i < 1000; i++) {
    r.b.enter()(); // 60 in flight for a moment, then 59
    if (i % 50 === 0) r.period(0);
  }
  r.hold(30, 0);
  assert.deepEqual(r.transitions(), ['0>1'], '59 is over 80 % of 60');
  for (const leave of held.splice(12)) leave();
  r.hold(5, 0);
  assert.deepEqual(r.transitions(), ['0>1', '1>0'], '12 in flight');
});

test('threshold 0 switches a signal off; skipped tier-3 calls are reported', () => {
  const r = rig({ lagMs: 0, maxInFlight: 0 });
  r.hold(5, 10_000);
  const leaves = Array.from({ length: 100 }, () => r.b.enter());
  assert.equal(r.b.level(), 0);
  for (const leave of leaves) leave();
  r.b.skipped('reviews');
  r.b.skipped('promotions');
  assert.deepEqual(r.skipped, ['reviews', 'promotions']);
  assert.deepEqual(r.b.status(), { level: 0, inFlight: 0, lagP99Ms: 0, lagSmoothedMs: 0, utilization: 0, peakInFlight: 0, atLevelMs: 5000 });
  r.b.close();
});

test('the event loop\'s own signal tells a busy loop from an idle one', async () => {
  // Utilization is measured from the event loop's start: a test's first lines run before it.
  await sleep(10);
  const signal = eventLoopSignal();
  try {
    signal.read();
    const block = () => {
      const until = performance.now() + 300;
      while (performance.now() < until);
    };
    block();
    await sleep(30);
    const busy = signal.read();
    assert.ok(busy.utilization > 0.5, `busy: ${JSON.stringify(busy)}`);
    assert.ok(busy.lagP99Ms >= 250, `a 300 ms block right after a read shows as delay: ${JSON.stringify(busy)}`);
    await sleep(300);
    const idle = signal.read();
    assert.ok(idle.utilization < 0.5, `idle: ${JSON.stringify(idle)}`);
    // Busy across the end of a period: the probe that has not run yet counts.
    block();
    const across = signal.read();
    assert.ok(across.lagP99Ms >= 250 && across.utilization > 0.5, `a block not yet seen by the probe: ${JSON.stringify(across)}`);
  } finally {
    signal.close();
  }
});
