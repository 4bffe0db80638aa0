import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createSemanticCache, cacheableAnswer, type AnswerAnchor } from '../../src/cache/semantic/semantic-cache.ts';
import { createInProcessSemanticStore } from '../../src/cache/semantic/in-process-semantic-store.ts';
import { createHashingEmbedder } from '../../src/retrieval/hashing-embedder.ts';
import { answerAnchor } from '../../src/chat/pipeline.ts';
import type { Grounding } from '../../src/llm/types.ts';
import type { SemanticStore } from '../../src/cache/types.ts';

const embedder = createHashingEmbedder();
const embed = async (text: string) => (await embedder.embed([text]))[0];

function cacheWith(store: SemanticStore, version = 'v1', events: string[] = []) {
  return createSemanticCache({ store, embed, threshold: 0.9, lookupTimeoutMs: 1000, writeTimeoutMs: 1000, version, events: (r) => events.push(r) });
}

const store = () => createInProcessSemanticStore({ ttlMs: 60_000, maxPerPartition: 8, maxEntries: 100 });
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
const returns: AnswerAnchor = { kind: 'faq', language: 'en', topic: 'returns', audience: 'guest' };
const onePiece: AnswerAnchor = { kind: 'pq', language: 'en', seriesId: 'one-piece', audience: 'guest' };

describe('semantic cache', () => {
  test('answers a question that means the same within its partition only', async () => {
    const cache = cacheWith(store());
    cache.remember(returns, 'What is your return policy?', 'Returns within 30 days.');
    await settle();
    assert.equal((await cache.lookup(returns, 'what is your return policy'))?.answer, 'Returns within 30 days.');
    assert.equal(await cache.lookup({ ...returns, topic: 'shipping' }, 'What is your return policy?'), undefined);
    assert.equal(await cache.lookup({ ...returns, language: 'ja' }, 'What is your return policy?'), undefined);
    assert.equal(await cache.lookup(returns, 'Can I pay with a credit card?'), undefined);
  });

  test("an answer written for one customer tier is never replayed to another (a model knows who asks)", async () => {
    const cache = cacheWith(store());
    cache.remember({ ...returns, audience: 'prime' }, 'Do I pay for shipping?', 'As a Prime member your shipping is free.');
    await settle();
    assert.equal((await cache.lookup({ ...returns, audience: 'prime' }, 'Do I pay for shipping?'))?.answer, 'As a Prime member your shipping is free.');
    for (const audience of ['guest', 'member'] as const) assert.equal(await cache.lookup({ ...returns, audience }, 'Do I pay for shipping?'), undefined, audience);
  });

  test("a series' answers are forgotten in every tier when its data changes", async () => {
    const cache = cacheWith(store());
    for (const audience of ['guest', 'prime'] as const) cache.remember({ ...onePiece, audience }, 'Who wrote One Piece?', 'Eiichiro Oda.');
    await settle();
    await cache.forgetTags(['series:one-piece']);
    for (const audience of ['guest', 'prime'] as const) assert.equal(await cache.lookup({ ...onePiece, audience }, 'Who wrote One Piece?'), undefined, audience);
  });

  test('answers of another version (knowledge base, engine) are never replayed', async () => {
    const shared = store();
    cacheWith(shared, 'v1').remember(returns, 'What is your return policy?', 'Old answer.');
    await settle();
    assert.equal(await cacheWith(shared, 'v2').lookup(returns, 'What is your return policy?'), undefined);
  });

  test('a series answer is keyed by the promotions it saw', async () => {
    const cache = cacheWith(store());
    cache.remember({ ...onePiece, promotions: ['promo-a'] }, 'Who wrote One Piece?', 'Eiichiro Oda. Promo A runs now.');
    await settle();
    assert.ok(await cache.lookup({ ...onePiece, promotions: ['promo-a'] }, 'Who wrote One Piece?'));
    assert.equal(await cache.lookup({ ...onePiece, promotions: [] }, 'Who wrote One Piece?'), undefined, 'promotion ended');
    assert.equal(await cache.lookup({ ...onePiece, promotions: ['promo-a', 'promo-b'] }, 'Who wrote One Piece?'), undefined, 'promotion started');
  });

  test('data-change tags drop the partitions grounded on that data', async () => {
    const cache = cacheWith(store());
    cache.remember({ ...onePiece, promotions: ['p'] }, 'Who wrote One Piece?', 'Eiichiro Oda.');
    cache.remember({ ...onePiece, seriesId: 'naruto' }, 'Who wrote Naruto?', 'Masashi Kishimoto.');
    cache.remember(returns, 'What is your return policy?', 'Returns within 30 days.');
    await settle();
    await cache.forgetTags(['catalog', 'series:one-piece']);
    assert.equal(await cache.lookup({ ...onePiece, promotions: ['p'] }, 'Who wrote One Piece?'), undefined);
    assert.ok(await cache.lookup({ ...onePiece, seriesId: 'naruto' }, 'Who wrote Naruto?'));
    assert.ok(await cache.lookup(returns, 'What is your return policy?'));
    await cache.forgetTags(['kb']);
    assert.equal(await cache.lookup(returns, 'What is your return policy?'), undefined);
    await cache.forgetTags(['catalog:all']);
    assert.equal(await cache.lookup({ ...onePiece, seriesId: 'naruto' }, 'Who wrote Naruto?'), undefined);
  });

  test('refuses to keep live data in a series answer and the customer\'s own details in any', async () => {
    const events: string[] = [];
    const cache = cacheWith(store(), 'v1', events);
    cache.remember(onePiece, 'Who wrote One Piece?', 'Eiichiro Oda. Vol. 107 is ¥528, in stock.');
    cache.remember(returns, 'What is your return policy?', 'Hello Aiko, returns are free.', { personal: ['Aiko'] });
    await settle();
    assert.deepEqual(events, ['refused', 'refused']);
    // Policy text may quote policy numbers and general stock wording: it is not live data.
    cache.remember(returns, 'Is shipping free?', 'Free shipping over ¥3,500; we replace damaged items if in stock.');
    await settle();
    assert.deepEqual(events, ['refused', 'refused', 'stored']);
  });

  test('threshold 1 still matches an exact repeat (float32 rounding)', async () => {
    const exact = createSemanticCache({ store: store(), embed, threshold: 1, lookupTimeoutMs: 1000, writeTimeoutMs: 1000, version: 'v1' });
    for (const q of ['What is your return policy?', '返品ポリシーを教えてください', 'Can I change my delivery address after ordering?']) {
      exact.remember(returns, q, 'Answer.');
      await settle();
      assert.ok(await exact.lookup(returns, q), q);
    }
  });

  test('a failing store is a miss, never an error', async () => {
    const events: string[] = [];
    const broken: SemanticStore = {
      name: 'broken',
      nearest: async () => { throw new Error('redis down'); },
      add: async () => { throw new Error('redis down'); },
      dropPartitions: async () => {},
      close: async () => {},
    };
    const cache = cacheWith(broken, 'v1', events);
    assert.equal(await cache.lookup(returns, 'What is your return policy?'), undefined);
    cache.remember(returns, 'What is your return policy?', 'Returns within 30 days.');
    await settle();
    assert.deepEqual(events, ['error', 'store_error']);
  });
});

describe('cacheableAnswer', () => {
  for (const text of ['Vol. 3 is ¥506.', '3巻は506円です。', 'It is out of stock.', '在庫があります。', '売り切れです。', 'Costs 528 yen.']) {
    test(`refuses live data: ${text}`, () => assert.equal(cacheableAnswer(text), false));
  }
  test('keeps plain series facts', () => assert.equal(cacheableAnswer('One Piece by Eiichiro Oda is ongoing, with 112 volumes so far.'), true));
  // The local engine's Japanese series answers end with an offer to look stock up: not stock data.
  test('keeps an offer to look prices and stock up', () => assert.equal(cacheableAnswer('気になる巻がございましたら、価格や在庫もお調べいたします。'), true));
  for (const text of ['在庫がございます。', '在庫切れです。', '在庫わずかです。']) {
    test(`refuses Japanese stock data: ${text}`, () => assert.equal(cacheableAnswer(text), false));
  }
  test('refuses an empty answer', () => assert.equal(cacheableAnswer('  '), false));
});

describe('answerAnchor (which answers may be cached)', () => {
  const base = (over: Partial<Grounding>): Grounding => ({
    intent: 'faq',
    language: 'en',
    text: 'q',
    history: [],
    customer: { kind: 'guest' },
    series: [],
    passages: [{ doc: { id: 'kb:returns#0', kind: 'kb', language: 'en', title: 'Returns', text: '...', ref: 'returns' }, score: 1 }],
    orders: [],
    promotions: [],
    reviews: [],
    degraded: [],
    links: { search: '', orderTracking: '', support: '' },
    ...over,
  });
  const series = (id: string, ageRestricted = false) => ({ series: { id, title: id, authors: [], genres: [], themes: [], status: 'finished' as const, ageRestricted }, products: [] });

  test('a policy answer is anchored on its top topic', () => {
    // Keyed by the section that answered (its document id), not the whole page.
    assert.deepEqual(answerAnchor(base({}), false), { kind: 'faq', language: 'en', topic: 'kb:returns#0', audience: 'guest' });
    assert.equal(answerAnchor(base({ customer: { kind: 'prime', customerId: 'c-1' } }), false)?.audience, 'prime');
    assert.equal(answerAnchor(base({ passages: [] }), false), undefined);
  });
  test('a series answer on its series and the promotions it saw', () => {
    const g = base({ intent: 'product_question', series: [series('one-piece')], promotions: [{ id: 'p1' } as Grounding['promotions'][number]] });
    assert.deepEqual(answerAnchor(g, false), { kind: 'pq', language: 'en', seriesId: 'one-piece', promotions: ['p1'], audience: 'guest' });
  });
  test('never: other intents, history-resolved questions, volumes, several or age-restricted series, degraded answers, orders', () => {
    for (const intent of ['price_availability', 'order_status', 'recommendation', 'product_search', 'escalation', 'chitchat'] as const) {
      assert.equal(answerAnchor(base({ intent, series: [series('one-piece')] }), false), undefined, intent);
    }
    const pq = (over: Partial<Grounding>) => base({ intent: 'product_question', series: [series('one-piece')], ...over });
    assert.equal(answerAnchor(pq({}), true), undefined, 'resolved from history');
    assert.equal(answerAnchor(pq({ requestedVolume: 3 }), false), undefined, 'volume');
    assert.equal(answerAnchor(pq({ series: [series('a'), series('b')] }), false), undefined, 'two series');
    assert.equal(answerAnchor(pq({ series: [series('berserk', true)] }), false), undefined, 'age-restricted');
    assert.equal(answerAnchor(pq({ degraded: ['catalog'] }), false), undefined, 'degraded');
    assert.equal(answerAnchor(base({ degraded: ['retrieval'] }), false), undefined, 'degraded faq');
    assert.equal(answerAnchor(base({ needsSignIn: true }), false), undefined, 'sign-in');
  });
});
