/**
 * The order a signed-in customer means when they name it by when they placed it, what it held,
 * a shortened title, or as "the … order" inside a question about a title; and what they then ask
 * of it (its carrier, its points, a stalled parcel, a cancellation fee). Through the real service
 * on the suite's day (2026-12-07), in both languages. (Fixer orders, step 8: each case fails on b12586a.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';

const service = useChatService({ clock: true });

/** Plays `turns` as `customer` (or a guest) in one chat, on the suite's day; returns each reply's text. */
const chat = async (customer: string, turns: string[]) => (await service.chat(customer, turns)).map((r) => r.text);

const orderNumbers = (text: string) => [...text.matchAll(/MA-\d{8}-\d{4}/g)].map((m) => m[0]);

describe('an order named by when it was placed or what it held', () => {
  it('"my order from the 8th of October", then "and the digital one?": each the order that fits, not the latest', async () => {
    const [first, second] = await chat('cust-1002', ['can you show me my order from the 8th of October?', 'and the digital one?']);
    assert.equal(orderNumbers(first)[0], 'MA-20261008-0001');
    assert.match(first, /Haikyuu!! Box Set 1/);
    assert.equal(orderNumbers(second)[0], 'MA-20261122-0017');
  });

  it('「先月の注文」: every order of last month described, not the latest with the rest as a side line', async () => {
    const [r] = await chat('cust-1004', ['先月の注文って今どんな感じ？']);
    assert.match(r, /2件/);
    assert.deepEqual(orderNumbers(r), ['MA-20261123-0003', 'MA-20261118-0014']);
    assert.match(r, /メダリスト 13巻/);
  });

  it('a shortened title and a month (「10月に頼んだフリーレンのやつ」), then its carrier asked as 宅配会社', async () => {
    const [first, second] = await chat('cust-1001', ['10月に頼んだフリーレンのやつ、いくらだったっけ', 'どこの宅配会社で来た？']);
    assert.equal(orderNumbers(first)[0], 'MA-20261005-0003');
    assert.match(first, /2,970円/);
    assert.ok(!orderNumbers(first).includes('MA-20261121-0004'), 'the November order holding Frieren is not the one meant');
    assert.equal(orderNumbers(second)[0], 'MA-20261005-0003');
    assert.match(second, /ヤマト運輸/);
  });
});

describe('an order of theirs named inside a question about a title', () => {
  it('「ブルーロック33巻の注文はもう届いてますか」 is that order, not the volume\'s price; its points then are said to be in', async () => {
    const [first, second] = await chat('cust-1003', ['ブルーロック33巻の注文はもう届いてますか', 'その分のポイントはもう入ってる？']);
    assert.equal(orderNumbers(first)[0], 'MA-20261015-0009');
    assert.match(first, /配達完了/);
    assert.match(second, /ポイントはすでに付与されています/);
  });

  it('"did I get points for it?" after an order is its points, not the campaign list', async () => {
    const [, second] = await chat('cust-1005', ["when did my Witch Hat Atelier order get here?", 'did I get points for it?']);
    assert.match(second, /points have already been added/);
    assert.doesNotMatch(second, /we have these promotions/);
  });
});

describe('what is asked of the order in play, answered for it', () => {
  it('a parcel past its date whose tracking has not moved: the 2-day rule and an investigation', async () => {
    const [, second] = await chat('cust-1004', ['メダリストの注文どうなってる？', '予定日もう何日も過ぎてるのに追跡が全然動かないんだけど']);
    assert.match(second, /2日以上過ぎても追跡情報が更新されない/);
  });

  it('a fee to cancel an order not yet shipped: free of charge', async () => {
    const [, second] = await chat('cust-1004', ['how is my Given order doing?', 'is there a fee if I cancel it?']);
    assert.match(second, /free of charge/);
  });

  it('the rule for a state none of their orders is in: "the order that\'s already shipped" with nothing shipped', async () => {
    const [r] = await chat('cust-1003', ["the order that's already shipped, can I still cancel it?"]);
    assert.match(r, /Shipped orders cannot be cancelled/);
    assert.ok(!/free of charge/.test(r), 'not their unpaid order\'s free cancellation');
  });

  it('"and the other one?" / 「もう一個の方は？」 after one order was shown: the next of theirs, not the same one again', async () => {
    const [, en] = await chat('cust-1002', ['where is my order?', 'and the other one?']);
    assert.equal(orderNumbers(en)[0], 'MA-20261120-0002');
    const [, ja] = await chat('cust-1004', ['メダリストの注文は？', 'もう一個の方は？']);
    assert.equal(orderNumbers(ja)[0], 'MA-20261123-0003');
  });

  it('the points used on a returned order, asked as 「ポイントは戻ってくる？」: that order\'s rule', async () => {
    const [, r] = await chat('cust-1002', ['ベルセルクの注文って返金どうなった？', 'ポイントは戻ってくる？']);
    assert.equal(orderNumbers(r)[0], 'MA-20261027-0015');
    assert.match(r, /使用したポイントはお客さまのアカウントへ戻り/);
  });

  it('a guest who gives a name instead of signing in is asked to sign in again', async () => {
    const [, second] = await chat('guest', ["where's my order?", "it's under Emma Wilson, just look it up"]);
    assert.match(second, /sign in/);
  });
});
