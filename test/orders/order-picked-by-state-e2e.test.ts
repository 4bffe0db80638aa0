/**
 * A signed-in customer's order picked out by what the order page shows of it — its state ("what's
 * still processing?", 「支払い待ちの注文はございますか」), a tracking number typed back, its carrier
 * ("the sagawa one"), what it cost ("the expensive one") — or by a title they say arrived, correct
 * to, or point back at; and who carried it asked in other words. Through the real service on the
 * suite's day (2026-12-07), in both languages. (fixD, session 25: each case failed on 79dc8e0.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';

const service = useChatService({ clock: true });

/** Plays `turns` as `customer` in one chat; returns each reply's text. */
const chat = async (customer: string, turns: string[]) => (await service.chat(customer, turns)).map((r) => r.text);
/** The first order number a reply gives (the order it describes). */
const firstOrder = (text: string) => /MA-\d{8}-\d{4}/.exec(text)?.[0];

describe('an order picked by its state', () => {
  it('"what\'s still processing?" / "is anything still being prepared?": their processing order, not a policy page', async () => {
    for (const say of ["what's still processing?", 'is anything still being prepared?']) {
      const [r] = await chat('cust-1001', [say]);
      assert.equal(firstOrder(r), 'MA-20261121-0004', say);
      assert.match(r, /being prepared|processing/i, say);
    }
  });

  it('pending payment asked in three ways: their unpaid order', async () => {
    for (const say of ['anything pending payment on my account?', '支払い待ちの注文はございますか', 'which of my orders are unpaid?']) {
      const [r] = await chat('cust-1003', [say]);
      assert.equal(firstOrder(r), 'MA-20261122-0010', say);
    }
  });

  it('"what\'s out for delivery right now?" and "the one that was returned - how much was it?": the order in that state', async () => {
    const [out] = await chat('cust-1002', ["what's out for delivery right now?"]);
    assert.equal(firstOrder(out), 'MA-20261120-0002');
    const [returned] = await chat('cust-1002', ['the one that was returned - how much was it?']);
    assert.equal(firstOrder(returned), 'MA-20261027-0015');
    assert.match(returned, /¥1,848/);
  });
});

describe('an order picked by its tracking number, carrier or cost', () => {
  it('a tracking number typed back (with or without dashes, in either language): the order it belongs to', async () => {
    const cases: [string, string][] = [
      ['tracking 592604118833 - where is that one?', 'MA-20261120-0002'],
      ['追跡番号438233608147の荷物はもう届いておりますでしょうか', 'MA-20261110-0008'],
      ['is 4382-3360-8147 delivered?', 'MA-20261110-0008'],
    ];
    for (const [say, id] of cases) assert.equal(firstOrder((await chat('cust-1002', [say]))[0]), id, say);
  });

  it('a carrier named to pick one: 「日本郵便で届く予定の注文」, "the sagawa one", "my yamato parcel"', async () => {
    assert.equal(firstOrder((await chat('cust-1004', ['日本郵便で届く予定の注文はいつ届きますか']))[0]), 'MA-20261118-0014');
    assert.equal(firstOrder((await chat('cust-1002', ["the sagawa one - when did it arrive?"]))[0]), 'MA-20261008-0001');
    assert.equal(firstOrder((await chat('cust-1001', ['where is my yamato parcel?']))[0]), 'MA-20261119-0021');
  });

  it('the most or least expensive of theirs: "cost the most", "cheapest order", 「一番高い注文」', async () => {
    const [most] = await chat('cust-1001', ['which of my orders cost the most?']);
    assert.equal(firstOrder(most), 'MA-20261005-0003');
    assert.match(most, /¥2,970/);
    assert.equal(firstOrder((await chat('cust-1002', ["what's my cheapest order?"]))[0]), 'MA-20261122-0017');
    const [ja] = await chat('cust-1006', ['一番高い注文いくらだった？']);
    assert.equal(firstOrder(ja), 'MA-20261121-0009');
    assert.match(ja, /19,040円/);
  });
});

describe('an order picked by a title said otherwise, and its carrier asked otherwise', () => {
  it('"did the gantz volumes get here?" / "has the witch hat atelier arrived?": that order, not the series\' facts', async () => {
    assert.equal(firstOrder((await chat('cust-1002', ['did the gantz volumes get here?']))[0]), 'MA-20261110-0008');
    assert.equal(firstOrder((await chat('cust-1005', ['has the witch hat atelier arrived?']))[0]), 'MA-20261020-0011');
  });

  it('"is my kusuriya no hitorigoto vol 15 coming soon?": their order holding it, not the volume\'s preorder', async () => {
    assert.equal(firstOrder((await chat('cust-1001', ['is my kusuriya no hitorigoto vol 15 coming soon?']))[0]), 'MA-20261121-0004');
  });

  it('"ok and the berserk ones?" after an order: the order holding Berserk', async () => {
    const [, r] = await chat('cust-1002', ['did the gantz volumes get here?', 'ok and the berserk ones?']);
    assert.equal(firstOrder(r), 'MA-20261027-0015');
  });

  it('a correction to another title ("no sorry, I meant Skip to Loafer", 「いや、スキップとローファーの方です」): the order holding it', async () => {
    const [, en] = await chat('cust-1001', ["where's my Spy x Family order?", 'no sorry, I meant Skip to Loafer']);
    assert.equal(firstOrder(en), 'MA-20261119-0021');
    const [, ja] = await chat('cust-1001', ['ダンダダンの注文どうなった？', 'いや、スキップとローファーの方です']);
    assert.equal(firstOrder(ja), 'MA-20261119-0021');
  });

  it('"I ordered it already, where is it?" after asking about a volume: the order holding that title', async () => {
    const [, r] = await chat('cust-1001', ['do you have skip to loafer vol 11?', 'I ordered it already actually, where is it?']);
    assert.equal(firstOrder(r), 'MA-20261119-0021');
  });

  it('"who delivered it?" / "what company brought it?" of an order: its carrier', async () => {
    for (const say of ['who delivered it?', 'what company brought it?']) {
      const [, r] = await chat('cust-1003', ['did the blue lock order come?', say]);
      assert.match(r, /Japan Post/, say);
    }
  });
});

describe('a state or carrier asked of their orders when none or several fit, and a title asked otherwise', () => {
  it('a state none of theirs is in ("anything still processing?", "do i have anything pending payment?", 「キャンセルした注文ある？」): said so, no verdict for another order', async () => {
    const [processing] = await chat('cust-1002', ['anything still processing?']);
    assert.match(processing, /None of your orders is being prepared/);
    const [pending] = await chat('cust-1001', ['do i have anything pending payment?']);
    assert.match(pending, /None of your orders is awaiting payment/);
    const [cancelled] = await chat('cust-1001', ['キャンセルした注文ある？']);
    assert.match(cancelled, /「キャンセル済み」のご注文はございません/);
    assert.doesNotMatch(cancelled, /無料でキャンセルできます/);
  });

  it('"which orders came by yamato?" lists every one Yamato carried; "what\'s coming by sagawa?" is their Sagawa order', async () => {
    const [r] = await chat('cust-1001', ['which orders came by yamato?']);
    for (const id of ['MA-20261119-0021', 'MA-20261102-0012', 'MA-20261005-0003']) assert.ok(r.includes(id), id);
    assert.ok(!r.includes('MA-20261121-0004'), 'the order no carrier has yet');
    assert.equal(firstOrder((await chat('cust-1006', ["what's coming by sagawa?"]))[0]), 'MA-20261121-0009');
  });

  it('a refund of a title (「ベルセルクの返金っていくら？」, "how much is the refund for berserk?"): the returned order and its total', async () => {
    for (const say of ['ベルセルクの返金っていくら？', 'how much is the refund for berserk?']) {
      const [r] = await chat('cust-1002', [say]);
      assert.equal(firstOrder(r), 'MA-20261027-0015', say);
      assert.match(r, /1,848/, say);
    }
  });

  it('「ダンダダン届いてたっけ？」 / 「キングダムもう来てた？」: the order holding it', async () => {
    assert.equal(firstOrder((await chat('cust-1001', ['ダンダダン届いてたっけ？']))[0]), 'MA-20261102-0012');
    assert.equal(firstOrder((await chat('cust-1006', ['キングダムもう来てた？']))[0]), 'MA-20261012-0002');
  });
});
