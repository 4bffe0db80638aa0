import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { asksRuleAfterCampaign, conceptsOf, inPlayAnswer } from '../../src/retrieval/policy-sections.ts';
import { askPolicy as ask, sections } from '../helpers/policy-ask.ts';

// Policy follow-ups of blind7/blind8 and the lead's probes (fixer P, step 8): a limit asked of the
// method just asked about, when points arrive, points spent on an order, 18+ books abroad after
// 18+ e-books, a wrong volume the customer bought, "how do I pay then?", the fee once a campaign ends.

describe('policy sections: step 8 (fixer P)', () => {
  it('a limit asked with nothing named is the limit of the payment method just asked about', () => {
    assert.match(ask('いくらまで使える', ['コンビニ払いの期限何日？']).answer, /30万円/);
    assert.match(ask('上限ある？', ['代引きできますか']).answer, /5万円/);
    assert.match(ask('how much can I pay that way?', ['can I pay cash on delivery?']).answer, /¥50,000/);
    assert.match(ask('is there a max?', ['can I pay cash on delivery?']).answer, /¥50,000/);
    assert.match(ask('whats the max i can pay that way', ['how long do i have to pay at a convenience store']).answer, /¥300,000/);
    assert.match(ask('コンビニ払いの上限は？').answer, /30万円/);
  });

  it('"when do I get points" is when they are added, for print books on delivery', () => {
    assert.match(ask('when do I get points for a paper book order').answer, /Print books: added when the order is delivered/);
    assert.match(ask('when will i actually get the points for a paperback order?').answer, /Print books: added when the order is delivered/);
    assert.match(ask('紙の本のポイントはいつ付与される？').answer, /お届け完了/);
    assert.match(ask('ポイントっていつもらえるの？').section, /^points\/ポイントが付与される時期/);
    assert.match(ask('and ebooks?', ['when do I get points for a paper book order']).answer, /Digital editions: added immediately/);
    // (A campaign's end is no such question.)
    assert.ok(!conceptsOf('フリーレンのポイント5倍はいつまで？', true).has('credited'));
  });

  it('points spent on an order: what happens to them on a return, cancellation or refused delivery', () => {
    assert.match(ask('and points I used on it?', ['if I refuse the delivery what do I get back']).answer, /[Pp]oints (?:you )?used on (?:it|the order) are returned/);
    assert.match(ask('and the points I spent on it?', ['what happens if i refuse the parcel at the door?']).answer, /points you used on it are returned/);
    assert.match(ask('使ったポイントは戻ってくる？', ['キャンセルしたい']).answer, /ポイントは元の有効期限のままアカウントに戻ります/);
    assert.match(ask('I paid with points, do I get them back if I cancel?').answer, /points you used on it are returned/);
  });

  it('shipping asked after 18+ e-books is about 18+ books abroad (an e-book is never shipped)', () => {
    for (const [q, before] of [['and shipped to canada?', 'can an 18+ manga be bought as an ebook?'], ['can you send them to the US?', 'do you sell adult manga?']]) {
      const [best] = sections.rank({ text: q, language: 'en', context: [before] });
      const inPlay = inPlayAnswer(best.doc, { text: q, context: [before] });
      assert.equal(inPlay?.scope, 'age', q);
      assert.match(inPlay!.lines.map((l) => l.text).join(' '), /age-restricted titles are not shipped outside Japan/, q);
    }
  });

  it('a wrong volume the customer bought is their mistake (the digital cancellation), one the store sent is a wrong item', () => {
    assert.match(ask('it was the wrong volume actually, bought it 2 hours ago', ['bought a digital volume by mistake, refund?']).answer, /within 24 hours; we can cancel it once per account per year/);
    assert.match(ask('wrong volume, I bought it like 3 hours ago, can you cancel?', ['can I cancel an ebook?']).answer, /within 24 hours/);
    assert.match(ask('i ordered vol 4 but you sent me the wrong volume').answer, /we pay return shipping/);
    assert.match(ask('違う巻が届いた').answer, /当店負担/);
    // ("2 hours ago" is no question about opening hours.)
    assert.ok(!conceptsOf('bought it 2 hours ago', true).has('hours'));
  });

  it('"how do I pay, then?" asks for the list of payment methods', () => {
    for (const q of ['じゃあどうやって払えばいい？', '支払いってどうやってするの？', 'なにで払えますか', 'ok so how am i supposed to pay then?']) {
      assert.equal(ask(q, ['カード番号で支払いたい']).section, 'payment-methods/', q);
    }
    assert.match(ask('返品したい場合どうすればいい？').answer, /\/orders/);
  });

  it('the shipping fee once a campaign ends is the store rule, the campaign words no topic of their own', () => {
    for (const q of ['キャンペーン終わったら送料いくら？', 'and once the free shipping promo ends what\'s the normal fee?', 'キャンペーン期間外の送料っていくら？', 'after christmas how much will shipping cost me']) {
      assert.ok(asksRuleAfterCampaign(q), q);
    }
    assert.ok(!asksRuleAfterCampaign('送料無料キャンペーンっていつまで？'));
    assert.ok(!asksRuleAfterCampaign('what happens to my points if it expires?'));
    assert.match(ask('キャンペーン終わったら送料いくら？', ['送料無料キャンペーンっていつまで？']).answer, /350円/);
    assert.match(ask('and after the promo ends, how much is shipping?').answer, /¥350/);
  });

  it('a state or city abroad is its country, and a way to pay the store does not list is answered with the ways it does', () => {
    assert.match(ask('do you ship to hawaii? how much').answer, /North America.*¥1,800/);
    assert.match(ask('ソウルまでの送料は？').answer, /アジア：1kgまで 1,200円/);
    assert.match(ask('how long to toronto').answer, /EMS: 3 to 7 business days/);
    // (A city is one only as a destination: ソウルイーター is a title.)
    assert.ok(!conceptsOf('ソウルイーターって今でも買えますか？', true).has('international'));
    for (const q of ['do you take paypal', 'メルペイ使える？', 'apple pay ok?']) assert.match(ask(q).section, /^payment-methods\//, q);
  });

  it('a correction in the same message puts what follows it in the place of what it names the same kind of', () => {
    assert.match(ask('コンビニ払いの期限って何日？あ、やっぱ銀行振込の方で').answer, /7日以内/);
    assert.match(ask('konbini deadline? no wait, i mean bank transfer').answer, /within 7 days/);
    assert.match(ask('北海道だと何日？いや、やっぱ沖縄').answer, /沖縄・離島：3〜5日/);
  });
});
