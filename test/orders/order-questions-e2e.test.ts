/** Order questions through the real service: the order the customer means, theirs only, in their language. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';

const service = useChatService();

/** Asks as `customer` (a demo customer id, or guest) over POST /v1/chat; returns the reply's intent and text. */
const ask = (customer: string, text: string) => service.post(customer, text);

const orderNumbers = (text: string) => [...text.matchAll(/MA-\d{8}-\d{4}/g)].map((m) => m[0]);

describe('order questions that name a title', () => {
  it('shows the order holding the title named, not the latest one, with its status, estimate and tracking link', async () => {
    const r = await ask('cust-1002', 'when will the Vinland Saga order arrive?');
    assert.equal(orderNumbers(r.text)[0], 'MA-20261120-0002');
    assert.match(r.text, /out for delivery/);
    // Due Nov 23, 2026 and still out for delivery: late on any day after it (the date is given either way).
    assert.match(r.text, /Nov 23, 2026/);
    assert.match(r.text, /order tracking page: https?:\/\/\S+\/orders/);
  });

  it('lists Japanese product titles to a Japanese customer', async () => {
    const r = await ask('cust-1003', 'ドラゴンボールの完全版の注文はどうなっていますか');
    assert.equal(orderNumbers(r.text)[0], 'MA-20261122-0010');
    assert.match(r.text, /ドラゴンボール 完全版 1巻、ドラゴンボール 完全版 2巻/);
    assert.match(r.text, /お支払い待ち/);
    assert.doesNotMatch(r.text, /Dragon Ball Kanzenban/);
  });

  it('lists every order of theirs that holds the title, newest first', async () => {
    const r = await ask('cust-1001', 'フリーレンの注文はどうなっていますか');
    assert.match(r.text, /『葬送のフリーレン』を含むご注文が2件/);
    assert.deepEqual(orderNumbers(r.text), ['MA-20261121-0004', 'MA-20261005-0003']);
  });

  it('says when none of their orders holds the title — never another customer\'s order that does', async () => {
    const r = await ask('cust-1005', 'where is my Vinland Saga order?');
    assert.match(r.text, /couldn't find Vinland Saga in any of your orders/);
    assert.ok(!orderNumbers(r.text).includes('MA-20261120-0002'), 'cust-1002\'s Vinland Saga order stays hidden');
    for (const n of orderNumbers(r.text)) assert.ok(['MA-20261020-0011', 'MA-20261121-0013'].includes(n), `${n} is cust-1005's`);
  });

  it('answers the policy the question also asks, for that order\'s status', async () => {
    const r = await ask('cust-1004', 'ギヴンの注文ってまだキャンセルできますか？');
    assert.equal(orderNumbers(r.text)[0], 'MA-20261123-0003');
    assert.match(r.text, /「入金待ち」または「処理中」 の間は、無料でキャンセルできます/);
  });

  it('an order number wins; "my last order" is the latest', async () => {
    assert.equal(orderNumbers((await ask('cust-1002', 'where is order MA-20261110-0008?')).text)[0], 'MA-20261110-0008');
    assert.equal(orderNumbers((await ask('cust-1002', 'where is my last order?')).text)[0], 'MA-20261122-0017');
  });

  it('which orders have not arrived: every open one of theirs, never their latest delivered one', async () => {
    const r = await ask('cust-1002', "which of my orders haven't been delivered yet?");
    assert.deepEqual(orderNumbers(r.text), ['MA-20261120-0002']);
    const ja = await ask('cust-1001', 'まだ届いていない注文はありますか？');
    assert.match(ja.text, /2件/);
    assert.deepEqual(orderNumbers(ja.text).sort(), ['MA-20261119-0021', 'MA-20261121-0004']);
  });

  it('the order holding the volume named beside the title comes first', async () => {
    assert.equal(orderNumbers((await ask('cust-1001', 'when did my order with frieren 14 in it arrive?')).text)[0], 'MA-20261005-0003');
    assert.equal(orderNumbers((await ask('cust-1001', 'フリーレンの13巻を頼んだ注文はいつ届きましたか')).text)[0], 'MA-20261005-0003');
  });

  it('an order that has not come, naming none: the one still on its way first, never a digital-only order that arrived', async () => {
    // cust-1002's latest order is digital-only (delivered at once); Vinland Saga 28-29 is out for delivery.
    for (const text of ['あと、この前頼んだ注文まだ届かないんだけど', "my order still hasn't come", 'the stuff I ordered is taking forever']) {
      assert.equal(orderNumbers((await ask('cust-1002', text)).text)[0], 'MA-20261120-0002', text);
    }
  });

  it('a guest asking about a policy is asked to sign in for the order, and given the policy', async () => {
    const r = await ask('guest', 'can I still cancel my order? it hasn\'t shipped yet');
    assert.match(r.text, /sign in/);
    assert.match(r.text, /cancel free of charge while the order status is Pending payment or Processing/);
    assert.deepEqual(orderNumbers(r.text), []);
  });

  it('a guest is asked to sign in and sees no order, even naming a title or a number', async () => {
    for (const text of ['where is my Vinland Saga order?', 'what is the status of order MA-20261120-0002?', 'ワンピースの注文はいつ届きますか']) {
      const r = await ask('guest', text);
      assert.match(r.text, /sign in|ログイン/);
      assert.deepEqual(orderNumbers(r.text).filter((n) => !text.includes(n)), []);
      assert.doesNotMatch(r.text, /out for delivery|発送準備中/);
    }
  });
});
