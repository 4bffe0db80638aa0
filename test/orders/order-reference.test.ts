/**
 * Which of a signed-in customer's orders a message means when it names none by number (fixer
 * orders, step 8): by a shortened Japanese title, by when it was placed, by what it held, as an
 * order of theirs inside a catalog question; and the words that make a follow-up about the order
 * in play (its carrier, its contents, its points, another one picked by kind).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asksPointsEarned, identifiesThemselves, orderKindPicked, orderPeriod, ordersNamed, speaksOfTheirOrder, type OrderItem } from '../../src/orders/order-match.ts';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { TurnContext } from '../../src/understanding/types.ts';
import { orderPolicyQuestion } from '../../src/retrieval/policy-sections.ts';
import { order } from './fixtures.ts';

const line = (productId: string, title: string) => ({ productId, title, quantity: 1, unitPriceJpy: 500 });
const MINE = [
  order('MA-20261121-0004', 'hanako', '2026-11-21T10:00:00+09:00', { lines: [line('frieren-v015', 'Frieren Vol. 15'), line('kusuriya-v015', 'The Apothecary Diaries Vol. 15')] }),
  order('MA-20261120-0002', 'hanako', '2026-11-20T10:00:00+09:00', { lines: [line('vinland-saga-v028', 'Vinland Saga Vol. 28')] }),
  order('MA-20261005-0003', 'hanako', '2026-10-05T10:00:00+09:00', { lines: [line('frieren-v013', 'Frieren Vol. 13'), line('kusuriya-v013', 'The Apothecary Diaries Vol. 13')] }),
];
const ITEMS = new Map<string, OrderItem>([
  ['frieren-v015', { seriesId: 'frieren', volume: 15, format: 'tankobon', names: ['Frieren', '葬送のフリーレン'] }],
  ['frieren-v013', { seriesId: 'frieren', volume: 13, format: 'tankobon', names: ['Frieren', '葬送のフリーレン'] }],
  ['kusuriya-v015', { seriesId: 'kusuriya', volume: 15, format: 'tankobon', names: ['The Apothecary Diaries', '薬屋のひとりごと'] }],
  ['kusuriya-v013', { seriesId: 'kusuriya', volume: 13, format: 'tankobon', names: ['The Apothecary Diaries', '薬屋のひとりごと'] }],
  ['vinland-saga-v028', { seriesId: 'vinland-saga', volume: 28, format: 'tankobon', names: ['Vinland Saga', 'ヴィンランド・サガ'] }],
]);
const ids = (r: { orders: { id: string }[] }) => r.orders.map((o) => o.id);

describe('a Japanese title shortened to one of its parts names the order holding it', () => {
  it('「フリーレン」「薬屋」「ヴィンランド」「ひとりごと」, only among their own orders', () => {
    assert.deepEqual(ordersNamed('10月に買ったフリーレンと薬屋の注文、合計いくらだった？', MINE, ITEMS).seriesIds.sort(), ['frieren', 'kusuriya']);
    assert.deepEqual(ids(ordersNamed('ヴィンランドの注文はいつ届く？', MINE, ITEMS)), ['MA-20261120-0002']);
    assert.deepEqual(ids(ordersNamed('ひとりごとの方は？', MINE, ITEMS)), ['MA-20261121-0004', 'MA-20261005-0003']);
    // No part of a title in a question that names none; a short particle run is no name.
    assert.deepEqual(ids(ordersNamed('注文した本はいつ届きますか', MINE, ITEMS)), []);
    assert.deepEqual(ids(ordersNamed('その注文について教えて', MINE, ITEMS)), []);
  });
});

describe('when an order was placed, as the customer says it', () => {
  const today = '2026-12-07';
  it('a month, a day, last month, last week, yesterday — in both languages', () => {
    assert.deepEqual(orderPeriod('what did I order back in october?', today), { from: '2026-10-01', to: '2026-10-31' });
    assert.deepEqual(orderPeriod('10月に買ったやつ', today), { from: '2026-10-01', to: '2026-10-31' });
    assert.deepEqual(orderPeriod('11月20日の注文', today), { from: '2026-11-20', to: '2026-11-20' });
    assert.deepEqual(orderPeriod('the one from Nov 20th', today), { from: '2026-11-20', to: '2026-11-20' });
    assert.deepEqual(orderPeriod('my order from the 8th of October', today), { from: '2026-10-08', to: '2026-10-08' });
    assert.deepEqual(orderPeriod('先月の注文ってどうなってる？', today), { from: '2026-11-01', to: '2026-11-30' });
    assert.deepEqual(orderPeriod('what did I order last month?', today), { from: '2026-11-01', to: '2026-11-30' });
    assert.deepEqual(orderPeriod('the one I placed last week', today), { from: '2026-11-30', to: '2026-12-06' });
    // December asked in December is this year's; January asked in December last January.
    assert.deepEqual(orderPeriod('1月の注文', today), { from: '2026-01-01', to: '2026-01-31' });
  });
  it('a day of the month alone: this month\'s when it has come, else last month\'s, with the month before as `earlier` (blind6 b6-safe-en-abuse)', () => {
    assert.deepEqual(orderPeriod('whatever. where is my order from the 19th', today), { from: '2026-11-19', to: '2026-11-19', earlier: { from: '2026-10-19', to: '2026-10-19' } });
    assert.deepEqual(orderPeriod('19日に注文したやつどうなってる？', today), { from: '2026-11-19', to: '2026-11-19', earlier: { from: '2026-10-19', to: '2026-10-19' } });
    assert.deepEqual(orderPeriod('what about the one from the 2nd?', today), { from: '2026-12-02', to: '2026-12-02', earlier: { from: '2026-11-02', to: '2026-11-02' } });
    assert.deepEqual(orderPeriod('2日の注文は？', today), { from: '2026-12-02', to: '2026-12-02', earlier: { from: '2026-11-02', to: '2026-11-02' } });
    // The 31st: the last months that had one (October, August).
    assert.deepEqual(orderPeriod('the order I placed on the 31st', today), { from: '2026-10-31', to: '2026-10-31' });
    for (const t of ['will it arrive in 3日?', '3日で届きますか', 'is the 5th volume out?', 'the 2nd one please']) assert.equal(orderPeriod(t, today), undefined, t);
  });
  it('names no time in an ordinary order question ("may I ask…" is no month)', () => {
    for (const t of ['where is my order?', 'may I ask where my order is', '注文した本はいつ届きますか', 'この前頼んだ注文まだ届かない']) assert.equal(orderPeriod(t, today), undefined, t);
  });
});

describe('what an order held, said to pick it out', () => {
  it('box sets, digital, kanzenban, print', () => {
    assert.equal(orderKindPicked('the one with the box sets')?.('box_set'), true);
    assert.equal(orderKindPicked('the one with the box sets')?.('tankobon'), false);
    assert.equal(orderKindPicked('電子版の注文は？')?.('digital'), true);
    assert.equal(orderKindPicked('紙の方は？')?.('digital'), false);
    assert.equal(orderKindPicked('where is my order?'), undefined);
  });
});

describe('an order of theirs named inside a catalog question', () => {
  it('「…の注文」, "my/the X order" — not a wish to order', () => {
    for (const t of ['ゴールデンカムイ1〜5巻の注文っていつ届いてた？', 'when did the Gantz order arrive?', 'where is my gantz order', 'ブルーロック33巻の注文はもう届いてますか']) assert.ok(speaksOfTheirOrder(t), t);
    for (const t of ['ワンピースの注文方法', 'ワンピースを注文したい', 'ワンピース113巻の注文できますか', 'can I order the box set?', 'how do I place the order', 'is the order form working']) assert.ok(!speaksOfTheirOrder(t), t);
  });
});

describe('the points a purchase earned, asked of it', () => {
  it('whether and when they come — not paying with points', () => {
    for (const t of ['did I get points for it?', 'have the points been added yet?', 'ポイントってもう付いてる？いつ付くの？', 'ポイントはもう入ってる？', 'do I get my points back?', 'ポイントは戻ってくる？']) assert.ok(asksPointsEarned(t), t);
    for (const t of ['can I use my points on it?', 'ポイントで払える？', 'how do points work?']) assert.ok(!asksPointsEarned(t), t);
  });
});

describe('a guest who gives a name instead of signing in', () => {
  it('"it\'s under John Smith, just look it up", 「佐藤花子名義です」', () => {
    for (const t of ["it's under John Smith, can't you just look it up", 'can you look me up? Emma Wilson', '佐藤花子名義で注文しました', '名前で調べてもらえますか']) assert.ok(identifiesThemselves(t), t);
    for (const t of ['is it under 2000 yen?', 'anything under 500 yen', "I'm fine"]) assert.ok(!identifiesThemselves(t), t);
  });
});

describe('follow-ups about the order in play', () => {
  const resolver = createReferenceResolver();
  const history: TurnContext[] = [
    { role: 'user', text: 'メダリストの注文は？' },
    { role: 'assistant', text: 'ご注文番号MA-20261118-0014は「発送済み」です。', about: { orderId: 'MA-20261118-0014' } },
  ];
  it('its carrier and its contents, however they are asked', () => {
    for (const [text, intent] of [['どこの配送会社で送られてる？', 'faq'], ['配達業者はどこ？', 'faq'], ['中身なんだったっけ、全部おしえて', 'chitchat']] as const) {
      const r = resolver.resolve(text, 'ja', history, intent);
      assert.equal(r.orderId, 'MA-20261118-0014', text);
      assert.equal(r.intent, 'order_status', text);
    }
  });
  it('another of their orders picked by kind or time is an order question the lookup reads (no order pinned)', () => {
    for (const [text, intent] of [['what about the digital one', 'faq'], ['電子版の方は？', 'chitchat'], ['10月のやつは？', 'product_search']] as const) {
      const r = resolver.resolve(text, 'en', history, intent);
      assert.equal(r.intent, 'order_status', text);
      assert.equal(r.orderId, undefined, text);
    }
  });
  it('"the other one", 「もう一個の方は？」: an order question the lookup reads (not the one in play pinned)', () => {
    for (const [text, intent] of [['and the other one?', 'chitchat'], ['もう一個の方は？', 'chitchat'], ['別のやつは？', 'product_search']] as const) {
      const r = resolver.resolve(text, 'en', history, intent);
      assert.equal(r.intent, 'order_status', text);
      assert.equal(r.orderId, undefined, text);
    }
  });
  it('its points are a policy question about it, not a campaign list', () => {
    assert.equal(resolver.resolve('did I get points for it?', 'en', history, 'promotion').intent, 'faq');
    assert.equal(resolver.resolve('ポイントは戻ってくる？', 'ja', history, 'promotion').intent, 'faq');
    assert.equal(resolver.resolve('any points campaigns right now?', 'en', history, 'promotion').intent, undefined);
  });
});

describe('the policy asked of an order, read for what is asked of it in its state', () => {
  it('a cancellation fee is the free-before-shipping rule (also of a cancelled order); a stalled parcel the 2-day rule; points when they are added', () => {
    assert.match(orderPolicyQuestion('キャンセルって手数料とかかかるの？', 'cancelled') ?? '', /発送前 無料/);
    assert.match(orderPolicyQuestion('is there a fee to cancel it?', 'shipped') ?? '', /refuse/);
    assert.match(orderPolicyQuestion("it's way past that date and tracking hasn't moved at all", 'shipped') ?? '', /2 days/);
    // Nothing shown yet right after shipping is not the late-parcel rule.
    assert.doesNotMatch(orderPolicyQuestion('追跡番号で調べても何も出てこない', 'shipped') ?? '', /2 days/);
    assert.match(orderPolicyQuestion('did I get points for it?', 'delivered') ?? '', /when points are added/);
  });
});
