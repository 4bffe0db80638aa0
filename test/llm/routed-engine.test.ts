import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { createRoutedEngine, priorityOf, type RoutedEvent } from '../../src/llm/routing/routed-engine.ts';
import { createModelPool } from '../../src/llm/routing/model-pool.ts';
import { createDowngradeMonitor } from '../../src/llm/routing/downgrade.ts';
import { DEFAULT_DOWNGRADABLE, DEFAULT_ROUTES } from '../../src/llm/routing/routing-table.ts';
import { PoolRejectedError, type ModelTier } from '../../src/llm/routing/types.ts';
import { ModelError, type ModelChunk, type ModelClient } from '../../src/llm/providers/types.ts';
import { AnswerInterruptedError, type AnswerChunk, type Grounding } from '../../src/llm/types.ts';
import { createLocalEngine } from '../../src/llm/local-engine.ts';
import { syncStream, type ReadyIterator } from '../../src/llm/stream-text.ts';
import { buildPrompt } from '../../src/llm/prompt.ts';
import { createGuards } from '../../src/resilience/registry.ts';
import { createFaultInjector } from '../../src/resilience/faults.ts';
import { NotCounted } from '../../src/resilience/breaker.ts';
import { richGrounding } from './fixtures.ts';

/** What a scripted model does on its next call. */
type Behaviour = { pieces?: string[]; delayMs?: number; failBefore?: ModelError; failAfter?: { pieces: number; error: ModelError }; hangFirst?: boolean };

/** A model whose calls follow a script (default: answers "<model> says hi"), recording the prompts it got. */
function scriptedModel(model: string) {
  const script: Behaviour[] = [];
  const calls: { priority?: number; system: string }[] = [];
  const client: ModelClient = {
    provider: 'sim',
    model,
    async *stream(req, { signal } = {}): AsyncGenerator<ModelChunk> {
      calls.push({ system: req.prompt.system });
      const b = script.shift() ?? {};
      if (b.hangFirst) {
        await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
        return;
      }
      if (b.delayMs) await delay(b.delayMs, undefined, { signal }).catch(() => undefined);
      if (signal?.aborted) return;
      if (b.failBefore) throw b.failBefore;
      const pieces = b.pieces ?? [`${model} `, 'says ', 'hi'];
      for (let i = 0; i < pieces.length; i++) {
        if (b.failAfter && i === b.failAfter.pieces) throw b.failAfter.error;
        if (signal?.aborted) return;
        yield { type: 'text', text: pieces[i] };
      }
      yield { type: 'usage', inputTokens: 100, outputTokens: pieces.length };
    },
  };
  return { client, script, calls };
}

function harness(opts: { poolSize?: Partial<Record<ModelTier, number>>; attemptTimeoutMs?: number; now?: () => number; pressureQueue?: number; maxWaitP1Ms?: number } = {}) {
  const large = scriptedModel('big-model');
  const small = scriptedModel('small-model');
  const guards = createGuards(['llm-large', 'llm-small'] as const, {
    faults: createFaultInjector(),
    retry: { maxRetries: 2, baseMs: 5, maxMs: 20, budget: { ratio: 0.2, minPerSec: 5, windowMs: 10_000 } },
    breaker: { failureRatio: 0.5, windowMs: 10_000, minimumRps: 100, openMs: 30_000, latencyWindowMs: 30_000, latencyMinSamples: 20 },
    bulkhead: { concurrency: 64, queue: 64, checkoutTimeoutMs: 1000 },
  });
  const pools = {
    large: createModelPool({ name: 'large', size: opts.poolSize?.large ?? 4, queueLimit: { 1: 10, 2: 2 }, maxWaitMs: { 1: opts.maxWaitP1Ms }, pressureQueue: opts.pressureQueue ?? 2 }),
    small: createModelPool({ name: 'small', size: opts.poolSize?.small ?? 4, queueLimit: { 1: 10, 2: 2 }, pressureQueue: 2 }),
  };
  const downgrade = createDowngradeMonitor({ threshold: 0.05, enterAfter: 2, minCalls: 1, now: opts.now });
  const events: RoutedEvent[] = [];
  const engine = createRoutedEngine({
    table: { routes: { ...DEFAULT_ROUTES }, downgradable: DEFAULT_DOWNGRADABLE },
    models: { large: large.client, small: small.client },
    pools,
    guards: { large: guards.get('llm-large'), small: guards.get('llm-small') },
    templates: createLocalEngine(),
    downgrade,
    prompt: (g) => buildPrompt(g),
    attemptTimeoutMs: opts.attemptTimeoutMs ?? 500,
    events: (e) => events.push(e),
  });
  return { engine, large, small, pools, downgrade, events };
}

async function run(engine: ReturnType<typeof harness>['engine'], g: Grounding, signal?: AbortSignal): Promise<AnswerChunk[]> {
  const out: AnswerChunk[] = [];
  for await (const c of engine.stream(g, { signal })) out.push(c);
  return out;
}

const text = (chunks: AnswerChunk[]) => chunks.map((c) => (c.type === 'token' ? c.text : '')).join('');
const routeOf = (chunks: AnswerChunk[]) => {
  const r = chunks.find((c) => c.type === 'route');
  assert.ok(r && r.type === 'route', 'a route chunk');
  return r;
};
const as = (g: Grounding, kind: 'guest' | 'member' | 'prime', overrides: Partial<Grounding> = {}): Grounding => ({ ...g, customer: { kind, customerId: kind === 'guest' ? undefined : 'c-1' }, ...overrides });

describe('routed engine: routing', () => {
  it('answers chit-chat from templates: no model is called', async () => {
    const h = harness();
    const chunks = await run(h.engine, richGrounding('chitchat', 'en'));
    assert.equal(routeOf(chunks).route, 'template');
    assert.ok(text(chunks).length > 0);
    assert.equal(h.large.calls.length + h.small.calls.length, 0);
  });

  it('sends simple intents to the small model and the rest to the large one, naming the model and priority', async () => {
    const h = harness();
    const order = await run(h.engine, as(richGrounding('order_status', 'en'), 'member'));
    assert.deepEqual({ ...routeOf(order), queueMs: 0 }, { type: 'route', route: 'small', model: 'small-model', reason: 'simple', priority: 1, queueMs: 0 });
    assert.equal(text(order), 'small-model says hi');
    const recs = await run(h.engine, as(richGrounding('recommendation', 'en'), 'prime'));
    assert.equal(routeOf(recs).route, 'large');
    assert.equal(routeOf(recs).priority, 0);
    const usage = recs.find((c) => c.type === 'usage');
    assert.deepEqual(usage, { type: 'usage', inputTokens: 100, outputTokens: 3, model: 'big-model' });
    assert.ok(h.large.calls[0].system.includes('FACTS'), 'the large model got the grounded prompt');
  });

  it('priorityOf: Prime P0, member P1, guest P2', () => {
    assert.equal(priorityOf({ kind: 'prime' }), 0);
    assert.equal(priorityOf({ kind: 'member' }), 1);
    assert.equal(priorityOf({ kind: 'guest' }), 2);
  });

  it('while the large model is unhealthy, simple intents go to the small model; recommendations and comparisons stay large', async () => {
    let now = 0;
    const h = harness({ now: () => now });
    // Two bad minutes of large-model timeouts, then the next minute starts.
    for (const minute of [0, 1]) {
      now = minute * 60_000 + 1;
      h.downgrade.record('timeout');
    }
    now = 2 * 60_000 + 1;
    assert.equal(h.downgrade.active(), true);
    const faq = await run(h.engine, as(richGrounding('faq', 'en'), 'member'));
    assert.deepEqual([routeOf(faq).route, routeOf(faq).reason], ['small', 'downgrade']);
    const recs = await run(h.engine, as(richGrounding('recommendation', 'en'), 'member'));
    assert.equal(routeOf(recs).route, 'large');
    const compare = await run(h.engine, as({ ...richGrounding('product_question', 'en'), text: 'Which is better, One Piece or Frieren?' }, 'member'));
    assert.equal(routeOf(compare).route, 'large');
  });

  it('under pressure on the large pool, guests move to the small model; Prime customers wait for the large one', async () => {
    const h = harness({ poolSize: { large: 1 } });
    // One stream holds the only large connection; two members wait behind it: pressure.
    h.large.script.push({ delayMs: 300 }, {}, {});
    const holders = [run(h.engine, as(richGrounding('faq', 'en'), 'member')), run(h.engine, as(richGrounding('faq', 'en'), 'member')), run(h.engine, as(richGrounding('faq', 'en'), 'member'))];
    await delay(30);
    assert.equal(h.pools.large.underPressure(), true);
    const guest = await run(h.engine, as(richGrounding('faq', 'en'), 'guest'));
    assert.deepEqual([routeOf(guest).route, routeOf(guest).reason], ['small', 'pressure']);
    const prime = run(h.engine, as(richGrounding('faq', 'en'), 'prime'));
    const results = await Promise.all([prime, ...holders]);
    assert.equal(routeOf(results[0]).route, 'large');
    assert.ok(routeOf(results[0]).queueMs > 0, 'the Prime customer queued for the large model');
  });
});

describe('routed engine: priority queue', () => {
  it('serves a freed connection to Prime first, then members, then guests', async () => {
    const h = harness({ poolSize: { large: 1 } });
    h.large.script.push({ delayMs: 100 });
    const first = run(h.engine, as(richGrounding('recommendation', 'en'), 'member'));
    await delay(20);
    const order: string[] = [];
    const waiting = (['guest', 'member', 'prime'] as const).map(async (kind) => {
      const chunks = await run(h.engine, as(richGrounding('recommendation', 'en'), kind));
      order.push(kind);
      return chunks;
    });
    await Promise.all([first, ...waiting]);
    assert.deepEqual(order, ['prime', 'member', 'guest']);
  });

  it('a guest refused by a full queue is refused (best effort), not pushed onto the other model', async () => {
    // Pressure (which would move guests to the small model first) set out of reach.
    const h = harness({ poolSize: { large: 1 }, pressureQueue: 100 });
    h.large.script.push({ delayMs: 200 });
    const holder = run(h.engine, as(richGrounding('recommendation', 'en'), 'member'));
    await delay(20);
    // Queue limit for guests is 2: the third waiting guest is refused.
    const guests = [0, 1, 2].map(() => run(h.engine, as(richGrounding('recommendation', 'en'), 'guest')).then(() => 'ok', (e) => e));
    const outcomes = await Promise.all(guests);
    await holder;
    // Thrown so that the caller's breaker does not count it: a full queue is not a failing model.
    const refused = outcomes.filter((o) => o instanceof NotCounted && o.error instanceof PoolRejectedError);
    assert.equal(refused.length, 1);
    assert.equal(h.small.calls.length, 0);
  });

  it('a member whose wait for the large model runs out is answered by the small model', async () => {
    const h = harness({ poolSize: { large: 1 }, pressureQueue: 100, maxWaitP1Ms: 50 });
    h.large.script.push({ delayMs: 300 });
    const holder = run(h.engine, as(richGrounding('recommendation', 'en'), 'prime'));
    await delay(20);
    const chunks = await run(h.engine, as(richGrounding('recommendation', 'en'), 'member'));
    await holder;
    assert.deepEqual([routeOf(chunks).route, routeOf(chunks).reason, routeOf(chunks).failedOver], ['small', 'fallback', ['big-model']]);
  });

  it('a customer who leaves while queued yields nothing, leaves the queue and never reaches the model', async () => {
    const h = harness({ poolSize: { large: 1 } });
    h.large.script.push({ delayMs: 150 });
    const holder = run(h.engine, as(richGrounding('recommendation', 'en'), 'member'));
    await delay(20);
    const ac = new AbortController();
    const leaving = run(h.engine, as(richGrounding('recommendation', 'en'), 'member'), ac.signal);
    await delay(20);
    assert.equal(h.pools.large.queued(), 1);
    ac.abort();
    assert.deepEqual(await leaving, []);
    assert.equal(h.pools.large.queued(), 0);
    await holder;
    assert.equal(h.large.calls.length, 1);
    assert.equal(h.pools.large.inUse(), 0);
  });
});

describe('routed engine: failures', () => {
  it('throttled before the first token: the other model answers, the large model\'s throttle is counted', async () => {
    const h = harness();
    h.large.script.push({ failBefore: new ModelError('bedrock', 'throttled', 'Too many requests', { status: 429 }) });
    const chunks = await run(h.engine, as(richGrounding('recommendation', 'en'), 'member'));
    const route = routeOf(chunks);
    assert.deepEqual([route.route, route.reason, route.failedOver], ['small', 'fallback', ['big-model']]);
    assert.equal(text(chunks), 'small-model says hi');
    assert.ok(h.events.some((e) => e.type === 'call' && e.model === 'big-model' && e.outcome === 'throttled'));
    assert.equal(h.pools.large.inUse() + h.pools.small.inUse(), 0, 'every connection given back');
  });

  it('no first token within the attempt deadline: the other model answers', async () => {
    const h = harness({ attemptTimeoutMs: 100 });
    h.large.script.push({ hangFirst: true });
    const chunks = await run(h.engine, as(richGrounding('faq', 'ja'), 'prime'));
    assert.equal(routeOf(chunks).route, 'small');
    assert.ok(h.events.some((e) => e.type === 'call' && e.model === 'big-model' && e.outcome === 'timeout'));
  });

  it('a stream cut after the first token throws AnswerInterruptedError after the tokens that arrived (no fallback mid-answer)', async () => {
    const h = harness();
    h.large.script.push({ pieces: ['one ', 'two ', 'three'], failAfter: { pieces: 2, error: new ModelError('anthropic', 'disconnected', 'socket hang up') } });
    const got: AnswerChunk[] = [];
    await assert.rejects(async () => {
      for await (const c of h.engine.stream(as(richGrounding('recommendation', 'en'), 'member'), {})) got.push(c);
    }, AnswerInterruptedError);
    assert.equal(text(got), 'one two ');
    assert.equal(h.small.calls.length, 0);
    assert.equal(h.pools.large.inUse(), 0);
  });

  it('both models failing before the first token: the error reaches the caller', async () => {
    const h = harness();
    h.large.script.push({ failBefore: new ModelError('bedrock', 'unavailable', '503') });
    h.small.script.push({ failBefore: new ModelError('bedrock', 'unavailable', '503') });
    await assert.rejects(run(h.engine, as(richGrounding('recommendation', 'en'), 'member')));
    assert.equal(h.pools.large.inUse() + h.pools.small.inUse(), 0);
  });
});

describe('routed engine: chunks a model has ready (stream-text.ts ReadyIterator)', () => {
  /** A model whose chunks are all there at once (like the local engine behind the model port); `failAt` breaks the stream there. */
  function readyModel(pieces: string[], failAt = -1): ModelClient['stream'] {
    return () => {
      let i = 0;
      return syncStream((): ModelChunk | undefined => {
        if (i === failAt) throw new ModelError('sim', 'disconnected', 'socket hang up');
        if (i < pieces.length) return { type: 'text', text: pieces[i++] };
        if (i++ === pieces.length) return { type: 'usage', inputTokens: 10, outputTokens: pieces.length };
        return undefined;
      });
    };
  }

  it('after the first token, ready() gives the model chunks without a promise, the same as next() would, and frees the connection at the end', async () => {
    const h = harness();
    h.large.client.stream = readyModel(['one ', '', 'two ', 'three']);
    const it = h.engine.stream(as(richGrounding('recommendation', 'en'), 'member'), {})[Symbol.asyncIterator]() as ReadyIterator<AnswerChunk>;
    assert.equal(it.ready!(), undefined, 'nothing before the first token is in');
    assert.equal((await it.next()).value.type, 'route');
    assert.deepEqual((await it.next()).value, { type: 'token', text: 'one ' });
    assert.equal(it.ready!(), undefined, 'still opening until next() leaves the opening');
    assert.deepEqual((await it.next()).value, { type: 'token', text: 'two ' }, 'the empty text is skipped');
    assert.deepEqual(it.ready!(), { done: false, value: { type: 'token', text: 'three' } });
    assert.deepEqual(it.ready!(), { done: false, value: { type: 'usage', inputTokens: 10, outputTokens: 4, model: 'big-model' } });
    assert.deepEqual(it.ready!(), { done: true, value: undefined });
    assert.equal(h.pools.large.inUse(), 0);
    assert.ok(h.events.some((e) => e.type === 'usage' && e.outputTokens === 4));
  });

  it('a break of the stream found by ready() is an AnswerInterruptedError, counted as interrupted, the connection freed', async () => {
    const h = harness();
    h.large.client.stream = readyModel(['one ', 'two ', 'three'], 2);
    const it = h.engine.stream(as(richGrounding('recommendation', 'en'), 'member'), {})[Symbol.asyncIterator]() as ReadyIterator<AnswerChunk>;
    await it.next();
    await it.next();
    assert.deepEqual((await it.next()).value, { type: 'token', text: 'two ' });
    assert.throws(() => it.ready!(), AnswerInterruptedError);
    assert.ok(h.events.some((e) => e.type === 'call' && e.outcome === 'interrupted'));
    assert.equal(h.pools.large.inUse(), 0);
  });
});
