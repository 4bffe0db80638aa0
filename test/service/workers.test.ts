import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

test('WORKERS=2 starts two processes on one port that share the stores, and SIGTERM stops them', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'manga-workers-'));
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, DATA_DIR: dataDir, PORT: '0', WORKERS: '2', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    // A guard against a primary that never forks, not a start-up time bound (that is
    // bench/startup.ts): a first start seeds and builds its derived files in both workers, and at
    // load 15-20 on two cores that took past 30 s (seen 2026-12-07), so the guard is wide.
    const deadline = Date.now() + 120_000;
    while ((out.match(/listening on/g) ?? []).length < 2) {
      assert.ok(Date.now() < deadline, `two workers did not start: ${out}`);
      assert.equal(child.exitCode, null, out);
      await new Promise((r) => setTimeout(r, 50));
    }
    const lines = [...out.matchAll(/listening on (http:\/\/[\d.:]+) .*pid (\d+)/g)];
    assert.equal(lines.length, 2);
    assert.equal(lines[0][1], lines[1][1], 'one shared port');
    assert.notEqual(lines[0][2], lines[1][2], 'two processes');
    const url = lines[0][1];
    // A conversation started through one worker continues through the other (shared SQLite).
    const first = await (await fetch(`${url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ text: 'Do you have Frieren?' }) })).json();
    for (let i = 0; i < 4; i++) {
      const next = await (await fetch(`${url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ text: `how much is vol ${i + 2} of it?`, sessionId: first.sessionId, resumeToken: first.resumeToken }) })).json();
      assert.equal(next.sessionId, first.sessionId, `turn ${i}: the owner continues the conversation on any worker`);
      assert.equal(next.products[0]?.seriesId, first.products[0].seriesId, `turn ${i}: ${next.text}`);
    }
  } finally {
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', (c, s) => r(c ?? s)));
    rmSync(dataDir, { recursive: true, force: true });
    assert.ok(code === 0 || code === 'SIGTERM', `exit ${code}`);
  }
});
