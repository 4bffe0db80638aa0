/**
 * Order answers a demanding customer accepts (round 2), through the real service on the suite's
 * day (2026-12-07): a late order said to be late with what to do, a return's refund, quantities
 * and totals with every line, the tracking number of the order in play, and a handoff that names
 * the order. Several phrasings each, both languages, written before the fixes and failing then.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';

const OPS_TOKEN = 'ops-credential-for-order-tests-0123456789';

// Signed in as a demo customer, on the suite's day; each reply's intent, text and end (a handoff's ticket).
const service = useChatService({ clock: true, env: { OPS_TOKEN } });
const { chat } = service;

const orderNumbers = (text: string) => [...text.matchAll(/MA-\d{8}-\d{4}/g)].map((m) => m[0]);

describe('a late order is said to be late, with what to do', () => {
  const late: [string, string, string][] = [
    ['cust-1002', 'where is my Vinland Saga order?', 'MA-20261120-0002'],
    ['cust-1006', 'my attack on titan box sets still havent arrived', 'MA-20261121-0009'],
    ['cust-1005', 'Orb order status?', 'MA-20261121-0013'],
    ['cust-1004', 'メダリストの注文はいつ届きますか', 'MA-20261118-0014'],
    ['cust-1001', 'スキップとローファーの注文、まだですか？', 'MA-20261119-0021'],
  ];
  for (const [customer, say, id] of late) {
    it(`${customer}: "${say}" → ${id} is late, and the carrier is looked into`, async () => {
      const [r] = await chat(customer, [say]);
      assert.equal(orderNumbers(r.text)[0], id);
      assert.match(r.text, /late|予定日.*過ぎ/);
      assert.match(r.text, /investigat|調査/);
    });
  }

  it('an order whose date is still ahead is not called late', async () => {
    const [r] = await chat('cust-1001', ['when will my One Piece 113 order arrive?']);
    assert.equal(orderNumbers(r.text)[0], 'MA-20261121-0004');
    assert.match(r.text, /Estimated delivery: May 13, 2027/);
    assert.doesNotMatch(r.text, /\blate\b/);
  });
});

describe("a returned order's refund", () => {
  for (const say of ['did my Berserk return get refunded?', 'has the refund for my returned berserk volumes gone through?', 'ベルセルクの返品、返金されましたか？', 'ベルセルク返品したけど返金まだ？']) {
    it(`"${say}" → the returned order, refunded`, async () => {
      const [r] = await chat('cust-1002', [say]);
      assert.equal(orderNumbers(r.text)[0], 'MA-20261027-0015');
      assert.match(r.text, /returned|返品済/);
      assert.match(r.text, /issued the refund|返金手続きを行いました/);
    });
  }
});

describe('quantities, totals and every line of an order', () => {
  it('"how many Chiikawa did I order and what was the total?" → 2, ¥3,740, every line', async () => {
    const [r] = await chat('cust-1004', ['how many Chiikawa did I order and what was the total?']);
    assert.match(r.text, /You ordered 2 × Chiikawa/);
    assert.match(r.text, /¥3,740/);
    assert.match(r.text, /Given Vol\. 1, Given Vol\. 2, Given Vol\. 3, and Chiikawa Vol\. 7 ×2/);
    assert.doesNotMatch(r.text, /…/);
  });

  it('a four-line order is listed whole, in both languages', async () => {
    const [en] = await chat('cust-1001', ["what's in my Skip to Loafer order?"]);
    assert.match(en.text, /The Fragrant Flower Blooms with Dignity Vol\. 16, The Fragrant Flower Blooms with Dignity Vol\. 17, Skip to Loafer Vol\. 11, and A Sign of Affection Vol\. 12/);
    const [ja] = await chat('cust-1006', ['ゴールデンカムイの注文の中身を教えて']);
    assert.match(ja.text, /ゴールデンカムイ 1巻、ゴールデンカムイ 2巻、ゴールデンカムイ 3巻、ゴールデンカムイ 4巻、ゴールデンカムイ 5巻、合計4,290円/);
  });

  it('every order holding the title named, even with more words around it', async () => {
    const [r] = await chat('cust-1001', ['フリーレンの注文、全部の商品を教えて']);
    assert.deepEqual(orderNumbers(r.text), ['MA-20261121-0004', 'MA-20261005-0003']);
    assert.match(r.text, /葬送のフリーレン 13巻、葬送のフリーレン 14巻、薬屋のひとりごと 13巻、薬屋のひとりごと 14巻/);
  });
});

describe('the order in play', () => {
  it('"what\'s the tracking number?" after an order answer is that order\'s', async () => {
    const [, r] = await chat('cust-1002', ['where is my Vinland Saga order?', "what's the tracking number?"]);
    assert.equal(orderNumbers(r.text)[0], 'MA-20261120-0002');
    assert.match(r.text, /592604118833/);
  });

  it('「追跡番号は？」 stays on the order asked about, not the latest', async () => {
    const [, r] = await chat('cust-1001', ["where's my order with Skip to Loafer?", '追跡番号は？']);
    assert.equal(orderNumbers(r.text)[0], 'MA-20261119-0021');
    assert.match(r.text, /438241559036/);
  });
});

describe('a handoff about an order names it, in the reply and in the ticket', () => {
  async function ticketText(): Promise<string> {
    const res = await fetch(`${service.server.url}/v1/ops/tickets?limit=50`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
    const body = (await res.json()) as { tickets: { messages: { text: string }[] }[] };
    return body.tickets.flatMap((t) => t.messages.map((m) => m.text)).join('\n');
  }

  it('after an order answer: "this is taking forever, I want to talk to a person"', async () => {
    const [, r] = await chat('cust-1002', ['where is my Vinland Saga order?', 'this is taking forever, I want to talk to a person']);
    assert.ok(r.end?.handoff);
    assert.equal(orderNumbers(r.text)[0], 'MA-20261120-0002');
    assert.match(r.text, /not delivered yet/);
    assert.match(await ticketText(), /this is taking forever[^\n]*\n\[MA-20261120-0002: out_for_delivery, estimated delivery 2026-11-23\]/);
  });

  it('naming the title: "my Orb order is late, I want to speak to someone"', async () => {
    const [r] = await chat('cust-1005', ['my Orb order is late, I want to speak to someone']);
    assert.ok(r.end?.handoff);
    assert.equal(orderNumbers(r.text)[0], 'MA-20261121-0013');
  });

  it('in Japanese: 「メダリストの注文が届かないので担当者と話したい」', async () => {
    const [r] = await chat('cust-1004', ['メダリストの注文が届かないので担当者と話したい']);
    assert.ok(r.end?.handoff);
    assert.equal(orderNumbers(r.text)[0], 'MA-20261118-0014');
    assert.match(r.text, /引き継ぎました/);
  });

  it('an escalation about nothing in particular names no order', async () => {
    const [r] = await chat('cust-1003', ['I want to talk to a human please']);
    assert.ok(r.end?.handoff);
    assert.deepEqual(orderNumbers(r.text), []);
  });
});

describe('a policy question that names an order of theirs', () => {
  it('「ドラゴンボールの完全版、支払いまだなんだけどいつまでに払えばいい？」 → that order, awaiting payment, and the deadlines', async () => {
    const [r] = await chat('cust-1003', ['ドラゴンボールの完全版、支払いまだなんだけどいつまでに払えばいい？']);
    assert.equal(orderNumbers(r.text)[0], 'MA-20261122-0010');
    assert.match(r.text, /お支払い待ち/);
    assert.match(r.text, /3日以内/);
  });

  it('a Latin title written against Japanese (「Givenの注文、キャンセルしたい」) names the order', async () => {
    const [r] = await chat('cust-1004', ['Givenの注文、キャンセルしたい']);
    assert.equal(orderNumbers(r.text)[0], 'MA-20261123-0003');
    assert.doesNotMatch(r.text, /そのほかの最近のご注文/);
    assert.match(r.text, /無料でキャンセルできます/);
  });

  it('a cancelled order: refunded, and no lead-in left without its list', async () => {
    const [r] = await chat('cust-1003', ['why was my jujutsu kaisen order cancelled? will I get my money back?']);
    assert.equal(orderNumbers(r.text)[0], 'MA-20261112-0006');
    assert.match(r.text, /refunded within 5 to 7 business days/);
    assert.doesNotMatch(r.text, /^You can:$/m);
  });
});
