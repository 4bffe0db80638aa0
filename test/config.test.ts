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

test('embeddings: hashing by default; a remote model needs what it cannot work without, and a deadline that leaves the reranker room', () => {
  assert.equal(loadConfig({}).EMBEDDINGS_PROVIDER, 'hashing');
  assert.equal(loadConfig({}).SEMANTIC_CACHE_THRESHOLD, undefined);
  const openai = { EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_BASE_URL: 'http://127.0.0.1:8000/v1', EMBEDDINGS_DIMENSIONS: '1024' };
  assert.equal(loadConfig(openai).EMBEDDINGS_DIMENSIONS, 1024);
  assert.throws(() => loadConfig({ ...openai, EMBEDDINGS_BASE_URL: '' }), /EMBEDDINGS_BASE_URL is required/);
  assert.throws(() => loadConfig({ ...openai, EMBEDDINGS_DIMENSIONS: '' }), /EMBEDDINGS_DIMENSIONS .* is required/);
  assert.equal(loadConfig({ EMBEDDINGS_PROVIDER: 'bedrock' }).EMBEDDINGS_DIMENSIONS, undefined);
  assert.throws(() => loadConfig({ EMBEDDINGS_PROVIDER: 'bedrock', EMBEDDINGS_DIMENSIONS: '384' }), /256, 512 or 1024/);
  assert.throws(() => loadConfig({ ...openai, EMBEDDINGS_TIMEOUT_MS: '200' }), /EMBEDDINGS_TIMEOUT_MS \+ RERANK_TIMEOUT_MS must be less than RETRIEVAL_TIMEOUT_MS/);
  assert.equal(loadConfig({ ...openai, EMBEDDINGS_TIMEOUT_MS: '200', RETRIEVAL_TIMEOUT_MS: '400' }).EMBEDDINGS_TIMEOUT_MS, 200);
  // The built-in embedder never waits on a network: its deadline is not checked.
  assert.equal(loadConfig({ EMBEDDINGS_TIMEOUT_MS: '1000' }).EMBEDDINGS_PROVIDER, 'hashing');
});

test("src/start.js puts the compile cache where main.ts does: under DATA_DIR's default when it is unset", () => {
  // start.js is plain JavaScript run before any TypeScript (so it cannot import config.ts): it
  // repeats DATA_DIR's default, and this keeps the two from drifting apart.
  const start = readFileSync(new URL('../src/start.js', import.meta.url), 'utf8');
  const fallback = /process\.env\.DATA_DIR \|\| '([^']+)'/.exec(start)?.[1];
  assert.equal(fallback, loadConfig({}).DATA_DIR);
});
