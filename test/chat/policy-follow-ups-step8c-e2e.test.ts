import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText, type Frame } from '../helpers/ws-client.ts';

// Policy follow-ups of blind6 and the lead's probes M3/M10/N3 (fixer policies, step 8), over the
// WebSocket on the shipped catalog: a follow-up naming only a scope read as a title search, a gift
// question of a signed-in customer read as an order question, "until when?" after extra points, the
// shipping fee with a preorder in play (the fee first), when a preorder is paid for (the whole list).

const service = useChatService();

function intentOf(frames: Frame[]): string | undefined {
  return frames.find((f) => f.type === 'start')?.intent as string | undefined;
}

test('"and for ebooks?" after when points arrive asks it of e-books; a gift question is no order question', async () => {
  await service.withChat('cust-1005', async (c) => {
    await c.ask('When do I actually get the points for a paper book order?');
    const ebooks = await c.ask('and for ebooks?');
    assert.equal(intentOf(ebooks), 'faq');
    assert.match(replyText(ebooks), /Digital editions: added immediately after payment/);
    // (How the question before was put, "when", asks no other section: not the e-book refund rule.)
    assert.doesNotMatch(replyText(ebooks), /non-refundable/);
  });
  await service.withChat('cust-1004', async (g) => {
    // (A present they ordered is their order.)
    assert.equal(intentOf(await g.ask('has the present I ordered for my sister shipped yet?')), 'order_status');
    await g.ask('can you gift wrap an order? how much does it cost');
    const slip = await g.ask("it's a present - will the delivery slip show what I paid?");
    assert.equal(intentOf(slip), 'faq');
    assert.match(replyText(slip), /delivery slip shows the items but no prices/);
  });
});

test('extra points for Prime: the running campaign is said, and "until when?" is its end date', async () => {
  await service.withChat('cust-1002', async (c) => {
    assert.match(replyText(await c.ask('do prime members get extra points or something right now?')), /Prime: double points all year/);
    const until = await c.ask('until when?');
    assert.equal(intentOf(until), 'promotion');
    assert.match(replyText(until), /^"Prime: double points all year" runs until Mar 31, 2027/);
  });
});

test('the shipping fee with a preorder in play: the fee first, then the per-shipment rule (not the price guarantee)', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask("when's the next Kingdom volume out?");
    const fee = replyText(await c.ask('how much is shipping?'));
    assert.match(fee, /^Orders of ¥2,000 or more/);
    assert.match(fee, /For a preorder: Each shipment is judged separately/);
  });
  await service.withChat('guest', async (j) => {
    await j.ask('キングダムの次の巻はいつ出る？');
    const fee = replyText(await j.ask('送料っていくら？2000円以上なら無料？'));
    assert.match(fee, /^ご注文金額.*2,000円以上で送料無料/);
    assert.doesNotMatch(fee, /安いほうの価格/);
    // ...while a rule that changes the answer still leads.
    await j.ask('キングダムの次の巻はいつ出る？');
    assert.match(replyText(await j.ask('代引きは使える？')).split('\n')[0], /予約商品.*ご利用いただけません/);
  });
});

test('when a preorder is paid for: the rule first, then every method, the credit card included', async () => {
  await service.withChat('guest', async (j) => {
    assert.match(replyText(await j.ask('予約商品の支払いはいつ？')), /^予約商品の代金は、ご注文時ではなく 商品の発送時に請求 します。\n・クレジットカード/);
  });
  await service.withChat('guest', async (c) => {
    assert.match(replyText(await c.ask('when do I pay for a preorder?')), /^You are charged when the item ships[^\n]*\n- Credit card/);
  });
});

test('sending a title back is a returns question, not its price (unless a price is asked too)', async () => {
  await service.withChat('guest', async (c) => {
    const boxSet = await c.ask('I want to return a Haikyuu box set but I lost one of the volumes. Can I still send it back?');
    assert.equal(intentOf(boxSet), 'faq');
    assert.match(replyText(boxSet), /Box sets must be returned complete/);
    const ja = await c.ask('ベルセルクの1巻、気に入らなかったんだけど返品できる？未開封です');
    assert.equal(intentOf(ja), 'faq');
    assert.match(replyText(ja), /未開封品の返品:返金額から返送料 350円/);
  });
  await service.withChat('guest', async (j) => {
    assert.match(replyText(await j.ask('ハイキューのBOXを返品したいんだけど、1冊なくしちゃった。返品できる？')), /ボックスセットは一式そろった状態で/);
  });
});

test('what a follow-up swapped out or only the question before asked pulls in no other page (no refund line)', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('do you take PayPay?');
    const cod = replyText(await c.ask('what about cash on delivery?'));
    assert.match(cod, /¥330 fee/);
    assert.doesNotMatch(cod, /refunded/);
  });
  await service.withChat('guest', async (j) => {
    await j.ask('代引きの手数料は？');
    const konbini = replyText(await j.ask('コンビニ払いだと？'));
    assert.match(konbini, /セブン-イレブン/);
    assert.doesNotMatch(konbini, /返金/);
  });
});
