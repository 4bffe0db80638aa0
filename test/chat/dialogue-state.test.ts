import { test } from 'node:test';
import assert from 'node:assert/strict';
import { picked, stateAfter } from '../../src/chat/dialogue-state.ts';
import type { Grounding } from '../../src/llm/types.ts';
import type { Series } from '../../src/catalog/types.ts';
import { richGrounding } from '../llm/fixtures.ts';

const jjk: Series = { id: 'jujutsu-kaisen', title: 'Jujutsu Kaisen', authors: ['Gege Akutami'], genres: ['Action'], themes: [], status: 'finished', volumeCount: 30, score: 8.5, popularityRank: 20 };
const jjk0: Series = { id: 'jjk-0', title: 'Tokyo Toritsu Jujutsu Koutou Senmon Gakkou', titleEn: 'Jujutsu Kaisen 0', authors: ['Gege Akutami'], genres: ['Action'], themes: [], status: 'finished', volumeCount: 1, score: 8.1, popularityRank: 127 };
const found = (text: string, series: Series[]): Grounding => ({ ...richGrounding('product_search', 'en'), text, series: series.map((s) => ({ series: s, products: [], reasons: ['search'] })) });

test('the series in play after a search is the one whose name the customer wrote out (a spin-off named in full)', () => {
  assert.equal(stateAfter(found('Do you have Jujutsu Kaisen 0?', [jjk, jjk0]), {}, undefined)?.focus, 'jjk-0');
  assert.equal(stateAfter(found('do you have jujutsu kaisen?', [jjk, jjk0]), {}, undefined)?.focus, 'jujutsu-kaisen');
  assert.equal(stateAfter(found('呪術廻戦ありますか', [jjk, jjk0]), {}, undefined)?.focus, 'jujutsu-kaisen');
});

test('an order answer leaves the order in play; a comparative choice picks by the facts', () => {
  const g: Grounding = { ...richGrounding('order_status', 'en'), orders: [{ id: 'MA-20261120-0002' } as Grounding['orders'][number]] };
  assert.equal(stateAfter(g, {}, undefined)?.orderId, 'MA-20261120-0002');
  const both = [jjk, jjk0].map((s) => ({ series: s, products: [], reasons: [] }));
  assert.equal(picked(both, { by: 'volumes', most: false }, '2026-12-07').series.id, 'jjk-0');
  assert.equal(picked(both, { by: 'volumes', most: true }, '2026-12-07').series.id, 'jujutsu-kaisen');
  assert.equal(picked(both, { by: 'rating', most: true }, '2026-12-07').series.id, 'jujutsu-kaisen');
  assert.equal(picked(both, { by: 'popularity', most: true }, '2026-12-07').series.id, 'jujutsu-kaisen');
});
