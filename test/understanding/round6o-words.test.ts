/**
 * Words that kept an order or a preorder question from its answer (round 6, orders/preorders/
 * promotions): how a thing stands and when it comes out read whole in a title query; the carrier
 * asked of the order in play however it is put; what a customer says beside a title in a
 * promotion question ("I've been eyeing …").
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { titleQuery } from '../../src/chat/title-query.ts';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import { promotionTitleQuery } from '../../src/promotions/promotion-match.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

describe('a title query without how a thing stands or when it comes out', () => {
  it('「…の15巻の方はどうなってますか」「…っていつ出ますか」 leave the title alone', () => {
    for (const [t, q] of [
      ['フリーレンの15巻の方はどうなってますか？', 'フリーレン'],
      ['フリーレンの次の巻っていつ出ますか？', 'フリーレン'],
      ['ワンピースの次の巻はいつ出るの？', 'ワンピース'],
      ['鬼滅の刃の最新刊いつ発売されますか', '鬼滅の刃'],
      ['ナルトってどうですか', 'ナルト'],
    ]) assert.equal(titleQuery(t), q, t);
  });

  it('a 方 inside a title stays', () => {
    assert.equal(titleQuery('彼方のアストラの方は？'), '彼方のアストラ');
  });
});

describe('the carrier of the order in play, however it is asked', () => {
  const history = [
    { role: 'user', text: 'did my Orb order ship? I need the tracking number' },
    { role: 'assistant', text: 'Order MA-20261121-0013 (placed Nov 21, 2026: …) is shipped.', about: { orderId: 'MA-20261121-0013' } },
  ] as TurnContext[];
  const resolver = createReferenceResolver();

  it('"and which company is delivering it", "who is delivering it?": that order', () => {
    for (const t of ['and which company is delivering it', 'who is delivering it?', 'which delivery company?']) {
      const r = resolver.resolve(t, 'en', history, 'product_question');
      assert.equal(r.orderId, 'MA-20261121-0013', t);
      assert.equal(r.intent, 'order_status', t);
    }
  });

  it('"which company publishes it?" is no question about the parcel', () => {
    assert.notEqual(resolver.resolve('which company publishes it?', 'en', history, 'product_question').via, 'order');
  });
});

describe('a promotion question that says more than its title', () => {
  it('"I\'ve been eyeing X", "thinking of starting X": the title', () => {
    assert.equal(promotionTitleQuery("I've been eyeing Mushoku Tensei"), 'Mushoku Tensei');
    assert.equal(promotionTitleQuery('thinking of starting Frieren'), 'Frieren');
  });
});

describe('the original a spin-off comes from is another series', () => {
  it('「本編のGANTZは全何巻？」 and "and the original Gantz?" after Gantz:G are not about Gantz:G', () => {
    const history = [
      { role: 'user', text: 'Gantz:Gって何巻まで出てますか' },
      { role: 'assistant', text: '『Gantz:G』はHiroya Oku先生・Keita Iizuka先生の作品で、全3巻で完結しています。', seriesIds: ['gantz-g'], about: { focus: 'gantz-g' } },
    ] as TurnContext[];
    const resolver = createReferenceResolver();
    for (const t of ['本編のGANTZは全何巻？', 'and the original Gantz?']) assert.notEqual(resolver.resolve(t, 'ja', history, 'product_question').seriesId, 'gantz-g', t);
    assert.equal(resolver.resolve('GANTZは全何巻？', 'ja', history, 'product_question').seriesId, 'gantz-g');
  });
});
