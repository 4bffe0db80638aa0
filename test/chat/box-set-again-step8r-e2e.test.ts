import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// A bare number right after a box set asked is another box set: 「3も」, "what about 2?" (fixer R, step 8).

const service = useChatService();

test('a bare number after a box set is that box set; with a volume word it is the volume', async () => {
  await service.withChat('guest', async (ja) => {
    await ja.ask('進撃の巨人のBOXセット1っていくら？');
    const again = replyText(await ja.ask('2も'));
    assert.match(again, /9,520円|9520円/, again);
    assert.doesNotMatch(again, /2巻（単行本）/, again);
  });
  await service.withChat('guest', async (en) => {
    await en.ask('how much is attack on titan box set 1?');
    const again = replyText(await en.ask('what about 2?'));
    assert.match(again, /Box set 2/i, again);
    const vol = replyText(await en.ask('and vol 3?'));
    assert.match(vol, /Vol\. 3/, vol);
  });
});
