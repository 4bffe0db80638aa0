/**
 * A policy question about "my order" that names none (lead's findings 2, 12, 17): the order it is
 * about is picked by what the policy applies to, and the answer says what that means for that
 * order by its status — can it still be cancelled, can its address be changed, which delivered
 * print order a torn book came in. Through the real service on the suite's day (2026-12-07).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { asksAddressChange, speaksOfOwnOrder } from '../../src/orders/order-match.ts';
import { orderPolicyQuestion } from '../../src/retrieval/policy-sections.ts';

const service = useChatService({ clock: true });

/** Plays `turns` as `customer` in one chat, on the suite's day; returns each reply's text. */
const chat = async (customer: string, turns: string[]) => (await service.chat(customer, turns)).map((r) => r.text);

const firstOrder = (text: string) => /MA-\d{8}-\d{4}/.exec(text)?.[0];

describe('which order a cancel question means, and whether it can still be cancelled', () => {
  it('「前に注文したやつ、キャンセルできる？」: their open order (awaiting payment), and yes, free before it ships', async () => {
    const [r] = await chat('cust-1003', ['前に注文したやつ、キャンセルできる？']);
    assert.equal(firstOrder(r), 'MA-20261122-0010');
    assert.match(r, /無料でキャンセルできます/);
    assert.match(r, /入金待ち/);
  });

  it('"I want to cancel my order" with a shipped order: no, and what to do instead', async () => {
    const [r] = await chat('cust-1005', ['I want to cancel my order']);
    assert.equal(firstOrder(r), 'MA-20261121-0013');
    assert.match(r, /already shipped, so it can no longer be cancelled/);
    assert.match(r, /Refuse the delivery/);
  });

  it('cancelling the order in play that awaits payment is the before-shipping rule, not the automatic cancellation', async () => {
    const [, r] = await chat('cust-1003', ['ドラゴンボール完全版の注文ってどうなってる？', 'やっぱりキャンセルしたいです']);
    assert.equal(firstOrder(r), 'MA-20261122-0010');
    assert.match(r, /発送前のキャンセル|「入金待ち」または「処理中」/);
  });
});

describe('changing the address of the order in play', () => {
  it('a processing order: not shipped yet, no self-service change, support — not the profile page', async () => {
    const [, r] = await chat('cust-1001', ["what's in order MA-20261121-0004?", 'can i still change the address?']);
    assert.equal(firstOrder(r), 'MA-20261121-0004');
    assert.match(r, /hasn't shipped yet/);
    assert.match(r, /contact support/);
    assert.doesNotMatch(r, /save up to 10 delivery addresses/);
  });

  it('「届け先の住所を変更できますか？」 of a shipped order: already shipped, support', async () => {
    const [, r] = await chat('cust-1005', ['注文した本の状況を教えて', '届け先の住所を変更できますか？']);
    assert.equal(firstOrder(r), 'MA-20261121-0013');
    assert.match(r, /すでに発送済み/);
    assert.match(r, /サポート窓口/);
  });
});

describe('a torn book is in a delivered print order', () => {
  it('「返品したいんだけど、届いた本が破れてた」: the delivered Gantz order, never the digital-only one', async () => {
    const [r] = await chat('cust-1002', ['返品したいんだけど、届いた本が破れてた']);
    assert.equal(firstOrder(r), 'MA-20261110-0008');
    assert.doesNotMatch(r, /MA-20261122-0017/);
    assert.match(r, /当店負担/);
  });

  it('「届いた本のページが破れてました」 and "the book that arrived has a torn cover": the delivered print order', async () => {
    const [ja] = await chat('cust-1002', ['届いた本のページが破れてました。どうしたらいいですか']);
    assert.equal(firstOrder(ja), 'MA-20261110-0008');
    const [en] = await chat('cust-1004', ['the book that arrived has a torn cover']);
    assert.equal(firstOrder(en), 'MA-20261003-0005');
  });

  it('"can I return my manga if I don\'t like it?" speaks of no order: the policy alone', async () => {
    const [r] = await chat('cust-1002', ["can I return my manga if I don't like it?"]);
    assert.equal(firstOrder(r), undefined);
  });
});

describe('points asked of the order in play', () => {
  it('"and the points I used on that order?" after a returned order: they come back', async () => {
    const [, r] = await chat('cust-1002', ['I sent back the berserk volumes, did the refund go through?', 'and the points I used on that order?']);
    assert.equal(firstOrder(r), 'MA-20261027-0015');
    assert.match(r, /[Pp]oints (?:used|you used)[^.]*returned/);
  });

  it('「その分のポイントってもう付いてます？」 after a delivered order: points are added on delivery', async () => {
    const [, r] = await chat('cust-1006', ['MA-20261109-0019の注文って届いてますか？', 'その分のポイントってもう付いてます？']);
    assert.equal(firstOrder(r), 'MA-20261109-0019');
    assert.match(r, /お届け完了[^。]*付与/);
  });
});

describe('the words', () => {
  it('an address change, en and ja', () => {
    for (const t of ['can i still change the address?', 'I need to update the delivery address', 'can you send it to a different address?', '届け先の住所を変更できますか？', '住所変えられる？', '別の住所に送ってほしい']) assert.ok(asksAddressChange(t), t);
    for (const t of ['what is your address?', 'how many addresses can I save?', '住所はどこですか']) assert.ok(!asksAddressChange(t), t);
  });

  it('with an order in play, changing the address speaks of that order', () => {
    assert.equal(speaksOfOwnOrder('can i still change the address?', true), 'own');
    assert.equal(speaksOfOwnOrder('can i still change the address?', false), undefined);
  });

  it('cancelling an order awaiting payment is read as cancelling before it ships', () => {
    assert.match(orderPolicyQuestion('キャンセルできる？', 'pending_payment') ?? '', /発送前/);
    assert.match(orderPolicyQuestion('what if I never pay?', 'pending_payment') ?? '', /支払期限/);
  });
});
