import { it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPrompt } from '../../src/llm/prompt.ts';
import type { Grounding } from '../../src/llm/types.ts';
import type { Product } from '../../src/catalog/types.ts';
import { richGrounding, NOW, ONE_PIECE } from './fixtures.ts';

// A model answering "is digital cheaper?" is given each way to buy what was asked, added up: it
// cannot sum the live prices of a series from the few product lines it is shown.
const product = (volume: number, format: Product['format'], priceJpy: number, stock = 3): Product => ({ id: `op-${format}-${volume}`, seriesId: 'one-piece', volume, format, priceJpy, stock, releaseDate: '2020-01-01' });
const products = [product(1, 'tankobon', 500, 0), product(2, 'tankobon', 500), product(1, 'digital', 450), product(2, 'digital', 450)];

it('tells the model which way of buying is cheaper, for the volume asked and for the whole series', () => {
  const base = richGrounding('price_availability', 'en');
  const one: Grounding = { ...base, series: [{ series: ONE_PIECE, products }], requestedVolume: 2, requestedVolumes: undefined, cheaperAsked: true };
  assert.match(buildPrompt(one, { now: NOW }).system, /WHICH WAY OF BUYING VOLUME 2 IS CHEAPER: digital ¥450 \(1 volume\), tankobon ¥500 \(1 volume\)/);
  const all: Grounding = { ...one, requestedVolume: undefined, wholeSeries: true };
  assert.match(buildPrompt(all, { now: NOW }).system, /WHICH WAY OF BUYING EVERY RELEASED VOLUME IS CHEAPER: digital ¥900 \(2 volumes\), tankobon ¥1000 \(2 volumes; out of stock: vol 1\)/);
});
