import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService, type Conversation } from '../helpers/chat-harness.ts';
import { cardedVolumes, replyText } from '../helpers/ws-client.ts';

// On the real service with the shipped catalog (fixer O, step 8): a long polite letter that names a
// title in 『』 (with a kanji typed wrong) and asks its length beside a policy question; a price asked
// beside shipping abroad is of the volumes named; and where the customer said they live still holds
// when they next ask for an 18+ title.

const service = useChatService();

/** Plays `fn` in a new guest chat. */
const withChat = (fn: (c: Conversation) => Promise<void>) => service.withChat('guest', fn);

test('a name with one kanji typed wrong is still found', async () => {
  for (const [say, answer] of [
    ['呪術回戦って全部で何巻ありますか', /全30巻/],
    ['鬼滅の刀は全部で何巻？', /全23巻/],
  ] as const) {
    await withChat(async (c) => {
      const reply = replyText(await c.ask(say));
      assert.match(reply, answer, `${say}: ${reply}`);
    });
  }
});

test('a keigo letter naming a title in 『』 gets its length beside the policy it also asks', async () => {
  await withChat(async (c) => {
    const reply = replyText(await c.ask('お世話になっております。先日から娘が『鬼滅の刀』にハマっておりまして、全巻まとめて購入を検討しているのですが、全部で何巻ありますでしょうか。また、ギフト包装はいくらでお願いできますか。'));
    assert.match(reply, /23巻/, reply);
    assert.match(reply, /220円/, reply);
  });
});

test('a bare price asked beside shipping abroad is the price of the volumes named, and abroad still holds for an 18+ title next', async () => {
  for (const [say, then] of [
    ["I'm in Canada. can you ship Berserk 1-3 to me and how much would it cost?", "and Gantz? it's for me, I'm 40"],
    ['アメリカに住んでいます。ベルセルク1〜3巻を送ってもらえますか？いくらになりますか？', 'じゃあGANTZは？40歳です'],
  ]) {
    await withChat(async (c) => {
      const frames = await c.ask(say);
      const cards = cardedVolumes(frames);
      for (const v of [1, 2, 3]) assert.ok(cards.includes(`berserk v${v}`), `${say}: ${cards}`);
      assert.match(replyText(frames), /2,442/, replyText(frames));
      const next = replyText(await c.ask(then));
      assert.match(next, /outside Japan|海外/, next);
    });
  }
});
