import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService, type Conversation } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// On the real service with the shipped catalog (fixer follow-ups, step 8): "I'll take it" /
// 「それにします」 for a volume that is out moves to buying (the chat takes no orders: the product
// page's cart; a guest may buy print books), and 「続編の予定は？」 / "is a sequel planned?" is
// answered from the catalog — the series' state and next volume — saying the store knows no more;
// a volume named in one question and the next one asked in another are both answered.

const service = useChatService();

/** Plays `fn` in a new guest chat. */
const withChat = (fn: (c: Conversation) => Promise<void>) => service.withChat('guest', fn);

test('a choice of a volume that is out leads with how to buy it, in both languages', async () => {
  await withChat(async (c) => {
    await c.ask('how much is frieren vol 3');
    const take = replyText(await c.ask("I'll take it"));
    assert.match(take, /^I can't place orders in the chat, but you can buy it on its product page: add it to your cart and check out\. Print books can be bought as a guest/);
    assert.match(take, /Vol\. 3 \(paperback\): ¥539/);
  });
  await withChat(async (c) => {
    await c.ask('フリーレンの3巻いくら？');
    const take = replyText(await c.ask('それにします'));
    assert.match(take, /^チャットではご注文を承れませんが、商品ページで「カートに入れる」からご購入いただけます。/);
    assert.match(take, /3巻（単行本）：539円/);
  });
});

test('a sequel asked as planned: the series\' state and next volume from the catalog, and that the store knows no more', async () => {
  await withChat(async (c) => {
    const op = replyText(await c.ask('ワンピースの続編の予定は？'));
    assert.match(op, /^続編の予定については、当店では情報がございません。『ワンピース』本編は連載中で、次の113巻は2027年4月17日発売予定です（ご予約受付中）。/);
  });
  await withChat(async (c) => {
    const aot = replyText(await c.ask('進撃の巨人って続編の予定ある？'));
    assert.match(aot, /^『進撃の巨人』は全34巻で完結しています。続編の予定については、当店では情報がございません。/);
  });
  await withChat(async (c) => {
    await c.ask('how much is berserk vol 1');
    const en = replyText(await c.ask('will there be a sequel?'));
    assert.match(en, /^I have no news of a sequel; Berserk itself is still running — Vol\. 43 comes out Mar 7, 2027 \(up for preorder\)\./);
  });
});

test('a volume named in one question and the next one asked in another: both answered, no sum', async () => {
  await withChat(async (c) => {
    const en = replyText(await c.ask("when did frieren volume 1 come out? and when's the next one"));
    assert.match(en, /Vol\. 1 \(paperback\): ¥539, in stock \(released Sep 12, 2020\)/);
    assert.match(en, /Vol\. 15 \(paperback\): ¥583, available for preorder — it releases Apr 20, 2027/);
    assert.doesNotMatch(en, /Together/);
  });
  await withChat(async (c) => {
    const ja = replyText(await c.ask('フリーレンの1巻っていつ発売？次の巻はいつ出る？'));
    assert.match(ja, /1巻（単行本）：539円、在庫がございます（2020年9月12日発売）/);
    assert.match(ja, /15巻（単行本）：583円、ただいま予約受付中です（2027年4月20日発売予定）/);
  });
});

test('volumes listed "bought as single volumes" are those volumes in print, added up', async () => {
  await withChat(async (c) => {
    await c.ask('ok the haikyuu box set 3? price + stock');
    const singles = replyText(await c.ask('and how much are volumes 1, 2 and 3 together, bought as single volumes?'));
    assert.match(singles, /Vol\. 1 \(paperback\): ¥506/);
    assert.match(singles, /Together, Vol\. 1, Vol\. 2, Vol\. 3 come to ¥1,518\./);
  });
});

test('a series-named campaign asked about puts the series in play: yes first, then its volumes by number', async () => {
  await withChat(async (c) => {
    const promo = replyText(await c.ask('フリーレンのポイント5倍ってまだやってます？'));
    assert.match(promo, /^はい、現在こちらのキャンペーンを開催中です。/);
    const digital = replyText(await c.ask('じゃあ14巻の電子版っていくら？'));
    assert.match(digital, /14巻（電子版）：553円/);
    const paper = replyText(await c.ask('紙のほうは？'));
    assert.match(paper, /^『葬送のフリーレン』14巻の価格と在庫状況をご案内いたします。\n14巻（単行本）：583円/);
  });
});

test('a box set weighed against the single volumes is not called the only way to buy', async () => {
  await withChat(async (c) => {
    const box = replyText(await c.ask('is the haikyuu box set cheaper than buying the volumes separately?'));
    assert.doesNotMatch(box, /only sold in paperback/);
    assert.match(box, /Box set 1: ¥8,690/);
  });
});
