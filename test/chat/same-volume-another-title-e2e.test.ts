// "And Dandadan?", 「チェンソーマンは？」 right after a volume's price asks the same volume of that title
// (and again after it), not the title's overview; after an overview it stays an overview. Played
// over the WebSocket on the shipped catalog.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { cardedVolumes, replyText, type Frame } from '../helpers/ws-client.ts';

const service = useChatService();

const carded = (frames: Frame[]) => [...new Set(cardedVolumes(frames))];
describe('the same volume of another title', () => {
  it('carries the volume asked by number to "and <title>?", in both languages, and on to the next one', async () => {
    await service.withChat('guest', async (c) => {
      await c.ask('how much is Frieren vol 1?');
      const dan = await c.ask('and Dandadan?');
      assert.deepEqual(carded(dan), ['dandadan v1']);
      assert.match(replyText(dan), /¥572/);
      const op = await c.ask('what about One Piece?');
      assert.deepEqual(carded(op), ['one-piece v1']);
      await c.ask('ダンダダンの3巻いくら？');
      const csm = await c.ask('チェンソーマンは？');
      assert.deepEqual(carded(csm), ['chainsaw-man v3']);
      assert.match(replyText(csm), /3巻/);
    });
  });

  it('after an overview, "and <title>?" is that title\'s overview', async () => {
    await service.withChat('guest', async (c) => {
      await c.ask("what's Frieren about?");
      const dan = await c.ask('and Dandadan?');
      assert.deepEqual(carded(dan), ['dandadan v1', 'dandadan v20']);
    });
  });
});
