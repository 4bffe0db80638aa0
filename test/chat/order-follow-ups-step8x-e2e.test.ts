import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService, type Conversation } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// A signed-in customer's short follow-up about the order(s) just described (fixer X, step 8): what
// is in it, what comes back from a refund, "why not?" after a cancellation refused, another month's
// orders, what the orders listed came to together, and where the parcel's tracking is followed.

const service = useChatService();

/** Plays `fn` in a new chat as a demo customer (signed in with their claims from data/store/customers.json). */
const withChat = (customer: string, fn: (c: Conversation) => Promise<void>) => service.withChat(customer, fn);

test('what is in the order in play, and what its refund comes to, are that order (en, ja)', async () => {
  for (const ask of ["what's in it", 'whats inside', 'what was in that one']) {
    await withChat('cust-1002', async (c) => {
      await c.ask('hey, which of my orders are still not here?');
      const r = await c.ask(ask);
      assert.equal(r.find((f) => f.type === 'start')?.intent, 'order_status', ask);
      assert.match(replyText(r), /MA-20261120-0002 \(placed Nov 20, 2026: Vinland Saga Vol\. 28 and Vinland Saga Vol\. 29; ¥1,584 total\)/, ask);
    });
  }
  for (const ask of ['いくら戻ってくる？', '返金額は？']) {
    await withChat('cust-1002', async (c) => {
      await c.ask('先月返品した注文の返金っていつ？');
      assert.match(replyText(await c.ask(ask)), /MA-20261027-0015（[^）]*合計1,848円）/, ask);
    });
  }
  await withChat('cust-1002', async (c) => {
    await c.ask('did my berserk return go through?');
    assert.match(replyText(await c.ask('and how much do i get back?')), /MA-20261027-0015 \([^)]*¥1,848 total\)/);
  });
});

test('"why not?" after a shipped order could not be cancelled gives the rule for shipped orders, of that order (en, ja)', async () => {
  await withChat('cust-1006', async (c) => {
    await c.ask('cancel my latest order please');
    const why = replyText(await c.ask('why not?'));
    assert.match(why, /^Order MA-20261121-0009 /);
    assert.match(why, /Shipped orders cannot be cancelled\. You can:\s+- Refuse the delivery/);
    assert.doesNotMatch(why, /Your other recent orders/);
  });
  await withChat('cust-1005', async (c) => {
    await c.ask('チ。の注文キャンセルしたいです');
    const why = replyText(await c.ask('え、なんでですか？'));
    assert.match(why, /^ご注文番号MA-20261121-0013/);
    assert.match(why, /辞退/);
  });
});

test('another month asked after an order, and the total of the orders listed (en, ja)', async () => {
  await withChat('cust-1001', async (c) => {
    await c.ask('10月に買ったやつまだ届いてないんだけど');
    const nov = replyText(await c.ask('あ、ごめん届いてた。11月のは？'));
    for (const id of ['MA-20261121-0004', 'MA-20261119-0021', 'MA-20261102-0012']) assert.match(nov, new RegExp(id));
    assert.doesNotMatch(nov, /MA-20261005-0003/);
  });
  await withChat('cust-1001', async (c) => {
    await c.ask('what did i order in november');
    // 2,079 + 2,684 + 2,387
    assert.match(replyText(await c.ask('how much did i spend in total')), /^Together those 3 orders came to ¥7,150\./);
  });
  await withChat('cust-1002', async (c) => {
    await c.ask('what did i buy in november?');
    const oct = replyText(await c.ask('what about october?'));
    assert.match(oct, /MA-20261027-0015/);
    assert.match(oct, /MA-20261008-0001/);
    // 1,848 + 17,560
    assert.match(replyText(await c.ask('how much was that altogether')), /^Together those 2 orders came to ¥19,408\./);
  });
  await withChat('cust-1002', async (c) => {
    await c.ask('what did i order in october');
    assert.match(replyText(await c.ask('how much did all that come to')), /^Together those 2 orders came to ¥19,408\./);
  });
  await withChat('cust-1003', async (c) => {
    await c.ask('whats up with my dragon ball order');
    assert.match(replyText(await c.ask('how much do i owe')), /^Order MA-20261122-0010 \([^)]*¥2,310 total\) is awaiting payment/);
  });
});

test('where to follow the parcel of the order in play: the order and the tracking section (en, ja)', async () => {
  await withChat('cust-1005', async (c) => {
    await c.ask('注文どうなってる？');
    const where = replyText(await c.ask('佐川ってどこで確認できる？'));
    assert.match(where, /^ご注文番号MA-20261121-0013/);
    assert.match(where, /24時間/);
  });
  await withChat('cust-1001', async (c) => {
    await c.ask('has my skip to loafer order shipped?');
    const where = replyText(await c.ask('ok where can i track it?'));
    assert.match(where, /MA-20261119-0021/);
    assert.match(where, /up to 24 hours/);
  });
  // Only where it is followed: the tracking number asked alone is the order, without the section.
  await withChat('cust-1005', async (c) => {
    await c.ask('注文どうなってる？');
    assert.doesNotMatch(replyText(await c.ask('追跡番号教えて')), /24時間/);
  });
});
