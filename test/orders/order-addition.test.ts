// Adding a book to an order already placed ("can I add another book to it?", 「この注文に1冊追加できる？」)
// with the order in play (lead's probe L6, session 24: the Points guide's 'When points are added',
// or the order's status alone). The help pages have no way to change a placed order, so the answer
// is that order, that nothing can be added (already shipped, or not yet), and a new order (its
// shipping for the customer's tier) or support. Through the real service on the suite's day.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { asksOrderAddition, speaksOfOwnOrder } from '../../src/orders/order-match.ts';

const service = useChatService({ clock: true });

/** Plays `turns` as `customer` in one chat, on the suite's day; returns each reply's text. */
const chat = async (customer: string, turns: string[]) => (await service.chat(customer, turns)).map((r) => r.text);

describe('adding a book to an order already placed', () => {
  it('reads the wish to add to an order, not gift wrap or the cart', () => {
    for (const t of ['can I add another book to it?', 'add vol 3 to my order', 'is it possible to include one more volume in the same order?', 'この注文に1冊追加できる？', '追加注文できますか', '同梱してもらえますか']) {
      assert.equal(asksOrderAddition(t), true, t);
      assert.equal(speaksOfOwnOrder(t, true), 'own', t);
    }
    for (const t of ['add it to my cart', 'can I add gift wrapping to my order?', 'can I add a message card to it?', 'カートに追加して', 'how do I add a new address?']) assert.equal(asksOrderAddition(t), false, t);
  });

  it('answers with the order in play: nothing can be added, a new order or support, in both languages', async () => {
    const [, en, ja] = await chat('cust-1002', ['where is my order MA-20261120-0002?', 'can I add another book to it?', 'この注文に1冊追加できる？']);
    assert.match(en, /MA-20261120-0002/);
    assert.match(en, /already shipped, so nothing more can be added/);
    assert.match(en, /place a new order/);
    assert.doesNotMatch(en, /When points are added/);
    assert.match(ja, /すでに発送済みのため、このご注文に商品を追加することはできません/);
    assert.match(ja, /新しくご注文/);
  });

  it('is that order\'s answer however the message reads alone (out of scope, a price question)', async () => {
    const [, oos, vol] = await chat('cust-1002', ["where's MA-20261120-0002?", 'is it possible to add a second book to it?', 'can I add vol 30 to that order too?']);
    for (const r of [oos, vol]) {
      assert.match(r, /MA-20261120-0002/);
      assert.match(r, /nothing more can be added/);
    }
  });
});
