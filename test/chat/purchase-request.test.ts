/**
 * A request to buy or preorder a volume (lead's findings 16 and 18): the chat takes no orders, so
 * the answer is that volume, how to preorder it when it is not out yet (who may, when they are
 * charged), and — for a customer who already has it on an open order — that order, not an
 * invitation to a second copy. And a policy question right after a volume shown up for preorder
 * is asked of a preorder ("can I pay cash on delivery for it?"). Through the real service on the
 * suite's day (2026-12-07).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { asksToBuy } from '../../src/chat/grounding/purchase.ts';
import { earlierQuestions } from '../../src/retrieval/policy-sections.ts';
import { extractEntities } from '../../src/understanding/entities.ts';

const service = useChatService({ clock: true });

/** Plays `turns` as `customer` (or a guest) in one chat, on the suite's day; returns each reply's text and the cards of its first products frame. */
async function chat(customer: string, turns: string[]): Promise<{ text: string; cards: { seriesId?: string; volume?: number }[] }[]> {
  return (await service.chat(customer, turns)).map((r) => ({ text: r.text, cards: (r.frames.find((f) => f.type === 'products')?.items as { seriesId?: string; volume?: number }[] | undefined) ?? [] }));
}

describe('a request to preorder the volume in play', () => {
  it('"put me down for it" by a customer who already ordered it: that order first, the volume, no second copy', async () => {
    const [, r] = await chat('cust-1001', ['when does the next frieren come out', 'put me down for it']);
    assert.match(r.text.split('\n')[0], /already have Frieren.*Vol\. 15 on order: MA-20261121-0004/);
    assert.ok(r.cards.some((c) => c.volume === 15), 'the volume card');
    assert.doesNotMatch(r.text, /To preorder it/);
  });

  it('"put me down for it" by another member: the volume, how to preorder it, charged when it ships', async () => {
    const [, r] = await chat('cust-1002', ['when does the next frieren come out', 'put me down for it']);
    assert.ok(r.cards.some((c) => c.volume === 15), 'the volume card');
    assert.match(r.text, /To preorder it, choose "Preorder" on its product page/);
    assert.match(r.text, /charged when the item ships/);
  });

  it('「予約してください」 after Chainsaw Man 22: that volume and the charging rule, not the cancellation page', async () => {
    const [, r] = await chat('cust-1003', ['チェンソーマンの22巻はいつ出る？', '予約してください']);
    assert.ok(r.cards.some((c) => c.volume === 22), 'the volume card');
    assert.match(r.text, /発送時に請求/);
    assert.doesNotMatch(r.text, /キャンセル/);
  });

  it('a guest asking to preorder is told preorders need an account', async () => {
    const [r] = await chat('guest', ['ぼっち・ざ・ろっく！の9巻を予約したいです']);
    assert.ok(r.cards.some((c) => c.volume === 9), 'the volume card');
    assert.match(r.text, /ログイン/);
    assert.match(r.text, /ゲスト購入では予約できません/);
  });

  it('"can I preorder Yotsuba&! 17?" is volume 17 (a title ending in punctuation, then the number)', async () => {
    const [r] = await chat('cust-1002', ['can I preorder Yotsuba&! 17? when does it come out?']);
    assert.ok(r.cards.some((c) => c.volume === 17), JSON.stringify(r.cards));
    assert.match(r.text, /Jan 11, 2027/);
  });
});

describe('a policy question right after a volume shown up for preorder', () => {
  it('"can I pay cash on delivery for it?" after Chainsaw Man 22: not for preorders', async () => {
    const [, r] = await chat('guest', ['Chainsaw Man 22 release date and price?', 'can I pay cash on delivery for it?']);
    assert.match(r.text, /cannot be used for preorders|not available for preorders/);
    assert.doesNotMatch(r.text, /^Yes/);
  });

  it('the same question after a volume on sale: yes', async () => {
    const [, r] = await chat('guest', ['Chainsaw Man 1 price?', 'can I pay cash on delivery for it?']);
    assert.match(r.text, /^Yes/);
  });

  it('「代引きで払える？」 after Frieren 15 (preorder): not for preorders', async () => {
    const [, r] = await chat('cust-1001', ['フリーレンの15巻はいつ発売？', '代引きで払える？']);
    assert.match(r.text, /予約商品/);
  });
});

describe('the words', () => {
  it('requests to buy or preorder, en and ja', () => {
    for (const t of ['put me down for it', "I'll take it", 'reserve vol 3 for me', 'can I preorder it?', 'any preorders for One Piece?', '予約してください', '9巻を予約したいです', 'それください', '買います', 'じゃあ2番目の1巻買う', 'よし、買おう']) assert.ok(asksToBuy(t), t);
    for (const t of ['how much is it?', 'when does it come out?', '予約したらお金はいつ引き落とされるの？', 'what are the preorder rules?', '在庫ありますか', '1巻から全部買うといくら？', '買うならどっち？', 'これ買う？']) assert.ok(!asksToBuy(t), t);
  });

  it('an answer that showed a preorder puts the preorder in play for the next policy question', () => {
    const history = [
      { role: 'user', text: 'Chainsaw Man 22 release date and price?' },
      { role: 'assistant', text: 'Vol. 22 (paperback): ¥616, available for preorder — it releases Jan 6, 2027.' },
    ];
    assert.match(earlierQuestions(history)[0], /preorder/);
    assert.doesNotMatch(earlierQuestions([history[0], { role: 'assistant', text: 'Vol. 1 (paperback): ¥572, in stock.' }])[0], /preorder/);
  });

  it('a volume after a title that ends in punctuation', () => {
    assert.equal(extractEntities('Yotsuba&! 17 price').volume, 17);
    assert.equal(extractEntities('me & 2 friends').volume, undefined);
  });
});
