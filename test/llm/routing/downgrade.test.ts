import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDowngradeMonitor } from '../../../src/llm/routing/downgrade.ts';
import type { CallOutcomeKind } from '../../../src/llm/routing/types.ts';

const MIN = 60_000;

function setup(opts: Parameters<typeof createDowngradeMonitor>[0] = {}) {
  let clock = 0;
  const changes: boolean[] = [];
  const monitor = createDowngradeMonitor({ now: () => clock, onChange: (a) => changes.push(a), ...opts });
  return {
    monitor,
    changes,
    /** Records `calls` outcomes spread over the current minute, `bad` of them `kind`, then moves to the next minute. */
    minute(calls: number, bad: number, kind: CallOutcomeKind = 'timeout') {
      const start = clock;
      for (let i = 0; i < calls; i++) {
        clock = start + Math.floor((i * MIN) / Math.max(calls, 1));
        monitor.record(i < bad ? kind : 'ok');
      }
      clock = start + MIN;
    },
    idle(minutes: number) {
      clock += minutes * MIN;
    },
  };
}

test('two bad minutes in a row enter the downgrade, at the end of the second', () => {
  const s = setup();
  s.minute(100, 6); // 6% timeouts
  assert.equal(s.monitor.active(), false, 'one bad minute is not enough');
  s.minute(100, 3, 'throttled'); // 3%: a good minute resets the streak
  assert.equal(s.monitor.active(), false);
  s.minute(100, 6, 'throttled');
  assert.equal(s.monitor.active(), false);
  s.minute(100, 10);
  assert.equal(s.monitor.active(), true);
  assert.deepEqual(s.changes, [true]);
});

test('one bad minute between good ones does not enter', () => {
  const s = setup();
  for (const bad of [0, 10, 0, 10, 0, 10]) s.minute(100, bad);
  assert.equal(s.monitor.active(), false);
  assert.deepEqual(s.changes, []);
});

test('4% and exactly 5% are not bad; errors do not count', () => {
  const s = setup();
  for (let i = 0; i < 5; i++) s.minute(100, 4);
  for (let i = 0; i < 5; i++) s.minute(100, 5, 'throttled');
  for (let i = 0; i < 5; i++) s.minute(100, 50, 'error');
  assert.equal(s.monitor.active(), false);
  assert.deepEqual(s.changes, []);
});

test('timeouts and throttles count together', () => {
  let clock = 0;
  const m = createDowngradeMonitor({ now: () => clock });
  for (let minute = 0; minute < 2; minute++) {
    for (let i = 0; i < 100; i++) m.record(i < 3 ? 'timeout' : i < 6 ? 'throttled' : 'ok');
    clock += MIN;
  }
  assert.equal(m.active(), true, '3% timeouts + 3% throttles = 6%');
});

test('recovery: one good minute leaves; then it takes two bad minutes again', () => {
  const s = setup();
  s.minute(100, 20);
  s.minute(100, 20);
  assert.equal(s.monitor.active(), true);
  s.minute(100, 20);
  assert.equal(s.monitor.active(), true, 'still bad');
  s.minute(100, 1);
  assert.equal(s.monitor.active(), false, 'a good minute ends it');
  s.minute(100, 20);
  assert.equal(s.monitor.active(), false);
  s.minute(100, 20);
  assert.equal(s.monitor.active(), true);
  assert.deepEqual(s.changes, [true, false, true]);
});

test('leaveAfter and enterAfter are honoured', () => {
  const s = setup({ enterAfter: 3, leaveAfter: 2 });
  for (let i = 0; i < 2; i++) s.minute(100, 20);
  assert.equal(s.monitor.active(), false);
  s.minute(100, 20);
  assert.equal(s.monitor.active(), true);
  s.minute(100, 0);
  s.minute(100, 20); // a bad minute breaks the good streak
  s.minute(100, 0);
  assert.equal(s.monitor.active(), true);
  s.minute(100, 0);
  assert.equal(s.monitor.active(), false);
});

test('quiet minutes (fewer than minCalls) do not flip the state either way', () => {
  const s = setup();
  // 2 timeouts out of 10 calls is 20%, but too few calls to judge.
  for (let i = 0; i < 5; i++) s.minute(10, 2);
  assert.equal(s.monitor.active(), false);
  s.minute(100, 20);
  s.minute(19, 0); // quiet: neither breaks nor extends the streak
  s.minute(100, 20);
  assert.equal(s.monitor.active(), true, 'the two counted minutes were bad');
  for (let i = 0; i < 5; i++) s.minute(19, 0);
  assert.equal(s.monitor.active(), true, 'quiet good minutes do not end it');
  s.minute(20, 0);
  assert.equal(s.monitor.active(), false, 'minCalls is inclusive');
});

test('a gap of many idle minutes keeps the state (the empty minutes are neutral)', () => {
  const s = setup();
  s.minute(100, 20);
  s.minute(100, 20);
  assert.equal(s.monitor.active(), true);
  s.idle(1_000_000); // ~2 years of silence
  assert.equal(s.monitor.active(), true);
  s.minute(100, 0);
  assert.equal(s.monitor.active(), false);
  // The first minute after a gap is judged on its own calls only.
  s.minute(100, 20);
  s.idle(500);
  assert.equal(s.monitor.active(), false);
  s.minute(100, 0);
  assert.equal(s.monitor.active(), false);
});

test('the current minute is not judged before it ends', () => {
  const s = setup();
  s.minute(100, 20);
  for (let i = 0; i < 100; i++) s.monitor.record('timeout');
  assert.equal(s.monitor.active(), false, 'minute 2 is still running');
  s.idle(1);
  assert.equal(s.monitor.active(), true);
});
