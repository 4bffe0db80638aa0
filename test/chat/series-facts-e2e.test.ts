import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { cardedSeries, replyText } from '../helpers/ws-client.ts';

// Facts of the series in play asked plainly, over the WebSocket on the shipped catalog (the lead's
// findings L5, L6, L8, L10 of session 22): the answer first, the series in play kept through a
// false start, a book the customer finished never a wish for finished series.
// Every deadline is wide: the test judges what the answers say, not a busy machine's timing.

const service = useChatService();

test('a yes/no status, the author and the length are answered first, not with the summary (L6)', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('tell me about Berserk');
    const status = await c.ask('is it finished?');
    assert.match(replyText(status), /^No — Berserk is ongoing, with \d+ volumes so far\./);
    assert.doesNotMatch(replyText(status), /The story:/);
    const author = await c.ask('so who drew it?');
    assert.match(replyText(author), /^Berserk is by Kentarou Miura/);
    const ja = await c.ask('完結してる？アニメ見て気になってて');
    assert.match(replyText(ja), /^いいえ、『ベルセルク』は現在連載中で、\d+巻まで発売中です。/);
    assert.deepEqual(cardedSeries(ja), ['berserk']);
  });
});

test("'just finished <title>' asks for what to read next, not for finished series; a false start keeps the series in play (L8, L10)", async () => {
  await service.withChat('cust-1005', async (c) => {
    const next = await c.ask('I just finished Witch Hat Atelier and loved it. what should I read next?');
    assert.doesNotMatch(replyText(next), /, complete:|complete:/);
    await c.ask('tell me about Fairy Tail');
    const price = await c.ask('ok add... actually how much is volume 1 of it in digital');
    assert.deepEqual(cardedSeries(price), ['fairy-tail']);
    assert.match(replyText(price), /Vol\. 1/);
  });
});

test('a content question about a listed title is answered from its tags (L5)', async () => {
  await service.withChat('guest', async (c) => {
    const list = await c.ask('recommend some horror manga');
    const first = cardedSeries(list)[0];
    const asked = await c.ask('is the first one scary or more gross?');
    assert.deepEqual(cardedSeries(asked), [first]);
    assert.match(replyText(asked), /^(?:Yes|No)\b/);
    assert.match(replyText(asked), /horror/i);
    // The list's ordinals still count after an answer about its first: the second is the list's second, not Vol. 2.
    const second = cardedSeries(list)[1];
    const finished = await c.ask('is the second one finished?');
    assert.deepEqual(cardedSeries(finished), [second]);
    assert.match(replyText(finished), /^(?:Yes|No) — /);
    const third = await c.ask('who wrote the third one?');
    assert.deepEqual(cardedSeries(third), [cardedSeries(list)[2]]);
    assert.match(replyText(third), / is by /);
  });
});
