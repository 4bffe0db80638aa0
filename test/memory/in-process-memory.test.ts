import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInProcessMemory } from '../../src/memory/in-process-memory.ts';
import { manualClock, user } from './memory.contract.ts';

describe('in-process memory', () => {
  it('drops the least recently used session beyond maxSessions', async () => {
    const clock = manualClock();
    const memory = createInProcessMemory({ idleTtlMs: 60_000, maxSessions: 2, now: clock.now });
    await memory.append('a', [user('m1')]);
    await memory.append('b', [user('m2')]);
    await memory.load('a'); // a is now more recent than b
    await memory.append('c', [user('m3')]);
    assert.equal((await memory.load('a')).length, 1);
    assert.equal((await memory.load('c')).length, 1);
    assert.deepEqual(await memory.load('b'), [], 'b was the least recently used');
  });

  it('rejects nonsensical options', () => {
    assert.throws(() => createInProcessMemory({ idleTtlMs: 1000, maxSessions: 0 }), RangeError);
    assert.throws(() => createInProcessMemory({ idleTtlMs: -1 }), RangeError);
  });
});
