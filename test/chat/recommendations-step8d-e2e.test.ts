import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService, type Conversation } from '../helpers/chat-harness.ts';
import { cardedSeries, replyText } from '../helpers/ws-client.ts';

// On the real service with the shipped catalog (fixer D, step 8): picks "based on my past orders" are
// like the series the customer bought (never those), titles already read are what "anything similar"
// is like, a kind said as a theme (「音楽がテーマ」) is picks of it, and a new kind asked anew after picks
// does not carry their length.

const service = useChatService();

/** Plays `fn` in a new chat as a demo customer (their claims from data/store/customers.json), or a guest. */
const withChat = (fn: (c: Conversation) => Promise<void>, customer?: string) => service.withChat(customer, fn);

test('picks from what a signed-in customer bought are like those series and never one of them, in both languages', async () => {
  // cust-1002 bought Haikyuu!! box sets, Gantz, Vinland Saga and One Piece (Berserk was returned).
  const bought = ['haikyuu', 'gantz', 'vinland-saga', 'one-piece'];
  for (const ask of ['based on my past orders, what would you recommend?', '今まで買ったものに似た漫画ある？']) {
    await withChat(async (c) => {
      const frames = await c.ask(ask);
      const text = replyText(frames);
      assert.match(text, /similar to One Piece, Vinland Saga|『ワンピース』、『ヴィンランド・サガ』/, ask);
      const picks = cardedSeries(frames);
      assert.ok(picks.length >= 3, `${ask}: ${picks.join(', ')}`);
      for (const id of bought) assert.ok(!picks.includes(id), `${ask}: ${id} among ${picks.join(', ')}`);
    }, 'cust-1002');
  }
});

test('titles already read are what "anything similar" is like, and never among the picks', async () => {
  await withChat(async (c) => {
    const frames = await c.ask("I've already read Monster and Pluto, what else would you recommend that's similar?");
    assert.match(replyText(frames), /similar to Monster and Pluto/);
    const picks = cardedSeries(frames);
    assert.ok(picks.length >= 3 && !picks.includes('monster') && !picks.includes('pluto'), picks.join(', '));
  });
});

test('a kind said as a theme is picks of it; a new kind asked anew does not carry the last length', async () => {
  await withChat(async (c) => {
    const frames = await c.ask('音楽がテーマのマンガ探してます');
    assert.match(replyText(frames), /^ご希望（音楽）に合う作品/);
    assert.ok(cardedSeries(frames).includes('k-on'), cardedSeries(frames).join(', '));
  });
  await withChat(async (c) => {
    await c.ask('a complete manga under 5 volumes please');
    const fresh = await c.ask('ok now something scary');
    assert.match(replyText(fresh), /^Here are some picks — Horror:/);
    assert.equal(cardedSeries(fresh).length, 5);
  });
});
