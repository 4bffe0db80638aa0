import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService, type Conversation } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// The whole series narrowed to what is in stock, and which of several series costs least bought
// complete (fixer X, step 8; the lead's probes 4 and 12), on the real service with the shipped catalog.

const service = useChatService();

/** Plays `fn` in a new guest chat. */
const withChat = (fn: (c: Conversation) => Promise<void>) => service.withChat('guest', fn);

test('only the volumes in stock after the whole series: their total, the ones out named (en, ja)', async () => {
  await withChat(async (c) => {
    await c.ask('whats the cheapest way to get the whole of chainsaw man');
    const only = replyText(await c.ask('and if i only want the ones that are in stock?'));
    assert.match(only, /^Just the 18 volumes of Chainsaw Man in stock \(paperback\) come to ¥10,648; out of stock: Vol\. 1, Vol\. 6, Vol\. 18/);
  });
  await withChat(async (c) => {
    await c.ask('how much for the whole of death note');
    assert.match(replyText(await c.ask('what if i only buy the ones in stock?')), /^Just the 10 volumes of Death Note in stock \(paperback\) come to ¥5,060; out of stock: Vol\. 4, Vol\. 8/);
  });
  await withChat(async (c) => {
    await c.ask('チェンソーマン全巻でいくら？');
    assert.match(replyText(await c.ask('在庫ある分だけだといくら？')), /在庫がある18冊（単行本）だけなら合計10,648円です。在庫切れ：1巻・6巻・18巻/);
  });
});

test('which costs least bought complete: every series\' whole run, the lowest named (not volume 1)', async () => {
  await withChat(async (c) => {
    await c.ask('compare one piece, naruto and bleach by length');
    const cheapest = replyText(await c.ask('which is cheapest to buy fully'));
    assert.match(cheapest, /Naruto: all 72 volumes \(paperback\) come to ¥38,016\./);
    assert.match(cheapest, /The cheapest to buy complete is Bleach, at ¥36,124/);
    assert.doesNotMatch(cheapest, /cheapest volume 1/);
  });
});
