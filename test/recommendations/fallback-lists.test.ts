import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFallbackLists } from '../../src/recommendations/fallback-lists.ts';
import type { RecommendationService, Recommendation } from '../../src/recommendations/types.ts';

// The lists served when the recommendation engine is down are copied from it while it is up.

const rec = (id: string): Recommendation => ({ seriesId: id, score: 1, reasons: [] });

function engine(state: { up: boolean; trending: string[]; popular: string[]; adult: string }): RecommendationService {
  const check = () => {
    if (!state.up) throw new Error('engine down');
  };
  return {
    recommend: async () => (check(), []),
    trending: async (n, o) => (check(), state.trending.filter((id) => !(o?.excludeAgeRestricted && id === state.adult)).slice(0, n).map(rec)),
    popular: async (n, o) => (check(), state.popular.filter((id) => !(o?.excludeAgeRestricted && id === state.adult)).slice(0, n).map(rec)),
  };
}

test('trending first, tagged; popular when no trending list is known; age-restricted kept apart', async () => {
  const state = { up: true, trending: ['t1', 'adult', 't2'], popular: ['p1', 'p2'], adult: 'adult' };
  const lists = createFallbackLists(engine(state), { refreshMs: 0 });
  await lists.refresh();
  assert.deepEqual(lists.pick(5, false).map((r) => r.seriesId), ['t1', 'adult', 't2']);
  assert.deepEqual(lists.pick(5, true).map((r) => r.seriesId), ['t1', 't2']);
  assert.equal(lists.pick(5, true)[0].reasons[0], 'trending');
  state.trending = [];
  await lists.refresh();
  assert.deepEqual(lists.pick(1, true).map((r) => r.seriesId), ['p1']);
  assert.equal(lists.pick(1, true)[0].reasons[0], 'popular');
});

test('a refresh while the engine is down keeps the last good lists and reports the failure', async () => {
  const state = { up: true, trending: ['t1'], popular: ['p1'], adult: '' };
  const errors: unknown[] = [];
  const lists = createFallbackLists(engine(state), { refreshMs: 0, onError: (e) => errors.push(e) });
  await lists.refresh();
  state.up = false;
  await lists.refresh();
  assert.ok(errors.length > 0);
  assert.deepEqual(lists.pick(5, false).map((r) => r.seriesId), ['t1']);
});
