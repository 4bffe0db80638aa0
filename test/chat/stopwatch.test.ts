// The stopwatch's segments as the `end` frame carries them: `<name>Ms`, in the order first recorded,
// the longest run winning when a segment runs more than once, rounded to the microsecond.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Stopwatch } from '../../src/chat/stopwatch.ts';

describe('stopwatch segments', () => {
  it('are `<name>Ms` in first-recorded order, the longest run kept, to the microsecond', () => {
    const s = new Stopwatch(0);
    s.record('memory', 2.0004, { span: false });
    s.record('catalog', 1.5, { span: false });
    s.record('memory', 0.5, { span: false });
    s.record('catalog', 3.25, { span: false });
    s.record('understand', 0.0001, { span: false });
    assert.deepEqual(Object.entries(s.segments()), [
      ['memoryMs', 2],
      ['catalogMs', 3.25],
      ['understandMs', 0],
    ]);
  });

  it('hands out a copy: changing it changes nothing recorded, and two stopwatches keep their own', () => {
    const a = new Stopwatch(0);
    const b = new Stopwatch(0);
    a.record('gather', 4, { span: false });
    const seen = a.segments();
    seen.gatherMs = 99;
    b.record('gather', 1, { span: false });
    assert.deepEqual(a.segments(), { gatherMs: 4 });
    assert.deepEqual(b.segments(), { gatherMs: 1 });
  });

  it('measures a step and records it even when it throws', () => {
    const s = new Stopwatch();
    assert.throws(() => s.measure('entities', () => { throw new Error('x'); }));
    assert.equal(s.measure('language', () => 'en'), 'en');
    assert.deepEqual(Object.keys(s.segments()), ['entitiesMs', 'languageMs']);
  });
});
