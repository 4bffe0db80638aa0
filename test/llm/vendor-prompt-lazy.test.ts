// The vendor prompt is built only when a model reads it: the `local` and `sim` engines compose
// from the grounding, so an answer from them must not pay for buildPrompt; a vendor model gets
// the same prompt as before, built once per answer even when the other tier takes over.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRoutedEngine } from '../../src/llm/routing/routed-engine.ts';
import { createModelPool } from '../../src/llm/routing/model-pool.ts';
import { createDowngradeMonitor } from '../../src/llm/routing/downgrade.ts';
import { DEFAULT_DOWNGRADABLE, DEFAULT_ROUTES } from '../../src/llm/routing/routing-table.ts';
import { ModelError, type ModelChunk, type ModelClient } from '../../src/llm/providers/types.ts';
import { createEngineModelClient } from '../../src/llm/providers/engine-client.ts';
import type { AnswerChunk, Grounding } from '../../src/llm/types.ts';
import { createLocalEngine } from '../../src/llm/local-engine.ts';
import { buildPrompt } from '../../src/llm/prompt.ts';
import { createGuards } from '../../src/resilience/registry.ts';
import { createFaultInjector } from '../../src/resilience/faults.ts';
import { richGrounding } from './fixtures.ts';

function engineWith(models: { large: ModelClient; small: ModelClient }) {
  const built: string[] = [];
  const guards = createGuards(['llm-large', 'llm-small'] as const, {
    faults: createFaultInjector(),
    retry: { maxRetries: 0, baseMs: 5, maxMs: 20, budget: { ratio: 0.2, minPerSec: 5, windowMs: 10_000 } },
    breaker: { failureRatio: 0.5, windowMs: 10_000, minimumRps: 100, openMs: 30_000, latencyWindowMs: 30_000, latencyMinSamples: 20 },
    bulkhead: { concurrency: 8, queue: 8, checkoutTimeoutMs: 1000 },
  });
  const engine = createRoutedEngine({
    table: { routes: { ...DEFAULT_ROUTES }, downgradable: DEFAULT_DOWNGRADABLE },
    models,
    pools: {
      large: createModelPool({ name: 'large', size: 2, queueLimit: { 1: 10, 2: 2 }, pressureQueue: 2 }),
      small: createModelPool({ name: 'small', size: 2, queueLimit: { 1: 10, 2: 2 }, pressureQueue: 2 }),
    },
    guards: { large: guards.get('llm-large'), small: guards.get('llm-small') },
    templates: createLocalEngine(),
    downgrade: createDowngradeMonitor({ threshold: 0.05, enterAfter: 2, minCalls: 1 }),
    prompt: (g) => {
      const p = buildPrompt(g);
      built.push(p.system);
      return p;
    },
    attemptTimeoutMs: 500,
  });
  return { engine, built };
}

async function answer(engine: ReturnType<typeof engineWith>['engine'], g: Grounding): Promise<string> {
  let out = '';
  for await (const c of engine.stream(g, {}) as AsyncIterable<AnswerChunk>) if (c.type === 'token') out += c.text;
  return out;
}

const prime = (g: Grounding): Grounding => ({ ...g, customer: { kind: 'prime', customerId: 'c-1' } });

describe('routed engine: the vendor prompt', () => {
  it('is never built for an answer from the local engine, which composes from the grounding', async () => {
    const local = createLocalEngine();
    const { engine, built } = engineWith({ large: createEngineModelClient(local, { provider: 'local', model: 'local' }), small: createEngineModelClient(local, { provider: 'local', model: 'local' }) });
    const g = prime(richGrounding('recommendation', 'en'));
    const text = await answer(engine, g);
    let direct = '';
    for await (const c of createLocalEngine().stream(g, {})) if (c.type === 'token') direct += c.text;
    assert.equal(text, direct, 'the same answer as the local engine alone');
    assert.equal(built.length, 0);
  });

  it('is built once for a vendor model, and the other tier taking over reads that same prompt', async () => {
    const seen: { model: string; system: string }[] = [];
    const vendor = (model: string, fail: boolean): ModelClient => ({
      provider: 'bedrock',
      model,
      async *stream(req): AsyncGenerator<ModelChunk> {
        seen.push({ model, system: req.prompt.system });
        if (fail) throw new ModelError('bedrock', 'unavailable', 'down', { status: 503 });
        yield { type: 'text', text: `${model} answers` };
      },
    });
    const { engine, built } = engineWith({ large: vendor('big', true), small: vendor('small', false) });
    const g = prime(richGrounding('recommendation', 'en'));
    assert.equal(await answer(engine, g), 'small answers');
    assert.equal(built.length, 1);
    assert.deepEqual(seen.map((s) => s.model), ['big', 'small']);
    assert.equal(seen[0].system, built[0]);
    assert.equal(seen[1].system, built[0]);
    assert.ok(built[0].includes('FACTS'));
  });
});
