import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// After the MAL import (fixer T, step 8; blind8 b8-recom-en-130): a search made only of kind words
// ("time travel manga?") is a wish for that kind, not a title search that lands on a title holding part
// of the words ("Travel") — a title is named only when one is those words whole.

const service = useChatService({ catalog: 'imported' });

test('kind words only are picks of that kind, and a title that is the words whole is still found', async () => {
  for (const ask of ['time travel manga?', 'any time-travel manga']) {
    await service.withChat('guest', async (c) => {
      const r = replyText(await c.ask(ask));
      assert.doesNotMatch(r, /^I found \d+ series that match/, ask);
      assert.doesNotMatch(r, /Travel by Yuuichi Yokoyama/, ask);
    });
  }
  await service.withChat('guest', async (c) => {
    assert.match(replyText(await c.ask('Monster manga?')), /Monster/);
  });
});
