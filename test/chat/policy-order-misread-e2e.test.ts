import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// A signed-in customer's follow-up to a policy answer that names no order ("where do I check my
// balance?" after points, 「発売日に届きますか」 after when a preorder is charged) read alone as a question
// about their orders: it asks on about the policy in play, not for their latest order (fixer P, step 8).

const service = useChatService();

test('where to see the points balance, asked after a points rule, is the points page (en, ja)', async () => {
  await service.withChat('cust-1002', async (c) => {
    await c.ask('do my points ever expire?');
    const where = replyText(await c.ask('ok and where do I check my balance'));
    assert.match(where, /\/account\/points/);
    assert.doesNotMatch(where, /Order MA-/);
  });
  await service.withChat('cust-1004', async (j) => {
    await j.ask('ポイントの有効期限はありますか？');
    const where = replyText(await j.ask('残高はどこで確認できますか'));
    assert.match(where, /\/account\/points/);
    assert.doesNotMatch(where, /ご注文番号/);
  });
});

test('whether a preorder comes on release day, asked after when it is charged, is the preorder rule (ja, en)', async () => {
  await service.withChat('cust-1004', async (j) => {
    await j.ask('予約した本の代金はいつ引き落とされますか');
    const day = replyText(await j.ask('発売日に届きますか'));
    assert.match(day, /発売日/);
    assert.doesNotMatch(day, /ご注文番号/);
  });
  await service.withChat('cust-1006', async (c) => {
    await c.ask('when do you charge me for a preorder?');
    const day = replyText(await c.ask('will it arrive on the release day?'));
    assert.match(day, /release day|release date/i);
    assert.doesNotMatch(day, /Order MA-/);
  });
});
