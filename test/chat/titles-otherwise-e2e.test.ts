// A title or a question about it asked otherwise (fixer E, step 8; blind6 find-series and price-stock
// failures): a description corrected mid-message, a name split in two, an author before the title,
// the year a series began asked in Japanese, 'all 6' of a series, 'vs the box set?' and 'total for
// both?' after volumes, 'the next <title> volume'. Played over the WebSocket on the shipped catalog.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService, type Conversation } from '../helpers/chat-harness.ts';
import { cardedVolumes, replyText, type Frame } from '../helpers/ws-client.ts';

const service = useChatService();

const carded = (frames: Frame[]) => [...new Set(cardedVolumes(frames))];
/** Plays `play` in a new guest chat. */
const chat = (play: (c: Conversation) => Promise<void>) => service.withChat('guest', play);

describe('titles and their questions asked otherwise', () => {
  it('a story corrected mid-message is searched as corrected; a name split in two is that name', async () => {
    await chat(async (c) => {
      const story = await c.ask('お兄ちゃんが鬼に…じゃなくて、妹が鬼になっちゃう話のマンガ');
      assert.equal(carded(story)[0], 'kimetsu-no-yaiba v1', replyText(story));
      assert.match(replyText(await c.ask('それ完結してる?')), /完結/);
    });
    await chat(async (c) => {
      const fma = await c.ask('full metal alchimist');
      assert.equal(carded(fma)[0], 'fullmetal-alchemist v1', replyText(fma));
    });
  });

  it('an author before the title asks for that title; when it began, asked in Japanese, is a fact of it', async () => {
    await chat(async (c) => {
      const monster = await c.ask('浦沢直樹のMONSTERある?');
      assert.equal(carded(monster)[0], 'monster v1', replyText(monster));
      assert.match(replyText(await c.ask('何年に始まった作品?')), /1994年/);
      assert.match(replyText(await c.ask('いつから連載してる？')), /1994年/);
    });
    // ...also right after a volume's price: the series began then, not that volume again.
    await chat(async (c) => {
      await c.ask('荒川弘のハガレンの1巻いくら？');
      const began = await c.ask('いつ始まったの？');
      assert.match(replyText(began), /2001年に連載が始まりました/, replyText(began));
      await c.ask('how much is Frieren vol 1?');
      assert.match(replyText(await c.ask('when did it start?')), /It began in 2020/);
    });
  });

  it("'all 6' is every volume, 'vs the box set?' the box set, 'total for both?' the two volumes in play", async () => {
    await chat(async (c) => {
      assert.match(replyText(await c.ask('Do you have Akira? how much for the whole thing, all 6')), /¥4,488/);
      const box = await c.ask('vs the box set?');
      assert.match(replyText(box), /¥5,590/);
    });
    await chat(async (c) => {
      await c.ask('gimme the price of mob psycho 100 vol 15 & 16');
      assert.match(replyText(await c.ask('total for both?')), /¥968/);
    });
  });

  it("'the next <title> volume' is that title's next volume; a volume asked with a preorder question beside it is looked up; the one before the next", async () => {
    await chat(async (c) => {
      const next = await c.ask('how much is the next Kingdom volume?');
      assert.deepEqual(carded(next), ['kingdom v77'], replyText(next));
    });
    await chat(async (c) => {
      const frieren = await c.ask('フリーレン15巻って予約できる?いつ出る?');
      assert.deepEqual(carded(frieren), ['sousou-no-frieren v15'], replyText(frieren));
      assert.match(replyText(frieren), /2027年4月20日/);
    });
    await chat(async (c) => {
      await c.ask('キングダムの新刊いつ?');
      const before = await c.ask('1つ前の巻の在庫は?');
      assert.deepEqual(carded(before), ['kingdom v76'], replyText(before));
    });
  });
});
