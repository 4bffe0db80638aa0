import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// The lead's probes L8/L9 (session 24) and a Japanese hours question, over the WebSocket on the
// shipped catalog: "can I preorder it?" is answered for the customer who asks (their tier is known),
// and no line of another section is said that is on nothing asked.

const service = useChatService();

/** A new chat as a demo customer (signed in with their claims from data/store/customers.json), or a guest. */
const chat = (customer?: string) => service.open(customer);

test('a signed-in member asking if they can preorder is told yes; a guest to sign in (en, ja)', async () => {
  const c = await chat('cust-1005');
  try {
    await c.ask('is One Piece 113 out yet?');
    const can = replyText(await c.ask('can I preorder it? when would I be charged'));
    assert.match(can, /^Yes — you're signed in, so you can preorder/);
    assert.match(can, /charged when the item ships/);
    // "And if I cancel it later?": the preorder's cancelling rule, and no other page's line on something else.
    const cancel = replyText(await c.ask('and if I cancel it later?'));
    assert.match(cancel, /cancel a preorder at any time before it ships/);
    assert.doesNotMatch(cancel, /refunded within|payment request is not paid/);
  } finally {
    await c.close();
  }
  const j = await chat('cust-1002');
  try {
    await j.ask('One Piece 113の発売日は？');
    assert.match(replyText(await j.ask('予約できますか？いつ請求されますか')), /^はい、ログイン中のお客さまは(?:113巻を)?ご予約いただけます。/);
  } finally {
    await j.close();
  }
  const g = await chat();
  try {
    await g.ask('is One Piece 113 out yet?');
    assert.match(replyText(await g.ask('can I preorder it?')), /^Not as a guest — please sign in \(or create a free account\) to preorder/);
    // (Asked of guests by name, the rule answers it; no verdict for the asker.)
    assert.doesNotMatch(replyText(await g.ask('can I preorder as a guest?')), /^Not as a guest|^Yes/);
  } finally {
    await g.close();
  }
});

test('「スタッフは何時まで対応していますか？」 is the hours only, not the same-day shipping cut-off', async () => {
  const c = await chat();
  try {
    const hours = replyText(await c.ask('スタッフは何時まで対応していますか？'));
    assert.match(hours, /10時〜19時/);
    assert.doesNotMatch(hours, /当日発送/);
  } finally {
    await c.close();
  }
});
