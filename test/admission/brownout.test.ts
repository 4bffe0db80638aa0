import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createBrownout, type BrownoutLevel } from '../../src/admission/brownout.ts';

// Brownout levels from the event-loop delay and the messages in flight, under mocked timers.

function withLag(lags: number[], maxInFlight = 100) {
  let i = 0;
  const levels: BrownoutLevel[] = [];
  const b = createBrownout({ lagMs: 50, maxInFlight, sampleMs: 100, lagProbe: () => lags[Math.min(i++, lags.length - 1)], onLevel: (l) => levels.push(l) });
  return { b, levels };
}

test('one slow sample (a GC pause) changes nothing; two in a row raise the level', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { b } = withLag([500, 10, 10, 120, 130, 10, 10, 10]);
    mock.timers.tick(100);
    assert.equal(b.level(), 0, 'single spike ignored');
    mock.timers.tick(300);
    assert.equal(b.level(), 0, 'first of two slow samples');
    mock.timers.tick(100);
    assert.equal(b.level(), 2, '2x the threshold twice in a row: guests shed');
    assert.equal(b.sheds({ kind: 'guest' }), true);
    assert.equal(b.sheds({ kind: 'member', customerId: 'm' }), false);
    assert.equal(b.skipsTier3(), true);
    mock.timers.tick(100);
    assert.equal(b.level(), 1, 'falls one step per sample');
    mock.timers.tick(100);
    assert.equal(b.level(), 0);
    b.close();
  } finally {
    mock.timers.reset();
  }
});

test('4x the threshold sheds members too; Prime is never shed', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { b, levels } = withLag([250, 260, 260]);
    mock.timers.tick(200);
    assert.equal(b.level(), 3);
    assert.equal(b.sheds({ kind: 'member', customerId: 'm' }), true);
    assert.equal(b.sheds({ kind: 'prime', customerId: 'p' }), false);
    assert.deepEqual(levels, [3]);
    b.close();
  } finally {
    mock.timers.reset();
  }
});

test('messages in flight raise the level at once at 60/80/95 % and lower it as they finish', () => {
  const { b } = withLag([0], 20);
  const leaves = Array.from({ length: 11 }, () => b.enter());
  assert.equal(b.level(), 0, '11/20');
  leaves.push(b.enter());
  assert.equal(b.level(), 1, '12/20 = 60 %');
  for (let i = 0; i < 4; i++) leaves.push(b.enter());
  assert.equal(b.level(), 2, '16/20 = 80 %');
  for (let i = 0; i < 3; i++) leaves.push(b.enter());
  assert.equal(b.level(), 3, '19/20 = 95 %');
  leaves.pop()!();
  leaves.at(-1)!();
  leaves.at(-1)!(); // leaving twice counts once
  assert.equal(b.status().inFlight, 17);
  assert.equal(b.level(), 2);
  b.close();
});

test('lag threshold 0 disables the event-loop signal', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const b = createBrownout({ lagMs: 0, maxInFlight: 100, sampleMs: 100, lagProbe: () => 10_000 });
    mock.timers.tick(500);
    assert.equal(b.level(), 0);
    b.close();
  } finally {
    mock.timers.reset();
  }
});
