// Replies and cards name a series the way the customer knows it: the English title for English
// customers (romaji alongside where it is introduced), the Japanese title and authors for Japanese ones.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Series, Product } from '../../src/catalog/types.ts';
import type { Grounding } from '../../src/llm/types.ts';
import { composeAnswer } from '../../src/llm/compose/index.ts';
import { cardsFor } from '../../src/chat/product-cards.ts';
import { richGrounding, NOW } from './fixtures.ts';

const AOT: Series = {
  id: 'shingeki-no-kyojin',
  title: 'Shingeki no Kyojin',
  titleEn: 'Attack on Titan',
  titleJa: '進撃の巨人',
  authors: ['Hajime Isayama'],
  authorsJa: ['諫山創'],
  genres: ['Action'],
  themes: [],
  status: 'finished',
  volumeCount: 34,
};
const AOT_V1: Product = { id: 'shingeki-no-kyojin-v1', seriesId: AOT.id, volume: 1, format: 'tankobon', priceJpy: 495, stock: 3, releaseDate: '2010-03-17' };
const ROMAJI_ONLY: Series = { id: 'kuroshitsuji', title: 'Kuroshitsuji', authors: ['Yana Toboso'], genres: [], themes: [], status: 'publishing' };

function grounding(language: 'en' | 'ja', intent: Grounding['intent'], series: Series[]): Grounding {
  return { ...richGrounding(intent, language), series: series.map((s) => ({ series: s, products: s === AOT ? [AOT_V1] : [], reasons: ['search'] })), requestedVolume: undefined, promotions: [], reviews: [] };
}

describe('series named in the customer\'s language', () => {
  it('an English reply names the English title, with the romaji title alongside where it is introduced', () => {
    const text = composeAnswer(grounding('en', 'product_search', [AOT]), NOW);
    assert.match(text, /Attack on Titan \(Shingeki no Kyojin\) by Hajime Isayama/);
    const price = composeAnswer(grounding('en', 'price_availability', [AOT]), NOW);
    assert.match(price, /Attack on Titan/);
  });

  it('a Japanese reply names the Japanese title and the author in Japanese (romaji kept after it)', () => {
    const text = composeAnswer(grounding('ja', 'product_question', [AOT]), NOW);
    assert.match(text, /『進撃の巨人』は諫山創（Hajime Isayama）先生の作品/);
    assert.doesNotMatch(text, /Attack on Titan|Shingeki no Kyojin/);
  });

  it('a series with only a romaji title keeps it in both languages', () => {
    assert.match(composeAnswer(grounding('en', 'product_search', [ROMAJI_ONLY]), NOW), /Kuroshitsuji by Yana Toboso/);
    assert.match(composeAnswer(grounding('ja', 'product_search', [ROMAJI_ONLY]), NOW), /Kuroshitsuji/);
  });

  it('cards carry the English title beside the romaji and Japanese ones (null when there is none)', () => {
    const [volume] = cardsFor([{ series: AOT, products: [AOT_V1], reasons: [] }], undefined, NOW);
    assert.equal(volume.titleEn, 'Attack on Titan');
    assert.equal(volume.title, 'Shingeki no Kyojin');
    assert.equal(volume.titleJa, '進撃の巨人');
    const [listed] = cardsFor([{ series: ROMAJI_ONLY, products: [], reasons: [] }], undefined, NOW);
    assert.equal(listed.titleEn, null);
    assert.equal(listed.volume, null);
  });
});
