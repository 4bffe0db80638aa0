import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService, type Conversation } from '../helpers/chat-harness.ts';
import { replyText, type Frame } from '../helpers/ws-client.ts';

// Price and stock answers on the real service with the shipped catalog (fixer price, round 6):
// every volume asked is answered, a sold-out question leads with the sold-out volumes, and a
// series' rating and a store-wide promotion are said once per conversation.

const service = useChatService();

function cards(frames: Frame[]): string[] {
  return frames.filter((f) => f.type === 'products').flatMap((f) => (f.items as { seriesId: string; volume?: number }[]).map((c) => `${c.seriesId} ${c.volume ?? ''}`.trim()));
}

/** Plays `fn` in a new guest chat. */
const withChat = (fn: (c: Conversation) => Promise<void>) => service.withChat('guest', fn);

test('two volumes in questions of their own, and a second title with its volume, are each answered', async () => {
  await withChat(async (c) => {
    const two = await c.ask('kingdom 77 price? and is 76 in stock?');
    assert.match(replyText(two), /Vol\. 77 \(paperback\): ¥968, available for preorder/);
    assert.match(replyText(two), /Vol\. 76 \(paperback\): ¥968, in stock/);
  });
  await withChat(async (c) => {
    const titles = await c.ask('how much is chainsaw man 5? also is jjk 3 in stock?');
    assert.ok(cards(titles).includes('chainsaw-man 5') && cards(titles).includes('jujutsu-kaisen 3'), cards(titles).join(', '));
    assert.match(replyText(titles), /Vol\. 3 of Jujutsu Kaisen/);
  });
});

test('a sold-out question leads with the sold-out volumes; the rating and a store-wide promotion are said once', async () => {
  await withChat(async (c) => {
    const first = replyText(await c.ask('how much is demon slayer 1?'));
    assert.match(first, /Customers rate it/);
    assert.match(first, /Good news: "Winter free shipping/);
    const sold = replyText(await c.ask('any volumes out of stock?'));
    assert.match(sold, /^Out of stock right now in Demon Slayer: Vol\. 13 \(the other 22 of the 23 volumes are in stock\)\./);
    assert.doesNotMatch(sold, /in total|Customers rate it|Good news/);
    const next = replyText(await c.ask('and vol 2?'));
    assert.match(next, /Vol\. 2 \(paperback\): ¥495/);
    assert.doesNotMatch(next, /Customers rate it|Winter free shipping/);
  });
  await withChat(async (c) => {
    await c.ask('ブルーロックの1巻いくら？');
    assert.match(replyText(await c.ask('在庫がない巻はある？')), /^『ブルーロック』で現在在庫切れの巻は2巻・6巻・14巻・19巻・32巻です/);
  });
});

test('every volume asked with a sold-out question, a search for all of a series, an edition compared for a bare volume, box sets listed', async () => {
  await withChat(async (c) => {
    const both = replyText(await c.ask('チェンソーマン全巻揃えたらいくら？在庫ない巻ある？'));
    assert.match(both, /^『チェンソーマン』全21巻（単行本）の合計は12,408円です。在庫あり18冊、在庫切れ：1巻・6巻・18巻。/);
  });
  await withChat(async (c) => {
    // The cheapest way asked for leads (fixer buy, lead's finding 22 L1); the print total is still given.
    const cheapest = replyText(await c.ask("what's the cheapest way to buy all of demon slayer"));
    assert.match(cheapest, /^The cheapest way to get all 23 volumes of Demon Slayer is digital: ¥11,047 in total/);
    assert.match(cheapest, /Paperback: ¥11,913 for 23 volumes/);
  });
  await withChat(async (c) => {
    const editions = await c.ask('how much is the digital version of frieren 3 vs the paperback?');
    assert.deepEqual([...new Set(cards(editions))], ['sousou-no-frieren 3']);
    assert.match(replyText(editions), /Vol\. 3 \(digital\)/);
    assert.match(replyText(editions), /Vol\. 3 \(paperback\)/);
  });
  await withChat(async (c) => {
    const boxes = replyText(await c.ask('ハイキューのBOXセットっていくら？在庫ある？'));
    assert.match(boxes, /BOXセット3：9,480円/);
    assert.doesNotMatch(boxes, /1巻・2巻・3巻の合計/);
    assert.doesNotMatch(boxes, /合計/);
  });
});

test('box sets asked for together are added up, and named as box sets', async () => {
  await withChat(async (c) => {
    const en = replyText(await c.ask('what do haikyuu box sets 1 and 2 cost together?'));
    assert.match(en, /Together, Box set 1, Box set 2 come to ¥17,560/);
  });
  await withChat(async (c) => {
    await c.ask('進撃の巨人のBOXセット2はいくら？');
    const ja = replyText(await c.ask('じゃあBOXセット1と2を合わせて買うといくら？'));
    assert.match(ja, /BOXセット1・BOXセット2の合計は19,040円です。/);
  });
});

test('the length of a series and whether an edition is sold, asked together, are both answered (no volume of the edition)', async () => {
  await withChat(async (c) => {
    await c.ask('ドラゴンボールって少年漫画？');
    const both = replyText(await c.ask('全部で何巻？完全版もある？'));
    assert.match(both, /全42巻/);
    assert.match(both, /完全版もございます（全34巻、1,155円から）/);
  });
  await withChat(async (c) => {
    const en = replyText(await c.ask('how many volumes does naruto have? is there a digital version?'));
    assert.match(en, /complete in 72 volumes/);
    assert.match(en, /There's also a digital edition: 72 volumes/);
  });
});
