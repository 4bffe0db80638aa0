import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIdle, type IdleExtras } from '../../src/loadgen/idle.ts';
import { parseCommand, type IdleOptions } from '../../src/loadgen/options.ts';
import { readRssBytes } from '../../src/loadgen/rss.ts';
import { startFakeChatServer } from './fake-chat-server.ts';

test('idle mode opens and holds connections from several source addresses, and reads the server RSS', async () => {
  const srv = await startFakeChatServer({ firstTokenMs: 1, tokens: 1, tokenGapMs: 1 });
  try {
    const cmd = parseCommand(['--mode', 'idle', '--targets', srv.url, '--connections', '300', '--open-rate', '1500', '--hold', '600ms', '--source-addresses', '3', '--server-pid', String(process.pid), '--quiet']);
    assert.equal(cmd.kind, 'idle');
    const started = performance.now();
    const r = await runIdle((cmd as { options: IdleOptions }).options);
    const elapsed = performance.now() - started;
    assert.equal(r.mode, 'idle');
    const { target, opened, failed, sourceAddresses } = r.idle!;
    assert.deepEqual({ target, opened, failed, sourceAddresses }, { target: 300, opened: 300, failed: 0, sourceAddresses: 3 });
    assert.ok(r.idle!.heldS >= 0.55 && r.idle!.heldS < 1.5, `held ${r.idle!.heldS} s`);
    assert.equal(srv.stats.connections, 300);
    assert.deepEqual([...srv.stats.remoteAddresses].sort(), ['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    // 300 at 1500/s take ≥ 200 ms: the open rate is respected.
    assert.ok(elapsed >= 200 + 600, `${elapsed} ms`);
    const extras = r.idle as unknown as IdleExtras;
    assert.ok(extras.serverRssBytes && extras.serverRssBytes.before > 10 * 2 ** 20, 'RSS read from /proc');
    assert.equal(typeof extras.bytesPerConnection, 'number');
    assert.equal(r.passed, true);
  } finally {
    await srv.close();
  }
});

test('idle mode against nothing: every connection fails, the verdict fails', async () => {
  const srv = await startFakeChatServer({ firstTokenMs: 1, tokens: 1, tokenGapMs: 1 });
  await srv.close();
  const cmd = parseCommand(['--mode', 'idle', '--targets', srv.url, '--connections', '20', '--open-rate', '1000', '--hold', '100ms', '--quiet']);
  const r = await runIdle((cmd as { options: IdleOptions }).options);
  assert.equal(r.idle!.opened, 0);
  assert.equal(r.idle!.failed, 20);
  assert.equal(r.passed, false);
});

test('RSS comes from VmRSS in /proc/<pid>/status', () => {
  const root = mkdtempSync(join(tmpdir(), 'proc-'));
  mkdirSync(join(root, '42'));
  writeFileSync(join(root, '42', 'status'), 'Name:\tnode\nVmPeak:\t 999 kB\nVmRSS:\t  123456 kB\nThreads: 7\n');
  assert.equal(readRssBytes(42, root), 123456 * 1024);
  assert.equal(readRssBytes(43, root), undefined);
  assert.ok(readRssBytes(process.pid)! > 0);
});
