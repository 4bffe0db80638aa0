import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountAreas, areaOf, type CpuProfile } from '../../bench/cpu-areas.ts';

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url, lineNumber: 0 }, children });

/** root → ws-chat handler → { JSON.parse (native), send → writev (native) }; root → pipeline → guardrails; GC; idle. */
const profile: CpuProfile = {
  nodes: [
    frame(1, '(root)', '', [2, 6, 8, 9]),
    frame(2, '(anonymous)', 'file:///x/src/http/ws-chat.ts', [3, 4]),
    frame(3, 'parse', ''),
    frame(4, 'send', 'file:///x/src/http/ws-chat.ts', [5]),
    frame(5, 'writev', ''),
    frame(6, 'reply', 'file:///x/src/chat/pipeline.ts', [7]),
    frame(7, 'foldDeep', 'file:///x/src/guardrails/filters.ts'),
    frame(8, '(garbage collector)', ''),
    frame(9, '(idle)', ''),
  ],
  startTime: 1_000,
  endTime: 2_000,
  // One sample per node of interest, 10 µs apart.
  samples: [3, 5, 5, 7, 6, 8, 9, 5],
  timeDeltas: [10, 10, 10, 10, 10, 10, 10, 10],
};

test('areas by URL: the issue\'s areas from the service folders and libraries, nothing for runtime internals', () => {
  assert.equal(areaOf('file:///w/src/memory/sqlite-memory.ts'), 'memory');
  assert.equal(areaOf('file:///w/node_modules/prom-client/lib/histogram.js'), 'metrics');
  assert.equal(areaOf('file:///w/node_modules/@opentelemetry/sdk-trace-base/build/x.js'), 'tracing');
  assert.equal(areaOf('file:///w/node_modules/pino/pino.js'), 'logging');
  assert.equal(areaOf('file:///w/node_modules/ws/lib/receiver.js'), 'parse');
  assert.equal(areaOf('file:///w/node_modules/ws/lib/sender.js'), 'frames');
  assert.equal(areaOf('node:internal/stream_base_commons'), undefined);
  assert.equal(areaOf(''), undefined);
});

test('native leaves are charged to the innermost service frame; a client frame\'s JSON.parse is parse; idle is left out', () => {
  const r = accountAreas(profile);
  assert.equal(r.idleUs, 10);
  assert.equal(r.totalUs, 70);
  assert.deepEqual(Object.fromEntries(r.areas), { parse: 10, frames: 30, guardrails: 10, 'pipeline (orchestration, stopwatch)': 10, 'garbage collection': 10 });
  assert.equal(r.functions.get('writev (native)'), 30);
});

test('a window keeps only the samples inside it (profile clock, µs)', () => {
  // Sample times: 1010, 1020, …, 1080; [1025, 1055) holds the 3rd to 5th samples.
  const r = accountAreas(profile, { fromUs: 1025, toUs: 1055 });
  assert.equal(r.totalUs, 30);
  assert.deepEqual(Object.fromEntries(r.areas), { frames: 10, guardrails: 10, 'pipeline (orchestration, stopwatch)': 10 });
});
