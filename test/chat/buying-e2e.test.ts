import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// How a customer buys the series in play (lead's findings 22, L1-L3), over the WebSocket on the
// real service with the shipped catalog: the cheapest way to get the whole series, print against
// digital for the volume in play, paying with points. Deadlines are wide (the conversation suite's own).

const service = useChatService();

test('the cheapest way to get all of the series in play: every format totalled, the cheapest first', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('how many volumes of blue lock are out');
    const cheapest = await c.ask("what's the cheapest way to get all of them");
    const text = replyText(cheapest);
    assert.match(text, /^The cheapest way to get all 34 volumes of Blue Lock is digital: ¥18,385 in total, ¥1,591 less than paperback\./);
    assert.match(text, /Paperback: ¥19,976 for 34 volumes; out of stock: Vol\. 2, Vol\. 6, Vol\. 14, Vol\. 19, Vol\. 32/);
    assert.match(text, /Sports manga: 3x points/);
    assert.doesNotMatch(text, /outside what I can help/);
  });
});

test('print or digital for the volume in play: the cheaper one and by how much, first', async () => {
  await service.withChat('cust-1002', async (c) => {
    await c.ask('スパイファミリーの最新刊ってもう出てる？');
    const which = await c.ask('紙と電子どっちが安い？');
    assert.equal(which.find((f) => f.type === 'start')?.intent, 'price_availability');
    assert.match(replyText(which), /^15巻は電子版（514円）のほうが単行本（572円）より58円お安くなります。/);
    const points = await c.ask('じゃあ電子で。ポイント使える？');
    assert.equal(points.find((f) => f.type === 'start')?.intent, 'faq');
    assert.match(replyText(points), /マンガアシストポイント/);
    assert.doesNotMatch(replyText(points), /異世界フェア|スポーツ漫画/);
  });
});

test('the whole series in the format asked, and in Japanese the cheapest way with the total asked beside it', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('how many volumes of blue lock are out');
    const kindle = await c.ask('how much for the whole series on kindle?');
    assert.match(replyText(kindle), /^All 34 volumes of Blue Lock \(digital\) come to ¥18,385/);
    await service.withChat('guest', async (ja) => {
      await ja.ask('スパイファミリーって何巻まで出てる？');
      const all = await ja.ask('全巻まとめて買うといくら？一番安い買い方は？');
      const text = replyText(all);
      assert.match(text, /^『SPY×FAMILY』全15巻をいちばん安くそろえるなら電子版で、合計7,676円です（単行本より552円お安くなります）。/);
      assert.match(text, /単行本：全15巻で8,228円/);
      // The total asked beside the cheapest way is that answer's, not a shipping rule's (まとめて).
      assert.doesNotMatch(text, /分割発送|まとめて発送/);
    });
  });
});

test('a buying question naming its title, read alone as out of scope, and "is digital cheaper?" of a series: the totals', async () => {
  await service.withChat('guest', async (c) => {
    const berserk = await c.ask("what's the cheapest way to buy all of Berserk?");
    assert.equal(berserk.find((f) => f.type === 'start')?.intent, 'price_availability');
    assert.match(replyText(berserk), /^The cheapest way to get all 42 volumes of Berserk is digital: ¥31,960 in total, ¥2,844 less than paperback\./);
    await c.ask('how many volumes of blue lock are out');
    const digital = await c.ask('is digital cheaper?');
    assert.match(replyText(digital), /^The cheapest way to get all 34 volumes of Blue Lock is digital: ¥18,385/);
  });
});

test('paying with points right after the promotions is a question of paying, not the campaigns again', async () => {
  await service.withChat('cust-1002', async (c) => {
    await c.ask('any deals on Frieren right now?');
    const use = await c.ask('can I use points on it?');
    assert.equal(use.find((f) => f.type === 'start')?.intent, 'faq');
    assert.match(replyText(use), /1 point = ¥1/);
  });
});

test('two formats named are the two weighed; a series sold in one format says so before its total', async () => {
  await service.withChat('guest', async (c) => {
    const kanzenban = await c.ask('is the kanzenban cheaper than the regular edition for slam dunk vol 1?');
    assert.match(replyText(kanzenban), /^Vol\. 1 is ¥715 cheaper in paperback \(¥495\) than in kanzenban edition \(¥1,210\)\./);
    await c.ask('ハイキューって全巻でいくら？');
    const digital = await c.ask('電子だと安い？');
    assert.match(replyText(digital), /^『ハイキュー!!』は単行本のみの販売です（ほかの形式はございません）。\n『ハイキュー!!』全45巻（単行本）の合計は23,738円です。/);
  });
});

test('paying with points while digital editions are in play: yes and what a point is worth first, no points earned', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('How do digital editions work?');
    const en = replyText(await c.ask('can I pay with my points?'));
    assert.match(en, /^Yes — we accept MangaAssist points\.\n.*1 point = ¥1/);
    assert.match(en, /Digital editions can be paid by [^\n]*MangaAssist points/);
    assert.doesNotMatch(en, /earn/);
  });
  await service.withChat('guest', async (j) => {
    await j.ask('電子書籍ってどうやって読むの？');
    const ja = replyText(await j.ask('ポイントで払える？'));
    assert.match(ja, /^はい、マンガアシストポイントをご利用いただけます。\n.*1ポイント=1円/);
    assert.doesNotMatch(ja, /付与/);
  });
});
