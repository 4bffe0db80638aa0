import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// The lead's probes L8/L9 (session 24) and a Japanese hours question, over the WebSocket on the
// shipped catalog: "can I preorder it?" is answered for the customer who asks (their tier is known),
// and no line of another section is said that is on nothing asked.

const service = useChatService();

test('a signed-in member asking if they can preorder is told yes; a guest to sign in (en, ja)', async () => {
  await service.withChat('cust-1005', async (c) => {
    await c.ask('is One Piece 113 out yet?');
    const can = replyText(await c.ask('can I preorder it? when would I be charged'));
    assert.match(can, /^Yes — you're signed in, so you can preorder/);
    assert.match(can, /charged when the item ships/);
    // "And if I cancel it later?": the preorder's cancelling rule, and no other page's line on something else.
    const cancel = replyText(await c.ask('and if I cancel it later?'));
    assert.match(cancel, /cancel a preorder at any time before it ships/);
    assert.doesNotMatch(cancel, /refunded within|payment request is not paid/);
  });
  await service.withChat('cust-1002', async (j) => {
    await j.ask('One Piece 113の発売日は？');
    assert.match(replyText(await j.ask('予約できますか？いつ請求されますか')), /^はい、ログイン中のお客さまは(?:113巻を)?ご予約いただけます。/);
  });
  await service.withChat('guest', async (g) => {
    await g.ask('is One Piece 113 out yet?');
    assert.match(replyText(await g.ask('can I preorder it?')), /^Not as a guest — please sign in \(or create a free account\) to preorder/);
    // (Asked of guests by name, the rule answers it; no verdict for the asker.)
    assert.doesNotMatch(replyText(await g.ask('can I preorder as a guest?')), /^Not as a guest|^Yes/);
  });
});

test('「スタッフは何時まで対応していますか？」 is the hours only, not the same-day shipping cut-off', async () => {
  await service.withChat('guest', async (c) => {
    const hours = replyText(await c.ask('スタッフは何時まで対応していますか？'));
    assert.match(hours, /10時〜19時/);
    assert.doesNotMatch(hours, /当日発送/);
  });
});
