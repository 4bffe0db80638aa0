import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDrain, type DrainMember } from '../../src/http/drain.ts';

/** A member that records what it was told and leaves when `leave` is called. */
function member(drain: ReturnType<typeof createDrain>, opts: { leaveOnDrain?: boolean; leaveOnForce?: boolean } = {}) {
  const told: string[] = [];
  let leave: () => void = () => undefined;
  const m: DrainMember = {
    drain() {
      told.push('drain');
      if (opts.leaveOnDrain) leave();
    },
    force() {
      told.push('force');
      if (opts.leaveOnForce) leave();
    },
  };
  leave = drain.join(m);
  return { told, leave: () => leave() };
}

test('not draining until started; start tells every member and resolves when the last one leaves', async () => {
  const drain = createDrain();
  const a = member(drain);
  const b = member(drain);
  assert.equal(drain.draining, false);
  assert.deepEqual(a.told, []);
  const done = drain.start(60_000);
  assert.equal(drain.draining, true);
  assert.deepEqual(a.told, ['drain']);
  assert.deepEqual(b.told, ['drain']);
  let resolved = false;
  void done.then(() => (resolved = true));
  a.leave();
  await Promise.resolve();
  assert.equal(resolved, false, 'one member is still here');
  b.leave();
  const result = await done;
  assert.equal(result.forced, 0);
  assert.equal(drain.size(), 0);
});

test('a drain with nobody in it resolves at once; members leaving inside drain() empty it', async () => {
  assert.equal((await createDrain().start(60_000)).forced, 0);
  const drain = createDrain();
  member(drain, { leaveOnDrain: true });
  member(drain, { leaveOnDrain: true });
  assert.deepEqual(await drain.start(60_000).then((r) => r.forced), 0);
});

test('a member joining after the drain began is told at once', async () => {
  const drain = createDrain();
  const first = member(drain);
  const done = drain.start(60_000);
  const late = member(drain);
  assert.deepEqual(late.told, ['drain']);
  first.leave();
  late.leave();
  await done;
});

test('members still here at the deadline are forced, each once, and counted', async () => {
  const drain = createDrain({ forceGraceMs: 10_000 });
  const stubborn = member(drain, { leaveOnForce: true });
  const gone = member(drain);
  gone.leave();
  const result = await drain.start(1);
  assert.deepEqual(stubborn.told, ['drain', 'force']);
  assert.deepEqual(gone.told, []);
  assert.equal(result.forced, 1);
});

test('a member that does not leave even when forced does not hold the drain past the grace', async () => {
  const drain = createDrain({ forceGraceMs: 1 });
  const deaf = member(drain);
  const result = await drain.start(1);
  assert.deepEqual(deaf.told, ['drain', 'force']);
  assert.equal(result.forced, 1);
  assert.equal(drain.size(), 1);
});

test('hurry() forces everyone now; start() twice is one drain; leave() twice is one leave', async () => {
  const drain = createDrain();
  const a = member(drain, { leaveOnForce: true });
  const first = drain.start(60_000);
  assert.equal(drain.start(5), first);
  drain.hurry();
  assert.deepEqual(a.told, ['drain', 'force']);
  const result = await first;
  assert.equal(result.forced, 1);
  a.leave();
  assert.equal(drain.size(), 0);
});

test('a member that throws when told does not stop the others being told', async () => {
  const errors: unknown[] = [];
  const drain = createDrain({ forceGraceMs: 1, onError: (err) => errors.push(err) });
  drain.join({ drain: () => { throw new Error('boom'); }, force: () => { throw new Error('bang'); } });
  const other = member(drain, { leaveOnDrain: true });
  const result = await drain.start(1);
  assert.deepEqual(other.told, ['drain']);
  assert.deepEqual(errors.map((e) => (e as Error).message), ['boom', 'bang']);
  assert.equal(result.forced, 1);
});
