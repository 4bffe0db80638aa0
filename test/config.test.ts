import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configTable, loadConfig } from '../src/config.ts';

test('README carries the configuration table generated from the schema', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const m = /<!-- config:begin -->\n([\s\S]*?)\n<!-- config:end -->/.exec(readme);
  assert.ok(m, 'README has the config markers');
  assert.equal(m[1], configTable(), 'run `npm run config:doc` and paste its output into README.md');
});

test('defaults load from an empty environment; bad values are refused with the variable named', () => {
  const c = loadConfig({});
  assert.equal(c.PORT, 3000);
  assert.equal(c.LLM_PROVIDER, 'local');
  assert.equal(c.MEMORY_WINDOW, 10);
  assert.equal(loadConfig({ PORT: '0', DEV_LOGIN: 'true' }).DEV_LOGIN, true);
  assert.throws(() => loadConfig({ LLM_PROVIDER: 'gpt' }), /LLM_PROVIDER/);
  assert.throws(() => loadConfig({ PORT: '-1' }), /PORT/);
  assert.throws(() => loadConfig({ AUTH_JWT_SECRET: 'short' }), /AUTH_JWT_SECRET/);
});
