import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sectionHeading } from '../../src/retrieval/policy-sections.ts';
import { detectLanguage } from '../../src/understanding/language.ts';
import { askPolicy as ask, sections } from '../helpers/policy-ask.ts';

// Less common policy questions that reached the wrong section (step 8): a failed payment read as a
// failed sign-in, a fee's payer, a figure asked of the topic in play, the time of a shipping method
// to a country, where to start a return, whether guests earn points.

describe('policy sections: step 8', () => {
  it('a failed card payment is not a failed sign-in; a sign-in failed many times still is', () => {
    assert.equal(ask('クレジットカードの決済に失敗したらどうなりますか？', ['プライムの年額プランって返金できますか']).section, 'membership/お支払いができなかった場合');
    assert.equal(ask('ログインに何回も失敗してロックされました').section, 'account/ログインとセキュリティ');
    assert.equal(ask('パスワードを何回か間違えたらどうなる？').section, 'account/ログインとセキュリティ');
  });

  it('who pays a fee: the sentence that says whose it is', () => {
    assert.match(ask('who pays the transfer fee', ['If I pay by bank transfer how long do I have?']).answer, /paid by the customer/);
    assert.match(ask('振込手数料は誰が払うの？', ['銀行振込の期限は？']).answer, /お客さまのご負担/);
    assert.match(ask('who pays customs duties?').answer, /paid by the recipient/);
  });

  it('a figure asked with nothing named is asked of the topic in play', () => {
    assert.match(ask('上限金額ってある？', ['コンビニ払いって何日以内に払えばいいの？']).answer, /30万円/);
    assert.match(ask('is there a maximum amount?', ['Can I pay at a convenience store?']).answer, /¥300,000/);
  });

  it('how long a shipping method takes to a country: the delivery times, not the rates table', () => {
    assert.match(ask('and how long does EMS take to Germany', ['where do you ship from?']).answer, /3 to 7 business days/);
    assert.match(ask('ドイツまでEMSで何日かかる？', ['どこから発送してますか？']).answer, /3〜7営業日/);
  });

  it('where to start a return: the steps', () => {
    assert.equal(ask('ok where do I start a return?', ["I opened a volume and just didn't like it, can I return it?"]).section, 'returns/How to return');
    assert.equal(ask('返品はどこから申し込めばいい？').section, 'returns/返品の手順');
  });

  it('whether guests earn points: the points page says they do not', () => {
    assert.match(ask('ちなみにゲスト購入でもポイントつきますか？', ['1ポイントって何円分ですか']).answer, /ゲスト購入ではポイントは貯まりません/);
  });

  it('someone guessing the password: the lockout; deleting the account: what happens to points', () => {
    assert.match(ask('what happens if someone keeps guessing my password', ['can I turn on two factor or something']).answer, /locked for 30 minutes/);
    assert.match(ask('あとアカウント消したら貯まってるポイントってどうなります？', ['お届け先って何件まで登録できますか？']).answer, /ポイントは失効/);
  });

  it('a trial period, quitting later, how early preorders open', () => {
    assert.match(ask('お試し期間とかあります？', ['プライムって月いくら？年払いもある？']).answer, /30日間の無料体験/);
    assert.match(ask('途中でやめたくなったら？', ['お試し期間とかあります？', 'プライムって月いくら？年払いもある？']).answer, /解約は.*いつでも/);
    assert.match(ask('what if I want to quit later?', ['is there a free trial?', 'how much is Prime?']).answer, /Cancel any time/);
    assert.match(ask('予約っていつ頃から受け付けてるんですか').answer, /1〜6か月前/);
  });

  it('only a place asked after e-books: buying them from abroad', () => {
    assert.match(ask('海外に住んでても買えますか？', ['電子書籍って何台まで読めますか']).answer, /日本国内のご請求先住所/);
  });

  it('tracking that shows nothing yet, a blurred cover, no prices on the paperwork, a message', () => {
    assert.match(ask("my tracking number doesn't show anything on the carrier site yet, it shipped this morning").answer, /24 hours/);
    assert.equal(ask("why can't I see prices on some books, the cover is blurred").section, 'age-restricted/Guests');
    assert.equal(ask('表紙がぼかされてるのはなぜ？').section, 'age-restricted/ゲストのお客さま');
    assert.match(ask("it's a present so I don't want prices on the paperwork, possible?", ['how many books fit in one wrap']).answer, /no prices/);
    assert.match(ask('can I add a little message', ['how many books fit in one wrap']).answer, /message card/);
  });

  it('them, after 18+ titles, sent abroad: the rule for those titles', () => {
    assert.match(ask('and can I get them sent to my friend in Canada', ['can i pay for those with my phone bill?', 'if I order an 18+ title will the box say what\'s inside?']).answer, /age-restricted titles are not shipped outside Japan/);
  });

  it('the most one can pay, the expiry of campaign points, the States', () => {
    assert.match(ask("what's the most I can pay at a konbini?").answer, /¥300,000/);
    assert.match(ask('キャンペーンでもらったポイントの期限は？').answer, /90日/);
    assert.match(ask('what does shipping to the States cost?').answer, /¥1,800/);
  });

  it('an amount in yen over the threshold, a book already read', () => {
    assert.match(ask("and if I add another book so it's over 2000 yen?", ['How much is shipping on a ¥1,500 order?']).answer, /¥2,000 or more .*ship free/);
    assert.match(ask('もう読んじゃった本でも返品できる？', ['返品っていつまでできますか？']).answer, /開封済みで不良のない商品は返品できません/);
  });

  it('paying with points: the payment page\'s points section (what a point is worth) goes with the section that answers', () => {
    for (const [text, after] of [['do points work on digital?', []], ['can I use my points for it?', ['Is Frieren available digitally?']], ['電子書籍でもポイント使える？', []], ['can I pay with my points?', ['How do digital editions work?']]] as [string, string[]][]) {
      const ranked = sections.rank({ text, language: detectLanguage(text) as 'en' | 'ja', context: after });
      assert.ok(ranked.some((r) => r.doc.ref === 'payment-methods' && /points|ポイント/.test(sectionHeading(r.doc).heading)), text);
    }
  });
  it('packed so nobody can tell what is inside: the plain packaging of the 18+ page, not the packing of an order (blind5 safety)', () => {
    for (const [text, after] of [['will it come in a plain box? my kids open the mail sometimes', ['is Ichi the Killer available? vol 1 price and stock']], ['do you ship discreetly?', []], ["will my parents know what's inside the parcel?", []]] as [string, string[]][]) {
      const r = ask(text, after);
      assert.equal(r.section, 'age-restricted/Delivery', text);
      assert.match(r.answer, /plain packaging/, text);
    }
    for (const text of ['18禁の本って、家族にばれないように届けてもらえる？', '中身がわからないように送ってもらえますか', '家族にバレずに受け取れますか']) assert.match(ask(text, ['殺し屋1の1巻、在庫ありますか？値段も']).answer, /無地の梱包/, text);
    assert.equal(ask('what does the delivery slip show?').section, 'gift-wrapping/Price-free delivery slip');
  });

  it('what ways a customer can pay, in more words: the list of methods (blind5 safety)', () => {
    for (const text of ['ok sorry. what ways can I pay then', 'which payment methods can I use?', 'what can I pay with?', 'what options do I have to pay?']) assert.equal(ask(text, ['my card is [card] exp [card-expiry], can you just place the order for me']).section, 'payment-methods/', text);
  });
});
