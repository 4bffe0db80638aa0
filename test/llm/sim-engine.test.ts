/** The sim engine's latency model, measured with real timers and with an injected clock. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AnswerChunk, AnswerEngine } from '../../src/llm/types.ts';
import { createSimEngine, jittered } from '../../src/llm/sim-engine.ts';
import { grounding } from './fixtures.ts';

/** An inner engine that streams `n` fixed tokens instantly. */
function fixedEngine(n: number): AnswerEngine {
  return {
    name: 'fixed',
    async *stream(_g, { signal }) {
      for (let i = 0; i < n; i++) {
        if (signal?.aborted) return;
        yield { type: 'token', text: `t${i} ` };
      }
      yield { type: 'usage', inputTokens: 10, outputTokens: n, model: 'fixed' };
    },
  };
}

const g = grounding('chitchat', 'en');

/** Arrival time (ms since start) of each token. */
async function arrivals(engine: AnswerEngine, signal?: AbortSignal): Promise<{ times: number[]; chunks: AnswerChunk[] }> {
  const start = performance.now();
  const times: number[] = [];
  const chunks: AnswerChunk[] = [];
  for await (const c of engine.stream(g, { signal })) {
    chunks.push(c);
    if (c.type === 'token') times.push(performance.now() - start);
  }
  return { times, chunks };
}

describe('sim engine: latency model with real timers', () => {
  it('waits about ttftMs before the first token', async () => {
    const { times } = await arrivals(createSimEngine({ inner: fixedEngine(3), ttftMs: 50, tokensPerSec: 0, jitter: 0 }));
    // Timers fire late on a busy machine, never early: how late belongs to a benchmark.
    assert.ok(times[0] >= 49, `first token at ${times[0]} ms`);
  });

  it('paces tokens at about tokensPerSec', async () => {
    const n = 41;
    const { times } = await arrivals(createSimEngine({ inner: fixedEngine(n), ttftMs: 50, tokensPerSec: 200, jitter: 0.1 }));
    assert.equal(times.length, n);
    const rate = ((n - 1) / (times[n - 1] - times[0])) * 1000;
    console.log(`sim engine: ttft ${times[0].toFixed(1)} ms, ${rate.toFixed(1)} tokens/s (target 50 ms, 200/s)`);
    // Never faster than asked: the engine keeps every token's deadline on one timeline from the start
    // (ttft, then gaps of ~5 ms +-10 %), so token i never comes before 50 x 0.9 + i x 4.5 ms. It is
    // measured from the start, not from the first token: a first token the machine delivered late is
    // followed by the others catching up to their deadlines (seen in a full npm test at load ~10:
    // first token at 88.7 ms, then 240 tokens/s from there), which is the design, not a faster model.
    // How close to 200/s it stays on a loaded machine is the benchmarks' business.
    for (let i = 0; i < n; i++) assert.ok(times[i] >= 50 * 0.9 + i * 4.5 - 1, `token ${i} at ${times[i]} ms`);
    assert.ok((n - 1) / times[n - 1] * 1000 < 200 * 1.1, `measured from the start: ${((n - 1) / times[n - 1]) * 1000} tokens/s`);
    for (let i = 1; i < n; i++) assert.ok(times[i] >= times[i - 1], 'tokens arrive in order');
  });

  it('passes the usage chunk through, naming the inner model', async () => {
    const { chunks } = await arrivals(createSimEngine({ inner: fixedEngine(2), ttftMs: 1, tokensPerSec: 1000 }));
    assert.deepEqual(chunks.at(-1), { type: 'usage', inputTokens: 10, outputTokens: 2, model: 'sim:fixed' });
  });

  it('an abort during the first-token wait ends the stream at once and clears the timer', async () => {
    const ac = new AbortController();
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    setTimeout(() => ac.abort(), 20);
    const start = performance.now();
    const { chunks } = await arrivals(createSimEngine({ inner: fixedEngine(5), ttftMs: 10_000, tokensPerSec: 10 }), ac.signal);
    const elapsed = performance.now() - start;
    assert.deepEqual(chunks, []);
    assert.ok(elapsed < 200, `stopped after ${elapsed} ms`);
    const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    assert.ok(timersAfter <= timersBefore, 'no timer left behind');
  });

  it('an abort between paced tokens ends the stream at once', async () => {
    const ac = new AbortController();
    const engine = createSimEngine({ inner: fixedEngine(10), ttftMs: 0, tokensPerSec: 2 }); // 500 ms between tokens
    const start = performance.now();
    let tokens = 0;
    for await (const c of engine.stream(g, { signal: ac.signal })) {
      if (c.type === 'token' && ++tokens === 1) setTimeout(() => ac.abort(), 20);
    }
    const elapsed = performance.now() - start;
    assert.equal(tokens, 1);
    assert.ok(elapsed < 250, `stopped after ${elapsed} ms`);
  });
});

describe('sim engine: delays, with an injected sleep', () => {
  function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
    const sleeps: number[] = [];
    return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
  }

  it('ttftMs 0 and tokensPerSec 0 or Infinity never sleep', async () => {
    for (const tokensPerSec of [0, Infinity]) {
      const { sleeps, sleep } = recordingSleep();
      const { times } = await arrivals(createSimEngine({ inner: fixedEngine(20), ttftMs: 0, tokensPerSec, sleep }));
      assert.equal(times.length, 20);
      assert.deepEqual(sleeps, []);
    }
  });

  it('draws the first-token delay within ±jitter of ttftMs', async () => {
    for (const r of [0, 0.5, 0.999999]) {
      const { sleeps, sleep } = recordingSleep();
      await arrivals(createSimEngine({ inner: fixedEngine(1), ttftMs: 1000, tokensPerSec: 0, jitter: 0.2, random: () => r, sleep }));
      const expected = 1000 * (1 + 0.2 * (2 * r - 1));
      assert.ok(Math.abs(sleeps[0] - expected) < 5, `slept ${sleeps[0]}, expected about ${expected}`);
    }
  });

  it('keeps every paced interval within ±jitter of 1000/tokensPerSec, varying', async () => {
    // A fake clock that the fake sleep advances: each wait is then exactly one jittered interval.
    let clock = 0;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => { sleeps.push(ms); clock += ms; };
    await arrivals(createSimEngine({ inner: fixedEngine(200), ttftMs: 0, tokensPerSec: 10, jitter: 0.3, sleep, now: () => clock }));
    assert.equal(sleeps.length, 199, 'no wait before the first token when ttftMs is 0');
    for (const s of sleeps) assert.ok(s >= 70 - 1e-9 && s <= 130 + 1e-9, `interval ${s}`);
    assert.ok(Math.max(...sleeps) - Math.min(...sleeps) > 20, 'intervals are jittered');
    const mean = sleeps.reduce((a, b) => a + b, 0) / sleeps.length;
    assert.ok(Math.abs(mean - 100) < 10, `mean interval ${mean}`);
  });

  it('late timers do not slow the stream: the next wait is shortened', async () => {
    let clock = 0;
    const sleeps: number[] = [];
    // Every timer fires 30 ms late, as on a loaded event loop.
    const sleep = async (ms: number) => { sleeps.push(ms); clock += ms + 30; };
    await arrivals(createSimEngine({ inner: fixedEngine(5), ttftMs: 0, tokensPerSec: 10, jitter: 0, sleep, now: () => clock }));
    assert.deepEqual(sleeps, [100, 70, 70, 70]);
  });

  it('jittered stays within bounds and is never negative', () => {
    assert.equal(jittered(100, 0.1, () => 0), 90);
    assert.equal(jittered(100, 0.1, () => 0.5), 100);
    assert.ok(Math.abs(jittered(100, 0.1, () => 0.999999) - 110) < 1e-3);
    assert.equal(jittered(100, 1, () => 0), 0);
    for (let i = 0; i < 1000; i++) {
      const d = jittered(50, 0.25, Math.random);
      assert.ok(d >= 37.5 && d <= 62.5, `${d}`);
    }
  });

  it('a sleep that fails for another reason than abort is not swallowed', async () => {
    const sleep = async () => { throw new Error('timer broke'); };
    await assert.rejects(arrivals(createSimEngine({ inner: fixedEngine(2), ttftMs: 10, tokensPerSec: 0, sleep })), /timer broke/);
  });
});

describe('sim engine: the default timer', () => {
  /** A signal that counts the abort listeners added to and removed from it. */
  function countedSignal() {
    const ac = new AbortController();
    const counts = { added: 0, removed: 0 };
    const add = ac.signal.addEventListener.bind(ac.signal);
    const remove = ac.signal.removeEventListener.bind(ac.signal);
    ac.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => { counts.added++; add(...args); }) as AbortSignal['addEventListener'];
    ac.signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => { counts.removed++; remove(...args); }) as AbortSignal['removeEventListener'];
    return { ac, counts };
  }

  it('a paced answer adds one abort listener for all its sleeps and removes it when it ends', async () => {
    const { ac, counts } = countedSignal();
    const { chunks } = await arrivals(createSimEngine({ inner: fixedEngine(6), ttftMs: 2, tokensPerSec: 1000, jitter: 0 }), ac.signal);
    assert.equal(chunks.filter((c) => c.type === 'token').length, 6);
    assert.deepEqual(counts, { added: 1, removed: 1 });
  });

  it('an abort mid-answer rejects the pending sleep at once; the answer ends quietly and leaves no listener', async () => {
    const { ac, counts } = countedSignal();
    const started = performance.now();
    const got: AnswerChunk[] = [];
    for await (const c of createSimEngine({ inner: fixedEngine(5), ttftMs: 0, tokensPerSec: 2, jitter: 0 }).stream(g, { signal: ac.signal })) {
      got.push(c);
      setTimeout(() => ac.abort(), 10);
    }
    assert.equal(got.length, 1);
    assert.ok(performance.now() - started < 400, 'not after the 500 ms interval');
    assert.equal(counts.added, 1);
    assert.equal(counts.removed, 1);
  });
});

describe('sim engine: the paced stream as an iterator', () => {
  it('next() called again before the last settled waits its turn (as a generator), and return() waits for the pending one, then ends', async () => {
    const it = createSimEngine({ inner: fixedEngine(4), ttftMs: 2, tokensPerSec: 500, jitter: 0 }).stream(g, {})[Symbol.asyncIterator]();
    const [a, b, c] = await Promise.all([it.next(), it.next(), it.next()]);
    assert.deepEqual([a.value, b.value, c.value], [{ type: 'token', text: 't0 ' }, { type: 'token', text: 't1 ' }, { type: 'token', text: 't2 ' }]);
    const pending = it.next();
    const ended = it.return!(undefined);
    assert.deepEqual(await pending, { done: false, value: { type: 'token', text: 't3 ' } });
    assert.deepEqual(await ended, { done: true, value: undefined });
    assert.deepEqual(await it.next(), { done: true, value: undefined });
  });

  it('the inner stream failing ends the stream with its error; nothing after', async () => {
    const broken: AnswerEngine = {
      name: 'broken',
      async *stream() {
        yield { type: 'token', text: 'a ' };
        throw new Error('inner broke');
      },
    };
    const it = createSimEngine({ inner: broken, ttftMs: 1, tokensPerSec: 1000, jitter: 0 }).stream(g, {})[Symbol.asyncIterator]();
    assert.deepEqual((await it.next()).value, { type: 'token', text: 'a ' });
    await assert.rejects(it.next(), /inner broke/);
    assert.deepEqual(await it.next(), { done: true, value: undefined });
  });
});
