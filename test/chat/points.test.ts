import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE_RATE_PERCENT, pointsCampaign, pointsFor, pricedVolumes } from '../../src/chat/grounding/points.ts';
import { asksPointsEarned } from '../../src/chat/grounding/policies.ts';
import { discountedFormats, promotedPrices } from '../../src/promotions/promotion-match.ts';
import { carrierName } from '../../src/llm/compose/messages.ts';
import { chunkMarkdown } from '../../src/retrieval/documents.ts';
import type { Product } from '../../src/catalog/types.ts';
import type { Promotion } from '../../src/promotions/types.ts';

const promotions = JSON.parse(readFileSync(new URL('../../data/store/promotions.json', import.meta.url), 'utf8')) as Promotion[];
const byId = (id: string) => promotions.find((p) => p.id === id)!;
const product = (seriesId: string, volume: number, format: Product['format'], priceJpy: number): Product => ({ id: `${seriesId}-v${volume}-${format}`, seriesId, volume, format, priceJpy, stock: 3, releaseDate: '2020-01-01' });

test('the base rates are the points policy\'s: members 1 %, Prime 3 %, guests none', () => {
  const kb = readFileSync(new URL('../../data/kb/en/points.md', import.meta.url), 'utf8');
  assert.match(kb, new RegExp(`Members: ${BASE_RATE_PERCENT.member}%`));
  assert.match(kb, new RegExp(`Prime members: ${BASE_RATE_PERCENT.prime}%`));
  assert.match(kb, /Guest orders do not earn points/);
  assert.equal(BASE_RATE_PERCENT.guest, 0);
});

test('points are the subtotal times the rate times the campaign, rounded down per order', () => {
  assert.equal(pointsFor(1617, 1, 5), 80);
  assert.equal(pointsFor(1617, 3, 5), 242);
  assert.equal(pointsFor(495, 1, 3), 14);
  assert.equal(pointsFor(999, 1, 1), 9);
});

test('the campaign that applies: the series\' own or a store-wide one; a Prime-only one only for Prime; the largest, never a product of several', () => {
  const running = [byId('promo-prime-double-points'), byId('promo-frieren-points-x5'), byId('promo-sports-manga-points'), byId('promo-isekai-fair-2026')];
  assert.equal(pointsCampaign(running, 'sousou-no-frieren', 'member')?.id, 'promo-frieren-points-x5');
  assert.equal(pointsCampaign(running, 'sousou-no-frieren', 'prime')?.id, 'promo-frieren-points-x5');
  assert.equal(pointsCampaign(running, 'haikyuu', 'member')?.id, 'promo-sports-manga-points');
  assert.equal(pointsCampaign(running, 'one-piece', 'prime')?.id, 'promo-prime-double-points');
  assert.equal(pointsCampaign(running, 'one-piece', 'member'), undefined);
  // A discount is no points campaign.
  assert.equal(pointsCampaign([byId('promo-isekai-fair-2026')], 'overlord', 'member'), undefined);
});

test('the volumes priced: in the format asked, else print, else digital; a volume not sold is left out', () => {
  const products = [product('x', 1, 'tankobon', 500), product('x', 1, 'digital', 450), product('x', 2, 'digital', 460), product('x', 3, 'kanzenban', 1200)];
  assert.deepEqual(pricedVolumes(products, [1, 2, 3, 4], undefined).map((p) => p.priceJpy), [500, 460, 1200]);
  assert.deepEqual(pricedVolumes(products, [1, 2], 'digital').map((p) => p.priceJpy), [450, 460]);
});

test('a question about how many points a purchase earns, in either language, casual or polite', () => {
  for (const t of ['how many points would I get for Frieren 1-3?', 'how many points do i get if i buy haikyuu 1', 'if I buy chainsaw man 1 and 2 digital how many points would i get', 'will I earn points on this?', 'how much points does that give me', 'この注文で何ポイントつく？', 'フリーレン買ったらポイントどれくらい付く？', 'ハイキューの1巻と2巻を購入した場合、ポイントは何ポイント付きますか？', 'ブルーロック1巻だとポイントはいくつもらえますか', 'これ買ったらポイントもらえる？']) {
    assert.equal(asksPointsEarned(t), true, t);
  }
  for (const t of ['how do I use my points?', 'what is one point worth?', 'ポイントの有効期限は？', 'ポイントはどこで確認できますか？', 'how much is Frieren vol 1?']) {
    assert.equal(asksPointsEarned(t), false, t);
  }
});

test('a discount made for a series gives the promoted price of the formats it names (the kanzenban fair: kanzenban only)', () => {
  const fair = byId('promo-jump-kanzenban-fair');
  assert.deepEqual(discountedFormats(fair), ['kanzenban']);
  const volume1 = [product('dragon-ball', 1, 'kanzenban', 1155), product('dragon-ball', 1, 'tankobon', 506), product('dragon-ball', 1, 'digital', 455)];
  assert.deepEqual(promotedPrices([fair, byId('promo-welcome-2026')], volume1).map((x) => [x.product.format, x.priceJpy]), [['kanzenban', 981]]);
  // Another series' discount, a coupon with a code (a condition) and a points campaign give no price.
  assert.deepEqual(promotedPrices([byId('promo-isekai-fair-2026'), byId('promo-sports-manga-points')], volume1), []);
  assert.deepEqual(promotedPrices([byId('promo-isekai-fair-2026')], [product('overlord', 2, 'tankobon', 814)]).map((x) => x.priceJpy), [732]);
});

test('carriers are named in the reply\'s language', () => {
  assert.equal(carrierName('Yamato Transport', 'ja'), 'ヤマト運輸');
  assert.equal(carrierName('Japan Post', 'ja'), '日本郵便');
  assert.equal(carrierName('Sagawa Express', 'ja'), '佐川急便');
  assert.equal(carrierName('ヤマト運輸', 'en'), 'Yamato Transport');
  assert.equal(carrierName('Some Courier', 'en'), 'Some Courier');
});

test('an example order number in the knowledge base is written as the format, never as an order', () => {
  for (const lang of ['en', 'ja'] as const) {
    for (const page of ['order-tracking', 'contact-support']) {
      const md = readFileSync(new URL(`../../data/kb/${lang}/${page}.md`, import.meta.url), 'utf8');
      assert.match(md, /MA-\d{8}-\d{4}/);
      const text = chunkMarkdown(md, lang, page).map((d) => d.text).join('\n');
      assert.doesNotMatch(text, /MA-\d{8}-\d{4}/, `${lang}/${page}`);
      assert.match(text, /MA-YYYYMMDD-NNNN/, `${lang}/${page}`);
    }
  }
});

test('a real model gets the same figures the local engine gives: the points estimate and the promoted price', async () => {
  const { buildPrompt } = await import('../../src/llm/prompt.ts');
  const { grounding, FRIEREN } = await import('../llm/fixtures.ts');
  const frieren = byId('promo-frieren-points-x5');
  const g = grounding('faq', 'en', {
    customer: { kind: 'member', customerId: 'c' },
    pointsEstimate: { seriesId: FRIEREN.id, title: 'Frieren', items: [1, 2, 3].map((volume) => ({ volume, format: 'tankobon' as const, priceJpy: 539 })), subtotal: 1617, tier: 'member', ratePercent: 1, multiplier: 5, campaign: frieren, points: 80 },
  });
  const text = JSON.stringify(buildPrompt(g));
  assert.match(text, /POINTS ESTIMATE[^"]*80 points[^"]*¥1617 × 1% × 5 \(Frieren: 5x points\)/);
  const fair = byId('promo-jump-kanzenban-fair');
  const db = { id: 'dragon-ball', title: 'Dragon Ball', titleEn: 'Dragon Ball', titleJa: 'ドラゴンボール', authors: [], genres: [], themes: [], status: 'finished', ageRestricted: false } as never;
  const p = grounding('price_availability', 'en', { series: [{ series: db, products: [product('dragon-ball', 1, 'kanzenban', 1155)], reasons: [] }], requestedVolume: 1, promotions: [fair] });
  assert.match(JSON.stringify(buildPrompt(p)), /PROMOTED PRICE[^"]*¥981 instead of ¥1155/);
});
