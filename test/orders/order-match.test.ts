import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { orderTitleQuery, ordersNamed, type OrderItem } from '../../src/orders/order-match.ts';
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
