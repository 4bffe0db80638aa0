import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeChatServer } from './fake-chat-server.ts';
import { testProfile } from './helpers.ts';

const CLI = fileURLToPath(new URL('../../src/loadgen/cli.ts', import.meta.url));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // Bounded like everything else here: a hung CLI fails the test instead of hanging the suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('CLI: exit 0 when the SLOs hold, 1 when one fails; writes the JSON result and the HTML report', async () => {
  const srv = await startFakeChatServer({ firstTokenMs: 30, tokens: 3, tokenGapMs: 5 });
  const dir = mkdtempSync(join(tmpdir(), 'loadtest-cli-'));
  const profile = join(dir, 'profile.json');
  writeFileSync(profile, JSON.stringify(testProfile({ messages: 2, thinkMs: 60 })));
  try {
    const common = ['--profile', profile, '--targets', srv.url, '--rate', '10', '--duration', '1s', '--arrivals', 'uniform'];
    const [pass, fail] = await Promise.all([
      runCli([...common, '--slo-p99-ttft-ms', '1000', '--out', join(dir, 'pass.json'), '--report', join(dir, 'pass.html')]),
      runCli([...common, '--slo-p99-ttft-ms', '10']),
    ]);
    assert.equal(pass.code, 0, pass.stderr + pass.stdout);
    assert.match(pass.stdout, /PASS\s+p99 ttft < 1000 ms/);
    assert.match(pass.stdout, /PASSED/);
    assert.equal(fail.code, 1, fail.stderr + fail.stdout);
    assert.match(fail.stdout, /FAIL\s+p99 ttft < 10 ms/);
    const result = JSON.parse(readFileSync(join(dir, 'pass.json'), 'utf8'));
    assert.equal(result.tool, 'manga-assist-loadtest');
    assert.equal(result.passed, true);
    assert.equal(result.overall.messages, 20);
    // The fake answers its first token after 30 ms, so no measured first token can be earlier, and
    // the last token (two 5 ms gaps later) never comes before the first. No upper bound on time:
    // how late a reply is depends on the machine's load, and belongs in a benchmark.
    assert.ok(result.overall.ttft.p50 >= 29, `ttft p50 ${result.overall.ttft.p50}`);
    assert.ok(result.overall.ttlt.p50 >= result.overall.ttft.p50 + 9, `ttlt p50 ${result.overall.ttlt.p50} vs ttft p50 ${result.overall.ttft.p50}`);
    assert.ok(existsSync(join(dir, 'pass.html')), 'report written');
    assert.match(readFileSync(join(dir, 'pass.html'), 'utf8'), /<html/i);
    // stderr is not a TTY here: progress comes as plain lines, not carriage returns.
    assert.equal(pass.stderr.includes('\r'), false);
  } finally {
    await srv.close();
  }
});

test('CLI: usage errors exit 2 (unknown flag, bad phases, non-loopback target, bad profile)', async () => {
  const results = await Promise.all([
    runCli(['--no-such-flag']),
    runCli(['--phases', 'ramp:fast']),
    runCli(['--targets', 'http://192.168.1.10:3000', '--rate', '1', '--duration', '1s']),
    runCli(['--targets', 'http://example.com', '--rate', '1', '--duration', '1s']),
    runCli(['--profile', 'does-not-exist']),
    runCli(['--rate', '5', '--phases', 'hold:1:1s']),
  ]);
  for (const r of results) assert.equal(r.code, 2, r.stderr);
  assert.match(results[2].stderr, /not a loopback address/);
  assert.match(results[2].stderr, /--allow-remote/);
});

test('CLI: --help exits 0', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--phases/);
  assert.match(r.stdout, /--mode rate\|open\|closed\|idle/);
  assert.match(r.stdout, /--knee FROM:STEP:TO/);
});
