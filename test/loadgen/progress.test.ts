import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createProgress, type ProgressState } from '../../src/loadgen/progress.ts';

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: string } {
  const s = new Writable({
    write(chunk, _enc, done) {
      s.text += String(chunk);
      done();
    },
  }) as Writable & { isTTY: boolean; text: string };
  s.isTTY = isTTY;
  s.text = '';
  return s;
}

const state = (elapsedS: number): ProgressState => ({ elapsedS, phase: 'hold 10/s', sessionsOpen: 12, messagesPerS: 30, p99TtftMs: 812, errors: 1, messages: 90 });

test('progress: rewritten in place on a terminal', () => {
  const out = sink(true);
  const p = createProgress(out);
  for (let t = 0; t < 3; t++) p.update(state(t));
  p.done();
  assert.equal(out.text.split('\r').length - 1, 3);
  assert.match(out.text, /hold 10\/s\s+sessions\s+12\s+msg\/s\s+30\.0\s+p99 ttft\s+812 ms\s+errors 1\/90/);
  assert.ok(out.text.endsWith('\n'));
});

test('progress: one plain line every 5 s when stderr is not a terminal', () => {
  const out = sink(false);
  const p = createProgress(out);
  for (let t = 0; t <= 12; t++) p.update(state(t));
  p.done();
  assert.equal(out.text.includes('\r'), false);
  assert.equal(out.text.trim().split('\n').length, 3, out.text);
});
