/**
 * Throughput of the SQLite conversation memory on the chat hot path: one chat turn is
 * hasMessage + load + append(user, assistant). Writes to a temporary file (WAL, as in production).
 * Usage: node bench/memory-bench.ts [turns=20000] [sessions=1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteMemory } from '../src/memory/sqlite-memory.ts';

const turns = Number(process.argv[2] ?? 20_000);
const sessions = Number(process.argv[3] ?? 1_000);
const dir = mkdtempSync(join(tmpdir(), 'memory-bench-'));
const memory = openSqliteMemory(join(dir, 'memory.db'), { window: 10, idleTtlMs: 30 * 60_000 });

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

try {
  const micros = new Float64Array(turns);
  // Per-step timings show where the tail comes from (reads, or the write and its WAL checkpoints).
  const steps = { hasMessage: new Float64Array(turns), load: new Float64Array(turns), append: new Float64Array(turns) };
  const started = performance.now();
  for (let i = 0; i < turns; i++) {
    const session = `s${i % sessions}`;
    const id = `m${i}`;
    const t0 = performance.now();
    if (await memory.hasMessage(session, id)) throw new Error(`unexpected duplicate ${id}`);
    const t1 = performance.now();
    const history = await memory.load(session);
    const t2 = performance.now();
    const at = Date.now();
    await memory.append(session, [
      { role: 'user', text: `何かおすすめは？ (${history.length})`, messageId: id, language: 'ja', at },
      { role: 'assistant', text: 'ワンピースとフリーレンはいかがですか。', messageId: id, intent: 'recommendation', language: 'ja', seriesIds: ['one-piece', 'frieren'], productIds: ['op-107', 'fr-13'], at },
    ]);
    const t3 = performance.now();
    micros[i] = (t3 - t0) * 1000;
    steps.hasMessage[i] = (t1 - t0) * 1000;
    steps.load[i] = (t2 - t1) * 1000;
    steps.append[i] = (t3 - t2) * 1000;
  }
  const seconds = (performance.now() - started) / 1000;
  micros.sort();
  console.log(JSON.stringify({
    turns,
    sessions,
    turnsPerSecond: Math.round(turns / seconds),
    p50Us: Math.round(percentile(micros, 0.5)),
    p99Us: Math.round(percentile(micros, 0.99)),
    maxUs: Math.round(micros[turns - 1]),
    ...Object.fromEntries(Object.entries(steps).map(([name, us]) => {
      us.sort();
      return [name, { p50Us: Math.round(percentile(us, 0.5)), p99Us: Math.round(percentile(us, 0.99)) }];
    })),
  }));
} finally {
  memory.close();
  rmSync(dir, { recursive: true, force: true });
}
