import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createChatPipeline, PIPELINE_DEPENDENCIES, type ChatRequest, type PipelineDeps } from '../../src/chat/pipeline.ts';
import type { ReplyFrame } from '../../src/chat/protocol.ts';
import type { Product, Series } from '../../src/catalog/types.ts';
import type { Grounding } from '../../src/llm/types.ts';
import type { StoredMessage } from '../../src/memory/types.ts';
import type { Intent } from '../../src/understanding/types.ts';
import { createGuards } from '../../src/resilience/registry.ts';
import { createFaultInjector } from '../../src/resilience/faults.ts';
import { extractEntities } from '../../src/understanding/entities.ts';
import { createReferenceResolver } from '../../src/understanding/references.ts';

// The pipeline with the real entity extractor and reference resolver over a catalog whose title
// search matches junk strongly, as the 15,000-series import does ("Series", "Last Game", "Next
// Life"): a follow-up that names no title is answered from the conversation all the same.

const vagabond: Series = { id: 'vagabond', title: 'Vagabond', authors: ['Takehiko Inoue'], genres: ['Action'], themes: ['Samurai'], status: 'hiatus', volumeCount: 37 };
const dungeon: Series = { id: 'dungeon-meshi', title: 'Dungeon Meshi', titleEn: 'Delicious in Dungeon', authors: ['Ryouko Kui'], genres: ['Fantasy'], themes: [], status: 'finished', volumeCount: 14 };
const junk: Series[] = ['Series', 'Last Game', 'Next Life', 'Volume'].map((title, i) => ({ id: `junk-${i}`, title, authors: ['Someone'], genres: ['Romance'], themes: [], status: 'finished' }));
const all = [vagabond, dungeon, ...junk];
const products: Product[] = [
  ...[1, 2, 37].map((v) => ({ id: `vagabond-v${v}`, seriesId: 'vagabond', volume: v, format: 'tankobon' as const, priceJpy: 800 + v, stock: 4, releaseDate: '2000-01-01' })),
  ...[1, 14].map((v) => ({ id: `dungeon-v${v}`, seriesId: 'dungeon-meshi', volume: v, format: 'tankobon' as const, priceJpy: 700 + v, stock: 2, releaseDate: '2020-01-01' })),
];

function pipeline(intentOf: (text: string) => Intent) {
  const groundings: Grounding[] = [];
  const history: StoredMessage[] = [];
  const deps: PipelineDeps = {
    classifier: { classify: (text, language) => ({ intent: intentOf(text), confidence: 0.9, language: language ?? 'en' }) },
    detectLanguage: (t) => (/[\u3040-\u30ff]/.test(t) ? 'ja' : 'en'),
    extractEntities,
    references: createReferenceResolver(),
    retriever: { search: async () => ({ hits: [], timings: { lexicalMs: 0, vectorMs: 0, rerankMs: 0 } }), upsert: async () => {}, size: () => 0 },
    catalog: {
      getSeries: async (id) => all.find((s) => s.id === id),
      getSeriesMany: async (ids) => ids.map((id) => all.find((s) => s.id === id)).filter((s): s is Series => s !== undefined),
      getProducts: async (id) => products.filter((p) => p.seriesId === id),
      getOffers: async () => [],
      getProduct: async (id) => products.find((p) => p.id === id),
      // Every query matches a junk title strongly; a title in the query matches its series better.
      searchSeries: async (q) => {
        const named = all.find((s) => [s.title, s.titleEn].some((t) => t && q.toLowerCase().includes(t.toLowerCase())) && !s.id.startsWith('junk'));
        return [...(named ? [{ series: named, score: 1, matchedOn: 'title' }] : []), { series: junk[0], score: 0.9, matchedOn: 'title' }];
      },
      allSeries: async () => all,
      counts: async () => ({ series: all.length, products: products.length }),
    },
    recommendations: { recommend: async () => [], popular: async () => [], trending: async () => [] },
    orders: { listForCustomer: async () => [], getForCustomer: async () => undefined },
    promotions: { active: async () => [] },
    reviews: { summary: async () => undefined },
    memory: {
      load: async () => history.map((m) => ({ ...m })),
      append: async (_s, m) => void history.push(...m),
      hasMessage: async () => false,
      expire: async () => 0,
      close: () => {},
    },
    engine: {
      name: 'fake',
      async *stream(g) {
        groundings.push(g);
        yield { type: 'token', text: 'ok' };
      },
    },
    guards: createGuards(PIPELINE_DEPENDENCIES, {
      faults: createFaultInjector(),
      retry: { maxRetries: 0, baseMs: 5, maxMs: 20, budget: { ratio: 0.2, minPerSec: 5, windowMs: 10_000 } },
      breaker: { failureRatio: 0.5, windowMs: 10_000, minimumRps: 2, openMs: 30_000, latencyWindowMs: 30_000, latencyMinSamples: 20 },
      bulkhead: { concurrency: 16, queue: 16, checkoutTimeoutMs: 100 },
    }),
    fallbackLists: { pick: () => [] },
    links: { search: (q) => `https://s/search?q=${q}`, orderTracking: 'https://s/orders', support: 'https://s/support' },
    deadlines: { budget: 1500, memory: 200, retrieval: 200, catalog: 200, recommendations: 200, orders: 50, promotions: 30, reviews: 30, llm: 1000, handoff: 200 },
    maxMessageChars: 200,
    minDescribedScore: 3,
  };
  const chat = createChatPipeline(deps);
  let n = 0;
  return {
    groundings,
    history,
    async say(text: string): Promise<{ g: Grounding; frames: ReplyFrame[] }> {
      const req: ChatRequest = { sessionId: 's1', messageId: `m-${++n}`, text, customer: { kind: 'guest' }, signal: new AbortController().signal };
      const frames: ReplyFrame[] = [];
      for await (const f of chat.reply(req)) frames.push(f);
      return { g: groundings.at(-1)!, frames };
    },
  };
}

const priceOrSearch = (text: string): Intent => (/how much|price|stock|volume|next|last/i.test(text) ? 'price_availability' : /finished|author|who/i.test(text) ? 'product_question' : 'product_search');

test('a follow-up that names no title wins over a strong junk title match', async () => {
  const p = pipeline(priceOrSearch);
  await p.say('Do you have Vagabond?');
  const price = await p.say('how much is volume 1?');
  assert.deepEqual(price.g.series.map((s) => s.series.id), ['vagabond']);
  assert.equal(price.g.requestedVolume, 1);
  const finished = await p.say('is the series finished?');
  assert.deepEqual(finished.g.series.map((s) => s.series.id), ['vagabond']);
  const author = await p.say('who is the author?');
  assert.deepEqual(author.g.series.map((s) => s.series.id), ['vagabond']);
});

test('the volume asked is recorded with the answer, and "is it in stock?" stays on it', async () => {
  const p = pipeline(priceOrSearch);
  await p.say('How much is Vagabond volume 2?');
  assert.equal(p.history.at(-1)?.about?.volume, 2);
  assert.equal(p.history.at(-1)?.about?.focus, 'vagabond');
  const stock = await p.say('is it in stock?');
  assert.equal(stock.g.requestedVolume, 2);
});

test('"the last volume" of a finished series is its final one; "the next volume" says there is none', async () => {
  const p = pipeline(priceOrSearch);
  await p.say('Do you have Dungeon Meshi?');
  const last = await p.say('how much is the last volume?');
  assert.deepEqual(last.g.series.map((s) => s.series.id), ['dungeon-meshi']);
  assert.equal(last.g.requestedVolume, 14);
  const next = await p.say('when does the next volume come out?');
  assert.deepEqual(next.g.volumeAsked, { ref: 'next', after: 14, none: true });
});

test('with no series in play, a question about "volume 1" asks which series instead of searching "volume"', async () => {
  const p = pipeline(priceOrSearch);
  const r = await p.say('how much is volume 1?');
  assert.equal(r.g.askWhich, true);
  assert.deepEqual(r.g.series, []);
  assert.ok(!r.frames.some((f) => f.type === 'products'));
});
