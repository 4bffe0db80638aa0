/** Runs the AnswerEngine contract against every adapter: a new adapter is one more line here. */
import { engineContract } from './engine.contract.ts';
import { createLocalEngine } from '../../src/llm/local-engine.ts';
import { createSimEngine } from '../../src/llm/sim-engine.ts';
import { NOW } from './fixtures.ts';

engineContract('local', () => createLocalEngine({ now: () => NOW }));
engineContract('sim (paced)', () =>
  createSimEngine({ inner: createLocalEngine({ now: () => NOW }), ttftMs: 2, tokensPerSec: 5000, jitter: 0.2 }),
);
engineContract('sim (no delay)', () => createSimEngine({ inner: createLocalEngine({ now: () => NOW }), ttftMs: 0, tokensPerSec: 0 }));
