import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService, type Conversation } from '../helpers/chat-harness.ts';
import { cardedVolumes, replyText } from '../helpers/ws-client.ts';

// On the real service with the shipped catalog and the demo customers' real orders (fixer O, step 8):
// follow-ups that keep what the conversation is on — an order picked by its title, a volume named as
// the one they ordered, whether they ordered one already, the one of two series just answered that
// the words name, the single volumes weighed against the box set in play, a format taken back, and
// Japanese fillers (とりあえず, 入る予定) that are no title.

const service = useChatService();

/** Plays `fn` in a new chat as a demo customer (signed in with their claims from data/store/customers.json), or a guest. */
const withChat = (customer: string | undefined, fn: (c: Conversation) => Promise<void>) => service.withChat(customer, fn);

test('an order picked by its title right after another order answer is that order, not the series', async () => {
  for (const [first, then] of [
    ['golden kamuy order total?', 'and the kingdom one, what was in it'],
    ['whats the status of my golden kamuy order', 'what about the kingdom one, what was in it?'],
    ['ゴールデンカムイの注文の合計は？', 'キングダムのやつは中身なんだった？'],
  ]) {
    await withChat('cust-1006', async (c) => {
      await c.ask(first);
      const reply = replyText(await c.ask(then));
      assert.match(reply, /MA-20261012-0002/, `${then}: ${reply}`);
    });
  }
});

test('asking whether they already ordered a volume is answered with the order holding it', async () => {
  for (const say of ['did I already order skip and loafer 11?', 'スキップとローファーの11巻ってもう買ったっけ？', 'そういえばスキローの11巻って前に注文しましたっけ', 'have I bought skip to loafer 11 already?']) {
    await withChat('cust-1001', async (c) => {
      await c.ask('スキップとローファーの最新刊、もう出てますか？');
      await c.ask('12巻はいつ？');
      const reply = replyText(await c.ask(say));
      assert.match(reply, /MA-20261119-0021/, `${say}: ${reply}`);
    });
  }
});

test('a volume named as the one they ordered gets its price and stock, with their order of it beside them', async () => {
  for (const [first, then] of [
    ['medalist vol 12 price', 'and 13, the one I ordered'],
    ['メダリスト12巻いくら？', '13巻は？注文したやつ'],
  ]) {
    await withChat('cust-1004', async (c) => {
      await c.ask(first);
      const frames = await c.ask(then);
      const reply = replyText(frames);
      assert.ok(cardedVolumes(frames).includes('medalist v13'), `${then}: ${cardedVolumes(frames)}`);
      assert.match(reply, /¥968|968円/, reply);
      assert.match(reply, /MA-20261118-0014/, reply);
    });
  }
  // ...while a question about that order is the order.
  await withChat('cust-1004', async (c) => {
    await c.ask('medalist 12 in stock?');
    const reply = replyText(await c.ask('and vol 13 which i ordered, has it shipped?'));
    assert.match(reply, /MA-20261118-0014/, reply);
    assert.doesNotMatch(reply, /MA-20261123-0003/, reply);
  });
});

test('of two series just answered, the one the words name is the one asked', async () => {
  await withChat('cust-1003', async (c) => {
    await c.ask('sakamoto days vol 3 and kaiju no 8 vol 3, are they in stock');
    const frames = await c.ask('how about the kaiju one volume 4');
    assert.deepEqual([...new Set(cardedVolumes(frames).filter((v) => v.endsWith(' v4')))], ['kaiju-no-8 v4'], replyText(frames));
    assert.match(replyText(frames), /¥550/);
  });
});

test('the single volumes weighed against the box set in play are the print volumes, not box sets', async () => {
  await withChat(undefined, async (c) => {
    await c.ask('Death Note box set how much');
    const reply = replyText(await c.ask('vs buying all 12 singles?'));
    assert.match(reply, /¥6,072/, reply);
  });
  await withChat(undefined, async (c) => {
    await c.ask('how much is attack on titan box set 1?');
    const reply = replyText(await c.ask('and buying volumes 1 to 3 separately would cost?'));
    assert.match(reply, /¥1,485/, reply);
  });
  // (A range written with a dash is numbers, no title: "vols 1-3".)
  await withChat(undefined, async (c) => {
    await c.ask('haikyuu box set 3 price?');
    const reply = replyText(await c.ask('compared with buying vols 1-3 individually?'));
    assert.match(reply, /¥1,518/, reply);
  });
});

test('a format taken back ("forget the ebook, I\'ll get the paperback") is not carried on', async () => {
  await withChat(undefined, async (c) => {
    await c.ask('how much is frieren vol 3');
    await c.ask('and 4?');
    await c.ask('the ebook version of that one?');
    await c.ask("ok forget the ebook, I'll get the paperback. whats shipping for just that one book");
    const frames = await c.ask('cool. is vol 5 in stock too?');
    assert.ok(cardedVolumes(frames).includes('sousou-no-frieren v5'), `${cardedVolumes(frames)}`);
    assert.match(replyText(frames), /Vol\. 5 \(paperback\): ¥539/, replyText(frames));
  });
});

test('とりあえず and 入る予定 beside a volume are no title: the series in play', async () => {
  for (const say of ['在庫入る予定ある？とりあえず14巻も教えて', 'ひとまず14巻の値段は？', '入荷予定ある？あと14巻も']) {
    await withChat('cust-1001', async (c) => {
      await c.ask('ダンダダン 13巻 いくら？');
      const frames = await c.ask(say);
      assert.ok(cardedVolumes(frames).includes('dandadan v14'), `${say}: ${replyText(frames)}`);
    });
  }
});
