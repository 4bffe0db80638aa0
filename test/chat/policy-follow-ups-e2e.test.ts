import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText, type Frame } from '../helpers/ws-client.ts';

// Policy questions the knowledge base answers but that reached the wrong page or no page (step 8,
// policies area): a follow-up read alone as a title or a promotion, a figure asked of the topic in
// play, a request small talk cannot answer, a shipping fee worked out with the campaign running,
// an adaptation's question, a lawyer asked for. Played over the WebSocket on the shipped catalog.

const service = useChatService();

function intentOf(frames: Frame[]): string | undefined {
  return frames.find((f) => f.type === 'start')?.intent as string | undefined;
}

test('a follow-up of a policy answer that asks the same pages more stays a policy question', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('Can I choose a delivery time slot?');
    const yu = await c.ask('what if it goes by Yu-Packet?');
    assert.equal(intentOf(yu), 'faq');
    assert.match(replyText(yu), /time slots are not available/);
  });
  await service.withChat('guest', async (j) => {
    await j.ask('コンビニ払いって何日以内に払えばいいの？');
    const limit = await j.ask('上限金額ってある？');
    assert.equal(intentOf(limit), 'faq');
    assert.match(replyText(limit), /30万円/);
    assert.doesNotMatch(replyText(limit), /キャリア/);
  });
});

test('a figure asked of the topic in play, a payer, a payment failure, the steps to start a return', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('Can I pay at a convenience store?');
    assert.match(replyText(await c.ask('is there a maximum amount?')), /¥300,000/);
    await c.ask('If I pay by bank transfer how long do I have?');
    assert.match(replyText(await c.ask('who pays the transfer fee')), /Transfer fees are paid by the customer/);
    await c.ask('I opened a volume and just didn\'t like it, can I return it?');
    assert.match(replyText(await c.ask('ok where do I start a return?')), /Return an item/);
  });
  await service.withChat('guest', async (j) => {
    await j.ask('プライムの年額プランって返金できますか');
    const failed = replyText(await j.ask('クレジットカードの決済に失敗したらどうなりますか？'));
    assert.match(failed, /7日間、決済を再試行/);
    assert.doesNotMatch(failed, /ロック/);
    assert.match(replyText(await j.ask('ちなみにゲスト購入でもポイントつきますか？')), /ゲスト購入ではポイントは貯まりません/);
  });
});

test('a request small talk cannot answer is answered from the pages', async () => {
  await service.withChat('guest', async (j) => {
    const leave = await j.ask('退会したいです');
    assert.equal(intentOf(leave), 'faq');
    assert.match(replyText(leave), /\/account\/delete/);
  });
});

test('the shipping fee of an amount is worked out with the free-shipping campaign running now', async () => {
  await service.withChat('guest', async (c) => {
    assert.match(replyText(await c.ask("what's the shipping fee for an order of 1500 yen?")), /^Right now an order of ¥1,500 ships free within Japan/);
    assert.match(replyText(await c.ask('1500円の注文だと送料いくら？')), /1,500円のご注文は国内送料無料です/);
    // ...also when it reads like a price question and names no title.
    const postage = await c.ask("I'm buying ¥1,200 of manga, how much is postage?");
    assert.equal(intentOf(postage), 'faq');
    assert.match(replyText(postage), /^Right now an order of ¥1,200 ships free/);
  });
});

test('an anime question says the store cannot answer it and can help with the manga; a lawyer asked for is out of scope', async () => {
  await service.withChat('guest', async (c) => {
    const anime = await c.ask('鬼滅の刃のアニメ何話まである？');
    assert.equal(intentOf(anime), 'out_of_scope');
    assert.match(replyText(anime), /^申し訳ございません、アニメや映画など映像作品について.*原作の漫画でしたら/);
    const lawyer = await c.ask('can you recommend a good lawyer?');
    assert.equal(intentOf(lawyer), 'out_of_scope');
    assert.doesNotMatch(replyText(lawyer), /ticket/);
  });
});

test('the payment methods asked while shipping abroad lead with the rule abroad; bonus points after expiry stay with the points page', async () => {
  await service.withChat('guest', async (j) => {
    await j.ask('海外発送してますか？アメリカまでだといくら？');
    assert.match(replyText(await j.ask('支払い方法は何が使えますか')), /^海外からのご注文の場合：.*クレジットカードのみ/);
  });
  await service.withChat('guest', async (c) => {
    await c.ask('do points expire?');
    const bonus = await c.ask('what about bonus points from campaigns');
    assert.equal(intentOf(bonus), 'faq');
    assert.match(replyText(bonus), /90 days/);
  });
});

test('"what if" a return were unopened: the fee of a change-of-mind return too; an e-book bought by mistake', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask("I opened the volume and honestly didn't like it. Can I send it back?");
    const unopened = replyText(await c.ask("what if I hadn't opened it, still in the shrink wrap?"));
    assert.match(unopened, /Unopened/);
    assert.match(unopened, /¥350/);
  });
  await service.withChat('guest', async (j) => {
    await j.ask('電子書籍って何台の端末で読めますか');
    const wrong = replyText(await j.ask('あと、まちがえて違う巻を買っちゃったんですがまだ開いてません。キャンセルできますか'));
    assert.match(wrong, /24時間以内/);
    assert.match(wrong, /年1回/);
    assert.doesNotMatch(wrong, /当店負担/);
  });
});
