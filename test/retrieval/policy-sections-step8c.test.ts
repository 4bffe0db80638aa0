import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inPlayAnswer, promotionKindsFor, sectionHeading } from '../../src/retrieval/policy-sections.ts';
import { askPolicy as ask, KB } from '../helpers/policy-ask.ts';

// Policy follow-ups of blind6 and the lead's probes (fixer policies, step 8): a figure asked of a place
// with no topic named, a deadline asked as "how long after … do I have", one payment method or place
// put in the place of another, tracking stopped vs not shown yet, who pays customs or return postage,
// a question that asks what the heading says, the rule of the topic in play about the fee asked.

describe('policy sections: step 8 (policies, blind6)', () => {
  it('a figure asked of a place, with no topic named, is answered where the section gives that figure', () => {
    assert.match(ask("cool, I'm in Sapporo. how many days to get there", ['whats the latest I can pay to get it shipped today?']).answer, /Hokkaido: 2 to 3 days/);
    assert.match(ask("we're in Sendai, how long to get there", ['what time do I need to order by to ship today']).answer, /Tohoku.*1 to 2 days/);
    assert.match(ask('札幌なんだけど何日くらいかかる？', ['今日中に発送してもらうには何時までに払えばいい？']).answer, /北海道：2〜3日/);
  });

  it('"how long after … do I have", 何日以内: a deadline, not how long something takes', () => {
    assert.match(ask('how long after delivery do I have to do that', ["Can I send a volume back if I just didn't like it? I haven't even opened it"]).answer, /within 30 days of delivery/);
    assert.match(ask('how many days do I have to return something after it arrives?').answer, /within 30 days of delivery/);
    assert.match(ask('届いてから何日以内なら返品できる？').answer, /30日以内/);
    assert.match(ask("what's the return window for unopened books?").answer, /within 30 days of delivery/);
    assert.match(ask('返品できる期間は？').answer, /30日以内/);
    const konbini = ask('コンビニ払いにしたら何日以内に払えばいい?');
    assert.match(konbini.section, /^payment-methods\//);
    assert.match(konbini.answer, /3日以内/);
  });

  it('a follow-up that puts one payment method or place in the place of another asks the question before of it', () => {
    assert.match(ask('銀行振込にした場合は?', ['コンビニ払いにしたら何日以内に払えばいい?']).answer, /7日以内/);
    assert.match(ask('じゃあ銀行振込なら？', ['コンビニで払う場合、支払い期限は何日？']).answer, /7日以内/);
    assert.match(ask('what about konbini?', ['if I pay by bank transfer how many days do I have?']).answer, /within 3 days/);
    assert.match(ask('and for bank transfer?', ['if I pay at a konbini how many days do I have to pay?']).answer, /within 7 days/);
    // ...a place: the same table, its row.
    assert.match(ask('and to Okinawa?', ['how long does delivery take to Osaka?']).answer, /Okinawa and remote islands: 3 to 5 days/);
    assert.match(ask('沖縄は？', ['北海道だと何日で届く？']).answer, /沖縄・離島：3〜5日/);
  });

  it('after an acknowledgement, "and …" still leans on the question before; a bare amount over is a threshold', () => {
    assert.match(ask('ok and after christmas, is it free if I go over 2000?', ['hey how much is shipping if my cart is like ¥1,500?']).answer, /¥2,000 or more .* ship free/);
    assert.match(ask('is shipping free if I spend over 3000').answer, /¥2,000 or more .* ship free/);
  });

  it('tracking that stopped moving is the estimated-delivery rule; tracking not shown yet is the 24 hours', () => {
    assert.match(ask('and if the tracking just stops moving for days, what do I do?', ["my tracking number doesn't show anything yet. it shipped this morning"]).answer, /more than 2 days and tracking has not moved/);
    assert.match(ask('the tracking hasn\'t updated in 4 days, what should I do').answer, /more than 2 days/);
    assert.match(ask('追跡番号を入れても何日も動かないんだけど').answer, /2日以上過ぎても/);
    assert.match(ask('also, how long should tracking normally take to show up?', ["My parcel still hasn't arrived and the tracking hasn't moved for days. I need someone to look into it."]).answer, /up to 24 hours/);
    assert.match(ask("my tracking number doesn't show anything yet. it shipped this morning").answer, /up to 24 hours/);
  });

  it('who bears a cost: customs "hit with", 「こっち持ち」; a crushed box is damage', () => {
    assert.match(ask('and will I get hit with customs fees?', ['is there free shipping for international at some point', 'shipping to the US, how much would it be?']).answer, /^Import duties and taxes .* paid by the recipient/);
    assert.match(ask('関税はこっち持ち？', ['アメリカへの送料はいくら？']).answer, /受取人さまのご負担/);
    assert.match(ask('あと、こういう場合の返送料ってこっち持ち?', ['進撃のボックスセット、箱が潰れてたっぽい。担当の人につないでもらえますか']).answer, /^不良品・破損・誤配送:返送料は 当店負担/);
    assert.match(ask('箱がへこんでた場合の返送料は？').answer, /当店負担/);
    // (BOX beside Japanese is a box set; a box in English alone is a parcel.)
    assert.match(ask('ハイキューのBOXを返品したいんだけど、1冊なくしちゃった。返品できる？').answer, /ボックスセットは一式そろった状態で/);
  });

  it('a question that asks what the heading says: the rule and its whole list, in order (a list of cases alone: the case asked)', () => {
    assert.match(ask('When do I actually get the points for a paper book order?').answer, /^Print books: added when the order is delivered/);
    assert.match(ask('予約商品の支払いはいつ？').answer, /^予約商品の代金は、ご注文時ではなく 商品の発送時に請求 します。 クレジットカード:.*PayPay.*コンビニ払い/);
    assert.match(ask('when do I pay for a preorder?').answer, /^You are charged when the item ships.*Credit card:.*PayPay.*Konbini/);
  });

  it('the rule of the topic in play about the fee asked: per-shipment free shipping, not the item price guarantee', () => {
    const preorders = (lang: string) => KB.filter((d) => d.ref === 'preorders' && d.language === lang);
    const rule = (text: string, context: string[], lang: string) => preorders(lang).map((d) => inPlayAnswer(d, { text, context })).find((r) => r !== undefined);
    const ja = rule('2000円以上なら無料？', ['送料っていくら？', 'キングダムの次の巻はいつ出る？ (preorder)'], 'ja');
    assert.ok(ja);
    assert.match(ja.lines.map((l) => l.text).join(' '), /送料無料の判定/);
    assert.doesNotMatch(ja.lines.map((l) => l.text).join(' '), /安いほうの価格/);
    const jaFee = rule('送料っていくら？', ["キングダムの次の巻はいつ出る？ (preorder)"], 'ja');
    assert.doesNotMatch(jaFee?.lines.map((l) => l.text).join(' ') ?? '', /安いほうの価格/);
    const en = rule('how much is shipping?', ["when's the next Kingdom volume out? (preorder)"], 'en');
    assert.match(en?.lines.map((l) => l.text).join(' ') ?? '', /judged separately for free shipping/);
  });

  it('extra points asked of any page bring the points campaigns along', () => {
    const prime = KB.find((d) => d.language === 'en' && sectionHeading(d).heading === 'Prime' && d.ref === 'membership');
    assert.ok(prime);
    assert.ok(promotionKindsFor(prime, 'do prime members get extra points or something right now?').includes('points_multiplier'));
    assert.ok(!promotionKindsFor(prime, 'how much is Prime?').includes('points_multiplier'));
  });
});
