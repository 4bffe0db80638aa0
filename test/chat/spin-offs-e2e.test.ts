// "Is there a spin-off?", 「続編はある？」 with a series in play or named, over the WebSocket after
// `npm run import` of the MAL CSV (the shipped catalog links no series to a parent): the series the
// catalog records as derived from it (`parentId`), by title with volume counts, an 18+ one only for
// a customer who confirmed their age; plainly none when the store has none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { cardedSeries, replyText, type ChatClient, type Frame } from '../helpers/ws-client.ts';

const service = useChatService({ catalog: 'imported' });

async function turns(c: ChatClient, ...texts: string[]): Promise<Frame[]> {
  let last: Frame[] = [];
  for (const t of texts) last = await c.ask(t);
  return last;
}

test('with a series in play or named, its spin-offs and sequels from the catalog, en and ja (verified 18+)', async () => {
  await service.withChat({ sub: 'cust-1002', age_verified: true }, async (c) => {
    const en = await turns(c, 'tell me about Gantz', 'is there a spin-off?');
    assert.match(replyText(en), /^We carry 2 spin-offs and sequels of Gantz:/);
    assert.match(replyText(en), /Gantz:G[^\n]*complete in 3 volumes/);
    assert.deepEqual(cardedSeries(en).sort(), ['gantz-e', 'gantz-g']);
    const named = await c.ask('does Freezing have any spin-offs?');
    assert.match(replyText(named), /spin-offs and sequels of Freezing/);
    assert.ok(cardedSeries(named).length > 0 && !cardedSeries(named).includes('freezing'), String(cardedSeries(named)));
  });
  await service.withChat({ sub: 'cust-1002', age_verified: true }, async (ja) => {
    const sequel = await turns(ja, 'ガンツについて教えて', '続編はある？');
    assert.match(replyText(sequel), /^当店で取り扱っている『ガンツ』のスピンオフ・続編は2作品です/);
    assert.deepEqual(cardedSeries(sequel).sort(), ['gantz-e', 'gantz-g']);
  });
});

test('an 18+ spin-off is never named to an unverified customer; none is said plainly', async () => {
  await service.withChat({ sub: 'cust-1003', age_verified: false }, async (c) => {
    const adult = await turns(c, 'tell me about Gantz', 'is there a sequel?');
    assert.doesNotMatch(replyText(adult), /Gantz:[GE]/);
    assert.deepEqual(cardedSeries(adult), []);
    const naruto = await turns(c, 'tell me about Naruto', 'what about the spin-off?');
    assert.match(replyText(naruto), /^We carry one spin-off or sequel of Naruto:/);
    assert.ok(cardedSeries(naruto).length === 1 && cardedSeries(naruto)[0] !== 'naruto', String(cardedSeries(naruto)));
    const none = await turns(c, 'ベルセルクについて教えて', '外伝は？');
    assert.match(replyText(none), /^当店では『ベルセルク』のスピンオフ・続編は取り扱っておりません。/);
    assert.deepEqual(cardedSeries(none), []);
  });
  await service.withChat('guest', async (guest) => {
    const g = await guest.ask('does Gantz have any spin-offs?');
    assert.doesNotMatch(replyText(g), /Gantz:[GE]/);
    assert.deepEqual(cardedSeries(g), []);
  });
});
