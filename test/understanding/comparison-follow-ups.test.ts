import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import { picked, stateAfter } from '../../src/chat/dialogue-state.ts';
import type { Series } from '../../src/catalog/types.ts';
import type { Grounding, SeriesWithProducts } from '../../src/llm/types.ts';
import type { Intent, TurnContext } from '../../src/understanding/types.ts';

// After a comparison the conversation holds every series compared: "the older one", 「新しいほう」,
// "the finished one - …" pick one of them by the store's facts; "and which is older?" asks the
// comparison again.

const resolver = createReferenceResolver();
const resolve = (text: string, history: TurnContext[], intent?: Intent) => resolver.resolve(text, /[\u3040-\u30ff\u3400-\u9fff]/.test(text) ? 'ja' : 'en', history, intent);

const compared: TurnContext[] = [
  { role: 'user', text: 'Slam Dunk or Haikyuu, which came first?' },
  { role: 'assistant', text: 'Slam Dunk is the older of the two: it began in 1990, Haikyuu in 2012.', seriesIds: ['slam-dunk', 'haikyuu'], about: { compared: ['slam-dunk', 'haikyuu'] } },
];

test('after a comparison, the older or newer one is picked by when it began, in both languages', () => {
  const older = { by: 'started', most: false };
  const newer = { by: 'started', most: true };
  const cases: [string, Intent, { by: string; most: boolean }, number | undefined][] = [
    ['ok how much is vol 1 of the older one', 'price_availability', older, 1],
    ['the oldest one, is volume 2 in stock?', 'price_availability', older, 2],
    ['I want the one that came out first. vol 3 price?', 'product_search', older, 3],
    ['the newer one then - is vol 1 in stock?', 'price_availability', newer, 1],
    ['how much is the first volume of the more recent one?', 'chitchat', newer, 1],
    ['古いほうの1巻の在庫は？', 'price_availability', older, 1],
    ['先に始まったほうの2巻いくら？', 'price_availability', older, 2],
    ['新しいほうの1巻の在庫ある？', 'chitchat', newer, 1],
    ['新しいほうは何巻で完結していますか？', 'product_question', newer, undefined],
    ['後に始まった方を買います', 'product_question', newer, undefined],
  ];
  for (const [text, intent, pick, volume] of cases) {
    const r = resolve(text, compared, intent);
    assert.deepEqual(r.pick, pick, `${text}: ${JSON.stringify(r)}`);
    assert.deepEqual(r.seriesIds, ['slam-dunk', 'haikyuu'], text);
    assert.equal(r.volume, volume, text);
  }
});

test('a dash beside a pick is no title ("the finished one - is volume 2 in stock?")', () => {
  const r = resolve('the finished one - is volume 2 in stock?', compared, 'price_availability');
  assert.deepEqual(r.pick, { by: 'finished', most: true });
  assert.equal(r.volume, 2);
});

test('"and which is older?" after a comparison asks it again about the same series', () => {
  for (const text of ['and which is older?', 'which one came out first?', 'which is newer?', 'どっちが古い？', 'どちらが先に始まりましたか？']) {
    const r = resolve(text, compared, 'product_question');
    assert.equal(r.comparing, true, `${text}: ${JSON.stringify(r)}`);
    assert.deepEqual(r.seriesIds, ['slam-dunk', 'haikyuu'], text);
  }
});

test('the series a pick by start date chooses, from the catalog dates', () => {
  const s = (id: string, startDate?: string): SeriesWithProducts => ({ series: { id, title: id, authors: [], genres: [], themes: [], status: 'finished', startDate } as Series, products: [], reasons: [] });
  const all = [s('haikyuu', '2012-02-20'), s('slam-dunk', '1990-10-01'), s('unknown')];
  assert.equal(picked(all, { by: 'started', most: false }, '2026-12-07').series.id, 'slam-dunk');
  assert.equal(picked(all, { by: 'started', most: true }, '2026-12-07').series.id, 'haikyuu');
});

test('"the former" / 「後者」 after a comparison is one of the series compared, by its place', () => {
  const cases: [string, string, number | undefined][] = [
    ['the former - is volume 2 in stock?', 'slam-dunk', 2],
    ['the latter, how much is vol 3?', 'haikyuu', 3],
    ['前者の1巻は在庫ありますか？', 'slam-dunk', 1],
    ['後者にします。3巻いくら？', 'haikyuu', 3],
  ];
  for (const [text, id, volume] of cases) {
    const r = resolve(text, compared, 'price_availability');
    assert.equal(r.seriesId, id, `${text}: ${JSON.stringify(r)}`);
    assert.equal(r.volume, volume, text);
    assert.equal(r.titleFree, true, text);
  }
});

const afterPick: TurnContext[] = [
  ...compared,
  { role: 'user', text: 'ok the older one then, vol 1 price?' },
  { role: 'assistant', text: "Here's Vol. 1 of Slam Dunk", seriesIds: ['slam-dunk'], about: { focus: 'slam-dunk', volume: 1, pickedFrom: ['slam-dunk', 'haikyuu'] } },
];

test('after an answer about one of the series compared, "the other one" and another pick still choose among them', () => {
  for (const [text, volume] of [['and the other one?', 1], ["what about the other one's vol 2?", 2], ['もう一方は？', 1], ['もう片方の3巻は？', 3]] as const) {
    const r = resolve(text, afterPick, 'chitchat');
    assert.equal(r.seriesId, 'haikyuu', `${text}: ${JSON.stringify(r)}`);
    assert.equal(r.volume, volume, text);
    assert.deepEqual(r.chosenFrom, ['slam-dunk', 'haikyuu'], text);
  }
  const newer = resolve('and the newer one?', afterPick, 'product_question');
  assert.deepEqual(newer.pick, { by: 'started', most: true });
  assert.equal(newer.volume, 1);
  // A plain follow-up stays on the series answered; no comparison again.
  const inStock = resolve('is it in stock?', afterPick, 'price_availability');
  assert.equal(inStock.seriesId, 'slam-dunk');
  assert.equal(inStock.comparing, undefined);
});

test('the state after a choice among series compared keeps them', () => {
  const s = (id: string): SeriesWithProducts => ({ series: { id, title: id, authors: [], genres: [], themes: [], status: 'finished' } as Series, products: [], reasons: [] });
  const g = { intent: 'price_availability', language: 'en', text: 'the older one, vol 1?', history: [], customer: { kind: 'guest' }, series: [s('slam-dunk')], requestedVolume: 1, passages: [], orders: [], promotions: [], reviews: [], degraded: [], links: { search: '', orderTracking: '', support: '' } } as unknown as Grounding;
  const about = stateAfter(g, { seriesId: 'slam-dunk', chosenFrom: ['slam-dunk', 'haikyuu'], titleFree: true }, undefined);
  assert.deepEqual(about, { focus: 'slam-dunk', volume: 1, pickedFrom: ['slam-dunk', 'haikyuu'] });
});

test('after an answer about a volume of one of them, a question about the other one\'s author is no volume question', () => {
  for (const text of ["who's the author of the newer one?", '新しいほうの作者は？', 'who wrote the other one?']) {
    const r = resolve(text, afterPick, 'product_question');
    assert.equal(r.volume, undefined, `${text}: ${JSON.stringify(r)}`);
    assert.ok(r.intent === undefined || r.intent === 'product_question', text);
  }
});
