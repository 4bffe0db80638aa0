/** Which policy answers the semantic cache may replay: keyed by the section answered, never one tied to this conversation, a campaign or the customer's figures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAnchor } from '../../src/chat/pipeline.ts';
import type { Grounding } from '../../src/llm/types.ts';

const section = (id: string) => ({ doc: { id, kind: 'kb' as const, language: 'en' as const, title: 'Shipping — Domestic shipping fees', text: '- Orders under ¥2,000 cost ¥350.', ref: 'shipping' }, score: 3 });
function faq(text: string, over: Partial<Grounding> = {}): Grounding {
  return {
    intent: 'faq', language: 'en', text, history: [], customer: { kind: 'guest' }, series: [], passages: [section('kb:en/shipping#1')], orders: [], promotions: [], reviews: [], degraded: [],
    links: { search: 's', orderTracking: 'o', support: 'u' }, ...over,
  };
}

test('a policy answer is cached under the section it answers, so two questions about one page keep their own answers', () => {
  assert.deepEqual(answerAnchor(faq('how much is shipping?'), false), { kind: 'faq', language: 'en', topic: 'kb:en/shipping#1', audience: 'guest' });
  assert.equal((answerAnchor(faq('shipping to the US?', { passages: [section('kb:en/shipping#3')] }), false) as { topic: string }).topic, 'kb:en/shipping#3');
});

test('not cached: an elliptical follow-up, an answer with a running campaign, an answer to the customer\'s own amount', () => {
  const history = [{ role: 'user' as const, text: 'how much is shipping?', messageId: 'm1', at: 1 }];
  assert.equal(answerAnchor(faq('and for Prime members?', { history }), true), undefined);
  const promo = { id: 'p', title: 'Free shipping', titleJa: '送料無料', description: 'd', descriptionJa: 'd', kind: 'free_shipping', seriesIds: [], startsAt: '2026-11-20T00:00:00+09:00', endsAt: '2026-12-25T23:59:59+09:00' };
  assert.equal(answerAnchor(faq('how much is shipping?', { promotions: [promo] }), false), undefined);
  assert.equal(answerAnchor(faq("I'm buying ¥1,200 worth, how much is shipping?"), false), undefined);
});

test('not cached: the points a purchase earns (that series\' live prices at this customer\'s rate)', () => {
  const pointsEstimate = { seriesId: 'sousou-no-frieren', title: 'Frieren', items: [{ volume: 1, format: 'tankobon' as const, priceJpy: 539 }], subtotal: 539, tier: 'member' as const, ratePercent: 1, multiplier: 1, points: 5 };
  assert.equal(answerAnchor(faq('how many points would I get for Frieren 1?', { pointsEstimate }), false), undefined);
  assert.notEqual(answerAnchor(faq('how many points would I get for Frieren 1?'), false), undefined);
});
