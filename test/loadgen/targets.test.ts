import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, parseTargets } from '../../src/loadgen/targets.ts';
import { UsageError } from '../../src/loadgen/phases.ts';

test('loopback hosts: 127.0.0.0/8, ::1 (also IPv4-mapped), localhost; nothing else', () => {
  for (const h of ['127.0.0.1', '127.3.4.5', 'localhost', '[::1]', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ['10.0.0.1', '192.168.1.1', '172.16.0.1', '8.8.8.8', 'example.com', '128.0.0.1', '::ffff:10.0.0.1', '0.0.0.0', 'localhost.evil.com']) assert.equal(isLoopbackHost(h), false, h);
});

test('targets: non-loopback refused unless --allow-remote; ws and http forms derived', () => {
  assert.deepEqual(parseTargets('http://127.0.0.1:3000,ws://[::1]:4000', false), [
    { http: 'http://127.0.0.1:3000', ws: 'ws://127.0.0.1:3000', loopback: true },
    { http: 'http://[::1]:4000', ws: 'ws://[::1]:4000', loopback: true },
  ]);
  assert.throws(() => parseTargets('http://10.1.2.3:3000', false), UsageError);
  assert.throws(() => parseTargets('http://127.0.0.1:3000,http://example.com', false), UsageError);
  assert.equal(parseTargets('https://example.com', true)[0].ws, 'wss://example.com');
  assert.throws(() => parseTargets('ftp://127.0.0.1', false), UsageError);
});
