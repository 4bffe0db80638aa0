import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asksLatestOrder, asksUndelivered, asksWhereItIs, identifiesThemselves, isOpen, orderStatusPicked, orderTitleAndVolume, orderTitleQuery, ordersNamed, type OrderItem } from '../../src/orders/order-match.ts';
import { order } from './fixtures.ts';

const line = (productId: string, title: string) => ({ productId, title, quantity: 1, unitPriceJpy: 500 });
const MINE = [
  order('MA-20261122-0017', 'john', '2026-11-22T10:00:00+09:00', { lines: [line('one-piece-v111-digital', 'One Piece Vol. 111 (Digital)')] }),
  order('MA-20261120-0002', 'john', '2026-11-20T10:00:00+09:00', { lines: [line('vinland-saga-v028', 'Vinland Saga Vol. 28')] }),
  order('MA-20261121-0013', 'john', '2026-11-21T10:00:00+09:00', { lines: [line('chi-v001', 'Orb: On the Movements of the Earth Vol. 1')] }),
  order('MA-20261005-0003', 'john', '2026-10-05T10:00:00+09:00', { lines: [line('one-piece-v100', 'One Piece Vol. 100'), line('given-v001', 'Given Vol. 1')] }),
];
const ITEMS = new Map<string, OrderItem>([
  ['one-piece-v111-digital', { seriesId: 'one-piece', volume: 111, format: 'digital', names: ['One Piece', 'ワンピース'], titleJa: 'ワンピース' }],
  ['one-piece-v100', { seriesId: 'one-piece', volume: 100, format: 'tankobon', names: ['One Piece', 'ワンピース'], titleJa: 'ワンピース' }],
  ['vinland-saga-v028', { seriesId: 'vinland-saga', volume: 28, format: 'tankobon', names: ['Vinland Saga', 'ヴィンランド・サガ'], titleJa: 'ヴィンランド・サガ' }],
  ['chi-v001', { seriesId: 'chi', volume: 1, format: 'tankobon', names: ['Chi. Chikyuu no Undou ni Tsuite', 'Orb: On the Movements of the Earth', 'チ。―地球の運動について―'] }],
  ['given-v001', { seriesId: 'given', volume: 1, format: 'tankobon', names: ['Given', 'ギヴン'], titleJa: 'ギヴン' }],
]);
const ids = (r: { orders: { id: string }[] }) => r.orders.map((o) => o.id);

describe('orders named in a message', () => {
  it('finds the order holding the series named, not the latest', () => {
    assert.deepEqual(ids(ordersNamed('when will the Vinland Saga order arrive?', MINE, ITEMS)), ['MA-20261120-0002']);
    assert.deepEqual(ids(ordersNamed('and the vinland saga one?', MINE, ITEMS)), ['MA-20261120-0002']);
  });

  it('knows a series by its Japanese title and by the head of a long English one', () => {
    assert.deepEqual(ids(ordersNamed('ヴィンランド・サガの注文はいつ届く？', MINE, ITEMS)), ['MA-20261120-0002']);
    assert.deepEqual(ids(ordersNamed('and where is the Orb one?', MINE, ITEMS)), ['MA-20261121-0013']);
  });

  it('lists every order holding the series, newest first', () => {
    assert.deepEqual(ids(ordersNamed('ワンピースの注文', MINE, ITEMS)), ['MA-20261122-0017', 'MA-20261005-0003']);
  });

  it('matches Latin names as whole words only ("forgiven" is not Given)', () => {
    assert.deepEqual(ids(ordersNamed('I was forgiven, where is my order?', MINE, ITEMS)), []);
    assert.deepEqual(ids(ordersNamed('where is my Given order?', MINE, ITEMS)), ['MA-20261005-0003']);
  });

  it('reads the series from the line title when the catalog does not know the product', () => {
    assert.deepEqual(ids(ordersNamed('my vinland saga order', MINE, new Map())), ['MA-20261120-0002']);
  });

  it('counts series a fuzzy title search found (a typo the names do not match)', () => {
    assert.deepEqual(ids(ordersNamed('vinlnd sag order', MINE, ITEMS)), []);
    assert.deepEqual(ids(ordersNamed('vinlnd sag order', MINE, ITEMS, ['vinland-saga'])), ['MA-20261120-0002']);
  });

  it('names nothing in a question about orders in general', () => {
    assert.deepEqual(ids(ordersNamed('where is my order?', MINE, ITEMS)), []);
    assert.deepEqual(ids(ordersNamed('注文状況を教えて', MINE, ITEMS)), []);
  });
});

describe('the title part of an order question', () => {
  it('is what is left once the order words are gone, in both languages', () => {
    assert.equal(orderTitleQuery('when will the Vinland Saga order arrive?'), 'Vinland Saga');
    assert.equal(orderTitleQuery('what happened to my Berserk order?'), 'Berserk');
    assert.equal(orderTitleQuery('ワンピースの予約注文はいつ届きますか？'), 'ワンピース');
    assert.equal(orderTitleQuery('スキップとローファーを注文したんですが、今どこにありますか？'), 'スキップとローファー');
    assert.equal(orderTitleQuery('フリーレンの注文はどうなっていますか'), 'フリーレン');
  });

  it('is empty when no title is named', () => {
    for (const t of ['where is my order?', 'my last order', '注文状況を教えてください', 'where is my package', 'MA-20261120-0002 status?']) assert.equal(orderTitleQuery(t), '', t);
  });
});

describe('which of their orders a message means, besides a title', () => {
  it('takes the volume named beside the title out of the title searched', () => {
    assert.deepEqual(orderTitleAndVolume('when did my order with frieren 14 in it arrive?'), { query: 'frieren', volume: 14 });
    assert.deepEqual(orderTitleAndVolume('フリーレンの13巻を頼んだ注文って、いつ届きましたっけ？'), { query: 'フリーレン', volume: 13 });
    assert.deepEqual(orderTitleAndVolume('ダンダダンの20巻が入ってた注文、いつ届いた？'), { query: 'ダンダダン', volume: 20 });
    assert.deepEqual(orderTitleAndVolume('when will the Vinland Saga order arrive?'), { query: 'Vinland Saga' });
    assert.deepEqual(orderTitleAndVolume('where is my order?'), { query: '' });
  });

  it('asks which orders have not arrived: in general, not of the one in play', () => {
    for (const t of ["which of my orders haven't arrived yet?", 'anything of mine still on the way?', 'any orders not delivered yet?', 'is anything of mine still in transit?', 'do I have anything that hasn\'t shown up yet?', 'まだ届いていない注文をぜんぶ教えてください', 'じゃあ今届いてない注文はある？', '未着の注文ありますか']) assert.ok(asksUndelivered(t), t);
    for (const t of ['any new Spy x Family volume on the way?', 'is anything new coming soon?', "it hasn't arrived yet", 'has it arrived?', 'where is my order', 'その注文まだ届いてない', "my Vinland Saga order hasn't arrived", '届いてないんだけど']) assert.ok(!asksUndelivered(t), t);
  });

  it('an open order is one still to reach them', () => {
    const at = (status: string) => order('MA-20261201-0001', 'x', '2026-12-01T10:00:00+09:00', { status: status as never });
    assert.deepEqual(['pending_payment', 'processing', 'shipped', 'out_for_delivery', 'delivered', 'cancelled', 'returned'].map((s) => isOpen(at(s))), [true, true, true, true, false, false, false]);
  });

  it('picks an order by the state it is in, said of it, never asked of it', () => {
    assert.deepEqual(orderStatusPicked("what's in the one that shipped?"), ['shipped', 'out_for_delivery']);
    assert.deepEqual(orderStatusPicked('発送済みのほうの追跡番号は？'), ['shipped', 'out_for_delivery']);
    assert.deepEqual(orderStatusPicked('tracking for the one out for delivery'), ['out_for_delivery']);
    assert.deepEqual(orderStatusPicked('the delivered one, when did it come?'), ['delivered']);
    assert.deepEqual(orderStatusPicked('キャンセルした注文の中身は？'), ['cancelled']);
    assert.deepEqual(orderStatusPicked('届いたほうは？'), ['delivered']);
    for (const t of ['has it shipped?', 'has the order arrived?', 'when will the order arrive', 'the one before that', 'where is my order']) assert.equal(orderStatusPicked(t), undefined, t);
  });

  it('knows a latest-order question, a where-is question and a customer naming themselves', () => {
    assert.ok(asksLatestOrder('and what was my last order?'));
    assert.ok(asksLatestOrder('最新の注文は？'));
    assert.ok(!asksLatestOrder('the last volume of One Piece'));
    assert.ok(asksWhereItIs('メダリストのは今どこ？'));
    assert.ok(asksWhereItIs('メダリストのはどうなってますか？'));
    assert.ok(!asksWhereItIs('メダリストは何巻まで出てますか？'));
    for (const t of ["I'm John Smith, john.smith@example.com", 'my name is Emma Wilson', '田中です', '名前は佐藤花子です', 'john@example.com']) assert.ok(identifiesThemselves(t), t);
    for (const t of ["i'm fine thanks", "I'm 25", 'this is ridiculous', "I'm looking for One Piece"]) assert.ok(!identifiesThemselves(t), t);
  });
});
